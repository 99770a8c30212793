"""Shaping summaries into what a page shows (pure: no Streamlit, no SQL)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from . import fmt
from . import metrics as M
from . import warnings as W
from .ranking import in_rank_order, streak_text
from .scope import label
from .whatif import newly_below_target


def unit_rates(summary: Mapping[str, Any], indicator: str, thresholds=None) -> pd.DataFrame:
    """name, code, rate, level, reason — every unit's value of one indicator."""
    rows = []
    for u in summary["units"]:
        w = W.classify(indicator, u.get(indicator), thresholds)
        rows.append({"code": u["code"], "name": label(u), "rate": u.get(indicator),
                     "level": w.level, "reason": w.reason})
    return pd.DataFrame(rows)


def top_bottom(summary: Mapping[str, Any], n: int = 3) -> tuple[list[Mapping], list[Mapping]]:
    """The best and the worst ``n`` units by composite rank (the worst listed worst-first)."""
    ranked = sorted((u for u in summary["units"] if u["composite_rank"] is not None),
                    key=lambda u: (u["composite_rank"], u["code"]))
    return ranked[:n], ranked[::-1][:n]


def rank_line(u: Mapping[str, Any]) -> str:
    change = fmt.rank_change(u["rank_change"])
    return f"第{u['composite_rank']}名 {label(u)}：综合得分 {fmt.score(u['composite_score'])}（较上月 {change}）"


def delta_pp(now: float | None, before: float | None) -> str | None:
    """"+2.6个百分点" — the change of a rate, for a KPI's delta."""
    if now is None or before is None:
        return None
    return FLAT if fmt.rounded(now - before, 1, scale=100) == 0 else fmt.pp(now - before)


def delta_wan_mu(change: float | None) -> str | None:
    if change is None:
        return None
    return FLAT if fmt.rounded(change / 10_000, 2) == 0 else fmt.wan_mu_change(change)


FLAT = "持平"  # a change that rounds to zero: no arrow, no colour (not a green "↑ +0.0")




def cultivated_table(summary: Mapping[str, Any], which: str = "cultivated") -> pd.DataFrame:
    """The unit table of the 耕地 page: 面积, 目标, 完成率, 缺口, 较上年增减 (numbers, for st.dataframe)."""
    rows = []
    for u in summary["units"]:
        if which == "cultivated":
            area, target, rate = u["cultivated_mu"], u["cultivated_target_mu"], u["cultivated_rate"]
            change, gap = u["cultivated_change_mu"], u["cultivated_gap_mu"]
        else:
            area, target, rate = u["basic_farmland_mu"], u["basic_farmland_target_mu"], u["basic_farmland_rate"]
            change = None
            gap = None if area is None or target is None else area - target
        rows.append({"单位": label(u), "面积(亩)": fmt.cell_value(area, 2), "目标(亩)": fmt.cell_value(target, 2),
                     "完成率": fmt.cell_value(rate, 2, 100), "缺口(亩)": fmt.cell_value(gap, 2),
                     "较上年增减(亩)": fmt.cell_value(change, 2), "排名": u["ranks"][f"{which}_rate" if which == "cultivated" else "basic_farmland_rate"]})
    df = pd.DataFrame(rows)
    return df.sort_values("完成率", ascending=True, na_position="first").reset_index(drop=True)


AREA_COLUMNS = ["cultivated_mu", "cultivated_target_mu", "basic_farmland_mu", "basic_farmland_target_mu"]


def cultivated_series(trend: pd.DataFrame, unit: str | None, data_year: int) -> tuple[pd.DataFrame, list[int]]:
    """(year + the four area columns, for one place or summed over the scope, up to the data year;
    the years left out). A sum over units is only a trend while the same units report: a year in
    which fewer units reported than in the data year (a city whose ledgers start later) would
    show a jump that is not in the land (as would the last year, while a city's survey is still to
    come), so it is left out and named."""
    d = trend[trend["year"] <= data_year]
    if unit:
        d = d[d["code"] == unit]
    out = d.groupby("year", as_index=False)[[*AREA_COLUMNS, "n_units"]].sum(min_count=1)
    if out.empty:
        return out[["year", *AREA_COLUMNS]], []
    partial = out["n_units"] < out["n_units"].max()
    return out.loc[~partial, ["year", *AREA_COLUMNS]].reset_index(drop=True), out.loc[partial, "year"].astype(int).tolist()


