"""Reading ledger files: .xlsx workbooks (every sheet) and .csv in UTF-8 or GB18030."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import Problem


@dataclass
class Sheet:
    file: str
    name: str            # sheet name ("" for a CSV)
    rows: list[list[Any]]


class Unreadable(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def read_file(name: str, data: bytes) -> list[Sheet]:
    """The sheets of a file; raises Unreadable with a Chinese reason."""
    if not data.strip():
        raise Unreadable(Problem(name, "", None, "", "", "文件是空的"))
    suffix = Path(name).suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(name, data)
    if suffix in (".xls",):
        raise Unreadable(Problem(name, "", None, "", "", "不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx"))
    return [_read_csv(name, data)]


def _read_xlsx(name: str, data: bytes) -> list[Sheet]:
    """Every sheet's cell values (python-calamine: a Rust reader, ~10× faster than openpyxl here),
    from cell A1: leading empty rows and columns are kept, so that list index + 1 is the row
    number a person sees in Excel."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [Sheet(name, sheet_name, [list(r) for r in wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)])
                  for sheet_name in wb.sheet_names]
    except Exception as e:  # noqa: BLE001 - any reader error means "not a workbook we can read"
        raise Unreadable(Problem(name, "", None, "", "", f"不是有效的 Excel（.xlsx）文件：{type(e).__name__}")) from None
    if not any(any(c not in (None, "") for c in r) for s in sheets for r in s.rows):
        raise Unreadable(Problem(name, "", None, "", "", "文件是空的（没有任何内容）"))
    return sheets


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM) if it decodes, else GB18030 (GBK's superset)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        raise Unreadable(Problem("", "", None, "", "", "既不是 UTF-8 也不是 GB18030/GBK 编码的文本")) from None


def _read_csv(name: str, data: bytes) -> Sheet:
    if b"\x00" in data[:4096]:
        raise Unreadable(Problem(name, "", None, "", "", "不是表格文件（Excel .xlsx 或 CSV）"))
    try:
        text, _ = decode(data)
    except Unreadable as e:
        raise Unreadable(Problem(name, "", None, "", "", e.problem.reason)) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    if not any(any(c.strip() for c in r) for r in rows):
        raise Unreadable(Problem(name, "", None, "", "", "文件是空的（没有任何内容）"))
    return Sheet(name, "", rows)
