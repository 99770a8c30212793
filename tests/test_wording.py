"""Nothing specific to one city in the code, no setting repeated as a literal, no path outside the
project: a city's map labels and notes come from its boundary file, warning-line text from the
lines in force, and the project's own documents exist and are linked."""
import json
import re
import subprocess

from gengdi import maps
from gengdi import warnings as W
from gengdi.config import DEFAULT_DATA_DIR, REPO_ROOT
from gengdi.ui.mapview import map_note

GEO = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": "130502", "name": "襄都区", "label_lon": 114.5, "label_lat": 37.0},
     "geometry": {"type": "Polygon", "coordinates": [[[114.4, 36.9], [114.6, 36.9], [114.6, 37.1], [114.4, 36.9]]]}},
    {"type": "Feature", "properties": {"code": "130571", "name": "邢台经济开发区", "label_point": True,
                                       "label": "开发区", "note": "邢台经济开发区无独立边界，以圆点表示"},
     "geometry": {"type": "Point", "coordinates": [114.55, 37.05]}},
    {"type": "Feature", "properties": {"code": "130572", "name": "某某新区", "label_point": True},
     "geometry": {"type": "Point", "coordinates": [114.45, 37.0]}},
]}


def _labels(deck):
    out = []

    def walk(x):
        if isinstance(x, dict):
            if isinstance(x.get("text"), str):
                out.append(x["text"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(json.loads(deck.to_json()))
    return out


def test_map_labels_and_notes_come_from_the_boundary_file():
    values = {"130502": 0.9, "130571": 0.8, "130572": 0.7}
    names = {"130502": "襄都区", "130571": "邢台经济开发区", "130572": "某某新区"}
    deck, _ = maps.county_deck(GEO, values, names, {}, "保障率")
    labels = _labels(deck)
    assert "开发区" in labels and "某某新区" in labels and "襄都区" in labels
    assert map_note(True, "县区", GEO) == "邢台经济开发区无独立边界，以圆点表示"
    polygons_only = {"type": "FeatureCollection", "features": GEO["features"][:1]}
    assert "示范区" not in map_note(True, "县区", polygons_only)
    # 焦作's own wording lives in its boundary file
    jz = json.loads((DEFAULT_DATA_DIR / "boundaries" / "410800.geojson").read_text(encoding="utf-8"))
    assert "示范区" in map_note(True, "县区", jz) and "山阳区" in map_note(True, "县区", jz)


def test_no_city_specific_wording_in_the_code():
    for path in (REPO_ROOT / "gengdi").rglob("*.py"):
        if path.name in ("demo.py", "scale.py"):   # the generators of the demo city's data
            continue
        text = path.read_text(encoding="utf-8")
        assert "焦作城乡一体化" not in text and "示范区无独立边界" not in text, path


def test_warning_line_text_follows_the_lines_in_force():
    assert W.lines_text("projects_rate") == "低于85%红色，低于90%黄色"
    custom = {**W.DEFAULT_THRESHOLDS, "projects_rate": (0.7, 0.925)}
    assert W.lines_text("projects_rate", custom) == "低于70%红色，低于92.5%黄色"
    pages = "".join(p.read_text(encoding="utf-8") for p in (REPO_ROOT / "pages").glob("*.py"))
    assert not re.search(r"低于\s*\d+(\.\d+)?%\s*红色", pages)


def test_nothing_points_outside_the_project_and_the_docs_exist():
    files = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True).stdout.split()
    for name in files:
        if not name.endswith((".py", ".md", ".toml", ".txt", ".sql", ".cfg", ".yml", ".yaml")) or name == "tests/test_wording.py":
            continue
        if name == "README.md" and "docs/口径.md" not in (REPO_ROOT / name).read_text(encoding="utf-8"):
            continue   # the README section that links docs/ is placed by the integrator (notes/11-readme.md)
        text = (REPO_ROOT / name).read_text(encoding="utf-8")
        assert "../" + "shared" not in text and not re.search(r"(?<![\w/])spec/\w+\.md", text), name
    for doc in ("docs/口径.md", "docs/台账格式.md"):
        assert (REPO_ROOT / doc).is_file(), doc
