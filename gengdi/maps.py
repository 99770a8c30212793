"""pydeck map builders: the county map, coloured by an indicator, with no basemap at all.

``map_provider=None`` leaves the map style unset: Streamlit then draws no basemap and nothing is
fetched from outside the server (an intranet has no internet). The polygons alone make the map.
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pydeck as pdk
from pydeck.types import String as Literal  # pydeck reads a bare string as a JS expression

from . import fmt
from . import warnings as W
from .config import DEFAULT_DATA_DIR

# 5-class sequential greens (low → high); grey for no data; outline and label colours
CLASSES = [[237, 248, 233], [186, 228, 179], [116, 196, 118], [49, 163, 84], [0, 109, 44]]
NO_DATA = [200, 204, 208]
OUTLINE = [255, 255, 255]
LABEL = [33, 33, 33]
# a rate with warning lines is coloured by its level (the same colours as the charts' level marks)
LEVEL_ORDER = (W.RED, W.YELLOW, W.GREEN, W.NONE)
LEVEL_FILL = {lev: [int(W.STRONG[lev][i:i + 2], 16) for i in (1, 3, 5)] for lev in LEVEL_ORDER}


def level_legend(levels: Mapping[str, str]) -> list[tuple[list[int], str]]:
    """The legend of a map coloured by warning level: the levels present, red first."""
    present = set(levels.values())
    return [(LEVEL_FILL[lev], W.LEVEL_NAMES[lev]) for lev in LEVEL_ORDER if lev in present]


@lru_cache(maxsize=16)
def _read(path: str, mtime: float) -> dict:   # mtime: a changed file is read again
    del mtime
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_boundaries(data_dir: Path, city: str) -> dict | None:
    """The city's GeoJSON (``boundaries/<city>.geojson`` in the data directory, else the one
    committed with gengdi), or None."""
    path = Path(data_dir) / "boundaries" / f"{city}.geojson"
    if not path.exists():
        path = DEFAULT_DATA_DIR / "boundaries" / f"{city}.geojson"
    if not path.exists():
        return None
    return _read(str(path), path.stat().st_mtime)


def breaks(values: list[float], n: int = len(CLASSES)) -> list[float]:
    """Equal-interval class limits between the smallest and largest value (n + 1 numbers)."""
    lo, hi = min(values), max(values)
    if hi - lo < 1e-12:
        return [lo] * (n + 1)
    return [lo + (hi - lo) * i / n for i in range(n + 1)]


def class_of(value: float, limits: list[float]) -> int:
    for i in range(len(limits) - 2, -1, -1):
        if value >= limits[i] - 1e-12:
            return i
    return 0


def legend(limits: list[float], formatter) -> list[tuple[list[int], str]]:
    """(colour, label) per class, low to high, then no data."""
    if limits[0] == limits[-1]:
        return [(CLASSES[2], formatter(limits[0])), (NO_DATA, "无数据")]
    out = [(CLASSES[i], f"{formatter(limits[i])} – {formatter(limits[i + 1])}") for i in range(len(CLASSES))]
    return out + [(NO_DATA, "无数据")]


def _extent(geojson: dict) -> tuple[float, float, float, float]:
    xs, ys = [], []

    def walk(c):
        if isinstance(c[0], (int, float)):
            xs.append(c[0])
            ys.append(c[1])
        else:
            for cc in c:
                walk(cc)

    for f in geojson["features"]:
        walk(f["geometry"]["coordinates"])
    return min(xs), min(ys), max(xs), max(ys)


def view_state(geojson: dict, width_px: int = 440, height_px: int = 420) -> pdk.ViewState:
    """Centre and zoom that fit the city into a phone-sized map (deck.gl: 512 px world at zoom 0)."""
    x0, y0, x1, y1 = _extent(geojson)
    lat = (y0 + y1) / 2
    zx = math.log2(360 * width_px / (512 * max(x1 - x0, 1e-6)))
    zy = math.log2(360 * height_px / (512 * max(y1 - y0, 1e-6) / math.cos(math.radians(lat))))
    # dots alone sit on the edge of their extent: leave room for the outer ones and their labels
    only_points = all(f["geometry"]["type"] == "Point" for f in geojson["features"])
    zoom = min(zx, zy, 12) - (0.6 if only_points else 0.1)
    return pdk.ViewState(longitude=(x0 + x1) / 2, latitude=lat, zoom=zoom, pitch=0, bearing=0)


LABEL_PX = 13


def _pixel(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web-Mercator pixel position at ``zoom`` (deck.gl: 512 px world at zoom 0)."""
    world = 512 * 2 ** zoom
    lat = max(min(lat, 85.0), -85.0)
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2
    return world * (lon + 180) / 360, world * y


