"""Exports: the ranking and the project / parcel lists as Excel (.xlsx) and CSV (UTF-8 with BOM)."""
from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from . import fmt
from . import safe
from . import metrics as M
from . import warnings as W
from .ranking import in_rank_order
from .scope import label, words

FILLS = {level: PatternFill("solid", fgColor=bg) for level, (bg, _) in W.CELL.items()}
HEADER_FILL = PatternFill("solid", fgColor="E8EFE6")
THIN = Side(style="thin", color="C9D1CB")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
PCT = "0.00%"
WAN = '0.00"万亩"'
MU = '#,##0.00'
INT = "0"
SCORE = "0.00"

# (header, how to read the value from a unit/city dict, number format, indicator whose colour applies)
RANKING_COLUMNS: list[tuple[str, Any, str | None, str | None]] = [
    ("综合排名", lambda u: u.get("composite_rank"), INT, None),
    ("行政区划代码", lambda u: u["code"], None, None),
    ("单位", lambda u: label(u), None, None),
    ("耕地面积", lambda u: _wan(u["cultivated_mu"]), WAN, None),
    ("耕地保有量目标", lambda u: _wan(u["cultivated_target_mu"]), WAN, None),
    ("耕地完成率", lambda u: _pct(u["cultivated_rate"]), PCT, "cultivated_rate"),
    ("耕地排名", lambda u: u.get("ranks", {}).get("cultivated_rate"), INT, None),
    ("永久基本农田", lambda u: _wan(u["basic_farmland_mu"]), WAN, None),
    ("保护任务", lambda u: _wan(u["basic_farmland_target_mu"]), WAN, None),
    ("永农完成率", lambda u: _pct(u["basic_farmland_rate"]), PCT, "basic_farmland_rate"),
    ("永农排名", lambda u: u.get("ranks", {}).get("basic_farmland_rate"), INT, None),
    ("重点项目(个)", lambda u: u["projects_total"], INT, None),
    ("已保障(个)", lambda u: u["projects_guaranteed"], INT, None),
    ("项目保障率", lambda u: _pct(u["projects_rate"]), PCT, "projects_rate"),
    ("保障率排名", lambda u: u.get("ranks", {}).get("projects_rate"), INT, None),
    ("批而未供(亩)", lambda u: _mu(u["unsupplied_mu"]), MU, None),
    ("批而未供已处置(亩)", lambda u: _mu(u["unsupplied_disposed_mu"]), MU, None),
    ("批而未供处置率", lambda u: _pct(u["unsupplied_rate"]), PCT, "unsupplied_rate"),
    ("批而未供排名", lambda u: u.get("ranks", {}).get("unsupplied_rate"), INT, None),
    ("闲置土地(亩)", lambda u: _mu(u["idle_mu"]), MU, None),
    ("闲置土地已处置(亩)", lambda u: _mu(u["idle_disposed_mu"]), MU, None),
    ("闲置处置率", lambda u: _pct(u["idle_rate"]), PCT, "idle_rate"),
    ("闲置排名", lambda u: u.get("ranks", {}).get("idle_rate"), INT, None),
    ("综合得分", lambda u: fmt.cell_value(u.get("composite_score"), 2), SCORE, None),
    ("较上月", lambda u: u.get("rank_change"), '+0;-0;0', None),
]


def put(ws, row: int, column: int, value: Any = None):
    """The one way an export writes a cell: text is typed as a string, so a name such as ``=1+1`` or
    ``=HYPERLINK(…)`` stays text in Excel and never becomes a live formula. Returns the cell."""
    c = ws.cell(row=row, column=column)
    c.value = value
    if isinstance(value, str):
        c.data_type = "s"
    return c


def csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell made formula-safe for CSV (numbers untouched)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(safe.csv_cell)
    out.columns = [safe.csv_cell(c) for c in out.columns]
    return out


# Cells hold the value rounded by fmt's one rule to what their format shows, so that a cell, its
# display and the page always agree (5/32 → 0.1563 → 15.63%, as on the page).
def _wan(mu: float | None) -> float | None:
    return fmt.cell_value(mu, 2, fmt.WAN)


