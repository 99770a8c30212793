"""AppTest: the disposal and projects pages show the 年度任务 block computed by the summary."""
import datetime as dt
import json

import pytest

from gengdi import tasks as T
from gengdi.config import DEFAULT_DATA_DIR
from gengdi.db import Database
from gengdi.summary import build_summary

from test_pages import PAGES, demo_env, html_text, open_page  # noqa: F401


@pytest.fixture(scope="module")
def june():
    return build_summary(Database(DEFAULT_DATA_DIR), None, dt.date(2023, 6, 30))


def _table(at):
    return next(d.value for d in at.dataframe if "单位" in d.value.columns and "进度差" in d.value.columns)


def test_disposal_page_lag_sentences_and_table(demo_env, june):
    at = open_page(PAGES[3])
    text = html_text(at)
    assert T.pace_headline(june, "unsupplied_rate", "全市") in text
    lag = T.lag_sentences(june, "unsupplied_rate")
    assert lag and all(x in text for x in lag[:15])
    table = _table(at)
    assert table.iloc[0]["单位"] == "全市"
    assert table.iloc[0]["任务完成率"] == f"{june['city']['tasks']['unsupplied_rate']['task_rate'] * 100:.1f}%"
    # the time-progress and task lines are drawn
    names = [t.get("name", "") for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]]
    assert "批而未供时间进度" in names and any(n.startswith("批而未供年度任务") for n in names)
    # 闲置土地: 中站区 has no task, and the table says so
    assert T.task_table(june, "idle_rate", "全市")[-1] == {
        "单位": "中站区", "年度任务": "未下达任务", "已完成": "—", "任务完成率": "—", "进度差": "—",
        "预计年底": "—", "还需每月": "—", "状态": "未下达任务"}


def test_projects_page_task_block(demo_env, june):
    at = open_page(PAGES[2])
    assert T.pace_headline(june, "projects_rate", "全市") in html_text(at)
    table = _table(at)
    assert set(table["单位"]) >= {u["name"] for u in june["units"]}


def test_year_without_tasks_says_so(demo_env):
    at = open_page(PAGES[3], month="2022-06")
    shown = html_text(at) + "\n".join(x.value for x in at.info) + "\n".join(x.value for x in at.caption)
    assert "2022年批而未供处置任务：未下达任务" in shown
    names = [t.get("name", "") for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]]
    assert not any("时间进度" in n for n in names)


def test_goal_seek_fills_the_whatif_from_the_task(demo_env, june):
    at = open_page(PAGES[4])
    wen = next(u for u in june["units"] if u["name"] == "温县")
    at.selectbox(key="sim_u").set_value(wen["code"]).run()
    text = html_text(at)
    lines = T.goal_seek_lines("温县", wen["tasks"], june["time_progress"])
    assert all(x in text for x in lines)
    at.button(key="seek_pace").click().run()
    assert not at.exception, [e.value for e in at.exception]
    need = T.goal_seek(wen["tasks"]["unsupplied_rate"], june["time_progress"])["to_pace"]
    assert at.number_input(key="sim_us").value == pytest.approx(need)
    # after the catch-up, 温县's simulated 批而未供 task is at the time progress (not behind)
    text = html_text(at)
    assert "模拟后的年度任务进度" in text
    lists = [h.proto.body for h in at.get("html") if 'class="gd-list"' in h.proto.body]   # the bullet lists
    sim_line = next(x for body in lists for x in body.split("<li>") if "温县完成" in x and "批而未供" in x)
    assert "落后" not in sim_line


def test_task_rate_weight_is_off_by_default_and_moves_the_composite(demo_env, june):
    from gengdi.ranking import RankSettings

    at = open_page(PAGES[4])
    assert at.number_input(key="w_task").value == 0
    default = {u["code"]: u["composite_rank"] for u in june["units"]}
    assert "task_rate" not in june["weights"] and all("task_rate" not in u for u in june["units"])
    at.number_input(key="w_task").set_value(30).run()
    assert not at.exception, [e.value for e in at.exception]
    text = html_text(at)
    assert "任务完成率 23%" in text     # 30 of 130 in the weights line
    w = {**RankSettings.make().weight_map, "task_rate": 30}
    weighted = build_summary(Database(DEFAULT_DATA_DIR), None, dt.date(2023, 6, 30), settings=RankSettings.make(w))
    assert {u["code"]: u["composite_rank"] for u in weighted["units"]} != default
    bo = next(u for u in weighted["units"] if u["name"] == "博爱县")
    rates = [min(f["task_rate"], 1) for f in bo["tasks"].values()]
    assert bo["task_rate"] == pytest.approx(sum(rates) / len(rates))
