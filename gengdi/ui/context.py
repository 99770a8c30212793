"""The shared filters (city, month, optional as-of date) and the context every page reads.

The filters are drawn once per run by app.py in the sidebar; each widget has a key and is bound
to the URL's query parameters, so a copied link reopens the same city, month and date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from .. import clock, config, fmt, terms
from .. import metrics as M
from ..ingest import demo_cities
from ..ranking import RankSettings
from ..store import fingerprints, read_meta, version
from ..scope import BY_NOUNS, BY_OPTIONS, Scope
from .. import versions
from ..whatif import WhatIf
from ..safe import md
from . import data, widgets

_KEY = "_gengdi_context"


@dataclass(frozen=True)
class Context:
    data_dir: str
    fingerprints: tuple[tuple[str, str], ...]   # (table, fingerprint) of the store in force
    scope: Scope
    by: str            # what the pages rank: the scope's provinces, cities or units
    as_of: dt.date
    by_date: bool
    demo: bool

    def key(self, *tables: str) -> str:
        """The cache key of a result that reads ``tables`` (and the units, which every result reads)."""
        return key_of(dict(self.fingerprints), *tables)

    @property
    def all(self) -> str:
        """The cache key of a result that reads every table (summaries, rankings)."""
        return self.key("cultivated", "projects", "parcels", "tasks")

    @property
    def city(self) -> str:
        """The code of the place in view (a city, a province or the country)."""
        return self.scope.code

    @property
    def city_name(self) -> str:
        """The name of the place in view."""
        return self.scope.name

    @property
    def year(self) -> int:
        return self.as_of.year

    @property
    def month_label(self) -> str:
        return fmt.month_label(self.as_of)

    @property
    def as_of_label(self) -> str:
        return fmt.date_label(self.as_of)

    @property
    def noun(self) -> str:
        """县区 / 城市 / 省份: what the pages rank."""
        return BY_NOUNS[self.by]

    @property
    def leaf(self) -> bool:
        """The places shown are a city's county-level units: nothing below them to open."""
        return self.scope.level == "city" and self.by == "unit"

    @property
    def whole(self) -> str:
        """全国 / 全省 / 全市."""
        return self.scope.whole

    @property
    def computing(self) -> str:
        """The message shown while a ranking is computed (Streamlit shows it only after half a second:
        a cached or small ranking never flashes it)."""
        return f"正在计算{self.scope.name}各{self.noun}的{terms.RANKING}，请稍候……"

    def summary(self, as_of: dt.date | None = None, settings: RankSettings | None = None,
                whatif: WhatIf | None = None) -> dict:
        with st.spinner(self.computing):
            return data.summary(self.data_dir, self.all, self.scope, as_of or self.as_of,
                                settings or RankSettings.make(), whatif, self.by)

    def previous_summary(self, settings: RankSettings | None = None) -> dict:
        return self.summary(M.previous_month_end(self.as_of), settings)


def key_of(fingerprints: dict[str, str], *tables: str) -> str:
    return "-".join(fingerprints[t] for t in ("units", *tables))


def month_options(first_year: int, latest: dt.date) -> list[str]:
    """'YYYY-MM' from the latest month back to January of the first year."""
    out, y, m = [], latest.year, latest.month
    first_year = min(first_year, latest.year)
    while y >= first_year:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out


def _month_label(value: str) -> str:
    y, m = value.split("-")
    return f"{int(y)}年{int(m)}月"


ALL = ""  # the "whole" option of the province and city selectors


