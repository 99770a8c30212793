"""The summary on the tiny store of conftest.py; every expected value computed by hand."""
import datetime as dt

import pytest

from gengdi.db import Database
from gengdi.summary import NoData, build_summary

D = dt.date


def units_by_name(s):
    return {u["name"]: u for u in s["units"]}


def test_unit_figures_june(tiny_store):
    s = build_summary(Database(tiny_store), None, D(2023, 6, 30))
    assert s["as_of"] == "2023-06-30" and s["data_year"] == 2023
    u = units_by_name(s)
    jia, yi, bing = u["甲县"], u["乙区"], u["丙县"]

    assert jia["cultivated_rate"] == pytest.approx(1.01)
    assert jia["cultivated_change_mu"] == 10 and jia["cultivated_gap_mu"] == 10
    assert jia["basic_farmland_rate"] == pytest.approx(0.9875)
    # P2 guaranteed on the as-of date counts, P3 on the day after does not
    assert (jia["projects_total"], jia["projects_guaranteed"]) == (3, 2)
    assert jia["projects_by_category"]["省重点"] == {"total": 2, "guaranteed": 2, "rate": 1.0}
    assert jia["projects_by_category"]["市重点"] == {"total": 1, "guaranteed": 0, "rate": 0.0}
    assert (jia["unsupplied_mu"], jia["unsupplied_disposed_mu"], jia["unsupplied_rate"]) == (150, 60, 0.4)
    assert (jia["idle_mu"], jia["idle_rate"]) == (0, None)

    assert yi["cultivated_rate"] == pytest.approx(0.76) and yi["cultivated_gap_mu"] == -60
    assert yi["projects_by_category"]["省重点"] == {"total": 0, "guaranteed": 0, "rate": None}
    assert yi["unsupplied_rate"] == 1.0 and yi["idle_rate"] == 0.25

    # 丙县 has no row for the data year 2023: its cultivated figures are null, not 0
    for k in ("cultivated_mu", "cultivated_rate", "cultivated_change_mu", "basic_farmland_rate"):
        assert bing[k] is None
    assert bing["projects_total"] == 0 and bing["projects_rate"] is None
    assert bing["unsupplied_rate"] == 0.0


def test_city_is_ratio_of_sums(tiny_store):
    c = build_summary(Database(tiny_store), None, D(2023, 6, 30))["city"]
    assert (c["code"], c["name"]) == ("990100", "测试市")
    assert c["cultivated_mu"] == 1200 and c["cultivated_target_mu"] == 1250
    assert c["cultivated_rate"] == pytest.approx(0.96)
    # the change of the city is its total at 2023 minus its total at 2022 (丙县 reported 500 in 2022
    # and nothing in 2023): 1200 − 1700, said with the note that the units differ
    assert c["cultivated_change_mu"] == -500 and c["cultivated_gap_mu"] == -50
    assert "1个县级单位本年无数据" in c["cultivated_change_note"]
    assert c["basic_farmland_rate"] == pytest.approx(940 / 900)
    assert (c["projects_total"], c["projects_guaranteed"], c["projects_rate"]) == (4, 3, 0.75)
    assert c["projects_by_category"]["市重点"]["rate"] == 0.5
    assert c["unsupplied_rate"] == pytest.approx(90 / 220)   # mean of unit rates would be 0.4667
    assert c["idle_rate"] == 0.25


def test_ranks_and_composite(tiny_store):
    u = units_by_name(build_summary(Database(tiny_store), None, D(2023, 6, 30)))
    assert u["甲县"]["ranks"] == {"cultivated_rate": 1, "basic_farmland_rate": 2, "projects_rate": 2,
                                 "unsupplied_rate": 2, "idle_rate": None}
    assert u["丙县"]["ranks"]["unsupplied_rate"] == 3 and u["丙县"]["ranks"]["cultivated_rate"] is None
    assert u["甲县"]["composite_score"] == pytest.approx(4800 / 90, abs=1e-6)
    assert u["乙区"]["composite_score"] == pytest.approx(72.5)
    assert u["丙县"]["composite_score"] == 0
    assert [u[n]["composite_rank"] for n in ("乙区", "甲县", "丙县")] == [1, 2, 3]
    assert [u[n]["rank_change"] for n in ("乙区", "甲县", "丙县")] == [0, 0, 0]


def test_rank_change_across_the_year_boundary(tiny_store):
    # 2022-12-31 ranks: 丙县 1 (100), 乙区 2 (71.43), 甲县 3 (57.14); 2023-01-31: 甲 1, 乙 2, 丙 3
    u = units_by_name(build_summary(Database(tiny_store), None, D(2023, 1, 31)))
    assert [u[n]["composite_rank"] for n in ("甲县", "乙区", "丙县")] == [1, 2, 3]
    assert [u[n]["rank_change"] for n in ("甲县", "乙区", "丙县")] == [2, 0, -2]


def test_data_year_is_latest_year_not_after_the_month(tiny_store):
    s = build_summary(Database(tiny_store), None, D(2024, 3, 31))
    assert s["data_year"] == 2023
    assert units_by_name(s)["甲县"]["cultivated_change_mu"] == 10
    assert s["city"]["projects_total"] == 0 and s["city"]["projects_rate"] is None
    s = build_summary(Database(tiny_store), None, D(2021, 12, 31))
    assert s["data_year"] is None and s["city"]["cultivated_mu"] is None


def test_unknown_city_and_empty_store(tiny_store, tmp_path):
    with pytest.raises(NoData, match="未知的市级行政区划代码 123456"):
        build_summary(Database(tiny_store), "123456", D(2023, 6, 30))
    with pytest.raises(NoData):
        build_summary(Database(tmp_path), None, D(2023, 6, 30))
