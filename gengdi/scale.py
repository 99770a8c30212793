"""Deterministic synthetic stores at city, province and national scale (合成数据).

* ``city``: the 焦作市 demo store (``gengdi.demo``), unchanged.
* ``province``: 河南省 — 18 cities, 158 county-level units.
* ``national``: the 31 provincial-level divisions — 342 cities, 2,837 county-level units,
  about 620,000 key projects and 1.5 million parcels.

In both larger scales 410800 焦作市 is the real demo city: its rows are taken verbatim from
``gengdi.demo.frames()`` (耕地 2019–2023, projects and parcels 2022–2024). Every other city is
made up: codes PP + two digits + 00 (city) and city prefix + 01.. (unit), two-character names drawn
from a syllable list (unique nationally), figures drawn with ``numpy.random.default_rng(seed)``.
耕地年度 2014–2023, project lists and disposal tasks 2015–2024; 2024 is the running year, so no
guarantee or disposal date is later than ``demo.DATA_END`` (2024-09-30).

Rows are generated column-wise with numpy (no Python loop over projects or parcels), so the
national store is written in a few seconds.
"""
from __future__ import annotations

import math
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import demo
from . import schema as S
from .regions import CENTERS, PROVINCES
from .store import write_meta, write_table

SCALES = ("city", "province", "national")

HENAN = "410000"
CULTIVATED_YEARS = np.arange(2014, 2024)     # 耕地年度
LIST_YEARS = np.arange(2015, 2025)           # 重点项目年度 and 任务年度; 2024 is in progress
DATA_END = np.datetime64(demo.DATA_END, "D")

PROJECTS_PER_UNIT_YEAR = 22.0
PARCELS_PER_UNIT_YEAR = 54.0

# province → (cities, county-level units), roughly the real numbers (municipalities: one city)
PLAN: dict[str, tuple[int, int]] = {
    "110000": (1, 16), "120000": (1, 16), "130000": (11, 167), "140000": (11, 117), "150000": (12, 103),
    "210000": (14, 100), "220000": (9, 60), "230000": (13, 121),
    "310000": (1, 16), "320000": (13, 95), "330000": (11, 90), "340000": (16, 104), "350000": (9, 84),
    "360000": (11, 100), "370000": (16, 136),
    "410000": (18, 158), "420000": (17, 103), "430000": (14, 122), "440000": (21, 122),
    "450000": (14, 111), "460000": (4, 25),
    "500000": (1, 20), "510000": (21, 183), "520000": (9, 88), "530000": (16, 129), "540000": (7, 74),
    "610000": (10, 107), "620000": (14, 86), "630000": (8, 44), "640000": (5, 22), "650000": (14, 118),
}
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
MAX_UNITS_PER_CITY = 20
MIN_UNITS_PER_CITY = 2

SYLLABLES = ("安平宁和兴华昌盛泰康源泉阳川林峰岭原丰庆长永清明新光德福宝嘉瑞祥云青松柏桐梅兰临"
             "定远通济崇文仁义信乐顺汇金石溪桥台丘陵阜营洲滨浦渠沙霞鹤凤龙")

PROJECT_KINDS = (
    "新型建材", "智能装备产业园", "冷链物流园", "新能源汽车零部件", "城市更新改造", "污水处理厂提标改造",
    "高标准农田配套设施", "人民医院新院区", "职业教育园区", "分布式光伏发电", "算力中心", "农产品精深加工",
    "铝基新材料", "氢能产业园", "国道改建", "文旅康养综合体", "保障性租赁住房", "生物医药产业园",
    "装配式建筑产业园", "电子信息产业园", "物流枢纽", "储能电站", "风电场", "抽水蓄能电站",
    "高速公路连接线", "水厂及管网", "垃圾焚烧发电", "中小学新建", "体育中心", "综合客运枢纽",
    "食品产业园", "纺织服装产业园", "精细化工", "再生资源利用", "商贸物流中心", "科创园",
)
PHASES = ("项目", "项目", "项目", "一期项目", "二期项目", "工程")
CATEGORIES_HENAN = (("省重点", 0.2), ("市重点", 0.5), ("三个一批", 0.3))
CATEGORIES_OTHER = (("省重点", 0.3), ("市重点", 0.7))


