"""The county map component (pydeck, no basemap)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from .. import fmt, maps
from .. import warnings as W
from .. import metrics as M
from . import components as ui
from ..safe import md
from . import data
from ..scope import label
from .context import Context, current, drill

MAP_INDICATORS = {"composite_score": "综合得分", **M.INDICATORS}
STILL_CSS = ('<style>[data-testid="stDeckGlJsonChart"], [data-testid="stDeckGlJsonChart"] * '
             '{touch-action: pan-y pinch-zoom !important;}</style>')


def formatter(indicator: str) -> Callable[[float | None], str]:
    if indicator == "composite_score":
        return lambda v: fmt.DASH if v is None else fmt.number(v, 1) + "分"
    return fmt.pct


def county_map(ctx: Context, summary: Mapping[str, Any], indicator: str, key: str, height: int = 420,
               selected: str | None = None, on_select: Callable[[], None] | None = None) -> bool:
    """The places of the summary on a map: a city's county polygons when its boundary file exists,
    otherwise a dot per place (provinces, cities, or units without a boundary file). Returns
    whether polygons were drawn."""
    polygons = ctx.leaf
    geo = data.boundaries(ctx.data_dir, ctx.key("boundaries"), ctx.city) if polygons else None
    if geo is None:
        geo = maps.points_geojson(data.children(ctx.data_dir, ctx.key(), ctx.scope, ctx.by))
        if not geo["features"]:
            ui.empty_state(f"{ctx.city_name}的{ctx.noun}既没有边界文件，也没有经纬度，无法绘制地图。")
            return False
        polygons = False
    units = summary["units"]
    values = {u["code"]: u.get(indicator) for u in units}
    ranks = {u["code"]: (u["composite_rank"] if indicator == "composite_score" else u["ranks"][indicator]) for u in units}
    move = st.toggle("拖动和缩放地图", key=f"{key}_move", value=False,
                     help="关闭时地图不动，在地图上滑动或滚动鼠标滚轮即滚动页面，点击仍可选中；关闭即恢复初始视图")
    levels = ({c: W.classify(indicator, v).level for c, v in values.items()}
              if indicator in M.INDICATORS else None)   # rates with warning lines: coloured by level
    deck, legend = maps.county_deck(geo, values, {u["code"]: label(u) for u in units}, ranks,
                                    MAP_INDICATORS[indicator], formatter(indicator), selected, height_px=height,
                                    interactive=move, levels=levels, crowded=(crowded := []))
    if not move:
        # a still map lets a vertical swipe scroll the page (deck.gl sets touch-action:none on its event root)
        st.html(STILL_CSS)
    kwargs = {"on_select": on_select, "selection_mode": "single-object"} if on_select else {}
    st.pydeck_chart(deck, height=height, key=key, **kwargs)
    ui.legend(legend)
    if crowded:   # names that would overlap on the map: numbers on the map, the names here
        st.caption("图上数字：" + md("；".join(f"{n} {name}" for n, name in crowded)))
    missing = [label(u) for u in units if u["code"] not in {f["properties"]["code"] for f in geo["features"]}]
    if missing:
        st.caption("地图上没有（无边界或经纬度）：" + md("、".join(missing[:20])) + ("等" if len(missing) > 20 else ""))
    return polygons


def map_note(polygons: bool, noun: str, geo: Mapping[str, Any] | None = None) -> str:
    """What the shapes of the map are, for its 口径 line. With polygons: the notes the boundary
    file's point features carry (a unit without a boundary of its own), else a general line."""
    if polygons:
        ctx = current()
        if geo is None and ctx is not None:
            geo = data.boundaries(ctx.data_dir, ctx.key("boundaries"), ctx.city)
        notes = [f["properties"]["note"] for f in (geo or {}).get("features", [])
                 if f["geometry"]["type"] == "Point" and f["properties"].get("note")]
        if notes:
            return "；".join(notes)
        if any(f["geometry"]["type"] == "Point" for f in (geo or {}).get("features", [])):
            return "没有独立边界的单位以圆点表示"
        return "各县区按边界文件绘制"
    if noun == "县区":
        return "没有县级边界文件，每个县区以其位置上的圆点表示"
    return f"每个{noun}以一个圆点表示（数字为所辖县区合计）"


def drill_into(map_key: str) -> Callable[[], None]:
    """A map on_select callback that opens the clicked province or city (drill-down)."""

    def callback() -> None:
        code = maps.picked_code(st.session_state.get(map_key))
        ctx = current()
        if code and ctx is not None:
            drill(code, ctx.by)

    return callback


def select_into(map_key: str, unit_key: str) -> Callable[[], None]:
    """A map on_select callback that copies the clicked unit into the ``unit_key`` widget."""

    def callback() -> None:
        code = maps.picked_code(st.session_state.get(map_key))
        if code:
            st.session_state[unit_key] = code

    return callback


def colour_note(indicator: str) -> str:
    """How the map is coloured, for its 口径 line."""
    if indicator in M.INDICATORS:
        return (f"颜色为{MAP_INDICATORS[indicator]}的预警等级（按默认预警线）：红色为{W.LEVEL_NAMES[W.RED]}，"
                f"黄色为{W.LEVEL_NAMES[W.YELLOW]}，绿色为正常，灰色为无数据")
    return f"颜色按{MAP_INDICATORS[indicator]}等距分5级，灰色为无数据"
