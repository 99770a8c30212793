"""Property: any small valid ledger, written with any of the accepted quirks (docs/台账格式.md), imports
into an empty store and gives the summary computed directly from its rows."""
from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from openpyxl import Workbook

from gengdi.db import Database
from gengdi.ingest import import_files
from gengdi.summary import build_summary

# keep hypothesis's cache out of the repository
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "gengdi-hypothesis")

CITY = "990100"
CODES = ["990101", "990102", "990103"]
NAMES = ["甲县", "乙区", "丙市"]
FACTOR = {"亩": 1, "公顷": 15, "万亩": 10_000}
AS_OF = dt.date(2023, 6, 30)
TITLES = ["2023年重点项目用地保障台账", "填报单位：测试市自然资源和规划局", "单位：亩", "截至2023年6月30日"]
CATEGORIES = ["省重点", "市重点", "三个一批", "省重点建设项目", "市重点项目"]

dates = st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2023, 12, 31))
date_forms = st.sampled_from(["cell", "iso", "slash", "dot", "cn"])
hundredths = st.integers(min_value=1, max_value=100_000)       # areas as n/100 in the column's unit

project = st.fixed_dictionaries({
    "unit": st.integers(0, 2), "year": st.sampled_from([2022, 2023, 2023]), "category": st.sampled_from(CATEGORIES),
    "date": st.one_of(st.none(), dates), "form": date_forms, "area": st.one_of(st.none(), st.integers(0, 100_000)),
})
parcel = st.fixed_dictionaries({
    "unit": st.integers(0, 2), "year": st.sampled_from([2022, 2023, 2023]),
    "type": st.sampled_from(["批而未供", "闲置土地", "闲置"]), "area": hundredths,
    "date": st.one_of(st.none(), dates), "pct": st.integers(0, 100), "form": date_forms,
    "blank_zero": st.booleans(),   # undisposed: 处置面积 blank or 0
})
cultivated = st.tuples(hundredths, hundredths, hundredths, hundredths)

ledger = st.fixed_dictionaries({
    "n_units": st.integers(1, 3),
    "projects": st.lists(project, max_size=6),
    "parcels": st.lists(parcel, max_size=6),
    "cultivated": st.lists(cultivated, min_size=3, max_size=3),
    "units": st.fixed_dictionaries({t: st.sampled_from(list(FACTOR)) for t in ("cult", "proj", "area", "disposed")}),
    "titles": st.lists(st.sampled_from(TITLES), max_size=3),
    "total_row": st.booleans(),
    "blanks": st.lists(st.integers(0, 12), max_size=3),
    "fmt": st.sampled_from(["xlsx", "utf-8", "utf-8-sig", "gb18030"]),
    "numeric_codes": st.booleans(),
    "fullwidth": st.booleans(),
})


def fmt_date(d: dt.date, form: str, xlsx: bool):
    if form == "cell":
        return d if xlsx else d.isoformat()
    return {"iso": d.isoformat(), "slash": f"{d.year}/{d.month}/{d.day}", "dot": f"{d.year}.{d.month}.{d.day}",
            "cn": f"{d.year}年{d.month}月{d.day}日"}[form]


def num(h: int, xlsx: bool):
    return h / 100 if xlsx else f"{h / 100:.2f}"


def area_header(name: str, unit: str, fullwidth: bool) -> str:
    return f"{name}（{unit}）" if fullwidth else f"{name}({unit})"


