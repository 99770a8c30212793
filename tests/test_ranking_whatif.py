"""Weights, categories, participating units, streaks and every what-if — computed by hand."""
import datetime as dt

import pytest

from gengdi import metrics as M
from gengdi.db import Database
from gengdi.ranking import RankSettings, city_from_units, rank_table, restrict_categories, streak_text, streaks
from gengdi.summary import build_summary, rank_history
from gengdi.whatif import WhatIf, apply, newly_below_target


def fig(**kw):
    base = {
        "cultivated_mu": 1000.0, "cultivated_target_mu": 1000.0, "cultivated_rate": 1.0,
        "cultivated_change_mu": 0.0, "cultivated_gap_mu": 0.0,
        "basic_farmland_mu": 800.0, "basic_farmland_target_mu": 800.0, "basic_farmland_rate": 1.0,
        "projects_total": 10, "projects_guaranteed": 5, "projects_rate": 0.5,
        "projects_by_category": {"省重点": {"total": 4, "guaranteed": 4, "rate": 1.0},
                                 "市重点": {"total": 6, "guaranteed": 1, "rate": 1 / 6}},
        "unsupplied_mu": 100.0, "unsupplied_disposed_mu": 40.0, "unsupplied_rate": 0.4,
        "idle_mu": 0.0, "idle_disposed_mu": 0.0, "idle_rate": None,
    }
    base.update(kw)
    return base


def test_settings_validate_weights():
    s = RankSettings.make({"projects_rate": 1})
    assert s.weight_map["projects_rate"] == 1 and s.weight_map["idle_rate"] == 0
    assert RankSettings.make() == RankSettings() and s != RankSettings()
    with pytest.raises(ValueError):
        RankSettings.make({k: 0 for k in M.INDICATORS})


def test_restrict_categories():
    f = restrict_categories(fig(), ["省重点"])
    assert (f["projects_total"], f["projects_guaranteed"], f["projects_rate"]) == (4, 4, 1.0)
    assert restrict_categories(fig(), None)["projects_rate"] == 0.5
    assert restrict_categories(fig(), ["三个一批"])["projects_rate"] is None   # no such projects: null


def test_moving_a_weight_changes_the_ranking():
    units = {"a": fig(projects_rate=0.9, unsupplied_rate=0.2), "b": fig(projects_rate=0.5, unsupplied_rate=0.8)}
    # default: a = (20·100+20·100+30·90+20·20)/90 = 7100/90; b = (4000+1500+1600)/90 = 7100/90 → tie
    default = rank_table(units, RankSettings.make())
    assert default["a"]["composite_rank"] == default["b"]["composite_rank"] == 1
    heavy_projects = rank_table(units, RankSettings.make({"projects_rate": 70, "unsupplied_rate": 30}))
    assert heavy_projects["a"]["composite_rank"] == 1 and heavy_projects["b"]["composite_rank"] == 2
    assert heavy_projects["a"]["composite_score"] == pytest.approx(0.7 * 90 + 0.3 * 20)  # 69 vs b: 0.7·50 + 0.3·80 = 59


def test_units_left_out_have_no_rank():
    units = {"a": fig(projects_rate=0.9), "b": fig(projects_rate=0.5), "c": fig(projects_rate=0.7)}
    r = rank_table(units, RankSettings.make(units=["b", "c"]))
    assert r["a"]["composite_rank"] is None and r["a"]["ranks"]["projects_rate"] is None
    assert r["c"]["composite_rank"] == 1 and r["b"]["composite_rank"] == 2


def test_city_from_units_is_ratio_of_sums():
    c = city_from_units([fig(), fig(unsupplied_mu=300.0, unsupplied_disposed_mu=0.0, idle_mu=10.0, idle_disposed_mu=5.0)])
    assert c["unsupplied_rate"] == pytest.approx(40 / 400)
    assert c["idle_rate"] == 0.5
    assert c["projects_by_category"]["市重点"] == {"total": 12, "guaranteed": 2, "rate": 2 / 12}


def test_streaks_by_hand():
    history = [
        {"a": 1, "b": 2, "c": 3, "d": 4},   # previous December
        {"a": 2, "b": 1, "c": 4, "d": 3},
        {"a": 3, "b": 1, "c": 4, "d": 2},
        {"a": 4, "b": 1, "c": 3, "d": 1},
    ]
    s = streaks(history, n_units=4, tail=2)   # bottom 2 = ranks 3 and 4
    assert s["a"] == {"bottom": 2, "improving": 0}
    assert s["c"] == {"bottom": 4, "improving": 1}
    assert s["d"] == {"bottom": 0, "improving": 3}
    assert streak_text(s["d"], 2) == "连续3个月进步"
    assert streak_text(s["c"], 2) == "连续4个月排名后两位"


