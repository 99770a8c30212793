"""Ledger import (docs/台账格式.md): refusals, accepted quirks, replacement, idempotence, round trip,
history and rollback, crash safety, the import lock and a second city computed by hand.

Every ledger is built here in code (openpyxl / csv); nothing binary is committed.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from conftest import TINY_UNITS, make_store, parcel, proj
from gengdi import versions
from gengdi.config import DEFAULT_DATA_DIR, REPO_ROOT
from gengdi.db import Database
from gengdi.ingest import import_files as _import_files
from gengdi.ingest import last_imports, rollback
from gengdi.ingest.merge import load_tables
from gengdi.summary import build_summary

# these tests exercise replace mode as a clerk who confirmed that the file is the complete list
# (the confirmation itself is tested in tests/test_import_v2.py)
import_files = functools.partial(_import_files, confirm_deletions=True)

D = dt.date
JUNE = D(2023, 6, 30)


# ---------------------------------------------------------------------------- helpers
def demo_copy(tmp_path: Path, name: str = "store") -> Path:
    """A private copy of the committed demo store (base version only)."""
    dst = tmp_path / name
    shutil.copytree(DEFAULT_DATA_DIR, dst, ignore=shutil.ignore_patterns("versions", "CURRENT", ".import.lock",
                                                                           "CURRENT.tmp"))
    return dst


def snapshot(d: Path) -> dict[str, str]:
    """sha256 of every file under the store (the import lock file excepted)."""
    return {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file() and p.name != versions.LOCK}


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for i, row in enumerate(rows, start=1):
            for j, v in enumerate(row, start=1):
                if v is not None:
                    cell = ws.cell(i, j, v)
                    if isinstance(v, (dt.date, dt.datetime)):
                        cell.number_format = "yyyy-mm-dd"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([["" if v is None else v for v in r] for r in rows])
    return buf.getvalue().encode(encoding)


def summary(d: Path, city: str | None, as_of: dt.date) -> dict:
    return build_summary(Database(d), city, as_of)   # a fresh connection: sees the version in force


def summary_json(d: Path, city: str | None = "410800", as_of: dt.date = JUNE) -> str:
    return json.dumps(summary(d, city, as_of), sort_keys=True, ensure_ascii=False, default=str)


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "gengdi", *args], capture_output=True, text=True,
                          encoding="utf-8", env=full_env, cwd=REPO_ROOT, timeout=120)


def counts(frame: pd.DataFrame, year_field: str) -> dict[tuple[str, int], int]:
    return {(c, int(y)): int(n) for (c, y), n in frame.groupby(["code", year_field]).size().items()}


PROJ_H = ["项目编号", "项目名称", "行政区划代码", "项目类别", "年度", "用地面积(亩)", "用地保障日期"]
PROJ_OK = ["T-001", "测试项目", "410821", "省重点", 2023, 12.5, "2023-03-15"]
PARC_H = ["地块编号", "行政区划代码", "类型", "批准年度", "面积(亩)", "任务年度", "处置日期", "处置面积(亩)", "处置方式"]
PARC_OK = ["T-P01", "410821", "批而未供", 2016, 10, 2023, "2023-05-10", 10, "供地"]
UNIT_H = ["行政区划代码", "名称", "级别", "上级代码", "经度", "纬度"]
CULT_H = ["年度", "行政区划代码", "耕地面积(亩)", "耕地保有量目标(亩)", "永久基本农田面积(亩)", "永久基本农田保护任务(亩)"]
CULT_OK = [2023, "410821", 250000, 249000, 225000, 224500]


def proj_row(**cells) -> list:
    out = list(PROJ_OK)
    for k, v in cells.items():
        out[PROJ_H.index(k)] = v
    return out


def parc_row(**cells) -> list:
    out = list(PARC_OK)
    for k, v in cells.items():
        out[PARC_H.index(k)] = v
    return out


def one(sheet_rows: list[list], name: str = "台账.xlsx", sheet: str = "Sheet1") -> list[tuple[str, bytes]]:
    return [(name, xlsx({sheet: sheet_rows}))]


TITLE = ["2023年重点项目用地保障台账"]
DATE_LINE = ["填报日期：2023年7月5日"]

# 8 bytes of an OLE2 compound file (the legacy .xls container) + padding
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def _zip_without_workbook() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    return buf.getvalue()


def _empty_workbook() -> bytes:
    wb = Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------- a. refusals
# (files, Excel row or None, column or None, distinctive reason)
BAD = [
    # unknown 行政区划代码: 419999 is in neither the store nor the file's 区划
    pytest.param(one([PROJ_H, proj_row(行政区划代码="419999")]), 2, "行政区划代码", "未知的行政区划代码",
                 id="unknown-code"),
    # codes that are not 6 digits
    pytest.param(one([PROJ_H, proj_row(行政区划代码="41082")]), 2, "行政区划代码", "6位数字", id="code-5-digits"),
    pytest.param(one([PROJ_H, proj_row(行政区划代码="4108210")]), 2, "行政区划代码", "6位数字", id="code-7-digits"),
    pytest.param(one([PROJ_H, proj_row(行政区划代码="41O821")]), 2, "行政区划代码", "6位数字", id="code-letter-O"),
    pytest.param(one([PROJ_H, proj_row(行政区划代码=410821.5)]), 2, "行政区划代码", "6位数字", id="code-fraction"),
    # a missing required column: the header row (row 1) is named
    pytest.param(one([PROJ_H[:-1], PROJ_OK[:-1]]), 1, None, "缺少必需的列：用地保障日期", id="missing-column-project"),
    pytest.param(one([[h for h in PARC_H if h != "任务年度"], [v for h, v in zip(PARC_H, PARC_OK) if h != "任务年度"]]),
                 1, None, "缺少必需的列：任务年度", id="missing-column-parcel"),
    # an area column without a unit (header at row 3 under a title and a date line)
    pytest.param(one([TITLE, DATE_LINE, PROJ_H[:5] + ["用地面积", "用地保障日期"], PROJ_OK]), 3, "用地面积",
                 "面积列没有单位", id="area-without-unit"),
    # a unit that is not 亩/公顷/万亩: named as such on the header row
    pytest.param(one([CULT_H[:2] + ["耕地面积(平方米)"] + CULT_H[3:], CULT_OK]), 1, "耕地面积(平方米)",
                 "面积单位“平方米”无法识别", id="area-unknown-unit"),
    # text in a numeric column: title row 1, blank row 2, header row 3, good row 4, bad row 5
    pytest.param(one([TITLE, [], PROJ_H, PROJ_OK, proj_row(项目编号="T-002", **{"用地面积(亩)": "约12亩"})]),
                 5, "用地面积(亩)", "不是数字", id="text-in-area"),
    pytest.param(one([UNIT_H, ["410821", "修武县", "县级", "410800", "东经113度", 35.3]]), 2, "经度", "不是数字",
                 id="text-in-longitude"),
    # a negative area
    pytest.param(one([PARC_H, parc_row(**{"面积(亩)": -3, "处置日期": None, "处置面积(亩)": None})]), 2, "面积(亩)",
                 "面积不能为负数", id="negative-area"),
    pytest.param(one([CULT_H, [2023, "410821", -1, 249000, 225000, 224500]]), 2, "耕地面积(亩)", "面积不能为负数",
                 id="negative-cultivated"),
    # 处置面积 > 面积 (10 亩 parcel, 12 亩 disposed)
    pytest.param(one([PARC_H, parc_row(**{"处置面积(亩)": 12})]), 2, "处置面积", "处置面积大于地块面积",
                 id="disposed-over-area"),
    # 处置日期 set without 处置面积
    pytest.param(one([PARC_H, parc_row(**{"处置面积(亩)": None})]), 2, "处置面积", "填写了处置日期，但处置面积为空",
                 id="date-without-disposed"),
    # unparseable dates
    pytest.param(one([PROJ_H, proj_row(用地保障日期="六月中旬")]), 2, "用地保障日期", "无法识别的日期", id="date-words"),
    pytest.param(one([PROJ_H, proj_row(用地保障日期="2023年6月")]), 2, "用地保障日期", "无法识别的日期",
                 id="date-no-day"),
    pytest.param(one([PARC_H, parc_row(处置日期="2023-02-30")]), 2, "处置日期", "日期不存在", id="date-feb-30"),
    # a duplicate key within the file: (2023, T-001) on rows 2 and 3
    pytest.param(one([PROJ_H, PROJ_OK, proj_row(项目名称="另一个名称")]), 3, "项目编号", "与第 2 行重复",
                 id="duplicate-project"),
    pytest.param(one([PARC_H, PARC_OK, [], parc_row(行政区划代码="410822")]), 4, "地块编号", "与第 2 行重复",
                 id="duplicate-parcel"),
    # a year outside 2000–2100
    pytest.param(one([PROJ_H, proj_row(年度=1999)]), 2, "年度", "2000–2100", id="year-1999"),
    pytest.param(one([PARC_H, parc_row(任务年度="2101")]), 2, "任务年度", "2000–2100", id="year-2101"),
    pytest.param(one([CULT_H, [2023.5] + CULT_OK[1:]]), 2, "年度", "整数年份", id="year-fraction"),
    # an empty file
    pytest.param([("空.csv", b"")], None, None, "文件是空的", id="empty-csv"),
    pytest.param([("空.csv", b"\r\n\r\n  \r\n")], None, None, "文件是空的", id="blank-lines-csv"),
    pytest.param([("空.csv", b",,,\r\n,,,\r\n")], None, None, "文件是空的", id="only-commas-csv"),
    pytest.param([("空.xlsx", _empty_workbook())], None, None, "文件是空的", id="empty-xlsx"),
    # a file that is not a spreadsheet at all
    pytest.param([("照片.png", PNG)], None, None, "不是表格文件", id="png"),
    pytest.param([("照片.csv", PNG)], None, None, "不是表格文件", id="png-named-csv"),
    pytest.param([("台账.xlsx", b"%PDF-1.4 not really a workbook")], None, None, "不是有效的 Excel", id="pdf-named-xlsx"),
    pytest.param([("台账.xlsx", _zip_without_workbook())], None, None, "不是有效的 Excel", id="zip-not-xlsx"),
    pytest.param([("说明.txt", "这是一份说明，不是台账。\n第二行。\n".encode())], None, None, "没有找到台账表头",
                 id="plain-text"),
    # ---- more refusals
    # legacy .xls
    pytest.param([("台账.xls", OLE)], None, None, "不支持旧版 .xls", id="legacy-xls"),
    # a 县级 unit without 上级代码
    pytest.param(one([UNIT_H, ["410899", "新区", "县级", None, None, None]]), 2, "上级代码", "县级单位必须填写上级代码",
                 id="county-without-parent"),
    # 上级代码 that is not a known 市
    pytest.param(one([UNIT_H, ["410899", "新区", "县级", "419900", None, None]]), 2, "上级代码", "上级代码不是已知的市",
                 id="parent-unknown"),
    # 级别 neither 市 nor 县级
    pytest.param(one([UNIT_H, ["410899", "新区", "县", "410800", None, None]]), 2, "级别", "级别应为“市”或“县级”",
                 id="level-invalid"),
    # 类型 invalid
    pytest.param(one([PARC_H, parc_row(类型="闲置地")]), 2, "类型", "类型应为“批而未供”或“闲置土地”", id="type-invalid"),
    # data rows for a 市 code
    pytest.param(one([PROJ_H, proj_row(行政区划代码="410800")]), 2, "行政区划代码", "不是县级单位", id="city-code-in-data"),
    # a required cell left blank
    pytest.param(one([PROJ_H, proj_row(项目名称=None)]), 2, "项目名称", "必填项为空", id="required-blank"),
    # 处置面积 without 处置日期
    pytest.param(one([PARC_H, parc_row(处置日期=None)]), 2, "处置面积", "处置日期为空时处置面积应为空或0",
                 id="disposed-without-date"),
    # 面积 must be > 0 for parcels and targets
    pytest.param(one([PARC_H, parc_row(**{"面积(亩)": 0, "处置日期": None, "处置面积(亩)": None})]), 2, "面积(亩)",
                 "面积必须大于0", id="parcel-area-zero"),
    pytest.param(one([CULT_H, [2023, "410821", 250000, 0, 225000, 224500]]), 2, "耕地保有量目标(亩)", "面积必须大于0",
                 id="target-zero"),
    # the project number 2023-CZD-001 belongs to 解放区 (410802) in the demo store's 2023 list
    pytest.param(one([PROJ_H, proj_row(项目编号="2023-CZD-001")]), 2, "项目编号", "编号与库中单位 410802",
                 id="number-of-another-unit"),
    # two files with the same key: a.csv row 2 and b.csv row 2
    pytest.param([("a.csv", csv_bytes([PROJ_H, PROJ_OK])), ("b.csv", csv_bytes([PROJ_H, PROJ_OK]))], 2, "项目编号",
                 "与a.csv 第 2 行重复", id="duplicate-across-files"),
]


@pytest.mark.parametrize("files, row, column, reason", BAD)
def test_bad_input_is_refused_and_changes_nothing(tmp_path, files, row, column, reason):
    d = demo_copy(tmp_path)
    before = snapshot(d)
    r = import_files(d, files)
    assert not r.ok and r.version is None and not r.changed
    assert r.problems, "a refusal must list its problems"
    hits = [p for p in r.problems if reason in p.message]
    assert hits, [p.message for p in r.problems]
    p = hits[0]
    assert p.file in {n for n, _ in files}
    assert p.file in p.message
    if row is not None:
        assert p.row == row
        assert f"第 {row} 行" in p.message
    if column is not None:
        assert p.column.startswith(column)
        assert f"列“{column}" in p.message
    assert snapshot(d) == before
    assert versions.current_id(d) == versions.BASE


def test_refusal_is_all_or_nothing_and_lists_every_problem(tmp_path):
    d = demo_copy(tmp_path)
    before = snapshot(d)
    # a good cultivated sheet, and a project sheet with three bad rows (2: code, 4: date, 5: year)
    files = [("台账.xlsx", xlsx({
        "耕地": [CULT_H, CULT_OK],
        "项目": [PROJ_H, proj_row(行政区划代码="41082"), proj_row(项目编号="T-002"),
               proj_row(项目编号="T-003", 用地保障日期="明天"), proj_row(项目编号="T-004", 年度=1990)],
    }))]
    r = import_files(d, files)
    assert not r.ok
    assert sorted((p.sheet, p.row, p.column) for p in r.problems) == [
        ("项目", 2, "行政区划代码"), ("项目", 4, "用地保障日期"), ("项目", 5, "年度")]
    assert all("工作表“项目”" in p.message for p in r.problems)
    assert snapshot(d) == before


def test_refusal_lists_cell_and_code_problems_together(tmp_path):
    d = demo_copy(tmp_path)
    # row 2: unknown code 419999; row 3: year 1999; rows 4 and 5: the same key twice
    rows = [PROJ_H, proj_row(行政区划代码="419999"), proj_row(项目编号="T-2", 年度=1999),
            proj_row(项目编号="T-3"), proj_row(项目编号="T-3")]
    r = import_files(d, one(rows))
    assert not r.ok
    assert sorted((p.row, p.column.split("、")[0]) for p in r.problems) == [
        (2, "行政区划代码"), (3, "年度"), (5, "项目编号")]


def test_dry_run_writes_nothing(tmp_path):
    d = demo_copy(tmp_path)
    before = snapshot(d)
    r = import_files(d, one([PROJ_H, PROJ_OK]), dry_run=True)
    assert r.ok and r.changed and r.version is None
    assert snapshot(d) == before


def test_cli_refusal_exit_1_lists_problems(tmp_path):
    d = demo_copy(tmp_path)
    before = snapshot(d)
    bad = tmp_path / "项目.xlsx"
    bad.write_bytes(xlsx({"Sheet1": [PROJ_H, proj_row(行政区划代码="41082"), proj_row(项目编号="T-2", 年度=1999)]}))
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")
    r = cli("import", str(bad), str(empty), "--data", str(d))
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert "导入被拒绝" in r.stderr
    lines = r.stderr.splitlines()
    assert any("第 2 行" in x and "列“行政区划代码”" in x and "6位数字" in x for x in lines), r.stderr
    assert any("第 3 行" in x and "列“年度”" in x and "2000–2100" in x for x in lines), r.stderr
    assert any("空.csv" in x and "文件是空的" in x for x in lines), r.stderr
    assert snapshot(d) == before


def test_cli_not_a_spreadsheet_and_missing_file(tmp_path):
    d = demo_copy(tmp_path)
    before = snapshot(d)
    png = tmp_path / "照片.png"
    png.write_bytes(PNG)
    r = cli("import", str(png), "--data", str(d))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "不是表格文件" in r.stderr
    # a file that does not exist: a usage error, one Chinese line, exit 2
    r = cli("import", str(tmp_path / "没有这个文件.xlsx"), "--data", str(d))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "不存在" in r.stderr
    assert snapshot(d) == before


# ---------------------------------------------------------------------------- b. quirks accepted
def _xw_2023(d: Path) -> pd.DataFrame:
    t = load_tables(versions.root(d))["projects"]
    return t[(t["code"] == "410821") & (t["year"] == 2023)].sort_values("project_id").reset_index(drop=True)


def test_project_quirks_xlsx(tmp_path):
    d = demo_copy(tmp_path)
    rows = [
        TITLE,                                                        # row 1: title
        [DATE_LINE[0], None, None, "单位：公顷"],                      # row 2: date line
        [],                                                           # row 3: blank
        [" 项目编号", "项目名称 ", "行政区划 代码", "项目类别", "年 度", "用地面积 （公顷）", "用地保障日期", "备注"],  # row 4
        ["Q-01", "甲", 410821, "省重点建设项目", 2023, 2.5, D(2023, 6, 15), "x"],          # numeric code, date cell
        [],                                                           # row 6: blank
        ["Q-02", "乙", "410821", "市重点", "2023", "1.2", "2023-06-15"],                  # text everywhere
        ["Q-03", "丙", 410821.0, "三个一批", 2023.0, 0, "2023/6/15"],
        ["Q-04", "丁", "410821", "省重点建设项目", 2023, 10, "2023.6.15"],
        ["Q-05", "戊", "410821", "市重点", 2023, 0.04, "2023年6月15日"],
        ["Q-06", "己", "410821", "市重点", 2023, None, None],                            # not yet guaranteed
        ["小计", None, None, None, None, 13.74, None],                                  # row 12
        [None, "合计", None, None, None, 13.74, None],                                  # row 13: first TEXT cell
        ["总计：", None, None, None, None, 13.74],                                       # row 14
    ]
    r = import_files(d, one(rows, sheet="修武县重点项目"))
    assert r.ok, [p.message for p in r.problems]
    assert sorted((w.row, w.reason) for w in r.warnings) == [
        (4, "未知的列，已忽略"), (12, "合计行，已跳过"), (13, "合计行，已跳过"), (14, "合计行，已跳过")]
    got = _xw_2023(d)
    assert list(got["project_id"]) == ["Q-01", "Q-02", "Q-03", "Q-04", "Q-05", "Q-06"]
    assert list(got["category"]) == ["省重点建设项目", "市重点", "三个一批", "省重点建设项目", "市重点", "市重点"]
    # 公顷 × 15: 2.5→37.5, 1.2→18, 0→0, 10→150, 0.04→0.6, blank→null
    assert got["area_mu"].tolist()[:5] == pytest.approx([37.5, 18.0, 0.0, 150.0, 0.6])
    assert pd.isna(got["area_mu"].iloc[5])
    assert list(got["guaranteed_date"])[:5] == [D(2023, 6, 15)] * 5
    assert got["guaranteed_date"].iloc[5] is None or pd.isna(got["guaranteed_date"].iloc[5])
    # 修武县 2023 as of 2023-06-15: 6 projects, 5 guaranteed; the new category is counted
    u = next(u for u in summary(d, "410800", D(2023, 6, 15))["units"] if u["code"] == "410821")
    assert (u["projects_total"], u["projects_guaranteed"]) == (6, 5)
    assert u["projects_by_category"]["省重点建设项目"] == {"total": 2, "guaranteed": 2, "rate": 1.0}
    # one day earlier nothing is guaranteed yet
    u = next(u for u in summary(d, "410800", D(2023, 6, 14))["units"] if u["code"] == "410821")
    assert (u["projects_total"], u["projects_guaranteed"]) == (6, 0)


def test_area_units_and_header_spelling_cultivated(tmp_path):
    d = demo_copy(tmp_path)
    header = ["年度", "行政区划代码", "耕地面积(万亩)", "耕地保有量目标（公顷）", "永久基本农田面积 ( 亩 )",
              "永久基本农田保护任务（ 万亩 ）", "建设占用耕地(公顷)", "补充耕地(亩)"]
    # 25.5 万亩 = 255 000 亩; 16 600 公顷 = 249 000 亩; 225 000 亩; 22.45 万亩 = 224 500 亩;
    # 21.4 公顷 = 321 亩; 580 亩
    r = import_files(d, one([header, [2023, "410821", 25.5, 16600, 225000, 22.45, 21.4, 580]]))
    assert r.ok, [p.message for p in r.problems]
    c = load_tables(versions.root(d))["cultivated"]
    row = c[(c["code"] == "410821") & (c["year"] == 2023)].iloc[0]
    assert (row["cultivated_mu"], row["cultivated_target_mu"], row["basic_farmland_mu"],
            row["basic_farmland_target_mu"]) == (255000.0, 249000.0, 225000.0, 224500.0)
    assert row["occupied_mu"] == pytest.approx(321.0) and row["supplemented_mu"] == 580.0
    u = next(u for u in summary(d, "410800", JUNE)["units"] if u["code"] == "410821")
    assert u["cultivated_mu"] == 255000.0 and u["cultivated_rate"] == pytest.approx(255000 / 249000)
    assert u["basic_farmland_rate"] == pytest.approx(225000 / 224500)
    # the other 10 units' 2023 rows are untouched
    base = load_tables(DEFAULT_DATA_DIR)["cultivated"]
    other = lambda t: t[t["code"] != "410821"].sort_values(["year", "code"]).reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(other(c), other(base), check_dtype=False)


def test_an_import_changes_the_cache_keys_of_the_tables_it_rewrites_only(tmp_path):
    """The dashboard caches results under the fingerprints of the tables they read: a 耕地 ledger
    must invalidate 耕地 results and leave the project and parcel results cached."""
    from gengdi.store import fingerprints, version

    d = demo_copy(tmp_path)
    before, v0 = fingerprints(d), version(d)
    header = ["年度", "行政区划代码", "耕地面积(亩)", "耕地保有量目标(亩)", "永久基本农田面积(亩)", "永久基本农田保护任务(亩)"]
    r = import_files(d, one([header, [2023, "410821", 640000, 630000, 585000, 584000]]))
    assert r.ok, [p.message for p in r.problems]
    after = fingerprints(d)
    assert version(d) != v0
    assert after["cultivated"] != before["cultivated"]
    assert {k: after[k] for k in ("units", "projects", "parcels", "boundaries")} == \
           {k: before[k] for k in ("units", "projects", "parcels", "boundaries")}


def test_parcel_quirks_date_forms_and_idle_alias(tmp_path):
    d = demo_copy(tmp_path)
    header = ["地块编号", "行政区划代码", "类型", "批准年度", "面积（公顷）", "任务年度", "处置日期", "处置面积（公顷）",
              "处置方式"]
    rows = [["修武县批而未供和闲置土地处置台账"], header,
            ["Z1", 410821, "批而未供", 2016, 2, 2023, D(2023, 6, 15), 2, "供地"],        # 30 / 30
            ["Z2", "410821", "批而未供", "2017", "4", "2023", "2023/6/15", "1", "收回"],  # 60 / 15
            ["Z3", "410821", "闲置", None, 1, 2023, "2023.6.15", 0.5, None],            # 闲置 → 闲置土地, 15 / 7.5
            ["Z4", "410821", "闲置土地", 2018, 3, 2023, "2023年6月15日", 3, "动工开发"],  # 45 / 45
            ["Z5", "410821", "批而未供", 2019, 1, 2023, None, 0, None],                 # blank date, 0 disposed
            ["Z6", "410821", "批而未供", 2019, 1, 2023, "2023-07-01", 1, "供地"],        # after the as-of date
            ["合计", None, None, None, 12, None, None, 7.5]]
    r = import_files(d, one(rows))
    assert r.ok, [p.message for p in r.problems]
    assert [(w.row, w.reason) for w in r.warnings] == [(9, "合计行，已跳过")]
    p = load_tables(versions.root(d))["parcels"]
    p = p[(p["code"] == "410821") & (p["task_year"] == 2023)].sort_values("parcel_id")
    assert list(p["type"]) == ["批而未供", "批而未供", "闲置土地", "闲置土地", "批而未供", "批而未供"]
    assert list(p["disposal_date"])[:4] == [D(2023, 6, 15)] * 4
    u = next(u for u in summary(d, "410800", JUNE)["units"] if u["code"] == "410821")
    # 批而未供: Z1 30 + Z2 60 + Z5 15 + Z6 15 = 120 亩; disposed by 6-30: 30 + 15 = 45
    # 闲置土地: Z3 15 + Z4 45 = 60 亩; disposed 7.5 + 45 = 52.5
    assert (u["unsupplied_mu"], u["unsupplied_disposed_mu"]) == (120.0, 45.0)
    assert (u["idle_mu"], u["idle_disposed_mu"]) == (60.0, 52.5)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    d = demo_copy(tmp_path)
    rows = [TITLE, DATE_LINE, ["项目编号", "项目名称", "行政区划代码", "项目类别", "年度", "用地面积（万亩）", "用地保障日期"],
            ["冀-01", "邯郸钢铁深加工项目", "410821", "省重点建设项目", "2023", "0.0125", "2023年6月15日"],
            [],
            ["冀-02", "物流园区（二期）", "410821", "市重点项目", "2023", "0.001", ""],
            ["合计", "", "", "", "", "0.0135", ""]]
    data = csv_bytes(rows, encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")     # really not UTF-8
    r = import_files(d, [("修武县项目.csv", data)])
    assert r.ok, [p.message for p in r.problems]
    assert [(w.row, w.reason) for w in r.warnings] == [(7, "合计行，已跳过")]
    got = _xw_2023(d)
    assert list(got["project_id"]) == ["冀-01", "冀-02"]
    assert list(got["project_name"]) == ["邯郸钢铁深加工项目", "物流园区（二期）"]
    assert list(got["category"]) == ["省重点建设项目", "市重点项目"]
    # 0.0125 万亩 = 125 亩; 0.001 万亩 = 10 亩
    assert got["area_mu"].tolist() == pytest.approx([125.0, 10.0])
    assert got["guaranteed_date"].iloc[0] == D(2023, 6, 15)


def test_csv_semicolon_and_tab_delimiters(tmp_path):
    d = demo_copy(tmp_path)
    for sep in ("\t", ";"):
        text = "\r\n".join(sep.join(map(str, r)) for r in [PROJ_H, PROJ_OK]) + "\r\n"
        r = import_files(d, [("p.csv", text.encode("utf-8"))], dry_run=True)
        assert r.ok, (repr(sep), [p.message for p in r.problems])


# ---------------------------------------------------------------------------- c. replacement rule
def test_ledger_replaces_a_units_year_and_nothing_else(tmp_path):
    d = demo_copy(tmp_path)
    before = load_tables(d)
    s0 = summary(d, "410800", JUNE)
    rows = [PROJ_H, ["R-1", "新项目一", "410821", "省重点", 2023, 5, "2023-02-01"],
            ["R-2", "新项目二", "410821", "市重点", 2023, 7, None]]
    r = import_files(d, one(rows))
    assert r.ok and r.version
    # the demo has 48 projects for 修武县 in 2023: all 48 go, 2 come in
    assert [(c.table, c.code, c.name, c.year, c.added, c.replaced, c.unchanged, c.removed) for c in r.changes] == [
        ("重点项目", "410821", "修武县", 2023, 2, 0, 0, 48)]
    after = load_tables(versions.root(d))
    cb, ca = counts(before["projects"], "year"), counts(after["projects"], "year")
    assert cb[("410821", 2023)] == 48 and ca[("410821", 2023)] == 2
    assert {k: v for k, v in ca.items() if k != ("410821", 2023)} == {k: v for k, v in cb.items() if k != ("410821", 2023)}
    # other tables identical; projects of other (unit, year) identical row for row
    for name in ("units", "cultivated", "parcels"):
        pd.testing.assert_frame_equal(after[name], before[name])
    keep = lambda t: t[~((t["code"] == "410821") & (t["year"] == 2023))].sort_values(["year", "project_id"]).reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(keep(after["projects"]), keep(before["projects"]))
    s1 = summary(d, "410800", JUNE)
    u = next(u for u in s1["units"] if u["code"] == "410821")
    assert (u["projects_total"], u["projects_guaranteed"]) == (2, 1)
    assert s1["city"]["projects_total"] == s0["city"]["projects_total"] - 48 + 2   # 596 - 48 + 2 = 550
    assert s1["city"]["projects_total"] == 550
    # figures of the other units do not move (ranks may)
    for u0, u1 in zip(s0["units"], s1["units"]):
        if u0["code"] != "410821":
            assert (u0["projects_total"], u0["projects_guaranteed"]) == (u1["projects_total"], u1["projects_guaranteed"])
    # 2022 and 2024 for 修武县 untouched
    assert ca[("410821", 2022)] == 44 and ca[("410821", 2024)] == 50


def test_units_upsert_renames_and_adds(tmp_path):
    d = demo_copy(tmp_path)
    rows = [UNIT_H, ["410821", "修武县（新名）", "县级", "410800", 113.24271, 35.31054],
            ["410872", "焦作高新区", "县级", "410800", 113.3, 35.2]]
    r = import_files(d, one(rows))
    assert r.ok, [p.message for p in r.problems]
    assert sorted((c.code, c.added, c.replaced, c.unchanged) for c in r.changes) == [
        ("410821", 0, 1, 0), ("410872", 1, 0, 0)]
    u = load_tables(versions.root(d))["units"].set_index("code")
    assert len(u) == 13 and u.loc["410821", "name"] == "修武县（新名）" and u.loc["410800", "name"] == "焦作市"
    s = summary(d, "410800", JUNE)
    assert len(s["units"]) == 12
    assert {x["code"]: x["name"] for x in s["units"]}["410821"] == "修武县（新名）"
    # the new unit has no data: no figures, no rank; 修武县's figures still there
    new = next(x for x in s["units"] if x["code"] == "410872")
    assert new["projects_total"] == 0 and new["composite_rank"] is None


def test_change_counts_hand_made(tmp_path):
    d = make_store(tmp_path / "tiny", TINY_UNITS, [],
                   [proj(2023, "P1", "990101", "省重点", D(2023, 1, 15)),
                    proj(2023, "P2", "990101", "省重点", D(2023, 6, 30)),
                    proj(2023, "P3", "990101", "市重点", D(2023, 7, 1)),
                    proj(2023, "P4", "990102", "市重点", D(2023, 3, 1)),
                    proj(2022, "P1", "990101", "省重点", None)],
                   [parcel(2023, "A1", "990101", "批而未供", 100.0, D(2023, 2, 1), 60.0),
                    parcel(2023, "A4", "990103", "批而未供", 40.0)])
    files = [("tiny.xlsx", xlsx({
        "区划": [UNIT_H[:4], ["990101", "甲县", "县级", "990100"],          # unchanged
                 ["990103", "丙县（更名）", "县级", "990100"]],            # replaced
        "项目": [PROJ_H,
                 ["P1", "P1", "990101", "省重点", 2023, 10, D(2023, 1, 15)],   # unchanged
                 ["P2", "P2", "990101", "省重点", 2023, 10, "2023-05-01"],     # replaced (date)
                 ["P9", "P9", "990101", "三个一批", 2023, 3, None],            # added
                 # P3 absent: removed
                 ["P4", "P4", "990102", "市重点", 2023, 10, "2023/3/1"]],      # unchanged
        "地块": [PARC_H, ["A4", "990103", "批而未供", 2015, 40, 2023, "2023-06-01", 40, "供地"]],   # replaced
    }))]
    r = import_files(d, files)
    assert r.ok, [p.message for p in r.problems]
    got = sorted((c.table, c.code, c.name, c.year, c.added, c.replaced, c.unchanged, c.removed) for c in r.changes)
    assert got == sorted([
        ("区划", "990101", "甲县", None, 0, 0, 1, 0),
        ("区划", "990103", "丙县（更名）", None, 0, 1, 0, 0),
        ("重点项目", "990101", "甲县", 2023, 1, 1, 1, 1),
        ("重点项目", "990102", "乙区", 2023, 0, 0, 1, 0),
        ("批而未供和闲置土地", "990103", "丙县（更名）", 2023, 0, 1, 0, 0),
    ])
    t = load_tables(versions.root(d))
    p = t["projects"]
    assert sorted(zip(p["year"], p["project_id"])) == [(2022, "P1"), (2023, "P1"), (2023, "P2"), (2023, "P4"),
                                                        (2023, "P9")]
    # 甲县's parcel A1 (not in the file's (unit, year)s) stays
    assert sorted(t["parcels"]["parcel_id"]) == ["A1", "A4"]


# ---------------------------------------------------------------------------- d. idempotence
def _mixed_ledger() -> list[tuple[str, bytes]]:
    return [("修武县2023.xlsx", xlsx({
        "耕地": [["耕地年度台账"], CULT_H[:2] + ["耕地面积(公顷)"] + CULT_H[3:], [2023, 410821, 16700, 249000, 225000, 224500]],
        "项目": [PROJ_H, ["I-1", "项目一", "410821", "省重点", 2023, 1.5, D(2023, 4, 1)],
                 ["I-2", "项目二", 410821, "市重点", 2023, None, None]],
        "地块": [PARC_H, ["I-P1", "410821", "闲置", 2015, 3.3, 2023, "2023.5.6", 1.1, "收回"]],
    })), ("项目2024.csv", csv_bytes([PROJ_H, ["I-9", "项目九", "410821", "省重点", 2024, 1, "2024年1月2日"]], "gb18030"))]


def test_same_file_twice_changes_nothing(tmp_path):
    d = demo_copy(tmp_path)
    first = import_files(d, _mixed_ledger())
    assert first.ok and first.changed and first.version
    snap = snapshot(d)
    second = import_files(d, _mixed_ledger())
    assert second.ok and not second.changed and second.version is None
    assert all(c.added == c.replaced == c.removed == 0 for c in second.changes)
    # 耕地 1 + 项目 2023 2 + 地块 1 + 项目 2024 1 rows, all unchanged
    assert sum(c.unchanged for c in second.changes) == 5
    assert snapshot(d) == snap
    assert [h["id"] for h in versions.history(d)] == [first.version]


def test_exported_store_reimported_into_itself_changes_nothing(tmp_path):
    from gengdi.ingest.workbook import export_ledger

    d = demo_copy(tmp_path)
    before = snapshot(d)
    r = import_files(d, [("焦作.xlsx", export_ledger(d, "410800"))])
    assert r.ok, [p.message for p in r.problems[:5]]
    changed = [c for c in r.changes if c.changed]
    assert not changed, changed[:5]
    assert r.version is None and snapshot(d) == before
    # 12 units + 55 cultivated + 1770 projects + 667 parcels + 64 年度任务
    assert sum(c.unchanged for c in r.changes) == 12 + 55 + 1770 + 667 + 64


# ---------------------------------------------------------------------------- e. round trip
def test_export_then_import_into_empty_dir_gives_the_same_summary(tmp_path):
    out = tmp_path / "焦作台账.xlsx"
    r = cli("export-ledger", "--out", str(out), "--data", str(DEFAULT_DATA_DIR))
    assert r.returncode == 0, r.stderr
    empty = tmp_path / "empty"
    res = import_files(empty, [(out.name, out.read_bytes())])
    assert res.ok, [p.message for p in res.problems[:5]]
    assert res.version and versions.current_id(empty) == res.version
    for as_of in (D(2023, 6, 30), D(2023, 6, 15), D(2024, 9, 30)):
        assert summary_json(empty, "410800", as_of) == summary_json(DEFAULT_DATA_DIR, "410800", as_of), as_of
    a, b = load_tables(versions.root(empty)), load_tables(DEFAULT_DATA_DIR)
    for name, keys in (("units", ["code"]), ("cultivated", ["year", "code"]), ("projects", ["year", "project_id"]),
                       ("parcels", ["task_year", "parcel_id"])):
        x = a[name].sort_values(keys).reset_index(drop=True)
        y = b[name].sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(x, y, check_dtype=False, obj=name)


# ---------------------------------------------------------------------------- f. history and rollback
def test_history_and_rollback(tmp_path):
    d = demo_copy(tmp_path)
    s0 = summary_json(d)
    base_tables = load_tables(d)
    r = import_files(d, one([PROJ_H, ["H-1", "项目", "410821", "省重点", 2023, 1, None]], name="修武县.xlsx"))
    assert r.ok and r.version
    s1 = summary_json(d)
    assert s1 != s0
    back = rollback(d, r.version)
    assert back != r.version and versions.current_id(d) == back
    assert summary_json(d) == s0
    after = load_tables(versions.root(d))
    for name in base_tables:
        pd.testing.assert_frame_equal(after[name], base_tables[name], obj=name)
    h = versions.history(d)
    assert [(x["id"], x["kind"], x["current"]) for x in h] == [(r.version, "import", False), (back, "rollback", True)]
    assert h[0]["files"][0]["name"] == "修武县.xlsx"
    assert len(h[0]["files"][0]["sha256"]) == 64
    assert h[1]["undoes"] == r.version
    # undoing the rollback brings the import back
    again = rollback(d, back)
    assert summary_json(d) == s1
    # history survives a new process
    out = cli("history", "--data", str(d))
    assert out.returncode == 0, out.stderr
    for vid in (r.version, back, again):
        assert vid in out.stdout
    assert "修武县.xlsx" in out.stdout and f"回滚 {r.version}" in out.stdout
    assert f"* {again}" in out.stdout
    with pytest.raises(KeyError):
        rollback(d, "20000101-000000-01")
    bad = cli("rollback", "20000101-000000-01", "--data", str(d))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "没有版本" in bad.stderr


# ---------------------------------------------------------------------------- g. crash safety
def _crash_ledger(tmp_path: Path) -> Path:
    f = tmp_path / "crash.xlsx"
    f.write_bytes(xlsx({"p": [PROJ_H, ["C-1", "项目", "410821", "省重点", 2023, 1, "2023-01-01"],
                               ["C-2", "项目", "410822", "市重点", 2023, 2, None]]}))
    return f


@pytest.mark.parametrize("hook", ["after-stage", "before-switch"])
def test_crash_before_switch_leaves_store_as_before(tmp_path, hook):
    d = demo_copy(tmp_path)
    s0 = summary_json(d)
    f = _crash_ledger(tmp_path)
    r = cli("import", str(f), "--data", str(d), "--confirm-delete", env={"GENGDI_IMPORT_HOOK": hook})
    assert r.returncode == -9, (r.returncode, r.stderr)
    assert versions.current_id(d) == versions.BASE
    assert summary_json(d) == s0
    if hook == "after-stage":   # the scratch folder is left behind ...
        assert list((d / versions.VERSIONS).glob(".tmp-*"))
    # reference: the same import in a fresh copy, without a crash
    ref = demo_copy(tmp_path, "ref")
    assert import_files(ref, [(f.name, f.read_bytes())]).version
    # ... and the next import works and removes it
    res = import_files(d, [(f.name, f.read_bytes())])
    assert res.ok and res.version and versions.current_id(d) == res.version
    assert not list((d / versions.VERSIONS).glob(".tmp-*"))
    assert summary_json(d) == summary_json(ref)


def test_crash_before_switch_is_not_in_history(tmp_path):
    d = demo_copy(tmp_path)
    f = _crash_ledger(tmp_path)
    r = cli("import", str(f), "--data", str(d), "--confirm-delete", env={"GENGDI_IMPORT_HOOK": "before-switch"})
    assert r.returncode == -9
    assert versions.current_id(d) == versions.BASE
    # the import never took effect, so neither the history nor the dashboard's "last import" may list it
    assert versions.history(d) == []
    assert last_imports(d) == {}


def test_crash_after_switch_keeps_the_import(tmp_path):
    d = demo_copy(tmp_path)
    f = _crash_ledger(tmp_path)
    r = cli("import", str(f), "--data", str(d), "--confirm-delete", env={"GENGDI_IMPORT_HOOK": "after-switch"})
    assert r.returncode == -9, (r.returncode, r.stderr)
    ref = demo_copy(tmp_path, "ref")
    assert import_files(ref, [(f.name, f.read_bytes())]).version
    assert versions.current_id(d) != versions.BASE
    assert summary_json(d) == summary_json(ref)
    assert [h["current"] for h in versions.history(d)] == [True]
    # importing it again changes nothing
    again = import_files(d, [(f.name, f.read_bytes())])
    assert again.ok and not again.changed


# ---------------------------------------------------------------------------- h. concurrency
def test_second_import_is_refused_while_locked(tmp_path):
    d = demo_copy(tmp_path)
    before = snapshot(d)
    f = _crash_ledger(tmp_path)
    with versions.lock(d):
        r = cli("import", str(f), "--data", str(d), "--confirm-delete")
        assert r.returncode != 0
        assert "另一个导入" in r.stderr and "Traceback" not in r.stderr
        with pytest.raises(versions.Busy, match="另一个导入"):
            import_files(d, [(f.name, f.read_bytes())])
    assert snapshot(d) == before
    # once released, it goes through
    assert import_files(d, [(f.name, f.read_bytes())]).version


# ---------------------------------------------------------------------------- i. a second city: 邢台市
XT_UNITS = [
    ["邢台市区划"],
    UNIT_H,
    ["130500", "邢台市", "市", None, 114.5048, 37.0706],
    ["130502", "襄都区", "县级", "130500", None, None],
    [130503, "信都区", "县级", 130500, None, None],
    ["130505", "任泽区", "县级", "130500", None, None],
    ["130522", "临城县", "县级", "130500", None, None],
]
# 公顷: (耕地, 保有量目标, 永农, 保护任务)
XT_CULT = {
    "130502": {2022: (1000, 980, 800, 790), 2023: (990, 980, 800, 790)},
    "130503": {2022: (20000, 19800, 17000, 16900), 2023: (19900, 20000, 17000, 16900)},
    "130505": {2022: (30000, 29000, 26000, 25500), 2023: (30100, 29000, 25000, 25500)},
    "130522": {2022: (40000, 39000, 33000, 32000), 2023: (40050, 39000, 33100, 32000)},
}


def _xingtai_files() -> list[tuple[str, bytes]]:
    cult = [["邢台市耕地年度台账（单位：公顷）"], [],
            ["年度", "行政区划代码", "耕地面积（公顷）", "耕地保有量目标（公顷）", "永久基本农田面积（公顷）",
             "永久基本农田保护任务（公顷）"]]
    for year in (2022, 2023):
        for code, v in XT_CULT.items():
            cult.append([year, int(code) if code == "130505" else code, *v[year]])
    cult.append(["合计", None, 91040, 88980, 75900, 75190])
    parcels = [["2023年邢台市批而未供和闲置土地处置台账"], ["截至2023年7月5日"],
               ["地块编号", "行政区划代码", "类型", "批准年度", "面积(公顷)", "任务年度", "处置日期", "处置面积(公顷)", "处置方式"],
               ["XD-P1", "130502", "批而未供", 2015, 10, 2023, "2023-02-01", 10, "供地"],
               ["XD-P2", "130502", "批而未供", 2016, 4, 2023, None, None, None],
               ["XD-P3", "130502", "闲置土地", 2014, 2, 2023, "2023/6/15", 1, "动工开发"],
               [],
               ["XinD-P1", "130503", "批而未供", 2017, 20, 2023, "2023.8.1", 20, "供地"],
               ["XinD-P2", "130503", "批而未供", 2018, 6, 2023, "2023年4月1日", 3, "收回"],
               ["RZ-P1", "130505", "闲置", 2012, 8, 2023, D(2023, 5, 5), 8, "收回"],
               ["LC-P1", 130522, "批而未供", 2019, 12, 2023, "2023-06-30", 12, "撤回批文"],
               ["LC-P2", "130522", "批而未供", 2020, 3, 2023, None, 0, None],
               ["小计", None, None, None, 65, None, None, 54]]
    projects = [["2023年邢台市重点项目用地保障台账"], ["填报日期：2023年7月5日"],
                ["项目编号", "项目名称", "行政区划代码", "项目类别", "年度", "用地面积（公顷）", "用地保障日期"],
                ["XD-01", "襄都区智能装备产业园", "130502", "省重点建设项目", "2023", "5", "2023-03-15"],
                ["XD-02", "襄都区冷链物流中心", "130502", "市重点项目", "2023", "2", "2023/6/30"],
                ["XD-03", "襄都区老旧小区改造", "130502", "市重点项目", "2023", "", ""],
                ["XinD-01", "信都区抽水蓄能电站", "130503", "省重点建设项目", "2023", "40", "2023.7.1"],
                ["XinD-02", "信都区乡村振兴示范区", "130503", "市重点项目", "2023", "3", "2023年5月20日"],
                ["RZ-01", "任泽区新材料产业园", "130505", "省重点建设项目", "2023", "12", "2023-01-10"],
                ["LC-01", "临城县光伏发电项目", "130522", "市重点项目", "2023", "6", ""],
                ["LC-02", "临城县旅游集散中心", "130522", "市重点项目", "2023", "1.5", "2022-12-20"],
                ["", "", "", "", "", "", ""],
                ["合计", "", "", "", "", "69.5", ""]]
    return [("邢台市台账.xlsx", xlsx({"区划": XT_UNITS, "耕地年度": cult, "批而未供和闲置土地": parcels})),
            ("邢台市重点项目.csv", csv_bytes(projects, "gb18030"))]


def test_second_city_xingtai_by_hand(tmp_path):
    d = demo_copy(tmp_path)
    jz = {a: summary_json(d, "410800", a) for a in (JUNE, D(2024, 9, 30))}
    r = import_files(d, _xingtai_files())
    assert r.ok, [p.message for p in r.problems]
    assert sorted((w.file, w.row) for w in r.warnings) == [
        ("邢台市台账.xlsx", 12), ("邢台市台账.xlsx", 13), ("邢台市重点项目.csv", 11), ("邢台市重点项目.csv", 13)]
    # LC-02 of the 2023 list was guaranteed on 2022-12-20: accepted, with a warning naming the year
    carried = next(w for w in r.warnings if w.row == 11)
    assert carried.column == "用地保障日期" and carried.value == "2022-12-20" and "2023" in carried.reason
    for a, s in jz.items():
        assert summary_json(d, "410800", a) == s
    s = summary(d, "130500", JUNE)
    assert s["data_year"] == 2023
    c = s["city"]
    assert (c["code"], c["name"]) == ("130500", "邢台市")
    # 耕地 2023 (公顷): 990 + 19900 + 30100 + 40050 = 91040 → ×15 = 1 365 600 亩
    # 目标: 980 + 20000 + 29000 + 39000 = 88980 → 1 334 700 亩; gap 30 900 亩
    # 2022: 1000 + 20000 + 30000 + 40000 = 91000 → change +40 公顷 = +600 亩
    # 永农: 800 + 17000 + 25000 + 33100 = 75900 → 1 138 500; 任务 790 + 16900 + 25500 + 32000 = 75190 → 1 127 850
    assert c["cultivated_mu"] == 1_365_600 and c["cultivated_target_mu"] == 1_334_700
    assert c["cultivated_gap_mu"] == 30_900 and c["cultivated_change_mu"] == 600
    assert c["cultivated_rate"] == pytest.approx(91040 / 88980)
    assert c["basic_farmland_mu"] == 1_138_500 and c["basic_farmland_target_mu"] == 1_127_850
    assert c["basic_farmland_rate"] == pytest.approx(75900 / 75190)
    # projects of 2023 as of 6-30: XD-01 ✓ XD-02 ✓ (on the day) XD-03 ✗ | XinD-01 ✗ (7-1) XinD-02 ✓ |
    # RZ-01 ✓ | LC-01 ✗ LC-02 ✓ (2022-12-20 counts) → 5 / 8
    assert (c["projects_total"], c["projects_guaranteed"]) == (8, 5)
    assert c["projects_by_category"] == {
        "省重点建设项目": {"total": 3, "guaranteed": 2, "rate": pytest.approx(2 / 3)},
        "市重点项目": {"total": 5, "guaranteed": 3, "rate": pytest.approx(3 / 5)},
    }
    # 批而未供 (亩): XD-P1 150 ✓150, XD-P2 60, XinD-P1 300 (8-1: not yet), XinD-P2 90 ✓45, LC-P1 180 ✓180, LC-P2 45
    #   → 825, disposed 375; 闲置: XD-P3 30 ✓15, RZ-P1 120 ✓120 → 150, disposed 135
    assert (c["unsupplied_mu"], c["unsupplied_disposed_mu"]) == (825, 375)
    assert (c["idle_mu"], c["idle_disposed_mu"]) == (150, 135)
    assert c["unsupplied_rate"] == pytest.approx(375 / 825) and c["idle_rate"] == pytest.approx(0.9)

    u = {x["code"]: x for x in s["units"]}
    assert list(u) == ["130502", "130503", "130505", "130522"]
    assert [u[k]["name"] for k in u] == ["襄都区", "信都区", "任泽区", "临城县"]
    # per unit, 亩
    assert (u["130502"]["cultivated_mu"], u["130502"]["cultivated_change_mu"]) == (14_850, -150)
    assert (u["130503"]["cultivated_mu"], u["130503"]["cultivated_target_mu"]) == (298_500, 300_000)
    assert (u["130505"]["basic_farmland_mu"], u["130505"]["basic_farmland_target_mu"]) == (375_000, 382_500)
    assert (u["130522"]["cultivated_mu"], u["130522"]["cultivated_change_mu"]) == (600_750, 750)
    assert [(u[k]["projects_total"], u[k]["projects_guaranteed"]) for k in u] == [(3, 2), (2, 1), (1, 1), (2, 1)]
    assert [(u[k]["unsupplied_mu"], u[k]["unsupplied_disposed_mu"]) for k in u] == [
        (210, 150), (390, 45), (0, 0), (225, 180)]
    assert [(u[k]["idle_mu"], u[k]["idle_disposed_mu"]) for k in u] == [(30, 15), (0, 0), (120, 120), (0, 0)]
    assert u["130505"]["projects_by_category"]["市重点项目"] == {"total": 0, "guaranteed": 0, "rate": None}
    # ranks (higher is better, ties share the better rank):
    # 耕地: 130505 30100/29000=1.0379 > 130522 1.0269 > 130502 1.0102 > 130503 0.995
    # 永农: 130522 1.0344 > 130502 1.0127 > 130503 1.0059 > 130505 0.9804
    # 项目: 130505 1 > 130502 0.667 > 130503 0.5 = 130522 0.5
    # 批而未供: 130522 0.8 > 130502 0.714 > 130503 0.115; 130505 none
    # 闲置: 130505 1 > 130502 0.5; others none
    ranks = {k: u[k]["ranks"] for k in u}
    assert ranks == {
        "130502": {"cultivated_rate": 3, "basic_farmland_rate": 2, "projects_rate": 2, "unsupplied_rate": 2, "idle_rate": 2},
        "130503": {"cultivated_rate": 4, "basic_farmland_rate": 3, "projects_rate": 3, "unsupplied_rate": 3, "idle_rate": None},
        "130505": {"cultivated_rate": 1, "basic_farmland_rate": 4, "projects_rate": 1, "unsupplied_rate": None, "idle_rate": 1},
        "130522": {"cultivated_rate": 2, "basic_farmland_rate": 1, "projects_rate": 3, "unsupplied_rate": 1, "idle_rate": None},
    }
    # composite (weights 20/20/30/20/10; missing indicators drop out):
    # 130502: (20·100 + 20·100 + 30·66.667 + 20·71.429 + 10·50) / 100 = 79.285714
    # 130503: (20·0 + 20·100 + 30·50 + 20·11.538) / 90 = 41.452991
    # 130505: (20·100 + 20·0 + 30·100 + 10·100) / 80 = 75
    # 130522: (20·100 + 20·100 + 30·50 + 20·80) / 90 = 78.888889
    assert {k: u[k]["composite_score"] for k in u} == pytest.approx(
        {"130502": 79.285714, "130503": 41.452991, "130505": 75.0, "130522": 78.888889}, abs=1e-6)
    assert {k: u[k]["composite_rank"] for k in u} == {"130502": 1, "130503": 4, "130505": 3, "130522": 2}
    # as of 5-31: 130502 (2000+2000+1000+1428.571+0)/100 = 64.29; 130503 41.45; 130505 75; 130522 (2000+2000+1500+0)/90 = 61.11
    # → ranks 130505 1, 130502 2, 130522 3, 130503 4; change = previous − current
    assert {k: u[k]["rank_change"] for k in u} == {"130502": 1, "130503": 0, "130505": -2, "130522": 1}
    # the demo city is still 示例数据, 邢台 is not
    from gengdi.store import read_meta
    assert read_meta(d)["demo_cities"] == ["410800"]


def test_total_row_with_spaces_and_upsert_keeps_coordinates(tmp_path):
    d = demo_copy(tmp_path)
    before = load_tables(versions.root(d))["units"].set_index("code")
    # 区划 without 经度/纬度: renaming a unit keeps its stored label point; "合 计" is a total row
    r = import_files(d, one([["行政区划代码", "名称", "级别", "上级代码"], ["410821", "修武县（新）", "县级", "410800"],
                             ["合 计", None, None, None]]))
    assert r.ok and r.version
    assert any("合计行" in w.reason for w in r.warnings)
    after = load_tables(versions.root(d))["units"].set_index("code")
    assert after.loc["410821", "name"] == "修武县（新）"
    assert after.loc["410821", "lon"] == before.loc["410821", "lon"] and after.loc["410821", "lat"] == before.loc["410821", "lat"]
