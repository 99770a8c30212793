"""The synthetic province and national stores (gengdi/scale.py).

Row-level checks run on the national layout with tiny list densities; the statistical checks
on the province store at full density (≈ 34,000 projects, 78,000 parcels). The full national
volume is checked through ``row_counts`` (it draws only the per-(unit, year) counts).
"""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest

from gengdi import demo, scale, store
from gengdi import schema as S
from gengdi.regions import CENTERS, PROVINCES

TINY = {"projects_per_unit_year": 0.5, "parcels_per_unit_year": 1.0}
END = pd.Timestamp(2024, 9, 30)
JZ = demo.CITY_CODE
JZ_UNITS = {u.code for u in demo.UNITS}
DATE_COLS = ("guaranteed_date", "disposal_date")


@pytest.fixture(scope="module")
def national():
    return scale.frames("national", **TINY)


@pytest.fixture(scope="module")
def province():
    return scale.frames("province")


def synthetic(df: pd.DataFrame) -> pd.DataFrame:
    return df[~df.code.isin(JZ_UNITS)]


def normalized_demo(name: str) -> pd.DataFrame:
    """demo.frames()[name] with the dtypes the scale frames use (dates datetime64, years int32)."""
    table = {t.name: t for t in S.TABLES}[name]
    df = demo.frames()[name][[f.name for f in table.schema]].copy()
    for f in table.schema:
        if f.name in DATE_COLS:
            df[f.name] = pd.to_datetime(df[f.name]).astype("datetime64[s]")
        elif str(f.type) == "int32":
            df[f.name] = df[f.name].astype(np.int32)
    return df


def sort(df: pd.DataFrame, name: str) -> pd.DataFrame:
    return df.sort_values(store.SORT_KEYS[name]).reset_index(drop=True)


# ---------------------------------------------------------------------------- shape of the tables
@pytest.mark.parametrize("which", ["national", "province"])
@pytest.mark.parametrize("table", S.TABLES, ids=lambda t: t.name)
def test_columns_and_types_are_the_schema(national, province, which, table):
    df = {"national": national, "province": province}[which][table.name]
    assert list(df.columns) == [f.name for f in table.schema]
    arrow = store.to_arrow(table, df)
    assert arrow.schema.equals(table.schema)
    assert arrow.num_rows == len(df) > 0


def test_unknown_scale_is_refused():
    with pytest.raises(ValueError, match="unknown scale"):
        scale.frames("county")
    with pytest.raises(ValueError, match="unknown scale"):
        scale.write_scale("/nonexistent", "world")


# ---------------------------------------------------------------------------- 区划
def test_national_units(national):
    u = national["units"]
    cities, units = u[u.level == "市"], u[u.level == "县级"]
    assert set(u.level) == {"市", "县级"}
    assert (len(cities), len(units)) == (342, 2837) == (
        sum(c for c, _ in scale.PLAN.values()), sum(n for _, n in scale.PLAN.values()))
    assert u.code.is_unique and u.code.str.fullmatch(r"\d{6}").all()
    assert cities.parent_code.isna().all() and cities.code.str.endswith("00").all()
    # every province, with its planned number of cities and units
    assert set(cities.code.str[:2] + "0000") == set(PROVINCES)
    per_province = units.groupby(units.code.str[:2] + "0000").size()
    assert per_province.to_dict() == {p: n for p, (_, n) in scale.PLAN.items()}
    assert cities.groupby(cities.code.str[:2] + "0000").size().to_dict() == {
        p: c for p, (c, _) in scale.PLAN.items()}
    # every 县级 unit under a 市 of its own province, coded after it
    city_codes = set(cities.code)
    assert units.parent_code.isin(city_codes).all()
    assert (units.parent_code.str[:2] == units.code.str[:2]).all()
    syn = synthetic(units)
    assert (syn.code.str[:4] == syn.parent_code.str[:4]).all()
    assert (syn.code.str[4:].astype(int) >= 1).all()
    size = units.groupby("parent_code").size()
    assert size.between(2, 20).all() and set(size.index) == city_codes
    # names: cities unique nationally, units unique within their city
    assert cities.name.is_unique and cities.name.str.endswith("市").all()
    assert not units.duplicated(["parent_code", "name"]).any()
    assert syn.name.str.fullmatch(r"..[区县市]").all()


