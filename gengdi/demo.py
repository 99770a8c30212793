"""Deterministic synthetic demo data for 焦作市 (示例数据).

County-level splits are not public, so the rows below are synthetic, but calibrated so that the
published city totals (2023 reports of 焦作市, quoted in README.md) come out exactly:

* 2023 耕地 256.99万亩, 永久基本农田 230.98万亩;
* key projects 2023 as of 2023-06-30: 省重点 112/103, 市重点 320/287, 三个一批 164/155;
* as of 2023-06-15: 8,730 亩 批而未供 and 448 亩 闲置土地 disposed (2023 task list,
  批而未供 approved 2009–2022).

Every random draw comes from ``random.Random`` seeded with a fixed string, so the same call
always gives the same rows.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import schema as S
from .config import DEFAULT_DATA_DIR
from .store import write_meta, write_table

CITY_CODE = "410800"
CITY_NAME = "焦作市"
CITY_POINT = (113.2418, 35.2159)


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    urban: bool
    cultivated_2023: float   # 亩, before the fractional part
    farmland_ratio: float    # 永久基本农田 / 耕地 before scaling
    target_margin: float     # 耕地 / 目标 − 1 in 2023 (negative = short)
    farmland_margin: float   # 永农 / 任务 − 1
    project_weight: float
    performance: float       # share of its projects guaranteed by mid-year, relative
    parcel_weight: float
    idle_weight: float       # 0 = the unit has no 闲置土地
    pace: float              # exponent of its progress curve: < 1 early, > 1 late


UNITS = [
    DemoUnit("410802", "解放区", True, 5_900, 0.62, 0.012, 0.004, 8, 0.97, 6, 2.0, 0.80),
    DemoUnit("410803", "中站区", True, 15_000, 0.74, 0.009, -0.004, 7, 0.86, 8, 0.0, 1.30),
    DemoUnit("410804", "马村区", True, 30_000, 0.80, -0.006, 0.0034, 7, 0.90, 8, 2.0, 1.10),
    DemoUnit("410811", "山阳区", True, 9_000, 0.66, 0.015, 0.005, 10, 0.93, 9, 2.0, 0.90),
    DemoUnit("410821", "修武县", False, 250_000, 0.90, -0.003, 0.002, 8, 0.88, 9, 1.5, 1.40),
    DemoUnit("410822", "博爱县", False, 300_000, 0.91, 0.006, 0.0031, 9, 0.95, 9, 1.5, 1.00),
    DemoUnit("410823", "武陟县", False, 640_000, 0.93, 0.008, 0.0022, 12, 0.92, 12, 2.0, 1.20),
    DemoUnit("410825", "温县", False, 440_000, 0.93, 0.011, 0.004, 9, 0.99, 8, 1.0, 0.70),
    DemoUnit("410882", "沁阳市", False, 420_000, 0.91, 0.007, 0.0017, 10, 0.90, 11, 2.0, 1.05),
    DemoUnit("410883", "孟州市", False, 380_000, 0.92, 0.005, 0.0027, 8, 0.94, 9, 1.5, 0.95),
    DemoUnit("410871", "焦作城乡一体化示范区", False, 80_000, 0.85, 0.004, 0.0014, 12, 0.91, 11, 2.0, 1.15),
]

YEARS = range(2019, 2024)            # 耕地年度
TASK_YEARS = (2022, 2023, 2024)
DATA_END = dt.date(2024, 9, 30)      # the demo's "today": 2024 lists are in progress

FARMLAND_2023_MU = 2_309_800         # 230.98万亩

# (total, guaranteed by the calibration date) per 项目类别; None = not calibrated
PROJECT_LISTS = {
    2022: {"省重点": (105, None), "市重点": (298, None), "三个一批": (150, None)},
    2023: {"省重点": (112, 103), "市重点": (320, 287), "三个一批": (164, 155)},
    2024: {"省重点": (118, None), "市重点": (332, None), "三个一批": (171, None)},
}
CATEGORY_ABBR = {"省重点": "SZD", "市重点": "CZD", "三个一批": "SGYP"}

# parcel campaign bases (亩) and what is disposed by mid-June of the task year
PARCEL_BASES = {2022: (15_900, 980), 2023: (16_800, 1_020), 2024: (16_200, 960)}
PARCEL_CALIBRATION = {
    2022: (dt.date(2022, 6, 15), None, None),
    2023: (dt.date(2023, 6, 15), 8_730.00, 448.00),
    2024: (dt.date(2024, 6, 15), None, None),
}

PROJECT_ITEMS = [
    "年产5万吨新型建材项目", "智能装备产业园项目", "冷链物流园项目", "新能源汽车零部件项目",
    "城市更新改造项目", "污水处理厂提标改造项目", "高标准农田配套设施项目", "中医院新院区项目",
    "职业教育园区项目", "分布式光伏发电项目", "算力中心项目", "农产品精深加工项目",
    "铝基新材料项目", "氢能产业园项目", "国道改建工程", "文旅康养综合体项目",
    "保障性租赁住房项目", "生物医药产业园项目", "怀药深加工项目", "装配式建筑产业园项目",
]
UNSUPPLIED_METHODS = [("供地", 0.58), ("置换", 0.16), ("撤回批文", 0.12), ("收回", 0.14)]
IDLE_METHODS = [("动工开发", 0.55), ("收回", 0.25), ("置换", 0.20)]


def _rng(*parts) -> random.Random:
    return random.Random("gengdi-demo:" + ":".join(str(p) for p in parts))


def allocate(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), each ≤ cap."""
    n = len(weights)
    caps = caps if caps is not None else [total] * n
    if total > sum(caps):
        raise ValueError("total exceeds the caps")
    out = [0] * n
    remaining = total
    active = [i for i in range(n) if weights[i] > 0 and caps[i] > 0]
    while remaining > 0 and active:
        wsum = sum(weights[i] for i in active)
        shares = {i: remaining * weights[i] / wsum for i in active}
        floors = {i: min(int(math.floor(shares[i])), caps[i] - out[i]) for i in active}
        for i in active:
            out[i] += floors[i]
        left = remaining - sum(floors.values())
        order = sorted(active, key=lambda i: (-(shares[i] - math.floor(shares[i])), i))
        for i in order:
            if left == 0:
                break
            if out[i] < caps[i]:
                out[i] += 1
                left -= 1
        remaining = left
        active = [i for i in active if out[i] < caps[i]]
    if remaining:
        raise ValueError("could not allocate")
    return out


