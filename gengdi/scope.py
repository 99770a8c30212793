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
