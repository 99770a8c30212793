"""The summary of spec/indicators.md: every unit's figures, ranks and composite, and the city's."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from . import metrics as M
from . import queries as Q
from .db import Database
from .ranking import RankSettings, city_from_units, rank_table, restrict_categories
from .whatif import WhatIf
from .whatif import apply as apply_whatif


class NoData(Exception):
    """The store holds nothing for the request (message in Chinese)."""


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (None if (v is None or (isinstance(v, float) and v != v) or v is pd.NA) else v)
         for k, v in row.items()}
        for row in df.to_dict("records")
    ]


def resolve_city(db: Database, city: str | None) -> tuple[str, str]:
    """(code, name) of the requested city, or of the only city in the store."""
    cities = Q.cities(db)
    if cities.empty:
        raise NoData(f"数据目录 {db.data_dir} 中没有区划数据")
    if city is None:
        if len(cities) > 1:
            names = "、".join(f"{r.code} {r.name}" for r in cities.itertuples())
            raise NoData(f"数据中有多个市，请用 --city 指定：{names}")
        row = cities.iloc[0]
    else:
        match = cities[cities["code"] == city]
        if match.empty:
            names = "、".join(f"{r.code} {r.name}" for r in cities.itertuples())
            raise NoData(f"未知的市级行政区划代码 {city}；数据中有：{names}")
        row = match.iloc[0]
    return str(row["code"]), str(row["name"])


def unit_figures(db: Database, city: str, as_of: dt.date) -> tuple[int | None, dict[str, Any], dict[str, dict[str, Any]]]:
    """(data year, city figures, {unit code: figures}) as of a date."""
    year = as_of.year
    units = Q.city_units(db, city)
    data_year = Q.data_year(db, city, year)
    cult = _records(Q.cultivated_units(db, city, data_year)) if data_year is not None else []
    proj = _records(Q.projects_units(db, city, year, as_of))
    parc = _records(Q.parcels_units(db, city, year, as_of))
    categories = sorted({r["category"] for r in proj}, key=M._category_order)
    by_unit = {}
    for code in units["code"]:
        by_unit[code] = M.aggregate(
            [r for r in cult if r["code"] == code],
            [r for r in proj if r["code"] == code],
            [r for r in parc if r["code"] == code],
            categories,
        )
    city_fig = M.aggregate(cult, proj, parc, categories)
    return data_year, city_fig, by_unit


def composite_ranks(db: Database, city: str, as_of: dt.date,
                    settings: RankSettings | None = None) -> dict[str, int | None]:
    """Every unit's composite rank as of a date (for the change since last month and streaks)."""
    settings = settings or RankSettings.make()
    _, _, units = unit_figures(db, city, as_of)
    units = {c: restrict_categories(f, settings.categories) for c, f in units.items()}
    return {c: r["composite_rank"] for c, r in rank_table(units, settings).items()}


def build_summary(
    db: Database,
    city: str | None,
    as_of: dt.date,
    weights: Mapping[str, float] | None = None,
    settings: RankSettings | None = None,
    whatif: WhatIf | None = None,
) -> dict[str, Any]:
    """The JSON summary of spec/indicators.md for a city as of a date.

    ``settings`` changes what the ranking counts (weights, categories, units); ``whatif`` applies a
    scenario to this month's figures (the previous month's ranks, for the change, stay actual).
    """
    settings = settings or RankSettings.make(weights)
    code, name = resolve_city(db, city)
    units = Q.city_units(db, code)
    if units.empty:
        raise NoData(f"{name}（{code}）没有县级单位数据")
    data_year, city_fig, figures = unit_figures(db, code, as_of)
    figures = {c: restrict_categories(f, settings.categories) for c, f in figures.items()}
    city_fig = restrict_categories(city_fig, settings.categories)
    if whatif is not None and whatif.active:
        figures = apply_whatif(figures, whatif)
        city_fig = city_from_units(list(figures.values()))
    ranked = rank_table(figures, settings)
    previous = composite_ranks(db, code, M.previous_month_end(as_of), settings)
    out_units = []
    for row in units.itertuples():
        r = ranked[row.code]
        out_units.append({
            "code": row.code,
            "name": row.name,
            **figures[row.code],
            "ranks": r["ranks"],
            "composite_score": r["composite_score"],
            "composite_rank": r["composite_rank"],
            "rank_change": M.rank_change(previous.get(row.code), r["composite_rank"]),
        })
    return {
        "as_of": as_of.isoformat(),
        "data_year": data_year,
        "city": {"code": code, "name": name, **city_fig},
        "units": out_units,
        "weights": M.normalize_weights(settings.weight_map),
    }


def rank_history(db: Database, city: str, as_of: dt.date, settings: RankSettings | None = None) -> list[tuple[dt.date, dict[str, int | None]]]:
    """Composite ranks at the end of every month of the year up to ``as_of`` (the last entry is
    ``as_of`` itself), preceded by the end of the month before January."""
    dates = [M.month_end(as_of.year - 1, 12)] + [M.month_end(as_of.year, m) for m in range(1, as_of.month)] + [as_of]
    return [(d, composite_ranks(db, city, d, settings)) for d in dates]


# ---------------------------------------------------------------------------- tables
UNIT_COLUMNS = [
    "code", "name",
    "cultivated_mu", "cultivated_target_mu", "cultivated_rate", "cultivated_change_mu", "cultivated_gap_mu",
    "basic_farmland_mu", "basic_farmland_target_mu", "basic_farmland_rate",
    "projects_total", "projects_guaranteed", "projects_rate",
    "unsupplied_mu", "unsupplied_disposed_mu", "unsupplied_rate",
    "idle_mu", "idle_disposed_mu", "idle_rate",
    "composite_score", "composite_rank", "rank_change",
]


def units_frame(summary: Mapping[str, Any]) -> pd.DataFrame:
    """The units of a summary as a flat table (ranks as rank_<indicator>, categories expanded)."""
    rows = []
    for u in summary["units"]:
        row = {k: u[k] for k in UNIT_COLUMNS}
        for ind in M.INDICATORS:
            row[f"rank_{ind}"] = u["ranks"][ind]
        for cat, f in u["projects_by_category"].items():
            row[f"projects_{cat}_total"] = f["total"]
            row[f"projects_{cat}_guaranteed"] = f["guaranteed"]
            row[f"projects_{cat}_rate"] = f["rate"]
        rows.append(row)
    return pd.DataFrame(rows)
