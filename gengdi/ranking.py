"""Ranking settings (weights, counted categories, participating units), streaks and rank history.

Pure functions over the place figures that :func:`gengdi.summary.place_figures` returns.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import metrics as M
from . import terms


@dataclass(frozen=True)
class RankSettings:
    """What the ranking counts. ``None`` = everything (the spec's default)."""

    weights: tuple[tuple[str, float], ...] = tuple(M.DEFAULT_WEIGHTS.items())
    categories: tuple[str, ...] | None = None
    units: tuple[str, ...] | None = None

    @classmethod
    def make(cls, weights: Mapping[str, float] | None = None, categories: Iterable[str] | None = None,
             units: Iterable[str] | None = None) -> "RankSettings":
        w = dict(M.DEFAULT_WEIGHTS if weights is None else weights)
        M.normalize_weights(w)  # raises on all-zero weights
        optional = tuple((k, float(w[k])) for k in M.OPTIONAL_INDICATORS if float(w.get(k, 0) or 0) > 0)
        return cls(
            weights=tuple((k, float(w.get(k, 0))) for k in M.INDICATORS) + optional,
            categories=None if categories is None else tuple(categories),
            units=None if units is None else tuple(units),
        )

    @property
    def weight_map(self) -> dict[str, float]:
        return dict(self.weights)

    @property
    def weighs_tasks(self) -> bool:
        """The composite counts 任务完成率 (its weight is on)."""
        return "task_rate" in self.weight_map


def in_rank_order(units: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Units by composite rank (ties by code); units without a rank last."""
    return sorted(units, key=lambda u: (u["composite_rank"] is None, u["composite_rank"] or 0, u["code"]))


def restrict_categories(fig: Mapping[str, Any], categories: Sequence[str] | None) -> dict[str, Any]:
    """The figures with the guarantee rate counted over ``categories`` only (None = all)."""
    out = dict(fig)
    if categories is None:
        return out
    cats = [c for c in categories if c in fig["projects_by_category"]]
    total = sum(fig["projects_by_category"][c]["total"] for c in cats)
    guaranteed = sum(fig["projects_by_category"][c]["guaranteed"] for c in cats)
    out.update(projects_total=total, projects_guaranteed=guaranteed, projects_rate=M.ratio(guaranteed, total))
    return out


def _sum(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals), M.AREA_DECIMALS) if vals else None


def city_from_units(units: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """City figures from unit figures: every numerator and denominator summed, rates recomputed."""
    out: dict[str, Any] = {}
    for key in ("cultivated_mu", "cultivated_target_mu",
                "basic_farmland_mu", "basic_farmland_target_mu",
                "unsupplied_mu", "unsupplied_disposed_mu", "idle_mu", "idle_disposed_mu"):
        out[key] = _sum(u[key] for u in units)
    out["cultivated_rate"] = M.ratio(out["cultivated_mu"], out["cultivated_target_mu"])
    out["cultivated_gap_mu"] = (None if out["cultivated_mu"] is None
                                else round(out["cultivated_mu"] - out["cultivated_target_mu"], M.AREA_DECIMALS))
    out["basic_farmland_rate"] = M.ratio(out["basic_farmland_mu"], out["basic_farmland_target_mu"])
    out["projects_total"] = sum(u["projects_total"] for u in units)
    out["projects_guaranteed"] = sum(u["projects_guaranteed"] for u in units)
    out["projects_rate"] = M.ratio(out["projects_guaranteed"], out["projects_total"])
    cats: dict[str, dict[str, Any]] = {}
    for u in units:
        for c, f in u["projects_by_category"].items():
            d = cats.setdefault(c, {"total": 0, "guaranteed": 0})
            d["total"] += f["total"]
            d["guaranteed"] += f["guaranteed"]
    out["projects_by_category"] = {c: {**d, "rate": M.ratio(d["guaranteed"], d["total"])} for c, d in cats.items()}
    out["unsupplied_rate"] = M.ratio(out["unsupplied_disposed_mu"], out["unsupplied_mu"])
    out["idle_rate"] = M.ratio(out["idle_disposed_mu"], out["idle_mu"])
    return out


def rank_table(by_unit: Mapping[str, Mapping[str, Any]], settings: RankSettings) -> dict[str, dict[str, Any]]:
    """Ranks and composite among the participating units; the others get no rank."""
    taking_part = {c: f for c, f in by_unit.items() if settings.units is None or c in settings.units}
    ranked = M.ranking(taking_part, settings.weight_map)
    out = {}
    for c in by_unit:
        r = ranked.get(c)
        out[c] = r if r is not None else {"ranks": {ind: None for ind in M.INDICATORS}, "composite_score": None,
                                          "composite_rank": None}
    return out


# ---------------------------------------------------------------------------- streaks
def streaks(history: Sequence[Mapping[str, int | None]], n_units: int, tail: int = 3) -> dict[str, dict[str, int]]:
    """Per unit: months in a row (ending with the last one) in the bottom ``tail`` and months in a
    row of improvement. ``history`` is oldest first and may start with the month before the period."""
    codes = set().union(*history) if history else set()
    bottom_counts = n_units >= 2 * tail   # with few units "the bottom three" says nothing
    out = {}
    for code in codes:
        ranks = [h.get(code) for h in history]
        bottom = 0
        for r in reversed(ranks):
            if bottom_counts and r is not None and r > n_units - tail:
                bottom += 1
            else:
                break
        up = 0
        for prev, cur in zip(reversed(ranks[:-1]), reversed(ranks)):
            if prev is not None and cur is not None and cur < prev:
                up += 1
            else:
                break
        out[code] = {"bottom": bottom, "improving": up}
    return out


def streak_text(s: Mapping[str, int], tail: int = 3) -> str:
    parts = []
    if s["bottom"] >= 2:
        parts.append(f"连续{s['bottom']}个月排名{terms.bottom(tail)}")
    if s["improving"] >= 2:
        parts.append(f"连续{s['improving']}个月进步")
    return "；".join(parts)
