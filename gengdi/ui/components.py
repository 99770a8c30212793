"""Page components: header, KPI cards, 口径 lines, the ranking table, legends, downloads."""
from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from .. import charts, export, fmt, terms, views
from .. import metrics as M
from .. import warnings as W
from ..charts import LEVEL_COLORS
from ..ranking import in_rank_order
from ..safe import md
from ..scope import label as place_label
from . import chinese, freshness, places, widgets
from .context import Context, current, drill

CSS = """
<style>
.gd-sub {color:#5f6b63; font-size:0.92rem; margin:-0.6rem 0 0.6rem 0;}
.gd-kq {color:#6b7780; font-size:0.8rem; margin:-0.4rem 0 1.1rem 0; line-height:1.35;}
.gd-kq a {color:inherit; text-decoration:underline dotted;}
.gd-wrap {overflow-x:auto; max-width:100%; -webkit-overflow-scrolling:touch; border:1px solid #e3e8e4; border-radius:6px;}
.gd-table {border-collapse:collapse; font-size:0.88rem; white-space:nowrap; width:100%;}
.gd-table th {background:#f3f6f1; font-weight:600; text-align:center; padding:6px 8px; border-bottom:1px solid #d5dcd6; position:sticky; top:0;}
.gd-table td {padding:5px 8px; border-bottom:1px solid #eef1ee; text-align:right;}
.gd-table td.gd-name {text-align:left; font-weight:600; position:sticky; left:0; background:#fff;}
""" + "".join(f".gd-table td.{level} {{{W.cell_css(level)}}}\n" for level in W.CELL) + """.gd-table td.none {color:#9aa0a6;}
.gd-table .gd-rank {color:#6b7780; font-size:0.8rem; margin-left:3px;}
.gd-up {color:#1d7a45; font-weight:600;} .gd-down {color:#c0392b; font-weight:600;}
.gd-legend {display:flex; flex-wrap:wrap; gap:6px 14px; font-size:0.82rem; color:#37474f; margin:4px 0 8px 0;}
.gd-legend span.sw {display:inline-block; width:14px; height:14px; border-radius:3px; margin-right:5px; vertical-align:-2px; border:1px solid #c9d1cb;}
.gd-list {margin:0; padding-left:1.2rem; font-size:0.92rem;}
.gd-list li {margin:2px 0;}
[data-testid="stMetricValue"] {font-size:1.75rem;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] > div {white-space:normal !important; overflow:visible !important;
  text-overflow:clip !important; overflow-wrap:anywhere; height:auto;}
[data-testid="stMetricLabel"] p {white-space:normal;}
[data-testid="stExpander"] pre, [data-testid="stExpander"] pre code {white-space:pre-wrap !important; overflow-wrap:anywhere;}
</style>
"""


def page_header(ctx: Context, title: str) -> None:
    """Title, what the page shows (city, as-of date, 示例数据), the link notices and 复制链接."""
    st.html(CSS)
    chinese.install()
    st.title(title)
    place = html.escape(ctx.city_name) + ("" if ctx.leaf else f"（按{ctx.noun}）")
    parts = [place, f"截至{ctx.as_of_label}" + ("（周通报口径）" if ctx.by_date else "")]
    if ctx.demo:
        parts.append('<b style="color:#b45309">示例数据</b>')
    st.html(f'<div class="gd-sub">{" · ".join(parts)}</div>')
    places.nav(ctx)   # 全国 › 河南省 › 焦作市 and the place search (stores with more than one city)
    widgets.share_link(st.session_state.get("_gengdi_page", ""))
    widgets.notice_slot()
    freshness.watch(ctx)   # “数据已更新” when an import lands while the page is open


def start_page(title: str) -> Context:
    """The top of every page: the run's context and the header, or the empty-store page (stops).
    ``{noun}`` in the title becomes what the page ranks (县区, 城市, 省份)."""
    ctx = current()
    if ctx is None:
        no_data_page(title.format(noun="县区"))
        st.stop()
    page_header(ctx, title.format(noun=ctx.noun))
    return ctx


def kouqing(text: str) -> None:
    """One line of 口径 (definition and base) under a chart or table."""
    st.html(f'<div class="gd-kq"><a href="#gd-docs" title="口径说明（页尾，docs/口径.md）">口径</a>：{html.escape(text)}</div>')


def empty_state(message: str) -> None:
    st.info(md(message), icon=":material/inbox:")


