"""批而未供和闲置土地处置：处置进度（按月、按周）、各单位处置情况、处置方式、地块清单。"""
import streamlit as st

from gengdi import fmt, progress, views
from gengdi.ui import components as ui
from gengdi.ui import data, pace, widgets

ctx = ui.start_page("批而未供和闲置土地处置")
s = ctx.summary()
c = s["city"]
bases = data.approval_years(ctx.data_dir, ctx.key("parcels"), ctx.scope, ctx.year)
if bases.empty:
    ui.empty_state(f"{ctx.city_name}没有{ctx.year}年度的处置任务清单。")
    st.stop()

base_text = views.base_line(bases, ctx.year)
st.markdown(f"**处置基数：** {base_text}")

cols = st.columns(2)
with cols[0]:
    ui.kpi("批而未供土地处置率", fmt.pct(c["unsupplied_rate"]),
           note=f"已处置 {fmt.mu(c['unsupplied_disposed_mu'], 2)}／{fmt.mu(c['unsupplied_mu'], 2)}")
with cols[1]:
    ui.kpi("闲置土地处置率", fmt.pct(c["idle_rate"]),
           note=f"已处置 {fmt.mu(c['idle_disposed_mu'], 2)}／{fmt.mu(c['idle_mu'], 2)}")

st.subheader("处置进度")
freq = widgets.segmented("统计周期", ["month", "week"], key="disp_freq", default="month",
                         format_func={"month": "按月", "week": "按周（周通报）"}.get)
by_month = freq == "month"
ends = progress.month_ends(ctx.year, ctx.as_of) if by_month else progress.week_ends(ctx.year, ctx.as_of)
curve, changes = data.disposal_curve(ctx.data_dir, ctx.key("parcels"), ctx.scope, tuple(ends), by_month)
guides = progress.pace_guides(s, {"批而未供": ("unsupplied_rate", "unsupplied_mu"), "闲置土地": ("idle_rate", "idle_mu")},
                              ends, by_month)
ui.chart("progress_lines", curve, x_is_month=by_month, guides=guides, key="disp_curve")
ui.kouqing(f"处置率 = 处置日期不晚于各期末的处置面积之和 ÷ {ctx.year}年任务清单面积之和；"
           + ("按月末统计。" if by_month else f"每7天一期，截至{ctx.as_of_label}。")
           + ("虚线为年度任务（任务面积 ÷ 清单面积），点划线为按时间进度应完成的进度。" if guides else ""))
with st.expander("逐期数字"):
    st.dataframe(changes, hide_index=True, width="stretch", key="disp_curve_table")

st.subheader(f"各{ctx.noun}处置情况（截至{ctx.as_of_label}）")
kind = widgets.segmented("类型", ["unsupplied", "idle"], key="disp_kind", default="unsupplied",
                         format_func={"unsupplied": "批而未供", "idle": "闲置土地"}.get)
left, right = st.columns(2)
with left:
    ui.chart("disposal_by_unit", views.largest(views.unit_disposal(s, kind), "base_mu"), "已处置／未处置面积",
             "批而未供" if kind == "unsupplied" else "闲置土地", key="disp_units")
with right:
    bars, n_all = views.most_and_least(views.unit_rates(s, f"{kind}_rate"), "rate")
    if len(bars) < n_all:
        st.caption(f"共 {n_all:,} 个{ctx.noun}，左图为任务面积最大的 30 个，右图为处置率最低和最高的各 {len(bars) // 2} 个。")
    ui.chart("rate_bars", bars, c[f"{kind}_rate"], f"{ctx.whole} {fmt.pct(c[f'{kind}_rate'])}", "处置率", key="disp_rates")
    ui.level_legend()
ui.kouqing(f"{ctx.year}年任务清单；没有{'闲置土地' if kind == 'idle' else '批而未供土地'}的{ctx.noun}处置率为空（—），不参与排名。")
pace.task_section(ctx, s, f"{kind}_rate", key="disp_tasks")

st.subheader("按处置方式")
methods = data.disposal_methods(ctx.data_dir, ctx.key("parcels"), ctx.scope, ctx.year, ctx.as_of)
if methods.empty:
    ui.empty_state(f"截至{ctx.as_of_label}还没有处置记录。")
else:
    ui.chart("disposal_methods", methods, key="disp_methods")
    ui.kouqing("截至所选日期已处置的面积，按处置方式（供地、收回、置换、动工开发、撤回批文等）。")

st.subheader("地块清单")
names = views.names(s)
f1, f2 = st.columns([3, 2])
with f1:
    units = widgets.multiselect(ctx.noun, list(names), key="disp_units_f", format_func=names.get, placeholder=f"全部{ctx.noun}")
with f2:
    types = widgets.multiselect("类型", ["批而未供", "闲置土地"], key="disp_types", placeholder="全部类型")
query = (ctx.data_dir, ctx.key("parcels"), ctx.scope, ctx.year, ctx.as_of, ctx.by, tuple(units), tuple(types))
rows, total = data.parcel_rows(*query, ui.LIST_ROWS)
st.caption(f"共 {total:,} 宗，未处置的在前。" + (f"表格显示前 {len(rows):,} 宗，完整清单请下载。" if total > len(rows) else ""))
if rows.empty:
    ui.empty_state("没有符合筛选条件的地块。")
else:
    st.dataframe(rows, hide_index=True, width="stretch", height=420, key="disp_list",
                 column_config={"面积(亩)": st.column_config.NumberColumn(format="%.2f"),
                                "处置面积(亩)": st.column_config.NumberColumn(format="%.2f"),
                                "批准年度": st.column_config.NumberColumn(format="%d")})
    ui.list_downloads(lambda: data.parcel_rows_all(*query)[0], f"{ctx.city_name}{ctx.year}年处置任务地块_截至{ctx.as_of.isoformat()}",
                      f"{ctx.city_name}{ctx.year}年批而未供和闲置土地处置任务地块（截至{ctx.as_of_label}）",
                      key="disp_list_dl", note=f"口径：{base_text}；处置日期不晚于截至日的计为已处置。",
                      formats={"面积(亩)": "#,##0.00", "处置面积(亩)": "#,##0.00"}, total=total)