def declutter(labels: list[dict], zoom: float) -> list[tuple[str, str]]:
    """Labels that would overlap one already placed (in order) become numbers ("1", "2"…); returns
    [(number, name)] for the list beside the map. ``labels`` is changed in place."""
    placed: list[tuple[float, float, float, float]] = []
    crowded = []
    for lab in labels:
        x, y = _pixel(lab["lon"], lab["lat"], zoom)
        x, y = x + lab["offset"][0], y + lab["offset"][1]
        w, h = LABEL_PX * len(lab["text"]) + 8, LABEL_PX + 6
        if any(abs(x - px) < (w + pw) / 2 and abs(y - py) < (h + ph) / 2 for px, py, pw, ph in placed):
            number = str(len(crowded) + 1)
            crowded.append((number, lab["text"]))
            lab["text"] = number
            w = LABEL_PX + 8
        placed.append((x, y, w, h))
    return crowded


def county_deck(
    geojson: dict,
    values: Mapping[str, float | None],
    names: Mapping[str, str],
    ranks: Mapping[str, int | None],
    indicator_label: str,
    formatter=fmt.pct,
    selected: str | None = None,
    height_px: int = 420,
    max_labels: int = 60,
    interactive: bool = True,
    levels: Mapping[str, str] | None = None,
    crowded: list | None = None,
) -> tuple[pdk.Deck, list[tuple[list[int], str]]]:
    """The county map and its legend.

    values: unit code → indicator value (None = no data); names/ranks: unit code → name / rank.
    ``levels``: code → warning level; when given, the fill is the level's colour (red, yellow,
    green, grey) instead of the five green classes (for rates that have warning lines).
    ``crowded``: a list that receives [(number, name)] for labels shown as numbers (they would overlap).
    ``interactive=False``: a still map (no pan or zoom; a tap still picks a unit), so that a swipe
    or the mouse wheel over it scrolls the page.
    Units without a polygon but with a Point feature (示范区, or every place of a level without
    boundaries: provinces, cities) are drawn as dots, labelled while there are at most
    ``max_labels`` of them.
    """
    present = [v for c, v in values.items() if v is not None]
    limits = breaks(present) if present else [0.0] * (len(CLASSES) + 1)
    polys, points, labels = [], [], []
    for f in geojson["features"]:
        code = f["properties"]["code"]
        if code not in values:
            continue
        v = values.get(code)
        if levels is not None:   # by the warning lines in force: a red place is never a pale tint
            color = LEVEL_FILL[levels.get(code, W.NONE)]
        else:
            color = NO_DATA if v is None else CLASSES[class_of(v, limits)]
        props = {
            "code": code,
            "name": names.get(code, f["properties"].get("name", code)),
            "value_text": formatter(v),
            "rank_text": "—" if ranks.get(code) is None else f"第{ranks[code]}名",
            "indicator": indicator_label,
            "fill": color + [235],
            "line": [33, 33, 33] if code == selected else OUTLINE,
            "line_w": 3 if code == selected else 1,
        }
        if f["geometry"]["type"] == "Point":
            lon, lat = f["geometry"]["coordinates"]
            points.append({**props, "lon": lon, "lat": lat})
            # the short label a boundary file may give a point ("示范区"), else the name
            labels.append({"text": f["properties"].get("label") or props["name"], "lon": lon, "lat": lat,
                           "offset": [0, -18]})
        else:
            polys.append({"type": "Feature", "geometry": f["geometry"], "properties": props})
            lon = f["properties"].get("label_lon")
            lat = f["properties"].get("label_lat")
            if lon is not None:
                labels.append({"text": props["name"], "lon": lon, "lat": lat, "offset": [0, 0]})
    n = len(points)
    radius = 9 if polys or n <= 60 else 6 if n <= 400 else 3   # many dots (all cities, all units): small ones
    if len(points) > max_labels:
        labels = [lab for lab in labels if lab["offset"] == [0, 0]]
    view = view_state(
        {"features": [f for f in geojson["features"] if f["properties"]["code"] in values] or geojson["features"]},
        height_px=height_px)
    # polygon names first, the dots' labels after: a label that would overlap one already placed
    # becomes a number, listed beside the map (``crowded`` receives the list)
    labels.sort(key=lambda lab: lab["offset"] != [0, 0])
    numbered = declutter(labels, view.zoom) if len(labels) <= max_labels else []
    if crowded is not None:
        crowded.extend(numbered)
    layers = [
        pdk.Layer(
            "GeoJsonLayer", id="units", data={"type": "FeatureCollection", "features": polys},
            pickable=True, stroked=True, filled=True, auto_highlight=True,
            get_fill_color="properties.fill", get_line_color="properties.line",
            get_line_width="properties.line_w", line_width_units=Literal("pixels"),
            highlight_color=[255, 193, 7, 120],
        ),
        pdk.Layer(
            "ScatterplotLayer", id="points", data=points, pickable=True,
            get_position=["lon", "lat"], get_fill_color="fill", get_line_color=[120, 60, 0],
            stroked=True, line_width_min_pixels=2 if n <= 60 else 1, radius_units=Literal("pixels"), get_radius=radius,
        ),
        pdk.Layer(
            "TextLayer", id="labels", data=labels, get_position=["lon", "lat"], get_text="text",
            get_size=13, size_units=Literal("pixels"), get_color=LABEL, get_pixel_offset="offset",
            character_set=Literal("".join(sorted({ch for lab in labels for ch in lab["text"]}))),
            font_family=Literal('"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif'),
            background=True, get_background_color=[255, 255, 255, 190], background_padding=[3, 1],
            pickable=False,
        ),
    ]
    deck = pdk.Deck(
        layers=layers,
        views=[pdk.View(type="MapView", controller=interactive)],
        initial_view_state=view,
        map_provider=None,  # no basemap: nothing is fetched from outside
        tooltip={
            "html": "<b>{name}</b><br/>{indicator}：{value_text}<br/>{rank_text}",
            "style": {"backgroundColor": "#263238", "color": "white", "fontSize": "13px"},
        },
    )
    return deck, (level_legend({c: levels.get(c, W.NONE) for c in values}) if levels is not None
                  else legend(limits, formatter))


def points_geojson(places: Any) -> dict:
    """A FeatureCollection of Point features (code, name) from rows with code, name, lon, lat: the
    map of places that have no polygons (provinces, cities, units of a city without a boundary file)."""
    features = []
    for code, name, lon, lat in zip(places["code"], places["name"], places["lon"], places["lat"]):
        if lon is None or lat is None or lon != lon or lat != lat:
            continue
        features.append({"type": "Feature", "properties": {"code": str(code), "name": str(name)},
                         "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]}})
    return {"type": "FeatureCollection", "features": features}


def picked_code(selection: Any) -> str | None:
    """The unit code of a pydeck selection (st.pydeck_chart on_select), if any."""
    try:
        objects = selection["selection"]["objects"]
    except (KeyError, TypeError):
        return None
    for layer in ("units", "points"):
        for obj in objects.get(layer, []) or []:
            code = obj.get("code") or (obj.get("properties") or {}).get("code")
            if code:
                return str(code)
    return None