def _scope_filters(areas) -> tuple[Scope, str]:
    """The 省份 / 城市 selectors (only what the store needs) and 排名对象; returns (scope, by)."""
    provinces = areas[areas["level"] == "province"]
    cities = areas[areas["level"] == "city"]
    city_names = dict(zip(cities["code"], cities["name"]))
    if len(cities) == 1:
        code = cities["code"].iloc[0]
        return Scope("city", code, city_names[code]), "unit"
    prov_names = dict(zip(provinces["code"], provinces["name"]))
    province = None
    if len(provinces) > 1:
        province = widgets.selectbox("省份", [ALL, *provinces["code"]], key="province",
                                     format_func=lambda c: "全国（全部省份）" if c == ALL else prov_names.get(c, f"（{c}）"),
                                     help="选择省份查看全省；也可点击排名表或地图中的省份下钻")
        province = province if province in prov_names else None   # "" or a stale code: the country
    else:
        province = provinces["code"].iloc[0]
    in_province = cities if province is None else cities[cities["province"] == province]
    whole = "全国（全部城市）" if province is None else f"全省（{prov_names[province]}全部城市）"
    city = widgets.selectbox("城市", [ALL, *in_province["code"]], key="city",
                             format_func=lambda c: whole if c == ALL else f"{city_names.get(c, '')}（{c}）",
                             help="选择城市查看其县区；也可点击排名表或地图中的城市下钻")
    # a stale value (a city or province no longer in the store, kept in the session) is not an option:
    # Streamlit resets it, and these checks keep this run from using it meanwhile
    if city and city in set(in_province["code"]):
        scope = Scope("city", city, city_names[city])
    elif province is not None:
        scope = Scope("province", province, prov_names[province])
    else:
        scope = Scope.country()
    options = list(BY_OPTIONS[scope.level])
    by = scope.child
    if len(options) > 1:
        by = widgets.segmented("排名对象", options, key="by", default=scope.child, format_func=BY_NOUNS.get,
                               help=f"在{md(scope.name)}范围内排名的对象；各级数字均为所辖县区分子之和÷分母之和")
    return scope, by


def require_store() -> None:
    """Stop the run with a Chinese error, before anything reads data, when CURRENT names a version
    that is not there: never fall back to other (base, demo) data."""
    try:
        versions.current_id(config.data_dir())
    except versions.MissingVersion as e:
        st.error(f"无法打开数据：{e}", icon=":material/error:")
        st.stop()


def sidebar_filters() -> Context | None:
    """Draw the shared filters; returns None when the store holds no data."""
    data_dir = str(config.data_dir().resolve())
    prints = fingerprints(data_dir)
    data.sync(data_dir, version(data_dir, prints))
    areas = data.areas(data_dir, key_of(prints))
    st.session_state.pop(_KEY, None)
    if not (areas["level"] == "city").any():
        return None
    with st.sidebar:
        scope, by = _scope_filters(areas)
        rng = data.date_range(data_dir, key_of(prints, "cultivated", "projects", "parcels"), scope)
        if rng is None:
            return None
        first_year, latest = rng
        months = month_options(first_year, min(latest, clock.today()))   # never past this month
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
    demo = set(demo_cities(read_meta(data_dir)))
    cities = areas[areas["level"] == "city"]
    if scope.level == "city":
        in_scope = [scope.code]
    elif scope.level == "province":
        in_scope = cities.loc[cities["province"] == scope.code, "code"].tolist()
    else:
        in_scope = cities["code"].tolist()
    ctx = Context(data_dir=data_dir, fingerprints=tuple(sorted(prints.items())), scope=scope, by=by, as_of=as_of, by_date=by_date,
                  demo=bool(in_scope) and set(in_scope) <= demo)
    st.session_state[_KEY] = ctx
    return ctx


def drill(code: str, level: str) -> None:
    """Open a province, a city or a county-level unit's city: set the selectors (a callback)."""
    ctx = st.session_state.get(_KEY)
    if ctx is None or not code:
        return
    areas = data.areas(ctx.data_dir, ctx.key())
    row = areas[(areas["level"] == level) & (areas["code"] == code)]
    if row.empty:
        return
    r = row.iloc[0]
    if level == "province":
        st.session_state["province"] = code
        st.session_state["city"] = ALL
    else:
        city = code if level == "city" else r["city"]
        provinces = areas[areas["level"] == "province"]
        if len(provinces) > 1:
            st.session_state["province"] = r["province"]
        st.session_state["city"] = city
    st.session_state.pop("by", None)


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
