"""Import, second version: no silent deletions, update mode, row-level preview, template example
rows, cost that follows the ledger, the import job in a child process."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from gengdi import import_job, versions
from gengdi.bench_import import _ledger_rows, _xlsx
from gengdi.config import DEFAULT_DATA_DIR, REPO_ROOT
from gengdi.db import Database
from gengdi.ingest import import_files
from gengdi.ingest.merge import load_tables
from gengdi.ingest.spec import PROJECTS
from gengdi.ingest.workbook import template
from gengdi.summary import build_summary

ZHONGZHAN = "410803"
SEPT = dt.date(2024, 9, 30)


def demo_copy(tmp_path: Path, name: str = "store") -> Path:
    dst = tmp_path / name
    shutil.copytree(DEFAULT_DATA_DIR, dst, ignore=shutil.ignore_patterns("versions", "CURRENT", ".import.lock"))
    return dst


def zhongzhan_2024(d: Path) -> pd.DataFrame:
    p = load_tables(versions.root(d), {"projects": {2024}})["projects"]
    return p[p["code"] == ZHONGZHAN].sort_values("project_id").reset_index(drop=True)


def three_changed(d: Path) -> tuple[bytes, list[str]]:
    """What a clerk naturally sends: 中站区's three 2024 projects not yet guaranteed, now guaranteed."""
    p = zhongzhan_2024(d)
    rows = p[p["guaranteed_date"].isna()].head(3).copy()
    rows["guaranteed_date"] = dt.date(2024, 9, 20)
    return _xlsx({PROJECTS.title: _ledger_rows(PROJECTS, rows)}), list(rows["project_id"])


def rate(d: Path, code: str = ZHONGZHAN) -> float:
    s = build_summary(Database(d), "410800", SEPT)
    return next(u for u in s["units"] if u["code"] == code)["projects_rate"]


# ---------------------------------------------------------------------------- modes
def test_partial_file_in_replace_mode_needs_confirmation(tmp_path):
    d = demo_copy(tmp_path)
    data, ids = three_changed(d)
    r = import_files(d, [("中站区.xlsx", data)])
    assert r.ok and r.needs_confirmation and r.version is None
    assert versions.current_id(d) == versions.BASE          # nothing written
    assert [c.deletion_text for c in r.deletions] == ["将删除 中站区 2024 年 40 个项目（文件中没有）"]
    deleted = r.rows_frame(("删除",))
    assert len(deleted) == 40 and not set(deleted["编号"]) & set(ids)
    r = import_files(d, [("中站区.xlsx", data)], confirm_deletions=True)
    assert r.version and len(zhongzhan_2024(d)) == 3


def test_update_mode_changes_only_its_rows(tmp_path):
    d = demo_copy(tmp_path)
    before = zhongzhan_2024(d)
    # by hand: 43 projects in 中站区's 2024 list, 36 guaranteed by 2024-09-30 → 83.72%; three more → 39/43
    assert len(before) == 43 and before["guaranteed_date"].notna().sum() == 36
    assert round(rate(d) * 100, 2) == 83.72
    other = rate(d, "410802")
    data, ids = three_changed(d)
    dry = import_files(d, [("中站区.xlsx", data)], mode="update", dry_run=True)
    assert dry.ok and not dry.deletions
    rows = dry.rows_frame()
    assert list(rows["变化"]) == ["修改"] * 3 and list(rows["编号"]) == ids
    assert set(rows["字段"]) == {"用地保障日期"} and set(rows["原值"]) == {""} and set(rows["新值"]) == {"2024-09-20"}
    r = import_files(d, [("中站区.xlsx", data)], mode="update", by="测试员")
    assert r.version
    after = zhongzhan_2024(d)
    assert len(after) == 43 and after["guaranteed_date"].notna().sum() == 39
    unchanged = ~after["project_id"].isin(ids)
    pd.testing.assert_frame_equal(after[unchanged].reset_index(drop=True), before[unchanged].reset_index(drop=True))
    assert round(rate(d) * 100, 2) == 90.70 and rate(d, "410802") == other
    rec = versions.history(d)[-1]
    assert rec["mode"] == "update" and rec["by"] == "测试员" and rec["time"].endswith("+08:00")


