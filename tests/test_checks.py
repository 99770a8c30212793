"""Dates, rows and times: a typo'd date is refused with its Excel row and column, a date outside
its list year is warned, leading empty rows do not shift row numbers, values are shown as written,
times are aware, and a CURRENT that names a missing version stops everything."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from gengdi import clock, versions
from gengdi.config import DEFAULT_DATA_DIR, REPO_ROOT
from gengdi.ingest import import_files
from gengdi.ui.context import month_options
from test_ingest import demo_copy, xlsx

HEAD = ["项目编号", "项目名称", "行政区划代码", "项目类别", "年度", "用地面积(公顷)", "用地保障日期"]


def project(pid, date, year=2023, area=3):
    return [pid, f"项目{pid}", "410821", "省重点", year, area, date]


def test_a_date_after_today_is_refused_with_row_and_column(tmp_path):
    d = demo_copy(tmp_path)
    before = sorted(p.name for p in d.rglob("*"))
    r = import_files(d, [("台账.xlsx", xlsx({"项目": [HEAD, project("X-1", "2023-06-15"),
                                                      project("X-2", "2203-06-15")]}))])
    assert not r.ok
    (p,) = r.problems
    assert (p.sheet, p.row, p.column, p.value) == ("项目", 3, "用地保障日期", "2203-06-15")
    assert "晚于今天" in p.reason and "第 3 行" in p.message and "列“用地保障日期”" in p.message
    assert sorted(p.name for p in d.rglob("*")) == before       # nothing written
    r = import_files(d, [("台账.xlsx", xlsx({"项目": [HEAD, project("X-3", dt.date(1989, 12, 31))]}))])
    assert not r.ok and "早于 1990" in r.problems[0].reason and r.problems[0].row == 2
    tomorrow = clock.today() + dt.timedelta(days=1)
    r = import_files(d, [("台账.xlsx", xlsx({"项目": [HEAD, project("X-4", tomorrow, year=tomorrow.year)]}))],
                     dry_run=True)
    assert not r.ok and r.problems[0].row == 2


def test_a_date_outside_the_list_year_is_warned_not_refused(tmp_path):
    d = demo_copy(tmp_path)
    r = import_files(d, [("台账.xlsx", xlsx({"项目": [HEAD, project("X-1", "2022-12-20")]}))], dry_run=True)
    assert r.ok
    (w,) = [w for w in r.warnings if w.column == "用地保障日期"]
    assert w.row == 2 and w.value == "2022-12-20" and "2023" in w.reason


def test_leading_empty_rows_keep_the_excel_row_numbers_and_values_are_shown_as_written(tmp_path):
    d = demo_copy(tmp_path)
    rows = [[None], [None], ["2023年重点项目台账"], HEAD, project("X-1", "2023-03-01"),
            project("X-2", "2023-03-01", area=-3)]
    r = import_files(d, [("台账.xlsx", xlsx({"项目": rows}))], dry_run=True)
    assert not r.ok
    (p,) = r.problems
    assert p.row == 6                                  # two empty rows, a title, the header, a good row
    assert p.value == "-3 公顷" and p.column == "用地面积(公顷)"
    assert "值“-3 公顷”" in p.message


def test_parcel_rule_shows_areas_as_written(tmp_path):
    d = demo_copy(tmp_path)
    head = ["地块编号", "行政区划代码", "类型", "批准年度", "面积(公顷)", "任务年度", "处置日期", "处置面积(公顷)", "处置方式"]
    r = import_files(d, [("地块.xlsx", xlsx({"地块": [[None], head,
                                                    ["D-1", "410821", "批而未供", 2015, 3, 2023, "2023-05-01", 4, "供地"]]}))],
                     dry_run=True)
    (p,) = r.problems
    assert p.row == 3 and p.value == "4 公顷" and "3 公顷" in p.reason


def test_months_offered_never_run_past_this_month():
    today = clock.today()
    months = month_options(2022, min(dt.date(2203, 6, 15), today))
    assert months[0] == f"{today.year:04d}-{today.month:02d}" and len(months) <= (today.year - 2022 + 1) * 12


def test_times_are_aware_and_shown_in_the_bureau_zone(tmp_path, monkeypatch):
    monkeypatch.setenv("GENGDI_TZ", "Asia/Shanghai")
    d = demo_copy(tmp_path)
    r = import_files(d, [("台账.xlsx", xlsx({"项目": [HEAD, project("X-1", "2023-03-01")]}))], mode="update")
    assert r.ok and r.version
    (h,) = versions.history(d)
    t = dt.datetime.fromisoformat(h["time"])
    assert t.utcoffset() == dt.timedelta(hours=8)
    assert clock.shown("2023-11-05T02:15:00+00:00") == "2023-11-05 10:15:00（北京时间）"
    # the version id is the bureau's wall-clock time, whatever the server's zone
    assert r.version[:8] == t.strftime("%Y%m%d")
    monkeypatch.setenv("GENGDI_TZ", "UTC")
    assert clock.shown("2023-11-05T10:15:00+08:00") == "2023-11-05 02:15:00（UTC）"


# ---------------------------------------------------------------------------- a missing version
@pytest.fixture
def broken_store(tmp_path):
    d = tmp_path / "store"
    shutil.copytree(DEFAULT_DATA_DIR, d, ignore=shutil.ignore_patterns("versions", "CURRENT", ".import.lock"))
    (d / "CURRENT").write_text("20231105-101500-01\n", encoding="utf-8")
    return d


def test_cli_exits_non_zero_when_current_names_a_missing_version(broken_store):
    for args in (["summary", "--month", "2023-06"], ["history"], ["notice", "--month", "2023-06", "--out",
                                                               str(broken_store / "n.pdf")]):
        r = subprocess.run([sys.executable, "-m", "gengdi", *args, "--data", str(broken_store)],
                           capture_output=True, text=True)
        assert r.returncode != 0, args
        assert "20231105-101500-01 不存在" in r.stderr and "Traceback" not in r.stderr
        assert r.stdout == ""


def test_page_shows_the_error_and_no_figure(broken_store, monkeypatch):
    monkeypatch.setenv("GENGDI_DATA", str(broken_store))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("20231105-101500-01 不存在" in e.value for e in at.error)
    assert not at.metric and not at.dataframe
    shown = " ".join(m.value for m in at.markdown)
    assert "256.99" not in shown and "万亩" not in shown
