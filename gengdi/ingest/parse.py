"""From sheets to typed rows: header detection, units, totals, cell conversion and row rules."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..safe import looks_like_formula
from .. import clock
from .problems import Problem, show
from .read import Sheet
from .spec import (AREA_UNITS, LEDGER_TABLES, LEVELS, TASK_INDICATORS, TASK_UNITS, TASKS, TOTAL_WORDS, TYPES, Column,
                   LedgerTable, task_indicator)

HEADER_SEARCH_ROWS = 30
FORMULA_HINT = "以“{}”开头，在 Excel 中像公式：已按文字导入，导出时也写成文字，不会被当作公式计算"
_UNIT_RE = re.compile(r"^(.*)\(([^()]+)\)$")
_DATE_RES = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


@dataclass
class ParsedTable:
    spec: LedgerTable
    rows: list[dict[str, Any]] = field(default_factory=list)
    present: set[str] = field(default_factory=set)                      # fields some sheet had a column for
    where: list[tuple[str, str, int]] = field(default_factory=list)   # (file, sheet, Excel row) per row


@dataclass
class Parsed:
    tables: dict[str, ParsedTable]
    problems: list[Problem]
    warnings: list[Problem]


def normalize_header(value: Any) -> str:
    text = "" if value is None else str(value)
    text = re.sub(r"\s+", "", text)
    return text.replace("（", "(").replace("）", ")")


def split_unit(header: str) -> tuple[str, str | None]:
    m = _UNIT_RE.match(header)
    return (m.group(1), m.group(2)) if m else (header, None)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _match(row: list[Any]) -> tuple[LedgerTable | None, dict[int, tuple[Column, str | None]], list[str]]:
    """Which table a header row belongs to: (table, {column index: (column, unit)}, missing names)."""
    names = [split_unit(normalize_header(v)) for v in row]
    best = (None, {}, [])
    best_score = 0
    for table in LEDGER_TABLES:
        found: dict[int, tuple[Column, str | None]] = {}
        for i, (base, unit) in enumerate(names):
            col = table.column(base)
            if col is not None and i not in found and col.name not in {c.name for c, _ in found.values()}:
                found[i] = (col, unit)
        present = {c.name for c, _ in found.values()}
        missing = [c.name for c in table.required if c.name not in present]
        score = len(present & {c.name for c in table.required}) * 10 - len(missing)
        if not missing and score > best_score:
            best, best_score = (table, found, []), score
        elif best[0] is None and len(present) >= 3 and score > best_score and not best[2]:
            best, best_score = (None, found, [f"{table.title}:{m}" for m in missing]), score
    return best


# ---------------------------------------------------------------------------- cells
class Bad(ValueError):
    pass


def to_code(v: Any) -> str:
    if isinstance(v, float):
        if not v.is_integer():
            raise Bad("行政区划代码应为6位数字")
        v = int(v)
    text = str(v).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not re.fullmatch(r"\d{6}", text):
        raise Bad("行政区划代码应为6位数字")
    return text


def to_year(v: Any) -> int:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if float(v) != int(v):
            raise Bad("年度应为整数年份")
        y = int(v)
    else:
        text = str(v).strip().removesuffix("年")
        if not re.fullmatch(r"\d{4}", text):
            raise Bad("年度应为4位年份，例如 2023")
        y = int(text)
    if not 2000 <= y <= 2100:
        raise Bad("年度超出 2000–2100 的范围")
    return y


def to_number(v: Any) -> float:
    if isinstance(v, bool):
        raise Bad("不是数字")
    if isinstance(v, (int, float)):
        x = float(v)
    else:
        text = str(v).strip().replace(",", "").replace("，", "")
        try:
            x = float(text)
        except ValueError:
            raise Bad("不是数字") from None
    if x != x or x in (float("inf"), float("-inf")):
        raise Bad("不是数字")
    return x


def to_area(v: Any, unit: str, rule: str) -> float:
    x = to_number(v)
    if x < 0:
        raise Bad("面积不能为负数")
    if rule == ">0" and x == 0:
        raise Bad("面积必须大于0")
    return round(x * AREA_UNITS[unit], 6)


EARLIEST_DATE = dt.date(1990, 1, 1)


def to_date(v: Any) -> dt.date:
    """A date as written, within 1990-01-01 and today (China time, GENGDI_TZ): a later date is a
    typo (2203-06-15) that would carry the dashboard's months into the future."""
    d = _date(v)
    if d > clock.today():
        raise Bad(f"日期晚于今天（{clock.today().isoformat()}，{clock.zone_label()}），请检查是否笔误")
    if d < EARLIEST_DATE:
        raise Bad("日期早于 1990 年，请检查是否笔误")
    return d


