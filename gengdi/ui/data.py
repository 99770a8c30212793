"""Cached wrappers around the query layer.

The DuckDB root connection lives in ``st.cache_resource`` (one per data directory); query
results live in ``st.cache_data`` keyed by the data directory and the store's version, so an
import that rewrites a table invalidates exactly the results read from the old files.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import maps
from .. import queries as Q
from ..db import Database
from .. import summary as summary_mod
from ..ranking import RankSettings
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


@st.cache_data(show_spinner=False, max_entries=64)
def city_units_frame(data_dir: str, version: str, city: str) -> pd.DataFrame:
    return Q.city_units(_db(data_dir, version), city)


@st.cache_data(show_spinner=False, max_entries=64)
def date_range(data_dir: str, version: str, city: str) -> tuple[int, dt.date] | None:
    return Q.date_range(_db(data_dir, version), city)


@st.cache_data(show_spinner=False, max_entries=256)
def summary(data_dir: str, version: str, city: str, as_of: dt.date, settings: RankSettings,
            whatif: WhatIf | None = None) -> dict:
    return build_summary(_db(data_dir, version), city, as_of, settings=settings, whatif=whatif)


@st.cache_data(show_spinner=False, max_entries=64)
def rank_history(data_dir: str, version: str, city: str, as_of: dt.date, settings: RankSettings) -> list:
    return summary_mod.rank_history(_db(data_dir, version), city, as_of, settings)


@st.cache_data(show_spinner=False, max_entries=64)
def cultivated_trend(data_dir: str, version: str, city: str) -> pd.DataFrame:
    return Q.cultivated_trend(_db(data_dir, version), city)


@st.cache_data(show_spinner=False, max_entries=64)
def projects_progress(data_dir: str, version: str, city: str, year: int, ends: tuple[dt.date, ...]) -> pd.DataFrame:
    return Q.projects_progress(_db(data_dir, version), city, year, list(ends))


@st.cache_data(show_spinner=False, max_entries=64)
def parcels_progress(data_dir: str, version: str, city: str, year: int, ends: tuple[dt.date, ...]) -> pd.DataFrame:
    return Q.parcels_progress(_db(data_dir, version), city, year, list(ends))


@st.cache_data(show_spinner=False, max_entries=64)
def disposal_methods(data_dir: str, version: str, city: str, year: int, as_of: dt.date) -> pd.DataFrame:
    return Q.disposal_methods(_db(data_dir, version), city, year, as_of)


@st.cache_data(show_spinner=False, max_entries=64)
def project_list(data_dir: str, version: str, city: str, year: int, as_of: dt.date) -> pd.DataFrame:
    return Q.project_list(_db(data_dir, version), city, year, as_of)


@st.cache_data(show_spinner=False, max_entries=64)
def parcel_list(data_dir: str, version: str, city: str, year: int, as_of: dt.date) -> pd.DataFrame:
    return Q.parcel_list(_db(data_dir, version), city, year, as_of)


@st.cache_data(show_spinner=False, max_entries=64)
def approval_years(data_dir: str, version: str, city: str, year: int) -> pd.DataFrame:
    return Q.approval_years(_db(data_dir, version), city, year)


@st.cache_data(show_spinner=False, max_entries=16)
def boundaries(data_dir: str, version: str, city: str) -> dict | None:
    return maps.load_boundaries(data_dir, city)
