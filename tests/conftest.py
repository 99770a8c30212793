from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from gengdi import schema as S
from gengdi.store import write_table

D = dt.date


def make_store(path: Path, units=None, cultivated=None, projects=None, parcels=None) -> Path:
    """Write a tiny store from lists of dicts (missing columns are null)."""
    for table, rows in ((S.UNITS, units), (S.CULTIVATED, cultivated), (S.PROJECTS, projects), (S.PARCELS, parcels)):
        if rows:
            df = pd.DataFrame(rows)
            for f in table.schema:
                if f.name not in df:
                    df[f.name] = None
            write_table(path, table, df)
    return path


TINY_UNITS = [
    {"code": "990100", "name": "测试市", "level": "市"},
    {"code": "990101", "name": "甲县", "level": "县级", "parent_code": "990100"},
    {"code": "990102", "name": "乙区", "level": "县级", "parent_code": "990100"},
    {"code": "990103", "name": "丙县", "level": "县级", "parent_code": "990100"},
]


def cult(year, code, c, ct, bf, bft):
    return {"year": year, "code": code, "cultivated_mu": c, "cultivated_target_mu": ct,
            "basic_farmland_mu": bf, "basic_farmland_target_mu": bft}


def proj(year, pid, code, cat, date):
    return {"year": year, "project_id": pid, "project_name": pid, "code": code, "category": cat,
            "area_mu": 10.0, "guaranteed_date": date}


def parcel(year, pid, code, kind, area, date=None, disposed=None):
    return {"task_year": year, "parcel_id": pid, "code": code, "type": kind, "approval_year": 2015,
            "area_mu": area, "disposal_date": date, "disposed_mu": disposed, "method": "供地" if date else None}


@pytest.fixture
def tiny_store(tmp_path: Path) -> Path:
    """Three units with figures small enough to check by hand (see test_summary.py)."""
    cultivated = [
        # 2022 and 2023 for 甲县 and 乙区; 丙县 has only 2022 (missing the data year)
        cult(2022, "990101", 1000.0, 900.0, 800.0, 800.0),
        cult(2023, "990101", 1010.0, 1000.0, 790.0, 800.0),
        cult(2022, "990102", 200.0, 250.0, 150.0, 100.0),
        cult(2023, "990102", 190.0, 250.0, 150.0, 100.0),
        cult(2022, "990103", 500.0, 400.0, 300.0, 300.0),
    ]
    projects = [
        # 2023: 甲县 3 projects (2 省重点, 1 市重点), 乙区 1 project, 丙县 none
        proj(2023, "P1", "990101", "省重点", D(2023, 1, 15)),
        proj(2023, "P2", "990101", "省重点", D(2023, 6, 30)),   # on the as-of date: counts
        proj(2023, "P3", "990101", "市重点", D(2023, 7, 1)),    # after: does not
        proj(2023, "P4", "990102", "市重点", D(2023, 3, 1)),
        # 2022 list: the previous year's ranking
        proj(2022, "P1", "990101", "省重点", None),
        proj(2022, "P2", "990102", "省重点", D(2022, 12, 31)),
    ]
    parcels = [
        parcel(2023, "A1", "990101", "批而未供", 100.0, D(2023, 2, 1), 60.0),
        parcel(2023, "A2", "990101", "批而未供", 50.0, D(2023, 7, 2), 50.0),
        parcel(2023, "A3", "990102", "批而未供", 30.0, D(2023, 6, 30), 30.0),
        parcel(2023, "B1", "990102", "闲置土地", 20.0, D(2023, 5, 5), 5.0),
        parcel(2023, "A4", "990103", "批而未供", 40.0),
    ]
    return make_store(tmp_path / "store", TINY_UNITS, cultivated, projects, parcels)


@pytest.fixture(scope="session")
def national_store(tmp_path_factory) -> Path:
    """A national-scale store (31 provinces, 342 cities, 2,837 units) with thin project and parcel
    lists, so that it is written in seconds."""
    from gengdi.scale import write_scale

    d = tmp_path_factory.mktemp("national")
    write_scale(d, "national", projects_per_unit_year=0.6, parcels_per_unit_year=1.2)
    return d
