"""年度任务: time progress, task completion, pace gap, projection and 还需 — answers computed by hand."""
import datetime as dt
import io

import pandas as pd
import pytest

from gengdi import schema as S
from gengdi import tasks as T
from gengdi.db import Database
from gengdi.ingest import import_files
from gengdi.scope import Scope
from gengdi.store import write_table
from gengdi.summary import build_summary

from conftest import TINY_UNITS, make_store, parcel, proj

D = dt.date


# ---------------------------------------------------------------------------- dates
def test_time_progress_leap_and_common_year():
    assert T.time_progress(D(2024, 6, 30)) == 182 / 366     # leap year: 31+29+31+30+31+30
    assert T.time_progress(D(2023, 6, 30)) == 181 / 365
    assert T.time_progress(D(2023, 12, 31)) == 1.0
    assert T.time_progress(D(2024, 1, 1)) == 1 / 366


def test_months_left_and_last_year():
    assert T.months_left(D(2024, 6, 30)) == 6      # July–December
    assert T.months_left(D(2023, 6, 15)) == 7      # the rest of June counts
    assert T.months_left(D(2023, 12, 31)) == 0
    assert T.same_day_last_year(D(2024, 2, 29)) == D(2023, 2, 28)


# ---------------------------------------------------------------------------- projection by hand
def test_projection_seasonal_and_linear():
    d = D(2023, 6, 30)
    # last year 40 亩 of a year-end 80 亩 were disposed by 30 June: half → 60 now means 120 by December
    seasonal = T.UnitTask("area", 200, 60, 150, last_then=40, last_end=80)
    assert seasonal.projection(d) == (120.0, "seasonal")
    # no last year: 30 亩 in 181 of 365 days → 30 × 365 / 181
    linear = T.UnitTask("area", 50, 30, 100)
    assert linear.projection(d) == (pytest.approx(30 * 365 / 181), "linear")
    # never more than the list itself
    assert T.UnitTask("area", 50, 90, 100).projection(d)[0] == 100
    # last year nothing by this day: no shape to follow, linear
    assert T.UnitTask("area", 50, 30, 100, last_then=0, last_end=80).projection(d)[1] == "linear"


def test_place_task_is_a_ratio_of_sums():
    d = D(2023, 6, 30)
    jia = T.UnitTask("area", 200, 60, 150, 40, 80)
    yi = T.UnitTask("area", 50, 30, 100)
    f = T.place_task([jia, yi], d)
    assert f["task"] == 250 and f["done"] == 90
    assert f["task_rate"] == pytest.approx(90 / 250)          # the mean of 0.3 and 0.6 would be 0.45
    assert f["pace_gap"] == pytest.approx(0.36 - 181 / 365)
    assert f["behind_pace"] is True
    assert f["projected_year_end"] == pytest.approx(120 + 30 * 365 / 181, abs=1e-4)
    assert f["projection_method"] == "mixed"
    assert f["monthly_needed"] == pytest.approx((250 - 90) / 6, abs=1e-4)
    # tolerance: 13.6 points behind is not 滞后 when 15 points are allowed
    assert T.place_task([jia, yi], d, tolerance=0.15)["behind_pace"] is False
    assert T.place_task([], d) is None


def test_rate_target_is_a_ratio_of_sums():
    d = D(2023, 6, 30)
    jia = T.UnitTask("rate", 0.95, 2, 3)    # 95% of 3 projects = 2.85 to guarantee, 2 done
    yi = T.UnitTask("rate", 0.80, 1, 1)
    f = T.place_task([jia, yi], d)
    assert f["task"] == pytest.approx(3.65 / 4)
    assert f["task_rate"] == pytest.approx(3 / 3.65)
    assert f["monthly_needed"] == pytest.approx(0.65 / 6, abs=1e-4)


def test_lag_sentence():
    fig = {"task_rate": 0.523, "pace_gap": 0.523 - 0.75, "monthly_needed": 120.0}
    assert T.lag_sentence("温县", "unsupplied_rate", fig, 0.75) == \
        "按时间进度应完成75.0%，温县完成52.3%，落后22.7个百分点，还需每月处置批而未供土地120亩"
    assert T.lag_sentence("丙县", "idle_rate", None, 0.5) == "丙县闲置土地处置任务：未下达任务"


