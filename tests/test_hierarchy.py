"""Province → city → county: every level's figures are sums over its county-level units (ratio of
sums), rankings follow the same rules at every level, and the pandas baseline agrees with DuckDB."""
import datetime as dt

import pandas as pd
import pytest

from gengdi import metrics as M
from gengdi import queries as Q
from gengdi.baseline import PandasStore, differences
from gengdi.bench import PAGES, open_app
from gengdi.db import Database
from gengdi.regions import province_of
from gengdi.scope import Scope
from gengdi.summary import build_summary

JUNE = dt.date(2023, 6, 30)
JAN = dt.date(2024, 1, 31)      # last month is in another year: another project list
SUMMED = ["cultivated_mu", "cultivated_target_mu", "cultivated_change_mu", "basic_farmland_mu",
          "basic_farmland_target_mu", "projects_total", "projects_guaranteed", "unsupplied_mu",
          "unsupplied_disposed_mu", "idle_mu", "idle_disposed_mu"]


@pytest.fixture(scope="module")
def store(national_store):
    return national_store


@pytest.fixture(scope="module")
def db(store):
    return Database(store)


@pytest.fixture(scope="module")
def units(db):
    s = build_summary(db, Scope.country(), JUNE, by="unit")
    return {u["code"]: u for u in s["units"]}


def _sum(values):
    vals = [v for v in values if v is not None]
    return round(sum(vals), 4) if vals else None


def _check_sums(place: dict, members: list[dict]) -> None:
    """The place's numerators and denominators are the sums over its units; rates are ratios of them."""
    assert members, place["name"]
    for key in SUMMED:
        assert place[key] == pytest.approx(_sum(u[key] for u in members), abs=1e-3), (place["name"], key)
    assert place["cultivated_rate"] == pytest.approx(M.ratio(place["cultivated_mu"], place["cultivated_target_mu"]))
    assert place["projects_rate"] == pytest.approx(M.ratio(place["projects_guaranteed"], place["projects_total"]))
    assert place["unsupplied_rate"] == pytest.approx(M.ratio(place["unsupplied_disposed_mu"], place["unsupplied_mu"]))
    for cat, f in place["projects_by_category"].items():
        assert f["total"] == sum(u["projects_by_category"].get(cat, {"total": 0})["total"] for u in members)
        assert f["guaranteed"] == sum(u["projects_by_category"].get(cat, {"guaranteed": 0})["guaranteed"] for u in members)


def test_the_store_has_the_national_shape(db):
    areas = Q.areas(db)
    assert (areas["level"] == "province").sum() == 31
    assert (areas["level"] == "city").sum() == 342
    assert (areas["level"] == "unit").sum() == 2837
    cities = areas[areas["level"] == "city"]
    assert (cities["province"] == cities["code"].map(province_of)).all()
    assert areas.loc[areas["code"] == "410000", "name"].item() == "河南省"


def test_province_ranking_equals_sums_over_units(db, units):
    s = build_summary(db, Scope.country(), JUNE)
    assert s["scope"] == {"level": "country", "code": "000000", "name": "全国", "by": "province"}
    assert len(s["units"]) == 31
    for p in s["units"]:
        _check_sums(p, [u for c, u in units.items() if province_of(c) == p["code"]])
    _check_sums(s["city"], list(units.values()))       # the country is the sum of everything


def test_city_ranking_within_a_province_equals_sums_over_units(db, units):
    areas = Q.areas(db)
    city_of = dict(zip(areas.loc[areas["level"] == "unit", "code"], areas.loc[areas["level"] == "unit", "city"]))
    s = build_summary(db, Scope("province", "410000", "河南省"), JUNE)
    assert len(s["units"]) == 18 and "410800" in [c["code"] for c in s["units"]]
    for c in s["units"]:
        _check_sums(c, [u for code, u in units.items() if city_of[code] == c["code"]])
    _check_sums(s["city"], [u for code, u in units.items() if code.startswith("41")])


def test_cities_of_the_whole_country_rank_by_the_same_rules(db):
    s = build_summary(db, Scope.country(), JUNE, by="city")
    assert len(s["units"]) == 342
    ranks = M.rank({u["code"]: u["projects_rate"] for u in s["units"]})
    assert {u["code"]: u["ranks"]["projects_rate"] for u in s["units"]} == ranks
    composite = M.rank({u["code"]: u["composite_score"] for u in s["units"]})
    assert {u["code"]: u["composite_rank"] for u in s["units"]} == composite


def test_rank_change_at_province_level_is_last_months_rank_minus_this_months(db):
    now = build_summary(db, Scope.country(), JAN)
    before = build_summary(db, Scope.country(), dt.date(2023, 12, 31))
    was = {u["code"]: u["composite_rank"] for u in before["units"]}
    for u in now["units"]:
        assert u["rank_change"] == M.rank_change(was[u["code"]], u["composite_rank"])


def test_a_city_scope_is_the_city_summary(db):
    by_code = build_summary(db, "410800", JUNE)
    by_scope = build_summary(db, Scope("city", "410800", "焦作市"), JUNE)
    assert by_code == by_scope
    assert "scope" not in by_code                     # the JSON contract of a city summary is unchanged
    assert by_code["city"]["projects_by_category"]["省重点"] == {"total": 112, "guaranteed": 103,
                                                               "rate": pytest.approx(103 / 112)}


