"""gengdi 看板入口。"""
import streamlit as st

st.set_page_config(page_title="耕地保护和用地保障看板", page_icon="🌾", layout="wide")
st.title("耕地保护和用地保障看板")
st.write("页面建设中。")
