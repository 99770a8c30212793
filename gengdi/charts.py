"""Plotly figure builders: data in, figure out. One theme and one meaning per colour."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from . import fmt
from .safe import plot
from . import warnings as W

FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'

LEVEL_COLORS = W.STRONG
CITY = "#1f5fa8"
TARGET = "#7a5c3e"
SURPLUS_FILL = "rgba(46,139,87,0.15)"
DEFICIT_FILL = "rgba(214,69,65,0.25)"
SERIES = {
    "全部": "#263238",
    "省重点": "#1f5fa8",
    "市重点": "#e07b39",
    "三个一批": "#7b4fb0",
    "批而未供": "#00897b",
    "闲置土地": "#8d6e63",
}
PALETTE = ["#3f8fbf", "#c2185b", "#689f38", "#f57c00", "#5e35b1", "#00838f"]


def series_color(name: str, i: int = 0) -> str:
    return SERIES.get(name, PALETTE[i % len(PALETTE)])


def _layout(fig: go.Figure, title: str | None = None, height: int = 360) -> go.Figure:
    fig.update_layout(
        title=dict(text=plot(title) if title else title, x=0, xanchor="left", font=dict(size=15)) if title else None,
        font=dict(family=FONT, size=13, color="#1f2a1f"),
        height=height,
        margin=dict(l=8, r=8, t=40 if title else 12, b=8),
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="top", y=-0.1, x=0, title=None, font=dict(size=12)),
        hoverlabel=dict(font=dict(family=FONT)),
        separators=".,",
    )
    fig.update_xaxes(showgrid=False, linecolor="#c8cdd2", fixedrange=True)
    fig.update_yaxes(gridcolor="#eceff1", zeroline=False, fixedrange=True)
    return fig


def empty(message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font=dict(size=14, color="#607d8b"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, height=200)


# ---------------------------------------------------------------------------- trends vs targets
def trend_vs_target(df: pd.DataFrame, value: str, target: str, value_name: str, target_name: str,
                    title: str | None = None) -> go.Figure:
    """Yearly line of ``value`` against its ``target`` line; the gap shaded green (above) or red (below).

    df: year, value, target (亩). Shown in 万亩 when the values are large, else 亩.
    """
    df = df.sort_values("year")
    big = df[value].max() >= 20_000
    k, unit = (10_000, "万亩") if big else (1, "亩")
    years = df["year"].astype(int).tolist()
    v = (df[value] / k).tolist()
    t = (df[target] / k).tolist()
    upper = [max(a, b) for a, b in zip(v, t)]
    lower = [min(a, b) for a, b in zip(v, t)]
    fig = go.Figure()
    for edge, fill in ((upper, SURPLUS_FILL), (lower, DEFICIT_FILL)):
        fig.add_trace(go.Scatter(x=years, y=t, mode="lines", line=dict(width=0), hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(x=years, y=edge, mode="lines", line=dict(width=0), fill="tonexty",
                                 fillcolor=fill, hoverinfo="skip", showlegend=False))
    dec = 2 if big else 0
    fig.add_trace(go.Scatter(
        x=years, y=t, name=target_name, mode="lines", line=dict(color=TARGET, dash="dash", width=2),
        hovertemplate=f"%{{y:,.{dec}f}}{unit}<extra>{target_name}</extra>"))
    fig.add_trace(go.Scatter(
        x=years, y=v, name=value_name, mode="lines+markers", line=dict(color=CITY, width=3),
        marker=dict(size=7),
        customdata=[fmt.pct(a / b) if b else fmt.DASH for a, b in zip(v, t)],
        hovertemplate=f"%{{y:,.{dec}f}}{unit}（完成率 %{{customdata}}）<extra>{value_name}</extra>"))
    _layout(fig, title)
    fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[f"{y}年" for y in years])
    fig.update_yaxes(title=None, ticksuffix=unit, tickformat=f",.{1 if big else 0}f")
    fig.update_layout(hovermode="x unified")
    return fig


# ---------------------------------------------------------------------------- rate bars
def rate_bars(df: pd.DataFrame, ref: float | None = 1.0, ref_label: str = "100%",
              title: str | None = None) -> go.Figure:
    """Each unit's rate as a sorted horizontal bar coloured by its warning level, with a reference line.

    df: name, rate (fraction or None), level (red/yellow/green/none), optional reason (hover).
    """
    d = df.copy()
    d["_v"] = d["rate"].astype("float64")
    d = d.sort_values("_v", ascending=True, na_position="first")
    x = (d["_v"] * 100).tolist()
    texts = [fmt.pct(None if pd.isna(r) else r) for r in d["_v"]]
    xs = [v for v in x if not pd.isna(v)]
    lo = min(xs + [100 * (ref or 1)]) if xs else 0
    hi = max(xs + [100 * (ref or 0)]) if xs else 100
    # rates close to 100% (completion rates): the axis zooms in, so the bars start at the reference
    # line and run to the value — 99.4% is a short bar left of 100%, 101.5% one to the right — never
    # bars from the axis edge (98.6%), which would make 99.4% vs 101.5% look like 1:3
    around = ref is not None and lo > 80
    base = ref * 100 if around else 0
    fig = go.Figure(go.Bar(
        x=[0 if pd.isna(v) else v - base for v in x], base=base if around else None,
        y=[plot(n) for n in d["name"]], orientation="h",
        marker_color=[LEVEL_COLORS.get(l, LEVEL_COLORS["none"]) for l in d["level"]],
        text=texts, textposition="outside" if around else "auto", insidetextanchor="end", cliponaxis=False,
        textfont=dict(size=12),
        customdata=d["reason"].tolist() if "reason" in d else texts,
        hovertemplate="%{y}：%{customdata}<extra></extra>",
    ))
    if ref is not None:
        fig.add_vline(x=ref * 100, line=dict(color=CITY if ref_label != "100%" else TARGET, dash="dash", width=2),
                      annotation_text=ref_label, annotation_position="top",
                      annotation_font=dict(size=12, color=CITY if ref_label != "100%" else TARGET))
    _layout(fig, title, height=max(240, 30 * len(d) + 100))
    if ref is not None:
        fig.update_layout(margin=dict(t=64 if title else 36))
    span = hi - lo
    if around:  # zoom in so differences show; the bars start at the reference line
        fig.update_xaxes(range=[lo - max(span * 0.4, 0.3), hi + max(span * 0.35, 0.3)])
    else:
        fig.update_xaxes(range=[0, max(100, hi) * 1.15])
    fig.update_xaxes(ticksuffix="%", title=None)
    fig.update_yaxes(title=None, automargin=True)
    fig.update_layout(showlegend=False, bargap=0.3)
    return fig


# ---------------------------------------------------------------------------- progress through the year
def progress_lines(df: pd.DataFrame, last_year: pd.DataFrame | None = None, title: str | None = None,
                   x_is_month: bool = True, this_label: str = "", last_label: str = "",
                   guides: tuple = ()) -> go.Figure:
    """Cumulative rate through the year, one line per series, last year's dotted beside it.

    df / last_year: x (month number or date), series, rate, detail (hover text).
    guides: (series, task level, ((x, level × time progress), ...)) per series with a task
    (:func:`gengdi.progress.pace_guides`): a thin dash-dot 时间进度 line and a dashed 年度任务 line
    in the series' colour.
    """
    fig = go.Figure()
    order = list(dict.fromkeys(df["series"]))
    for name, level, pts in guides:
        color = series_color(name, order.index(name) if name in order else 0)
        xs = [x for x, _ in pts]
        fig.add_trace(go.Scatter(
            x=xs, y=[y * 100 for _, y in pts], name=f"{name}时间进度", mode="lines",
            line=dict(color=color, dash="dashdot", width=1.5), opacity=0.8, legendgroup=f"{name}-pace",
            hovertemplate="按时间进度应完成 %{y:.1f}%<extra>" + f"{name}</extra>"))
        fig.add_trace(go.Scatter(
            x=[xs[0], xs[-1]], y=[level * 100, level * 100], name=f"{name}年度任务 {level * 100:.1f}%",
            mode="lines", line=dict(color=color, dash="dash", width=1.2), opacity=0.7,
            legendgroup=f"{name}-task", hoverinfo="skip"))
    names = list(dict.fromkeys(df["series"]))
    if last_year is not None and not last_year.empty:
        for i, name in enumerate(names):
            d = last_year[last_year["series"] == name]
            if d.empty:
                continue
            label = plot(name)
            fig.add_trace(go.Scatter(
                x=d["x"], y=d["rate"] * 100, name=f"{label}（{last_label}）", mode="lines",
                line=dict(color=series_color(name, i), dash="dot", width=1.5), opacity=0.55,
                customdata=d["detail"], legendgroup=label,
                hovertemplate="%{y:.2f}%　%{customdata}<extra>" + f"{label}（{last_label}）</extra>"))
    for i, name in enumerate(names):
        d = df[df["series"] == name]
        label = plot(name)
        fig.add_trace(go.Scatter(
            x=d["x"], y=d["rate"] * 100, name=f"{label}（{this_label}）" if this_label else label,
            mode="lines+markers", line=dict(color=series_color(name, i), width=3 if name == "全部" else 2),
            marker=dict(size=6), customdata=d["detail"], legendgroup=label,
            hovertemplate="%{y:.2f}%　%{customdata}<extra>" + f"{label}</extra>"))
    _layout(fig, title, height=380)
    if x_is_month:
        fig.update_xaxes(tickmode="array", tickvals=list(range(1, 13)), ticktext=[f"{m}月" for m in range(1, 13)],
                         range=[0.6, 12.4])
    else:
        fig.update_xaxes(tickformat="%-m月%-d日")
    top = max([105.0] + [level * 100 + 5 for _, level, _ in guides])
    fig.update_yaxes(ticksuffix="%", rangemode="tozero", range=[0, top])
    fig.update_layout(hovermode="x unified")
    return fig


# ---------------------------------------------------------------------------- disposal
def disposal_by_unit(df: pd.DataFrame, title: str | None = None, kind: str = "批而未供") -> go.Figure:
    """Disposed and remaining 亩 per unit, stacked, sorted by disposed area.

    df: name, disposed_mu, base_mu, rate.
    """
    d = df.sort_values("disposed_mu")
    remaining = (d["base_mu"] - d["disposed_mu"]).clip(lower=0)
    rates = [fmt.pct(None if pd.isna(r) else r) for r in d["rate"]]
    fig = go.Figure([
        go.Bar(y=[plot(n) for n in d["name"]], x=d["disposed_mu"], orientation="h", name="已处置", marker_color=SERIES.get(kind, CITY),
               customdata=rates, text=rates, textposition="inside", insidetextanchor="start",
               hovertemplate="%{y} 已处置 %{x:,.0f}亩（%{customdata}）<extra></extra>"),
        go.Bar(y=[plot(n) for n in d["name"]], x=remaining, orientation="h", name="未处置", marker_color="#cfd8dc",
               hovertemplate="%{y} 未处置 %{x:,.0f}亩<extra></extra>"),
    ])
    _layout(fig, title, height=max(240, 30 * len(d) + 90))
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_xaxes(ticksuffix="亩", tickformat=",.0f")
    fig.update_yaxes(automargin=True)
    return fig


def disposal_methods(df: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Disposed 亩 by 处置方式, one bar group per type.  df: type, method, disposed_mu, parcels."""
    fig = go.Figure()
    for i, (kind, d) in enumerate(df.groupby("type", sort=True)):
        fig.add_trace(go.Bar(
            x=[plot(m) for m in d["method"]], y=d["disposed_mu"], name=kind, marker_color=series_color(kind, i),
            customdata=d["parcels"], text=[f"{v:,.0f}" for v in d["disposed_mu"]], textposition="outside",
            cliponaxis=False, hovertemplate="%{x}：%{y:,.2f}亩，%{customdata}宗<extra>" + kind + "</extra>"))
    _layout(fig, title, height=340)
    fig.update_layout(barmode="group")
    fig.update_yaxes(ticksuffix="亩", tickformat=",.0f")
    return fig


def rank_trend(df: pd.DataFrame, n_units: int, title: str | None = None) -> go.Figure:
    """A unit's composite rank month by month (1 at the top).  df: month, rank."""
    fig = go.Figure(go.Scatter(
        x=df["month"], y=df["rank"], mode="lines+markers+text", text=df["rank"], textposition="top center",
        line=dict(color=CITY, width=2), hovertemplate="%{x}月：第%{y}名<extra></extra>"))
    _layout(fig, title, height=300)
    # the whole 1…N (1 at the top), not just the ranks this unit happened to hold: a move from 10th to 11th
    # of 11 must not fill the chart's height
    fig.update_yaxes(autorange=False, range=[n_units + 0.5, 0.5], dtick=1 if n_units <= 20 else None, title=None)
    fig.update_xaxes(tickmode="array", tickvals=list(range(1, 13)), ticktext=[f"{m}月" for m in range(1, 13)])
    return fig

