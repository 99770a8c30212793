"""耕地保护目标：耕地和永久基本农田的年度趋势、单位表、完成率排序。"""
import streamlit as st

from gengdi import fmt, views
from gengdi import warnings as W
from gengdi.ui import components as ui
from gengdi.ui import data, widgets

ctx = ui.start_page("耕地保护目标")
s = ctx.summary()
trend = data.cultivated_trend(ctx.data_dir, ctx.key("cultivated"), ctx.scope, ctx.by)
if trend.empty or s["data_year"] is None:
    ui.empty_state(f"{ctx.city_name}在{ctx.year}年及以前没有耕地年度数据（年度国土变更调查）。")
    st.stop()

names = {"": f"{ctx.city_name}（{ctx.whole}）", **views.names(s)}
unit = widgets.selectbox("查看", list(names), key="cult_unit", format_func=names.get)
series, left_out = views.cultivated_series(trend, unit or None, s["data_year"])
left, right = st.columns(2)
with left:
    ui.chart("trend_vs_target", series, "cultivated_mu", "cultivated_target_mu", "耕地面积", "耕地保有量目标",
             f"{names[unit]} 耕地保有量", key="cult_trend")
    ui.kouqing(f"年度国土变更调查（每年12月31日），{series['year'].min()}–{series['year'].max()}年；阴影为与目标之差，红色为缺口。"
               + (f"{fmt.years_text(left_out)}有县区未报数据，合计不可比，未画出。" if left_out else ""))
with right:
    ui.chart("trend_vs_target", series, "basic_farmland_mu", "basic_farmland_target_mu", "永久基本农田", "保护任务",
             f"{names[unit]} 永久基本农田", key="farm_trend")
    ui.kouqing(f"永久基本农田面积与保护任务；{ctx.whole}为所辖县区之和。")

st.subheader(f"{s['data_year']}年度各{ctx.noun}完成情况")
which = widgets.segmented("指标", ["cultivated", "basic_farmland"], key="cult_which", default="cultivated",
                          format_func={"cultivated": "耕地保有量", "basic_farmland": "永久基本农田"}.get)
table = views.cultivated_table(s, which)
st.dataframe(
    table.style.map(lambda v: W.cell_css(W.RED) if v is not None and v == v and v < 100 else "", subset=["完成率"]),
    hide_index=True, width="stretch", key="cult_table",
    column_config={
        "面积(亩)": st.column_config.NumberColumn(format="%.2f"),
        "目标(亩)": st.column_config.NumberColumn(format="%.2f"),
        "完成率": st.column_config.NumberColumn(format="%.2f%%"),
        "缺口(亩)": st.column_config.NumberColumn(format="%+.2f", help="面积 − 目标，负数为未完成"),
        "较上年增减(亩)": st.column_config.NumberColumn(format="%+.2f"),
    })
ui.kouqing("完成率 = 面积 ÷ 目标；缺口 = 面积 − 目标；较上年增减 = 本年度 − 上年度；红色为未完成目标（低于100%）。"
           + (f"{ctx.whole}较上年{fmt.wan_mu_change(s['city']['cultivated_change_mu'])}：{s['city']['cultivated_change_note']}。"
              if s["city"].get("cultivated_change_note") else ""))

rate_key = f"{which}_rate"
bars, n_all = views.most_and_least(views.unit_rates(s, rate_key), "rate")
if len(bars) < n_all:
    st.caption(f"共 {n_all:,} 个{ctx.noun}，图中为完成率最低和最高的各 {len(bars) // 2} 个。")
ui.chart("rate_bars", bars, 1.0, "100%", f"{'耕地保有量目标' if which == 'cultivated' else '永久基本农田保护任务'}完成率（由低到高）", key="cult_bars")
ui.level_legend()
ui.kouqing(f"{s['data_year']}年度；虚线为100%，低于即为未完成目标（红色）。")
