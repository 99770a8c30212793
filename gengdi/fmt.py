"""Chinese number and date conventions: 256.99万亩, 8,730亩, 91.96%, 2023年6月."""
from __future__ import annotations

import datetime as dt
import unicodedata

DASH = "—"


def wan_mu(mu: float | None, decimals: int = 2) -> str:
    """"256.99万亩"; from 1亿亩 up (a province, the country) "16.36亿亩", as national reports write it."""
    if mu is None:
        return DASH
    if abs(mu) >= 100_000_000:
        return f"{mu / 100_000_000:,.{decimals}f}亿亩"
    return f"{mu / 10_000:,.{decimals}f}万亩"


def mu(x: float | None, decimals: int = 0) -> str:
    return DASH if x is None else f"{x:,.{decimals}f}亩"


def pct(rate: float | None, decimals: int = 2) -> str:
    return DASH if rate is None else f"{rate * 100:.{decimals}f}%"


def pct_line(rate: float) -> str:
    """A threshold as people say it: 85%, 100.2% (no trailing zeros)."""
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".") + "%"


def pp(delta: float | None, decimals: int = 1) -> str:
    """A change of a rate in 百分点, signed."""
    return DASH if delta is None else f"{delta * 100:+.{decimals}f}个百分点"


def signed_mu(x: float | None, decimals: int = 0) -> str:
    return DASH if x is None else f"{x:+,.{decimals}f}亩"


def month_label(d: dt.date) -> str:
    return f"{d.year}年{d.month}月"


def date_label(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def rank_change(change: int | None) -> str:
    if change is None:
        return DASH
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "持平"


def display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def text_table(headers: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:
    """A plain terminal table that lines up Chinese (double-width) characters."""
    widths = [max(display_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        out = []
        for i, c in enumerate(cells):
            pad = " " * (widths[i] - display_width(str(c)))
            out.append(pad + str(c) if i in right else str(c) + pad)
        return "  ".join(out).rstrip()

    sep = "  ".join("─" * w for w in widths)
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])


def years_text(years: list[int]) -> str:
    """"2014–2018年" for a run of years, "2014、2016年" otherwise."""
    ys = sorted(set(years))
    if not ys:
        return ""
    if ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 2:
        return f"{ys[0]}–{ys[-1]}年"
    return "、".join(str(y) for y in ys) + "年"
