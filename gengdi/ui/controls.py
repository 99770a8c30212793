"""The ranking page's controls: weights, counted categories, units, warning lines, and the what-if."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from .. import metrics as M
from .. import warnings as W
from ..ranking import RankSettings
from ..whatif import WhatIf
from . import widgets

SHORT_KEYS = {"cultivated_rate": "cult", "basic_farmland_rate": "farm", "projects_rate": "proj",
              "unsupplied_rate": "unsup", "idle_rate": "idle"}
WEIGHT_KEYS = [f"w_{k}" for k in SHORT_KEYS.values()] + ["w_task"]
THRESHOLD_KEYS = [f"{p}_{k}" for k in SHORT_KEYS.values() for p in ("red", "yel")]
SETTING_KEYS = [*WEIGHT_KEYS, *THRESHOLD_KEYS, "cats", "units"]
WHATIF_KEYS = ["sim_ct", "sim_ft", "sim_tu", "sim_u", "sim_p", "sim_us", "sim_id"]
# the value of each widget above when nothing is changed (what 恢复默认设置 / 恢复实际 set them to)
DEFAULTS: dict = {
    **{f"w_{short}": float(M.DEFAULT_WEIGHTS[ind]) for ind, short in SHORT_KEYS.items()},
    **{f"red_{short}": W.DEFAULT_THRESHOLDS[ind][0] * 100 for ind, short in SHORT_KEYS.items() if ind not in M.RED_LINE},
    **{f"yel_{short}": W.DEFAULT_THRESHOLDS[ind][1] * 100 for ind, short in SHORT_KEYS.items()},
    "cats": [], "units": [],
    "sim_ct": 0.0, "sim_ft": 0.0, "sim_tu": "", "sim_u": "", "sim_p": 0.0, "sim_us": 0.0, "sim_id": 0.0,
}


def ranking_settings(categories: Sequence[str], names: Mapping[str, str]) -> tuple[RankSettings, dict]:
    """Draw the settings; returns the ranking settings and the warning lines."""
    with st.expander("排名设置：权重、计入的项目类别、参与单位、预警线", icon=":material/tune:"):
        st.markdown("**综合排名权重（%）**")
        cols = st.columns(5)
        weights = {}
        for col, (ind, short) in zip(cols, SHORT_KEYS.items()):
            weights[ind] = widgets.number(M.SHORT_NAMES[ind], f"w_{short}", float(M.DEFAULT_WEIGHTS[ind]),
                                          0.0, 100.0, 5.0, container=col, format="%.0f",
                                          what=f"“{M.SHORT_NAMES[ind]}”权重")
        task_col, task_note = st.columns([1, 4])
        weights["task_rate"] = widgets.number("任务完成率", "w_task", 0.0, 0.0, 100.0, 5.0, container=task_col,
                                              format="%.0f", what="“任务完成率”权重")
        task_note.caption("任务完成率（可选，默认0即不计入）：各项年度任务完成率的平均，每项不超过100%；"
                          "没有下达任务的单位该项不计，权重分给其余指标。")
        total = sum(weights.values())
        if total <= 0:
            st.error("权重不能全为 0，已按默认权重计算。")
            weights = dict(M.DEFAULT_WEIGHTS)
        else:
            eff = M.normalize_weights(weights)
            note = "合计100%" if abs(total - 100) < 1e-9 else f"合计 {total:g}%，已按比例折算"
            st.caption(f"{note}：" + "，".join(f"{M.weight_name(k)} {v * 100:.1f}%" for k, v in eff.items()))
        c1, c2 = st.columns(2)
        cats = widgets.multiselect("计入保障率的项目类别", list(categories), key="cats", container=c1,
                                   placeholder="全部类别", help="例如只看省重点项目的保障率")
        units = widgets.multiselect("参与排名的单位", list(names), key="units", format_func=names.get,
                                    container=c2, placeholder="全部单位", help="例如不含示范区")
        st.markdown("**预警线（%）**：低于红线为红色，低于黄线为黄色")
        thresholds = {}
        cols = st.columns(5)
        for col, (ind, short) in zip(cols, SHORT_KEYS.items()):
            red, yellow = W.DEFAULT_THRESHOLDS[ind]
            with col:
                st.caption(M.SHORT_NAMES[ind])
                if ind in M.RED_LINE:
                    st.caption("红线：100%（未完成目标）")
                    r = red * 100
                else:
                    r = widgets.number("红线", f"red_{short}", red * 100, 0.0, 100.0, 1.0, format="%.1f",
                                       what=f"“{M.SHORT_NAMES[ind]}”红线")
                y = widgets.number("黄线", f"yel_{short}", yellow * 100, 0.0, 200.0, 0.1 if ind in M.RED_LINE else 1.0,
                                   format="%.1f", what=f"“{M.SHORT_NAMES[ind]}”黄线")
            thresholds[ind] = (r / 100, max(r, y) / 100)
        st.button("恢复默认设置", key="reset_settings", on_click=widgets.reset(SETTING_KEYS, DEFAULTS), icon=":material/restart_alt:")
    settings = RankSettings.make(weights, categories=cats or None, units=units or None)
    return settings, thresholds


def whatif_controls(names: Mapping[str, str]) -> WhatIf:
    """Draw the what-if (情景模拟) controls; nothing here is stored."""
    with st.expander("情景模拟（模拟，不保存）", icon=":material/science:"):
        st.markdown("**目标调整**：看提高或降低目标后谁会低于目标")
        c1, c2, c3 = st.columns(3)
        ct = widgets.number("耕地保有量目标调整（%）", "sim_ct", 0.0, -20.0, 20.0, 0.1, container=c1, format="%.1f")
        ft = widgets.number("永久基本农田任务调整（%）", "sim_ft", 0.0, -20.0, 20.0, 0.1, container=c2, format="%.1f")
        tu = widgets.selectbox("调整范围", ["", *names], key="sim_tu", container=c3,
                               format_func=lambda c: "全部单位" if c == "" else names.get(c, f"（{c}）"))
        st.markdown("**本月进度**：如果某单位本月再多完成一些")
        c1, c2, c3, c4 = st.columns(4)
        unit = widgets.selectbox("单位", ["", *names], key="sim_u", container=c1,
                                 format_func=lambda c: "请选择单位" if c == "" else names.get(c, f"（{c}）"),
                                 what="“模拟单位”")
        p = widgets.number("再保障项目（个）", "sim_p", 0.0, 0.0, 1000.0, 1.0, container=c2, format="%.0f")
        us = widgets.number("再处置批而未供（亩）", "sim_us", 0.0, 0.0, 1_000_000.0, 10.0, container=c3, format="%.2f")
        idle = widgets.number("再处置闲置土地（亩）", "sim_id", 0.0, 0.0, 1_000_000.0, 10.0, container=c4, format="%.2f")
        st.button("恢复实际", key="reset_whatif", on_click=widgets.reset(WHATIF_KEYS, DEFAULTS), icon=":material/undo:")
    return WhatIf(cultivated_target_pct=ct, farmland_target_pct=ft, target_unit=tu or None,
                  unit=unit or None, projects=int(p), unsupplied_mu=us, idle_mu=idle)