def _pct(rate: float | None) -> float | None:
    return fmt.cell_value(rate, 4)


def _mu(mu: float | None) -> float | None:
    return fmt.cell_value(mu, 2)


def _width(value: Any) -> int:
    if value is None:
        return 4
    if isinstance(value, float):
        return 10
    return fmt.display_width(str(value)) + 2


def _fit_columns(ws, first_row: int, widths: dict[int, int] | None = None) -> None:
    widths = widths or {}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            widths[cell.column] = max(widths.get(cell.column, 6), min(_width(cell.value), 40))
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = w


def _title(ws, text: str, ncols: int, row: int = 1, size: int = 14) -> None:
    put(ws, row, 1, text).font = Font(bold=True, size=size)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)


def _header(ws, headers: Sequence[str], row: int) -> None:
    for j, h in enumerate(headers, start=1):
        c = put(ws, row, j, h)
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        c.border = BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def ranking_workbook(summary: Mapping[str, Any], thresholds=None, note: str | None = None,
                     title: str | None = None) -> bytes:
    """The ranking table as .xlsx: title, Chinese headers, numbers with formats, warning fills,
    口径 and weights as footnotes, frozen header, fitted widths."""
    as_of = dt.date.fromisoformat(summary["as_of"])
    city = summary["city"]
    w = words(summary)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{w.noun}综合排名"
    headers = _headers(w)
    _title(ws, title or f"{city['name']}耕地保护和用地保障{w.noun}综合排名", len(headers))
    put(ws, 2, 1, f"范围：{w.name}（{w.whole}各{w.noun}）；截至{fmt.date_label(as_of)}；"
                  f"耕地数据年度：{summary['data_year'] or '—'}")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    _header(ws, headers, 3)
    units = in_rank_order(summary["units"])
    row = 4
    for u in [*units, {**city, "name": w.total_label}]:
        for j, (_, get, number_format, indicator) in enumerate(RANKING_COLUMNS, start=1):
            value = get(u)
            c = put(ws, row, j, value)
            c.border = BORDER
            if number_format and value is not None:
                c.number_format = number_format
            if value is None:
                put(ws, row, j, "—")
                c.alignment = Alignment(horizontal="center")
            if indicator and value is not None:   # the colour of the exact value, as on the page
                level = W.classify(indicator, u[indicator], thresholds).level
                if level in FILLS:
                    c.fill = FILLS[level]
        if u.get("code") == city["code"]:
            for j in range(1, len(headers) + 1):
                ws.cell(row=row, column=j).font = Font(bold=True)
        row += 1
    row += 1
    weights = summary.get("weights") or M.normalize_weights(M.DEFAULT_WEIGHTS)
    notes = [
        "口径：" + "；".join(M.RATE_RULES) + f"；{w.sums_rule}。",
        ROUNDING_NOTE,
        "权重：" + M.weights_text(weights),
        M.COMPOSITE_RULE,
        "颜色：红色为预警（耕地、永农低于100%为未完成目标），黄色为提醒，绿色为正常。",
    ]
    if city.get("cultivated_change_note"):
        notes.append(f"{w.whole}耕地较上年：{city['cultivated_change_note']}。")
    if note:
        notes.append(note)
    for text in notes:
        put(ws, row, 1, text).alignment = Alignment(wrap_text=False)
        row += 1
    ws.freeze_panes = "D4"
    _fit_columns(ws, 3)
    ws.row_dimensions[3].height = 32
    ws.sheet_view.zoomScale = 100
    return _bytes(wb)


