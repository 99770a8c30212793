"""The shared filters (city, month, optional as-of date) and the context every page reads.

The filters are drawn once per run by app.py in the sidebar; each widget has a key and is bound
to the URL's query parameters, so a copied link reopens the same city, month and date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from .. import config, fmt
from .. import metrics as M
from ..ingest import demo_cities
from ..ranking import RankSettings
from ..store import read_meta, version
from ..whatif import WhatIf
from . import data, widgets

_KEY = "_gengdi_context"


@dataclass(frozen=True)
class Context:
    data_dir: str
    version: str
    city: str
    city_name: str
    as_of: dt.date
    by_date: bool
    demo: bool

    @property
    def year(self) -> int:
        return self.as_of.year

    @property
    def month_label(self) -> str:
        return fmt.month_label(self.as_of)

    @property
    def as_of_label(self) -> str:
        return fmt.date_label(self.as_of)

    def summary(self, as_of: dt.date | None = None, settings: RankSettings | None = None,
                whatif: WhatIf | None = None) -> dict:
        return data.summary(self.data_dir, self.version, self.city, as_of or self.as_of,
                            settings or RankSettings.make(), whatif)

    def previous_summary(self, settings: RankSettings | None = None) -> dict:
        return self.summary(M.previous_month_end(self.as_of), settings)


def month_options(first_year: int, latest: dt.date) -> list[str]:
    """'YYYY-MM' from the latest month back to January of the first year."""
    out, y, m = [], latest.year, latest.month
    while y >= first_year:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out


def _month_label(value: str) -> str:
    y, m = value.split("-")
    return f"{int(y)}年{int(m)}月"


def sidebar_filters() -> Context | None:
    """Draw the shared filters; returns None when the store holds no data."""
    data_dir = str(config.data_dir().resolve())
    ver = version(data_dir)
    cities = data.cities(data_dir, ver)
    st.session_state.pop(_KEY, None)
    if cities.empty:
        return None
    codes = cities["code"].tolist()
    names = dict(zip(cities["code"], cities["name"]))
    with st.sidebar:
        if len(codes) > 1:
            city = widgets.selectbox("城市", codes, key="city", format_func=lambda c: f"{names[c]}（{c}）")
        else:
            city = codes[0]
        rng = data.date_range(data_dir, ver, city)
        if rng is None:
            return None
        first_year, latest = rng
        months = month_options(first_year, latest)
        month = widgets.selectbox("月份", months, key="month", format_func=_month_label,
                                  help="截至所选月份最后一天；默认是有数据的最近一个月")
        y, m = (int(p) for p in month.split("-"))
        chosen = widgets.date("截至日期（可选，用于周通报）", key="date", help="留空则截至月末")
    as_of = M.month_end(y, m)
    by_date = False
    if chosen is not None:
        if (chosen.year, chosen.month) == (y, m):
            as_of, by_date = chosen, True
        else:
            widgets.notice(f"截至日期 {chosen.isoformat()} 不在 {_month_label(month)} 内，已按月末计算。")
    meta = read_meta(data_dir)
    ctx = Context(data_dir=data_dir, version=ver, city=city, city_name=names[city], as_of=as_of,
                  by_date=by_date, demo=city in demo_cities(meta))
    st.session_state[_KEY] = ctx
    return ctx


def _leave_pages_directory_mode() -> bool:
    """Streamlit treats an app that has a ``pages/`` folder as a v1 multipage app until a run calls
    ``st.navigation``: a freshly started server's first visitor who opens a page's own URL (a
    shared link), and every AppTest rerun, would get that page run by itself, without app.py and
    its filters. During such a run the flag is still on (app.py, which switches it off, did not
    run): switch it off and say so, so that the page reruns through app.py."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        return True
    return False


def current() -> Context | None:
    """The context drawn by app.py for this run (None = empty store)."""
    if _leave_pages_directory_mode():
        st.rerun()
    return st.session_state.get(_KEY)