def _date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if 20_000 < float(v) < 80_000:   # an Excel serial date that lost its format
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(v))
        raise Bad("无法识别的日期（应为 2023-06-15、2023/6/15、2023.6.15 或 2023年6月15日）")
    text = str(v).strip()
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text)   # "2023-06-15 00:00:00"
    for rx in _DATE_RES:
        m = rx.match(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise Bad("日期不存在（月份或日期超出范围）") from None
    raise Bad("无法识别的日期（应为 2023-06-15、2023/6/15、2023.6.15 或 2023年6月15日）")


def convert(col: Column, unit: str | None, v: Any) -> Any:
    if col.kind == "code":
        return to_code(v)
    if col.kind == "text":
        return str(v).strip() if not isinstance(v, float) or not v.is_integer() else str(int(v))
    if col.kind == "year":
        return to_year(v)
    if col.kind == "area":
        return to_area(v, unit or "亩", col.rule)
    if col.kind == "float":
        return to_number(v)
    if col.kind == "date":
        return to_date(v)
    if col.kind == "level":
        text = str(v).strip()
        if text not in LEVELS:
            raise Bad("级别应为“市”或“县级”")
        return text
    if col.kind == "indicator":
        name = task_indicator(str(v))
        if name is None:
            raise Bad("指标应为“" + "”“".join(TASK_INDICATORS) + "”之一")
        return name
    if col.kind == "task":
        text = v if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v).strip()
        pct = isinstance(text, str) and text.endswith(("%", "％"))
        x = to_number(text[:-1] if pct else text)
        if x < 0:
            raise Bad("任务值不能为负数")
        if x == 0:
            raise Bad("任务值必须大于0（没有任务的单位不填这一行）")
        return ("%", x) if pct else (unit, x)
    if col.kind == "task_unit":
        text = "".join(str(v).split()).replace("％", "%")
        if text not in TASK_UNITS:
            raise Bad("单位应为 亩、公顷、万亩（处置任务）或 %（保障率目标）")
        return text
    if col.kind == "type":
        text = str(v).strip()
        if text not in TYPES:
            raise Bad("类型应为“批而未供”或“闲置土地”")
        return TYPES[text]
    raise AssertionError(col.kind)


