"""The trail 全国 › 河南省 › 焦作市 (buttons that go up) and the place search ("焦作市·修武县")."""
import pandas as pd
import pytest

from gengdi import places
from gengdi.bench import open_app
from gengdi.scope import Scope

AREAS = pd.DataFrame([
    ("province", "410000", "河南省", None, "410000"), ("province", "320000", "江苏省", None, "320000"),
    ("city", "410800", "焦作市", "410800", "410000"), ("city", "410200", "开封市", "410200", "410000"),
    ("city", "320300", "徐州市", "320300", "320000"),
    ("unit", "410821", "修武县", "410800", "410000"), ("unit", "410204", "鼓楼区", "410200", "410000"),
    ("unit", "320302", "鼓楼区", "320300", "320000"), ("unit", "410802", "解放区", "410800", "410000"),
], columns=["level", "code", "name", "city", "province"])


def test_the_trail_runs_from_the_country_down_to_the_place_in_view():
    assert [p.name for p in places.trail(AREAS, Scope("city", "410800", "焦作市"))] == ["全国", "河南省", "焦作市"]
    assert [p.level for p in places.trail(AREAS, Scope("province", "410000", "河南省"))] == ["country", "province"]
    assert [p.name for p in places.trail(AREAS, Scope.country())] == ["全国"]
    one_province = AREAS[AREAS["province"] == "410000"]
    assert [p.name for p in places.trail(one_province, Scope("city", "410800", "焦作市"))] == ["河南省", "焦作市"]
    one_city = AREAS[AREAS["code"].isin(["410000", "410800", "410821"])]
    assert places.trail(one_city, Scope("city", "410800", "焦作市")) == []


def test_search_names_places_as_city_dot_county_best_first():
    options = places.search_options(AREAS)
    hits, total = places.search(options, "修武")
    assert [(p.name, p.code, p.level) for p in hits] == [("焦作市·修武县", "410821", "unit")] and total == 1
    hits, _ = places.search(options, "鼓楼区")
    assert [p.name for p in hits] == ["开封市·鼓楼区", "徐州市·鼓楼区"]
    hits, _ = places.search(options, "焦作")
    assert hits[0].name == "河南省·焦作市" and hits[0].level == "city"
    assert [p.name for p in places.search(options, "徐州 鼓楼")[0]] == ["徐州市·鼓楼区"]
    assert places.search(options, "  ") == ([], 0)
    hits, total = places.search(options, "区", most=2)
    assert len(hits) == 2 and total == 3


def test_a_repeated_city_county_pair_gets_its_province():
    twin = pd.concat([AREAS, pd.DataFrame([("city", "320800", "开封市", "320800", "320000"),
                                           ("unit", "320811", "鼓楼区", "320800", "320000")], columns=AREAS.columns)])
    names = {p.code: p.name for p in places.search_options(twin) if p.level == "unit"}
    assert names["410204"] == "河南省·开封市·鼓楼区" and names["320811"] == "江苏省·开封市·鼓楼区"
    assert names["320302"] == "徐州市·鼓楼区"


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_search_opens_a_county_and_the_trail_goes_up(national_store, monkeypatch):
    monkeypatch.setenv("GENGDI_DATA", str(national_store))
    at = open_app("pages/overview.py", {"month": "2023年6月"}, timeout=120)
    assert [b.label for b in at.button if b.key and b.key.startswith("gd_up_")] == []   # 全国 is where we are
    at.text_input(key="gd_place_search").input("修武").run()
    _button(at, "焦作市·修武县").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="city").value == "410800" and at.selectbox(key="province").value == "410000"
    assert any("修武县所在的焦作市" in c.value for c in at.caption)
    assert at.text_input(key="gd_place_search").value == ""
    assert [b.label for b in at.button if b.key and b.key.startswith("gd_up_")] == ["全国", "河南省"]
    _button(at, "河南省").click().run()
    assert at.selectbox(key="province").value == "410000" and at.selectbox(key="city").value == ""
    assert [b.label for b in at.button if b.key and b.key.startswith("gd_up_")] == ["全国"]
    _button(at, "全国").click().run()
    assert at.selectbox(key="province").value == "" and not at.exception


def test_a_long_drill_table_shows_dashes_and_marks_never_none(national_store, monkeypatch):
    from gengdi import views

    monkeypatch.setenv("GENGDI_DATA", str(national_store))
    at = open_app("pages/overview.py", {"month": "2023年6月", "by": "县区"}, timeout=120)
    df = next(d.value for d in at.dataframe if (d.key or "").startswith("overview_drill"))
    assert len(df) > views.STYLED_ROWS
    cells = df.drop(columns=["code"]).astype(str).to_numpy().ravel().tolist()
    assert not [c for c in cells if c in ("None", "nan", "NaN", "<NA>", "")]
    rates = df["闲置处置率"].tolist()
    assert "—" in rates and any(c.startswith("🔴 ") for c in df["项目保障率"])
    assert any("🔴 为红色预警" in c.value for c in at.caption)


def test_a_ranking_being_computed_says_so_in_chinese(national_store, monkeypatch):
    import contextlib

    import streamlit as st

    said = []

    @contextlib.contextmanager
    def spinner(text="", **kw):
        said.append(text)
        yield

    monkeypatch.setattr(st, "spinner", spinner)
    monkeypatch.setenv("GENGDI_DATA", str(national_store))
    open_app("pages/ranking.py", {"month": "2023年6月", "by": "县区"}, timeout=120)
    assert "正在计算全国各县区的综合排名，请稍候……" in said
    assert "正在计算2023年各月的综合排名，请稍候……" in said
