"""本月要点: who is last and why, who moved most, what the month holds — in words (pure: no Streamlit).

One definition per rule: the reasons are the warning reasons of ``warnings.classify``, the change
is ``fmt.rank_change`` (0 = 持平), the ranking order is ``ranking.in_rank_order``.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import clock, fmt, terms
from . import metrics as M
from . import warnings as W



@dataclass(frozen=True)
class Place:
    """One place of the 要点: rank, score and change in words, and the reasons (red first)."""
    code: str
    name: str
    head: str                      # "中站区 第11名 63.65分，持平"
    reasons: tuple[str, ...]       # "永农完成率 99.60%，低于100%，未完成目标", …
    level: str                     # the worst warning level among the reasons

    @property
    def line(self) -> str:
        return self.head + ("——" + "；".join(self.reasons) if self.reasons else "")


@dataclass(frozen=True)
class Highlights:
    coverage: str | None                      # what the month lacks, or None when it holds every list
    bottom: tuple[Place, ...]                 # the last places (worst first), each with its reasons
    bottom_note: str | None                   # why there is no 后三 (everyone tied), or how many more are red
    movers: tuple[str, ...]                   # "温县 ↑3（第8名→第5名）"
    red_count: int = 0
    extra: tuple[str, ...] = field(default=())


def change_words(change: int | None) -> str:
    """"较上月↑2" / "持平" / "无上月名次" — the change of a composite rank in words."""
    if change is None:
        return "无上月名次"
    return "持平" if change == 0 else f"较上月{fmt.rank_change(change)}"


def reasons(u: Mapping[str, Any], thresholds=None, most: int = 3) -> tuple[tuple[str, ...], str]:
    """The reasons a place sits low: its red cells, else its yellow ones, else its weakest
    indicator, in the order of the indicators (the 红线 ones first); with the worst level."""
    warned = {ind: W.classify(ind, u.get(ind), thresholds) for ind in M.INDICATORS}
    for level in (W.RED, W.YELLOW):
        hit = [ind for ind, w in warned.items() if w.level == level]
        if hit:
            return tuple(warned[i].reason for i in hit[:most]), level
    rated = [i for i in M.INDICATORS if u.get(i) is not None]
    if not rated:
        return (), W.NONE
    weakest = min(rated, key=lambda i: u.get(i))
    return (f"各项均未低于预警线，{M.SHORT_NAMES[weakest]}相对最低（{fmt.pct(u.get(weakest))}）",), W.GREEN


def place(u: Mapping[str, Any], thresholds=None, noun_of: Mapping[str, str] | None = None) -> Place:
    """A place in words. ``noun_of``: code → "（焦作市）" where names repeat across the scope."""
    suffix = (noun_of or {}).get(u["code"], "")
    score = fmt.DASH if u["composite_score"] is None else f"{u['composite_score']:.2f}分"
    rank = "未参与排名" if u["composite_rank"] is None else f"第{u['composite_rank']}名"
    why, level = reasons(u, thresholds)
    return Place(u["code"], u["name"] + suffix, f"{u['name']}{suffix} {rank} {score}，{change_words(u['rank_change'])}",
                 why, level)


def coverage(city: Mapping[str, Any]) -> str | None:
    """What the month's lists lack, in words ("本月无重点项目清单和处置任务，综合排名仅含耕地两项"),
    or None when it has projects and disposal tasks."""
    projects = bool(city.get("projects_total"))
    disposal = bool(city.get("unsupplied_mu")) or bool(city.get("idle_mu"))
    has_cultivated = city.get("cultivated_rate") is not None or city.get("basic_farmland_rate") is not None
    if projects and disposal:
        return None
    missing = [] if projects else ["重点项目清单"]
    if not disposal:
        missing.append("处置任务")
    kept = (["耕地两项"] if has_cultivated else []) + (["项目保障率"] if projects else []) + (["处置率"] if disposal else [])
    if not kept:
        return "本月没有任何可用数据，无法排名"
    return f"本月无{'和'.join(missing)}，综合排名仅含{'、'.join(kept)}"


def bottom_places(units: Sequence[Mapping[str, Any]], thresholds=None, n: int = 3,
                  noun_of: Mapping[str, str] | None = None) -> tuple[list[Place], str | None]:
    """The last ``n`` places (worst first), taken only from the lower half of the ranking: when
    most places tie (a month that ranks 耕地 alone), nobody ranked first is called last."""
    ranked = sorted((u for u in units if u["composite_rank"] is not None),
                    key=lambda u: (-u["composite_rank"], u["code"]))
    if not ranked:
        return [], "本月没有可排名的地方"
    half = math.ceil(len(ranked) / 2)
    low = [u for u in ranked if u["composite_rank"] > half][:n]
    if not low:
        score = ranked[0]["composite_score"]
        return [], f"各{len(ranked)}个参与排名的地方综合得分并列（{score:.2f}分），本月不列{terms.BOTTOM}"
    return [place(u, thresholds, noun_of) for u in low], None


def movers(units: Sequence[Mapping[str, Any]], n: int = 2, noun_of: Mapping[str, str] | None = None) -> list[str]:
    """The biggest risers and fallers since last month: "温县 ↑3（第8名→第5名）"."""
    moved = [u for u in units if u["rank_change"] and u["composite_rank"] is not None]
    up = sorted((u for u in moved if u["rank_change"] > 0), key=lambda u: (-u["rank_change"], u["composite_rank"]))[:n]
    down = sorted((u for u in moved if u["rank_change"] < 0), key=lambda u: (u["rank_change"], u["composite_rank"]))[:n]
    out = []
    for u in [*up, *down]:
        before = u["composite_rank"] + u["rank_change"]
        out.append(f"{u['name']}{(noun_of or {}).get(u['code'], '')} {fmt.rank_change(u['rank_change'])}"
                   f"（第{before}名→第{u['composite_rank']}名）")
    return out


def build(summary: Mapping[str, Any], thresholds=None, n: int = 3,
          noun_of: Mapping[str, str] | None = None) -> Highlights:
    units = summary["units"]
    bottom, note = bottom_places(units, thresholds, n, noun_of)
    red = {name for name, _, _ in W.red_list(list(units), thresholds)}
    shown = {p.name for p in bottom}
    more = len(red - shown)
    if note is None and more:
        note = f"另有 {more:,} 个有{terms.RED}，见下方“{terms.RED}”"
    return Highlights(coverage(summary["city"]), tuple(bottom), note, tuple(movers(units, noun_of=noun_of)), len(red))


def import_time_label(when: str | None) -> str:
    """"2026年11月5日 10:15（北京时间）" from an import record's time (ISO; naive = this machine's
    local time), or "尚未导入台账（初始数据）"."""
    if not when:
        return "尚未导入台账（初始数据）"
    t = clock.parse(when)
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}（{clock.zone_label()}）"
