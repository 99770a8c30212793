"""时间过半、任务过半: the annual tasks (年度任务) against the time elapsed — pure functions, no I/O.

For every place and every indicator with a task (docs/口径.md, section 年度任务):

* ``time_progress`` = day of the year of D ÷ days in Y (2024-06-30 → 182/366);
* ``task``: a disposal task in 亩 (Σ of the units' tasks), or a key-project guarantee target rate
  (Σ targetᵢ × listᵢ ÷ Σ listᵢ);
* ``task_rate`` 任务完成率 = disposed ÷ task (亩), or guaranteed ÷ Σ targetᵢ × listᵢ (= rate ÷ target);
* ``pace_gap`` 进度差 = task_rate − time_progress (a fraction: ×100 = percentage points);
* ``behind_pace`` 滞后于时间进度 = pace_gap < −tolerance;
* ``projected_year_end``: each unit's progress so far, carried to 31 December with last year's
  seasonal shape (its share of last year's year-end amount reached by the same day), or linearly
  (÷ time_progress) when the unit has no last year; never more than the list; summed over units;
* ``monthly_needed`` 还需: what remains of the task ÷ the months left (the month of D counts when
  D is not its last day); 亩 per month, or projects per month for the guarantee target.

A place's figure is always built from the sums of its units' numerators and denominators; a unit
without a task contributes nothing, and a place without any task has no entry (never 0).
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import fmt
from .metrics import ratio
from .scope import label

# 年度任务 indicator (as stored) → (ranked indicator, unit kind)
TASK_INDICATORS: dict[str, tuple[str, str]] = {
    "批而未供处置": ("unsupplied_rate", "area"),
    "闲置土地处置": ("idle_rate", "area"),
    "重点项目用地保障率": ("projects_rate", "rate"),
}
BY_INDICATOR = {ind: name for name, (ind, _) in TASK_INDICATORS.items()}
# the words of a lag sentence per ranked indicator: (verb, unit of monthly_needed)
VERBS = {"unsupplied_rate": ("处置批而未供土地", "亩"), "idle_rate": ("处置闲置土地", "亩"),
         "projects_rate": ("保障重点项目用地", "个")}
TITLES = {"unsupplied_rate": "批而未供处置任务", "idle_rate": "闲置土地处置任务", "projects_rate": "重点项目用地保障率目标"}
# the summary field holding each indicator's list (the base of its rate)
BASE_FIELDS = {"unsupplied_rate": "unsupplied_mu", "idle_rate": "idle_mu", "projects_rate": "projects_total"}
DEFAULT_TOLERANCE = 0.0   # 滞后: pace_gap below −tolerance (a fraction; 0.05 = 5 个百分点)
NO_TASK = "未下达任务"
METHODS = {"seasonal": "按上年同期进度推算", "linear": "按时间进度线性推算", "mixed": "按上年同期进度推算（部分单位线性推算）"}
AREA_DECIMALS = 4


# ---------------------------------------------------------------------------- dates
def days_in_year(year: int) -> int:
    return 366 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 365


def time_progress(d: dt.date) -> float:
    """Day of the year of ``d`` ÷ the days of its year (2024-06-30 → 182/366)."""
    return d.timetuple().tm_yday / days_in_year(d.year)


def months_left(d: dt.date) -> int:
    """Months still to work after ``d``: the later months of the year, plus ``d``'s own month when
    ``d`` is not its last day (2024-06-30 → 6; 2023-06-15 → 7; 12-31 → 0)."""
    last = (dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return 12 - d.month + (0 if d.day == last else 1)


def same_day_last_year(d: dt.date) -> dt.date:
    """The same day one year earlier (29 February → 28 February)."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


