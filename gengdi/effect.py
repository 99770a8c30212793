"""The effect of an import in indicator terms: 中站区：重点项目用地保障率 83.72%→90.70%，综合排名 第11→第10."""
from __future__ import annotations

from collections.abc import Iterable

from . import fmt
from . import metrics as M


def _rank(r: int | None) -> str:
    return "—" if r is None else f"第{r}"


def lines(before: dict, after: dict, codes: Iterable[str]) -> list[str]:
    """One sentence per unit of ``codes`` whose figures moved, from two summaries of the same city
    (same as-of date and settings), before and after the import."""
    old = {u["code"]: u for u in before.get("units", [])}
    new = {u["code"]: u for u in after.get("units", [])}
    out = []
    for code in codes:
        a, b = old.get(code), new.get(code)
        if b is None:
            continue
        a = a or {}
        parts = [f"{name} {fmt.pct(a.get(k))}→{fmt.pct(b.get(k))}" for k, name in M.INDICATORS.items()
                 if round(a.get(k) or -1, 6) != round(b.get(k) or -1, 6)]
        if a.get("composite_rank") != b.get("composite_rank"):
            parts.append(f"综合排名 {_rank(a.get('composite_rank'))}→{_rank(b.get('composite_rank'))}")
        if parts:
            out.append(f"{b['name']}：" + "，".join(parts))
    return out