def _cents(x: float) -> float:
    return round(x, 2)


# ---------------------------------------------------------------------------- 区划
def units_frame(label_points: dict[str, tuple[float, float]]) -> pd.DataFrame:
    rows = [{"code": CITY_CODE, "name": CITY_NAME, "level": "市", "parent_code": None,
             "lon": CITY_POINT[0], "lat": CITY_POINT[1]}]
    for u in UNITS:
        lon, lat = label_points.get(u.code, (None, None))
        rows.append({"code": u.code, "name": u.name, "level": "县级", "parent_code": CITY_CODE,
                     "lon": lon, "lat": lat})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- 耕地年度
def cultivated_frame() -> pd.DataFrame:
    rng = _rng("cultivated")
    cult = {u.code: u.cultivated_2023 + rng.randint(-45, 45) / 100 for u in UNITS}
    raw_farm = {u.code: cult[u.code] * u.farmland_ratio for u in UNITS}
    k = FARMLAND_2023_MU / sum(raw_farm.values())
    farm = {c: _cents(v * k) for c, v in raw_farm.items()}
    largest = max(farm, key=farm.get)
    farm[largest] = _cents(farm[largest] + FARMLAND_2023_MU - sum(farm.values()))

    rows = []
    for u in UNITS:
        target = _cents(cult[u.code] / (1 + u.target_margin))
        farm_target = _cents(farm[u.code] / (1 + u.farmland_margin))
        occ_rate = 0.0085 if u.urban else 0.0012
        supp_rate = 0.0005 if u.urban else 0.0023
        c, f = cult[u.code], farm[u.code]
        for y in reversed(YEARS):  # walk back from 2023
            supplemented = _cents(c * supp_rate * rng.uniform(0.75, 1.25))
            occupied = _cents(c * occ_rate * rng.uniform(0.7, 1.3))
            rows.append({
                "year": y, "code": u.code,
                "cultivated_mu": _cents(c), "cultivated_target_mu": target,
                "basic_farmland_mu": _cents(f), "basic_farmland_target_mu": farm_target,
                "occupied_mu": occupied, "supplemented_mu": _cents(supplemented),
            })
            adjustment = c * rng.uniform(-0.0006, 0.0002)   # 农业结构调整 and survey corrections
            change = supplemented - occupied + adjustment
            c = c - change
            f = f - change * 0.15 * rng.uniform(0.5, 1.5)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- 重点项目
