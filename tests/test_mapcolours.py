"""The map colours a rate by the warning lines in force (a red place is never the palest tint) and
keeps the five green classes for the composite score, which has no warning lines."""
import json

from streamlit.testing.v1 import AppTest

from gengdi import maps
from gengdi import warnings as W
from gengdi.config import DEFAULT_DATA_DIR, REPO_ROOT

GEO = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": c, "name": n},
     "geometry": {"type": "Point", "coordinates": [113.0 + i / 10, 35.0]}}
    for i, (c, n) in enumerate([("1", "甲县"), ("2", "乙县"), ("3", "丙县"), ("4", "丁县")])]}
NAMES = {"1": "甲县", "2": "乙县", "3": "丙县", "4": "丁县"}


def _fills(deck):
    layers = json.loads(deck.to_json())["layers"]
    return {d["code"]: d["fill"][:3] for layer in layers for d in (layer.get("data") or []) if isinstance(d, dict) and "fill" in d}


def test_a_red_place_is_red_not_the_palest_green():
    # 保障率 84% is red under the 85% line although it is the highest value on the map
    values = {"1": 0.84, "2": 0.80, "3": 0.70, "4": None}
    levels = {c: W.classify("projects_rate", v).level for c, v in values.items()}
    assert levels["1"] == W.RED
    deck, legend = maps.county_deck(GEO, values, NAMES, {}, "保障率", levels=levels)
    fills = _fills(deck)
    assert fills["1"] == maps.LEVEL_FILL[W.RED] and fills["4"] == maps.LEVEL_FILL[W.NONE]
    assert fills["1"] != maps.CLASSES[0]
    assert [name for _, name in legend] == ["红色预警", "无数据"]
    values = {"1": 0.95, "2": 0.88, "3": 0.5, "4": None}
    levels = {c: W.classify("projects_rate", v).level for c, v in values.items()}
    deck, legend = maps.county_deck(GEO, values, NAMES, {}, "保障率", levels=levels)
    assert [name for _, name in legend] == ["红色预警", "黄色提醒", "正常", "无数据"]
    assert _fills(deck)["2"] == maps.LEVEL_FILL[W.YELLOW] and _fills(deck)["1"] == maps.LEVEL_FILL[W.GREEN]


def test_the_composite_score_keeps_the_green_classes():
    deck, legend = maps.county_deck(GEO, {"1": 90.0, "2": 60.0, "3": 70.0, "4": 80.0}, NAMES, {}, "综合得分")
    assert set(map(tuple, _fills(deck).values())) <= set(map(tuple, maps.CLASSES))
    assert "红色预警" not in [n for _, n in legend]


def test_the_map_page_colours_a_rate_by_level(monkeypatch):
    monkeypatch.setenv("GENGDI_DATA", str(DEFAULT_DATA_DIR))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90).run()
    at.selectbox(key="month").set_value("2023-06").run()
    at.switch_page("pages/map.py").run()
    at.selectbox(key="map_ind").set_value("cultivated_rate").run()
    assert not at.exception, [e.value for e in at.exception]
    spec = at.get("deck_gl_json_chart")[0].proto.json
    red = json.dumps(maps.LEVEL_FILL[W.RED] + [235]).replace(" ", "")
    assert red in "".join(spec.split())          # 焦作 2023: several counties below the 耕地 target
    body = " ".join(str(h.proto.body) for h in at.get("html"))
    assert "红色预警" in body and "预警等级" in " ".join(str(h.proto.body) for h in at.get("html"))


def test_crowded_labels_become_numbers_listed_beside_the_map():
    labels = [{"text": "山阳区", "lon": 113.25, "lat": 35.21, "offset": [0, 0]},
              {"text": "示范区", "lon": 113.252, "lat": 35.211, "offset": [0, 0]},
              {"text": "孟州市", "lon": 112.8, "lat": 34.9, "offset": [0, 0]}]
    assert maps.declutter(labels, 9.0) == [("1", "示范区")]
    assert [lab["text"] for lab in labels] == ["山阳区", "1", "孟州市"]


def test_no_two_labels_overlap_on_the_city_map_and_no_name_is_lost():
    geo = maps.load_boundaries(DEFAULT_DATA_DIR, "410800")
    values = {f["properties"]["code"]: 0.9 for f in geo["features"]}
    names = {f["properties"]["code"]: f["properties"]["name"] for f in geo["features"]}
    crowded = []
    deck, _ = maps.county_deck(geo, values, names, {}, "保障率", crowded=crowded)
    spec = json.loads(deck.to_json())
    labels = next(layer["data"] for layer in spec["layers"] if layer["id"] == "labels")
    zoom = spec["initialViewState"]["zoom"]
    boxes = []
    for lab in labels:
        x, y = maps._pixel(lab["lon"], lab["lat"], zoom)
        boxes.append((x + lab["offset"][0], y + lab["offset"][1], maps.LABEL_PX * len(lab["text"]) + 8, maps.LABEL_PX + 6))
    for i, (x, y, w, h) in enumerate(boxes):
        for px, py, pw, ph in boxes[:i]:
            assert not (abs(x - px) < (w + pw) / 2 and abs(y - py) < (h + ph) / 2) or w == maps.LABEL_PX + 8
    shown = {lab["text"] for lab in labels}
    listed = dict(crowded)
    assert crowded and all(listed[lab["text"]] for lab in labels if lab["text"].isdigit())
    short = {f["properties"].get("label") or f["properties"]["name"] for f in geo["features"]}
    assert short <= shown | set(listed.values())   # every place is named, on the map or in the list
