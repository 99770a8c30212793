"""What changed, in words, between two summaries (the line under the KPIs)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from . import fmt
from .metrics import month_end
from .scope import label as place_label


def _pp_phrase(label: str, now: float | None, before: float | None, prev_label: str) -> str | None:
    change = fmt.pp_change(now, before, prev_label)
    return None if change is None else f"{label}{change}（{fmt.pct(now)}）"


def changes(now: Mapping[str, Any], before: Mapping[str, Any]) -> str:
    """"6月保障率较5月提高3.2个百分点（91.44%），…；温县由第8升至第3" — or a plain statement."""
    d_now = dt.date.fromisoformat(now["as_of"])
    d_before = dt.date.fromisoformat(before["as_of"])
    prev_label = f"{d_before.month}月" if d_before.year == d_now.year else fmt.month_label(d_before)
    head = f"{d_now.month}月" if d_now == month_end(d_now.year, d_now.month) else fmt.date_label(d_now)
    parts = []
    for key, label in (("projects_rate", "重点项目用地保障率"), ("unsupplied_rate", "批而未供处置率"),
                       ("idle_rate", "闲置土地处置率")):
        p = _pp_phrase(label, now["city"][key], before["city"][key], prev_label)
        if p:
            parts.append(p)
    before_rank = {u["code"]: u["composite_rank"] for u in before["units"]}
    moves = []
    for u in now["units"]:
        b, r = before_rank.get(u["code"]), u["composite_rank"]
        if b is not None and r is not None and b != r:
            moves.append((b - r, place_label(u), b, r))
    if moves:
        up = max(moves)
        down = min(moves)
        if up[0] > 0:
            parts.append(f"{up[1]}综合排名由第{up[2]}升至第{up[3]}")
        if down[0] < 0:
            parts.append(f"{down[1]}由第{down[2]}降至第{down[3]}")
    elif now["units"]:
        parts.append("综合排名与上月相同")
    if not parts:
        return f"{head}暂无可比较的变化。"
    return f"{head}" + "；".join(parts) + "。"