def test_points_are_near_their_province_and_city(national):
    u = national["units"].set_index("code")
    cities = u[(u.level == "市") & (u.index != JZ)]
    centre = np.array([CENTERS[c[:2] + "0000"] for c in cities.index])
    assert (np.abs(cities[["lon", "lat"]].to_numpy() - centre) <= 2.5 + 1e-9).all()
    units = u[(u.level == "县级") & ~u.index.isin(JZ_UNITS)]
    parent = u.loc[units.parent_code, ["lon", "lat"]].to_numpy()
    assert (np.abs(units[["lon", "lat"]].to_numpy() - parent) <= 0.4 + 1e-9).all()
    assert u[["lon", "lat"]].notna().all().all()


def test_province_is_henan_with_18_cities(province):
    u = province["units"]
    assert (u.code.str[:2] == "41").all()
    assert (u.level == "市").sum() == 18 and (u.level == "县级").sum() == 158
    assert set(u[u.level == "市"].code) == {f"41{i:02d}00" for i in range(1, 19)}


# ---------------------------------------------------------------------------- 焦作 is the demo
@pytest.mark.parametrize("which", ["national", "province"])
@pytest.mark.parametrize("name", ["units", "cultivated", "projects", "parcels"])
def test_jiaozuo_rows_are_the_demo_rows(national, province, which, name):
    df = {"national": national, "province": province}[which][name]
    if name == "units":
        mine = df[(df.code == JZ) | (df.parent_code == JZ)]
    else:
        mine = df[df.code.isin(JZ_UNITS)]
    expected = normalized_demo(name)
    assert len(mine) == len(expected) > 0
    pd.testing.assert_frame_equal(sort(mine, name), sort(expected, name))
    # and no synthetic row falls under 焦作's code prefix
    assert not df[~df.code.isin(JZ_UNITS | {JZ})].code.str.startswith("4108").any()


# ---------------------------------------------------------------------------- years
def test_years(national):
    syn_units = set(synthetic(national["units"][national["units"].level == "县级"]).code)
    c = national["cultivated"]
    years = c[c.code.isin(syn_units)].groupby("code").year.agg(["count", "nunique", "min", "max"])
    assert set(years.index) == syn_units
    assert (years["count"] == 10).all() and (years["nunique"] == 10).all()
    assert (years["min"] == 2014).all() and (years["max"] == 2023).all()
    assert set(c[c.code.isin(JZ_UNITS)].year) == set(demo.YEARS)
    assert set(c.code) == syn_units | JZ_UNITS
    for name, col in (("projects", "year"), ("parcels", "task_year")):
        df = national[name]
        assert set(synthetic(df)[col]) == set(range(2015, 2025))
        assert set(df[df.code.isin(JZ_UNITS)][col]) == {2022, 2023, 2024}
        assert df.code.isin(syn_units | JZ_UNITS).all()


# ---------------------------------------------------------------------------- row rules
def test_project_rows(national):
    p = national["projects"]
    assert not p.duplicated(["year", "project_id"]).any()
    d = p.guaranteed_date.dropna()
    assert (d.dt.year == p.loc[d.index, "year"]).all() and (d <= END).all()
    syn = synthetic(p)
    assert syn.area_mu.between(20, 2000).all() and (syn.area_mu == syn.area_mu.round(2)).all()
    assert (syn.project_id == syn.code + "-" + syn.year.astype(str) + "-P"
            + syn.project_id.str[-5:]).all()
    henan = syn.code.str[:2] == "41"
    assert set(syn[henan].category) == {"省重点", "市重点", "三个一批"}
    assert set(syn[~henan].category) == {"省重点", "市重点"}
    assert syn.project_name.notna().all()


