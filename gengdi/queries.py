"""One typed function per ``sql/*.sql`` file.

Scoped queries take a :class:`~gengdi.scope.Scope` (the country, a province or a city) and
``by``, the level of the places they report on (``province``, ``city`` or ``unit``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from .db import Database
from .scope import Scope


def cities(db: Database) -> pd.DataFrame:
    """code, name, province, units — every city in the store."""
    return db.query("cities")


def areas(db: Database) -> pd.DataFrame:
    """level (province | city | unit), code, name, city, province, lon, lat — the hierarchy."""
    return db.query("areas")


def children(db: Database, scope: Scope, by: str) -> pd.DataFrame:
    """code, name, city, province, lon, lat — the places of level ``by`` within the scope
    (a filter of :func:`areas`, which the database keeps for the version in force)."""
    a = areas(db)
    keep = a["level"] == by
    if scope.level == "city":
        keep &= a["city"] == scope.code
    elif scope.level == "province":
        keep &= a["province"] == scope.code
    return a.loc[keep, ["code", "name", "city", "province", "lon", "lat"]].reset_index(drop=True)


def data_years(db: Database, scope: Scope, years: list[int]) -> dict[int, int | None]:
    """For each year: the latest 耕地 年度 ≤ it that the scope has data for (None = none). In a
    province or the country each city is counted at its own latest year (cultivated_scope); this
    is the most recent of them, the year the page names."""
    have = db.query("cultivated_years")
    if scope.level == "city":
        have = have[have["city"] == scope.code]
    elif scope.level == "province":
        have = have[have["province"] == scope.code]
    known = sorted(set(int(y) for y in have["year"]))
    return {y: max((k for k in known if k <= y), default=None) for y in years}


def cultivated_scope(db: Database, scope: Scope, by: str, years: list[int]) -> list[tuple]:
    """Rows (year, code, *metrics.CULTIVATED_SUMS) — per as-of year and place, each city at its own
    data year (and the year before it, for the change)."""
    return db.rows("cultivated_scope", by=by, years=[int(y) for y in years], **scope.params())


def projects_scope(db: Database, scope: Scope, by: str, ends: list[dt.date]) -> list[tuple]:
    """Rows (end_date, code, category, total, guaranteed) — per date of ``ends`` (the list of its year)."""
    return db.rows("projects_scope", by=by, ends=list(ends), **scope.params())


def parcels_scope(db: Database, scope: Scope, by: str, ends: list[dt.date]) -> list[tuple]:
    """Rows (end_date, code, type, base_mu, disposed_mu) — per date of ``ends`` (the 任务年度 of its year)."""
    return db.rows("parcels_scope", by=by, ends=list(ends), **scope.params())


def projects_pair(db: Database, scope: Scope, by: str, as_of: dt.date, before: dt.date) -> list[tuple]:
    """Rows (code, category, total, guaranteed, total_before, guaranteed_before): the summary's two
    dates in one pass (each counted on the list of its own year)."""
    return db.rows("projects_pair", by=by, as_of=as_of, before=before, **scope.params())


def parcels_pair(db: Database, scope: Scope, by: str, as_of: dt.date, before: dt.date) -> list[tuple]:
    """Rows (code, type, base_mu, disposed_mu, base_before_mu, disposed_before_mu): the summary's two
    dates in one pass (each on the task list of its own year; a base is None where there is none)."""
    return db.rows("parcels_pair", by=by, as_of=as_of, before=before, **scope.params())


PROGRESS_PROJECTS = ["end_date", "code", "category", "total", "guaranteed"]
PROGRESS_PARCELS = ["end_date", "code", "type", "base_mu", "disposed_mu"]


def date_range(db: Database, scope: Scope) -> tuple[int, dt.date] | None:
    """(first year with any data, latest guarantee/disposal date or survey year end)."""
    row = db.query("date_range", **scope.params()).iloc[0]
    if pd.isna(row["first_year"]) or pd.isna(row["latest"]):
        return None
    return int(row["first_year"]), pd.Timestamp(row["latest"]).date()


def cultivated_trend(db: Database, scope: Scope, by: str) -> pd.DataFrame:
    """year, code, cultivated_mu, cultivated_target_mu, basic_farmland_mu, basic_farmland_target_mu,
    occupied_mu, supplemented_mu — every place of level ``by``, every year."""
    return db.query("cultivated_trend", by=by, **scope.params())


def disposal_methods(db: Database, scope: Scope, year: int, as_of: dt.date) -> pd.DataFrame:
    """type, method, parcels, disposed_mu."""
    return db.query("disposal_methods", year=year, as_of=as_of, **scope.params())


def project_list(db: Database, scope: Scope, year: int, as_of: dt.date, by: str = "unit",
                 places: Sequence[str] = (), categories: Sequence[str] = (), status: str = "全部",
                 limit: int | None = None) -> pd.DataFrame:
    """rows_total, project_id, project_name, code, unit, city, province, city_name, category, area_mu,
    guaranteed_date, guaranteed — not yet guaranteed first; ``places`` are codes of level ``by``."""
    return db.query("project_list", year=year, as_of=as_of, by=by, places=list(places),
                    categories=list(categories), status=status, limit=limit, **scope.params())


def parcel_list(db: Database, scope: Scope, year: int, as_of: dt.date, by: str = "unit",
                places: Sequence[str] = (), types: Sequence[str] = (), limit: int | None = None) -> pd.DataFrame:
    """rows_total, parcel_id, code, unit, city, province, city_name, type, approval_year, area_mu,
    disposal_date, disposed_mu, method — undisposed first; ``places`` are codes of level ``by``."""
    return db.query("parcel_list", year=year, as_of=as_of, by=by, places=list(places), types=list(types),
                    limit=limit, **scope.params())


def approval_years(db: Database, scope: Scope, year: int) -> pd.DataFrame:
    """type, first_year, last_year, parcels, base_mu — the base of the disposal rates."""
    return db.query("approval_years", year=year, **scope.params())


def tasks_scope(db: Database, scope: Scope, year: int) -> list[tuple]:
    """Rows (code, city, province, indicator, target) — the 年度任务 of ``year`` of the scope's units."""
    return db.rows("tasks_scope", year=int(year), **scope.params())