def test_dry_run_effect_is_computed_on_a_discarded_copy(tmp_path):
    from gengdi import effect
    from gengdi.store import fingerprints

    d = demo_copy(tmp_path)
    data, _ = three_changed(d)
    files = {p.relative_to(d): p.stat().st_mtime_ns for p in d.rglob("*") if p.is_file()}
    prints = fingerprints(d)
    after = effect.staged_summaries(d, [("中站区.xlsx", data)], "replace", SEPT, {ZHONGZHAN})
    assert versions.current_id(d) == versions.BASE and fingerprints(d) == prints
    assert {p.relative_to(d): p.stat().st_mtime_ns for p in d.rglob("*") if p.is_file()} == files
    before = build_summary(Database(d), "410800", SEPT)
    # replace with the three rows only: 3/3 guaranteed → 100.00%, and 中站区 moves up one place
    assert effect.lines(before, after["410800"], [ZHONGZHAN]) == ["中站区：重点项目用地保障率 83.72%→100.00%，综合排名 第11→第10"]
    after = effect.staged_summaries(d, [("中站区.xlsx", data)], "update", SEPT, {ZHONGZHAN})
    assert effect.lines(before, after["410800"], [ZHONGZHAN])[0].startswith("中站区：重点项目用地保障率 83.72%→90.70%")
    job = import_job.start(d, [("中站区.xlsx", data)], mode="update", dry_run=True, effect_as_of=SEPT.isoformat())
    s = import_job.wait(job, timeout=120)
    assert s.state == "done" and set(s.result.effect_after) == {"410800"} and s.result.version is None
    assert versions.current_id(d) == versions.BASE


def test_update_mode_refuses_a_number_of_another_unit(tmp_path):
    d = demo_copy(tmp_path)
    p = zhongzhan_2024(d).head(1).copy()
    p["code"] = "410802"   # 中站区's number sent as 解放区's
    r = import_files(d, [("x.xlsx", _xlsx({PROJECTS.title: _ledger_rows(PROJECTS, p)}))], mode="update")
    assert not r.ok and "编号与库中单位 410803 的同年度记录重复" in r.problems[0].message


def test_untouched_template_is_refused_as_example_rows(tmp_path):
    d = demo_copy(tmp_path)
    r = import_files(d, [("模板.xlsx", template())])
    assert not r.ok
    assert {p.reason for p in r.problems} == {"模板示例行，请删除后再导入"}
    assert {p.sheet for p in r.problems} == {"区划", "耕地年度", "重点项目", "批而未供和闲置土地", "年度任务"}
    assert not r.warnings   # the 填表说明 sheet is not reported as an unknown sheet


def test_cost_follows_the_ledger_other_years_are_not_read(tmp_path):
    """A 2024 ledger must not read the other years' partitions: break one and import anyway."""
    d = demo_copy(tmp_path)
    (d / "projects" / "year=2022" / "part-0.parquet").write_bytes(b"not parquet")
    data, _ = three_changed(d)
    r = import_files(d, [("中站区.xlsx", data)], mode="update")
    assert r.ok and r.version
    # the broken file was hard-linked, not rewritten: only year=2024 is new
    new = versions.root(d)
    assert (new / "projects" / "year=2022" / "part-0.parquet").read_bytes() == b"not parquet"
    assert os.path.samefile(new / "parcels" / "task_year=2024" / "part-0.parquet",
                            d / "parcels" / "task_year=2024" / "part-0.parquet")
    assert not os.path.samefile(new / "projects" / "year=2024" / "part-0.parquet",
                                d / "projects" / "year=2024" / "part-0.parquet")


# ---------------------------------------------------------------------------- command line
def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gengdi", *args], capture_output=True, text=True, cwd=REPO_ROOT,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_cli_replace_with_deletions_exits_3_and_preview_lists_rows(tmp_path):
    d = demo_copy(tmp_path)
    data, ids = three_changed(d)
    f = tmp_path / "中站区.xlsx"
    f.write_bytes(data)
    r = cli("import", str(f), "--data", str(d))
    assert r.returncode == 3, r.stderr
    assert "将删除 中站区 2024 年 40 个项目（文件中没有）" in r.stderr and "--confirm-delete" in r.stderr
    assert versions.current_id(d) == versions.BASE
    r = cli("import", str(f), "--data", str(d), "--mode", "update", "--preview")
    assert r.returncode == 0, r.stderr
    assert all(i in r.stdout for i in ids) and "2024-09-20" in r.stdout and "修改" in r.stdout
    assert versions.history(d)[-1]["by"] == "命令行"


