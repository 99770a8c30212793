"""报送情况: which county-level units have reported for a month, and which have not — the ONE definition,
used by the 本月报送情况 block, the completeness gate of publishing and the 通报.

A unit has reported for month M when an import in the history of the store in force, made on or after
the first day of M (China time), changed one of its rows: the store then holds its ledger as sent in or
after that month (a ledger sent in October carries September's dates too). An import that changes
nothing writes no version and so does not count. The units of a city whose figures are still the
generated 示例数据 count as reported. Each report keeps the time, the files and who imported (the last
such import).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from . import clock, versions

DEMO = "示例数据"
RULE = ("报送 = 本月1日（北京时间）以来有一次导入改动了该单位的数据（次月初报送的台账也算）；内容与库中完全相同的导入"
        "不新建版本，不计入；仍为示例数据的城市视为已报送。")


def month_start(year: int, month: int) -> dt.datetime:
    """The first moment of a month in the bureau's zone."""
    return dt.datetime(year, month, 1, tzinfo=clock.zone())


def reports(data_dir: Path | str, year: int, month: int) -> dict[str, dict]:
    """unit code → its last import on or after the month began: {time, files, by, version}."""
    since = month_start(year, month)
    out: dict[str, dict] = {}
    for h in versions.history(Path(data_dir)):
        if h.get("kind") != "import":
            continue
        t = clock.parse(h["time"])
        if t < since:
            continue
        for code in h.get("reported", h.get("units", [])):
            out[code] = {"time": t, "files": "、".join(f["name"] for f in h.get("files", [])),
                         "by": h.get("by", "—（未记录）"), "version": h["id"]}
    return out


def _demo_cities(data_dir: Path | str) -> set[str]:
    from .ingest import demo_cities
    from .store import read_meta

    return set(demo_cities(read_meta(Path(data_dir))))


def status(data_dir: Path | str, units: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    """One row per unit of ``units`` (code, name, city or parent_code, city_name): reported or not, when,
    files, who."""
    rep = reports(data_dir, year, month)
    demo = _demo_cities(data_dir)
    rows = []
    for u in units.itertuples(index=False):
        r = rep.get(u.code)
        city = getattr(u, "city", None) or getattr(u, "parent_code", None)
        if r is None and city in demo:
            r = {"time": None, "files": DEMO, "by": DEMO}
        rows.append({"code": u.code, "name": u.name, "city_name": getattr(u, "city_name", ""),
                     "reported": r is not None,
                     "time": r["time"].strftime("%Y-%m-%d %H:%M") if r and r["time"] else "",
                     "files": r["files"] if r else "", "by": r["by"] if r else ""})
    return pd.DataFrame(rows, columns=["code", "name", "city_name", "reported", "time", "files", "by"])


def scope_units(a: pd.DataFrame, scope) -> pd.DataFrame:
    """The county-level units of a scope (``a``: the hierarchy of :func:`gengdi.queries.areas`), with
    their city's name, in city and code order."""
    units = a[a["level"] == "unit"]
    if scope.level == "city":
        units = units[units["city"] == scope.code]
    elif scope.level == "province":
        units = units[units["province"] == scope.code]
    cities = dict(zip(a.loc[a["level"] == "city", "code"], a.loc[a["level"] == "city", "name"]))
    return units.assign(city_name=[cities.get(c, "") for c in units["city"]]).sort_values(["city", "code"])


def missing(data_dir: Path | str, a: pd.DataFrame, scope, as_of: dt.date) -> list[str]:
    """The names of the scope's units that have not reported for ``as_of``'s month, with their city's
    name where the scope holds more than one city (names repeat across China)."""
    units = scope_units(a, scope)
    st = status(data_dir, units, as_of.year, as_of.month)
    many = units["city"].nunique() > 1
    return [f"{r.city_name}{r.name}" if many else r.name for r in st.itertuples() if not r.reported]


def missing_message(names: list[str], as_of: dt.date, most: int = 30) -> str:
    """"2024年9月尚未报送：…（共N个单位；以2024年9月1日以来导入的台账为准）" — the gate's and the notice's sentence."""
    from . import fmt

    more = f"等{len(names)}个单位" if len(names) > most else f"共{len(names)}个单位"
    return (f"{fmt.month_label(as_of)}尚未报送：{'、'.join(names[:most])}（{more}；"
            f"以{as_of.year}年{as_of.month}月1日以来导入的台账为准）")
