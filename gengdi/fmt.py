"""Chinese number and date conventions: 256.99万亩, 8,730亩, 91.96%, 2023年6月."""
from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

DASH = "—"


# ---------------------------------------------------------------------------- the one rounding rule
def rounded(x: float, decimals: int, scale: "int | Decimal" = 1) -> Decimal:
    """``x × scale`` rounded to ``decimals`` places by 四舍五入 (half away from zero) on the decimal
    value as written (Python's shortest repr of the float: 0.15625 → 15.63 as a percentage, where
    ``f"{x:.2f}"`` gives 15.62). The one rule for every printed figure: pages, notice, CLI table and
    exports (which store this value in their cells). See docs/口径.md."""
    d = Decimal(repr(float(x))) * (scale if isinstance(scale, Decimal) else Decimal(scale))
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return q.copy_abs() if q == 0 else q   # never "-0.00"


def number(x: float | None, decimals: int = 2, scale: int = 1, sign: bool = False, sep: bool = True) -> str:
    """The printed form of a figure: 四舍五入 to ``decimals``, thousands separators, optional sign."""
    if x is None:
        return DASH
    return format(rounded(x, decimals, scale), f"{'+' if sign else ''}{',' if sep else ''}.{decimals}f")


WAN = Decimal("0.0001")   # 亩 → 万亩


def cell_value(x: float | None, decimals: int, scale: int | Decimal = 1) -> float | None:
    """The value handed to a spreadsheet cell or a page table: ``x × scale`` rounded by the same
    rule, so that the cell, its display and the page agree (a rate in a 0.00% cell: decimals=4)."""
    if x is None or x != x:
        return None
    return float(rounded(x, decimals, scale))


def wan_mu(mu: float | None, decimals: int = 2) -> str:
    """"256.99万亩"; from 1亿亩 up (a province, the country) "16.36亿亩", as national reports write it."""
    if mu is None:
        return DASH
    if abs(mu) >= 100_000_000:
        return _div(mu, 100_000_000, decimals) + "亿亩"
    return _div(mu, 10_000, decimals) + "万亩"


def _div(x: float, by: int, decimals: int, sign: bool = False) -> str:
    d = (Decimal(repr(float(x))) / by).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    d = d.copy_abs() if d == 0 else d
    return format(d, f"{'+' if sign else ''},.{decimals}f")


def wan_mu_change(mu: float | None, decimals: int = 2) -> str:
    """A signed change in 万亩: "+12.45万亩"."""
    return DASH if mu is None else _div(mu, 10_000, decimals, sign=True) + "万亩"


def mu(x: float | None, decimals: int = 0) -> str:
    return DASH if x is None else number(x, decimals) + "亩"


def pct(rate: float | None, decimals: int = 2) -> str:
    return DASH if rate is None else number(rate, decimals, scale=100, sep=False) + "%"


def pct_line(rate: float) -> str:
    """A threshold as people say it: 85%, 100.2% (no trailing zeros)."""
    return number(rate, 2, scale=100, sep=False).rstrip("0").rstrip(".") + "%"


def pp(delta: float | None, decimals: int = 1) -> str:
    """A change of a rate in 百分点, signed."""
    return DASH if delta is None else number(delta, decimals, scale=100, sign=True, sep=False) + "个百分点"


def pp_change(now: float | None, before: float | None, prev_label: str = "上月", decimals: int = 1) -> str | None:
    """"较上月提高3.2个百分点" / "与上月持平": the one sentence pattern for the change of a rate
    (the difference of the two rates, rounded by :func:`rounded`). None when either is missing."""
    if now is None or before is None:
        return None
    d = rounded(now - before, decimals, scale=100)
    if d == 0:
        return f"与{prev_label}持平"
    return f"较{prev_label}{'提高' if d > 0 else '下降'}{abs(d)}个百分点"


def score(x: float | None) -> str:
    """A composite score: 87.43."""
    return number(x, 2, sep=False)


def signed_mu(x: float | None, decimals: int = 0) -> str:
    return DASH if x is None else number(x, decimals, sign=True) + "亩"


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


def some(items: list[str], most: int = 12, sep: str = "、") -> str:
    """A list that may be long: "甲、乙、丙（3 个）", or the first ``most`` and "等 N 个"."""
    if len(items) > most:
        return sep.join(items[:most]) + f"等 {len(items)} 个"
    return sep.join(items) + f"（{len(items)} 个）"


def years_text(years: list[int]) -> str:
    """"2014–2018年" for a run of years, "2014、2016年" otherwise."""
    ys = sorted(set(years))
    if not ys:
        return ""
    if ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 2:
        return f"{ys[0]}–{ys[-1]}年"
    return "、".join(str(y) for y in ys) + "年"
