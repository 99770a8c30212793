"""The 本月报送情况 block (总览, 综合排名, 数据导入): names for everyone, time/file/who for admins."""
from __future__ import annotations

import html
import os

import pandas as pd
import streamlit as st

from .. import auth
from .. import reporting as R
from . import data
from .auth import _ROLE, _secrets
from .context import Context, current

NAMES_SHOWN = 60


def is_admin() -> bool:
    cfg = auth.load_config(os.environ, _secrets())
    if cfg.oidc:
        return bool(st.user.is_logged_in) and auth.role_for_email(cfg, st.user.get("email")) == auth.ADMIN
    if cfg.passwords:
        return st.session_state.get(_ROLE) == auth.ADMIN
    return True   # open (demo store or GENGDI_OPEN): the gate lets everyone in as admin


def frame(ctx: Context) -> pd.DataFrame:
    """The report status of every county-level unit in the view's scope for the view's month."""
    return _frame(ctx.data_dir, ctx.all, ctx.scope, ctx.as_of.year, ctx.as_of.month)


@st.cache_data(show_spinner=False, max_entries=64)
def _frame(data_dir: str, key: str, scope, year: int, month: int) -> pd.DataFrame:
    """(cached per store version: an import or a rollback changes ``key``)"""
    units = R.scope_units(data.areas(data_dir, key), scope)
    return R.status(data_dir, units, year, month)


def block(ctx: Context | None = None, expanded: bool = False) -> None:
    """本月报送情况 for the view's month: who has imported, who has not."""
    ctx = ctx or current()
    if ctx is None:
        return
    df = frame(ctx)
    if df.empty:
        return
    done, missing = df[df["reported"]], df[~df["reported"]]
    title = f"{ctx.month_label}报送情况：已报送 {len(done):,} 个，未报送 {len(missing):,} 个（共 {len(df):,} 个县级单位）"
    with st.expander(title, expanded=expanded):
        if ctx.scope.level != "city":
            by_city = df.groupby("city_name", sort=False)["reported"].agg(["sum", "count"]).reset_index()
            by_city.columns = ["市", "已报送", "县级单位"]
            by_city["未报送"] = by_city["县级单位"] - by_city["已报送"]
            st.dataframe(by_city.sort_values(["未报送", "市"], ascending=[False, True]), hide_index=True,
                         width="stretch", key="report_by_city", height=min(420, 38 + 35 * len(by_city)))
        label = (lambda r: r["name"]) if ctx.scope.level == "city" else (lambda r: f"{r['city_name']}{r['name']}")
        for what, part in (("未报送", missing), ("已报送", done)):
            names = [label(r) for r in part.to_dict("records")]
            shown = "、".join(names[:NAMES_SHOWN]) + (f" 等 {len(names):,} 个" if len(names) > NAMES_SHOWN else "") or "无"
            colour = "#9b1c17" if what == "未报送" and names else "#37474f"
            # names are hostile text: escaped, never markdown
            st.html(f'<div style="font-size:0.9rem;margin:2px 0 6px 0;color:{colour}"><b>{what}（{len(names):,}）</b>：'
                    f"{html.escape(shown)}</div>")
        if is_admin() and len(done):
            st.dataframe(done.rename(columns={"city_name": "市", "name": "单位", "code": "行政区划代码", "time": "导入时间",
                                              "files": "文件", "by": "导入人"})
                         [["市", "单位", "行政区划代码", "导入时间", "文件", "导入人"]],
                         hide_index=True, width="stretch", key="report_detail")
        st.caption("报送 = 本月有一次导入改动了该单位的数据（时间为北京时间）；内容与库中完全相同的导入不新建版本，不计入。")