def figures_lines(u: Mapping[str, Any]) -> list[str]:
    """A unit's figures as short lines (the map's side panel)."""
    return [
        f"耕地 {fmt.wan_mu(u['cultivated_mu'])}，目标 {fmt.wan_mu(u['cultivated_target_mu'])}，完成率 {fmt.pct(u['cultivated_rate'])}",
        f"永久基本农田 {fmt.wan_mu(u['basic_farmland_mu'])}，任务 {fmt.wan_mu(u['basic_farmland_target_mu'])}，完成率 {fmt.pct(u['basic_farmland_rate'])}",
        f"重点项目 {u['projects_guaranteed']}/{u['projects_total']} 个已保障，保障率 {fmt.pct(u['projects_rate'])}",
        f"批而未供 已处置 {fmt.mu(u['unsupplied_disposed_mu'])}／{fmt.mu(u['unsupplied_mu'])}，处置率 {fmt.pct(u['unsupplied_rate'])}",
        f"闲置土地 已处置 {fmt.mu(u['idle_disposed_mu'])}／{fmt.mu(u['idle_mu'])}，处置率 {fmt.pct(u['idle_rate'])}",
        f"综合得分 {fmt.score(u['composite_score'])}，"
        f"综合排名 {fmt.DASH if u['composite_rank'] is None else '第' + str(u['composite_rank']) + '名'}，较上月 {fmt.rank_change(u['rank_change'])}",
    ]


def project_rows(df: pd.DataFrame, year: int, as_of, with_city: bool = False) -> pd.DataFrame:
    """The project list as shown (in the query's order: not yet guaranteed first), Chinese headers,
    with days since the year began."""
    out = df.copy()
    start = dt.date(year, 1, 1)
    out["days"] = (as_of - start).days + 1
    out["状态"] = np.where(out["guaranteed"].astype(bool), "已保障", "未保障")
    out["guaranteed_date"] = _dates_text(out["guaranteed_date"])
    return out.rename(columns={"project_id": "项目编号", "project_name": "项目名称", "unit": "单位",
                               "category": "项目类别", "area_mu": "用地面积(亩)",
                               "guaranteed_date": "用地保障日期", "days": "年初至今(天)", "city_name": "所属市"})[
        ["状态", "项目编号", "项目名称", *(["所属市"] if with_city else []), "单位", "项目类别", "用地面积(亩)",
         "用地保障日期", "年初至今(天)"]]


def category_matrix(summary: Mapping[str, Any], whole: str = "全市") -> pd.DataFrame:
    """Place × category: "guaranteed/total（rate）", with the scope's total as the last row."""
    rows = []
    for u in [*summary["units"], {**summary["city"], "name": whole}]:
        row = {"单位": label(u)}
        for cat, f in u["projects_by_category"].items():
            row[cat] = f"{f['guaranteed']}/{f['total']}（{fmt.pct(f['rate'], 1)}）" if f["total"] else fmt.DASH
        row["合计"] = f"{u['projects_guaranteed']}/{u['projects_total']}（{fmt.pct(u['projects_rate'], 1)}）"
        rows.append(row)
    return pd.DataFrame(rows)


def _dates_text(dates: pd.Series) -> pd.Series:
    """"2023-06-15", or "" where there is no date."""
    return pd.to_datetime(dates).dt.strftime("%Y-%m-%d").fillna("")


def parcel_rows(df: pd.DataFrame, with_city: bool = False) -> pd.DataFrame:
    """The parcel list as shown (in the query's order: undisposed first), Chinese headers."""
    out = df.copy()
    out["状态"] = np.where(out["disposal_date"].isna(), "未处置", "已处置")
    out["disposal_date"] = _dates_text(out["disposal_date"])
    out["method"] = out["method"].fillna("")
    return out.rename(columns={"parcel_id": "地块编号", "unit": "单位", "type": "类型", "approval_year": "批准年度",
                               "area_mu": "面积(亩)", "disposal_date": "处置日期", "disposed_mu": "处置面积(亩)",
                               "method": "处置方式", "city_name": "所属市"})[
        ["状态", "地块编号", *(["所属市"] if with_city else []), "单位", "类型", "批准年度", "面积(亩)", "处置日期",
         "处置面积(亩)", "处置方式"]]