# ---------------------------------------------------------------------------- through the store
TASKS = [
    {"year": 2023, "code": "990101", "indicator": "批而未供处置", "target": 200.0},
    {"year": 2023, "code": "990102", "indicator": "批而未供处置", "target": 50.0},
    {"year": 2023, "code": "990101", "indicator": "重点项目用地保障率", "target": 0.95},
    {"year": 2023, "code": "990102", "indicator": "重点项目用地保障率", "target": 0.80},
]


@pytest.fixture
def task_store(tmp_path):
    parcels = [
        parcel(2022, "C1", "990101", "批而未供", 50.0, D(2022, 3, 1), 40.0),
        parcel(2022, "C2", "990101", "批而未供", 60.0, D(2022, 11, 1), 40.0),
        parcel(2023, "A1", "990101", "批而未供", 100.0, D(2023, 2, 1), 60.0),
        parcel(2023, "A2", "990101", "批而未供", 50.0, D(2023, 7, 2), 50.0),
        parcel(2023, "A3", "990102", "批而未供", 30.0, D(2023, 6, 30), 30.0),
        parcel(2023, "A5", "990102", "批而未供", 70.0),
        parcel(2023, "A4", "990103", "批而未供", 40.0),
    ]
    projects = [
        proj(2023, "P1", "990101", "省重点", D(2023, 1, 15)),
        proj(2023, "P2", "990101", "省重点", D(2023, 6, 30)),
        proj(2023, "P3", "990101", "市重点", D(2023, 7, 1)),
        proj(2023, "P4", "990102", "市重点", D(2023, 3, 1)),
    ]
    path = make_store(tmp_path / "store", TINY_UNITS, None, projects, parcels)
    write_table(path, S.TASKS, pd.DataFrame(TASKS))
    return path


def test_summary_fields_unit_city_and_null(task_store):
    s = build_summary(Database(task_store), None, D(2023, 6, 30))
    assert s["time_progress"] == 181 / 365
    u = {x["name"]: x for x in s["units"]}
    jia = u["甲县"]["tasks"]["unsupplied_rate"]
    assert jia["task"] == 200 and jia["task_rate"] == pytest.approx(0.3)
    assert jia["pace_gap"] == pytest.approx(0.3 - 181 / 365) and jia["behind_pace"] is True
    assert jia["projected_year_end"] == 120 and jia["projection_method"] == "seasonal"
    assert jia["monthly_needed"] == pytest.approx(140 / 6, abs=1e-4)
    yi = u["乙区"]["tasks"]["unsupplied_rate"]
    assert yi["projection_method"] == "linear" and yi["projected_year_end"] == pytest.approx(30 * 365 / 181, abs=1e-4)
    assert yi["behind_pace"] is False
    # 丙县 has no task: no figure at all (null, not 0)
    assert u["丙县"]["tasks"] == {}
    assert u["丙县"]["tasks"].get("unsupplied_rate") is None
    c = s["city"]["tasks"]
    assert c["unsupplied_rate"]["task"] == 250 and c["unsupplied_rate"]["task_rate"] == pytest.approx(90 / 250)
    assert c["projects_rate"]["task"] == pytest.approx(3.65 / 4)
    assert c["projects_rate"]["task_rate"] == pytest.approx(3 / 3.65)
    assert "idle_rate" not in c
    # the ranked figures are untouched by the tasks
    assert u["甲县"]["unsupplied_rate"] == 0.4


def test_without_tasks_nothing_changes(tiny_store):
    s = build_summary(Database(tiny_store), None, D(2023, 6, 30))
    assert s["city"]["tasks"] == {} and all(u["tasks"] == {} for u in s["units"])
    assert T.lag_sentences(s, "unsupplied_rate") == []


