"""本月要点 in words: the last places with reasons, movers, partial months, import time."""
import datetime as dt

from gengdi import highlights as H
from gengdi.config import DEFAULT_DATA_DIR
from gengdi.db import Database
from gengdi.summary import build_summary


def unit(code, name, rank, score, change, **rates):
    base = {"cultivated_rate": 1.01, "basic_farmland_rate": 1.01, "projects_rate": 0.95,
            "unsupplied_rate": 0.6, "idle_rate": 0.6}
    return {"code": code, "name": name, "composite_rank": rank, "composite_score": score,
            "rank_change": change, **base, **rates}


def test_a_low_place_with_rank_score_change_and_reasons_in_words():
    u = unit("410803", "中站区", 11, 63.654, 0, basic_farmland_rate=0.996, projects_rate=36 / 43)
    p = H.place(u)
    assert p.head == "中站区 第11名 63.65分，持平"
    assert p.reasons == ("永农完成率 99.60%，低于100%，未完成目标", "项目保障率 83.72%，低于 85% 预警线")
    assert p.line.startswith("中站区 第11名 63.65分，持平——永农完成率 99.60%")


def test_change_words_say_flat_up_down_and_none():
    assert H.change_words(0) == "持平"
    assert H.change_words(2) == "较上月↑2"
    assert H.change_words(-1) == "较上月↓1"
    assert H.change_words(None) == "无上月名次"


def test_nobody_tied_first_is_called_last():
    units = [unit(str(i), f"县{i}", 1, 100.0, 0) for i in range(9)]
    bottom, note = H.bottom_places(units)
    assert bottom == [] and "并列" in note and "不列后三" in note
    # two below nine tied: only the lower half is listed
    units += [unit("a", "甲", 10, 80.0, -1), unit("b", "乙", 11, 70.0, None)]
    bottom, note = H.bottom_places(units)
    assert [p.name for p in bottom] == ["乙", "甲"] and note is None


def test_movers_biggest_first_with_from_and_to():
    units = [unit("1", "温县", 5, 90, 3), unit("2", "孟州市", 6, 88, 1), unit("3", "修武县", 9, 70, -4),
             unit("4", "山阳区", 1, 99, 0)]
    assert H.movers(units) == ["温县 ↑3（第8名→第5名）", "孟州市 ↑1（第7名→第6名）", "修武县 ↓4（第5名→第9名）"]


def test_coverage_of_a_month_without_lists():
    full = {"projects_total": 10, "unsupplied_mu": 5.0, "idle_mu": 0.0, "cultivated_rate": 1.0}
    assert H.coverage(full) is None
    assert H.coverage({**full, "projects_total": 0, "unsupplied_mu": 0.0}) == "本月无重点项目清单和处置任务，综合排名仅含耕地两项"
    assert H.coverage({**full, "projects_total": 0}) == "本月无重点项目清单，综合排名仅含耕地两项、处置率"


def test_demo_month_before_any_list_is_said_and_not_ranked_as_a_tie():
    s = build_summary(Database(DEFAULT_DATA_DIR), None, dt.date(2021, 6, 30))
    hl = H.build(s)
    assert hl.coverage == "本月无重点项目清单和处置任务，综合排名仅含耕地两项"
    assert all(not p.head.split()[1] == "第1名" for p in hl.bottom)


def test_demo_june_bottom_three_worst_first_with_reasons():
    s = build_summary(Database(DEFAULT_DATA_DIR), None, dt.date(2023, 6, 30))
    hl = H.build(s)
    ranks = sorted((u["composite_rank"] for u in s["units"] if u["composite_rank"]), reverse=True)[:3]
    assert [int(p.head.split("第")[1].split("名")[0]) for p in hl.bottom] == ranks
    assert all(p.reasons for p in hl.bottom)


def test_import_time_in_beijing_time():
    assert H.import_time_label("2026-11-05T02:15:00+00:00") == "2026年11月5日 10:15（北京时间）"
    assert H.import_time_label(None) == "尚未导入台账（初始数据）"


def test_a_zero_change_is_flat_not_a_green_arrow():
    from gengdi import views

    assert views.delta_pp(0.9, 0.9) == views.FLAT == "持平"
    assert views.delta_pp(0.9004, 0.9) == "持平"
    assert views.delta_pp(0.91, 0.9) == "+1.0个百分点"
    assert views.delta_wan_mu(20.0) == "持平" and views.delta_wan_mu(-1896.08) == "-0.19万亩"


def test_rank_trend_axis_runs_1_to_n_and_opens_on_the_last_place():
    import pandas as pd

    from gengdi import charts, views

    fig = charts.rank_trend(pd.DataFrame({"month": [1, 2, 3], "rank": [10, 11, 10]}), 11)
    assert list(fig.layout.yaxis.range) == [11.5, 0.5] and fig.layout.yaxis.autorange is False
    s = build_summary(Database(DEFAULT_DATA_DIR), None, dt.date(2023, 6, 30))
    first = views.lowest_first(s)[0]
    assert next(u for u in s["units"] if u["code"] == first)["composite_rank"] == max(
        u["composite_rank"] for u in s["units"] if u["composite_rank"])
