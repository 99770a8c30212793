"""The ledger contract of docs/台账格式.md as data: tables, columns, types and rules."""
from __future__ import annotations

from dataclasses import dataclass

from .. import schema as S

AREA_UNITS = {"亩": 1.0, "公顷": 15.0, "万亩": 10_000.0}
TOTAL_WORDS = ("合计", "总计", "小计")


@dataclass(frozen=True)
class Column:
    name: str            # the header without its unit, e.g. 耕地面积
    field: str           # the store column
    kind: str            # code | text | year | area | date | level | type | float
    required: bool = True
    rule: str = ""       # area: ">=0" or ">0"; date/area in parcels: may be blank
    aliases: tuple[str, ...] = ()   # other headers accepted for this column (年度任务)

    @property
    def is_area(self) -> bool:
        return self.kind == "area"


@dataclass(frozen=True)
class LedgerTable:
    title: str
    table: S.Table
    columns: tuple[Column, ...]
    key: tuple[str, ...]           # store fields that identify a row
    scope: tuple[str, str] | None  # (code field, year field) replaced as a whole; None = upsert by key

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name or name in c.aliases), None)


UNITS = LedgerTable("区划", S.UNITS, (
    Column("行政区划代码", "code", "code"),
    Column("名称", "name", "text"),
    Column("级别", "level", "level"),
    Column("上级代码", "parent_code", "code", required=False),
    Column("经度", "lon", "float", required=False),
    Column("纬度", "lat", "float", required=False),
), key=("code",), scope=None)

CULTIVATED = LedgerTable("耕地年度", S.CULTIVATED, (
    Column("年度", "year", "year"),
    Column("行政区划代码", "code", "code"),
    Column("耕地面积", "cultivated_mu", "area", rule=">=0"),
    Column("耕地保有量目标", "cultivated_target_mu", "area", rule=">0"),
    Column("永久基本农田面积", "basic_farmland_mu", "area", rule=">=0"),
    Column("永久基本农田保护任务", "basic_farmland_target_mu", "area", rule=">0"),
    Column("建设占用耕地", "occupied_mu", "area", required=False, rule=">=0"),
    Column("补充耕地", "supplemented_mu", "area", required=False, rule=">=0"),
), key=("year", "code"), scope=("code", "year"))

PROJECTS = LedgerTable("重点项目", S.PROJECTS, (
    Column("项目编号", "project_id", "text"),
    Column("项目名称", "project_name", "text"),
    Column("行政区划代码", "code", "code"),
    Column("项目类别", "category", "text"),
    Column("年度", "year", "year"),
    Column("用地面积", "area_mu", "area", required=False, rule=">=0"),
    Column("用地保障日期", "guaranteed_date", "date", rule="blank-ok"),
), key=("year", "project_id"), scope=("code", "year"))

PARCELS = LedgerTable("批而未供和闲置土地", S.PARCELS, (
    Column("地块编号", "parcel_id", "text"),
    Column("行政区划代码", "code", "code"),
    Column("类型", "type", "type"),
    Column("批准年度", "approval_year", "year", required=False),
    Column("面积", "area_mu", "area", rule=">0"),
    Column("任务年度", "task_year", "year"),
    Column("处置日期", "disposal_date", "date", rule="blank-ok"),
    Column("处置面积", "disposed_mu", "area", rule="blank-ok"),
    Column("处置方式", "method", "text", required=False),
), key=("task_year", "parcel_id"), scope=("code", "task_year"))

# 年度任务: the city's annual task for a unit on one indicator. 任务值 carries its unit either in
# a 单位 column or in the header (任务值(亩)); disposal tasks are areas (亩/公顷/万亩), the key-project
# target is a rate (%). Stored as 亩, or as a fraction (95% → 0.95).
TASKS = LedgerTable("年度任务", S.TASKS, (
    Column("年度", "year", "year", aliases=("任务年度", "年份")),
    Column("行政区划代码", "code", "code", aliases=("区划代码", "单位代码")),
    Column("指标", "indicator", "indicator", aliases=("任务指标", "任务类型", "任务名称", "任务项目")),
    Column("任务值", "target", "task", aliases=("任务", "任务量", "任务数", "目标值", "年度任务", "目标")),
    Column("单位", "unit", "task_unit", required=False, aliases=("计量单位", "任务单位")),
), key=("year", "code", "indicator"), scope=("code", "year"))

LEDGER_TABLES = (UNITS, CULTIVATED, PROJECTS, PARCELS, TASKS)

# 年度任务 indicators: the stored name, the names a ledger may use, the unit kind and the ranked
# indicator the task belongs to
from ..tasks import TASK_INDICATORS  # noqa: E402  (one definition: gengdi/tasks.py)

TASK_INDICATOR_ALIASES = {
    "批而未供": "批而未供处置", "批而未供土地处置": "批而未供处置", "批而未供处置任务": "批而未供处置",
    "批而未供土地处置任务": "批而未供处置", "消化批而未供土地": "批而未供处置",
    "闲置土地": "闲置土地处置", "闲置": "闲置土地处置", "闲置土地处置任务": "闲置土地处置", "处置闲置土地": "闲置土地处置",
    "重点项目用地保障": "重点项目用地保障率", "重点项目用地保障率目标": "重点项目用地保障率", "用地保障率": "重点项目用地保障率",
    "保障率": "重点项目用地保障率",
}
TASK_UNITS = {"亩": 1.0, "公顷": 15.0, "万亩": 10_000.0, "%": 0.01}
DEFAULT_CATEGORIES = ("省重点", "市重点", "三个一批")
TYPES = {"批而未供": S.UNSUPPLIED, "闲置土地": S.IDLE, "闲置": S.IDLE}
LEVELS = ("市", "县级")


def task_indicator(text: str) -> str | None:
    """The stored 年度任务 indicator of a ledger's wording (spaces and （） ignored), or None."""
    t = "".join(str(text).split()).replace("（", "(").replace("）", ")")
    return t if t in TASK_INDICATORS else TASK_INDICATOR_ALIASES.get(t)


def header_text(table: LedgerTable, column: Column) -> str:
    """The header a template or an export writes: 耕地面积(亩)."""
    return f"{column.name}(亩)" if column.is_area else column.name
