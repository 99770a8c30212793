"""预警: the red / yellow / green colour of an indicator value, and the reason in words."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import fmt
from .metrics import INDICATORS, RANK_DECIMALS, RED_LINE, SHORT_NAMES, meets_target

RED, YELLOW, GREEN, NONE = "red", "yellow", "green", "none"
LEVEL_NAMES = {RED: "红色预警", YELLOW: "黄色提醒", GREEN: "正常", NONE: "无数据"}

# The colours of the levels, in one place for every output: a cell's background and text (pages,
# Excel, PDF, Word) and the strong colour of a bar or a legend swatch (charts).
CELL = {RED: ("FDE3E1", "9B1C17"), YELLOW: ("FFF4CC", "7A5A00"), GREEN: ("E4F3E8", "1D5E38")}
STRONG = {RED: "#d64541", YELLOW: "#e0a800", GREEN: "#2e8b57", NONE: "#a0a6ad"}


def cell_css(level: str) -> str:
    """"background-color:#fde3e1;color:#9b1c17" for a table cell of that level ("" for none)."""
    if level not in CELL:
        return ""
    bg, fg = CELL[level]
    return f"background-color:#{bg.lower()};color:#{fg.lower()}"


def cell_rgb(level: str) -> tuple[int, int, int]:
    bg, _ = CELL[level]
    return int(bg[0:2], 16), int(bg[2:4], 16), int(bg[4:6], 16)

# (red below, yellow below) as fractions; configurable on the ranking page
DEFAULT_THRESHOLDS: dict[str, tuple[float, float]] = {
    "cultivated_rate": (1.0, 1.002),
    "basic_farmland_rate": (1.0, 1.002),
    "projects_rate": (0.85, 0.90),
    "unsupplied_rate": (0.40, 0.50),
    "idle_rate": (0.30, 0.50),
}


@dataclass(frozen=True)
class Warning:
    level: str
    reason: str


def classify(indicator: str, value: float | None,
             thresholds: Mapping[str, tuple[float, float]] | None = None) -> Warning:
    """The colour of ``value`` and why ("保障率 82.10%，低于 85% 预警线")."""
    red, yellow = (thresholds or DEFAULT_THRESHOLDS)[indicator]
    name = SHORT_NAMES[indicator]
    if value is None:
        return Warning(NONE, f"{name}：无数据（分母为0，不参与排名）")
    v = round(value, RANK_DECIMALS)
    shown = fmt.pct(value)
    if indicator in RED_LINE and not meets_target(value):
        return Warning(RED, f"{name} {shown}，低于100%，未完成目标")
    if v < red:
        return Warning(RED, f"{name} {shown}，低于 {fmt.pct_line(red)} 预警线")
    if v < yellow:
        return Warning(YELLOW, f"{name} {shown}，低于 {fmt.pct_line(yellow)} 提醒线")
    return Warning(GREEN, f"{name} {shown}，达到 {fmt.pct_line(yellow)} 以上")


def red_rule(indicator: str, thresholds: Mapping[str, tuple[float, float]] | None = None) -> str:
    """"低于100%（未完成目标）" / "低于 85% 预警线": what makes a value of the indicator red."""
    if indicator in RED_LINE:
        return "低于100%（未完成目标）"
    red, _ = (thresholds or DEFAULT_THRESHOLDS)[indicator]
    return f"低于 {fmt.pct_line(red)} 预警线"


def lines_text(indicator: str, thresholds: Mapping[str, tuple[float, float]] | None = None) -> str:
    """"低于85%红色，低于90%黄色": the warning lines in force, as a 口径 line says them."""
    red, yellow = (thresholds or DEFAULT_THRESHOLDS)[indicator]
    text = f"低于{fmt.pct_line(red)}红色"
    if yellow > red:
        text += f"，低于{fmt.pct_line(yellow)}黄色"
    return text


def red_list(units: list[Mapping], thresholds=None) -> list[tuple[str, str, str]]:
    """(place code, indicator, reason) for every red cell, in indicator then place order. Keyed by
    code: names repeat across China (鼓楼区, 新华区); show a place by its ``scope.label``."""
    out = []
    for ind in INDICATORS:
        for u in units:
            w = classify(ind, u.get(ind), thresholds)
            if w.level == RED:
                out.append((u["code"], ind, w.reason))
    return out