# ---------------------------------------------------------------------------- structure
@dataclass(frozen=True)
class Plan:
    """The synthetic county-level units (arrays aligned by unit) and the 区划 table."""
    units: pd.DataFrame          # every 区划 row, 焦作 included
    codes: np.ndarray            # synthetic county-level unit codes (str)
    names: np.ndarray            # their names
    province: np.ndarray         # their province codes
    district: np.ndarray         # bool: 市辖区 (smaller, more urban)


def _check_scale(scale: str) -> None:
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: expected one of {', '.join(SCALES)}")


def _rngs(seed: int) -> list[np.random.Generator]:
    """Independent streams for units, 耕地, projects and parcels: the densities of one table
    never change the rows of another."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]


# County names that repeat across China (and within a province), given to the first district of a
# province's first synthetic cities, so that every view and test meets places of the same name:
# 鼓楼区 (南京, 徐州, 福州, 开封), 朝阳区 (北京, 长春), 新华区 (石家庄, 沧州, 平顶山, 濮阳).
REPEATED_NAMES: dict[str, list[str]] = {
    "110000": ["朝阳区"], "220000": ["朝阳区"], "320000": ["鼓楼区", "鼓楼区"], "350000": ["鼓楼区"],
    "130000": ["新华区", "新华区"], "410000": ["鼓楼区", "新华区", "新华区"],
}


def _base_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct two-character names, none of them a province's or a 焦作 demo name."""
    chars = list(SYLLABLES)
    reserved = {name[:2] for name in PROVINCES.values()}
    reserved |= {u.name[:2] for u in demo.UNITS} | {demo.CITY_NAME[:2]}
    pairs = [a + b for a in chars for b in chars if a != b and a + b not in reserved]
    if n > len(pairs):
        raise ValueError("not enough syllable pairs for the names")
    return [pairs[i] for i in rng.permutation(len(pairs))[:n]]


