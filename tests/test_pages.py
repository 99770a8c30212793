"""AppTest for every page: renders, shows the summary's numbers, follows the month, empty store."""
import datetime as dt
import re

import pytest
from streamlit.testing.v1 import AppTest

from gengdi import fmt
from gengdi.config import DEFAULT_DATA_DIR, REPO_ROOT
from gengdi.db import Database
from gengdi.summary import build_summary

APP = REPO_ROOT / "app.py"
PAGES = ["pages/overview.py", "pages/cultivated.py", "pages/projects.py", "pages/disposal.py",
         "pages/ranking.py", "pages/map.py"]


@pytest.fixture(scope="module")
def summaries():
    db = Database(DEFAULT_DATA_DIR)
    return {m: build_summary(db, None, d) for m, d in
            (("2023-06", dt.date(2023, 6, 30)), ("2023-03", dt.date(2023, 3, 31)))}


@pytest.fixture
def demo_env(monkeypatch):
    monkeypatch.setenv("GENGDI_DATA", str(DEFAULT_DATA_DIR))


def open_page(page: str, month: str | None = "2023-06") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    if month:
        at.selectbox(key="month").set_value(month).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def html_text(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html")) + "\n".join(m.value for m in at.markdown)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(demo_env, page):
    at = open_page(page, month=None)
    assert at.title[0].value
    assert "示例数据" in html_text(at)
    assert at.selectbox(key="month").value == "2024-09"  # default: the latest month with data


def test_overview_equals_summary_and_follows_the_month(demo_env, summaries):
    at = open_page(PAGES[0])
    c = summaries["2023-06"]["city"]
    assert metric(at, "耕地（2023年度）") == fmt.wan_mu(c["cultivated_mu"]) == "256.99万亩"
    assert metric(at, "永久基本农田（2023年度）") == "230.98万亩"
    assert metric(at, "重点项目用地保障率") == fmt.pct(c["projects_rate"])
    assert metric(at, "省重点项目保障率") == "91.96%"
    assert metric(at, "市重点项目保障率") == "89.69%"
    assert metric(at, "三个一批项目保障率") == "94.51%"
    assert metric(at, "批而未供处置率") == fmt.pct(c["unsupplied_rate"])
    assert metric(at, "闲置土地处置率") == fmt.pct(c["idle_rate"])
    top = min(summaries["2023-06"]["units"], key=lambda u: u["composite_rank"])
    assert f"第1名 {top['name']}" in html_text(at)

    at.selectbox(key="month").set_value("2023-03").run()
    march = summaries["2023-03"]["city"]
    assert metric(at, "重点项目用地保障率") == fmt.pct(march["projects_rate"]) != fmt.pct(c["projects_rate"])


def test_cultivated_table_equals_summary(demo_env, summaries):
    at = open_page(PAGES[1])
    table = at.dataframe[0].value
    rates = dict(zip(table["单位"], table["完成率"]))
    for u in summaries["2023-06"]["units"]:
        assert rates[u["name"]] == pytest.approx(u["cultivated_rate"] * 100)
    assert table["完成率"].iloc[0] < 100   # sorted: the unit short of its target first


def test_projects_page_counts_and_filters(demo_env, summaries):
    at = open_page(PAGES[2])
    c = summaries["2023-06"]["city"]
    assert any(f"共 {c['projects_total']} 个项目" in x.value for x in at.caption)
    matrix = at.dataframe[1].value
    city_row = matrix[matrix["单位"] == "全市"].iloc[0]
    assert city_row["合计"].startswith(f"{c['projects_guaranteed']}/{c['projects_total']}")
    at.segmented_control(key="proj_status").set_value("未保障").run()
    open_count = c["projects_total"] - c["projects_guaranteed"]
    assert any(f"共 {open_count} 个项目" in x.value for x in at.caption)
    assert set(at.dataframe[-1].value["状态"]) == {"未保障"}
    at.selectbox(key="month").set_value("2023-03").run()
    march = summaries["2023-03"]["city"]
    assert any(f"共 {march['projects_total'] - march['projects_guaranteed']} 个项目" in x.value for x in at.caption)


def test_disposal_page_equals_summary(demo_env, summaries):
    at = open_page(PAGES[3])
    c = summaries["2023-06"]["city"]
    assert metric(at, "批而未供土地处置率") == fmt.pct(c["unsupplied_rate"])
    assert metric(at, "闲置土地处置率") == fmt.pct(c["idle_rate"])
    assert "批准年度2009–2022" in html_text(at)
    at.segmented_control(key="disp_freq").set_value("week").run()
    assert not at.exception


def test_disposal_mid_june_date(demo_env):
    at = open_page(PAGES[3])
    at.date_input(key="date").set_value(dt.date(2023, 6, 15)).run()
    note = next(m for m in at.metric if m.label == "批而未供土地处置率")
    assert "8,730.00亩" in " ".join(c.value for c in at.caption)
    assert note.value  # still renders with the date


def test_ranking_table_equals_summary(demo_env, summaries):
    at = open_page(PAGES[4])
    text = html_text(at)
    rows = re.findall(r'<td>(\d+)</td><td class="gd-name">([^<]+)</td>', text)
    expected = sorted((u["composite_rank"], u["name"]) for u in summaries["2023-06"]["units"])
    assert [(int(r), n) for r, n in rows] == expected
    for u in summaries["2023-06"]["units"]:
        assert f"<b>{u['composite_score']:.2f}</b>" in text


def test_map_selection_shows_the_unit(demo_env, summaries):
    at = open_page(PAGES[5])
    assert at.get("deck_gl_json_chart")
    at.selectbox(key="map_unit").set_value("410825").run()
    wen = next(u for u in summaries["2023-06"]["units"] if u["code"] == "410825")
    assert f"保障率 {fmt.pct(wen['projects_rate'])}" in html_text(at)


@pytest.mark.parametrize("page", PAGES)
def test_empty_store_shows_the_empty_state(monkeypatch, tmp_path, page):
    monkeypatch.setenv("GENGDI_DATA", str(tmp_path))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception
    assert any("还没有数据" in i.value for i in at.info)


def test_moving_a_weight_changes_the_ranking(demo_env):
    at = open_page("pages/ranking.py")

    def order():
        return re.findall(r'<td class="gd-name">([^<]+)</td>', html_text(at))[:11]

    before = order()
    for k in ("w_cult", "w_farm", "w_unsup", "w_idle"):
        at.number_input(key=k).set_value(0).run()
    only_projects = order()
    assert only_projects != before
    # only the guarantee rate counts now: the table is sorted by it
    s = build_summary(Database(DEFAULT_DATA_DIR), None, dt.date(2023, 6, 30))
    rates = {u["name"]: u["projects_rate"] for u in s["units"]}
    assert [rates[n] for n in only_projects] == sorted(rates.values(), reverse=True)


def test_whatif_moves_the_simulated_rank_and_leaves_the_actual(demo_env, summaries):
    at = open_page("pages/ranking.py")
    actual = {u["name"]: u["composite_rank"] for u in summaries["2023-06"]["units"]}
    worst = max(actual, key=actual.get)
    code = next(u["code"] for u in summaries["2023-06"]["units"] if u["name"] == worst)
    at.selectbox(key="sim_u").set_value(code).run()
    for k, v in (("sim_p", 100), ("sim_us", 100_000), ("sim_id", 100_000)):
        at.number_input(key=k).set_value(v).run()
    compare = at.dataframe[0].value.set_index("单位")
    assert compare.loc[worst, "实际排名"] == actual[worst]
    assert compare.loc[worst, "模拟排名"] < actual[worst]
    assert "模拟" in " ".join(sub.value for sub in at.subheader)
    # the actual table is unchanged
    text = html_text(at)
    actual_table = text[text.index('data-testid="gd-ranking"'):]
    assert re.findall(r'<td class="gd-name">([^<]+)</td>', actual_table)[:11] == sorted(actual, key=actual.get)
    at.button(key="reset_whatif").click().run()
    assert "gd-ranking-sim" not in html_text(at)


def _as_admin() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.text_input(key="gd_password").input("admin-pw-test").run()     # the sidebar's admin sign-in
    at.switch_page("pages/data_import.py").run()
    return at


def test_import_page_renders_with_and_without_data(monkeypatch, tmp_path, demo_env):
    monkeypatch.setenv("GENGDI_ADMIN_PASSWORD", "admin-pw-test")
    at = _as_admin()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 11 and set(table["市"]) == {"焦作市"}
    monkeypatch.setenv("GENGDI_DATA", str(tmp_path))
    at = _as_admin()
    assert not at.exception
    assert any("还没有区划数据" in i.value for i in at.info)