def _day_in(start: dt.date, days: int, u: float, pace: float) -> dt.date:
    return start + dt.timedelta(days=min(days - 1, int(days * u ** pace)))


def projects_frame() -> pd.DataFrame:
    rows = []
    for year, cats in PROJECT_LISTS.items():
        rng = _rng("projects", year)
        start = dt.date(year, 1, 1)
        mid = dt.date(year, 7, 1)
        first_half = (mid - start).days
        second_half = (dt.date(year, 12, 31) - mid).days + 1
        for cat, (total, guaranteed_mid) in cats.items():
            counts = allocate(total, [u.project_weight for u in UNITS])
            if guaranteed_mid is None:
                share = rng.uniform(0.78, 0.86)
                guaranteed_mid = round(total * share)
            g_counts = allocate(guaranteed_mid, [n * u.performance ** 3 for n, u in zip(counts, UNITS)], counts)
            seq = 0
            for u, n, g in zip(UNITS, counts, g_counts):
                for i in range(n):
                    seq += 1
                    if i < g:
                        date = _day_in(start, first_half, rng.random(), u.pace)
                    elif rng.random() < 0.7:
                        date = _day_in(mid, second_half, rng.random(), u.pace)
                    else:
                        date = None
                    if date is not None and date > DATA_END:
                        date = None
                    area = _cents(rng.lognormvariate(math.log(60 if u.urban else 120), 0.7))
                    rows.append({
                        "year": year, "project_id": f"{year}-{CATEGORY_ABBR[cat]}-{seq:03d}",
                        "project_name": u.name.replace("焦作城乡一体化", "") + rng.choice(PROJECT_ITEMS),
                        "code": u.code, "category": cat, "area_mu": area, "guaranteed_date": date,
                    })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- 批而未供和闲置土地
def _pick(rng: random.Random, options: list[tuple[str, float]]) -> str:
    r, acc = rng.random(), 0.0
    for name, p in options:
        acc += p
        if r < acc:
            return name
    return options[-1][0]


def _parcels_of_type(year: int, kind: str, base: float, target: float | None,
                     calib_date: dt.date, rng: random.Random) -> list[dict]:
    is_idle = kind == S.IDLE
    weights = [u.idle_weight if is_idle else u.parcel_weight for u in UNITS]
    wsum = sum(weights)
    parcels = []
    for u, w in zip(UNITS, weights):
        unit_base = base * w / wsum
        got, seq = 0.0, 0
        while got < unit_base:
            seq += 1
            area = _cents(rng.uniform(8, 55) if is_idle else rng.lognormvariate(math.log(70), 0.8))
            area = max(area, 3.0)
            got += area
            parcels.append({
                "task_year": year, "code": u.code, "type": kind,
                "parcel_id": f"{'XZ' if is_idle else 'PW'}{u.code}-{seq:03d}",
                "approval_year": rng.randint(2012, year - 2) if is_idle else rng.randint(2009, year - 1),
                "area_mu": area, "disposal_date": None, "disposed_mu": None, "method": None,
                "_key": rng.random() ** u.pace,
            })
    total = sum(p["area_mu"] for p in parcels)
    if target is None:
        target = _cents(total * rng.uniform(0.45, 0.55))
    order = sorted(parcels, key=lambda p: (p["_key"], p["parcel_id"]))
    start = dt.date(year, 1, 4)
    span = (calib_date - start).days
    early, acc = [], 0.0
    for p in order:
        if acc >= target - 1e-9:
            break
        take = min(p["area_mu"], _cents(target - acc))
        p["disposed_mu"] = take
        acc = _cents(acc + take)
        early.append(p)
    for k, p in enumerate(early):
        frac = k / max(1, len(early) - 1)
        p["disposal_date"] = start + dt.timedelta(days=round(span * frac ** 0.85))
    late = [p for p in order if p["disposal_date"] is None]
    late_start = calib_date + dt.timedelta(days=1)
    late_span = (dt.date(year, 12, 25) - late_start).days
    for k, p in enumerate(late):
        if rng.random() < 0.72:
            day = late_start + dt.timedelta(days=round(late_span * (k / max(1, len(late) - 1)) ** 0.9))
            if day <= DATA_END:
                p["disposal_date"] = day
                p["disposed_mu"] = p["area_mu"] if rng.random() < 0.85 else _cents(p["area_mu"] * rng.uniform(0.5, 0.95))
    for p in parcels:
        if p["disposal_date"] is not None:
            p["method"] = _pick(rng, IDLE_METHODS if is_idle else UNSUPPLIED_METHODS)
        del p["_key"]
    return parcels