# ---------------------------------------------------------------------------- the job
def test_job_reports_progress_and_result(tmp_path):
    d = demo_copy(tmp_path)
    data, _ = three_changed(d)
    job = import_job.start(d, [("中站区.xlsx", data)], mode="update", dry_run=False, by="测试员")
    s = import_job.wait(job, timeout=120)
    assert s.state == "done" and s.result.version and s.fraction == 1.0
    assert versions.current_id(d) == s.result.version


def test_job_memory_limit_ends_only_the_child_with_a_message(tmp_path, monkeypatch):
    d = demo_copy(tmp_path)
    header = "项目编号,项目名称,行政区划代码,项目类别,年度,用地面积(亩),用地保障日期\n"
    big = header + "".join(f"B-{i},项目{i},410803,市重点,2024,1,2024-01-0{1 + i % 9}\n" for i in range(400_000))
    monkeypatch.setenv("GENGDI_IMPORT_MEMORY_MB", "100")
    job = import_job.start(d, [("炸弹.csv", big.encode())], dry_run=False, confirm_deletions=True)
    s = import_job.wait(job, timeout=300)
    assert s.state == "failed" and "内存超过上限 100 MB" in s.message and "数据未作任何改动" in s.message
    assert versions.current_id(d) == versions.BASE


# ---------------------------------------------------------------------------- the page
def _page(d: Path, monkeypatch) -> AppTest:
    """The import page as the admin sees it (open mode: viewers see the dashboard, the admin signs in)."""
    monkeypatch.setenv("GENGDI_DATA", str(d))
    monkeypatch.delenv("GENGDI_VIEWER_PASSWORD", raising=False)
    monkeypatch.setenv("GENGDI_ADMIN_PASSWORD", "admin-pw-test")
    monkeypatch.setenv("GENGDI_OPEN", "1")
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    at.text_input(key="gd_password").input("admin-pw-test").run()     # the sidebar's admin sign-in
    at.switch_page("pages/data_import.py").run()
    assert not at.exception
    return at


def _settle(at: AppTest, timeout: float = 60) -> AppTest:
    """Rerun until no job of this session is running (the page polls with a fragment)."""
    from gengdi.ui import importer

    def running() -> bool:
        ss = at.session_state
        jobs = [ss[importer.RUNNING]] if importer.RUNNING in ss and ss[importer.RUNNING] else []
        jobs += list(ss[importer.JOBS].values()) if importer.JOBS in ss else []
        return any(import_job.status(j).state == "running" for j in jobs)

    end = time.monotonic() + timeout
    while time.monotonic() < end and (running() or any("正在" in (p.proto.text or "") for p in at.get("progress"))):
        time.sleep(0.3)
        at.run()
    at.run()
    assert not at.exception, at.exception
    return at


def test_page_shows_the_deletion_block_and_needs_the_confirmation(tmp_path, monkeypatch):
    d = demo_copy(tmp_path)
    data, _ = three_changed(d)
    at = _page(d, monkeypatch)
    at.file_uploader[0].set_value(("中站区.xlsx", data, "application/octet-stream")).run()
    at = _settle(at)
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "将删除 中站区 2024 年 40 个项目（文件中没有）" in html
    box = at.checkbox(key="del_ok_0")
    assert "中站区 2024 年重点项目的完整清单" in box.label
    assert at.button(key="confirm_import").disabled
    with pytest.raises(Exception, match="disabled"):   # a browser user cannot click it either
        at.button(key="confirm_import").click()
    assert versions.current_id(d) == versions.BASE
    # the same file in update mode: no deletion block, import allowed, only its rows change
    at.radio(key="import_mode").set_value("update").run()
    at = _settle(at)
    assert "将删除" not in " ".join(h.proto.body for h in at.get("html"))
    assert not at.button(key="confirm_import").disabled
    # the effect after the dry run, before anything is stored (36/43 → 39/43 by hand)
    body = " ".join(h.proto.body for h in at.get("html"))
    assert "确认导入后对指标的影响（预计）" in body and "中站区：重点项目用地保障率 83.72%→90.70%" in body
    assert versions.current_id(d) == versions.BASE
    at.button(key="confirm_import").click().run()
    at = _settle(at)
    assert versions.current_id(d) != versions.BASE
    assert any("已导入" in s.value for s in at.success)
    # the effect at the view's as-of date (2024-09-30), checked by hand: 36/43 → 39/43
    body = " ".join(h.proto.body for h in at.get("html"))
    assert "中站区：重点项目用地保障率 83.72%→90.70%" in body
    assert len(zhongzhan_2024(d)) == 43


