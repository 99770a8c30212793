"""The 年度任务 figures of a scope from the store: three queries (tasks, disposal, projects),
then :mod:`gengdi.tasks` does the arithmetic. Nothing is queried beyond the tasks when the scope
has none for the year."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from . import metrics as M
from . import queries as Q
from . import tasks as T
from .db import Database
from .scope import Scope

_PARCEL_KIND = {"unsupplied_rate": M.UNSUPPLIED, "idle_rate": M.IDLE}


def unit_tasks(db: Database, scope: Scope, as_of: dt.date,
               extra: Mapping[str, Mapping[str, float]] | None = None) -> tuple[dict[str, dict[str, T.UnitTask]], dict[str, tuple[str, str]]]:
    """({unit code: {indicator: UnitTask}}, {unit code: (city, province)}) for the year of ``as_of``.
    ``extra``: {unit code: {indicator: amount}} added to what is done (a what-if), up to the list."""
    rows = Q.tasks_scope(db, scope, as_of.year)
    if not rows:
        return {}, {}
    where = {code: (city, prov) for code, city, prov, _, _ in rows}
    cities = {c for c, _ in where.values()}
    # the lists are read for the cities that have tasks only (a country with one city's tasks
    # reads one city)
    sub = Scope("city", next(iter(cities)), "") if len(cities) == 1 else scope
    then = T.same_day_last_year(as_of)
    last_end = dt.date(as_of.year - 1, 12, 31)
    ends = sorted({as_of, then, last_end})
    parc: dict[tuple[dt.date, str, str], tuple[float, float]] = {}
    proj: dict[tuple[dt.date, str], list[int]] = {}
    kinds = {T.TASK_INDICATORS[ind][0] for *_, ind, _ in rows if ind in T.TASK_INDICATORS}
    if kinds & set(_PARCEL_KIND):
        for d, code, kind, base, disposed in Q.parcels_scope(db, sub, "unit", ends):
            if code in where:
                parc[(d, code, kind)] = (float(base or 0), float(disposed or 0))
    if "projects_rate" in kinds:
        for d, code, _cat, total, guaranteed in Q.projects_scope(db, sub, "unit", ends):
            if code in where:
                cur = proj.setdefault((d, code), [0, 0])
                cur[0] += int(total)
                cur[1] += int(guaranteed)
    out: dict[str, dict[str, T.UnitTask]] = {}
    for code, _city, _prov, name, target in rows:
        if name not in T.TASK_INDICATORS or target is None:
            continue
        ind, kind = T.TASK_INDICATORS[name]
        if kind == "area":
            k = _PARCEL_KIND[ind]
            base, done = parc.get((as_of, code, k), (0.0, 0.0))
            last_end_v = parc.get((last_end, code, k), (0.0, 0.0))[1]
            last_then_v = parc.get((then, code, k), (0.0, 0.0))[1]
            has_last = (last_end, code, k) in parc
        else:
            base, done = proj.get((as_of, code), (0, 0))
            last_end_v = proj.get((last_end, code), (0, 0))[1]
            last_then_v = proj.get((then, code), (0, 0))[1]
            has_last = (last_end, code) in proj
        more = float(((extra or {}).get(code) or {}).get(ind) or 0)
        if more:
            done = max(0.0, min(float(base), float(done) + more))
        out.setdefault(code, {})[ind] = T.UnitTask(kind, float(target), float(done), float(base),
                                                   last_then_v if has_last else None,
                                                   last_end_v if has_last else None)
    return out, where


def scope_tasks(db: Database, scope: Scope, by: str, as_of: dt.date, places: Iterable[str],
                tolerance: float = T.DEFAULT_TOLERANCE, extra: Mapping[str, Mapping[str, float]] | None = None
                ) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """({place: {indicator: figures}}, {indicator: figures} of the scope) — places of level ``by``."""
    per_unit, where = unit_tasks(db, scope, as_of, extra)
    if by == "unit":
        place_of = {c: c for c in per_unit}
    else:
        place_of = {c: (where[c][0] if by == "city" else where[c][1]) for c in per_unit}
    return T.task_figures(per_unit, place_of, list(places), as_of, tolerance)
