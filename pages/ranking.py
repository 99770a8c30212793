"""综合排名：本月排名（单项、综合、较上月、连续情况），权重与预警线，情景模拟，排名走势，导出。"""
import streamlit as st

from gengdi import export, tasks, terms, views
from gengdi import metrics as M
from gengdi.ranking import streak_text, streaks
from gengdi.safe import md
from gengdi.ui import components as ui
from gengdi.ui import cards, controls, data, highlights, notices, pace, publish, reporting, share, widgets

ctx = ui.start_page(terms.RANKING)
base = ctx.summary()
if not base["units"]:
    ui.empty_state(f"{ctx.city_name}没有可排名的{ctx.noun}。")
    st.stop()
names = views.names(base)

top = st.container()  # 本月要点 and the ranking first; the settings and 情景模拟 below them
settings, thresholds = controls.ranking_settings(list(base["city"]["projects_by_category"]), names)
whatif = controls.whatif_controls(names)
pace.goal_seek_block(base, whatif.unit)
s = ctx.summary(settings=settings)
with st.spinner(f"正在计算{ctx.year}年各月的{terms.RANKING}，请稍候……"):
    history = data.rank_history(ctx.data_dir, ctx.all, ctx.scope, ctx.as_of, settings, ctx.by)
taking_part = [u for u in s["units"] if u["composite_rank"] is not None]
streak = streaks([ranks for _, ranks in history], len(taking_part))

with top:
    share.changes_banner()
    highlights.block(ctx, s, thresholds, extra=tasks.highlight_lines(s))
    highlights.needs(s, whatif, thresholds)
    if whatif.active:
        sim = ctx.summary(settings=settings, whatif=whatif)
        st.subheader(f"{ctx.month_label}情景模拟排名 · 模拟")
        st.warning("以下为情景模拟（模拟）结果，只在本页显示，不会保存；点“恢复实际”回到实际数据。", icon=":material/science:")
        st.dataframe(views.whatif_compare(s, sim), hide_index=True, width="stretch", key="sim_compare",
                     column_config={"实际得分": st.column_config.NumberColumn(format="%.2f"),
                                    "模拟得分": st.column_config.NumberColumn(format="%.2f")})
        below = views.newly_below(s, sim)
        if below:
            st.error(md("目标调整后将低于目标：" + "；".join(below)), icon=":material/warning:")
        actual_ranks = {u["code"]: u["composite_rank"] for u in s["units"]}
        cards.ranking_cards(sim["units"], thresholds, compare=actual_ranks, test_id="gd-cards-sim")
        ui.ranking_table(sim["units"], thresholds, test_id="gd-ranking-sim", compare=actual_ranks)
        ui.kouqing("模拟：在实际数据上叠加上面的调整后重新计算完成率、单项排名和综合得分；“较实际”为与实际综合排名相比。")
        sim_tasks = pace.simulated_task_lines(sim, whatif.unit)
        if sim_tasks:
            st.markdown("**模拟后的年度任务进度**")
            ui.bullet_list(sim_tasks)

    st.subheader(f"{ctx.month_label}{'' if ctx.leaf else '各' + ctx.noun}综合排名" + ("（实际）" if whatif.active else ""))
    if ctx.leaf:
        notes = {c: streak_text(v) for c, v in streak.items()}
        cards.ranking_cards(s["units"], thresholds, notes=notes)
        ui.ranking_table(s["units"], thresholds, notes=notes)
        ui.level_legend()
        st.caption(f"单元格颜色为预警等级，鼠标悬停可见原因（手机上原因直接写在每张卡片里）；括号内为单项排名；"
                   "较上月：↑上升、↓下降；未参与排名的{terms.ranked_noun(ctx.by)}无名次。")
    else:
        ui.drill_table(ctx, s["units"], key="ranking_drill", thresholds=thresholds)
        ui.level_legend()
    ui.kouqing(f"截至{ctx.as_of_label}；耕地取{s['data_year'] or '—'}年度数据；权重：{views.weights_line(settings.weight_map)}"
               + ("" if settings.categories is None else f"；保障率只计{('、'.join(settings.categories))}") + "。")
    reporting.block(ctx)
with st.expander("综合得分怎么算"):
    st.markdown(M.COMPOSITE_RULE)
    st.markdown(f"默认权重：{views.weights_line(M.DEFAULT_WEIGHTS)}。")

good, bad = views.honour_lists(s, streak, thresholds)
left, right = st.columns(2)
with left:
    st.subheader(terms.TOP)
    ui.bullet_list(good)
with right:
    st.subheader(terms.BOTTOM)
    ui.bullet_list(bad)

st.subheader(terms.RED)
reds = views.red_lines(s, thresholds)
if reds:
    ui.bullet_list(reds)
else:
    st.success(f"本月没有{terms.RED}。")

st.subheader(f"{ctx.year}年综合排名走势")
unit = widgets.selectbox(terms.ranked_noun(ctx.by), views.lowest_first(s), key="trend_unit", format_func=names.get)  # lowest-ranked by default
trend = views.rank_trend(history, unit, ctx.year)
if trend.empty:
    ui.empty_state(f"{names[unit]}在{ctx.year}年没有综合排名。")
else:
    ui.chart("rank_trend", trend, len(taking_part), f"{names[unit]} 每月综合排名", key="rank_trend")
    ui.kouqing("各月末的综合排名（按当前权重、类别和参与排名的范围计算），1为最好。")

st.subheader("导出")
if whatif.active:
    st.warning("下载的排名表和通报都是实际数字，不含上面的情景模拟。", icon=":material/info:")
stem = f"{ctx.city_name}{ctx.noun}{terms.RANKING}_{ctx.as_of.isoformat()}"
note = "示例数据：县级数字为合成数据。" if ctx.demo else None
c1, c2, c3, c4 = st.columns(4)
notice = notices.builder(ctx, s, thresholds, settings)
with c3:
    notices.pdf_button(notice, f"{ctx.city_name}{ctx.month_label}通报.pdf")
with c4:
    notices.docx_button(notice, f"{ctx.city_name}{ctx.month_label}通报.docx")
with c1:
    st.download_button("下载 Excel（.xlsx）", lambda: export.ranking_workbook(
        s, thresholds, note=note), f"{stem}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="rank_xlsx", icon=":material/table:")
with c2:
    st.download_button("下载 CSV", lambda: export.csv_bytes(export.ranking_frame(s)), f"{stem}.csv", mime="text/csv",
                       key="rank_csv", icon=":material/download:")

publish.publish_block(ctx, settings, thresholds)
