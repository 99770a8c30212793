"""情景模拟 (what-if): change targets or this month's progress and recompute — never stored."""
from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import metrics as M


@dataclass(frozen=True)
class WhatIf:
    cultivated_target_pct: float = 0.0   # raise (+) or lower (−) the 耕地保有量目标, percent
    farmland_target_pct: float = 0.0     # the same for 永久基本农田保护任务
    target_unit: str | None = None       # None = all units
    unit: str | None = None              # the unit whose progress is simulated
    projects: int = 0                    # more projects guaranteed this month
    unsupplied_mu: float = 0.0           # more 批而未供 亩 disposed
    idle_mu: float = 0.0                 # more 闲置土地 亩 disposed

    @property
    def active(self) -> bool:
        return bool(self.cultivated_target_pct or self.farmland_target_pct
                    or (self.unit and (self.projects or self.unsupplied_mu or self.idle_mu)))


def _area(x: float) -> float:
    return round(x, M.AREA_DECIMALS) + 0.0


def apply(by_unit: Mapping[str, Mapping[str, Any]], w: WhatIf) -> dict[str, dict[str, Any]]:
    """The unit figures under the scenario (a copy; the input is left alone)."""
    out = {c: copy.deepcopy(dict(f)) for c, f in by_unit.items()}
    for code, f in out.items():
        if w.target_unit is None or w.target_unit == code:
            if w.cultivated_target_pct and f["cultivated_target_mu"] is not None:
                t = _area(f["cultivated_target_mu"] * (1 + w.cultivated_target_pct / 100))
                f.update(cultivated_target_mu=t, cultivated_rate=M.ratio(f["cultivated_mu"], t),
                         cultivated_gap_mu=_area(f["cultivated_mu"] - t))
            if w.farmland_target_pct and f["basic_farmland_target_mu"] is not None:
                t = _area(f["basic_farmland_target_mu"] * (1 + w.farmland_target_pct / 100))
                f.update(basic_farmland_target_mu=t, basic_farmland_rate=M.ratio(f["basic_farmland_mu"], t))
        if code == w.unit:
            if w.projects:
                g = max(0, min(f["projects_total"], f["projects_guaranteed"] + int(w.projects)))
                f.update(projects_guaranteed=g, projects_rate=M.ratio(g, f["projects_total"]))
            for prefix, extra in (("unsupplied", w.unsupplied_mu), ("idle", w.idle_mu)):
                if extra:
                    base = f[f"{prefix}_mu"] or 0.0
                    d = _area(max(0.0, min(base, f[f"{prefix}_disposed_mu"] + float(extra))))
                    f[f"{prefix}_disposed_mu"] = d
                    f[f"{prefix}_rate"] = M.ratio(d, base)
    return out


def newly_below_target(actual: Mapping[str, Mapping[str, Any]], simulated: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(unit code, indicator) that meet the target now but would miss it under the scenario."""
    out = []
    for code, f in simulated.items():
        for ind in M.RED_LINE:
            before, after = actual[code].get(ind), f.get(ind)
            if before is not None and after is not None and M.meets_target(before) and not M.meets_target(after):
                out.append((code, ind))
    return out
