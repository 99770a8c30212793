"""数据导入：上传台账，检查，预览变化，确认导入；各单位最近导入时间；导入记录与撤销。"""
import streamlit as st

from gengdi.ui import components as ui
from gengdi.ui import importer, reporting

ui.page_header_plain("数据导入")
done = st.session_state.pop("_gengdi_import_done", None)
if done:
    st.success(done, icon=":material/task_alt:")

st.subheader("1. 下载模板")
st.caption("模板含区划、耕地年度、重点项目、批而未供和闲置土地、年度任务五张表，每张表有表头（面积带单位）、示例行和下拉选项。"
           "模板的“填表说明”页写明了格式和两种导入方式；示例行导入前必须删除（否则被拒绝）。"
           "格式见 docs/台账格式.md：表头可在标题行下方，面积可用 亩、公顷 或 万亩，CSV 可为 UTF-8 或 GBK。")
st.download_button("下载台账模板（.xlsx）", importer.template_bytes(), "gengdi台账模板.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="template_dl", icon=":material/download:")

st.subheader("2. 选择导入方式，上传并检查")
if not importer.running():
    mode = importer.mode_choice()
    uploads = st.file_uploader("台账文件（.xlsx 或 .csv，可多选）", type=["xlsx", "csv"], accept_multiple_files=True,
                               key=importer.uploader_key())
    if uploads:
        files = [(u.name, u.getvalue()) for u in uploads]
        result = importer.check(files, mode)
        if result is not None:
            importer.report(result, "check")
            if result.ok and result.changed:
                st.subheader("3. 确认导入")
                st.caption("全部通过才写入；写入是原子的（中途断电或进程被杀，数据要么是导入前，要么是导入后）；"
                           "每次导入都记入下方记录，可撤销。检查和导入在单独的进程中进行，不影响其他人看板。")
                importer.confirm(files, result)
    else:
        st.caption("上传后先检查：列出每个问题（文件、工作表、行、列、值、原因），或列出将新增、修改、删除的每一行。")

st.subheader("本月报送情况")
reporting.block(expanded=True)

st.subheader("各单位最近导入时间")
table = importer.last_import_table()
if table.empty:
    ui.empty_state("库中还没有区划数据。")
else:
    st.dataframe(table, hide_index=True, width="stretch", key="last_import")

st.subheader("导入记录")
importer.history_section()
