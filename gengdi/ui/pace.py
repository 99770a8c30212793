"""The 时间进度与年度任务 block of the disposal and projects pages: the scope's sentence, who lags
the time progress (the same sentences the notice and the 本月要点 use), and the task table."""
from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from .. import fmt
from .. import tasks as T
from . import components as ui
from ..safe import md


def task_section(ctx, s: Mapping[str, Any], indicator: str, key: str) -> None:
    fig = (s["city"].get("tasks") or {}).get(indicator)
    title = T.TITLES[indicator]
    st.markdown(f"**{title}与时间进度**")
    if not fig and not any((u.get("tasks") or {}).get(indicator) for u in s["units"]):
        ui.empty_state(f"{ctx.city_name}{ctx.year}年{title}：{T.NO_TASK}。")
        return
    st.html(f"<p>{html.escape(T.pace_headline(s, indicator, ctx.whole))}。</p>")   # place names are hostile text
    with_task = sum(1 for u in s["units"] if indicator in (u.get("tasks") or {}))
    if fig and with_task < len(s["units"]):
        st.caption(md(f"{ctx.whole}数字为已下达任务的 {with_task:,} 个{ctx.noun}之和（共 {len(s['units']):,} 个）"
                   + ("。" if T.covers_all(s, indicator) else "；其余有清单而未下达任务，进度曲线上不画任务线。")))
    lagging = T.lag_sentences(s, indicator)
    if lagging:
        st.caption(f"滞后于时间进度的{ctx.noun}（{len(lagging)}个，落后最多的在前）：")
        ui.bullet_list(lagging[:15])
        if len(lagging) > 15:
            st.caption(f"另有 {len(lagging) - 15:,} 个，见下表。")
    else:
        st.caption(f"没有{ctx.noun}滞后于时间进度。")
    table = pd.DataFrame(T.task_table(s, indicator, ctx.whole))
    st.dataframe(table, hide_index=True, width="stretch", key=key,
                 height=min(36 * (len(table) + 1) + 3, 460))
    tol = s.get("pace_tolerance") or 0
    ui.kouqing(
        f"时间进度 = 截至日是全年的第几天 ÷ 全年天数（{fmt.pct(s.get('time_progress'), 1)}）；任务完成率 = "
        + ("已处置面积 ÷ 年度任务面积" if fig is None or fig["unit"] == "亩" else "已保障项目数 ÷（目标保障率 × 清单项目数）")
        + "；进度差 = 任务完成率 − 时间进度" + (f"，落后超过{tol * 100:g}个百分点为滞后" if tol else "，为负即滞后")
        + "；预计年底" + (f"{T.method_note(fig)}" if fig else "")
        + "（有上年清单的按上年同期进度，没有的按时间进度线性推算，不超过清单总量）；还需每月 = 剩余任务 ÷ 剩余月数。"
        f"{ctx.whole}为有任务的{ctx.noun}之和。")


_SIM_KEYS = {"projects_rate": "sim_p", "unsupplied_rate": "sim_us", "idle_rate": "sim_id"}


def _fill(amounts: Mapping[str, float]):
    def callback() -> None:
        for ind, key in _SIM_KEYS.items():
            st.session_state[key] = float(amounts.get(ind, 0.0))
    return callback


def goal_seek_block(s: Mapping[str, Any], unit: str | None) -> None:
    """情景模拟 by the task: what the simulated unit must still do to reach the time progress and
    to complete the year's task, with buttons that put those amounts into the what-if."""
    if not unit:
        return
    u = next((x for x in s["units"] if x["code"] == unit), None)
    tasks = (u or {}).get("tasks") or {}
    if u is None or not tasks:
        if u is not None:
            st.text(f"按年度任务反推：{u['name']}{T.NO_TASK}。")
        return
    tp = s.get("time_progress") or 0.0
    # a unit name comes from a ledger: text, never markup
    st.html(f"<p><b>按年度任务反推（{html.escape(u['name'])}，时间进度{fmt.pct(tp, 1)}）</b></p>")
    ui.bullet_list(T.goal_seek_lines(u["name"], tasks, tp))
    seeks = {ind: T.goal_seek(tasks.get(ind), tp) for ind in _SIM_KEYS}
    pace = {ind: g["to_pace"] for ind, g in seeks.items() if g}
    year = {ind: g["to_task"] for ind, g in seeks.items() if g}
    c1, c2 = st.columns(2)
    c1.button("按时间进度填入模拟", key="seek_pace", on_click=_fill(pace), icon=":material/schedule:",
              disabled=not any(pace.values()))
    c2.button("按全年任务填入模拟", key="seek_year", on_click=_fill(year), icon=":material/flag:",
              disabled=not any(year.values()))


def simulated_task_lines(sim: Mapping[str, Any], unit: str | None) -> list[str]:
    """The simulated unit's task sentences under the what-if."""
    u = next((x for x in sim["units"] if x["code"] == unit), None)
    if u is None or not u.get("tasks"):
        return []
    return [T.lag_sentence(u["name"], ind, fig, sim.get("time_progress") or 0.0) for ind, fig in u["tasks"].items()]
