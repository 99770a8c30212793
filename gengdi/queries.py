"""One typed function per ``sql/*.sql`` file."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .db import Database


def cities(db: Database) -> pd.DataFrame:
    """code, name, units — every city in the store."""
    return db.query("cities")


def city_units(db: Database, city: str) -> pd.DataFrame:
    """code, name, lon, lat — the city's 县级 reporting units."""
    return db.query("city_units", city=city)


def data_year(db: Database, city: str, year: int) -> int | None:
    """The latest 耕地 年度 ≤ year with data for the city."""
    v = db.query("data_year", city=city, year=year)["data_year"].iloc[0]
    return None if pd.isna(v) else int(v)


def cultivated_units(db: Database, city: str, year: int) -> pd.DataFrame:
    """code, cultivated_mu, cultivated_target_mu, basic_farmland_mu, basic_farmland_target_mu,
    prev_cultivated_mu — one row per unit (nulls where the unit has no row)."""
    return db.query("cultivated_units", city=city, year=year)


def projects_units(db: Database, city: str, year: int, as_of: dt.date) -> pd.DataFrame:
    """code, category, total, guaranteed."""
    return db.query("projects_units", city=city, year=year, as_of=as_of)


def parcels_units(db: Database, city: str, year: int, as_of: dt.date) -> pd.DataFrame:
    """code, type, base_mu, disposed_mu."""
    return db.query("parcels_units", city=city, year=year, as_of=as_of)


def latest_date(db: Database, city: str) -> dt.date | None:
    """The latest guarantee or disposal date (or survey year end) of the city."""
    v = db.query("latest_date", city=city)["latest"].iloc[0]
    return None if pd.isna(v) else pd.Timestamp(v).date()
