"""“数据已更新”: a page left open while an import or a rollback lands says so, instead of quietly
showing the old figures. A small fragment compares the store's fingerprints every few seconds
(a few file stats, no data read) with those the page was drawn from."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from ..store import fingerprints
from .context import Context

EVERY = dt.timedelta(seconds=15)


def stale(data_dir: str, drawn: tuple[tuple[str, str], ...]) -> bool:
    """Has the store in force changed since the page was drawn from ``drawn``?"""
    return tuple(sorted(fingerprints(data_dir).items())) != tuple(sorted(drawn))


@st.fragment(run_every=EVERY)
def _watch(data_dir: str, drawn: tuple[tuple[str, str], ...]) -> None:
    if not stale(data_dir, drawn):
        return
    with st.container(border=True):
        st.warning("数据已更新：有新的导入或撤销，本页显示的还是更新前的数字。", icon=":material/sync:")
        if st.button("刷新，显示新数据", key="gd_refresh", type="primary", icon=":material/refresh:"):
            st.rerun(scope="app")


def watch(ctx: Context) -> None:
    _watch(ctx.data_dir, ctx.fingerprints)
