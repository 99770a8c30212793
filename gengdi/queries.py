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


def date_range(db: Database, city: str) -> tuple[int, dt.date] | None:
    """(first year with any data, latest guarantee/disposal date or survey year end)."""
    row = db.query("date_range", city=city).iloc[0]
    if pd.isna(row["first_year"]) or pd.isna(row["latest"]):
        return None
    return int(row["first_year"]), pd.Timestamp(row["latest"]).date()


def cultivated_trend(db: Database, city: str) -> pd.DataFrame:
    """year, code, name, cultivated_mu, cultivated_target_mu, basic_farmland_mu,
    basic_farmland_target_mu, occupied_mu, supplemented_mu — every unit, every year."""
    return db.query("cultivated_trend", city=city)


def projects_progress(db: Database, city: str, year: int, ends: list[dt.date]) -> pd.DataFrame:
    """end_date, code, category, total, guaranteed — for each date of ``ends``."""
    return db.query("projects_progress", city=city, year=year, ends=list(ends))


def parcels_progress(db: Database, city: str, year: int, ends: list[dt.date]) -> pd.DataFrame:
    """end_date, code, type, base_mu, disposed_mu — for each date of ``ends``."""
    return db.query("parcels_progress", city=city, year=year, ends=list(ends))


def disposal_methods(db: Database, city: str, year: int, as_of: dt.date) -> pd.DataFrame:
    """type, method, parcels, disposed_mu."""
    return db.query("disposal_methods", city=city, year=year, as_of=as_of)


def project_list(db: Database, city: str, year: int, as_of: dt.date) -> pd.DataFrame:
    """project_id, project_name, code, unit, category, area_mu, guaranteed_date, guaranteed."""
    return db.query("project_list", city=city, year=year, as_of=as_of)


def parcel_list(db: Database, city: str, year: int, as_of: dt.date) -> pd.DataFrame:
    """parcel_id, code, unit, type, approval_year, area_mu, disposal_date, disposed_mu, method."""
    return db.query("parcel_list", city=city, year=year, as_of=as_of)


def approval_years(db: Database, city: str, year: int) -> pd.DataFrame:
    """type, first_year, last_year, parcels, base_mu — the base of the disposal rates."""
    return db.query("approval_years", city=city, year=year)
