"""What a shared link shows, in words (pure: no Streamlit).

"焦作市 · 2023年6月 · 项目保障率权重60% · 模拟：温县再处置批而未供2,000亩" — from the link's
parameters (``{key: [values]}`` as in a query string; widget values as the URL holds them: labels).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import metrics as M
from . import warnings as W

LATEST = "latest"   # a link that always opens the newest month
FIXED = "fixed"     # a link that holds the month it was made on (the default)
MONTH_KEYS = ("month", "date")


def _first(params: Mapping[str, Sequence[str]], key: str) -> str | None:
    v = params.get(key)
    if not v:
        return None
    return v[0] if isinstance(v, (list, tuple)) else str(v)


def _num(text: str | None) -> float | None:
    try:
        return None if text in (None, "") else float(text)
    except ValueError:
        return None


def _g(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def changed_inputs(params: Mapping[str, Sequence[str]], short_keys: Mapping[str, str]) -> list[str]:
    """The ranking inputs a link changes from the defaults, in words (weights, warning lines,
    categories, units taking part, the 情景模拟)."""
    out = []
    for ind, short in short_keys.items():
        w = _num(_first(params, f"w_{short}"))
        if w is not None and abs(w - M.DEFAULT_WEIGHTS[ind]) > 1e-9:
            out.append(f"{M.SHORT_NAMES[ind]}权重{_g(w)}%")
    for ind, short in short_keys.items():
        red, yellow = W.DEFAULT_THRESHOLDS[ind]
        for prefix, default, word in (("red", red, "红线"), ("yel", yellow, "黄线")):
            v = _num(_first(params, f"{prefix}_{short}"))
            if v is not None and abs(v - default * 100) > 1e-9:
                out.append(f"{M.SHORT_NAMES[ind]}{word}{_g(v)}%")
    cats = [c for c in params.get("cats", []) if c]
    if cats:
        out.append("保障率只计" + "、".join(cats))
    units = [u for u in params.get("units", []) if u]
    if units:
        out.append("参与排名：" + "、".join(units[:5]) + (f"等{len(units)}个" if len(units) > 5 else ""))
    sim = []
    scope = _first(params, "sim_tu") or "全部单位"
    for key, name in (("sim_ct", "耕地保有量目标"), ("sim_ft", "永久基本农田任务")):
        v = _num(_first(params, key))
        if v:
            sim.append(f"{name}{v:+.1f}%（{scope}）")
    unit = _first(params, "sim_u")
    if unit:
        more = []
        p = _num(_first(params, "sim_p"))
        if p:
            more.append(f"再保障{p:,.0f}个")
        for key, name in (("sim_us", "批而未供"), ("sim_id", "闲置土地")):
            v = _num(_first(params, key))
            if v:
                more.append(f"再处置{name}{_g(v)}亩")
        if more:
            sim.append(unit + "、".join(more))
    if sim:
        out.append("模拟：" + "；".join(sim))
    return out


def summary(params: Mapping[str, Sequence[str]], place: str, short_keys: Mapping[str, str]) -> str:
    """"焦作市 · 2023年6月 · 项目保障率权重60%": what opening the link shows."""
    date, month = _first(params, "date"), _first(params, "month")
    when = f"截至{date}" if date else (month or "始终显示最新月份")
    return " · ".join([place, when, *changed_inputs(params, short_keys)])


def with_month(params: Mapping[str, Sequence[str]], month_label: str, mode: str) -> list[tuple[str, str]]:
    """The link's parameters with the month fixed (``FIXED``: the month in view is written, so the
    link does not move on after the next import) or left out (``LATEST``)."""
    out = [(k, v) for k, vs in params.items() for v in (vs if isinstance(vs, (list, tuple)) else [vs])
           if k not in MONTH_KEYS]
    if mode == FIXED:
        out.insert(0, ("month", month_label))
        date = _first(params, "date")
        if date:
            out.insert(1, ("date", date))
    return out