def test_parcel_rows(national):
    q = national["parcels"]
    assert not q.duplicated(["task_year", "parcel_id"]).any()
    assert set(q.type) == {S.UNSUPPLIED, S.IDLE}
    done = q.disposal_date.notna()
    # 处置日期, 处置面积 and 处置方式 are set together
    assert (done == q.disposed_mu.notna()).all() and (done == q.method.notna()).all()
    d = q.disposal_date[done]
    assert (d.dt.year == q.task_year[done]).all() and (d <= END).all()
    assert (q.disposed_mu[done] > 0).all() and (q.disposed_mu[done] <= q.area_mu[done]).all()
    age = q.task_year - q.approval_year
    assert age.between(1, 15).all()
    syn = synthetic(q)
    assert syn.area_mu.between(2, 300).all()
    assert (syn.parcel_id.str[:2] == np.where(syn.type == S.IDLE, "XZ", "PW")).all()
    for kind, methods in ((S.UNSUPPLIED, demo.UNSUPPLIED_METHODS), (S.IDLE, demo.IDLE_METHODS)):
        assert set(syn[(syn.type == kind) & syn.disposal_date.notna()].method) == {m for m, _ in methods}


# ---------------------------------------------------------------------------- distributions
def test_cultivated_figures(national):
    c = synthetic(national["cultivated"])
    below = (c.cultivated_mu < c.cultivated_target_mu).groupby(c.year).mean()
    assert below.between(0.05, 0.18).all()
    farm_below = (c.basic_farmland_mu < c.basic_farmland_target_mu).groupby(c.year).mean()
    assert farm_below.between(0.01, 0.12).all()
    ratio = c.basic_farmland_mu / c.cultivated_mu
    assert ratio[c.year == 2023].between(0.62, 0.9201).all() and ratio.between(0.58, 0.96).all()
    assert ratio.median() > 0.8
    step = c.sort_values(["code", "year"]).groupby("code").cultivated_mu.pct_change().dropna()
    assert step.abs().max() <= 0.0061 and step.abs().max() > 0.005
    assert ((c.occupied_mu > 0) & (c.supplemented_mu > 0)).all()
    assert (c.occupied_mu < c.cultivated_mu * 0.02).all()
    assert c[c.year == 2023].cultivated_mu.between(3_000, 2_500_001).all()
    u = national["units"].set_index("code").name
    county = c[(c.year == 2023) & ~u.loc[c.code].str.endswith("区").to_numpy()]
    assert 500_000 < county.cultivated_mu.median() < 700_000


def test_project_guarantee_rates(province):
    p = synthetic(province["projects"])
    g = p.guaranteed_date.notna()
    by_year = g.groupby(p.year).mean()
    assert by_year.drop(2024).between(0.84, 0.92).all()
    assert by_year[2024] < by_year.drop(2024).min() - 0.1
    per_unit = g[p.year < 2024].groupby(p.code[p.year < 2024]).mean()
    assert per_unit.quantile(0.05) < 0.8 and per_unit.quantile(0.95) > 0.95 and per_unit.min() > 0.5
    months = p.guaranteed_date[p.year == 2023].dt.month.value_counts()
    assert set(months.index) == set(range(1, 13)) and months.min() > 0.5 * months.sum() / 12
    assert (p[p.year == 2024].guaranteed_date.dropna().dt.month <= 9).all()
    share = p[p.code.str[:2] == "41"].category.value_counts(normalize=True)
    assert share["省重点"] == pytest.approx(0.2, abs=0.02)
    assert share["市重点"] == pytest.approx(0.5, abs=0.02)
    assert share["三个一批"] == pytest.approx(0.3, abs=0.02)


def test_parcel_shares(province):
    q = synthetic(province["parcels"])
    idle = q.type == S.IDLE
    assert idle.mean() == pytest.approx(0.2375, abs=0.02)
    no_idle = (~idle).groupby([q.task_year, q.code]).all()
    assert 0.02 < no_idle.mean() < 0.1
    done = q.disposal_date.notna()
    assert done[q.task_year < 2024].mean() == pytest.approx(0.55, abs=0.03)
    assert done[q.task_year == 2024].mean() < 0.5
    partial = done & (q.disposed_mu < q.area_mu)
    assert 0.1 < partial.sum() / done.sum() < 0.2


