"""The 本月报送情况 block (总览, 综合排名, 数据导入): names for everyone, time/file/who for admins."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from .. import auth
from .. import reporting as R
from . import data
from .context import Context, current

NAMES_SHOWN = 60


def is_admin() -> bool:
    """The run's role from the sign-in gate (open mode and demo stores give viewers: issue 19)."""
    return st.session_state.get("_gengdi_signed_role") == auth.ADMIN


def frame(ctx: Context) -> pd.DataFrame:
    """The report status of every county-level unit in the view's scope for the view's month."""
    return _frame(ctx.data_dir, ctx.all, ctx.scope, ctx.as_of.year, ctx.as_of.month)


@st.cache_data(show_spinner=False, max_entries=64)
def _frame(data_dir: str, key: str, scope, year: int, month: int) -> pd.DataFrame:
    """(cached per store version: an import or a rollback changes ``key``)"""
    units = R.scope_units(data.areas(data_dir, key), scope)
    return R.status(data_dir, units, year, month)


@st.cache_data(show_spinner=False, max_entries=64)
def _parts(data_dir: str, key: str, scope, year: int, month: int) -> dict | None:
    """What the block shows, computed once per store version, scope and month (a rerun only draws it)."""
    df = _frame(data_dir, key, scope, year, month)
    if df.empty:
        return None
    done, missing = df[df["reported"]], df[~df["reported"]]
    by_city = None
    if scope.level != "city":
        by_city = df.groupby("city_name", sort=False)["reported"].agg(["sum", "count"]).reset_index()
        by_city.columns = ["市", "已报送", "县级单位"]
        by_city["未报送"] = by_city["县级单位"] - by_city["已报送"]
        by_city = by_city.sort_values(["未报送", "市"], ascending=[False, True])
    names = {}
    for what, part in (("未报送", missing), ("已报送", done)):
        listed = (part["name"] if scope.level == "city" else part["city_name"] + part["name"]).tolist()
        names[what] = (len(listed), "、".join(listed[:NAMES_SHOWN])
                       + (f" 等 {len(listed):,} 个" if len(listed) > NAMES_SHOWN else "") or "无")
    detail = done.rename(columns={"city_name": "市", "name": "单位", "code": "行政区划代码", "time": "导入时间",
                                  "files": "文件", "by": "导入人"})[["市", "单位", "行政区划代码", "导入时间", "文件", "导入人"]]
    return {"total": len(df), "done": len(done), "missing": len(missing), "by_city": by_city, "names": names,
            "detail": detail}


def block(ctx: Context | None = None, expanded: bool = False) -> None:
    """本月报送情况 for the view's month: who has imported, who has not."""
    ctx = ctx or current()
    if ctx is None:
        return
    p = _parts(ctx.data_dir, ctx.all, ctx.scope, ctx.as_of.year, ctx.as_of.month)
    if p is None:
        return
    title = f"{ctx.month_label}报送情况：已报送 {p['done']:,} 个，未报送 {p['missing']:,} 个（共 {p['total']:,} 个县级单位）"
    with st.expander(title, expanded=expanded):
        if p["by_city"] is not None:
            st.dataframe(p["by_city"], hide_index=True, width="stretch", key="report_by_city",
                         height=min(420, 38 + 35 * len(p["by_city"])))
        for what, (n, shown) in p["names"].items():
            colour = "#9b1c17" if what == "未报送" and n else "#37474f"
            # names are hostile text: escaped, never markdown
            st.html(f'<div style="font-size:0.9rem;margin:2px 0 6px 0;color:{colour}"><b>{what}（{n:,}）</b>：'
                    f"{html.escape(shown)}</div>")
        if p["done"] and is_admin():
            st.dataframe(p["detail"], hide_index=True, width="stretch", key="report_detail")
        st.caption(R.RULE)