def test_the_figures_match_a_direct_pandas_count_over_the_parquet_files(store, db):
    """An independent check of one province's numbers straight from the files."""
    projects = pd.read_parquet(store / "projects")
    units = pd.read_parquet(store / "units.parquet")
    mine = units[(units["level"] == "县级") & units["parent_code"].str.startswith("13")]["code"]
    p = projects[(projects["year"].astype(int) == 2023) & projects["code"].isin(mine)]
    guaranteed = (pd.to_datetime(p["guaranteed_date"]) <= pd.Timestamp(JUNE)).sum()
    s = build_summary(db, Scope("province", "130000", "河北省"), JUNE)
    assert s["city"]["projects_total"] == len(p) > 0
    assert s["city"]["projects_guaranteed"] == guaranteed


@pytest.mark.parametrize("city,as_of", [("410800", JUNE), ("410800", JAN), ("130500", JUNE),
                                        ("650100", dt.date(2024, 9, 30)), ("110100", dt.date(2015, 3, 15))])
def test_the_pandas_baseline_agrees_with_duckdb(store, db, city, as_of):
    pandas = PandasStore(store).city_summary(city, as_of)
    duck = build_summary(db, city, as_of)
    assert differences(pandas, duck) == []
    assert differences(pandas, duck) == []


def test_agreement_notices_a_changed_number(store, db):
    duck = build_summary(db, "410800", JUNE)
    pandas = PandasStore(store).city_summary("410800", JUNE)
    pandas["units"][0]["projects_guaranteed"] += 1
    pandas["units"][1]["unsupplied_mu"] += 0.01
    diff = differences(pandas, duck)
    assert len(diff) == 2 and "projects_guaranteed" in diff[0] and "unsupplied_mu" in diff[1]


# ---------------------------------------------------------------------------- the app, several cities
def _app(store, monkeypatch, page=PAGES[0], **query):
    monkeypatch.setenv("GENGDI_DATA", str(store))
    return open_app(page, query, timeout=120)


def _kpi(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_the_app_opens_on_the_country_and_drills_down_by_the_selectors(store, db, monkeypatch):
    from gengdi import fmt

    at = _app(store, monkeypatch)
    at.selectbox(key="month").set_value("2023-06").run()
    country = build_summary(db, Scope.country(), JUNE)
    assert at.selectbox(key="province").value == ""
    assert _kpi(at, "重点项目用地保障率") == fmt.pct(country["city"]["projects_rate"])
    assert len(at.dataframe(key="overview_drill_000000_province").value) == 31
    at.selectbox(key="province").set_value("410000").run()
    henan = build_summary(db, Scope("province", "410000", "河南省"), JUNE)
    assert _kpi(at, "重点项目用地保障率") == fmt.pct(henan["city"]["projects_rate"])
    assert len(at.dataframe(key="overview_drill_410000_city").value) == 18
    assert "焦作市（410800）" in at.selectbox(key="city").options
    at.selectbox(key="city").set_value("410800").run()
    assert not at.exception
    assert _kpi(at, "重点项目用地保障率") == "91.44%"          # 焦作市 2023年6月, as in the demo
    assert not [d.key for d in at.dataframe if d.key.startswith("overview_drill")]   # a city's units are the leaves


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_every_unit_of_the_country(store, monkeypatch, page):
    at = _app(store, monkeypatch, page, by="县区")
    assert at.segmented_control(key="by").value == "unit"
    assert at.title[0].value


def test_a_trend_leaves_out_years_in_which_some_units_did_not_report(db):
    """焦作's 耕地 starts in 2019 and the other cities' in 2014: 河南's 2014–2018 totals would jump
    by 焦作's 250万亩 in 2019, so those years are left out and named."""
    from gengdi import views

    trend = Q.cultivated_trend(db, Scope("province", "410000", "河南省"), "city")
    series, left_out = views.cultivated_series(trend, None, 2023)
    assert series["year"].tolist() == [2019, 2020, 2021, 2022, 2023]
    assert left_out == [2014, 2015, 2016, 2017, 2018]
    full = trend[trend["year"] == 2023]
    assert series.loc[series["year"] == 2023, "cultivated_mu"].item() == pytest.approx(full["cultivated_mu"].sum())
    other, none = views.cultivated_series(trend, "410100", 2023)    # a synthetic city: all ten years
    assert other["year"].tolist() == list(range(2014, 2024)) and none == []


def test_each_city_counts_at_its_own_data_year(national_store, tmp_path):
    """spec: the data year is the latest 年度 ≤ Y that *the city* has data for. A city whose 2023
    survey is not in yet counts with its 2022 figures in the province, as on its own page."""
    import shutil

    from gengdi import schema as S
    from gengdi import views
    from gengdi.store import write_table

    d = tmp_path / "lagging"
    shutil.copytree(national_store, d)
    c = pd.read_parquet(d / "cultivated.parquet")
    lagging = c["code"].str.startswith("4101") & (c["year"] == 2023)
    write_table(d, S.CULTIVATED, c[~lagging])
    db = Database(d)
    own = build_summary(db, "410100", JUNE)
    assert own["data_year"] == 2022
    henan = build_summary(db, Scope("province", "410000", "河南省"), JUNE)
    assert henan["data_year"] == 2023
    row = next(u for u in henan["units"] if u["code"] == "410100")
    assert row["cultivated_mu"] == own["city"]["cultivated_mu"] is not None
    assert row["cultivated_rate"] == pytest.approx(own["city"]["cultivated_rate"])
    _check_sums(henan["city"], [u for u in build_summary(db, Scope("province", "410000", "河南省"), JUNE,
                                                           by="unit")["units"]])
    # the trend of the province leaves 2023 out (one city's survey is missing), not a false drop
    trend = Q.cultivated_trend(db, Scope("province", "410000", "河南省"), "city")
    series, left_out = views.cultivated_series(trend, None, 2023)
    assert 2023 in left_out and series["year"].max() == 2022
