"""The 口径 of docs/口径.md: pure functions, no I/O.

A figure for a unit and for any place above it comes out of the same function, :func:`figures`,
fed with that unit's sums or with the sums of all its units (:func:`add_sums`): a place's rate is
therefore always the sum of the numerators over the sum of the denominators, never a mean of rates.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .schema import IDLE, UNSUPPLIED   # the parcel types, defined with the store's tables

# ranked indicators, in display order, with their Chinese names
INDICATORS: dict[str, str] = {
    "cultivated_rate": "耕地保有量目标完成率",
    "basic_farmland_rate": "永久基本农田保护任务完成率",
    "projects_rate": "重点项目用地保障率",
    "unsupplied_rate": "批而未供土地处置率",
    "idle_rate": "闲置土地处置率",
}
SHORT_NAMES: dict[str, str] = {
    "cultivated_rate": "耕地完成率",
    "basic_farmland_rate": "永农完成率",
    "projects_rate": "项目保障率",
    "unsupplied_rate": "批而未供处置率",
    "idle_rate": "闲置处置率",
}

# indicators the composite may also weigh, off (weight 0) by default: not in the ranks or tables
OPTIONAL_INDICATORS: dict[str, str] = {
    "task_rate": "任务完成率",   # the unit's 年度任务 completion (gengdi.tasks.ranking_rate)
}


def weight_name(indicator: str) -> str:
    """The short name of anything the composite can weigh."""
    return SHORT_NAMES.get(indicator) or OPTIONAL_INDICATORS[indicator]


# 综合排名 default weights (percent); see README "综合排名"
DEFAULT_WEIGHTS: dict[str, float] = {
    "cultivated_rate": 20,
    "basic_farmland_rate": 20,
    "projects_rate": 30,
    "unsupplied_rate": 20,
    "idle_rate": 10,
}

RANK_DECIMALS = 6

COMPOSITE_RULE = (
    "综合得分 = Σ 权重×单项得分 ÷ Σ 权重（百分制）。单项得分：耕地保有量、永久基本农田完成率达到100%得100分，"
    "未达到得0分；保障率、处置率按完成率×100计分（最高100分）。某项无数据（如无闲置土地）时该项不计，"
    "其权重按比例分给其余指标。括号内为单项排名，并列取较好名次。"
)
# The 口径 of the rates in one sentence each (the notice's and the exports' footnotes; docs/口径.md).
RATE_RULES = (
    "完成率 = 面积 ÷ 目标（年度国土变更调查），低于100%为未完成目标",
    "保障率 = 用地保障日期不晚于截至日的项目数 ÷ 年度清单项目数",
    "处置率 = 截至日前处置面积之和 ÷ 任务年度清单面积之和",
)
ROUNDING_RULE = "数字按四舍五入（逢五进一）保留所示位数，排名和预警按 6 位小数比较"


def weights_text(weights: Mapping[str, float], sep: str = " ") -> str:
    """"耕地完成率 20%，…": the weights in force, as every output states them."""
    return "，".join(f"{weight_name(k)}{sep}{v * 100:.0f}%" for k, v in normalize_weights(weights).items())


AREA_DECIMALS = 4


# ---------------------------------------------------------------------------- basics
def ratio(num: float | None, den: float | None) -> float | None:
    """num / den, or None when either is missing or the denominator is 0."""
    if num is None or den is None or den == 0:
        return None
    return num / den


def _area(x: float | None) -> float | None:
    return None if x is None else round(x, AREA_DECIMALS) + 0.0


def _sum(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) if vals else None


# ---------------------------------------------------------------------------- figures
# The sums every figure of a place is made of (numerators, denominators and how many units count
# towards each). They add up from units to cities, provinces and the country, which is what makes
# every level's rate a ratio of sums.
# The change of 耕地 is the place's total at Yd minus its total at Yd−1: n_prev / prev_mu are the
# units with an area at Yd−1 and its sum; n_new counts the units counted at Yd without a row at
# Yd−1, n_gone the units of Yd−1 not counted at Yd (a split, a merger, a unit newly reporting).
CULTIVATED_SUMS = ("n_cultivated", "cultivated_mu", "cultivated_target_mu", "n_prev", "prev_mu", "n_new", "n_gone",
                   "n_basic_farmland", "basic_farmland_mu", "basic_farmland_target_mu")


def empty_sums() -> dict[str, Any]:
    return {"cultivated": {k: 0 for k in CULTIVATED_SUMS}, "projects": {}, "parcels": {}}


def add_sums(into: dict[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """Add ``other``'s sums into ``into`` (in place) and return it."""
    for k in CULTIVATED_SUMS:
        into["cultivated"][k] += other["cultivated"][k] or 0
    for cat, (t, g) in other["projects"].items():
        cur = into["projects"].setdefault(cat, [0, 0])
        cur[0] += t
        cur[1] += g
    for kind, (b, d) in other["parcels"].items():
        cur = into["parcels"].setdefault(kind, [0.0, 0.0])
        cur[0] += b
        cur[1] += d
    return into