# ---------------------------------------------------------------------------- sheets
def parse(sheets: Iterable[Sheet]) -> Parsed:
    tables = {t.title: ParsedTable(t) for t in LEDGER_TABLES}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    recognised = 0
    for sheet in sheets:
        header_at = None
        for i, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            table, found, missing = _match(row)
            if table is not None:
                header_at = (i, table, found)
                break
            if missing:
                problems.append(Problem(sheet.file, sheet.name, i + 1, "", "",
                                        "表头缺少必需的列：" + "、".join(m.split(":")[1] for m in missing)
                                        + f"（按“{missing[0].split(':')[0]}”表识别）"))
                header_at = "missing"
                break
        if header_at is None:
            if any(any(not _blank(c) for c in r) for r in sheet.rows):
                warnings.append(Problem(sheet.file, sheet.name, None, "", "", "没有找到可识别的表头，已跳过此工作表"))
            continue
        if header_at == "missing":
            recognised += 1
            continue
        recognised += 1
        i, table, found = header_at
        header_row = sheet.rows[i]
        tables[table.title].present |= {c.field for c, _ in found.values()}
        for j, v in enumerate(header_row):
            if j in found or _blank(v):
                continue
            warnings.append(Problem(sheet.file, sheet.name, i + 1, str(v).strip(), "", "未知的列，已忽略"))
        bad_header = False
        for j, (col, unit) in found.items():
            if col.kind == "task" and unit is not None and unit.replace("％", "%") not in TASK_UNITS:
                problems.append(Problem(sheet.file, sheet.name, i + 1, normalize_header(header_row[j]), "",
                                        f"任务值的单位“{unit}”无法识别，只能是 亩、公顷、万亩 或 %"))
                bad_header = True
            elif col.is_area and unit is None:
                problems.append(Problem(sheet.file, sheet.name, i + 1, normalize_header(header_row[j]), "",
                                        f"面积列没有单位，应写作“{col.name}(亩)”、“{col.name}(公顷)”或“{col.name}(万亩)”"))
                bad_header = True
            elif col.is_area and unit not in AREA_UNITS:
                problems.append(Problem(sheet.file, sheet.name, i + 1, normalize_header(header_row[j]), "",
                                        f"面积单位“{unit}”无法识别，只能是 亩、公顷 或 万亩"))
                bad_header = True
        if bad_header:
            continue
        _parse_rows(sheet, i, table, found, tables[table.title], problems, warnings)
    if recognised == 0 and not problems:
        names = "、".join(sorted({s.file for s in sheets}))
        problems.append(Problem(names, "", None, "", "",
                                "没有找到台账表头（应包含 docs/台账格式.md 中某张表的全部必需列，例如“年度、行政区划代码、耕地面积(亩)…”）"))
    return Parsed(tables, problems, warnings)


def _parse_rows(sheet: Sheet, header_index: int, table: LedgerTable, found: dict[int, tuple[Column, str | None]],
                out: ParsedTable, problems: list[Problem], warnings: list[Problem]) -> None:
    for r in range(header_index + 1, len(sheet.rows)):
        row = sheet.rows[r]
        excel_row = r + 1
        if all(_blank(c) for c in row):
            continue
        first_text = re.sub(r"\s+", "", next((str(c) for c in row if not _blank(c)), ""))
        if any(first_text.startswith(w) for w in TOTAL_WORDS):
            warnings.append(Problem(sheet.file, sheet.name, excel_row, "", first_text, "合计行，已跳过"))
            continue
        record: dict[str, Any] = {}
        written: dict[str, str] = {}   # field → the cell as written, with its unit ("3 公顷")
        ok = True
        for j, (col, unit) in found.items():
            v = row[j] if j < len(row) else None
            header = normalize_header(sheet.rows[header_index][j])
            written[col.field] = as_written(col, unit, v)
            if _blank(v):
                if col.required and col.rule != "blank-ok":
                    problems.append(Problem(sheet.file, sheet.name, excel_row, header, "", "必填项为空"))
                    ok = False
                record[col.field] = None
                continue
            try:
                record[col.field] = convert(col, unit, v)
                if col.kind == "text" and looks_like_formula(record[col.field]):
                    warnings.append(Problem(sheet.file, sheet.name, excel_row, header, show(v), FORMULA_HINT.format(
                        record[col.field][0])))
            except Bad as e:
                problems.append(Problem(sheet.file, sheet.name, excel_row, header, written[col.field], str(e)))
                ok = False
        for col in table.columns:
            record.setdefault(col.field, None)
        if ok and table is TASKS:
            ok = _finish_task(sheet, excel_row, record, problems)
        if ok:
            for reason, column in row_rules(table, record, written):
                problems.append(Problem(sheet.file, sheet.name, excel_row, column,
                                        written.get(_field_of(table, column), ""), reason))
                ok = False
        if ok:
            for reason, column in row_warnings(table, record):
                warnings.append(Problem(sheet.file, sheet.name, excel_row, column,
                                        written.get(_field_of(table, column), ""), reason))
            out.rows.append(record)
            out.where.append((sheet.file, sheet.name, excel_row))


