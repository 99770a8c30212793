"""地图：按所选指标着色的县区地图，点击单位查看其数字。"""
import streamlit as st

from gengdi import views
from gengdi.ui import components as ui
from gengdi.ui import mapview, widgets

ctx = ui.start_page("地图")
s = ctx.summary()
names = views.names(s)
indicator = widgets.selectbox("着色指标", list(mapview.MAP_INDICATORS), key="map_ind",
                              format_func=mapview.MAP_INDICATORS.get)
left, right = st.columns([3, 2])
with right:
    code = widgets.selectbox("单位（也可点击地图）", ["", *names], key="map_unit",
                             format_func=lambda c: names.get(c, "请选择"))
with left:
    mapview.county_map(ctx, s, indicator, key="map_deck", height=480, selected=code or None,
                       on_select=mapview.select_into("map_deck", "map_unit"))
    ui.kouqing(f"颜色按{mapview.MAP_INDICATORS[indicator]}等距分5级，灰色为无数据；示范区无独立边界，以圆点表示。")
with right:
    if code:
        u = views.by_code(s)[code]
        st.subheader(u["name"])
        ui.bullet_list(views.figures_lines(u))
    else:
        st.caption("点击地图上的单位或从上方选择，查看该单位本月的各项数字。")
