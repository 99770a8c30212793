"""Progress through the year: period ends and the city-level cumulative curves (ratio of sums)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from . import fmt
from . import tasks as T
from .metrics import month_end, ratio

ALL = "全部"


def month_ends(year: int, upto: dt.date | None = None) -> list[dt.date]:
    """The month ends of ``year`` up to ``upto`` (the as-of date itself closes a partial month)."""
    out = []
    for m in range(1, 13):
        e = month_end(year, m)
        if upto is not None and e > upto:
            if upto.year == year and upto.month == m:
                out.append(upto)
            break
        out.append(e)
    return out


def week_ends(year: int, upto: dt.date) -> list[dt.date]:
    """Every 7th day back from ``upto`` to the start of the year (the 周通报 dates), oldest first."""
    out, d = [], upto
    while d.year == year:
        out.append(d)
        d -= dt.timedelta(days=7)
    return out[::-1]


def guarantee_curve(progress: pd.DataFrame, by_month: bool = True) -> pd.DataFrame:
    """x, series, rate, detail — per category and 全部, summed over units at each period end.

    progress: end_date, code, category, total, guaranteed (queries.projects_scope).
    """
    if progress.empty:
        return pd.DataFrame(columns=["x", "series", "rate", "detail", "end_date"])
    per_cat = progress.groupby(["end_date", "category"], as_index=False)[["total", "guaranteed"]].sum()
    overall = progress.groupby("end_date", as_index=False)[["total", "guaranteed"]].sum().assign(category=ALL)
    d = pd.concat([overall, per_cat], ignore_index=True)
    d["rate"] = [ratio(g, t) for g, t in zip(d["guaranteed"], d["total"])]
    d["detail"] = [f"{int(g)}/{int(t)}个" for g, t in zip(d["guaranteed"], d["total"])]
    d["series"] = d["category"]
    d["end_date"] = pd.to_datetime(d["end_date"]).dt.date
    d["x"] = [e.month for e in d["end_date"]] if by_month else d["end_date"]
    return d[["x", "series", "rate", "detail", "end_date"]]


def disposal_curve(progress: pd.DataFrame, by_month: bool = True) -> pd.DataFrame:
    """x, series (type), rate, detail — summed over units at each period end.

    progress: end_date, code, type, base_mu, disposed_mu (queries.parcels_scope).
    """
    if progress.empty:
        return pd.DataFrame(columns=["x", "series", "rate", "detail", "end_date"])
    d = progress.groupby(["end_date", "type"], as_index=False)[["base_mu", "disposed_mu"]].sum()
    d["rate"] = [ratio(a, b) for a, b in zip(d["disposed_mu"], d["base_mu"])]
    d["detail"] = [f"{fmt.mu(a)}／{fmt.mu(b)}" for a, b in zip(d["disposed_mu"], d["base_mu"])]
    d["series"] = d["type"]
    d["end_date"] = pd.to_datetime(d["end_date"]).dt.date
    d["x"] = [e.month for e in d["end_date"]] if by_month else pd.to_datetime(d["end_date"])
    return d[["x", "series", "rate", "detail", "end_date"]]


def change_table(curve: pd.DataFrame) -> pd.DataFrame:
    """The curve as a table: period end, rate and the change on the period before, per series."""
    rows = []
    for name, d in curve.groupby("series", sort=False):
        prev = None
        for r in d.sort_values("end_date").itertuples():
            rows.append({"截至": fmt.date_label(r.end_date), "类别": name, "完成率": fmt.pct(r.rate),
                         "明细": r.detail,
                         "较上期": fmt.pp(None if prev is None or r.rate is None else r.rate - prev)})
            prev = r.rate
    return pd.DataFrame(rows)


def pace_guides(summary: dict, series: dict[str, tuple[str, str]], ends: list[dt.date],
                by_month: bool = True) -> tuple[tuple, ...]:
    """The task line and the time-progress line of each series that has a task, in the units of
    the progress curve (a share of the list): ((series, task level, ((x, y), ...)), ...).

    series: {series name: (ranked indicator, base field of the summary)} — e.g.
    {"批而未供": ("unsupplied_rate", "unsupplied_mu")}. The task level is the task as a share of
    the whole list (亩 ÷ list 亩, or the target rate itself); the time-progress line rises from 0
    on 1 January to the task level on 31 December (task × time progress)."""
    city = summary["city"]
    out = []
    for name, (indicator, base_field) in series.items():
        fig = (city.get("tasks") or {}).get(indicator)
        if not fig:
            continue
        if fig["unit"] == "亩":
            level = ratio(fig["task"], city.get(base_field))
        else:
            level = fig["task"]
        if level is None or not ends:
            continue
        # the curve is the whole list; a task line only means something when every place with a
        # list has a task (in a province where one city has tasks, it would not)
        if not T.covers_all(summary, indicator):
            continue
        year = ends[-1].year
        if by_month:
            pts = [(0, 0.0)] + [(m, level * T.time_progress(month_end(year, m))) for m in range(1, 13)]
        else:
            days = [dt.date(year, 1, 1)] + list(ends)
            pts = [(d.isoformat(), level * T.time_progress(d)) for d in days]
        out.append((name, level, tuple(pts)))
    return tuple(out)