def test_lag_sentences_of_a_summary(task_store):
    s = build_summary(Database(task_store), None, D(2023, 6, 30))
    assert T.lag_sentences(s, "unsupplied_rate") == [
        "按时间进度应完成49.6%，甲县完成30.0%，落后19.6个百分点，还需每月处置批而未供土地23亩"]


def test_province_and_country_sum_the_demo_city(national_store):
    db = Database(national_store)
    city = build_summary(db, Scope("city", "410800", "焦作市"), D(2023, 6, 30))
    prov = build_summary(db, Scope("province", "410000", "河南省"), D(2023, 6, 30))
    nat = build_summary(db, Scope.country(), D(2023, 6, 30))
    ct = city["city"]["tasks"]["unsupplied_rate"]
    assert ct["task"] > 0
    # only 焦作 has tasks: Henan and the country carry exactly its sums
    for s in (prov, nat):
        assert s["city"]["tasks"]["unsupplied_rate"]["task"] == ct["task"]
        assert s["city"]["tasks"]["unsupplied_rate"]["task_rate"] == pytest.approx(ct["task_rate"])
    henan = next(u for u in nat["units"] if u["code"] == "410000")
    assert henan["tasks"]["unsupplied_rate"]["done"] == ct["done"]
    assert all(u["tasks"] == {} for u in nat["units"] if u["code"] != "410000")
    jz = next(u for u in prov["units"] if u["code"] == "410800")
    assert jz["tasks"]["projects_rate"]["task_rate"] == pytest.approx(city["city"]["tasks"]["projects_rate"]["task_rate"])


# ---------------------------------------------------------------------------- the ledger
def _csv(text: str) -> tuple[str, bytes]:
    return ("任务.csv", text.encode("utf-8"))


def test_import_refuses_bad_unit_and_negative_task(task_store):
    bad = _csv("任务年度,单位代码,任务指标,任务值,单位\n"
               "2024,990101,批而未供处置,1200,斤\n"
               "2024,990102,批而未供处置,-5,亩\n"
               "2024,990103,重点项目用地保障率,95,亩\n"
               "2024,999999,批而未供处置,10,亩\n")
    r = import_files(task_store, [bad])
    assert not r.ok
    got = {(p.row, p.column, p.value): p.reason for p in r.problems}
    assert "单位应为" in got[(2, "单位", "斤")]
    assert got[(3, "任务值", "-5")] == "任务值不能为负数"
    assert "应为%" in got[(4, "单位", "亩")]
    assert "未知的行政区划代码" in got[(5, "行政区划代码", "999999")]
    assert "第 3 行" in r.problems[1].message and "列“任务值”" in r.problems[1].message
    # nothing stored changed
    assert pd.read_parquet(task_store / "tasks.parquet").to_dict("records") == \
        pd.DataFrame(TASKS).astype({"year": "int32"}).sort_values(["year", "code", "indicator"]).to_dict("records")


def test_import_aliases_units_history_and_rollback(task_store):
    from gengdi import versions
    from gengdi.ingest.merge import rollback

    ok = _csv("年度,区划代码,任务类型,任务值(公顷)\n2023,990103,批而未供,2\n")
    r = import_files(task_store, [ok])
    assert r.ok, [p.message for p in r.problems]
    db = Database(task_store)
    s = build_summary(db, None, D(2023, 6, 30))
    bing = {u["name"]: u for u in s["units"]}["丙县"]["tasks"]["unsupplied_rate"]
    assert bing["task"] == 30 and bing["task_rate"] == 0          # 2 公顷 = 30 亩, nothing disposed: 0, not null
    pct = _csv("年度,行政区划代码,指标,任务值\n2023,990103,重点项目用地保障率,90%\n")
    assert import_files(task_store, [pct], mode="update").ok     # adds a target, keeps the task
    rollback(task_store, versions.history(task_store)[-1]["id"])
    rollback(task_store, versions.history(task_store)[-3]["id"])
    db.refresh()
    s = build_summary(db, None, D(2023, 6, 30))
    assert {u["name"]: u for u in s["units"]}["丙县"]["tasks"] == {}


