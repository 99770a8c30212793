"""总览：本月 KPI、变化、前三位后三位、红色预警、小地图。"""
import streamlit as st

from gengdi import fmt, narrative, tasks, terms, views
from gengdi.safe import md
from gengdi.ui import components as ui
from gengdi.ui import highlights, mapview, reporting

ctx = ui.start_page("总览")
s = ctx.summary()
prev = ctx.previous_summary()
c, p = s["city"], prev["city"]
highlights.block(ctx, s, extra=tasks.highlight_lines(s))

st.subheader("本月指标")
cols = st.columns(5)
with cols[0]:
    ui.kpi(f"耕地（{s['data_year'] or '—'}年度）", fmt.wan_mu(c["cultivated_mu"]),
           delta=views.delta_wan_mu(c["cultivated_change_mu"]),
           note=f"目标 {fmt.wan_mu(c['cultivated_target_mu'])}，完成率 {fmt.pct(c['cultivated_rate'])}；增减较上年"
           + (f"（{c['cultivated_change_note']}）" if c.get("cultivated_change_note") else ""),
           help="耕地保有量，取年度国土变更调查数据")
with cols[1]:
    ui.kpi(f"永久基本农田（{s['data_year'] or '—'}年度）", fmt.wan_mu(c["basic_farmland_mu"]),
           note=f"任务 {fmt.wan_mu(c['basic_farmland_target_mu'])}，完成率 {fmt.pct(c['basic_farmland_rate'])}")
with cols[2]:
    ui.kpi("重点项目用地保障率", fmt.pct(c["projects_rate"]), delta=views.delta_pp(c["projects_rate"], p["projects_rate"]),
           note=f"已保障 {c['projects_guaranteed']:,}/{c['projects_total']:,} 个；增减较上月")
with cols[3]:
    ui.kpi("批而未供处置率", fmt.pct(c["unsupplied_rate"]), delta=views.delta_pp(c["unsupplied_rate"], p["unsupplied_rate"]),
           note=f"已处置 {fmt.mu(c['unsupplied_disposed_mu'])}／{fmt.mu(c['unsupplied_mu'])}")
with cols[4]:
    ui.kpi("闲置土地处置率", fmt.pct(c["idle_rate"]), delta=views.delta_pp(c["idle_rate"], p["idle_rate"]),
           note=f"已处置 {fmt.mu(c['idle_disposed_mu'])}／{fmt.mu(c['idle_mu'])}")
cats = list(c["projects_by_category"].items())
if cats:
    cat_cols = st.columns(len(cats))
    for col, (cat, f) in zip(cat_cols, cats):
        before = p["projects_by_category"].get(cat, {})
        with col:
            ui.kpi(f"{cat}项目保障率", fmt.pct(f["rate"]), delta=views.delta_pp(f["rate"], before.get("rate")),
                   note=f"已保障 {f['guaranteed']:,}/{f['total']:,} 个")
st.markdown(f"**{md(narrative.changes(s, prev))}**")
ui.kouqing(f"耕地取{s['data_year'] or '—'}年度变更调查数据；保障率、处置率为{ctx.year}年清单截至{ctx.as_of_label}的累计数，"
           f"{ctx.whole}及各{ctx.noun}均为所辖县区分子之和÷分母之和；变化与上月末比较。")
reporting.block(ctx)
if not ctx.leaf:
    st.subheader(f"各{ctx.noun}综合排名")
    ui.drill_table(ctx, s["units"], key="overview_drill")

left, right = st.columns(2)
top, bottom = views.top_bottom(s)
with left:
    st.subheader(terms.RANKING + terms.TOP)
    ui.bullet_list([views.rank_line(u) for u in top])
with right:
    st.subheader(terms.RANKING + terms.BOTTOM)
    ui.bullet_list([views.rank_line(u) for u in bottom])

st.subheader(terms.RED)
reds = views.red_lines(s)
if reds:
    ui.bullet_list(reds)
else:
    st.success(f"本月没有{terms.RED}。")

st.subheader(f"{ctx.noun}综合得分分布")
drillable = not ctx.leaf
map_key = ui.drill_key(ctx, "overview_map")
polygons = mapview.county_map(ctx, s, "composite_score", key=map_key, height=360,
                              on_select=mapview.drill_into(map_key) if drillable else None)
ui.kouqing(f"颜色按{ctx.month_label}综合得分等距分5级；{mapview.map_note(polygons, ctx.noun)}；"
           + ("点击圆点即打开该地（下钻）；" if drillable else "")
           + "“地图”页可换指标、点选查看数字。")
