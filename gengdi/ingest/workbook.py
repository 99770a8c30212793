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
from .spec import DEFAULT_CATEGORIES, LEDGER_TABLES, LEVELS, PARCELS, PROJECTS, UNITS, LedgerTable, header_text

HEADER_FILL = PatternFill("solid", fgColor="E8EFE6")

EXAMPLES = {
    "区划": [["410800", "焦作市", "市", "", 113.2418, 35.2159], ["410821", "修武县", "县级", "410800", "", ""]],
    "耕地年度": [[2023, "410821", 250000.00, 249000.00, 225000.00, 224500.00, 320.5, 580.0]],
    "重点项目": [["2023-SZD-001", "年产5万吨新型建材项目", "410821", "省重点", 2023, 120.5, dt.date(2023, 3, 15)]],
    "批而未供和闲置土地": [["PW410821-001", "410821", "批而未供", 2016, 35.2, 2023, dt.date(2023, 5, 10), 35.2, "供地"]],
}


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
            elif col.kind == "area" and v is not None:
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
    """One workbook with a sheet per table: header with units, an example row, dropdowns."""
    wb = Workbook()
    wb.remove(wb.active)
    for table in LEDGER_TABLES:
        ws, header_row = _sheet(wb, table, EXAMPLES[table.title],
                                title=f"{table.title}（示例行可删除；面积单位可改为 公顷 或 万亩）")
        first = header_row + 1
        for j, col in enumerate(table.columns, start=1):
            if col.kind == "level":
                _list_validation(ws, '"' + ",".join(LEVELS) + '"', j, first)
            if col.kind == "type":
                _list_validation(ws, '"批而未供,闲置土地"', j, first)
            if table is PROJECTS and col.field == "category":
                # other provinces use other categories: suggest, but allow any text
                _list_validation(ws, '"' + ",".join(DEFAULT_CATEGORIES) + '"', j, first, strict=False)
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
                if col.kind == "type":
                    v = v
                row.append(v)
            rows.append(row)
        _sheet(wb, table, rows)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
