"""Reading ledger files: .xlsx workbooks (every sheet) and .csv in UTF-8 or GB18030."""
from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import MAX_PROBLEMS, Problem

# Bounds on what a ledger file may hold (checked before or while reading, so a hostile file is refused
# quickly and with little memory). A real ledger is far below each of them.
MAX_CELL_CHARS = 32_767                 # Excel's own limit for one cell
MAX_UNCOMPRESSED = 400 * 2**20          # the parts of an .xlsx together, once unzipped
MAX_RATIO = 100                         # unzipped ÷ zipped size of one part (real sheets: 5–20)
DEFAULT_MAX_ROWS = 1_000_000            # rows per sheet; GENGDI_MAX_ROWS overrides


def max_rows() -> int:
    try:
        return max(1, int(os.environ.get("GENGDI_MAX_ROWS", "") or DEFAULT_MAX_ROWS))
    except ValueError:
        return DEFAULT_MAX_ROWS


@dataclass
class Sheet:
    file: str
    name: str            # sheet name ("" for a CSV)
    rows: list[list[Any]]


class Unreadable(Exception):
    """The file cannot be read; ``problems`` lists every reason found (the first is ``problem``)."""

    def __init__(self, problem: Problem, more: list[Problem] | None = None):
        super().__init__(problem.message)
        self.problem = problem
        self.problems = [problem, *(more or [])]


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def check_zip(name: str, data: bytes) -> None:
    """Refuse an .xlsx whose zip directory promises an implausible size, before any part is inflated
    (a zip bomb: a few MB that unzip to gigabytes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Unreadable(Problem(name, "", None, "", "", "不是有效的 Excel（.xlsx）文件：压缩包已损坏")) from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise Unreadable(Problem(name, "", None, "", "", f"解压后有 {_mb(total)}，超过台账文件的上限 {_mb(MAX_UNCOMPRESSED)}"
                                 "，疑为恶意或损坏的文件，未读取。请删去无关的工作表或拆分成几个文件"))
    for i in infos:
        if i.file_size > 2**20 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise Unreadable(Problem(name, "", None, "", "",
                                     f"其中 {i.filename} 解压后是压缩时的 {i.file_size // max(i.compress_size, 1):,} 倍"
                                     f"（{_mb(i.file_size)}），正常的表格不会这样，疑为恶意文件，未读取"))


def _bounds(sheet: "Sheet") -> None:
    """The row ceiling and Excel's cell limit, as listed problems."""
    limit = max_rows()
    if len(sheet.rows) > limit:
        raise Unreadable(Problem(sheet.file, sheet.name, None, "", "",
                                 f"超过 {limit:,} 行（每张表的上限，可用 GENGDI_MAX_ROWS 调整），未读取；请拆分成几个文件"))
    long = []
    for r, row in enumerate(sheet.rows, start=1):
        for j, v in enumerate(row, start=1):
            if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                long.append(Problem(sheet.file, sheet.name, r, f"第 {j} 列", v[:20] + "…",
                                    f"单元格有 {len(v):,} 个字符，超过 Excel 的上限 32,767"))
                if len(long) >= MAX_PROBLEMS:
                    break
    if long:
        raise Unreadable(long[0], long[1:])


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

    check_zip(name, data)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [Sheet(name, sheet_name, [list(r) for r in wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)])
                  for sheet_name in wb.sheet_names]
    except Exception as e:  # noqa: BLE001 - any reader error means "not a workbook we can read"
        raise Unreadable(Problem(name, "", None, "", "", f"不是有效的 Excel（.xlsx）文件：{type(e).__name__}")) from None
    if not any(any(c not in (None, "") for c in r) for s in sheets for r in s.rows):
        raise Unreadable(Problem(name, "", None, "", "", "文件是空的（没有任何内容）"))
    for sheet in sheets:
        _bounds(sheet)
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
    rows = []
    limit = max_rows()
    too_many = Unreadable(Problem(name, "", None, "", "",
                                  f"超过 {limit:,} 行（每张表的上限，可用 GENGDI_MAX_ROWS 调整），未读取；请拆分成几个文件"))
    try:
        if text.count("\n") > limit:     # maybe too long: count the records first, keeping none
            if sum(1 for _ in csv.reader(io.StringIO(text), delimiter=delimiter)) > limit:
                raise too_many
        for r in csv.reader(io.StringIO(text), delimiter=delimiter):
            rows.append(r)
            if len(rows) > limit:
                raise too_many
    except csv.Error as e:
        raise Unreadable(Problem(name, "", len(rows) + 1, "", "", _csv_reason(e))) from None
    if not any(any(c.strip() for c in r) for r in rows):
        raise Unreadable(Problem(name, "", None, "", "", "文件是空的（没有任何内容）"))
    sheet = Sheet(name, "", rows)
    _bounds(sheet)
    return sheet


def _csv_reason(e: csv.Error) -> str:
    text = str(e)
    if "field larger than field limit" in text:
        return "单元格太长（超过 Excel 的上限 32,767 个字符），这一行之后未读取"
    if "new-line character" in text:
        return "引号外的字段中有换行符，无法按 CSV 读取，这一行之后未读取"
    if "NUL" in text:
        return "含有空字符（NUL），不是文本表格，这一行之后未读取"
    return "CSV 格式无法解析（引号不成对等），这一行之后未读取"