def test_whatif_targets():
    units = {"a": fig(cultivated_mu=1010.0, cultivated_target_mu=1000.0, cultivated_rate=1.01),
             "b": fig(cultivated_mu=1030.0, cultivated_target_mu=1000.0, cultivated_rate=1.03)}
    sim = apply(units, WhatIf(cultivated_target_pct=2))
    assert sim["a"]["cultivated_target_mu"] == 1020 and sim["a"]["cultivated_rate"] == pytest.approx(1010 / 1020)
    assert sim["a"]["cultivated_gap_mu"] == -10
    assert sim["b"]["cultivated_rate"] == pytest.approx(1030 / 1020)
    assert newly_below_target(units, sim) == [("a", "cultivated_rate")]
    assert units["a"]["cultivated_target_mu"] == 1000  # the actual figures are left alone
    only_b = apply(units, WhatIf(farmland_target_pct=-10, target_unit="b"))
    assert only_b["b"]["basic_farmland_target_mu"] == 720 and only_b["a"]["basic_farmland_target_mu"] == 800


def test_whatif_progress_is_capped():
    units = {"a": fig(), "b": fig()}
    sim = apply(units, WhatIf(unit="a", projects=3, unsupplied_mu=120, idle_mu=5))
    assert (sim["a"]["projects_guaranteed"], sim["a"]["projects_rate"]) == (8, 0.8)
    assert sim["a"]["unsupplied_disposed_mu"] == 100 and sim["a"]["unsupplied_rate"] == 1.0  # 40+120 capped at 100
    assert sim["a"]["idle_rate"] is None                    # no 闲置土地 base: still null
    assert sim["b"] == units["b"]
    assert apply(units, WhatIf(unit="a", projects=20))["a"]["projects_guaranteed"] == 10


def test_whatif_in_the_summary_moves_only_the_simulated_ranking(tiny_store):
    db = Database(tiny_store)
    actual = build_summary(db, None, dt.date(2023, 6, 30))
    # 甲县: 2/3 projects → 3/3, 60/150 亩 → 150/150: (20·100 + 0 + 30·100 + 20·100)/90 = 7000/90 = 77.78 > 乙区 72.5
    sim = build_summary(db, None, dt.date(2023, 6, 30), whatif=WhatIf(unit="990101", projects=1, unsupplied_mu=90))
    a = {u["name"]: u for u in actual["units"]}
    s = {u["name"]: u for u in sim["units"]}
    assert a["甲县"]["composite_rank"] == 2 and s["甲县"]["composite_rank"] == 1
    assert s["甲县"]["composite_score"] == pytest.approx(7000 / 90, abs=1e-6)
    assert s["甲县"]["rank_change"] == 1          # against last month's actual rank 2
    assert sim["city"]["projects_rate"] == 1.0 and actual["city"]["projects_rate"] == 0.75
    again = build_summary(db, None, dt.date(2023, 6, 30))
    assert again == actual


def test_categories_and_units_in_the_summary(tiny_store):
    db = Database(tiny_store)
    only_prov = build_summary(db, None, dt.date(2023, 6, 30), settings=RankSettings.make(categories=["省重点"]))
    u = {x["name"]: x for x in only_prov["units"]}
    assert u["甲县"]["projects_rate"] == 1.0 and u["乙区"]["projects_rate"] is None
    assert only_prov["city"]["projects_rate"] == 1.0
    without_bing = build_summary(db, None, dt.date(2023, 6, 30), settings=RankSettings.make(units=["990101", "990102"]))
    u = {x["name"]: x for x in without_bing["units"]}
    assert u["丙县"]["composite_rank"] is None and u["丙县"]["rank_change"] is None


def test_rank_history(tiny_store):
    h = rank_history(Database(tiny_store), "990100", dt.date(2023, 2, 15))
    assert [d for d, _ in h] == [dt.date(2022, 12, 31), dt.date(2023, 1, 31), dt.date(2023, 2, 15)]
    assert h[0][1] == {"990101": 3, "990102": 2, "990103": 1}
    assert h[1][1] == {"990101": 1, "990102": 2, "990103": 3}


def test_no_bottom_streak_when_there_are_few_units():
    history = [{"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 2, "c": 3}]
    assert streaks(history, n_units=3, tail=3)["c"]["bottom"] == 0
