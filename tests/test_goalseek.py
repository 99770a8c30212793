"""Goal-seek answers computed by hand."""
from gengdi import goalseek as G


def test_36_of_43_needs_one_more_project_for_85_percent():
    # 36/43 = 83.72% < 85%; 37/43 = 86.05% ≥ 85%
    n = G.projects_needed("中站区", 36, 43, 0.85)
    assert n.more == 1 and n.available == 7
    assert n.text == "中站区需再保障 1 个项目达到85%（37/43 = 86.05%）；尚有 7 个未保障"


def test_90_percent_of_43_needs_3_more():
    # 0.9 × 43 = 38.7 → 39 guaranteed: 3 more than 36
    assert G.projects_needed("中站区", 36, 43, 0.90).more == 3


def test_exact_line_counts_as_reached():
    # 17/20 = 85% exactly
    assert G.projects_needed("温县", 17, 20, 0.85).more == 0


def test_not_reachable_is_said_not_capped():
    n = G.projects_needed("中站区", 1, 10, 0.95)      # needs 9.5 → 10 guaranteed, 9 open: reachable
    assert n.more == 9
    n = G.area_needed("修武县", "批而未供", 10.0, 100.0, 0.40)
    assert n.more == 30.0 and "再处置批而未供 30.00亩" in n.text
    n = G.area_needed("修武县", "闲置土地", 0.0, 0.0, 0.30)
    assert n.more is None and "没有闲置土地处置任务" in n.text


def test_area_rounds_up_to_a_hundredth_of_a_mu():
    # 0.4 × 123.45 = 49.38 → 49.38 - 12.34 = 37.04
    assert G.area_needed("孟州市", "批而未供", 12.34, 123.45, 0.40).more == 37.04


def test_ranking_page_says_what_the_chosen_place_needs(monkeypatch):
    import datetime as dt
    import re

    from gengdi.config import DEFAULT_DATA_DIR
    from gengdi.db import Database
    from gengdi.summary import build_summary
    from test_pages import html_text, open_page

    monkeypatch.setenv("GENGDI_DATA", str(DEFAULT_DATA_DIR))
    s = build_summary(Database(DEFAULT_DATA_DIR), None, dt.date(2023, 6, 30))
    u = min(s["units"], key=lambda x: x["projects_rate"])
    assert u["projects_rate"] < 0.85
    at = open_page("pages/ranking.py")
    at.selectbox(key="sim_u").set_value(u["code"]).run()
    at.number_input(key="sim_p").set_value(1000).run()
    text = html_text(at)
    block = text[text.index('data-testid="gd-needs"'):]
    expected = G.projects_needed(u["name"], u["projects_guaranteed"], u["projects_total"], 0.85)
    assert expected.text in block
    open_ = u["projects_total"] - u["projects_guaranteed"]
    assert f"{u['name']}尚有 {open_} 个未保障项目（模拟输入 1,000 个，按 {open_} 个计算）" in block
