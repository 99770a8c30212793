"""The pandas baseline of the benchmark: the same city summary computed from the store held in
pandas DataFrames (loaded once — the best case for pandas), with no DuckDB at all.

It follows the 口径 of docs/口径.md on its own — filters and group-bys in pandas — and
shares only the last step with the DuckDB path (:func:`gengdi.summary.assemble`: ranks, composite
and what-if), so :func:`agree` compares two independent computations of the figures.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import metrics as M
from . import schema as S
from . import versions
from .ranking import RankSettings
from .scope import Scope
from . import tasks as T
from .summary import NoData, assemble, attach_tasks


def _read(version_root: Path, table: S.Table) -> pd.DataFrame:
    if table.partition is None:
        df = pd.read_parquet(version_root / f"{table.name}.parquet")
    else:
        parts = []
        for f in sorted((version_root / table.name).glob(f"{table.partition}=*/*.parquet")):
            part = pd.read_parquet(f)
            part[table.partition] = int(f.parent.name.split("=", 1)[1])
            parts.append(part)
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[f.name for f in table.schema])
    for f in table.schema:
        if str(f.type) == "date32[day]":
            df[f.name] = pd.to_datetime(df[f.name])
    return df


class PandasStore:
    """The four tables of the store in force as DataFrames."""

    def __init__(self, data_dir: Path | str):
        root = versions.root(Path(data_dir))
        self.units = _read(root, S.UNITS)
        self.cultivated = _read(root, S.CULTIVATED)
        self.projects = _read(root, S.PROJECTS)
        self.parcels = _read(root, S.PARCELS)
        self.tasks = _read(root, S.TASKS) if (root / "tasks.parquet").exists() else \
            pd.DataFrame({f.name: pd.Series(dtype="object") for f in S.TASKS.schema})

    def _unit_tasks(self, codes: list[str], d: dt.date) -> dict[str, dict[str, T.UnitTask]]:
        """The 年度任务 of ``codes`` for the year of ``d``, counted with pandas."""
        t = self.tasks
        t = t[(t["year"] == d.year) & t["code"].isin(codes)]
        if t.empty:
            return {}
        then, last_end = T.same_day_last_year(d), dt.date(d.year - 1, 12, 31)

        def parcels_done(code: str, kind: str, day: dt.date) -> tuple[float, float, bool]:
            q = self.parcels
            q = q[(q["task_year"] == day.year) & (q["code"] == code) & (q["type"] == kind)]
            done = q.loc[q["disposal_date"] <= np.datetime64(day, "ns"), "disposed_mu"].fillna(0.0).sum()
            return float(q["area_mu"].sum()), float(done), len(q) > 0

        def projects_done(code: str, day: dt.date) -> tuple[float, float, bool]:
            p = self.projects
            p = p[(p["year"] == day.year) & (p["code"] == code)]
            return float(len(p)), float((p["guaranteed_date"] <= np.datetime64(day, "ns")).sum()), len(p) > 0

        out: dict[str, dict[str, T.UnitTask]] = {}
        for r in t.itertuples(index=False):
            ind, kind = T.TASK_INDICATORS[r.indicator]
            if kind == "area":
                k = M.UNSUPPLIED if ind == "unsupplied_rate" else M.IDLE
                base, done, _ = parcels_done(r.code, k, d)
                _, last_then, _ = parcels_done(r.code, k, then)
                _, last_year_end, had = parcels_done(r.code, k, last_end)
            else:
                base, done, _ = projects_done(r.code, d)
                _, last_then, _ = projects_done(r.code, then)
                _, last_year_end, had = projects_done(r.code, last_end)
            out.setdefault(r.code, {})[ind] = T.UnitTask(kind, float(r.target), done, base,
                                                         last_then if had else None, last_year_end if had else None)
        return out

    # ------------------------------------------------------------------ figures
    def _sums(self, codes: list[str], cult: pd.DataFrame, prev: pd.DataFrame,
              d: dt.date) -> tuple[dict[str, dict], list[str]]:
        sums = {c: M.empty_sums() for c in codes}
        counted = set()
        for r in cult.itertuples(index=False):
            c = sums[r.code]["cultivated"]
            if not (math.isnan(r.cultivated_mu) or math.isnan(r.cultivated_target_mu)):
                counted.add(r.code)
                c["n_cultivated"] += 1
                c["cultivated_mu"] += r.cultivated_mu
                c["cultivated_target_mu"] += r.cultivated_target_mu
                if math.isnan(r.prev_cultivated_mu):
                    c["n_new"] += 1
            if not (math.isnan(r.basic_farmland_mu) or math.isnan(r.basic_farmland_target_mu)):
                c["n_basic_farmland"] += 1
                c["basic_farmland_mu"] += r.basic_farmland_mu
                c["basic_farmland_target_mu"] += r.basic_farmland_target_mu
        for r in prev.itertuples(index=False):   # the year before: the change is the difference of totals
            if not math.isnan(r.cultivated_mu):
                c = sums[r.code]["cultivated"]
                c["n_prev"] += 1
                c["prev_mu"] += r.cultivated_mu
                c["n_gone"] += r.code not in counted
        end = np.datetime64(d, "ns")
        p = self.projects
        p = p[(p["year"] == d.year) & p["code"].isin(codes)]
        g = (p.assign(guaranteed=(p["guaranteed_date"] <= end))
             .groupby(["code", "category"])["guaranteed"].agg(["size", "sum"]))
        for (code, cat), (total, guaranteed) in zip(g.index, g.to_numpy()):
            sums[code]["projects"][cat] = [int(total), int(guaranteed)]
        q = self.parcels
        q = q[(q["task_year"] == d.year) & q["code"].isin(codes)]
        q = q.assign(done=np.where(q["disposal_date"] <= end, q["disposed_mu"].fillna(0.0), 0.0))
        g = q.groupby(["code", "type"])[["area_mu", "done"]].sum()
        for (code, kind), (base, done) in zip(g.index, g.to_numpy()):
            sums[code]["parcels"][kind] = [float(base), float(done)]
        return sums, sorted(set(p["category"]), key=M._category_order)

    def _figures(self, codes: list[str], d: dt.date) -> tuple[int | None, dict, dict]:
        c = self.cultivated
        mine = c[c["code"].isin(codes)]
        years = mine.loc[mine["year"] <= d.year, "year"]
        data_year = int(years.max()) if len(years) else None
        if data_year is None:
            cult = mine.iloc[0:0].assign(prev_cultivated_mu=[])
            prev = mine.iloc[0:0][["code", "cultivated_mu"]]
        else:
            cur = mine[mine["year"] == data_year]
            prev = mine.loc[mine["year"] == data_year - 1, ["code", "cultivated_mu"]]
            cult = cur.merge(prev.rename(columns={"cultivated_mu": "prev_cultivated_mu"}), on="code", how="left")
        sums, cats = self._sums(codes, cult, prev, d)
        total = M.empty_sums()
        for s in sums.values():
            M.add_sums(total, s)
        return data_year, M.figures(total, cats), {code: M.figures(s, cats) for code, s in sums.items()}

    def city_summary(self, city: str, as_of: dt.date, settings: RankSettings | None = None) -> dict[str, Any]:
        """The summary of docs/口径.md for a city, computed with pandas."""
        settings = settings or RankSettings.make()
        u = self.units
        row = u[(u["code"] == city) & (u["level"] == "市")]
        if row.empty:
            raise NoData(f"未知的市级行政区划代码 {city}")
        units = u[(u["level"] == "县级") & (u["parent_code"] == city)].sort_values("code")
        codes = units["code"].tolist()
        now = self._figures(codes, as_of)
        before = self._figures(codes, M.previous_month_end(as_of))
        out = assemble(Scope("city", city, str(row["name"].iloc[0])), "unit", as_of, codes,
                       units["name"].tolist(), now, before[2], settings)
        per_place, whole = T.task_figures(self._unit_tasks(codes, as_of), {c: c for c in codes}, codes, as_of)
        attach_tasks(out, as_of, per_place, whole, T.DEFAULT_TOLERANCE)
        return out


# ---------------------------------------------------------------------------- agreement
AREA_TOLERANCE = 1e-4   # 亩: the areas are reported at 4 decimals
RATE_TOLERANCE = 1e-9


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two summaries differ: counts, codes, names and ranks exactly, areas to 0.0001 亩,
    rates and scores to 1e-9 (two sums of the same floats in another order)."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        if set(a) != set(b):
            return [f"{path}: keys {sorted(set(a) ^ set(b))}"]
        return [d for k in a for d in differences(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    if isinstance(a, float) and isinstance(b, float):
        tol = AREA_TOLERANCE if path.endswith("_mu") else RATE_TOLERANCE
        return [] if abs(a - b) <= tol else [f"{path}: {a!r} vs {b!r}"]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return [] if a == b else [f"{path}: {a!r} vs {b!r}"]
    return [] if a == b else [f"{path}: {a!r} vs {b!r}"]

