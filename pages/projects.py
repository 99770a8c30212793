"""重点项目用地保障：全年累计保障率曲线、各单位保障率、项目清单。"""
import streamlit as st

from gengdi import fmt, progress, views
from gengdi import warnings as W
from gengdi.ui import components as ui
from gengdi.ui import data, pace, widgets

ctx = ui.start_page("重点项目用地保障")
s = ctx.summary()
c = s["city"]
if not c["projects_total"]:
    ui.empty_state(f"{ctx.city_name}没有{ctx.year}年度的重点项目清单。")
    st.stop()

st.subheader(f"{ctx.year}年累计保障率")
this_year, changes = data.guarantee_curve(ctx.data_dir, ctx.key("projects"), ctx.scope,
                                          tuple(progress.month_ends(ctx.year, ctx.as_of)))
last_year, _ = data.guarantee_curve(ctx.data_dir, ctx.key("projects"), ctx.scope, tuple(progress.month_ends(ctx.year - 1)))
month_ends = progress.month_ends(ctx.year, ctx.as_of)
guides = progress.pace_guides(s, {"全部": ("projects_rate", "projects_total")}, month_ends)
ui.chart("progress_lines", this_year, last_year, this_label=f"{ctx.year}年", last_label=f"{ctx.year - 1}年",
         guides=guides, key="proj_curve")
ui.kouqing(f"保障率 = 年度清单中用地保障日期不晚于各月末的项目数 ÷ 清单项目数；实线为{ctx.year}年清单"
           f"（{c['projects_total']}个），虚线为{ctx.year - 1}年清单同期" + ("" if not last_year.empty else "（无数据）") + "。"
           + ("长虚线为保障率目标，点划线为按时间进度应达到的保障率（目标 × 时间进度）。" if guides else ""))
with st.expander("逐月数字"):
    st.dataframe(changes, hide_index=True, width="stretch", key="proj_curve_table")

st.subheader(f"各{ctx.noun}保障率（截至{ctx.as_of_label}）")
bars, n_all = views.most_and_least(views.unit_rates(s, "projects_rate"), "rate")
if len(bars) < n_all:
    st.caption(f"共 {n_all:,} 个{ctx.noun}，图中为保障率最低和最高的各 {len(bars) // 2} 个。")
ui.chart("rate_bars", bars, c["projects_rate"], f"{ctx.whole} {fmt.pct(c['projects_rate'])}", key="proj_bars")
ui.level_legend()
ui.kouqing(f"{ctx.year}年清单；虚线为{ctx.whole}保障率（所辖县区已保障数之和 ÷ 清单数之和）；颜色按预警线（{W.lines_text('projects_rate')}）。")
matrix = views.category_matrix(s, ctx.whole)
st.dataframe(matrix, hide_index=True, width="stretch", height=min(36 * (len(matrix) + 1) + 3, 560), key="proj_matrix")
ui.kouqing(f"各{ctx.noun}分类别的已保障数/清单数和保障率。")
pace.task_section(ctx, s, "projects_rate", key="proj_tasks")

st.subheader("项目清单")
names = views.names(s)
f1, f2 = st.columns(2)
with f1:
    units = widgets.multiselect(ctx.noun, list(names), key="proj_units", format_func=names.get, placeholder=f"全部{ctx.noun}")
with f2:
    cats = widgets.multiselect("项目类别", list(c["projects_by_category"]), key="proj_cats", placeholder="全部类别")
status = widgets.segmented("状态", ["全部", "未保障", "已保障"], key="proj_status", default="全部")
query = (ctx.data_dir, ctx.key("projects"), ctx.scope, ctx.year, ctx.as_of, ctx.by, tuple(units), tuple(cats), status)
rows, total = data.project_rows(*query, ui.LIST_ROWS)
st.caption(f"共 {total:,} 个项目，未保障的在前；“年初至今”为{ctx.year}年1月1日至{ctx.as_of_label}的天数。"
           + (f"表格显示前 {len(rows):,} 个，完整清单请下载。" if total > len(rows) else ""))
if rows.empty:
    ui.empty_state("没有符合筛选条件的项目。")
else:
    st.dataframe(rows, hide_index=True, width="stretch", height=420, key="proj_list",
                 column_config={"用地面积(亩)": st.column_config.NumberColumn(format="%.2f")})
    ui.list_downloads(lambda: data.project_rows_all(*query)[0], f"{ctx.city_name}{ctx.year}年重点项目清单_截至{ctx.as_of.isoformat()}",
                      f"{ctx.city_name}{ctx.year}年重点项目用地保障清单（截至{ctx.as_of_label}）", key="proj_list_dl",
                      note="口径：用地保障日期不晚于截至日的为已保障。", formats={"用地面积(亩)": "#,##0.00"}, total=total)
