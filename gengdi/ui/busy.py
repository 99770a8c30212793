"""The page run behind the admission gate (:mod:`gengdi.admission`): while the run waits for its
turn the viewer sees "正在加载，访问人数较多", not a blank page."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from .. import admission

WAITING = "正在加载，访问人数较多，请稍候……"
FULL = "访问人数较多，页面暂时无法打开，请稍后刷新。"
# Streamlit's running indicator carries an English "Stop" button (a viewer has nothing to stop):
# only the running figure stays; the wait is explained by the note above, in Chinese
STYLE = '<style>[data-testid="stStatusWidget"] button {display:none;}</style>'


@contextmanager
def admitted(ctx) -> Iterator[None]:
    heavy = ctx is not None and admission.is_heavy(ctx.scope.level, ctx.by)
    st.html(STYLE)
    note = st.empty()

    def on_wait() -> None:
        note.info(WAITING, icon=":material/hourglass_top:")

    try:
        with admission.gate().admitted(heavy=heavy, on_wait=on_wait):
            note.empty()
            yield
    except admission.Full:
        note.warning(FULL, icon=":material/hourglass_disabled:")
        st.stop()