def base_line(bases: pd.DataFrame, year: int) -> str:
    """"2023年任务清单，批而未供 191宗 17,417.01亩（批准年度2009–2022）；…" — the base of the rates."""
    parts = []
    for r in bases.itertuples():
        years = f"{r.first_year}–{r.last_year}" if r.first_year != r.last_year else f"{r.first_year}"
        label = "批准年度" if r.type == M.UNSUPPLIED else "供地年度"
        parts.append(f"{r.type} {r.parcels}宗 {fmt.mu(r.base_mu, 2)}（{label}{years}）")
    return f"{year}年任务清单，" + "；".join(parts)


def unit_disposal(summary: Mapping[str, Any], kind: str) -> pd.DataFrame:
    """name, disposed_mu, base_mu, rate of one type (kind = unsupplied | idle), units with a base only."""
    rows = [{"name": label(u), "disposed_mu": u[f"{kind}_disposed_mu"], "base_mu": u[f"{kind}_mu"],
             "rate": u[f"{kind}_rate"]} for u in summary["units"] if u[f"{kind}_mu"]]
    return pd.DataFrame(rows, columns=["name", "disposed_mu", "base_mu", "rate"])


def whatif_compare(actual: Mapping[str, Any], simulated: Mapping[str, Any]) -> pd.DataFrame:
    """Actual beside simulated, per unit: ranks, scores and the indicators the scenario changed."""
    before = by_code(actual)
    rows = []
    for u in in_rank_order(simulated["units"]):
        a = before[u["code"]]
        changed = [f"{M.SHORT_NAMES[k]} {fmt.pct(a[k])}→{fmt.pct(u[k])}" for k in M.INDICATORS
                   if a[k] is not None and u[k] is not None and round(a[k], 6) != round(u[k], 6)]
        shift = None if a["composite_rank"] is None or u["composite_rank"] is None else a["composite_rank"] - u["composite_rank"]
        rows.append({
            "单位": label(u), "实际排名": a["composite_rank"], "模拟排名": u["composite_rank"],
            "名次变化": fmt.rank_change(shift) if shift else "—",
            "实际得分": fmt.cell_value(a["composite_score"], 2), "模拟得分": fmt.cell_value(u["composite_score"], 2),
            "变化的指标": "；".join(changed),
        })
    return pd.DataFrame(rows)


def newly_below(actual: Mapping[str, Any], simulated: Mapping[str, Any]) -> list[str]:
    """"修武县 耕地完成率 100.40%→99.41%" for every unit a target change pushes below 100%."""
    a, b = by_code(actual), by_code(simulated)
    return [f"{label(b[c])} {M.SHORT_NAMES[k]} {fmt.pct(a[c][k])}→{fmt.pct(b[c][k])}"
            for c, k in newly_below_target(a, b)]


def rank_trend(history: Sequence[tuple[Any, Mapping[str, int | None]]], code: str, year: int) -> pd.DataFrame:
    """month, rank — one unit's composite rank at each month end of ``year``."""
    rows = [{"month": d.month, "rank": ranks.get(code)} for d, ranks in history if d.year == year]
    return pd.DataFrame([r for r in rows if r["rank"] is not None], columns=["month", "rank"])


def honour_lists(summary: Mapping[str, Any], streak: Mapping[str, Mapping[str, int]], thresholds=None,
                 n: int = 3) -> tuple[list[str], list[str]]:
    """前三位 and 后三位 (terms.TOP, terms.BOTTOM): the best and worst ``n`` with why."""
    top, bottom = top_bottom(summary, n)

    def line(u: Mapping[str, Any], good: bool) -> str:
        reds = [W.classify(k, u[k], thresholds).reason for k in M.INDICATORS
                if W.classify(k, u[k], thresholds).level == W.RED]
        extra = streak_text(streak.get(u["code"], {"bottom": 0, "improving": 0}))
        why = ("；".join(reds[:2]) if not good and reds else "") or extra
        return rank_line(u) + (f"——{why}" if why else "")

    return [line(u, True) for u in top], [line(u, False) for u in bottom]


def weights_line(weights: Mapping[str, float]) -> str:
    return M.weights_text(weights)


