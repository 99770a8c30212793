"""地图：按所选指标着色的地图（市内为县区边界，省和全国为各地圆点），点击查看数字或下钻。"""
import streamlit as st

from gengdi import terms, views
from gengdi.safe import md
from gengdi.ui import components as ui
from gengdi.ui import context, mapview, widgets

ctx = ui.start_page("地图")
s = ctx.summary()
names = views.names(s)
indicator = widgets.selectbox("着色指标", list(mapview.MAP_INDICATORS), key="map_ind",
                              format_func=mapview.MAP_INDICATORS.get)
left, right = st.columns([3, 2])
with right:
    code = widgets.selectbox(f"{terms.ranked_noun(ctx.by)}（也可点击地图）", ["", *names], key="map_unit",
                             format_func=lambda c: "请选择" if c == "" else names.get(c, f"（{c}）"))
with left:
    polygons = mapview.county_map(ctx, s, indicator, key="map_deck", height=480, selected=code or None,
                                  on_select=mapview.select_into("map_deck", "map_unit"))
    ui.kouqing(f"{mapview.colour_note(indicator)}；{mapview.map_note(polygons, ctx.noun)}。")
with right:
    if code in names:
        u = views.by_code(s)[code]
        st.subheader(md(u["name"]))
        ui.bullet_list(views.figures_lines(u))
        if not ctx.leaf:
            target = "所在城市" if ctx.by == "unit" else u["name"]
            st.button(f"打开{md(target)}（下钻）", key="map_drill", icon=":material/zoom_in:",
                      on_click=context.drill, args=(code, ctx.by))
    else:
        st.caption(f"点击地图上的{ctx.noun}或从上方选择，查看本月的各项数字。")
