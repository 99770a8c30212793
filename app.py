"""gengdi 看板入口：页面配置、导航、共用筛选。"""
from pathlib import Path

import streamlit as st

from gengdi.auth import ADMIN
from gengdi.ui import auth, busy, docs, widgets
from gengdi.ui.context import require_store, sidebar_filters

st.set_page_config(page_title="耕地保护和用地保障看板", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"), layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/cultivated.py", title="耕地保护目标", icon=":material/agriculture:", url_path="cultivated"),
    st.Page("pages/projects.py", title="重点项目用地保障", icon=":material/apartment:", url_path="projects"),
    st.Page("pages/disposal.py", title="批而未供和闲置土地处置", icon=":material/landscape:", url_path="disposal"),
    st.Page("pages/ranking.py", title="综合排名", icon=":material/leaderboard:", url_path="ranking"),
    st.Page("pages/map.py", title="地图", icon=":material/map:", url_path="map"),
    st.Page("pages/publications.py", title="通报", icon=":material/campaign:", url_path="publications"),
]
ADMIN_PAGES = [
    st.Page("pages/data_import.py", title="数据导入", icon=":material/upload_file:", url_path="data_import"),
]

widgets.begin_run()
require_store()  # a CURRENT naming a missing version: a Chinese error, no figure
role = auth.gate(PAGES)  # stops here, with the sign-in form, until signed in (admin pages never registered before)
st.session_state["_gengdi_signed_role"] = role
page = st.navigation(PAGES + (ADMIN_PAGES if role == ADMIN else []))
st.session_state["_gengdi_page"] = "" if page.url_path == PAGES[0].url_path else page.url_path
ctx = sidebar_filters()
auth.sign_out_control(role)
with busy.admitted(ctx):  # a few runs at a time; the others see a Chinese note while they wait
    page.run()
docs.footer(page.url_path)  # docs/口径.md (台账格式.md on the import page) at the foot of the page
widgets.finish_run([p.url_path for p in PAGES + ADMIN_PAGES])
