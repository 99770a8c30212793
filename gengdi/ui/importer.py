"""The 数据导入 page's parts: checking uploads, the report, confirming, history and rollback."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import clock, config, export, versions
from ..ingest import import_files, last_imports, rollback
from ..ingest.problems import frame as problems_frame
from ..ingest.workbook import template
from ..store import fingerprints
from ..store import version as store_version
from .context import key_of
from . import data


def data_dir() -> str:
    return str(config.data_dir().resolve())


def version(d: str) -> str:
    return store_version(d)


@st.cache_data(show_spinner="正在检查台账…", max_entries=8)
def check(data_dir: str, store_version: str, files: tuple[tuple[str, bytes], ...]):
    """The dry run of an upload (cached per store version and file contents)."""
    return import_files(data_dir, list(files), dry_run=True)


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    return template()


def uploader_key() -> str:
    return f"upload_{st.session_state.get('_gengdi_upload_round', 0)}"


def report(result, key: str) -> None:
    """Problems (refusal) or the preview of what would change."""
    if result.warnings:
        with st.expander(f"提示 {len(result.warnings)} 条（已跳过合计行、未知列等，不影响导入）"):
            st.dataframe(problems_frame(result.warnings), hide_index=True, width="stretch", key=f"{key}_warn")
    if not result.ok:
        st.error(f"发现 {len(result.problems)} 个问题，不能导入；数据未作任何改动。请修改后重新上传（格式见页尾“台账格式说明”）。",
                 icon=":material/error:")
        table = problems_frame(result.problems)
        st.dataframe(table, hide_index=True, width="stretch", key=f"{key}_problems")
        st.download_button("下载问题清单（CSV）", export.csv_bytes(table), "台账检查问题清单.csv", mime="text/csv",
                           key=f"{key}_problems_csv", icon=":material/download:")
        return
    changes = result.changes_frame()
    changed = changes[(changes["新增"] + changes["替换"] + changes["删除"]) > 0]
    if changed.empty:
        st.info("检查通过：台账与库中数据完全相同，导入不会有任何变化。", icon=":material/check_circle:")
        return
    st.success(f"检查通过：{len(changed)} 个（表、单位、年度）将有变化，{len(changes) - len(changed)} 个不变。",
               icon=":material/check_circle:")
    st.dataframe(changes, hide_index=True, width="stretch", key=f"{key}_changes")


def confirm(files: list[tuple[str, bytes]]) -> None:
    if st.button("确认导入", type="primary", key="confirm_import", icon=":material/upload:"):
        try:
            result = import_files(data_dir(), files)
        except versions.Busy as e:
            st.error(str(e))
            return
        if result.ok and result.version:
            st.session_state["_gengdi_upload_round"] = st.session_state.get("_gengdi_upload_round", 0) + 1
            st.session_state["_gengdi_import_done"] = f"已导入，新版本 {result.version}。各页面已显示新数据。"
            st.rerun()
        elif result.ok:
            st.info("没有变化，未新建版本。")
        else:
            st.error("导入时发现问题（数据可能在检查后被他人修改），数据未改动。")
            report(result, "import_again")


def last_import_table() -> pd.DataFrame:
    d = data_dir()
    v = key_of(fingerprints(d))
    areas = data.areas(d, v)
    city_names = dict(zip(areas.loc[areas["level"] == "city", "code"], areas.loc[areas["level"] == "city", "name"]))
    times = last_imports(d)
    units = areas[areas["level"] == "unit"].sort_values(["city", "code"])
    return pd.DataFrame({"市": [city_names.get(c, c) for c in units["city"]], "单位": units["name"].tolist(),
                         "行政区划代码": units["code"].tolist(),
                         "最近导入": [clock.shown(times.get(c, "")) or "—（初始数据）" for c in units["code"]]},
                        columns=["市", "单位", "行政区划代码", "最近导入"])


def history_section() -> None:
    d = data_dir()
    entries = versions.history(d)
    if not entries:
        st.caption("还没有导入记录：当前为初始数据。")
        return
    rows = [{"版本": h["id"] + ("（当前）" if h["current"] else ""), "时间": clock.shown(h["time"]),
             "内容": ("导入 " + "、".join(f["name"] for f in h["files"])) if h["kind"] == "import" else f"撤销 {h['undoes']}",
             "变化项": len(h.get("changes", [])), "涉及单位": len(h.get("units", [])),
             "文件校验（SHA-256 前12位）": "、".join(f["sha256"][:12] for f in h.get("files", []))}
            for h in reversed(entries)]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="history_table")
    imports = [h["id"] for h in reversed(entries) if h["kind"] == "import"]
    if not imports:
        return
    c1, c2 = st.columns([3, 2])
    with c1:
        vid = st.selectbox("撤销某次导入（恢复到它之前的数据）", imports, key="rollback_id")
    with c2:
        sure = st.checkbox("我确认要撤销", key="rollback_sure")
        if st.button("撤销", key="rollback_go", disabled=not sure, icon=":material/undo:"):
            try:
                new = rollback(d, vid)
            except versions.Busy as e:
                st.error(str(e))
                return
            st.session_state["_gengdi_import_done"] = f"已撤销 {vid}，新版本 {new}。"
            st.session_state.pop("rollback_sure", None)
            st.rerun()
