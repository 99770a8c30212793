"""县区排名：本月排名表（单项、综合、较上月），颜色与原因。"""
import streamlit as st

from gengdi import metrics as M
from gengdi import views
from gengdi.ui import components as ui
from gengdi.ui.context import current

ctx = current()
if ctx is None:
    ui.no_data_page("县区排名")
    st.stop()

ui.page_header(ctx, "县区排名")
s = ctx.summary()
if not s["units"]:
    ui.empty_state(f"{ctx.city_name}没有县级单位。")
    st.stop()

st.subheader(f"{ctx.month_label}综合排名")
ui.ranking_table(s["units"])
ui.level_legend()
st.caption("单元格颜色为预警等级，鼠标悬停可见原因；括号内为单项排名；较上月：↑上升、↓下降。")
ui.kouqing(f"截至{ctx.as_of_label}；耕地取{s['data_year'] or '—'}年度数据；默认权重：{views.weights_line(M.DEFAULT_WEIGHTS)}。")

with st.expander("综合得分怎么算", expanded=False):
    st.markdown(M.COMPOSITE_RULE)

st.subheader("预警说明")
reds = views.red_lines(s)
if reds:
    ui.bullet_list(reds)
else:
    st.success("本月没有红色预警。")
