"""Streamlit's own English, in Chinese.

Streamlit has no setting for the language of its own controls (the ⋮ menu, the file uploader, the
date picker, the table toolbar, the "Page not found" dialog, ``<html lang="en">``). A small script
watches the page and replaces those exact strings (whole text nodes, and the title / aria-label /
placeholder attributes) by the Chinese below; nothing else on the page is touched.
"""
from __future__ import annotations

import json

import streamlit as st

# exact strings (a whole text node or attribute, trimmed)
EXACT: dict[str, str] = {
    "Page not found": "页面不存在",
    "Skip to main content": "跳到主要内容",
    "Print": "打印", "Record a screencast": "录屏", "Record screen": "录屏", "Stop recording": "停止录屏",
    "Settings": "设置", "Rerun": "重新运行", "Clear cache": "清除缓存", "About": "关于",
    "Developer options": "开发者选项", "Deploy": "部署", "Main menu": "主菜单",
    "Made with Streamlit": "由 Streamlit 制作",
    "Upload": "上传", "Browse files": "选择文件", "Drag and drop file here": "将文件拖到此处",
    "Drag and drop files here": "将文件拖到此处", "Drag and drop a file here": "将文件拖到此处",
    "Stop": "停止", "Running...": "运行中…", "No results": "无结果", "No options to select.": "没有可选项",
    "Choose an option": "请选择", "Choose options": "请选择", "Close": "关闭", "Clear all": "全部清除",
    "Press Enter to apply": "按回车键确认", "Press Enter to submit form": "按回车键提交",
    "Copy to clipboard": "复制", "Copied to clipboard": "已复制",
    "Download as CSV": "下载 CSV", "Search": "搜索", "Fullscreen": "全屏", "View fullscreen": "全屏查看",
    "Exit fullscreen": "退出全屏", "Close fullscreen": "退出全屏", "Show/hide columns": "显示或隐藏列",
    "Previous month.": "上个月", "Next month.": "下个月", "Previous month": "上个月", "Next month": "下个月",
    "Choose a date": "选择日期", "YYYY-MM-DD": "年-月-日", "YYYY/MM/DD": "年/月/日",
    "January": "1月", "February": "2月", "March": "3月", "April": "4月", "May": "5月", "June": "6月",
    "July": "7月", "August": "8月", "September": "9月", "October": "10月", "November": "11月", "December": "12月",
    "Su": "日", "Mo": "一", "Tu": "二", "We": "三", "Th": "四", "Fr": "五", "Sa": "六",
    "Sunday": "星期日", "Monday": "星期一", "Tuesday": "星期二", "Wednesday": "星期三", "Thursday": "星期四",
    "Friday": "星期五", "Saturday": "星期六",
    "Increment": "加", "Decrement": "减", "Open": "打开",
    "yyyy": "年", "mm": "月", "dd": "日",   # the date field's empty segments
}
# (regular expression, replacement) for strings with a value inside
PATTERNS: list[tuple[str, str]] = [
    (r"^Limit (\S+) per file(.*)$", "每个文件不超过 $1$2"),
    (r"^(\S+) per file(.*)$", "每个文件不超过 $1$2"),
    (r"^You have requested page /(.*), but no corresponding file was found in the app's pages/ directory\."
     r"( Running the app's main page\.)?$", "链接中的页面“$1”不存在，已打开总览。"),
    (r"^Made with Streamlit.*$", ""),
    (r"^Help for (.+)$", "$1：说明"),
]
# the strings the browser test checks are not visible on any page
CHECKED = [*(k for k in EXACT if len(k) > 3 and k not in ("Open", "About", "Close", "Search", "Settings")),
           "per file", "Page not found", "Made with Streamlit", "Help for"]

_SCRIPT = """
<script>
(function() {
  var W = window.parent && window.parent !== window ? window : window;
  if (W.__gdChinese) return; W.__gdChinese = true;
  var EXACT = %s, PATTERNS = %s.map(function(p) { return [new RegExp(p[0]), p[1]]; });
  function tr(s) {
    var t = s.trim(); if (!t) return null;
    if (Object.prototype.hasOwnProperty.call(EXACT, t)) return s.replace(t, EXACT[t]);
    for (var i = 0; i < PATTERNS.length; i++) if (PATTERNS[i][0].test(t)) return s.replace(t, t.replace(PATTERNS[i][0], PATTERNS[i][1]));
    return null;
  }
  var ATTRS = ['title', 'aria-label', 'placeholder'];
  function fix(node) {
    if (node.nodeType === 3) { var r = tr(node.nodeValue); if (r !== null && r !== node.nodeValue) node.nodeValue = r; return; }
    if (node.nodeType !== 1) return;
    if (node.closest && node.closest('[data-testid=stIconMaterial], .gd-hl, .gd-cards, code, pre, textarea')) return;
    for (var a = 0; a < ATTRS.length; a++) { var v = node.getAttribute(ATTRS[a]); if (v) { var r2 = tr(v); if (r2 !== null && r2 !== v) node.setAttribute(ATTRS[a], r2); } }
    var w = document.createTreeWalker(node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    var n; while ((n = w.nextNode())) {
      if (n.nodeType === 3) { var p = n.parentElement; if (p && p.closest('[data-testid=stIconMaterial], .gd-hl, .gd-cards, code, pre, textarea')) continue; var r3 = tr(n.nodeValue); if (r3 !== null && r3 !== n.nodeValue) n.nodeValue = r3; }
      else for (var b = 0; b < ATTRS.length; b++) { var v2 = n.getAttribute(ATTRS[b]); if (v2) { var r4 = tr(v2); if (r4 !== null && r4 !== v2) n.setAttribute(ATTRS[b], r4); } }
    }
  }
  document.documentElement.lang = 'zh-CN';
  fix(document.body);
  new MutationObserver(function(ms) {
    if (document.documentElement.lang !== 'zh-CN') document.documentElement.lang = 'zh-CN';
    ms.forEach(function(m) {
      if (m.type === 'characterData') fix(m.target);
      else if (m.type === 'attributes') fix(m.target);
      else m.addedNodes.forEach(fix);
    });
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true, attributes: true,
                                         attributeFilter: ['title', 'aria-label', 'placeholder', 'lang']});
})();
</script>
"""


def install() -> None:
    """Put the translating script on the page (once per browser tab; later calls do nothing)."""
    st.html(_SCRIPT % (json.dumps(EXACT, ensure_ascii=False), json.dumps(PATTERNS)), unsafe_allow_javascript=True)
