"""Cached wrappers around the query layer.

The DuckDB root connection lives in ``st.cache_resource`` (one per data directory) and reloads
its tables when the store's version changes. Query results live in ``st.cache_data`` keyed by the
data directory and ``key``, the fingerprint of the tables the result reads
(:meth:`gengdi.ui.context.Context.key`): an import that rewrites the project table invalidates
the project curves and lists, and leaves the cultivated-land trends cached.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import maps, progress, views
from .. import queries as Q
from ..db import Database, freeze_long_lived
from .. import summary as summary_mod
from ..ranking import RankSettings
from ..scope import Scope
from ..store import version as store_version
from ..summary import build_summary
from ..whatif import WhatIf


@st.cache_resource(show_spinner=False)
def database(data_dir: str) -> Database:
    return Database(data_dir)


def _db(data_dir: str, version: str | None = None) -> Database:
    db = database(data_dir)
    db.ensure_current(version or store_version(data_dir))
    freeze_long_lived(db)
    return db


def sync(data_dir: str, version: str) -> None:
    """At the start of a run: load the store in force (``version``) if an import or rollback
    changed it, so the results of this run come from the tables its cache keys name."""
    _db(data_dir, version)


@st.cache_data(show_spinner=False, max_entries=64)
def cities(data_dir: str, key: str) -> pd.DataFrame:
    return Q.cities(_db(data_dir))


@st.cache_data(show_spinner=False, max_entries=16)
def areas(data_dir: str, key: str) -> pd.DataFrame:
    return Q.areas(_db(data_dir))


@st.cache_data(show_spinner=False, max_entries=64)
def children(data_dir: str, key: str, scope: Scope, by: str) -> pd.DataFrame:
    return Q.children(_db(data_dir), scope, by)


@st.cache_data(show_spinner=False, max_entries=64)
def date_range(data_dir: str, key: str, scope: Scope) -> tuple[int, dt.date] | None:
    return Q.date_range(_db(data_dir), scope)


@st.cache_data(show_spinner=False, max_entries=256)
def summary(data_dir: str, key: str, scope: Scope, as_of: dt.date, settings: RankSettings,
            whatif: WhatIf | None = None, by: str | None = None) -> dict:
    return build_summary(_db(data_dir), scope, as_of, settings=settings, whatif=whatif, by=by)


@st.cache_data(show_spinner=False, max_entries=64)
def rank_history(data_dir: str, key: str, scope: Scope, as_of: dt.date, settings: RankSettings,
                 by: str | None = None) -> list:
    return summary_mod.rank_history(_db(data_dir), scope, as_of, settings, by)


@st.cache_data(show_spinner=False, max_entries=64)
def cultivated_trend(data_dir: str, key: str, scope: Scope, by: str) -> pd.DataFrame:
    return Q.cultivated_trend(_db(data_dir), scope, by)


@st.cache_data(show_spinner=False, max_entries=64)
def guarantee_curve(data_dir: str, key: str, scope: Scope, ends: tuple[dt.date, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cumulative guarantee-rate curve at ``ends`` and its table of changes (shaped once)."""
    rows = Q.projects_scope(_db(data_dir), scope, scope.child, list(ends))
    curve = progress.guarantee_curve(pd.DataFrame(rows, columns=Q.PROGRESS_PROJECTS))
    return curve, progress.change_table(curve)


@st.cache_data(show_spinner=False, max_entries=64)
def disposal_curve(data_dir: str, key: str, scope: Scope, ends: tuple[dt.date, ...],
                   by_month: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cumulative disposal-rate curve at ``ends`` and its table of changes (shaped once)."""
    rows = Q.parcels_scope(_db(data_dir), scope, scope.child, list(ends))
    curve = progress.disposal_curve(pd.DataFrame(rows, columns=Q.PROGRESS_PARCELS), by_month)
    return curve, progress.change_table(curve)


def project_rows_all(data_dir: str, key: str, scope: Scope, year: int, as_of: dt.date, by: str,
                     places: tuple[str, ...], categories: tuple[str, ...], status: str,
                     limit: int | None = None) -> tuple[pd.DataFrame, int]:
    """(the project list as shown — filtered, ordered, Chinese headers — at most ``limit`` rows,
    the number of rows there are). Not cached: downloads call it for the whole list."""
    df = Q.project_list(_db(data_dir), scope, year, as_of, by, places, categories, status, limit)
    total = int(df["rows_total"].iloc[0]) if len(df) else 0
    return views.project_rows(df, year, as_of, with_city=scope.level != "city"), total


@st.cache_data(show_spinner=False, max_entries=64)
def project_rows(*args) -> tuple[pd.DataFrame, int]:
    """:func:`project_rows_all`, cached: the first rows a page shows."""
    return project_rows_all(*args)


def parcel_rows_all(data_dir: str, key: str, scope: Scope, year: int, as_of: dt.date, by: str,
                    places: tuple[str, ...], types: tuple[str, ...], limit: int | None = None) -> tuple[pd.DataFrame, int]:
    """(the parcel list as shown, at most ``limit`` rows, the number of rows there are). Not cached."""
    df = Q.parcel_list(_db(data_dir), scope, year, as_of, by, places, types, limit)
    total = int(df["rows_total"].iloc[0]) if len(df) else 0
    return views.parcel_rows(df, with_city=scope.level != "city"), total


@st.cache_data(show_spinner=False, max_entries=64)
def parcel_rows(*args) -> tuple[pd.DataFrame, int]:
    """:func:`parcel_rows_all`, cached: the first rows a page shows."""
    return parcel_rows_all(*args)


@st.cache_data(show_spinner=False, max_entries=64)
def disposal_methods(data_dir: str, key: str, scope: Scope, year: int, as_of: dt.date) -> pd.DataFrame:
    return Q.disposal_methods(_db(data_dir), scope, year, as_of)


@st.cache_data(show_spinner=False, max_entries=64)
def approval_years(data_dir: str, key: str, scope: Scope, year: int) -> pd.DataFrame:
    return Q.approval_years(_db(data_dir), scope, year)


@st.cache_data(show_spinner=False, max_entries=16)
def boundaries(data_dir: str, key: str, city: str) -> dict | None:
    return maps.load_boundaries(data_dir, city)
