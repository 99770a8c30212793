"""Goal-seek: how many more projects guaranteed (or 亩 disposed) a place needs to reach a line (pure).

"中站区 36/43 个，需再保障 1 个达到 85%（37/43 = 86.05%）"; what cannot be reached with what
exists is said, never capped silently ("中站区尚有 7 个未保障项目").
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import fmt


@dataclass(frozen=True)
class Need:
    more: float | None      # how many more (projects, or 亩); None = cannot be reached with what exists
    available: float        # how many are still open (projects not guaranteed, 亩 not disposed)
    text: str


def projects_needed(name: str, guaranteed: int, total: int, line: float) -> Need:
    """More projects ``name`` needs guaranteed for guaranteed/total ≥ line (rates compared at 6
    decimals, as the ranking does)."""
    open_ = total - guaranteed
    if total <= 0:
        return Need(None, 0, f"{name}本年没有重点项目清单，无保障率")
    if round(guaranteed / total, 6) >= round(line, 6):
        return Need(0, open_, f"{name}已达到{fmt.pct_line(line)}（{guaranteed}/{total} = {fmt.pct(guaranteed / total)}）")
    more = max(0, math.ceil(line * total - 1e-9) - guaranteed)
    while round((guaranteed + more) / total, 6) < round(line, 6):
        more += 1
    if more > open_:
        return Need(None, open_, f"{name}尚有 {open_} 个未保障项目，不足以达到{fmt.pct_line(line)}")
    after = (guaranteed + more) / total
    return Need(more, open_, f"{name}需再保障 {more} 个项目达到{fmt.pct_line(line)}（{guaranteed + more}/{total} = {fmt.pct(after)}）；"
                f"尚有 {open_} 个未保障")


def area_needed(name: str, kind: str, disposed: float, base: float, line: float) -> Need:
    """More 亩 of ``kind`` (批而未供 / 闲置土地) ``name`` needs disposed for disposed/base ≥ line
    (rounded up to 0.01 亩)."""
    open_ = max(base - disposed, 0.0)
    if base <= 0:
        return Need(None, 0.0, f"{name}本年没有{kind}处置任务")
    if round(disposed / base, 6) >= round(line, 6):
        return Need(0, open_, f"{name}{kind}处置率已达到{fmt.pct_line(line)}（{fmt.pct(disposed / base)}）")
    more = math.ceil((line * base - disposed) * 100 - 1e-6) / 100
    while round((disposed + more) / base, 6) < round(line, 6):
        more += 0.01
    if more > open_ + 1e-9:
        return Need(None, open_, f"{name}{kind}尚有 {fmt.mu(open_, 2)} 未处置，不足以达到{fmt.pct_line(line)}")
    return Need(more, open_, f"{name}需再处置{kind} {fmt.mu(more, 2)} 达到{fmt.pct_line(line)}；尚有 {fmt.mu(open_, 2)} 未处置")


def for_unit(u: Mapping[str, Any], thresholds: Mapping[str, tuple[float, float]]) -> list[str]:
    """What a place needs to reach each warning line (red, then yellow) it is below, in words."""
    out = []
    pr, py = thresholds["projects_rate"]
    for line in (pr, py):
        if u.get("projects_rate") is not None and round(u["projects_rate"], 6) < round(line, 6):
            out.append(projects_needed(u["name"], u["projects_guaranteed"], u["projects_total"], line).text)
            break
    for kind, key, name in (("批而未供", "unsupplied", "unsupplied_rate"), ("闲置土地", "idle", "idle_rate")):
        red, yellow = thresholds[name]
        for line in (red, yellow):
            if u.get(name) is not None and round(u[name], 6) < round(line, 6):
                out.append(area_needed(u["name"], kind, u[f"{key}_disposed_mu"], u[f"{key}_mu"], line).text)
                break
    return out


def beyond_what_exists(u: Mapping[str, Any], projects: float, unsupplied_mu: float, idle_mu: float) -> list[str]:
    """The what-if inputs for ``u`` that exceed what is still open, said (the calculation counts
    only what exists): "中站区尚有 7 个未保障项目（模拟输入 10 个，按 7 个计算）"."""
    out = []
    open_p = (u.get("projects_total") or 0) - (u.get("projects_guaranteed") or 0)
    if projects > open_p:
        out.append(f"{u['name']}尚有 {open_p} 个未保障项目（模拟输入 {projects:,.0f} 个，按 {open_p} 个计算）")
    for kind, key, value in (("批而未供", "unsupplied", unsupplied_mu), ("闲置土地", "idle", idle_mu)):
        open_a = max((u.get(f"{key}_mu") or 0) - (u.get(f"{key}_disposed_mu") or 0), 0.0)
        if value > open_a + 1e-9:
            out.append(f"{u['name']}{kind}尚有 {fmt.mu(open_a, 2)} 未处置（模拟输入 {fmt.mu(value, 2)}，按 {fmt.mu(open_a, 2)} 计算）")
    return out