def test_page_confirmed_replace_deletes(tmp_path, monkeypatch):
    d = demo_copy(tmp_path)
    data, _ = three_changed(d)
    at = _page(d, monkeypatch)
    at.file_uploader[0].set_value(("中站区.xlsx", data, "application/octet-stream")).run()
    at = _settle(at)
    at.checkbox(key="del_ok_0").check().run()
    assert not at.button(key="confirm_import").disabled
    at.button(key="confirm_import").click().run()
    at = _settle(at)
    assert len(zhongzhan_2024(d)) == 3
    assert versions.history(d)[-1]["by"] == "管理员（密码登录）"


def test_import_page_needs_an_admin_credential(tmp_path, monkeypatch):
    """A demo store with no access settings is open to viewers; nobody can reach the import page."""
    d = demo_copy(tmp_path)
    monkeypatch.setenv("GENGDI_DATA", str(d))
    for k in ("GENGDI_VIEWER_PASSWORD", "GENGDI_ADMIN_PASSWORD", "GENGDI_OPEN"):
        monkeypatch.delenv(k, raising=False)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    with pytest.raises(ValueError, match="data_import"):
        at.switch_page("pages/data_import.py").run()
    assert versions.current_id(d) == versions.BASE


def test_lock_screen_is_worded_for_users(tmp_path, monkeypatch):
    d = demo_copy(tmp_path)
    data, _ = three_changed(d)
    assert import_files(d, [("中站区.xlsx", data)], mode="update").version   # the store is no longer demo only
    monkeypatch.setenv("GENGDI_DATA", str(d))
    for k in ("GENGDI_VIEWER_PASSWORD", "GENGDI_ADMIN_PASSWORD", "GENGDI_OPEN"):
        monkeypatch.delenv(k, raising=False)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    text = " ".join(e.value for e in at.error)
    assert "看板尚未开放，请联系管理员" in text and "GENGDI" not in text


