"""Where the page is and how to get elsewhere: the trail 全国 › 河南省 › 焦作市 and the place search
("焦作市·修武县"). Pure: built from the areas table (level, code, name, city, province)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .scope import Scope

SEP = "·"     # 市·县, as where names repeat (docs/口径.md §2)


@dataclass(frozen=True)
class Place:
    level: str      # country | province | city | unit
    code: str       # "" for the country
    name: str       # what the trail or the search shows


def trail(areas: pd.DataFrame, scope: Scope) -> list[Place]:
    """From the widest place the store offers down to the scope; empty for a one-city store (there
    is nowhere to go up to). The country only when the store holds more than one province."""
    provinces = areas[areas["level"] == "province"]
    cities = areas[areas["level"] == "city"]
    if len(cities) <= 1:
        return []
    names = dict(zip(areas["code"], areas["name"]))
    out = [Place("country", "", "全国")] if len(provinces) > 1 else []
    if scope.level == "country":
        return out
    if scope.level == "province":
        return [*out, Place("province", scope.code, scope.name)]
    row = cities[cities["code"] == scope.code]
    province = str(row["province"].iloc[0]) if not row.empty else ""
    if province in names:
        out.append(Place("province", province, names[province]))
    return [*out, Place("city", scope.code, scope.name)]


def search_options(areas: pd.DataFrame) -> list[Place]:
    """Every province, city and county-level place as "河南省", "河南省·焦作市", "焦作市·修武县"
    (a county whose 市·县 repeats gets its province in front: "河南省·开封市·鼓楼区")."""
    names = dict(zip(areas["code"], areas["name"]))
    out = []
    for r in areas[areas["level"] == "province"].itertuples():
        out.append(Place("province", r.code, r.name))
    for r in areas[areas["level"] == "city"].itertuples():
        out.append(Place("city", r.code, f"{names.get(r.province, '')}{SEP}{r.name}" if r.province in names else r.name))
    units = areas[areas["level"] == "unit"]
    short = [f"{names.get(c, '')}{SEP}{n}" for c, n in zip(units["city"], units["name"])]
    repeats = pd.Series(short).duplicated(keep=False).tolist()
    for r, s, rep in zip(units.itertuples(), short, repeats):
        out.append(Place("unit", r.code, f"{names.get(r.province, '')}{SEP}{s}" if rep else s))
    return out


def search(options: list[Place], query: str, most: int = 10) -> tuple[list[Place], int]:
    """The places whose own name (the part after the last ·) contains the typed text, best first:
    the whole name, then names starting with it, then the rest; provinces before cities before
    counties, then in table order. Also matches "焦作 修武" (each word in the full label).
    Returns at most ``most`` and how many there were."""
    words = query.replace(SEP, " ").split()
    if not words:
        return [], 0
    rank = {"province": 0, "city": 1, "unit": 2}
    found = []
    for i, p in enumerate(options):
        own = p.name.rsplit(SEP, 1)[-1]
        if len(words) == 1:
            w = words[0]
            if w not in own:
                continue
            how = 0 if own == w or own[:-1] == w else 1 if own.startswith(w) else 2
        elif all(w in p.name for w in words):
            how = 1
        else:
            continue
        found.append((how, rank[p.level], i, p))
    found.sort(key=lambda t: t[:3])
    return [t[3] for t in found[:most]], len(found)
