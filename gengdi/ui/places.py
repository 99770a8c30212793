"""Under the page title, when the store holds more than one city: the trail 全国 › 河南省 › 焦作市
(each place above the one in view is a button that goes up to it — a phone has no sidebar in view)
and the place search (type 修武, get "焦作市·修武县", open it)."""
from __future__ import annotations

import html

import streamlit as st

from .. import places
from ..safe import md
from . import data
from .context import ALL, Context, drill

SEARCH_KEY = "gd_place_search"
FOUND_KEY = "_gd_place_found"
CSS = """<style>
.st-key-gd-trail {gap:0 !important; row-gap:0 !important; margin:-0.4rem 0 0.2rem 0;}
.st-key-gd-trail button {padding:0 2px !important; min-height:1.9rem; color:#1d6b3a; text-decoration:underline;}
.st-key-gd-trail p {margin:0; font-size:0.95rem;}
.st-key-gd-trail .gd-here {font-weight:600;}
</style>"""


def _go(level: str, code: str, several_provinces: bool) -> None:
    """Go up to the country or a province (a button's callback: the selectors are set before the run)."""
    if level == "country":
        st.session_state["province"] = ALL
        st.session_state["city"] = ALL
        st.session_state.pop("by", None)
    elif several_provinces:
        drill(code, "province")
    else:   # a one-province store has no province selector: the whole is "no city"
        st.session_state["city"] = ALL
        st.session_state.pop("by", None)


def _open(place: places.Place) -> None:
    st.session_state[SEARCH_KEY] = ""
    if place.level == "unit":
        st.session_state[FOUND_KEY] = place.name
    drill(place.code, place.level)


def nav(ctx: Context) -> None:
    areas = data.areas(ctx.data_dir, ctx.key())
    steps = places.trail(areas, ctx.scope)
    if not steps:
        return
    several = (areas["level"] == "province").sum() > 1
    st.html(CSS)
    trail = st.container(horizontal=True, key="gd-trail", vertical_alignment="center", gap=None)
    with trail:
        for i, p in enumerate(steps if len(steps) > 1 else []):   # the widest place: nothing to go up to
            if i:
                st.markdown("›")
            if i == len(steps) - 1:
                st.html(f'<span class="gd-here">{html.escape(p.name)}</span>')
            else:
                st.button(md(p.name), key=f"gd_up_{p.level}_{p.code}", type="tertiary", on_click=_go,
                          args=(p.level, p.code, several), help=md(f"回到{p.name}"))
    found = st.session_state.pop(FOUND_KEY, None)
    if found:
        st.caption(md(f"已打开{found.split(places.SEP)[-1]}所在的{ctx.city_name}。"))
    query = st.text_input("搜索地名", key=SEARCH_KEY, placeholder="搜索地名：输入县、市或省名，如 修武",
                          label_visibility="collapsed", icon=":material/search:")
    if not query.strip():
        return
    hits, total = places.search(places.search_options(areas), query)
    if not hits:
        st.caption(md(f"没有名称含“{query.strip()}”的地方。"))
        return
    with st.container(key="gd-search-hits"):
        for p in hits:
            st.button(md(p.name), key=f"gd_hit_{p.level}_{p.code}", on_click=_open, args=(p,), icon=":material/place:")
        if total > len(hits):
            st.caption(f"共 {total:,} 个，只列前 {len(hits)} 个，请多输入几个字。")