# ---------------------------------------------------------------------------- 报送情况
def test_report_status_lists_units_with_and_without_an_import(tmp_path, monkeypatch):
    from gengdi import reporting

    from zoneinfo import ZoneInfo

    from gengdi import clock

    d = demo_copy(tmp_path)
    data, _ = three_changed(d)
    # imported on 2024-09-01 00:30 China time (still 31 August in UTC)
    monkeypatch.setattr(clock, "stamp", lambda: dt.datetime(2024, 9, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")).isoformat())
    r = import_files(d, [("中站区.xlsx", data)], mode="update", by="张三")
    now = dt.datetime.fromisoformat(versions.history(d)[-1]["time"])
    units = load_tables(d, {})["units"]
    units = units[units["level"] == "县级"]
    st = reporting.status(d, units, now.year, now.month)
    assert list(st.loc[st["reported"], "name"]) == ["中站区"]
    assert st.loc[st["reported"], "by"].item() == "张三" and st.loc[st["reported"], "files"].item() == "中站区.xlsx"
    assert len(st) == 11 and (~st["reported"]).sum() == 10
    # one definition: reported for a month = an import that changed the unit on or after the month began
    # (China time): the September import also counts for August (its ledger carries August's dates),
    # not for October
    prev = (now.replace(day=1) - dt.timedelta(days=1))
    assert list(reporting.status(d, units, prev.year, prev.month).query("reported")["name"]) == ["中站区"]
    assert not reporting.status(d, units, 2024, 10)["reported"].any()
    # the import was made on 2024-09-01 00:30 China time = 31 August in UTC: it still counts for September
    assert reporting.reports(d, 2024, 9) and not reporting.reports(d, 2024, 10)
    assert r.version
    # on the page (the view's month is the import's month): names for everyone
    monkeypatch.setenv("GENGDI_DATA", str(d))
    monkeypatch.setenv("GENGDI_OPEN", "1")
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.query_params["month"] = "2024年8月"
    at.run()
    assert not at.exception
    assert any("2024年8月报送情况：已报送 1 个，未报送 10 个" in e.label for e in at.expander)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.query_params["month"] = "2024年9月"
    at.run()
    exp = [e for e in at.expander if "报送情况" in e.label]
    assert exp and "已报送 1 个，未报送 10 个" in exp[0].label
    body = " ".join(h.proto.body for h in at.get("html"))
    assert "未报送（10）" in body and "已报送（1）</b>：中站区" in body


def test_open_page_says_data_updated_after_an_import(tmp_path, monkeypatch):
    d = demo_copy(tmp_path)
    monkeypatch.setenv("GENGDI_DATA", str(d))
    monkeypatch.setenv("GENGDI_OPEN", "1")
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    assert not any("数据已更新" in w.value for w in at.warning)
    data, _ = three_changed(d)
    assert import_files(d, [("中站区.xlsx", data)], mode="update").version
    # the page's watcher (a fragment re-run every few seconds) compares what the page was drawn from
    from gengdi.ui import freshness

    drawn = at.session_state["_gengdi_context"].fingerprints
    assert freshness.stale(str(d), drawn)
    at.run()   # a rerun draws the new figures: nothing stale any more
    assert not freshness.stale(str(d), at.session_state["_gengdi_context"].fingerprints)


def test_one_definition_of_reported_for_block_gate_and_notice(tmp_path, monkeypatch):
    from zoneinfo import ZoneInfo

    from gengdi import clock, reporting
    from gengdi import publications as P
    from gengdi.notice import build_notice
    from gengdi.queries import areas
    from gengdi.scope import Scope

    d = demo_copy(tmp_path)
    units = load_tables(d, {})["units"]
    units = units[units["level"] == "县级"]
    st = reporting.status(d, units, 2024, 9)          # the generated 示例数据 counts as reported
    assert st["reported"].all() and set(st["files"]) == {"示例数据"}
    data, _ = three_changed(d)
    monkeypatch.setattr(clock, "stamp", lambda: dt.datetime(2024, 10, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")).isoformat())
    assert import_files(d, [("中站区.xlsx", data)], mode="update", by="张三").version   # 焦作 is real data now
    city = Scope("city", "410800", "焦作市")
    db = Database(d)
    missing = reporting.missing(d, areas(db), city, SEPT)
    assert len(missing) == 10 and "中站区" not in missing and "解放区" in missing
    assert P.missing_reports(d, areas(db), city, SEPT) == missing            # the publish gate: the same list
    st = reporting.status(d, units, 2024, 9)                                  # the block: the same units
    assert sorted(st.loc[~st["reported"], "name"]) == sorted(missing)
    with pytest.raises(P.PublishRefused) as e:
        P.publish(d, city, SEPT, require_complete=True)
    assert reporting.missing_message(missing, SEPT) in str(e.value)
    # the notice lists them in its closing paragraph
    s, prev = build_summary(db, city, SEPT), build_summary(db, city, dt.date(2024, 8, 31))
    n = build_notice(s, prev, missing=missing)
    head, text = n.paragraphs[-1]
    assert head.endswith("、报送情况") and text.startswith("2024年9月尚未报送：") and "解放区" in text
    assert "中站区" not in text and "共10个单位" in text
    nov = reporting.missing(d, areas(db), city, dt.date(2024, 11, 30))       # nothing since 1 November
    assert len(nov) == 11
    _, text = build_notice(s, prev, missing=[]).paragraphs[-1]
    assert text == "2024年9月全市各县级单位均已报送台账。"