def table_workbook(df: pd.DataFrame, title: str, note: str | None = None,
                   formats: Mapping[str, str] | None = None) -> bytes:
    """A list (projects, parcels) as .xlsx with a title, header, formats, footnote and frozen header.

    Written by XlsxWriter in constant-memory mode (rows streamed to disk in order), so a national list of
    150,000 parcels takes seconds, not the ~45 s openpyxl needed. The rules of :func:`put` hold: every text
    cell is written as a string (``write_string``: never a formula), numbers with a format hold the value
    rounded by fmt's one rule to what the format shows."""
    formats = dict(formats or {})
    headers = [str(h) for h in df.columns]
    ncols = max(1, len(headers))
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="gengdi-xlsx-") as tmp:
        wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "tmpdir": tmp, "in_memory": False,
                                       "strings_to_formulas": False, "strings_to_urls": False,
                                       "strings_to_numbers": False})
        ws = wb.add_worksheet("清单")
        border = {"border": 1, "border_color": "#C9D1CB"}
        plain = wb.add_format(border)
        head = wb.add_format({**border, "bold": True, "bg_color": "#E8EFE6", "align": "center",
                              "valign": "vcenter", "text_wrap": True})
        number_formats = {h: wb.add_format({**border, "num_format": formats[h]}) for h in headers if h in formats}
        decimals = {h: _decimals(formats[h]) for h in number_formats}
        widths = _list_widths(df, headers)
        for j, w in enumerate(widths):
            ws.set_column(j, j, w)
        ws.freeze_panes(2, 0)
        ws.merge_range(0, 0, 0, ncols - 1, "", wb.add_format({"bold": True, "font_size": 14}))
        ws.write_string(0, 0, str(title), wb.add_format({"bold": True, "font_size": 14}))
        for j, h in enumerate(headers):
            ws.write_string(1, j, h, head)
        columns = [df.iloc[:, j].tolist() for j in range(len(headers))]
        for i in range(len(df)):
            r = i + 2
            for j, h in enumerate(headers):
                value = columns[j][i]
                if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
                    ws.write_blank(r, j, None, plain)
                elif isinstance(value, str):
                    ws.write_string(r, j, value, plain)
                elif isinstance(value, (bool, np.bool_)):
                    ws.write_boolean(r, j, bool(value), plain)
                elif isinstance(value, (int, float, np.integer, np.floating)):
                    if h in decimals:
                        ws.write_number(r, j, fmt.cell_value(float(value), decimals[h]), number_formats[h])
                    else:
                        ws.write_number(r, j, value, plain)
                else:                                  # a date or anything else: its text
                    ws.write_string(r, j, str(value), plain)
        if note:
            ws.write_string(len(df) + 3, 0, str(note))
        wb.close()
    return buf.getvalue()


def _decimals(number_format: str) -> int:
    """How many decimals a number format shows ("#,##0.00" → 2, "0.00%" → 4 as a fraction, "0" → 0)."""
    m = re.search(r"\.(0+)", number_format)
    return (len(m.group(1)) if m else 0) + (2 if number_format.rstrip().endswith("%") else 0)


def _list_widths(df: pd.DataFrame, headers: Sequence[str]) -> list[int]:
    """Column widths fitted to the header and the widest value (capped at 40), as in _fit_columns."""
    out = []
    for j, h in enumerate(headers):
        w = max(6, _width(h))
        col = df.iloc[:, j]
        if len(col):
            if col.dtype == object or pd.api.types.is_string_dtype(col):
                texts = col.dropna().astype(str).unique()
                if len(texts):
                    w = max(w, max(fmt.display_width(t) for t in texts) + 2)
            else:
                w = max(w, 10)
        out.append(min(w, 40))
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM, so Excel opens the Chinese correctly; text that would start a formula is
    prefixed with ' (numbers untouched)."""
    return csv_frame(df).to_csv(index=False).encode("utf-8-sig")


def ranking_frame(summary: Mapping[str, Any]) -> pd.DataFrame:
    """The ranking table with Chinese headers (what the CSV export holds): the same columns and
    the same total row as the .xlsx; the place column is named after what is ranked."""
    w = words(summary)
    units = [*in_rank_order(summary["units"]), {**summary["city"], "name": w.total_label}]
    headers = _headers(w)
    return pd.DataFrame([{h: get(u) for h, (_, get, *_) in zip(headers, RANKING_COLUMNS)} for u in units],
                        columns=headers)


def _headers(w) -> list[str]:
    """The column headers, the place column named after what is ranked (县区 / 城市 / 省份)."""
    return [w.noun if h == "单位" else h for h, *_ in RANKING_COLUMNS]


ROUNDING_NOTE = f"{M.ROUNDING_RULE}；单元格中存的即是显示的值，与看板一致。详见项目文档 docs/口径.md。"


def _bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
