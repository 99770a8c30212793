"""The summary of docs/口径.md: every unit's figures, ranks and composite, and the city's."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from . import metrics as M
from . import queries as Q
from . import tasks as T
from .db import Database
from .pace import scope_tasks
from .scope import BY_NOUNS, Scope, place_labels
from .ranking import RankSettings, city_from_units, rank_table, restrict_categories
from .whatif import WhatIf
from .whatif import apply as apply_whatif


class NoData(Exception):
    """The store holds nothing for the request (message in Chinese)."""


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


def resolve_scope(db: Database, scope: Scope | str | None) -> Scope:
    """A scope as given, or the city of a code (None = the only city in the store)."""
    if isinstance(scope, Scope):
        return scope
    code, name = resolve_city(db, scope)
    return Scope("city", code, name)


# ---------------------------------------------------------------------------- figures
Figures = tuple[int | None, dict[str, Any], dict[str, dict[str, Any]]]


def place_figures(db: Database, scope: Scope, by: str, dates: list[dt.date],
                  places: list[str] | None = None, brief: Iterable[dt.date] = ()) -> dict[dt.date, Figures]:
    """For every date: (data year, the scope's figures, {place code: figures}) — the places of
    level ``by`` in the scope. Three queries whatever the number of dates or places. For the dates
    in ``brief`` the place figures hold only what a ranking reads (:func:`metrics.rates`)."""
    brief = set(brief)
    dates = sorted(set(dates))
    if places is None:
        places = Q.children(db, scope, by)["code"].tolist()
    data_years = Q.data_years(db, scope, sorted({d.year for d in dates}))
    cult = Q.cultivated_scope(db, scope, by, sorted({d.year for d in dates}))
    if len(dates) == 2:   # the summary: this month and last, one pass over each table
        before, as_of = dates
        proj, parc = [], []
        for code, cat, total, guaranteed, total_b, guaranteed_b in Q.projects_pair(db, scope, by, as_of, before):
            if total:
                proj.append((as_of, code, cat, total, guaranteed))
            if total_b:
                proj.append((before, code, cat, total_b, guaranteed_b))
        for code, kind, base, disposed, base_b, disposed_b in Q.parcels_pair(db, scope, by, as_of, before):
            if base is not None:
                parc.append((as_of, code, kind, base, disposed))
            if base_b is not None:
                parc.append((before, code, kind, base_b, disposed_b))
    else:
        proj = Q.projects_scope(db, scope, by, dates)
        parc = Q.parcels_scope(db, scope, by, dates)

    wanted = set(places)
    # the sums of every place, as the three parts metrics.figures reads: cultivated (per as-of year,
    # shared by the dates of that year), projects per category and parcels per type (per date)
    cult_by_year: dict[int, dict[str, dict]] = {}
    for row in cult:
        if row[1] in wanted:
            cult_by_year.setdefault(row[0], {})[row[1]] = {k: (v or 0) for k, v in zip(M.CULTIVATED_SUMS, row[2:])}
    categories: dict[dt.date, set[str]] = {d: set() for d in dates}
    proj_by: dict[dt.date, dict[str, dict]] = {d: {} for d in dates}
    for d, code, cat, total, guaranteed in proj:
        categories[d].add(cat)
        if code in wanted:
            per = proj_by[d].get(code)
            if per is None:
                per = proj_by[d][code] = {}
            per[cat] = (total, guaranteed)
    parc_by: dict[dt.date, dict[str, dict]] = {d: {} for d in dates}
    for d, code, kind, base, disposed in parc:
        if code in wanted:
            per = parc_by[d].get(code)
            if per is None:
                per = parc_by[d][code] = {}
            per[kind] = (base, disposed)

    out = {}
    no_cult = M.empty_sums()["cultivated"]
    for d in dates:
        cy = cult_by_year.get(d.year, {})
        pd_, qd = proj_by[d], parc_by[d]
        sums = {code: {"cultivated": cy.get(code, no_cult), "projects": pd_.get(code, {}), "parcels": qd.get(code, {})}
                for code in places}
        if d in brief:   # ranks only: no scope total
            out[d] = (data_years[d.year], None, {code: M.rates(x) for code, x in sums.items()})
            continue
        cats = sorted(categories[d], key=M._category_order)
        total = M.empty_sums()
        for x in sums.values():
            M.add_sums(total, x)
        out[d] = (data_years[d.year], M.figures(total, cats), {code: M.figures(x, cats) for code, x in sums.items()})
    return out


def _composite(figures: Mapping[str, Mapping[str, Any]], settings: RankSettings) -> dict[str, int | None]:
    """Every place's composite rank (as :func:`rank_table` gives it, without the indicator ranks)."""
    w = M.normalize_weights(settings.weight_map)
    scores = {}
    for c, f in figures.items():
        if settings.units is None or c in settings.units:
            scores[c] = M.composite_score(restrict_categories(f, settings.categories), w, normalized=True)
    ranks = M.rank(scores)
    return {c: ranks.get(c) for c in figures}


def build_summary(
    db: Database,
    city: str | Scope | None,
    as_of: dt.date,
    weights: Mapping[str, float] | None = None,
    settings: RankSettings | None = None,
    whatif: WhatIf | None = None,
    by: str | None = None,
    pace_tolerance: float | None = None,
) -> dict[str, Any]:
    """The JSON summary of docs/口径.md as of a date: for a city (a code, or None for the
    only city), or for any :class:`Scope` — then ``units`` are the places of level ``by`` (default:
    the scope's provinces, cities or units) and ``city`` holds the scope's own figures.

    ``settings`` changes what the ranking counts (weights, categories, units); ``whatif`` applies a
    scenario to this month's figures (the previous month's ranks, for the change, stay actual).
    ``pace_tolerance``: how far (a fraction) below the time progress a task may be before it
    counts as 滞后 (default :data:`gengdi.tasks.DEFAULT_TOLERANCE`).
    """
    with db.snapshot():   # one version of the store for all the queries of this summary
        out = _build_summary(db, city, as_of, settings or RankSettings.make(weights), whatif, by)
        add_tasks(db, out, as_of, by, T.DEFAULT_TOLERANCE if pace_tolerance is None else pace_tolerance, whatif)
        return out


def task_rates_into(db: Database, scope: Scope, by: str, d: dt.date, figs: dict[str, dict[str, Any]]) -> None:
    """Put each place's 任务完成率 (:func:`gengdi.tasks.ranking_rate`) into its figures, for a
    ranking that weighs it."""
    per_place, _ = scope_tasks(db, scope, by, d, list(figs))
    for code, f in figs.items():
        f["task_rate"] = T.ranking_rate(per_place.get(code, {}))


def add_tasks(db: Database, out: dict[str, Any], as_of: dt.date, by: str | None,
              tolerance: float, whatif: WhatIf | None = None) -> None:
    """time_progress at the top; ``tasks`` ({indicator: figures}, only indicators with a task) on
    the scope and every place; under a what-if, the simulated unit's extra progress counts."""
    scope = resolve_scope(db, Scope(**{k: out["scope"][k] for k in ("level", "code", "name")})
                          if "scope" in out else out["city"]["code"])
    by = by or scope.child
    extra = None
    if whatif is not None and whatif.active and whatif.unit:
        extra = {whatif.unit: {"projects_rate": whatif.projects, "unsupplied_rate": whatif.unsupplied_mu,
                               "idle_rate": whatif.idle_mu}}
    per_place, whole = scope_tasks(db, scope, by, as_of, [u["code"] for u in out["units"]], tolerance, extra)
    attach_tasks(out, as_of, per_place, whole, tolerance)


def attach_tasks(out: dict[str, Any], as_of: dt.date, per_place: Mapping[str, Any], whole: Mapping[str, Any],
                 tolerance: float) -> None:
    """Put the task figures into a summary (shared by the DuckDB path and the pandas baseline)."""
    out["time_progress"] = T.time_progress(as_of)
    out["pace_tolerance"] = tolerance
    out["city"]["tasks"] = whole
    for u in out["units"]:
        u["tasks"] = per_place.get(u["code"], {})


def _build_summary(db: Database, city: str | Scope | None, as_of: dt.date, settings: RankSettings,
                   whatif: WhatIf | None, by: str | None) -> dict[str, Any]:
    scope = resolve_scope(db, city)
    by = by or scope.child
    places = Q.children(db, scope, by)
    if places.empty:
        noun = BY_NOUNS[by]
        raise NoData(f"{scope.name}（{scope.code}）没有{'县级单位' if by == 'unit' else noun}数据")
    codes = places["code"].tolist()
    previous_date = M.previous_month_end(as_of)
    both = place_figures(db, scope, by, [as_of, previous_date], codes, brief=[previous_date] if previous_date != as_of else [])
    if settings.weighs_tasks:
        for d in {as_of, previous_date}:
            task_rates_into(db, scope, by, d, both[d][2])
    out = assemble(scope, by, as_of, codes, places["name"].tolist(), both[as_of], both[previous_date][2],
                   settings, whatif)
    for u, text in zip(out["units"], place_labels(places, Q.areas(db))):
        if text != u["name"]:   # a name that repeats in this view: "开封市·鼓楼区"
            u["label"] = text
    return out


def assemble(scope: Scope, by: str, as_of: dt.date, codes: list[str], names: list[str], now: Figures,
             previous: Mapping[str, Mapping[str, Any]], settings: RankSettings,
             whatif: WhatIf | None = None) -> dict[str, Any]:
    """The summary from the figures of this month and last month's place figures (ranks,
    composite, change, what-if). Shared by the DuckDB path and the pandas baseline."""
    data_year, scope_fig, figs = now
    figs = {c: restrict_categories(f, settings.categories) for c, f in figs.items()}
    scope_fig = restrict_categories(scope_fig, settings.categories)
    if whatif is not None and whatif.active:
        figs = apply_whatif(figs, whatif)
        actual = scope_fig
        scope_fig = city_from_units(list(figs.values()))
        # a scenario moves targets and progress, never the land: the change stays the difference
        # of the scope's totals (not the sum of its units' own changes)
        for key in ("cultivated_change_mu", "cultivated_change_note"):
            scope_fig.pop(key, None)
            if key in actual:
                scope_fig[key] = actual[key]
    ranked = rank_table(figs, settings)
    before = _composite(previous, settings)
    out_units = []
    for code, name in zip(codes, names):
        r = ranked[code]
        out_units.append({
            "code": code,
            "name": name,
            **figs[code],
            "ranks": r["ranks"],
            "composite_score": r["composite_score"],
            "composite_rank": r["composite_rank"],
            "rank_change": M.rank_change(before.get(code), r["composite_rank"]),
        })
    out = {
        "as_of": as_of.isoformat(),
        "data_year": data_year,
        "city": {"code": scope.code, "name": scope.name, **scope_fig},
        "units": out_units,
        "weights": M.normalize_weights(settings.weight_map),
    }
    if settings.categories is not None:   # the guarantee rate counts these categories only
        out["categories"] = list(settings.categories)
    if scope.level != "city" or by != "unit":
        out["scope"] = {"level": scope.level, "code": scope.code, "name": scope.name, "by": by}
    return out


def rank_history(db: Database, city: str | Scope, as_of: dt.date, settings: RankSettings | None = None,
                 by: str | None = None) -> list[tuple[dt.date, dict[str, int | None]]]:
    """Composite ranks at the end of every month of the year up to ``as_of`` (the last entry is
    ``as_of`` itself), preceded by the end of the month before January."""
    scope = resolve_scope(db, city)
    settings = settings or RankSettings.make()
    dates = [M.month_end(as_of.year - 1, 12)] + [M.month_end(as_of.year, m) for m in range(1, as_of.month)] + [as_of]
    with db.snapshot():
        figs = place_figures(db, scope, by or scope.child, dates, brief=dates)
        if settings.weighs_tasks:
            for d in dates:
                task_rates_into(db, scope, by or scope.child, d, figs[d][2])
    return [(d, _composite(figs[d][2], settings)) for d in dates]


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


TASK_COLUMNS = ["task", "task_rate", "pace_gap", "behind_pace", "projected_year_end", "monthly_needed"]


def units_frame(summary: Mapping[str, Any]) -> pd.DataFrame:
    """The units of a summary as a flat table (ranks as rank_<indicator>, categories expanded)."""
    rows = []
    with_tasks = [ind for ind in T.BY_INDICATOR if any(ind in (u.get("tasks") or {}) for u in summary["units"])]
    for u in summary["units"]:
        row = {k: u[k] for k in UNIT_COLUMNS}
        for ind in with_tasks:   # 年度任务: empty where the unit has none (null, not 0)
            fig = (u.get("tasks") or {}).get(ind) or {}
            for k in TASK_COLUMNS:
                row[f"{k}_{ind}"] = fig.get(k)
        for ind in M.INDICATORS:
            row[f"rank_{ind}"] = u["ranks"][ind]
        for cat, f in u["projects_by_category"].items():
            row[f"projects_{cat}_total"] = f["total"]
            row[f"projects_{cat}_guaranteed"] = f["guaranteed"]
            row[f"projects_{cat}_rate"] = f["rate"]
        rows.append(row)
    return pd.DataFrame(rows)
