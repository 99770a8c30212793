"""The notice (通报) download buttons on the ranking page.

The PDF takes seconds to lay out, so it is built when a button is clicked, never on a rerun:
changing a weight on the ranking page stays fast."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ..notice import FontMissing, Notice, build_notice, fonts_available, notice_docx, notice_pdf
from .context import Context


def builder(ctx: Context, s: dict, thresholds, settings) -> Callable[[], Notice]:
    """What builds this view's notice (the previous month's summary is read now, in the run, with
    the same settings as this month's: categories, weights, participating places)."""
    prev = ctx.previous_summary(settings)
    from .. import reporting
    from . import data

    return lambda: build_notice(s, prev, thresholds, demo=ctx.demo, missing=reporting.missing(
        ctx.data_dir, data.areas(ctx.data_dir, ctx.key()), ctx.scope, ctx.as_of))


def pdf_button(notice: Callable[[], Notice], filename: str) -> None:
    try:
        fonts_available()
    except FontMissing as e:
        st.caption(str(e))
        return
    st.download_button("下载通报（PDF）", lambda: notice_pdf(notice()), filename, mime="application/pdf",
                       key="notice_pdf", icon=":material/picture_as_pdf:")


def docx_button(notice: Callable[[], Notice], filename: str) -> None:
    st.download_button("下载通报（Word）", lambda: notice_docx(notice()), filename,
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       key="notice_docx", icon=":material/description:")
