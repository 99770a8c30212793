"""The 数据导入 page's parts: checking uploads, the report, confirming, history and rollback."""
from __future__ import annotations

import hashlib
import html
import os

import pandas as pd
import streamlit as st

from .. import clock, config, export, import_job, versions
from ..ingest import last_imports, rollback
from ..ingest.problems import frame as problems_frame
from ..safe import md
from ..ingest.workbook import template
from ..store import fingerprints
from ..store import version as store_version
from .context import key_of
from . import data


def data_dir() -> str:
    return str(config.data_dir().resolve())


def version(d: str) -> str:
    return store_version(d)


MODE_LABELS = {"replace": "替换：文件是其中各单位、年度的完整清单（文件中没有的行将被删除）",
               "update": "只更新文件中的行：按编号新增或修改，从不删除（适合每月报送变化的几行）"}
JOBS = "_gengdi_import_jobs"        # session: (store version, files digest, mode) → check job
RUNNING = "_gengdi_import_running"  # session: the import job being written
DONE = "_gengdi_import_success"     # session: the last import's success message
SHOWN_ROWS = 2_000

DELETE_CSS = """
<style>
.gd-del {border:2px solid #c0392b; background:#fdecea; color:#7f1d1d; border-radius:8px; padding:12px 14px; margin:6px 0 10px 0;}
.gd-del h4 {margin:0 0 6px 0; color:#9b1c17; font-size:1.05rem;}
.gd-del ul {margin:0; padding-left:1.2rem;} .gd-del li {margin:2px 0;}
.gd-del p {margin:6px 0 0 0; font-size:0.9rem;}
</style>
"""


def who() -> str:
    """The signed-in identity recorded with an import."""
    try:
        if st.user.is_logged_in:
            return str(st.user.get("email") or st.user.get("name") or "已登录用户")
    except Exception:   # noqa: BLE001 - no identity provider configured
        pass
    return "管理员（密码登录）"


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    return template()


def uploader_key() -> str:
    return f"upload_{st.session_state.get('_gengdi_upload_round', 0)}"


def mode_choice() -> str:
    return st.radio("导入方式", list(MODE_LABELS), format_func=MODE_LABELS.get, key="import_mode")