# ---------------------------------------------------------------------------- determinism
def test_same_arguments_give_the_same_frames():
    a = scale.frames("province", projects_per_unit_year=1, parcels_per_unit_year=1)
    b = scale.frames("province", projects_per_unit_year=1, parcels_per_unit_year=1)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    c = scale.frames("province", projects_per_unit_year=1, parcels_per_unit_year=1, seed=7)
    assert not a["cultivated"].equals(c["cultivated"])
    assert not a["units"].equals(c["units"])


def test_densities_change_only_the_lists(province):
    small = scale.frames("province", projects_per_unit_year=1, parcels_per_unit_year=2)
    pd.testing.assert_frame_equal(small["units"], province["units"])
    pd.testing.assert_frame_equal(small["cultivated"], province["cultivated"])
    assert len(synthetic(small["projects"])) < len(synthetic(province["projects"])) / 10
    assert len(synthetic(small["parcels"])) < len(synthetic(province["parcels"])) / 10


# ---------------------------------------------------------------------------- volumes
def test_row_counts_are_the_generated_counts(national, province):
    assert scale.row_counts("national", **TINY) == {k: len(v) for k, v in national.items()}
    assert scale.row_counts("province") == {k: len(v) for k, v in province.items()}
    assert scale.row_counts("city") == {k: len(v) for k, v in demo.frames().items()}


def test_full_national_volume():
    counts = scale.row_counts("national")
    unit_years = 2837 - len(demo.UNITS)
    assert counts["units"] == 342 + 2837
    assert counts["cultivated"] == unit_years * 10 + len(demo.frames()["cultivated"])
    assert counts["projects"] >= 600_000 and counts["parcels"] >= 1_500_000
    jz = {k: len(v) for k, v in demo.frames().items()}
    assert (counts["projects"] - jz["projects"]) / (unit_years * 10) == pytest.approx(22, rel=0.03)
    assert (counts["parcels"] - jz["parcels"]) / (unit_years * 10) == pytest.approx(54, rel=0.03)


# ---------------------------------------------------------------------------- writing
def parquet_rows(path, name):
    table = {t.name: t for t in S.TABLES}[name]
    where = path / (name if table.partition else f"{name}.parquet")
    return ds.dataset(where, format="parquet", partitioning="hive" if table.partition else None).count_rows()


def partitions(path, name):
    return sorted(p.name for p in (path / name).iterdir())


def test_write_scale_then_rewrite(tmp_path):
    counts = scale.write_scale(tmp_path, "national", **TINY)
    assert counts == scale.row_counts("national", **TINY)
    assert {n: parquet_rows(tmp_path, n) for n in counts} == counts
    assert partitions(tmp_path, "projects") == [f"year={y}" for y in range(2015, 2025)]
    meta = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    units = pd.read_parquet(tmp_path / "units.parquet")
    assert meta["demo"] is True and meta["scale"] == "national" and meta["label"] == "示例数据"
    assert meta["demo_cities"] == sorted(units[units.level == "市"].code) and len(meta["demo_cities"]) == 342
    assert meta["note"].startswith("合成数据：")
    assert (tmp_path / "boundaries" / f"{JZ}.geojson").read_bytes() == demo.BOUNDARY_FILE.read_bytes()
    written = pd.read_parquet(tmp_path / "parcels")
    assert written.disposal_date.dropna().max() <= dt.date(2024, 9, 30)

    # the same directory, rewritten at province scale: nothing of the national store is left
    counts = scale.write_scale(tmp_path, "province", projects_per_unit_year=1, parcels_per_unit_year=1)
    assert {n: parquet_rows(tmp_path, n) for n in counts} == counts
    assert set(pd.read_parquet(tmp_path / "units.parquet").code.str[:2]) == {"41"}
    assert set(pd.read_parquet(tmp_path / "projects").code.str[:2]) == {"41"}
    assert len(json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))["demo_cities"]) == 18

    # and back to the city demo: the older partitions are gone
    counts = scale.write_scale(tmp_path, "city")
    assert counts == {k: len(v) for k, v in demo.frames().items()}
    assert {n: parquet_rows(tmp_path, n) for n in counts} == counts
    assert partitions(tmp_path, "projects") == ["year=2022", "year=2023", "year=2024"]
    assert "scale" not in json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