def build_tables(g: dict, xlsx: bool) -> dict[str, list[list]]:
    n = g["n_units"]
    fw = g["fullwidth"]
    U = g["units"]

    def code(i: int):
        return int(CODES[i]) if (xlsx and g["numeric_codes"]) else CODES[i]

    def frame(header: list, rows: list[list], total: list | None) -> list[list]:
        body = list(rows)
        for pos in g["blanks"]:
            body.insert(min(pos, len(body)), [])
        out = [[t] for t in g["titles"]] + [header] + body
        if g["total_row"] and total is not None:
            out.append(total)
        return out

    units = frame(["行政区划代码", "名称", "级别", "上级代码"],
                  [[CITY, "测试市", "市", None]] + [[code(i), NAMES[i], "县级", CITY] for i in range(n)], None)
    cult = frame(["年度", "行政区划代码"] + [area_header(x, U["cult"], fw) for x in
                                      ("耕地面积", "耕地保有量目标", "永久基本农田面积", "永久基本农田保护任务")],
                 [[2023, code(i), *(num(h, xlsx) for h in g["cultivated"][i])] for i in range(n)],
                 ["合计", None, num(sum(g["cultivated"][i][0] for i in range(n)), xlsx)])
    proj_rows = []
    for k, p in enumerate(g["projects"]):
        if p["unit"] >= n:
            continue
        proj_rows.append([f"X{k:03d}", f"项目{k}", code(p["unit"]), p["category"], p["year"],
                          None if p["area"] is None else num(p["area"], xlsx),
                          None if p["date"] is None else fmt_date(p["date"], p["form"], xlsx)])
    projects = frame(["项目编号", "项目名称", "行政区划代码", "项目类别", "年度", area_header("用地面积", U["proj"], fw),
                      "用地保障日期"], proj_rows, ["合计", None, None, None, None, "1", None])
    parc_rows = []
    for k, q in enumerate(g["parcels"]):
        if q["unit"] >= n:
            continue
        if q["date"] is None:
            disposed = None if q["blank_zero"] else num(0, xlsx)
            date = None
        else:
            disposed = num(disposed_hundredths(q, U), xlsx)
            date = fmt_date(q["date"], q["form"], xlsx)
        parc_rows.append([f"D{k:03d}", code(q["unit"]), q["type"], 2015, num(q["area"], xlsx), q["year"], date, disposed,
                          "供地" if date else None])
    parcels = frame(["地块编号", "行政区划代码", "类型", "批准年度", area_header("面积", U["area"], fw), "任务年度",
                     "处置日期", area_header("处置面积", U["disposed"], fw), "处置方式"],
                    parc_rows, ["小计", None, None, None, "1", None, None, None, None])
    return {"区划": units, "耕地年度": cult, "重点项目": projects, "批而未供和闲置土地": parcels}


def files_for(g: dict) -> list[tuple[str, bytes]]:
    xlsx = g["fmt"] == "xlsx"
    tables = build_tables(g, xlsx)
    if xlsx:
        wb = Workbook()
        wb.remove(wb.active)
        for name, rows in tables.items():
            ws = wb.create_sheet(name)
            for i, row in enumerate(rows, start=1):
                for j, v in enumerate(row, start=1):
                    if v is not None:
                        ws.cell(i, j, v)
        buf = io.BytesIO()
        wb.save(buf)
        return [("ledger.xlsx", buf.getvalue())]
    out = []
    for name, rows in tables.items():
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows([["" if v is None else v for v in r] for r in rows])
        out.append((f"{name}.csv", buf.getvalue().encode(g["fmt"])))
    return out


def disposed_hundredths(q: dict, U: dict) -> int:
    """pct % of the parcel's area, in hundredths of the 处置面积 column's unit, never above the area."""
    return (q["area"] * FACTOR[U["area"]] * q["pct"]) // (100 * FACTOR[U["disposed"]])


def expected(g: dict) -> dict:
    n, U = g["n_units"], g["units"]
    projects = [p for p in g["projects"] if p["unit"] < n and p["year"] == 2023]
    parcels = [q for q in g["parcels"] if q["unit"] < n and q["year"] == 2023]
    out = {
        "projects_total": len(projects),
        "projects_guaranteed": sum(1 for p in projects if p["date"] is not None and p["date"] <= AS_OF),
        "cultivated_mu": Fraction(sum(g["cultivated"][i][0] for i in range(n)) * FACTOR[U["cult"]], 100),
    }
    for prefix, kinds in (("unsupplied", {"批而未供"}), ("idle", {"闲置土地", "闲置"})):
        rows = [q for q in parcels if q["type"] in kinds]
        out[f"{prefix}_mu"] = Fraction(sum(q["area"] for q in rows) * FACTOR[U["area"]], 100)
        out[f"{prefix}_disposed_mu"] = Fraction(sum(disposed_hundredths(q, U) for q in rows
                                                    if q["date"] is not None and q["date"] <= AS_OF)
                                                * FACTOR[U["disposed"]], 100)
    return out


@settings(max_examples=25, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ledger)
def test_random_valid_ledger_imports_and_sums(g):
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "store"
        r = import_files(d, files_for(g))
        assert r.ok, [p.message for p in r.problems]
        assert r.version is not None
        totals = [w for w in r.warnings if w.reason == "合计行，已跳过"]
        assert len(totals) == (3 if g["total_row"] else 0)
        city = build_summary(Database(d), CITY, AS_OF)["city"]
        want = expected(g)
        assert (city["projects_total"], city["projects_guaranteed"]) == (want["projects_total"],
                                                                         want["projects_guaranteed"])
        for key in ("cultivated_mu", "unsupplied_mu", "unsupplied_disposed_mu", "idle_mu", "idle_disposed_mu"):
            assert abs(city[key] - float(want[key])) <= 1e-6, (key, city[key], want[key])
