"""Widgets that live in the URL, and the notices for link parameters that could not be used.

Every widget here is bound to the query parameter named by its key (``bind="query-params"``),
so a copied link reopens the same view. Streamlit silently drops a parameter it cannot use
(month 2099-99, weights "abc", an unknown unit); these wrappers check the link's raw values
first and say, in Chinese, what was ignored.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from ..safe import md

_STATE = "_gengdi_url"
# parameters that are not widgets but may appear in a link
KNOWN_EXTRA: set[str] = set()


def begin_run() -> None:
    """Called first by app.py on every run: read the link's raw parameters."""
    ctx = get_script_run_ctx()
    raw = parse_qs(ctx.query_string if ctx else "", keep_blank_values=True)
    st.session_state[_STATE] = {"raw": raw, "claimed": set(), "pending": [], "slot": None}


def _state() -> dict[str, Any]:
    if _STATE not in st.session_state:
        begin_run()
    return st.session_state[_STATE]


def notice(message: str) -> None:
    """A short notice at the top of the page (or held until the page header draws its slot)."""
    s = _state()
    if s["slot"] is not None:
        s["slot"].warning(md(message), icon=":material/link_off:")
    else:
        s["pending"].append(message)


def notice_slot() -> None:
    """Draw the place for notices (page header) and flush the ones already collected."""
    s = _state()
    s["slot"] = st.container()
    for m in s["pending"]:
        s["slot"].warning(md(m), icon=":material/link_off:")
    s["pending"] = []


def _check(key: str, label: str, valid: Callable[[str], bool]) -> None:
    s = _state()
    s["claimed"].add(key)
    values = s["raw"].get(key)
    if not values:
        return
    bad = [v for v in values if not valid(v)]
    if bad:
        shown = "、".join(f"“{v}”" for v in bad[:3])
        notice(f"链接中的{label} {shown} 无效，已忽略并使用默认值。")


def finish_run(page_paths: Sequence[str]) -> None:
    """After the first run of a session (the opened link): name and drop the link's parameters
    that no widget of the page knows, and a page path that does not exist. Also draws the share
    link (now that every widget has put its value into the URL)."""
    from . import share

    share.fill()
    if st.session_state.get("_gengdi_link_checked"):
        return
    st.session_state["_gengdi_link_checked"] = True
    s = _state()
    unknown = [k for k in s["raw"] if k not in s["claimed"] and k not in KNOWN_EXTRA]
    for k in unknown:
        if k in st.query_params:
            del st.query_params[k]
    if unknown:
        notice("链接中有本页不使用的参数 " + "、".join(unknown[:5]) + "，已忽略。")
    path = urlsplit(st.context.url or "").path.strip("/").split("/")[-1]
    base = (st.get_option("server.baseUrlPath") or "").strip("/").split("/")[-1]
    if path and path != base and path not in page_paths:
        notice(f"链接中的页面“{path}”不存在，已打开总览。")


# ---------------------------------------------------------------------------- widgets
def selectbox(label: str, options: Sequence[Any], key: str, format_func: Callable[[Any], str] = str,
              index: int | None = 0, container=st, what: str | None = None, **kw) -> Any:
    labels = {format_func(o) for o in options} | {str(o) for o in options}
    _check(key, what or f"“{label}”", lambda v: v in labels)
    return container.selectbox(label, options, index=index, format_func=format_func, key=key,
                               bind="query-params", **kw)


def multiselect(label: str, options: Sequence[Any], key: str, format_func: Callable[[Any], str] = str,
                container=st, what: str | None = None, **kw) -> list[Any]:
    labels = {format_func(o) for o in options} | {str(o) for o in options}
    _check(key, what or f"“{label}”", lambda v: v in labels or v == "")
    return container.multiselect(label, options, format_func=format_func, key=key, bind="query-params", **kw)


def segmented(label: str, options: Sequence[Any], key: str, default: Any,
              format_func: Callable[[Any], str] = str, container=st, **kw) -> Any:
    labels = {format_func(o) for o in options} | {str(o) for o in options}
    _check(key, f"“{label}”", lambda v: v in labels)
    value = container.segmented_control(label, options, default=default, format_func=format_func, key=key,
                                        bind="query-params", **kw)
    return default if value is None else value


def number(label: str, key: str, value: float, min_value: float, max_value: float, step: float,
           container=st, what: str | None = None, **kw) -> float:
    def valid(v: str) -> bool:
        try:
            x = float(v)
        except ValueError:
            return False
        return min_value <= x <= max_value

    _check(key, what or f"“{label}”", valid)
    return container.number_input(label, min_value=min_value, max_value=max_value, value=value, step=step,
                                  key=key, bind="query-params", **kw)


def date(label: str, key: str, container=st, **kw) -> dt.date | None:
    def valid(v: str) -> bool:
        if v == "":
            return True
        try:
            dt.date.fromisoformat(v)
        except ValueError:
            return False
        return True

    _check(key, f"“{label}”", valid)
    return container.date_input(label, value=None, key=key, bind="query-params", format="YYYY-MM-DD", **kw)


def reset(keys: Sequence[str], defaults: dict[str, Any] | None = None) -> Callable[[], None]:
    """A button callback that puts widgets back to their defaults (and so out of the URL). A
    widget whose state is only dropped keeps its value in the browser (and sends it back on the
    next rerun), and a bound query parameter cannot be deleted: a key with a value in
    ``defaults`` is set to it instead."""

    def callback() -> None:
        for k in keys:
            if defaults is not None and k in defaults:
                st.session_state[k] = defaults[k]
            else:
                st.session_state.pop(k, None)

    return callback


# ---------------------------------------------------------------------------- share link
def share_url(page_path: str) -> str:
    """The link that reopens this view: the page and every parameter now in the URL."""
    parts = urlsplit(st.context.url or "http://localhost:8501")
    base_path = (st.get_option("server.baseUrlPath") or "").strip("/")
    path = "/".join(p for p in (base_path, page_path) if p)
    query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    return f"{parts.scheme}://{parts.netloc}/{path}" + (f"?{query}" if query else "")


def share_link(page_path: str) -> None:
    """A visible “复制链接” control: the link (month held), what it shows, a copy button, a QR code."""
    from . import share

    share.render(page_path)