def _plan(scale: str, seed: int) -> Plan:
    rng = _rngs(seed)[0]
    provinces = [HENAN] if scale == "province" else list(PROVINCES)
    demo_units = demo.units_frame(demo.label_points())
    n_demo_units = int((demo_units.level == "县级").sum())

    # units per city: 2 + a share of the rest, each city ≤ 20
    layout = []   # (province, city code, units in the city), 焦作 with its demo units
    for prov in provinces:
        n_cities, n_units = PLAN[prov]
        if prov == HENAN:
            seqs = [s for s in range(1, n_cities + 2) if s != 8][: n_cities - 1]
            n_units -= n_demo_units
        else:
            seqs = list(range(1, n_cities + 1))
        weights = rng.lognormal(0.0, 0.4, len(seqs)).tolist()
        spare = n_units - MIN_UNITS_PER_CITY * len(seqs)
        extra = demo.allocate(spare, weights, [MAX_UNITS_PER_CITY - MIN_UNITS_PER_CITY] * len(seqs))
        layout += [(prov, f"{prov[:2]}{s:02d}00", MIN_UNITS_PER_CITY + e) for s, e in zip(seqs, extra)]

    n_cities = len(layout)
    n_units = sum(n for _, _, n in layout)
    names = iter(_base_names(rng, n_cities + n_units))
    city_rows, unit_rows = [], []
    repeated = {p: list(v) for p, v in REPEATED_NAMES.items()}
    for prov, city, n in layout:                       # one pass per city
        centre = np.array(CENTERS[prov])
        n_prov = PLAN[prov][0]
        spread = 0.0 if n_prov == 1 else min(2.5, 0.55 * math.sqrt(n_prov))
        lon, lat = centre + rng.uniform(-1, 1, 2) * [spread, spread * 0.8]
        cname = PROVINCES[prov] if prov in MUNICIPALITIES else next(names) + "市"
        city_rows.append((city, cname, "市", None, round(lon, 5), round(lat, 5)))
        if prov in MUNICIPALITIES:
            n_district = n - int(rng.integers(0, 3))
            n_cityish = 0
        else:
            n_district = max(1, round(n * rng.uniform(0.1, 0.4)))
            n_cityish = int(n * rng.uniform(0.0, 0.2))
        n_district = min(n_district, n)
        kinds = ["区"] * n_district + ["县"] * (n - n_district - n_cityish) + ["市"] * n_cityish
        near = np.where(np.array(kinds) == "区", 0.12, 0.4)[:, None]
        points = np.array([lon, lat]) + rng.uniform(-1, 1, (n, 2)) * near
        for i, (kind, (ulon, ulat)) in enumerate(zip(kinds, points), start=1):
            name = next(names) + kind
            if i == 1 and kind == "区" and repeated.get(prov):
                name = repeated[prov].pop(0)
            unit_rows.append((f"{city[:4]}{i:02d}", name, "县级", city,
                              round(float(ulon), 5), round(float(ulat), 5)))

    cols = [f.name for f in S.UNITS.schema]
    synthetic = pd.DataFrame(city_rows + unit_rows, columns=cols)
    units = pd.concat([synthetic, demo_units[cols]], ignore_index=True)
    units["parent_code"] = units["parent_code"].astype("str")
    su = pd.DataFrame(unit_rows, columns=cols)
    return Plan(
        units=units,
        codes=su.code.to_numpy(dtype=object),
        names=su.name.to_numpy(dtype=object),
        province=np.array([c[:2] + "0000" for c in su.code], dtype=object),
        district=su.name.str.endswith("区").to_numpy(),
    )


# ---------------------------------------------------------------------------- helpers
def _take(values: np.ndarray, idx: np.ndarray) -> pd.Series:
    """values[idx] as a pandas string Series (taken on the Arrow array, not object by object)."""
    return pd.Series(pd.array(list(values), dtype="str")).take(idx).reset_index(drop=True)


def _year_start(years: np.ndarray) -> np.ndarray:
    return (years - 1970).astype("datetime64[Y]").astype("datetime64[D]")


def _days_in(years: np.ndarray) -> np.ndarray:
    return (_year_start(years + 1) - _year_start(years)).astype(np.int64)


def _as_dates(days: np.ndarray) -> pd.Series:
    return pd.Series(days.astype("datetime64[s]"))


def _zfill(n: np.ndarray, width: int) -> pd.Series:
    return pd.Series(n).astype("str").str.zfill(width)


def _counts(rng: np.random.Generator, n_units: int, per_unit_year: float) -> np.ndarray:
    """Rows per (unit, list year): Poisson around a per-unit size (lognormal, mean 1) and a
    smaller per-year wobble."""
    size = rng.lognormal(-0.08, 0.4, n_units)[:, None]
    wobble = rng.lognormal(-0.01125, 0.15, (n_units, len(LIST_YEARS)))
    return rng.poisson(per_unit_year * size * wobble)


