"""The 时间进度与年度任务 block of the disposal and projects pages: the scope's sentence, who lags
the time progress (the same sentences the notice and the 本月要点 use), and the task table."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from .. import fmt
from .. import tasks as T
from . import components as ui


def task_section(ctx, s: Mapping[str, Any], indicator: str, key: str) -> None:
    fig = (s["city"].get("tasks") or {}).get(indicator)
    title = T.TITLES[indicator]
    st.markdown(f"**{title}与时间进度**")
    if not fig and not any((u.get("tasks") or {}).get(indicator) for u in s["units"]):
        ui.empty_state(f"{ctx.city_name}{ctx.year}年{title}：{T.NO_TASK}。")
        return
    st.markdown(T.pace_headline(s, indicator, ctx.whole) + "。")
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
        f"{ctx.whole}为有任务单位之和。")
