"""The notice (通报) download buttons on the ranking page."""
from __future__ import annotations

import streamlit as st

from ..notice import FontMissing, Notice, build_notice, notice_docx, notice_pdf
from .context import Context


def build(ctx: Context, s: dict, thresholds) -> Notice:
    return build_notice(s, ctx.previous_summary(), thresholds, demo=ctx.demo)


@st.cache_data(show_spinner="正在生成通报…", max_entries=16)
def _pdf(n: Notice) -> bytes:
    return notice_pdf(n)


@st.cache_data(show_spinner=False, max_entries=16)
def _docx(n: Notice) -> bytes:
    return notice_docx(n)


def pdf_button(n: Notice, filename: str) -> None:
    try:
        data = _pdf(n)
    except FontMissing as e:
        st.caption(str(e))
        return
    st.download_button("下载通报（PDF）", data, filename, mime="application/pdf", key="notice_pdf",
                       icon=":material/picture_as_pdf:")


def docx_button(n: Notice, filename: str) -> None:
    st.download_button("下载通报（Word）", _docx(n), filename,
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       key="notice_docx", icon=":material/description:")