# ---------------------------------------------------------------------------- one unit
@dataclass(frozen=True)
class UnitTask:
    """One unit's task on one indicator and what it needs from the lists.

    area task: ``target`` 亩, ``done`` 亩 disposed by D, ``base`` 亩 of the year's list;
    rate target: ``target`` a fraction, ``done`` projects guaranteed by D, ``base`` projects listed.
    ``last_then`` / ``last_end``: the same amount last year by the same day and by 31 December
    (None when the unit had no list last year)."""
    kind: str
    target: float
    done: float
    base: float
    last_then: float | None = None
    last_end: float | None = None

    @property
    def goal(self) -> float:
        """The task as an amount: 亩, or the number of projects the target rate means."""
        return self.target if self.kind == "area" else self.target * self.base

    def projection(self, d: dt.date) -> tuple[float, str]:
        """(projected amount on 31 December, method): seasonal when last year reached a positive
        amount by both dates, else linear; never more than the list."""
        if self.last_end and self.last_then:
            projected, method = self.done * self.last_end / self.last_then, "seasonal"
        else:
            tp = time_progress(d)
            projected, method = (self.done / tp if tp else self.done), "linear"
        return min(projected, self.base), method


# ---------------------------------------------------------------------------- a place
def place_task(units: Iterable[UnitTask], d: dt.date, tolerance: float = DEFAULT_TOLERANCE) -> dict[str, Any] | None:
    """The task figures of a place from its units' tasks on one indicator (ratio of sums);
    None when no unit has a task."""
    units = list(units)
    if not units:
        return None
    kind = units[0].kind
    goal = sum(u.goal for u in units)
    done = sum(u.done for u in units)
    base = sum(u.base for u in units)
    projections = [u.projection(d) for u in units]
    projected = sum(p for p, _ in projections)
    methods = {m for _, m in projections}
    tp = time_progress(d)
    rate = ratio(done, goal)
    gap = None if rate is None else rate - tp
    left = months_left(d)
    remaining = max(0.0, goal - done)
    if kind == "area":
        task, projected_out = _area(goal), _area(projected)
    else:
        task, projected_out = ratio(goal, base), ratio(projected, base)
    return {
        "task": task,
        "task_rate": rate,
        "pace_gap": gap,
        "behind_pace": None if gap is None else gap < -tolerance - 1e-12,
        "projected_year_end": projected_out,
        "projected_task_rate": ratio(projected, goal),
        "projection_method": methods.pop() if len(methods) == 1 else "mixed",
        "monthly_needed": (_area(remaining / left) if left else (0.0 if remaining == 0 else None)),
        "done": _area(done) if kind == "area" else int(round(done)),
        "goal": _area(goal),
        "unit": "亩" if kind == "area" else "%",
    }


def _area(x: float | None) -> float | None:
    return None if x is None else round(x, AREA_DECIMALS) + 0.0