def red_lines(summary: Mapping[str, Any], thresholds=None, most: int = 15) -> list[str]:
    """"修武县：耕地完成率 99.41%，低于 100%（未完成目标）" per red cell; when there are more than
    ``most`` (a province, the country), one line per indicator naming who is red, lowest first."""
    reds = W.red_list(summary["units"], thresholds)
    places = by_code(summary)
    if len(reds) <= most:
        return [f"{label(places[code])}：{reason}" for code, _, reason in reds]
    by_indicator: dict[str, list[str]] = {}
    for code, ind, _ in reds:
        by_indicator.setdefault(ind, []).append(code)
    lines = []
    for ind, codes in by_indicator.items():
        codes = sorted(codes, key=lambda c: (places[c][ind], c))
        shown = fmt.some([label(places[c]) for c in codes], 12)
        lines.append(f"{M.SHORT_NAMES[ind]}{W.red_rule(ind, thresholds)}：{shown}")
    return lines


def lowest_first(summary: Mapping[str, Any]) -> list[str]:
    """Codes from the lowest composite rank up (unranked last): the rank trend opens on the last place."""
    return [u["code"] for u in in_rank_order(summary["units"])[::-1] if u["composite_rank"] is not None] + \
        [u["code"] for u in summary["units"] if u["composite_rank"] is None]


def names(summary: Mapping[str, Any]) -> dict[str, str]:
    """code → how the place is shown (its label where names repeat in the view)."""
    return {u["code"]: label(u) for u in summary["units"]}


def by_code(summary: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {u["code"]: u for u in summary["units"]}


def drill_frame(units: Sequence[Mapping[str, Any]], thresholds=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ranking as a plain table (rates in percent) in rank order, and the warning level of
    each rate cell (same shape, '' where there is no colour): the clickable drill-down table."""
    rows, levels = [], []
    for u in in_rank_order(units):
        row = {"code": u["code"], "综合排名": u["composite_rank"], "名称": label(u),
               "综合得分": fmt.cell_value(u["composite_score"], 2), "较上月": fmt.rank_change(u["rank_change"])}
        lev = {k: "" for k in row}
        for ind in M.INDICATORS:
            v = u.get(ind)
            row[M.SHORT_NAMES[ind]] = fmt.cell_value(v, 2, 100)   # the printed value (fmt.pct)
            lev[M.SHORT_NAMES[ind]] = W.classify(ind, v, thresholds).level
        rows.append(row)
        levels.append(lev)
    return pd.DataFrame(rows), pd.DataFrame(levels)


STYLED_ROWS = 400   # up to this many rows a table is coloured cell by cell (pandas Styler, ~0.2 ms a row)
MARKS = {W.RED: "🔴", W.YELLOW: "🟡"}   # beyond it the level is a mark in front of the value


def drill_text_frame(df: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    """A long drill table as text: values printed as on the page ("99.41%", "—" for no value, never
    "None"), each red or yellow rate with its mark in front ("🔴 99.41%")."""
    out = df.copy()
    for col in [M.SHORT_NAMES[i] for i in M.INDICATORS]:
        out[col] = [(MARKS.get(lev, "") + " " if lev in MARKS else "") + (fmt.DASH if v is None or v != v
                    else fmt.number(v, 2, sep=False) + "%") for v, lev in zip(df[col], levels[col])]
    out["综合得分"] = [fmt.DASH if v is None or v != v else fmt.score(v) for v in df["综合得分"]]
    out["综合排名"] = [fmt.DASH if v is None or v != v else str(int(v)) for v in df["综合排名"]]
    out["较上月"] = [fmt.DASH if v is None or v != v or v == "" else v for v in df["较上月"]]
    return out


def most_and_least(df: pd.DataFrame, column: str, n: int = 30) -> tuple[pd.DataFrame, int]:
    """At most ``n`` rows for a bar chart: all when there are few, else the lowest and the highest
    n/2 by ``column`` (nulls dropped); with the number of rows there were."""
    if len(df) <= n:
        return df, len(df)
    d = df.dropna(subset=[column]).sort_values(column, kind="stable")
    half = n // 2
    return pd.concat([d.head(half), d.tail(half)]).drop_duplicates("code"), len(df)


def largest(df: pd.DataFrame, column: str, n: int = 30) -> pd.DataFrame:
    """The ``n`` rows with the largest ``column`` (all when there are few), for a bar chart."""
    return df if len(df) <= n else df.nlargest(n, column)
