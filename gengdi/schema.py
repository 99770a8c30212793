"""The five tables of the Parquet store (docs/台账格式.md), their columns and where they live.

Layout under the data directory:

    meta.json                               {"demo": true, ...} for the generated demo store
    units.parquet                           区划
    cultivated.parquet                      耕地年度
    projects/year=YYYY/part-0.parquet       重点项目, hive-partitioned by 年度
    parcels/task_year=YYYY/part-0.parquet   批而未供和闲置土地, hive-partitioned by 任务年度
    tasks.parquet                           年度任务 (annual tasks the city sets for each unit)
    boundaries/<city code>.geojson          county polygons (WGS-84)

All areas are in 亩.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Table:
    name: str          # DuckDB view name
    title: str         # Chinese name in docs/台账格式.md
    schema: pa.Schema  # full schema, partition column included
    partition: str | None = None  # hive partition column, if any

    @property
    def file_schema(self) -> pa.Schema:
        """Schema of the Parquet files themselves (partition column lives in the path)."""
        if self.partition is None:
            return self.schema
        return self.schema.remove(self.schema.get_field_index(self.partition))


UNITS = Table(
    "units", "区划",
    pa.schema([
        ("code", pa.string()),
        ("name", pa.string()),
        ("level", pa.string()),        # 市 | 县级
        ("parent_code", pa.string()),
        ("lon", pa.float64()),
        ("lat", pa.float64()),
    ]),
)

CULTIVATED = Table(
    "cultivated", "耕地年度",
    pa.schema([
        ("year", pa.int32()),
        ("code", pa.string()),
        ("cultivated_mu", pa.float64()),
        ("cultivated_target_mu", pa.float64()),
        ("basic_farmland_mu", pa.float64()),
        ("basic_farmland_target_mu", pa.float64()),
        ("occupied_mu", pa.float64()),       # 建设占用耕地
        ("supplemented_mu", pa.float64()),   # 补充耕地
    ]),
)

PROJECTS = Table(
    "projects", "重点项目",
    pa.schema([
        ("year", pa.int32()),
        ("project_id", pa.string()),
        ("project_name", pa.string()),
        ("code", pa.string()),
        ("category", pa.string()),
        ("area_mu", pa.float64()),
        ("guaranteed_date", pa.date32()),
    ]),
    partition="year",
)

PARCELS = Table(
    "parcels", "批而未供和闲置土地",
    pa.schema([
        ("task_year", pa.int32()),
        ("parcel_id", pa.string()),
        ("code", pa.string()),
        ("type", pa.string()),            # 批而未供 | 闲置土地
        ("approval_year", pa.int32()),
        ("area_mu", pa.float64()),
        ("disposal_date", pa.date32()),
        ("disposed_mu", pa.float64()),
        ("method", pa.string()),
    ]),
    partition="task_year",
)

TASKS = Table(
    "tasks", "年度任务",
    pa.schema([
        ("year", pa.int32()),
        ("code", pa.string()),
        ("indicator", pa.string()),       # 批而未供处置 | 闲置土地处置 | 重点项目用地保障率
        ("target", pa.float64()),         # 亩 for a disposal task, a fraction (0.95) for a rate target
    ]),
)

TABLES = (UNITS, CULTIVATED, PROJECTS, PARCELS, TASKS)

UNSUPPLIED = "批而未供"
IDLE = "闲置土地"
