"""Where the dashboard looks: the country, a province or a city, and what it ranks inside it.

A scope's own figures are always the ratio of sums over its county-level units; the places it
ranks (``by``) are its provinces, cities or county-level units, whose figures follow the same 口径.
"""
from __future__ import annotations

from dataclasses import dataclass

from .regions import COUNTRY, COUNTRY_NAME

LEVELS = ("country", "province", "city")
# what a scope ranks by default, and what else it can rank
CHILD = {"country": "province", "province": "city", "city": "unit"}
BY_OPTIONS = {"country": ("province", "city", "unit"), "province": ("city", "unit"), "city": ("unit",)}
BY_NOUNS = {"province": "省份", "city": "城市", "unit": "县区"}
WHOLE = {"country": "全国", "province": "全省", "city": "全市"}


ISSUERS = {"country": "自然资源部", "province": "{name}自然资源厅", "city": "{name}自然资源和规划局"}


@dataclass(frozen=True)
class Words:
    """How an output names what it covers: 全市 / 全省 / 全国 and what it ranks (县区 / 城市 / 省份)."""
    level: str
    code: str
    name: str
    by: str

    @property
    def whole(self) -> str:
        return WHOLE[self.level]

    @property
    def noun(self) -> str:
        return BY_NOUNS[self.by]

    @property
    def total_label(self) -> str:
        """The total row: "焦作市（全市）", "河南省（全省）", "全国"."""
        return self.name if self.level == "country" else f"{self.name}（{self.whole}）"

    @property
    def issuer(self) -> str:
        return ISSUERS[self.level].format(name=self.name)

    @property
    def sums_rule(self) -> str:
        """"全市为各县区分子之和 ÷ 分母之和" — the 口径 of the total row."""
        return f"{self.whole}及各{self.noun}均为所辖县级单位分子之和 ÷ 分母之和" if self.by != "unit" \
            else f"{self.whole}为各{self.noun}分子之和 ÷ 分母之和"


def words(summary) -> Words:
    """The scope and ranked level of a summary (a city's county-level units unless it says otherwise)."""
    sc = summary.get("scope")
    if sc:
        return Words(sc["level"], sc["code"], sc["name"], sc["by"])
    return Words("city", summary["city"]["code"], summary["city"]["name"], "unit")


@dataclass(frozen=True)
class Scope:
    level: str   # country | province | city
    code: str
    name: str

    @classmethod
    def country(cls) -> "Scope":
        return cls("country", COUNTRY, COUNTRY_NAME)

    @property
    def child(self) -> str:
        return CHILD[self.level]

    @property
    def whole(self) -> str:
        """全国 / 全省 / 全市: the scope's own total in a sentence."""
        return WHOLE[self.level]

    def params(self) -> dict[str, str | None]:
        """The $city / $province filter of the scoped SQL."""
        return {"city": self.code if self.level == "city" else None,
                "province": self.code if self.level == "province" else None}


def label(place) -> str:
    """How a place is named in a list where places of the same name can meet: its "label"
    ("鼓楼区" alone is ambiguous in a province or the country: "开封市·鼓楼区"), else its name."""
    return place.get("label") or place["name"]


def place_labels(places, areas) -> list[str]:
    """The label of every place in ``places`` (code, name, city, province): the name where it is
    unique among them, "市·县" where it repeats, "省·市·县" where even that repeats."""
    names = dict(zip(areas["code"], areas["name"]))
    rows = list(places[["code", "name", "city", "province"]].itertuples(index=False))
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.name] = counts.get(r.name, 0) + 1
    out = []
    for r in rows:
        text = r.name
        if counts[r.name] > 1 and r.city != r.code:
            text = f"{names.get(r.city, r.city)}·{r.name}"
        out.append(text)
    again: dict[str, int] = {}
    for t in out:
        again[t] = again.get(t, 0) + 1
    return [f"{names.get(r.province, r.province)}·{t}" if again[t] > 1 and r.province != r.code else t
            for r, t in zip(rows, out)]