def page_header_plain(title: str) -> None:
    """The header of a page that works without data (数据导入)."""
    st.html(CSS)
    chinese.install()
    st.title(title)
    widgets.notice_slot()


def no_data_page(title: str) -> None:
    st.html(CSS)
    chinese.install()
    st.title(title)
    widgets.notice_slot()
    empty_state("数据目录中还没有数据。可运行 python -m gengdi demo 生成示例数据，或在“数据导入”中导入台账。")


def kpi(label: str, value: str, delta: str | None = None, note: str | None = None,
        help: str | None = None, delta_color: str = "normal") -> None:
    with st.container(border=True):
        flat = delta == views.FLAT
        st.metric(label, value, delta=delta, delta_color="off" if flat else delta_color, help=help,
                  delta_arrow="off" if flat else "auto")
        if note:
            st.caption(note)


def legend(items: Sequence[tuple[Sequence[int] | str, str]]) -> None:
    spans = []
    for color, label in items:
        css = color if isinstance(color, str) else f"rgb({color[0]},{color[1]},{color[2]})"
        spans.append(f'<span><span class="sw" style="background:{css}"></span>{html.escape(label)}</span>')
    st.html(f'<div class="gd-legend">{"".join(spans)}</div>')


def level_legend() -> None:
    legend([(LEVEL_COLORS[level], W.LEVEL_NAMES[level]) for level in (W.GREEN, W.YELLOW, W.RED, W.NONE)])


