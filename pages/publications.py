"""通报：发布的通报（固定链接 ?pub=编号 打开发布时的数据），通报存档，推送订阅（管理员）。"""
from gengdi.ui import publish

publish.page()