def _finish_task(sheet: Sheet, excel_row: int, rec: dict[str, Any], problems: list[Problem]) -> bool:
    """年度任务: the unit (单位 column, else the 任务值 header or a % sign) must fit the indicator;
    the value is stored in 亩 or as a fraction."""
    header_unit, x = rec["target"]
    unit = rec.get("unit") or (header_unit.replace("％", "%") if header_unit else None)
    kind = TASK_INDICATORS[rec["indicator"]][1]
    if unit is None:
        problems.append(Problem(sheet.file, sheet.name, excel_row, "单位", "",
                                "缺少单位：处置任务填 亩（或 公顷、万亩），保障率目标填 %"))
        return False
    if (kind == "area") != (unit != "%"):
        want = "亩、公顷或万亩" if kind == "area" else "%"
        problems.append(Problem(sheet.file, sheet.name, excel_row, "单位", unit,
                                f"“{rec['indicator']}”的任务单位应为{want}"))
        return False
    if kind == "rate" and x > 100:
        problems.append(Problem(sheet.file, sheet.name, excel_row, "任务值", show(x), "保障率目标不能超过100%"))
        return False
    rec["target"] = round(x * TASK_UNITS[unit], 6)
    rec["unit"] = unit
    return True
def row_warnings(table: LedgerTable, rec: dict[str, Any]) -> list[tuple[str, str]]:
    """What is accepted but worth a look: a date outside the year of its list (a project of the
    2023 list guaranteed in 2021 may be right — carried over — or a typo)."""
    out = []
    if table.title == "重点项目":
        d, year = rec.get("guaranteed_date"), rec.get("year")
        if d is not None and year is not None and d.year != year:
            out.append((f"用地保障日期不在清单年度 {year} 年内，已接受，请核对", "用地保障日期"))
    if table.title == "批而未供和闲置土地":
        d, year = rec.get("disposal_date"), rec.get("task_year")
        if d is not None and year is not None and d.year != year:
            out.append((f"处置日期不在任务年度 {year} 年内，已接受，请核对", "处置日期"))
    return out


def _field_of(table: LedgerTable, column: str) -> str:
    col = table.column(column)
    return col.field if col else ""


def as_written(col: Column, unit: str | None, v: Any) -> str:
    """A cell as the clerk wrote it, an area with the unit of its column: "3 公顷"."""
    if isinstance(v, dt.datetime) and v.time() == dt.time():
        v = v.date()
    text = show(v)
    if col.is_area and text and unit:
        return f"{text} {unit}"
    return text


def row_rules(table: LedgerTable, rec: dict[str, Any], written: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Rules across the cells of one row: (reason, column name). ``written``: the cells as written."""
    written = written or {}
    out = []
    if table.title == "批而未供和闲置土地":
        date, disposed, area = rec["disposal_date"], rec["disposed_mu"], rec["area_mu"]
        if date is not None and disposed is None:
            out.append(("填写了处置日期，但处置面积为空", "处置面积"))
        if date is None and disposed:
            out.append(("处置日期为空时处置面积应为空或0", "处置面积"))
        if disposed is not None and area is not None and disposed > area + 1e-9:
            out.append((f"处置面积大于地块面积（{written.get('area_mu') or format(area, 'g') + ' 亩'}）", "处置面积"))
    if table.title == "区划" and rec["level"] == "县级" and not rec["parent_code"]:
        out.append(("县级单位必须填写上级代码", "上级代码"))
    return out