def parcels_frame() -> pd.DataFrame:
    rows = []
    for year in TASK_YEARS:
        calib_date, unsupplied_target, idle_target = PARCEL_CALIBRATION[year]
        unsupplied_base, idle_base = PARCEL_BASES[year]
        rows += _parcels_of_type(year, S.UNSUPPLIED, unsupplied_base, unsupplied_target,
                                 calib_date, _rng("parcels", year, "unsupplied"))
        rows += _parcels_of_type(year, S.IDLE, idle_base, idle_target,
                                 calib_date, _rng("parcels", year, "idle"))
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- 年度任务
TASK_YEARS_SET = (2023, 2024)          # the city set tasks from 2023 on; 2022 has none
PROJECT_TARGETS = {"410871": 0.92}     # 重点项目用地保障率目标; 95% elsewhere


def tasks_frame(parcels: pd.DataFrame | None = None) -> pd.DataFrame:
    """The annual tasks the city set its units: a share (85–100%, rounded to 10 亩) of each unit's
    campaign list for 批而未供 and 闲置土地 (none where the unit has no 闲置土地), and a key-project
    guarantee target. A new table: none of the published figures reads it."""
    parcels = parcels_frame() if parcels is None else parcels
    base = parcels.groupby(["task_year", "code", "type"])["area_mu"].sum()
    rows = []
    for year in TASK_YEARS_SET:
        rng = _rng("tasks", year)
        for u in UNITS:
            for kind, name in ((S.UNSUPPLIED, "批而未供处置"), (S.IDLE, "闲置土地处置")):
                share = rng.uniform(0.85, 1.0)
                b = float(base.get((year, u.code, kind), 0.0))
                if b > 0:
                    rows.append({"year": year, "code": u.code, "indicator": name,
                                 "target": float(max(10, round(b * share, -1)))})
            rows.append({"year": year, "code": u.code, "indicator": "重点项目用地保障率",
                         "target": PROJECT_TARGETS.get(u.code, 0.95)})
    return pd.DataFrame(rows, columns=[f.name for f in S.TASKS.schema])


# ---------------------------------------------------------------------------- writing
BOUNDARY_FILE = DEFAULT_DATA_DIR / "boundaries" / f"{CITY_CODE}.geojson"


def label_points(boundary_file: Path = BOUNDARY_FILE) -> dict[str, tuple[float, float]]:
    if not boundary_file.exists():
        return {}
    points = {}
    for feat in json.loads(boundary_file.read_text(encoding="utf-8"))["features"]:
        props, geom = feat["properties"], feat["geometry"]
        if geom["type"] == "Point":
            points[props["code"]] = tuple(geom["coordinates"])
        elif "label_lon" in props:
            points[props["code"]] = (props["label_lon"], props["label_lat"])
    return points


def frames() -> dict[str, pd.DataFrame]:
    parcels = parcels_frame()
    return {
        "units": units_frame(label_points()),
        "cultivated": cultivated_frame(),
        "projects": projects_frame(),
        "parcels": parcels,
        "tasks": tasks_frame(parcels),
    }


def write_demo(data_dir: Path) -> dict[str, int]:
    """Write the demo store into ``data_dir``; returns row counts per table."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    tables = {t.name: t for t in S.TABLES}
    counts = {}
    for name, df in frames().items():
        write_table(data_dir, tables[name], df)
        counts[name] = len(df)
    if BOUNDARY_FILE.exists() and BOUNDARY_FILE.resolve() != (data_dir / "boundaries" / BOUNDARY_FILE.name).resolve():
        (data_dir / "boundaries").mkdir(exist_ok=True)
        shutil.copyfile(BOUNDARY_FILE, data_dir / "boundaries" / BOUNDARY_FILE.name)
    write_meta(data_dir, {"demo": True, "label": "示例数据", "city": CITY_CODE,
                          "note": "焦作市示例数据：县级拆分为合成数据，市级合计与公开数据一致"})
    return counts
