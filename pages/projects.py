"""重点项目用地保障：全年累计保障率曲线、各单位保障率、项目清单。"""
import streamlit as st

from gengdi import charts, fmt, progress, views
from gengdi.ui import components as ui
from gengdi.ui import data, widgets

ctx = ui.start_page("重点项目用地保障")
s = ctx.summary()
c = s["city"]
if not c["projects_total"]:
    ui.empty_state(f"{ctx.city_name}没有{ctx.year}年度的重点项目清单。")
    st.stop()

st.subheader(f"{ctx.year}年累计保障率")
this_year = progress.guarantee_curve(data.projects_progress(
    ctx.data_dir, ctx.version, ctx.city, ctx.year, tuple(progress.month_ends(ctx.year, ctx.as_of))))
last_year = progress.guarantee_curve(data.projects_progress(
    ctx.data_dir, ctx.version, ctx.city, ctx.year - 1, tuple(progress.month_ends(ctx.year - 1))))
st.plotly_chart(charts.progress_lines(this_year, last_year, this_label=f"{ctx.year}年", last_label=f"{ctx.year - 1}年"),
                key="proj_curve", config={"displayModeBar": False})
ui.kouqing(f"保障率 = 年度清单中用地保障日期不晚于各月末的项目数 ÷ 清单项目数；实线为{ctx.year}年清单"
           f"（{c['projects_total']}个），虚线为{ctx.year - 1}年清单同期" + ("" if not last_year.empty else "（无数据）") + "。")
with st.expander("逐月数字"):
    st.dataframe(progress.change_table(this_year), hide_index=True, width="stretch", key="proj_curve_table")

st.subheader(f"各单位保障率（截至{ctx.as_of_label}）")
bars = views.unit_rates(s, "projects_rate")
st.plotly_chart(charts.rate_bars(bars, c["projects_rate"], f"全市 {fmt.pct(c['projects_rate'])}"),
                key="proj_bars", config={"displayModeBar": False})
ui.level_legend()
ui.kouqing(f"{ctx.year}年清单；虚线为全市保障率（各单位已保障数之和 ÷ 清单数之和）；颜色按预警线（低于85%红色，低于90%黄色）。")
matrix = views.category_matrix(s)
st.dataframe(matrix, hide_index=True, width="stretch", height=36 * (len(matrix) + 1) + 3, key="proj_matrix")
ui.kouqing("各单位分类别的已保障数/清单数和保障率。")

st.subheader("项目清单")
projects = data.project_list(ctx.data_dir, ctx.version, ctx.city, ctx.year, ctx.as_of)
names = views.names(s)
f1, f2 = st.columns(2)
with f1:
    units = widgets.multiselect("单位", list(names), key="proj_units", format_func=names.get, placeholder="全部单位")
with f2:
    cats = widgets.multiselect("项目类别", list(c["projects_by_category"]), key="proj_cats", placeholder="全部类别")
status = widgets.segmented("状态", ["全部", "未保障", "已保障"], key="proj_status", default="全部")
rows = views.project_rows(views.filter_list(projects, units, "category", cats), ctx.year, ctx.as_of, status)
st.caption(f"共 {len(rows)} 个项目，未保障的在前；“年初至今”为{ctx.year}年1月1日至{ctx.as_of_label}的天数。")
if rows.empty:
    ui.empty_state("没有符合筛选条件的项目。")
else:
    st.dataframe(rows, hide_index=True, width="stretch", height=420, key="proj_list",
                 column_config={"用地面积(亩)": st.column_config.NumberColumn(format="%.2f")})
    ui.list_downloads(rows, f"{ctx.city_name}{ctx.year}年重点项目清单_截至{ctx.as_of.isoformat()}",
                      f"{ctx.city_name}{ctx.year}年重点项目用地保障清单（截至{ctx.as_of_label}）", key="proj_list_dl",
                      note="口径：用地保障日期不晚于截至日的为已保障。", formats={"用地面积(亩)": "#,##0.00"})