def _rows(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row: unit index, list-year index, flat (unit, year) cell and 1-based number in its cell."""
    flat = counts.ravel()
    cell = np.repeat(np.arange(flat.size), flat)
    starts = np.cumsum(flat) - flat
    seq = np.arange(cell.size) - starts[cell] + 1
    ui, yi = np.divmod(cell, counts.shape[1])
    return ui, yi, cell, seq


def _pick(rng: np.random.Generator, options, size: int) -> np.ndarray:
    """Indices into ``options`` ((name, probability) pairs) drawn with their probabilities."""
    p = np.cumsum([w for _, w in options])
    return np.minimum(np.searchsorted(p / p[-1], rng.random(size), side="right"), len(options) - 1)


# ---------------------------------------------------------------------------- 耕地年度
def _cultivated(plan: Plan, rng: np.random.Generator) -> pd.DataFrame:
    n, ny = len(plan.codes), len(CULTIVATED_YEARS)
    d = plan.district
    base = np.where(d, np.clip(rng.lognormal(math.log(60_000), 0.8, n), 3_000, 400_000),
                    np.clip(rng.lognormal(math.log(600_000), 0.75, n), 30_000, 2_500_000))
    base = base + rng.integers(-45, 46, n) / 100
    # walk back from the last year: each year's figure differs by at most ±0.6%
    steps = rng.uniform(-0.006, 0.006, (n, ny - 1))
    back = np.cumprod((1 - steps)[:, ::-1], axis=1)[:, ::-1]
    drift = np.hstack([back, np.ones((n, 1))])
    cult = base[:, None] * drift
    ratio = np.where(d, rng.uniform(0.62, 0.80, n), rng.uniform(0.80, 0.92, n))
    farm = (base * ratio)[:, None] * (1 + 0.3 * (drift - 1))
    cult_target = cult.mean(axis=1) / (1 + rng.normal(0.013, 0.01, n))
    farm_target = farm.mean(axis=1) / (1 + rng.normal(0.008, 0.005, n))
    occupied = cult * np.where(d, 0.0085, 0.0012)[:, None] * rng.uniform(0.7, 1.3, (n, ny))
    supplemented = cult * np.where(d, 0.0005, 0.0023)[:, None] * rng.uniform(0.75, 1.25, (n, ny))
    return pd.DataFrame({
        "year": np.tile(CULTIVATED_YEARS, n).astype(np.int32),
        "code": _take(plan.codes, np.repeat(np.arange(n), ny)),
        "cultivated_mu": cult.ravel().round(2),
        "cultivated_target_mu": np.repeat(cult_target, ny).round(2),
        "basic_farmland_mu": farm.ravel().round(2),
        "basic_farmland_target_mu": np.repeat(farm_target, ny).round(2),
        "occupied_mu": occupied.ravel().round(2),
        "supplemented_mu": supplemented.ravel().round(2),
    })


# ---------------------------------------------------------------------------- 重点项目
def _projects(plan: Plan, rng: np.random.Generator, per_unit_year: float) -> pd.DataFrame:
    n, ny = len(plan.codes), len(LIST_YEARS)
    counts = _counts(rng, n, per_unit_year)            # first draws: see row_counts()
    # each unit's pace: the share it guarantees within the year (≈ 60–100 %, mean ≈ 88 %)
    # and how early in the year (exponent of its progress curve)
    shortfall = 0.12 * rng.lognormal(-0.125, 0.5, n)
    rate = np.clip(1 - shortfall[:, None] + rng.normal(0, 0.03, (n, ny)), 0.55, 1.0)
    pace = rng.lognormal(0.0, 0.25, n)

    ui, yi, cell, seq = _rows(counts)
    m = ui.size
    years = LIST_YEARS[yi]
    henan = plan.province[ui] == HENAN
    cat_names = np.array([c for c, _ in CATEGORIES_HENAN], dtype=object)
    cat = np.where(henan, _pick(rng, CATEGORIES_HENAN, m), _pick(rng, CATEGORIES_OTHER, m))
    area = np.clip(rng.lognormal(math.log(150), 0.8, m), 20, 2000).round(2)
    guaranteed = rng.random(m) < rate.ravel()[cell]
    days = _days_in(years)
    offset = np.minimum(days - 1, (days * rng.random(m) ** pace[ui]).astype(np.int64))
    date = _year_start(years) + offset
    date[~guaranteed | (date > DATA_END)] = np.datetime64("NaT")
    kind = rng.integers(0, len(PROJECT_KINDS), m)
    phase = rng.integers(0, len(PHASES), m)

    code = _take(plan.codes, ui)
    year_s = pd.Series(years).astype("str")
    return pd.DataFrame({
        "year": years.astype(np.int32),
        "project_id": code + "-" + year_s + "-P" + _zfill(seq, 5),
        "project_name": _take(plan.names, ui) + _take(np.array(PROJECT_KINDS), kind)
                        + _take(np.array(PHASES), phase),
        "code": code,
        "category": _take(cat_names, cat),
        "area_mu": area,
        "guaranteed_date": _as_dates(date),
    })


# ---------------------------------------------------------------------------- 批而未供和闲置土地
def _parcels(plan: Plan, rng: np.random.Generator, per_unit_year: float) -> pd.DataFrame:
    n, ny = len(plan.codes), len(LIST_YEARS)
    counts = _counts(rng, n, per_unit_year)            # first draws: see row_counts()
    no_idle = rng.random((n, ny)) < 0.05               # (unit, year) without 闲置土地
    rate = np.clip(rng.normal(0.55, 0.12, n)[:, None] + rng.normal(0, 0.05, (n, ny)), 0.15, 0.95)
    pace = rng.lognormal(0.0, 0.25, n)

    ui, yi, cell, seq = _rows(counts)
    m = ui.size
    years = LIST_YEARS[yi]
    idle = (rng.random(m) < 0.25) & ~no_idle.ravel()[cell]
    age = np.where(idle, rng.integers(2, 16, m), rng.integers(1, 16, m))
    area = np.clip(rng.lognormal(math.log(30), 0.9, m), 2, 300).round(2)
    days = _days_in(years)
    offset = np.minimum(days - 1, (days * rng.random(m) ** pace[ui]).astype(np.int64))
    date = _year_start(years) + offset
    disposed = (rng.random(m) < rate.ravel()[cell]) & (date <= DATA_END)
    partial = rng.random(m) < 0.15
    share = rng.uniform(0.5, 0.95, m)
    disposed_mu = np.where(partial, (area * share).round(2), area)
    date[~disposed] = np.datetime64("NaT")
    disposed_mu[~disposed] = np.nan

    methods = demo.UNSUPPLIED_METHODS + demo.IDLE_METHODS
    method_idx = np.where(idle, len(demo.UNSUPPLIED_METHODS) + _pick(rng, demo.IDLE_METHODS, m),
                          _pick(rng, demo.UNSUPPLIED_METHODS, m))
    method = _take(np.array([name for name, _ in methods], dtype=object), method_idx)
    method[~disposed] = None

    code = _take(plan.codes, ui)
    prefix = _take(np.array(["PW", "XZ"], dtype=object), idle.astype(np.int64))
    return pd.DataFrame({
        "task_year": years.astype(np.int32),
        "parcel_id": prefix + code + "-" + pd.Series(years).astype("str") + "-" + _zfill(seq, 5),
        "code": code,
        "type": _take(np.array([S.UNSUPPLIED, S.IDLE], dtype=object), idle.astype(np.int64)),
        "approval_year": (years - age).astype(np.int32),
        "area_mu": area,
        "disposal_date": _as_dates(date),
        "disposed_mu": disposed_mu,
        "method": method,
    })


# ---------------------------------------------------------------------------- public
def _densities(projects_per_unit_year, parcels_per_unit_year) -> tuple[float, float]:
    return (PROJECTS_PER_UNIT_YEAR if projects_per_unit_year is None else float(projects_per_unit_year),
            PARCELS_PER_UNIT_YEAR if parcels_per_unit_year is None else float(parcels_per_unit_year))


def _with_demo(table: S.Table, synthetic: pd.DataFrame, demo_rows: pd.DataFrame) -> pd.DataFrame:
    cols = [f.name for f in table.schema]
    demo_rows = demo_rows[cols].copy()
    for f in table.schema:
        if f.name in ("guaranteed_date", "disposal_date"):
            demo_rows[f.name] = pd.to_datetime(demo_rows[f.name]).astype("datetime64[s]")
    out = pd.concat([synthetic[cols], demo_rows], ignore_index=True)
    for f in table.schema:
        if str(f.type) == "int32":
            out[f.name] = out[f.name].astype(np.int32)
    return out


def frames(scale: str, *, projects_per_unit_year: float | None = None,
           parcels_per_unit_year: float | None = None, seed: int = 20231) -> dict[str, pd.DataFrame]:
    """The four tables of the store at ``scale`` (``city`` is the 焦作 demo, densities ignored).

    ``projects_per_unit_year`` / ``parcels_per_unit_year`` set the mean number of rows per
    synthetic unit and list year (default 22 and 54); the 区划 and 耕地 tables do not depend on them.
    Dates are ``datetime64`` columns (NaT = not guaranteed / not disposed).
    """
    _check_scale(scale)
    if scale == "city":
        return demo.frames()
    p_density, q_density = _densities(projects_per_unit_year, parcels_per_unit_year)
    plan = _plan(scale, seed)
    _, rng_c, rng_p, rng_q = _rngs(seed)
    jz = demo.frames()
    return {
        "units": plan.units,
        "cultivated": _with_demo(S.CULTIVATED, _cultivated(plan, rng_c), jz["cultivated"]),
        "projects": _with_demo(S.PROJECTS, _projects(plan, rng_p, p_density), jz["projects"]),
        "parcels": _with_demo(S.PARCELS, _parcels(plan, rng_q, q_density), jz["parcels"]),
        "tasks": jz["tasks"],   # only 焦作 has 年度任务: every other unit shows 未下达任务
    }


def row_counts(scale: str, *, projects_per_unit_year: float | None = None,
               parcels_per_unit_year: float | None = None, seed: int = 20231) -> dict[str, int]:
    """Rows per table that ``frames`` gives for the same arguments, without generating the rows
    (it draws only the per-(unit, year) counts)."""
    _check_scale(scale)
    jz = demo.frames()
    if scale == "city":
        return {name: len(df) for name, df in jz.items()}
    p_density, q_density = _densities(projects_per_unit_year, parcels_per_unit_year)
    plan = _plan(scale, seed)
    _, _, rng_p, rng_q = _rngs(seed)
    n = len(plan.codes)
    return {
        "units": len(plan.units),
        "cultivated": n * len(CULTIVATED_YEARS) + len(jz["cultivated"]),
        "projects": int(_counts(rng_p, n, p_density).sum()) + len(jz["projects"]),
        "parcels": int(_counts(rng_q, n, q_density).sum()) + len(jz["parcels"]),
        "tasks": len(jz["tasks"]),
    }


def write_scale(data_dir: Path, scale: str, **kwargs) -> dict[str, int]:
    """Write the store at ``scale`` into ``data_dir`` (tables replaced, imported versions left
    alone); returns row counts per table. ``kwargs`` go to ``frames`` (densities, seed)."""
    _check_scale(scale)
    data_dir = Path(data_dir)
    if scale == "city":
        return demo.write_demo(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    tables = {t.name: t for t in S.TABLES}
    counts = {}
    dfs = frames(scale, **kwargs)
    for name in list(dfs):
        df = dfs.pop(name)
        write_table(data_dir, tables[name], df)
        counts[name] = len(df)
        del df
    boundary = demo.BOUNDARY_FILE
    target = data_dir / "boundaries" / boundary.name
    if boundary.exists() and boundary.resolve() != target.resolve():
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(boundary, target)
    units = pd.read_parquet(data_dir / "units.parquet", columns=["code", "level"])
    cities = sorted(units.loc[units.level == "市", "code"])
    n_units = int((units.level == "县级").sum())
    n_provinces = len({c[:2] for c in cities})
    where = "河南省" if scale == "province" else f"全国{n_provinces}个省级区划"
    write_meta(data_dir, {
        "demo": True, "label": "示例数据", "scale": scale, "demo_cities": cities,
        "note": (f"合成数据：{where}、{len(cities)}个市、{n_units}个县级单位；焦作市为示例数据，"
                 "其余各市的名称、代码、位置和数字均为随机生成，不代表真实情况"),
    })
    return counts
