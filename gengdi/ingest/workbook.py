"""Writing ledgers: the store back out in the spec's format (export-ledger), and blank templates."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from .. import versions
from ..export import put
from .merge import load_tables
from .spec import (DEFAULT_CATEGORIES, LEDGER_TABLES, LEVELS, PARCELS, PROJECTS, TASK_INDICATORS, TASK_UNITS, TASKS, UNITS,
                   LedgerTable, header_text)

HEADER_FILL = PatternFill("solid", fgColor="E8EFE6")

# Example rows: marked 示例 wherever a text cell allows it; an upload still holding one of them (or
# any row with a text cell starting with 示例) is refused with 模板示例行，请删除后再导入.
EXAMPLES = {
    "区划": [["410800", "示例市（请删除本行）", "市", "", 113.2418, 35.2159],
             ["410821", "示例县（请删除本行）", "县级", "410800", "", ""]],
    "耕地年度": [[2023, "410821", 123456.78, 123400.00, 111111.11, 111100.00, 12.34, 56.78]],
    "重点项目": [["示例-2023-001", "示例项目（请删除本行）", "410821", "省重点", 2023, 120.5, dt.date(2023, 3, 15)]],
    "批而未供和闲置土地": [["示例-PW-001", "410821", "批而未供", 2016, 35.2, 2023, dt.date(2023, 5, 10), 35.2, "示例"]],
    "年度任务": [[2024, "410821", "批而未供处置", 1200, "亩"], [2024, "410821", "闲置土地处置", 60, "亩"],
                 [2024, "410821", "重点项目用地保障率", 95, "%"]],
}

GUIDE = [
    ("填表说明", ""),
    ("1. 删除示例行", "每张表的示例行（编号或名称以“示例”开头、数值与模板相同）只为说明格式，导入前必须删除，否则整批被拒绝："
                   "“模板示例行，请删除后再导入”。不需要的表可以整张删除。"),
    ("2. 两种导入方式", "“替换”（默认）：文件是其中每个（单位、年度）的完整清单，库中该单位该年度有、文件中没有的行将被删除，"
                     "导入前会列出将删除的行并要求确认。“只更新文件中的行”：按项目编号、地块编号（耕地按年度+代码）新增或修改，"
                     "从不删除，适合每月报送变化的几行。命令行：python -m gengdi import 文件 --mode update|replace。"),
    ("3. 行政区划代码", "6 位数字，可为文本或数字。耕地、项目、地块只能填县级单位；新的县级单位先在“区划”表中填写，上级代码为所属市。"),
    ("4. 面积", "表头括号中的单位可改为 亩、公顷 或 万亩，库中一律换算为亩。"),
    ("5. 日期", "用地保障日期、处置日期可填 2023-05-10、2023/5/10、2023年5月10日 等；尚未保障、尚未处置的留空。"),
    ("6. 年度", "重点项目按清单年度，地块按任务年度；同一编号在同一年度只能有一行。"),
    ("7. 全部通过才写入", "任何一行有错，整批不导入，并列出文件、工作表、Excel 行号、列、值和原因；每次导入都有记录，可撤销。"),
]


def _guide(wb: Workbook) -> None:
    ws = wb.create_sheet("填表说明", 0)
    for i, (title, text) in enumerate(GUIDE, start=1):
        ws.cell(i, 1, title).font = Font(bold=True, size=13 if i == 1 else 11)
        ws.cell(i, 2, text)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 110


def _sheet(wb: Workbook, table: LedgerTable, rows: list[list], title: str | None = None):
    ws = wb.create_sheet(table.title)
    start = 1
    if title:
        put(ws, 1, 1, title).font = Font(bold=True, size=13)
        start = 3
    for j, col in enumerate(table.columns, start=1):
        c = put(ws, start, j, header_text(table, col))
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        ws.column_dimensions[c.column_letter].width = max(12, len(header_text(table, col)) * 2 + 2)
    for i, row in enumerate(rows, start=start + 1):
        for j, v in enumerate(row, start=1):
            cell = put(ws, i, j, v)
            col = table.columns[j - 1]
            if col.kind == "code" or col.kind == "text":
                cell.number_format = "@"
            elif col.kind == "date" and v is not None:
                cell.number_format = "yyyy-mm-dd"
            elif col.kind in ("area", "task") and v is not None:
                cell.number_format = "0.00"
    ws.freeze_panes = ws.cell(start + 1, 1)
    return ws, start


def _list_validation(ws, formula: str, col_index: int, first_row: int, strict: bool = True) -> None:
    letter = ws.cell(1, col_index).column_letter
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=strict,
                        errorStyle="stop" if strict else "information")
    dv.error = "请从下拉列表中选择"
    ws.add_data_validation(dv)
    dv.add(f"{letter}{first_row}:{letter}5000")


def template() -> bytes:
    """One workbook: 填表说明, then a sheet per table: header with units, example rows, dropdowns."""
    wb = Workbook()
    wb.remove(wb.active)
    for table in LEDGER_TABLES:
        ws, header_row = _sheet(wb, table, EXAMPLES[table.title],
                                title=f"{table.title}（示例行导入前必须删除；处置任务的单位为 亩、公顷 或 万亩，保障率目标的单位为 %；见“填表说明”）"
                                if table is TASKS else f"{table.title}（示例行导入前必须删除；面积单位可改为 公顷 或 万亩；见“填表说明”）")
        first = header_row + 1
        for j, col in enumerate(table.columns, start=1):
            if col.kind == "level":
                _list_validation(ws, '"' + ",".join(LEVELS) + '"', j, first)
            if col.kind == "type":
                _list_validation(ws, '"批而未供,闲置土地"', j, first)
            if col.kind == "indicator":
                _list_validation(ws, '"' + ",".join(TASK_INDICATORS) + '"', j, first)
            if col.kind == "task_unit":
                _list_validation(ws, '"' + ",".join(TASK_UNITS) + '"', j, first)
            if table is PROJECTS and col.field == "category":
                # other provinces use other categories: suggest, but allow any text
                _list_validation(ws, '"' + ",".join(DEFAULT_CATEGORIES) + '"', j, first, strict=False)
    _guide(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _none(v):
    return None if v is None or (isinstance(v, float) and v != v) or v is pd.NaT else v


def export_ledger(data_dir: Path, city: str | None = None) -> bytes:
    """The store (one city, or all) as a ledger in the spec's format, ready to edit and re-import."""
    tables = load_tables(versions.root(Path(data_dir)))
    units = tables["units"]
    if city is not None:
        units = units[(units["code"] == city) | (units["parent_code"] == city)]
    codes = set(units[units["level"] == "县级"]["code"])
    wb = Workbook()
    wb.remove(wb.active)
    for table in LEDGER_TABLES:
        df = units if table is UNITS else tables[table.table.name]
        if table is not UNITS:
            df = df[df["code"].isin(codes)]
        sort = [table.scope[1], table.scope[0]] if table.scope else ["code"]
        if table is PARCELS or table is PROJECTS:
            sort = [table.scope[1], table.key[1]]
        df = df.sort_values(sort, kind="stable")
        rows = []
        for rec in df.to_dict("records"):
            row = []
            for col in table.columns:
                v = _none(rec.get(col.field))
                if col.kind == "date" and v is not None:
                    v = pd.Timestamp(v).date()
                if col.kind == "year" and v is not None:
                    v = int(v)
                if table is TASKS and col.field in ("target", "unit"):
                    rate = TASK_INDICATORS.get(rec["indicator"], ("", "area"))[1] == "rate"
                    if col.field == "target":
                        v = round(float(rec["target"]) * 100, 6) if rate else float(rec["target"])
                    else:
                        v = "%" if rate else "亩"
                row.append(v)
            rows.append(row)
        _sheet(wb, table, rows)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