def _digest(files: list[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for name, content in files:
        h.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return h.hexdigest()[:24]


@st.fragment(run_every=0.5)
def _progress(job: str, label: str) -> None:
    s = import_job.status(job)
    if s.state == "running":
        st.progress(s.fraction, text=f"{label}：{s.step}…（已用 {s.seconds:.0f} 秒；页面可继续浏览，其他人不受影响）")
    else:
        st.rerun()


def check(files: list[tuple[str, bytes]], mode: str):
    """The dry run of an upload in a child process (one per store version, files and mode); the
    result, or None while it runs (a progress bar is shown)."""
    d = data_dir()
    key = f"{version(d)}|{_digest(files)}|{mode}"
    jobs = st.session_state.setdefault(JOBS, {})
    if key not in jobs:
        st.session_state.pop(DONE, None)
        jobs.clear()
        jobs[key] = import_job.start(d, files, mode=mode, dry_run=True, by=who(), effect_as_of=_as_of())
    s = import_job.status(jobs[key])
    if s.state == "running":
        _progress(jobs[key], "正在检查")
        return None
    if s.state == "failed":
        jobs.pop(key, None) if "过期" in s.message else None
        st.error(s.message, icon=":material/error:")
        return None
    return s.result


def report(result, key: str) -> None:
    """Problems (refusal) or the preview of what would change: counts, deletions, rows."""
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
    n = {k: int(changes[k].sum()) for k in ("新增", "替换", "删除")}
    text = f"检查通过（{'替换' if result.mode == 'replace' else '只更新文件中的行'}）：新增 {n['新增']:,} 行，修改 {n['替换']:,} 行"
    text += f"，删除 {n['删除']:,} 行" if n["删除"] else "，不删除任何行"
    text += f"；{len(changed)} 个（表、单位、年度）有变化，{len(changes) - len(changed)} 个不变。"
    (st.warning if n["删除"] else st.success)(text, icon=":material/warning:" if n["删除"] else ":material/check_circle:")
    moved = effect_preview(result)
    if moved:   # unit names are hostile text: escaped HTML, never markdown
        st.html('<div style="font-size:0.92rem;margin:0 0 8px 0"><b>确认导入后对指标的影响（预计）</b>（'
                + html.escape(moved[0]) + '）<ul style="margin:2px 0 0 0">'
                + "".join(f"<li>{html.escape(x)}</li>" for x in moved[1:]) + "</ul></div>")
    if result.deletions:
        deletion_block(result)
    with st.expander("各单位、年度的变化行数", expanded=not result.deletions and len(changed) <= 12):
        st.dataframe(changes, hide_index=True, width="stretch", key=f"{key}_changes")
    rows = result.rows_frame(("新增", "修改"))
    if len(rows):
        with st.expander(f"逐行变化：新增和修改 {len(rows):,} 项（编号、字段、原值 → 新值）"):
            _rows(rows, f"{key}_rows", "台账导入逐行变化.csv")


def _rows(df: pd.DataFrame, key: str, filename: str) -> None:
    if len(df) > SHOWN_ROWS:
        st.caption(f"表中显示前 {SHOWN_ROWS:,} 项，共 {len(df):,} 项；下载的文件是完整清单。")
    st.dataframe(df.head(SHOWN_ROWS), hide_index=True, width="stretch", key=key)
    st.download_button("下载（CSV）", export.csv_bytes(df), filename, mime="text/csv", key=f"{key}_csv",
                       icon=":material/download:")


def deletion_block(result) -> None:
    """The red block: what will be deleted, unit by unit, with the rows."""
    st.html(DELETE_CSS)
    items = "".join(f"<li>{html.escape(c.deletion_text)}</li>" for c in result.deletions[:20])
    more = f"<li>……另有 {len(result.deletions) - 20} 个单位、年度</li>" if len(result.deletions) > 20 else ""
    st.html(f'<div class="gd-del"><h4>⚠ 确认导入将删除 {result.deleted_rows:,} 行库中数据</h4><ul>{items}{more}</ul>'
            "<p>替换方式把文件当作这些单位、年度的完整清单：库中有、文件中没有的行将被删除。"
            "如果只是报送变化的几行，请改选“只更新文件中的行”。</p></div>")
    with st.expander(f"将删除的 {result.deleted_rows:,} 行", expanded=result.deleted_rows <= 50):
        _rows(result.rows_frame(("删除",)), "deleted_rows", "台账导入将删除的行.csv")


def confirmations(result) -> bool:
    """The required confirmation(s) that the file is the complete list; True when all are given."""
    dels = result.deletions
    if not dels:
        return True
    if len(dels) <= 5:
        boxes = [st.checkbox(f"我确认：文件是 {md(c.name or c.code)}{'' if c.year is None else f' {c.year} 年'}"
                             f"{c.table}的完整清单，删除上面列出的 {c.removed:,} 行", key=f"del_ok_{i}")
                 for i, c in enumerate(dels)]
        return all(boxes)
    return st.checkbox(f"我确认：文件是以上 {len(dels)} 个单位、年度的完整清单，删除上面列出的 {result.deleted_rows:,} 行",
                       key="del_ok_all")


EFFECT = "_gengdi_import_effect"   # session: (as-of date, {city: summary before the import}, unit codes)


def _city_summaries(unit_codes: set[str], as_of) -> dict[str, dict]:
    """The summary of each city holding one of ``unit_codes`` at ``as_of`` (default settings), from
    the store in force (cached per version: the page has usually just drawn them)."""
    from ..ranking import RankSettings
    from ..scope import Scope

    d = data_dir()
    v = key_of(fingerprints(d))
    areas = data.areas(d, v)
    units = areas[(areas["level"] == "unit") & areas["code"].isin(unit_codes)]
    names = dict(zip(areas.loc[areas["level"] == "city", "code"], areas.loc[areas["level"] == "city", "name"]))
    out = {}
    for city in sorted(set(units["city"].dropna()))[:20]:
        out[city] = data.summary(d, key_of(fingerprints(d), "cultivated", "projects", "parcels"),
                                 Scope("city", city, names.get(city, city)), as_of, RankSettings.make(), None, "unit")
    return out


def _remember_before(result) -> None:
    from .context import _KEY

    ctx = st.session_state.get(_KEY)   # (not current(): in a click's run it may rerun and lose the click)
    codes = {c.code for c in result.changes if c.changed and c.table != "区划"}
    if ctx is None or not codes:
        st.session_state.pop(EFFECT, None)
        return
    st.session_state[EFFECT] = (ctx.as_of, _city_summaries(codes, ctx.as_of), sorted(codes))


def _as_of() -> str | None:
    from .context import _KEY

    ctx = st.session_state.get(_KEY)
    return ctx.as_of.isoformat() if ctx is not None else None


def effect_preview(result) -> list[str]:
    """The dry run's effect in indicator terms: the store in force against the staged summaries the check
    worked out (nothing stored). Same sentences as after the import."""
    from .. import effect

    after = getattr(result, "effect_after", None)
    as_of = _as_of()
    if not after or as_of is None:
        return []
    import datetime as dt

    as_of = dt.date.fromisoformat(as_of)
    codes = sorted({c.code for c in result.changes if c.changed and c.table != "区划"})
    before = _city_summaries(set(codes), as_of)
    out = []
    for city, s in after.items():
        out += effect.lines(before.get(city, {}), s, codes)
    return [f"截至{as_of:%Y-%m-%d}，默认权重"] + out if out else []


def effect_after() -> list[str]:
    """The import's effect in indicator terms (at the sidebar's as-of date), once it is in force."""
    from .. import effect

    got = st.session_state.pop(EFFECT, None)
    if not got:
        return []
    as_of, before, codes = got
    after = _city_summaries(set(codes), as_of)
    out = []
    for city, s in after.items():
        out += effect.lines(before.get(city, {}), s, codes)
    return [f"截至{as_of:%Y-%m-%d}，默认权重"] + out if out else []


def confirm(files: list[tuple[str, bytes]], result) -> None:
    ok = confirmations(result)
    if result.deletions and not ok:
        st.caption("勾选上面的确认后才能导入。")
    if st.button("确认导入", type="primary", key="confirm_import", icon=":material/upload:", disabled=not ok):
        _remember_before(result)
        st.session_state[RUNNING] = import_job.start(data_dir(), files, mode=result.mode, dry_run=False,
                                                     confirm_deletions=bool(result.deletions), by=who())
        st.rerun()


def _show_done() -> None:
    message, moved = st.session_state[DONE]
    st.success(message, icon=":material/task_alt:")
    if moved:   # unit names are hostile text: escaped HTML, never markdown
        st.html('<div style="font-size:0.92rem;margin:-4px 0 8px 0"><b>对指标的影响</b>（' + html.escape(moved[0])
                + '）<ul style="margin:2px 0 0 0">' + "".join(f"<li>{html.escape(x)}</li>" for x in moved[1:])
                + "</ul></div>")


def running() -> bool:
    """An import this session started: its progress, then its outcome. True while it runs."""
    job = st.session_state.get(RUNNING)
    if not job:
        if st.session_state.get(DONE):   # shown until the next check starts
            _show_done()
        return False
    s = import_job.status(job)
    if s.state == "running":
        _progress(job, "正在导入")
        return True
    st.session_state.pop(RUNNING, None)
    if s.state == "failed":
        st.error(s.message, icon=":material/error:")
        return False
    result = s.result
    if result.ok and result.version:
        st.session_state["_gengdi_upload_round"] = st.session_state.get("_gengdi_upload_round", 0) + 1
        st.session_state.pop(JOBS, None)
        for k in [k for k in st.session_state if str(k).startswith("del_ok_")]:
            st.session_state.pop(k, None)
        moved = effect_after()
        st.session_state[DONE] = (f"已导入（用时 {s.seconds:.1f} 秒），新版本 {result.version}。各页面已显示新数据；"
                                  "已打开的页面会提示“数据已更新”。", moved)
        _show_done()
    elif result.ok and result.needs_confirmation:
        st.error("未导入：将删除库中数据，但没有确认。数据未改动。")
    elif result.ok:
        st.info("没有变化，未新建版本。")
    else:
        st.error("导入时发现问题（数据可能在检查后被他人修改），数据未改动。")
        report(result, "import_again")
    return False


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
