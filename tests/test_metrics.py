"""The 口径 on values small enough to compute by hand."""
import datetime as dt

import pytest

from gengdi import metrics as M


def test_ratio_zero_or_missing_denominator_is_null():
    assert M.ratio(1, 0) is None
    assert M.ratio(None, 5) is None
    assert M.ratio(3, None) is None
    assert M.ratio(3, 4) == 0.75


def test_rank_ties_share_the_better_rank():
    assert M.rank({"a": 0.9, "b": 0.8, "c": 0.8, "d": 0.7}) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_rank_compares_at_six_decimals_and_null_has_no_rank():
    r = M.rank({"a": 0.5000001, "b": 0.5, "c": None, "d": 0.6})
    assert r == {"a": 2, "b": 2, "c": None, "d": 1}


def sums(cultivated=None, projects=None, parcels=None):
    """A place's sums, as the production queries hand them to :func:`metrics.figures`."""
    out = M.empty_sums()
    out["cultivated"].update(cultivated or {})
    out["projects"] = {k: list(v) for k, v in (projects or {}).items()}
    out["parcels"] = {k: list(v) for k, v in (parcels or {}).items()}
    return out


def test_city_rate_is_ratio_of_sums_not_mean_of_rates():
    a = sums(parcels={"批而未供": (10.0, 1.0)})     # 10%
    b = sums(parcels={"批而未供": (90.0, 81.0)})    # 90%
    fig = M.figures(M.add_sums(M.add_sums(M.empty_sums(), a), b))
    assert fig["unsupplied_rate"] == pytest.approx(82 / 100)  # not (0.1 + 0.9) / 2 = 0.5
    assert fig["idle_mu"] == 0 and fig["idle_rate"] is None


def test_projects_by_category_and_zero_total():
    fig = M.figures(sums(projects={"省重点": (4, 3), "市重点": (2, 0)}), categories=["三个一批"])
    assert fig["projects_total"] == 6 and fig["projects_guaranteed"] == 3
    assert fig["projects_rate"] == 0.5
    assert fig["projects_by_category"] == {
        "省重点": {"total": 4, "guaranteed": 3, "rate": 0.75},
        "市重点": {"total": 2, "guaranteed": 0, "rate": 0.0},
        "三个一批": {"total": 0, "guaranteed": 0, "rate": None},
    }
    assert M.figures(M.empty_sums())["projects_rate"] is None


UNIT = {"n_cultivated": 1, "cultivated_mu": 1010.0, "cultivated_target_mu": 1000.0, "n_prev": 1, "prev_mu": 1000.0,
        "n_basic_farmland": 1, "basic_farmland_mu": 790.0, "basic_farmland_target_mu": 800.0}


def test_cultivated_fields():
    fig = M.figures(sums(UNIT))
    assert fig["cultivated_rate"] == 1.01
    assert fig["cultivated_change_mu"] == 10.0
    assert fig["cultivated_gap_mu"] == 10.0
    assert fig["basic_farmland_rate"] == 790 / 800
    assert "cultivated_change_note" not in fig
    no_prev = dict(UNIT, n_prev=0, prev_mu=0, n_new=1)
    assert M.figures(sums(no_prev))["cultivated_change_mu"] is None


def test_change_of_a_place_is_the_difference_of_its_totals():
    """A unit split out of another: 甲 had 1000 at Yd−1 and 600 at Yd, 乙 (new) 420 at Yd. The place
    went from 1000 to 1020: +20, not the sum of the units' own changes (−400)."""
    jia = sums({**UNIT, "cultivated_mu": 600.0})
    yi = sums({**UNIT, "cultivated_mu": 420.0, "n_prev": 0, "prev_mu": 0, "n_new": 1})
    total = M.figures(M.add_sums(M.add_sums(M.empty_sums(), jia), yi))
    assert total["cultivated_change_mu"] == 20.0
    assert "1个县级单位上年无数据" in total["cultivated_change_note"]
    assert M.figures(yi)["cultivated_change_mu"] is None and "cultivated_change_note" not in M.figures(yi)


def test_indicator_scores():
    assert M.indicator_score("cultivated_rate", 1.0) == 100
    assert M.indicator_score("cultivated_rate", 0.999) == 0      # red line missed
    assert M.indicator_score("projects_rate", 0.9) == pytest.approx(90)
    assert M.indicator_score("projects_rate", 1.2) == 100
    assert M.indicator_score("idle_rate", None) is None


def test_composite_with_default_weights_by_hand():
    values = {"cultivated_rate": 1.01, "basic_farmland_rate": 0.99, "projects_rate": 0.8,
              "unsupplied_rate": 0.5, "idle_rate": 0.25}
    # 20×100 + 20×0 + 30×80 + 20×50 + 10×25 = 2000 + 0 + 2400 + 1000 + 250 = 5650 / 100
    assert M.composite_score(values, M.DEFAULT_WEIGHTS) == pytest.approx(56.5)


def test_composite_null_indicator_weight_is_shared():
    values = {"cultivated_rate": 1.0, "basic_farmland_rate": 1.0, "projects_rate": 0.6,
              "unsupplied_rate": 0.4, "idle_rate": None}
    # (20×100 + 20×100 + 30×60 + 20×40) / 90 = 6600 / 90
    assert M.composite_score(values, M.DEFAULT_WEIGHTS) == pytest.approx(6600 / 90)
    assert M.composite_score({k: None for k in M.INDICATORS}, M.DEFAULT_WEIGHTS) is None


def test_normalize_weights():
    w = M.normalize_weights({"cultivated_rate": 1, "projects_rate": 3})
    assert w["cultivated_rate"] == 0.25 and w["projects_rate"] == 0.75 and w["idle_rate"] == 0
    assert sum(M.normalize_weights(M.DEFAULT_WEIGHTS).values()) == pytest.approx(1)
    with pytest.raises(ValueError):
        M.normalize_weights({})


def test_ranking_and_rank_change():
    units = {
        "a": {"projects_rate": 0.9},
        "b": {"projects_rate": 0.5},
        "c": {"projects_rate": 0.9},
        "d": {},
    }
    r = M.ranking(units, {"projects_rate": 1})
    assert [r[k]["composite_rank"] for k in "abcd"] == [1, 3, 1, None]
    assert r["a"]["composite_score"] == 90
    assert M.rank_change(5, 2) == 3 and M.rank_change(1, 4) == -3 and M.rank_change(None, 1) is None


def test_month_dates():
    assert M.month_end(2023, 2) == dt.date(2023, 2, 28)
    assert M.month_end(2024, 2) == dt.date(2024, 2, 29)
    assert M.month_end(2023, 12) == dt.date(2023, 12, 31)
    assert M.previous_month_end(dt.date(2023, 1, 31)) == dt.date(2022, 12, 31)
    assert M.previous_month_end(dt.date(2023, 6, 15)) == dt.date(2023, 5, 31)