def figures(sums: Mapping[str, Any], categories: Iterable[str] = ()) -> dict[str, Any]:
    """The indicator fields of docs/口径.md from a place's sums."""
    c = sums["cultivated"]
    has_c = c["n_cultivated"] > 0
    cm = c["cultivated_mu"] if has_c else None
    ct = c["cultivated_target_mu"] if has_c else None
    bf_ok = c["n_basic_farmland"] > 0
    bf = c["basic_farmland_mu"] if bf_ok else None
    bft = c["basic_farmland_target_mu"] if bf_ok else None
    out: dict[str, Any] = dict(
        cultivated_mu=_area(cm),
        cultivated_target_mu=_area(ct),
        cultivated_rate=ratio(cm, ct),
        cultivated_change_mu=_area(cm - c["prev_mu"] if has_c and c["n_prev"] > 0 else None),
        cultivated_gap_mu=_area(None if cm is None else cm - ct),
        basic_farmland_mu=_area(bf),
        basic_farmland_target_mu=_area(bft),
        basic_farmland_rate=ratio(bf, bft),
    )
    note = change_note(c) if out["cultivated_change_mu"] is not None else None
    if note:   # only where the two years' units differ (the key is absent otherwise)
        out["cultivated_change_note"] = note
    proj = sums["projects"]
    total = sum(t for t, _ in proj.values())
    guaranteed = sum(g for _, g in proj.values())
    by_cat: dict[str, dict[str, Any]] = {}
    cats = categories if isinstance(categories, list) and proj.keys() <= set(categories) else \
        sorted(set(categories) | set(proj), key=_category_order)
    for cat in cats:
        t, g = proj.get(cat, (0, 0))
        by_cat[cat] = {"total": t, "guaranteed": g, "rate": ratio(g, t)}
    out.update(
        projects_total=total,
        projects_guaranteed=guaranteed,
        projects_rate=ratio(guaranteed, total),
        projects_by_category=by_cat,
    )
    for prefix, kind in (("unsupplied", UNSUPPLIED), ("idle", IDLE)):
        base, disposed = sums["parcels"].get(kind, (0.0, 0.0))
        out[f"{prefix}_mu"] = _area(float(base))
        out[f"{prefix}_disposed_mu"] = _area(float(disposed))
        out[f"{prefix}_rate"] = ratio(disposed, base)
    return out


def change_note(c: Mapping[str, Any]) -> str | None:
    """"本年新增2个县级单位…": said next to a change whose two years count different units."""
    parts = []
    if c["n_new"]:
        parts.append(f"{c['n_new']}个县级单位上年无数据")
    if c["n_gone"]:
        parts.append(f"{c['n_gone']}个县级单位本年无数据")
    if not parts:
        return None
    return "两年参与汇总的县级单位不同：" + "，".join(parts) + "；较上年为两年合计之差"


def rates(sums: Mapping[str, Any]) -> dict[str, Any]:
    """Only what a ranking reads: the five indicators and the counts per category (for a ranking
    restricted to some categories). Same values as :func:`figures`, a fraction of the work: the
    ranks of other months (the change since last month, streaks) need no more."""
    c = sums["cultivated"]
    proj = sums["projects"]
    parc = sums["parcels"]
    t = g = 0
    for tt, gg in proj.values():
        t += tt
        g += gg
    ub, ud = parc.get(UNSUPPLIED, (0.0, 0.0))
    ib, idd = parc.get(IDLE, (0.0, 0.0))
    return {
        "cultivated_rate": ratio(c["cultivated_mu"], c["cultivated_target_mu"]) if c["n_cultivated"] else None,
        "basic_farmland_rate": (ratio(c["basic_farmland_mu"], c["basic_farmland_target_mu"])
                                if c["n_basic_farmland"] else None),
        "projects_rate": ratio(g, t),
        "projects_by_category": {cat: {"total": tt, "guaranteed": gg} for cat, (tt, gg) in proj.items()},
        "unsupplied_rate": ratio(ud, ub),
        "idle_rate": ratio(idd, ib),
    }