def task_figures(unit_tasks: Mapping[str, Mapping[str, UnitTask]], place_of: Mapping[str, str],
                 places: Iterable[str], d: dt.date, tolerance: float = DEFAULT_TOLERANCE
                 ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """({place: {indicator: figures}}, {indicator: figures} of the whole scope).

    unit_tasks: {unit code: {ranked indicator: UnitTask}}; place_of: unit code → place code."""
    grouped: dict[str, dict[str, list[UnitTask]]] = {}
    whole: dict[str, list[UnitTask]] = {}
    for code, per in unit_tasks.items():
        place = place_of.get(code)
        for ind, ut in per.items():
            whole.setdefault(ind, []).append(ut)
            if place is not None:
                grouped.setdefault(place, {}).setdefault(ind, []).append(ut)
    out = {}
    for p in places:
        per = grouped.get(p, {})
        out[p] = {ind: place_task(per[ind], d, tolerance) for ind in _order(per)}
    scope = {ind: place_task(whole[ind], d, tolerance) for ind in _order(whole)}
    return out, scope


def _order(per: Mapping[str, Any]) -> list[str]:
    return [ind for ind in BY_INDICATOR if ind in per]


# ---------------------------------------------------------------------------- words
def gap_points(fig: Mapping[str, Any], time_prog: float) -> float | None:
    """进度差 in percentage points as shown everywhere: the difference of the two figures rounded
    to 0.1%, so a reader can check it (57.0% − 49.6% = 7.4, even when the exact gap is 7.45)."""
    if fig.get("task_rate") is None:
        return None
    return round(round(fig["task_rate"] * 100, 1) - round(time_prog * 100, 1), 1)


def gap_text(fig: Mapping[str, Any], time_prog: float, ahead: str = "+", behind: str = "-") -> str:
    gap = gap_points(fig, time_prog)
    if gap is None:
        return fmt.DASH
    return f"{ahead if gap >= 0 else behind}{abs(gap):.1f}个百分点"


def lag_sentence(name: str, indicator: str, fig: Mapping[str, Any] | None, time_prog: float,
                 with_time: bool = True) -> str:
    """"按时间进度应完成75.0%，温县完成52.3%，落后22.7个百分点，还需每月处置批而未供土地120亩" —
    or 未下达任务. One pattern for the pages, the notice and the 本月要点 (``with_time=False``
    leaves out the opening clause, for the second and later sentences of a list)."""
    if not fig or fig.get("task_rate") is None:
        return f"{name}{TITLES[indicator]}：{NO_TASK}"
    verb, unit = VERBS[indicator]
    gap = gap_points(fig, time_prog)
    if abs(gap) < 0.05:
        where = "与时间进度持平"
    elif gap < 0:
        where = f"落后{fmt.number(-gap, 1, sep=False)}个百分点"
    else:
        where = f"超前{fmt.number(gap, 1, sep=False)}个百分点"
    text = (f"按时间进度应完成{fmt.pct(time_prog, 1)}，" if with_time else "") + \
        f"{name}完成{fmt.pct(fig['task_rate'], 1)}，{where}"
    need = fig.get("monthly_needed")
    if fig["task_rate"] >= 1:
        return text + "，已完成全年任务"
    if need is None:
        return text + "，年度已结束，任务未完成"
    amount = fmt.number(need, 0) if unit == "亩" else f"{max(1, round(need + 0.4999)):d}"
    return text + f"，还需每月{verb}{amount}{unit}"


def lag_sentences(summary: Mapping[str, Any], indicator: str, only_behind: bool = True,
                  limit: int | None = None) -> list[str]:
    """The lag sentences of a summary's places on one indicator, furthest behind first (those
    behind the time progress only, unless ``only_behind`` is False). For the pages, the notice and
    the 本月要点 block."""
    tp = summary.get("time_progress")
    rows = lagging(summary, indicator, only_behind)
    if limit is not None:
        rows = rows[:limit]
    return [lag_sentence(name, indicator, fig, tp) for name, fig in rows]


def highlight_lines(summary: Mapping[str, Any]) -> list[str]:
    """For 本月要点: on each task, the place furthest behind the time progress, and how many more lag."""
    out = []
    for indicator in TITLES:
        rows = lagging(summary, indicator)
        if rows:
            name, fig = rows[0]
            more = f"（另有{len(rows) - 1}个滞后）" if len(rows) > 1 else ""
            out.append(f"{TITLES[indicator]}：{lag_sentence(name, indicator, fig, summary.get('time_progress'))}{more}")
    return out


def lagging(summary: Mapping[str, Any], indicator: str, only_behind: bool = True) -> list[tuple[str, Mapping[str, Any]]]:
    """(name, task figures) of the places behind the time progress (all places with a task unless
    ``only_behind``), furthest behind first."""
    rows = []
    for u in summary["units"]:
        fig = (u.get("tasks") or {}).get(indicator)
        if fig is None or fig.get("pace_gap") is None:
            continue
        if only_behind and not fig["behind_pace"]:
            continue
        rows.append((fig["pace_gap"], label(u), fig))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [(name, fig) for _, name, fig in rows]


def _amount(fig: Mapping[str, Any], x: float | None, as_rate: bool = False) -> str:
    if x is None:
        return fmt.DASH
    if fig["unit"] == "%":
        return fmt.pct(x, 1) if as_rate else f"{x:,.0f}个"
    return fmt.mu(x, 0)


def task_table(summary: Mapping[str, Any], indicator: str, whole: str) -> list[dict[str, str]]:
    """The rows of the task table of a page: the scope, then every place (furthest behind first,
    places without a task last, marked 未下达任务). Text cells, as shown."""
    tp = summary.get("time_progress")
    rows = []

    def row(name: str, fig: Mapping[str, Any] | None) -> dict[str, str]:
        if not fig:
            return {"单位": name, "年度任务": NO_TASK, "已完成": fmt.DASH, "任务完成率": fmt.DASH,
                    "进度差": fmt.DASH, "预计年底": fmt.DASH, "还需每月": fmt.DASH, "状态": NO_TASK}
        need = fig["monthly_needed"]
        if need is not None and fig["unit"] == "%":
            need_text = f"{max(0, round(need + 0.4999)):d}个"
        else:
            need_text = _amount(fig, need)
        state = "滞后" if fig["behind_pace"] else ("已完成" if (fig["task_rate"] or 0) >= 1 else "正常")
        return {"单位": name, "年度任务": _amount(fig, fig["task"], as_rate=True), "已完成": _amount(fig, fig["done"]),
                "任务完成率": fmt.pct(fig["task_rate"], 1), "进度差": gap_text(fig, tp),
                "预计年底": _amount(fig, fig["projected_year_end"], as_rate=True)
                + ("" if fig["projected_task_rate"] is None else f"（任务的{fmt.pct(fig['projected_task_rate'], 0)}）"),
                "还需每月": need_text, "状态": state}

    rows.append(row(whole, (summary["city"].get("tasks") or {}).get(indicator)))
    places = sorted(summary["units"], key=lambda u: (
        (u.get("tasks") or {}).get(indicator) is None,
        ((u.get("tasks") or {}).get(indicator) or {}).get("pace_gap") or 0.0))
    rows += [row(u["name"], (u.get("tasks") or {}).get(indicator)) for u in places]
    return rows


def goal_seek(fig: Mapping[str, Any] | None, time_prog: float) -> dict[str, float] | None:
    """What a unit must still do on one task: ``to_pace`` to reach the time progress now, ``to_task``
    to complete the year's task (亩, or whole projects for the guarantee target); None without a task."""
    if not fig:
        return None
    goal, done = fig["goal"], fig["done"]
    to_pace = max(0.0, goal * time_prog - done)
    to_task = max(0.0, goal - done)
    if fig["unit"] == "%":
        return {"to_pace": float(math.ceil(to_pace - 1e-9)), "to_task": float(math.ceil(to_task - 1e-9))}
    return {"to_pace": round(to_pace, 2), "to_task": round(to_task, 2)}


def goal_seek_lines(name: str, tasks: Mapping[str, Any], time_prog: float) -> list[str]:
    """"温县：赶上时间进度需再处置批而未供土地 120亩，完成全年任务需再处置 980亩" per task."""
    out = []
    for ind in BY_INDICATOR:
        g = goal_seek(tasks.get(ind), time_prog)
        if g is None:
            out.append(f"{name}{TITLES[ind]}：{NO_TASK}")
            continue
        verb, unit = VERBS[ind]
        amount = (lambda x: f"{x:,.0f}个") if unit == "个" else (lambda x: fmt.mu(x, 0))
        if g["to_task"] == 0:
            out.append(f"{name}已完成{TITLES[ind]}")
        elif g["to_pace"] == 0:
            out.append(f"{name}已达到时间进度，完成{TITLES[ind]}还需{verb}{amount(g['to_task'])}")
        else:
            out.append(f"{name}赶上时间进度需再{verb}{amount(g['to_pace'])}，完成{TITLES[ind]}需再{verb}{amount(g['to_task'])}")
    return out


def method_note(fig: Mapping[str, Any] | None) -> str:
    """How the year-end projection was made, in words."""
    return "" if not fig else METHODS.get(fig.get("projection_method"), "")


def pace_headline(summary: Mapping[str, Any], indicator: str, whole: str) -> str:
    """The scope's own sentence (全市 …), or that no task was set."""
    return lag_sentence(whole, indicator, (summary["city"].get("tasks") or {}).get(indicator),
                        summary.get("time_progress") or 0.0)


def covers_all(summary: Mapping[str, Any], indicator: str) -> bool:
    """Every place with a list on ``indicator`` has a task on it (then the scope's task can be
    drawn against the scope's whole list)."""
    base = BASE_FIELDS[indicator]
    return not any((u.get(base) or 0) and indicator not in (u.get("tasks") or {}) for u in summary["units"])


def ranking_rate(tasks: Mapping[str, Any]) -> float | None:
    """The 任务完成率 the composite ranking may weigh (off by default): the mean of the place's
    task completion rates, each capped at 100% (over-fulfilling one task does not hide another);
    None when it has no task."""
    rates = [min(f["task_rate"], 1.0) for f in tasks.values() if f and f.get("task_rate") is not None]
    return sum(rates) / len(rates) if rates else None