def test_template_has_the_task_sheet_and_reimports():
    from openpyxl import load_workbook

    from gengdi.ingest.workbook import template

    wb = load_workbook(io.BytesIO(template()))
    ws = wb["年度任务"]
    assert [c.value for c in ws[3]] == ["年度", "行政区划代码", "指标", "任务值", "单位"]
    assert ws.cell(6, 3).value == "重点项目用地保障率" and ws.cell(6, 5).value == "%"


def test_notice_paragraph(task_store):
    from gengdi.notice import build_notice

    db = Database(task_store)
    s = build_summary(db, None, D(2023, 6, 30))
    prev = build_summary(db, None, D(2023, 5, 31))
    n = build_notice(s, prev)
    head, text = n.paragraphs[-1]
    assert head == "七、年度任务与时间进度"
    assert text.startswith("截至2023年6月30日，时间进度为49.6%。全市批而未供处置任务250亩，任务完成率36.0%（较时间进度落后13.6个百分点）")
    assert "滞后于时间进度的有甲县：按时间进度应完成49.6%，甲县完成30.0%，落后19.6个百分点，还需每月处置批而未供土地23亩。" in text
    assert "丙县未下达批而未供处置任务。" in text


def test_notice_without_tasks_has_no_task_paragraph(tiny_store):
    from gengdi.notice import build_notice

    db = Database(tiny_store)
    n = build_notice(build_summary(db, None, D(2023, 6, 30)), build_summary(db, None, D(2023, 5, 31)))
    assert all("年度任务" not in h for h, _ in n.paragraphs)


def test_task_rate_in_the_composite_by_hand(task_store):
    from gengdi.ranking import RankSettings

    db = Database(task_store)
    only_tasks = RankSettings.make({"task_rate": 100})
    s = build_summary(db, None, D(2023, 6, 30), settings=only_tasks)
    u = {x["name"]: x for x in s["units"]}
    # 甲县: (0.3 + 2/2.85) / 2; 乙区: (0.6 + min(1.25, 1)) / 2; 丙县 has no task: no score
    assert u["甲县"]["task_rate"] == pytest.approx((0.3 + 2 / 2.85) / 2)
    assert u["乙区"]["task_rate"] == pytest.approx(0.8)
    assert u["甲县"]["composite_score"] == pytest.approx(100 * (0.3 + 2 / 2.85) / 2, abs=1e-6)
    assert (u["乙区"]["composite_rank"], u["甲县"]["composite_rank"], u["丙县"]["composite_rank"]) == (1, 2, None)
    # off by default: the published composite and the JSON are unchanged
    plain = build_summary(db, None, D(2023, 6, 30))
    assert "task_rate" not in plain["weights"] and "task_rate" not in plain["units"][0]


def test_pace_guides_only_when_every_list_has_a_task(task_store):
    from gengdi import progress

    s = build_summary(Database(task_store), None, D(2023, 6, 30))
    series = {"批而未供": ("unsupplied_rate", "unsupplied_mu")}
    # 丙县 has a 批而未供 list but no task: no task line against the whole list
    assert progress.pace_guides(s, series, [D(2023, 6, 30)]) == ()
    for u in s["units"]:
        if u["name"] == "丙县":
            u["unsupplied_mu"] = 0
    (name, level, pts), = progress.pace_guides(s, series, [D(2023, 6, 30)])
    assert level == pytest.approx(250 / 290)            # the task ÷ the whole list (150 + 100 + 40)
    assert pts[0] == (0, 0.0) and pts[6] == (6, pytest.approx(level * 181 / 365)) and pts[12][1] == pytest.approx(level)


def test_units_csv_has_the_task_columns_and_blanks_without_a_task(task_store):
    from gengdi.summary import units_frame

    df = units_frame(build_summary(Database(task_store), None, D(2023, 6, 30))).set_index("name")
    assert df.loc["甲县", "task_rate_unsupplied_rate"] == pytest.approx(0.3)
    assert pd.isna(df.loc["丙县", "task_unsupplied_rate"])
    assert "task_idle_rate" not in df.columns          # nobody has an idle task