CATEGORY_ORDER = ["省重点", "市重点", "三个一批"]


def _category_order(cat: str) -> tuple[int, str]:
    return (CATEGORY_ORDER.index(cat) if cat in CATEGORY_ORDER else len(CATEGORY_ORDER), cat)


# ---------------------------------------------------------------------------- ranks
def rank(values: Mapping[str, float | None]) -> dict[str, int | None]:
    """Competition ranks (1, 2, 2, 4): higher is better, compared at 6 decimals; None has no rank."""
    rounded = {k: round(v, RANK_DECIMALS) for k, v in values.items() if v is not None}
    ordered = sorted(rounded.values(), reverse=True)
    first = {}
    for i, v in enumerate(ordered):
        first.setdefault(v, i + 1)
    return {k: (first[rounded[k]] if k in rounded else None) for k in values}


def normalize_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights as fractions summing to 1 over the ranked indicators (negatives count as 0); an
    optional indicator (任务完成率) is in the result only when its weight is positive."""
    clean = {k: max(0.0, float(weights.get(k, 0) or 0)) for k in INDICATORS}
    for k in OPTIONAL_INDICATORS:
        if float(weights.get(k, 0) or 0) > 0:
            clean[k] = float(weights[k])
    total = sum(clean.values())
    if total == 0:
        raise ValueError("权重之和不能为0")
    return {k: v / total for k, v in clean.items()}


# the red-line indicators: a unit below 100% is 未完成目标 and scores 0 on it (一票否决 spirit)
RED_LINE = ("cultivated_rate", "basic_farmland_rate")


def meets_target(rate: float) -> bool:
    """The red-line test, in one place: a completion rate counts as met at ≥ 100% compared at
    RANK_DECIMALS (6) decimals, so 0.9999999 (a float's noise on an exact 100%) is met."""
    return round(rate, RANK_DECIMALS) >= 1


def indicator_score(indicator: str, value: float | None) -> float | None:
    """An indicator's score out of 100.

    耕地 and 永久基本农田 completion (red lines): 100 when the target is met, else 0.
    Progress rates (保障率, 处置率): the rate itself ×100, capped at 100.
    """
    if value is None:
        return None
    if indicator in RED_LINE:
        return 100.0 if meets_target(value) else 0.0
    return 100.0 * min(max(value, 0.0), 1.0)


def composite_score(values: Mapping[str, float | None], weights: Mapping[str, float],
                    normalized: bool = False) -> float | None:
    """综合得分 = Σ wᵢ·scoreᵢ / Σ wᵢ over the indicators the unit has (null ones drop out and
    their weight is shared by the others); None when the unit has none of the weighted ones.
    ``normalized``: the weights are already :func:`normalize_weights`' output."""
    w = weights if normalized else normalize_weights(weights)
    num = den = 0.0
    for k in w:   # indicator_score, inlined: this runs for every unit of the country
        wk = w[k]
        if wk <= 0:
            continue
        v = values.get(k)
        if v is None:
            continue
        num += wk * indicator_score(k, v)
        den += wk
    if den == 0:
        return None
    return num / den


def ranking(units: Mapping[str, Mapping[str, Any]], weights: Mapping[str, float]) -> dict[str, dict[str, Any]]:
    """Per-indicator ranks, composite score and composite rank for every unit."""
    ranks = {ind: rank({c: f.get(ind) for c, f in units.items()}) for ind in INDICATORS}
    w = normalize_weights(weights)
    scores = {c: composite_score(f, w, normalized=True) for c, f in units.items()}
    comp = rank(scores)
    return {
        c: {
            "ranks": {ind: ranks[ind][c] for ind in INDICATORS},
            "composite_score": None if scores[c] is None else round(scores[c], RANK_DECIMALS),
            "composite_rank": comp[c],
        }
        for c in units
    }


def rank_change(previous: int | None, current: int | None) -> int | None:
    """Previous composite rank minus the current one: positive = moved up."""
    if previous is None or current is None:
        return None
    return previous - current


# ---------------------------------------------------------------------------- dates
def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def previous_month_end(d: dt.date) -> dt.date:
    """The last day of the month before ``d``'s month (2023-01-xx → 2022-12-31)."""
    return d.replace(day=1) - dt.timedelta(days=1)
