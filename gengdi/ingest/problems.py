"""A problem found in a ledger: where (file, sheet, Excel row, column), what value, and why."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int | None        # the Excel row number (the header is its own row number)
    column: str
    value: str
    reason: str

    @property
    def message(self) -> str:
        where = [f"文件 {self.file}"] if self.file else []
        if self.sheet:
            where.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"列“{self.column}”")
        value = f"，值“{self.value}”" if self.value != "" else ""
        return "，".join(where) + f"{value}：{self.reason}"


def show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:60]


def frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as a table (the import page shows and offers it for download)."""
    cols = {"file": "文件", "sheet": "工作表", "row": "行", "column": "列", "value": "值", "reason": "原因"}
    return pd.DataFrame([asdict(p) for p in problems], columns=list(cols)).rename(columns=cols)
