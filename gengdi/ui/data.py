"""Cached wrappers around the query layer.

The DuckDB root connection lives in ``st.cache_resource`` (one per data directory); query
results live in ``st.cache_data`` keyed by the data directory and the store's version, so an
import that rewrites a table invalidates exactly the results read from the old files.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import maps, progress, views
from .. import queries as Q
from ..db import Database
from .. import summary as summary_mod
from ..ranking import RankSettings
from ..scope import Scope
from ..summary import build_summary
from ..whatif import WhatIf


@st.cache_resource(show_spinner=False)
def database(data_dir: str) -> Database:
    return Database(data_dir)


def _db(data_dir: str, version: str) -> Database:
    db = database(data_dir)
    if getattr(db, "_version", None) != version:
        db.refresh()
        db._version = version
    return db


@st.cache_data(show_spinner=False, max_entries=64)
def cities(data_dir: str, version: str) -> pd.DataFrame:
    return Q.cities(_db(data_dir, version))


@st.cache_data(show_spinner=False, max_entries=16)
def areas(data_dir: str, version: str) -> pd.DataFrame:
    return Q.areas(_db(data_dir, version))


@st.cache_data(show_spinner=False, max_entries=64)
def children(data_dir: str, version: str, scope: Scope, by: str) -> pd.DataFrame:
    return Q.children(_db(data_dir, version), scope, by)


@st.cache_data(show_spinner=False, max_entries=64)
def date_range(data_dir: str, version: str, scope: Scope) -> tuple[int, dt.date] | None:
    return Q.date_range(_db(data_dir, version), scope)


@st.cache_data(show_spinner=False, max_entries=256)
def summary(data_dir: str, version: str, scope: Scope, as_of: dt.date, settings: RankSettings,
            whatif: WhatIf | None = None, by: str | None = None) -> dict:
    return build_summary(_db(data_dir, version), scope, as_of, settings=settings, whatif=whatif, by=by)


@st.cache_data(show_spinner=False, max_entries=64)
def rank_history(data_dir: str, version: str, scope: Scope, as_of: dt.date, settings: RankSettings,
                 by: str | None = None) -> list:
    return summary_mod.rank_history(_db(data_dir, version), scope, as_of, settings, by)


@st.cache_data(show_spinner=False, max_entries=64)
def cultivated_trend(data_dir: str, version: str, scope: Scope, by: str) -> pd.DataFrame:
    return Q.cultivated_trend(_db(data_dir, version), scope, by)


@st.cache_data(show_spinner=False, max_entries=64)
def projects_progress(data_dir: str, version: str, scope: Scope, ends: tuple[dt.date, ...]) -> pd.DataFrame:
    """end_date, category, total, guaranteed — the scope's totals at each date."""
    df = pd.DataFrame(Q.projects_scope(_db(data_dir, version), scope, scope.child, list(ends)),
                      columns=Q.PROGRESS_PROJECTS)
    return df.groupby(["end_date", "category"], as_index=False)[["total", "guaranteed"]].sum()


@st.cache_data(show_spinner=False, max_entries=64)
def parcels_progress(data_dir: str, version: str, scope: Scope, ends: tuple[dt.date, ...]) -> pd.DataFrame:
    """end_date, type, base_mu, disposed_mu — the scope's totals at each date."""
    df = pd.DataFrame(Q.parcels_scope(_db(data_dir, version), scope, scope.child, list(ends)),
                      columns=Q.PROGRESS_PARCELS)
    return df.groupby(["end_date", "type"], as_index=False)[["base_mu", "disposed_mu"]].sum()


@st.cache_data(show_spinner=False, max_entries=64)
def guarantee_curve(data_dir: str, version: str, scope: Scope, ends: tuple[dt.date, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cumulative guarantee-rate curve at ``ends`` and its table of changes (shaped once)."""
    curve = progress.guarantee_curve(projects_progress(data_dir, version, scope, ends))
    return curve, progress.change_table(curve)


@st.cache_data(show_spinner=False, max_entries=64)
def disposal_curve(data_dir: str, version: str, scope: Scope, ends: tuple[dt.date, ...],
                   by_month: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cumulative disposal-rate curve at ``ends`` and its table of changes (shaped once)."""
    curve = progress.disposal_curve(parcels_progress(data_dir, version, scope, ends), by_month)
    return curve, progress.change_table(curve)


@st.cache_data(show_spinner=False, max_entries=64)
def project_rows(data_dir: str, version: str, scope: Scope, year: int, as_of: dt.date, by: str,
                 places: tuple[str, ...], categories: tuple[str, ...], status: str) -> pd.DataFrame:
    """The project list as shown (filtered, ordered, Chinese headers)."""
    rows = views.filter_list(project_list(data_dir, version, scope, year, as_of), places, "category", categories, by)
    return views.project_rows(rows, year, as_of, status, with_city=scope.level != "city")


@st.cache_data(show_spinner=False, max_entries=64)
def parcel_rows(data_dir: str, version: str, scope: Scope, year: int, as_of: dt.date, by: str,
                places: tuple[str, ...], types: tuple[str, ...]) -> pd.DataFrame:
    """The parcel list as shown (filtered, ordered, Chinese headers)."""
    rows = views.filter_list(parcel_list(data_dir, version, scope, year, as_of), places, "type", types, by)
    return views.parcel_rows(rows, with_city=scope.level != "city")


@st.cache_data(show_spinner=False, max_entries=64)
def disposal_methods(data_dir: str, version: str, scope: Scope, year: int, as_of: dt.date) -> pd.DataFrame:
    return Q.disposal_methods(_db(data_dir, version), scope, year, as_of)


@st.cache_data(show_spinner=False, max_entries=32)
def project_list(data_dir: str, version: str, scope: Scope, year: int, as_of: dt.date) -> pd.DataFrame:
    return Q.project_list(_db(data_dir, version), scope, year, as_of)


@st.cache_data(show_spinner=False, max_entries=32)
def parcel_list(data_dir: str, version: str, scope: Scope, year: int, as_of: dt.date) -> pd.DataFrame:
    return Q.parcel_list(_db(data_dir, version), scope, year, as_of)


@st.cache_data(show_spinner=False, max_entries=64)
def approval_years(data_dir: str, version: str, scope: Scope, year: int) -> pd.DataFrame:
    return Q.approval_years(_db(data_dir, version), scope, year)


@st.cache_data(show_spinner=False, max_entries=16)
def boundaries(data_dir: str, version: str, city: str) -> dict | None:
    return maps.load_boundaries(data_dir, city)