def bullet_list(lines: Sequence[str]) -> None:
    st.html('<ul class="gd-list">' + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>")


def _change_html(change: int | None) -> str:
    text = fmt.rank_change(change)
    if change and change > 0:
        return f'<span class="gd-up">{text}</span>'
    if change and change < 0:
        return f'<span class="gd-down">{text}</span>'
    return html.escape(text)


def ranking_table(units: Sequence[Mapping], thresholds=None, indicators: Sequence[str] = tuple(M.INDICATORS),
                  notes: Mapping[str, str] | None = None, test_id: str = "gd-ranking",
                  compare: Mapping[str, int | None] | None = None) -> None:
    """The monthly ranking: value, rank and colour per indicator; composite; change since last month.

    The reason for each colour is the cell's hover text (title). ``notes``: an extra column
    (streaks); ``compare``: actual ranks to show the simulated move against.
    """
    head = ["综合排名", terms.COUNTY, *(M.SHORT_NAMES[i] for i in indicators), "综合得分", "较上月"]
    if compare is not None:
        head.append("较实际")
    if notes is not None:
        head.append("连续情况")
    rows = []
    ordered = in_rank_order(units)
    for u in ordered:
        cells = [f'<td>{u["composite_rank"] or fmt.DASH}</td>',
                 f'<td class="gd-name">{html.escape(place_label(u))}</td>']
        for ind in indicators:
            w = W.classify(ind, u.get(ind), thresholds)
            r = u["ranks"].get(ind)
            rank = f'<span class="gd-rank">({r})</span>' if r is not None else ""
            cells.append(f'<td class="{w.level}" title="{html.escape(w.reason)}">{fmt.pct(u.get(ind))}{rank}</td>')
        score = fmt.score(u["composite_score"])
        cells.append(f"<td><b>{score}</b></td>")
        cells.append(f"<td>{_change_html(u['rank_change'])}</td>")
        if compare is not None:
            a = compare.get(u["code"])
            shift = None if a is None or u["composite_rank"] is None else a - u["composite_rank"]
            cells.append(f'<td class="{"yellow" if shift else ""}">{_change_html(shift) if shift else "—"}</td>')
        if notes is not None:
            cells.append(f'<td style="text-align:left">{html.escape(notes.get(u["code"], ""))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    th = "".join(f"<th>{h}</th>" for h in head)
    st.html(f'<div class="gd-wrap" data-testid="{test_id}"><table class="gd-table"><thead><tr>{th}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def list_downloads(rows: Callable[[], pd.DataFrame], stem: str, title: str, key: str, note: str | None = None,
                   formats: Mapping[str, str] | None = None, total: int | None = None) -> None:
    """The whole list as Excel (title, formats, footnote, frozen header) and as CSV (UTF-8 with BOM),
    built when the button is clicked (``rows`` fetches the list then). A long list (``total`` rows) gets a
    note that the file takes a few seconds (the button shows its own spinner meanwhile)."""
    if total is not None and total >= LARGE_LIST:
        st.caption(f"完整清单共 {total:,} 行，点击下载后生成文件需要一些时间（每 10 万行约 10–20 秒），请稍候；CSV 生成更快。")
    c1, c2 = st.columns(2)
    with c1:
        st.download_button("下载 Excel（.xlsx）", lambda: export.table_workbook(rows(), title, note, formats), f"{stem}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key=f"{key}_xlsx", icon=":material/table:")
    with c2:
        st.download_button("下载 CSV", lambda: export.csv_bytes(rows()), f"{stem}.csv", mime="text/csv", key=f"{key}_csv",
                           icon=":material/download:")


LARGE_LIST = 20_000  # rows from which a download gets the "takes a few seconds" note
LIST_ROWS = 1000  # rows of a list handed to the browser; the downloads hold them all


def drill_table(ctx: Context, units: Sequence[Mapping], key: str, thresholds=None) -> None:
    """The ranking as a table; clicking a row opens that province or city (or a unit's city).
    The widget key carries the scope, so the table of the place just opened starts unselected
    (a click on its first row is a new selection, not the old one's toggle)."""
    key = drill_key(ctx, key)
    df, levels = views.drill_frame(units, thresholds)
    rates = [M.SHORT_NAMES[i] for i in M.INDICATORS]
    long = len(df) > views.STYLED_ROWS
    shown: Any = views.drill_text_frame(df, levels) if long else df
    if not long:
        shown = (df.style.apply(lambda _: levels.map(W.cell_css), axis=None, subset=None)
                 .format(lambda v: fmt.DASH if v is None or v != v else fmt.number(v, 2, sep=False) + "%", subset=rates)
                 .format(lambda v: fmt.DASH if v is None or v != v else fmt.score(v), subset=["综合得分"])
                 .format(lambda v: fmt.DASH if v is None or v != v else f"{int(v)}", subset=["综合排名"]))

    def on_select() -> None:
        rows = (st.session_state.get(key) or {}).get("selection", {}).get("rows", [])
        if rows:
            drill(str(df["code"].iloc[rows[0]]), ctx.by)

    from . import cards  # the phone's cards (the table is hidden below 640 px)

    cards.ranking_cards(units, thresholds)
    with st.container(key="gd-drill"):
        st.dataframe(shown, key=key, on_select=on_select, selection_mode="single-row", hide_index=True,
                     width="stretch", height=min(36 * (len(df) + 1) + 3, 560),
                     column_order=["综合排名", "名称", *rates, "综合得分", "较上月"],
                     column_config={"名称": st.column_config.TextColumn(width="medium"),
                                    **({} if long else {"综合得分": st.column_config.NumberColumn(format="%.2f"),
                                                        **{r: st.column_config.NumberColumn(format="%.2f%%") for r in rates}})})
        if long:
            st.caption(f"共 {len(df):,} 行：{views.MARKS[W.RED]} 为{terms.RED}，{views.MARKS[W.YELLOW]} 为{terms.YELLOW}"
                       f"（行数多，颜色以标记代替底色）；“{fmt.DASH}”为无数据。")
        target = "所在城市" if ctx.by == "unit" else ctx.noun
        st.caption(f"点击表格左侧选中一行，即打开该{target}（下钻）；左侧“省份”“城市”可返回上级。")
    st.html('<div class="gd-cards gd-kq">手机上：在左侧菜单（左上角“›”）的“省份”“城市”中选择即可打开该地。</div>')


def drill_key(ctx: Context, key: str) -> str:
    """The key of a widget that opens a place (a drill table, a map), fresh for every scope."""
    return f"{key}_{ctx.scope.code}_{ctx.by}"


@st.cache_data(show_spinner=False, max_entries=256)
def _figure_dict(builder: str, args: tuple, kwargs: dict) -> dict:
    return getattr(charts, builder)(*args, **kwargs).to_dict()


def chart(builder: str, *args, key: str, **kwargs) -> None:
    """``charts.<builder>(*args, **kwargs)`` drawn with st.plotly_chart. Building a plotly figure
    validates every property (tens of ms); the validated figure is cached as a plain dict, so a
    rerun with the same data only re-wraps it (without validating again)."""
    fig = go.Figure(_figure_dict(builder, args, kwargs), _validate=False)
    st.plotly_chart(fig, key=key, config={"displayModeBar": False})
