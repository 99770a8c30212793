"""The 本月要点 block at the top of 总览 and 综合排名: the last places with their reasons, the biggest
movers, what the month lacks, the as-of date and when the data was last imported.

Every value from the store (names) is HTML-escaped here (``_e``); nothing is passed as Markdown.
"""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from .. import highlights as H
from .. import terms
from .. import versions
from .. import warnings as W
from .context import Context

CSS = """
<style>
.gd-hl {border:1px solid #e3c9c6; border-left:5px solid #c0392b; border-radius:8px; background:#fffafa;
        padding:10px 14px 8px 14px; margin:0 0 0.6rem 0; font-size:0.95rem; line-height:1.45; overflow-wrap:anywhere;}
.gd-hl h3 {font-size:1.05rem; margin:0 0 4px 0; padding:0; color:#1f2a1f;}
.gd-hl .gd-hl-meta {color:#5f6b63; font-size:0.82rem; margin-bottom:6px;}
.gd-hl .gd-hl-cov {background:#fff4cc; color:#7a5a00; border-radius:4px; padding:3px 8px; margin:4px 0 6px 0;}
.gd-hl ol {margin:0 0 4px 0; padding-left:1.3rem;}
.gd-hl li {margin:3px 0;}
.gd-hl .gd-hl-head {font-weight:600;}
.gd-hl .gd-hl-why {color:#9b1c17;}
.gd-hl .gd-hl-why.yellow {color:#7a5a00;} .gd-hl .gd-hl-why.green {color:#37474f;}
.gd-hl .gd-hl-note, .gd-hl .gd-hl-move {color:#37474f; font-size:0.9rem; margin:2px 0;}
</style>
"""


def _e(text: Any) -> str:
    """A value as inert HTML text (a ledger name such as ``[x](http://a) <b>`` shows as written)."""
    return html.escape(str(text), quote=True)


@st.cache_data(show_spinner=False, max_entries=16)
def _last_import(data_dir: str, key: str) -> str | None:
    """The time of the latest import or rollback in force (``key``: the store's version)."""
    chain = versions.history(Path(data_dir))
    return chain[-1].get("time") if chain else None


def block(ctx: Context, summary: Mapping[str, Any], thresholds=None, extra: Sequence[str] = ()) -> None:
    """Draw 本月要点. ``extra``: further plain sentences (e.g. task lags), shown after the movers."""
    hl = H.build(summary, thresholds)
    noun = ctx.noun
    meta = f"截至{ctx.as_of_label} · 数据最近导入：{H.import_time_label(_last_import(ctx.data_dir, ctx.all))}"
    parts = [CSS, '<div class="gd-hl" data-testid="gd-highlights">', f"<h3>本月要点 · {_e(ctx.city_name)}</h3>",
             f'<div class="gd-hl-meta">{_e(meta)}</div>']
    if hl.coverage:
        parts.append(f'<div class="gd-hl-cov">{_e(hl.coverage)}。</div>')
    if hl.bottom:
        parts.append(f'<div class="gd-hl-note"><b>{terms.RANKING}{terms.bottom(len(hl.bottom))}{_e("" if ctx.leaf else "（" + noun + "）")}</b></div><ol>')
        for p in hl.bottom:
            why = "；".join(p.reasons)
            cls = {W.RED: "", W.YELLOW: " yellow"}.get(p.level, " green")
            parts.append(f'<li><span class="gd-hl-head">{_e(p.head)}</span>'
                         + (f'——<span class="gd-hl-why{cls}">{_e(why)}</span>' if why else "") + "</li>")
        parts.append("</ol>")
    if hl.bottom_note:
        parts.append(f'<div class="gd-hl-note">{_e(hl.bottom_note)}。</div>')
    if hl.movers:
        parts.append(f'<div class="gd-hl-move"><b>名次变动最大：</b>{_e("；".join(hl.movers))}。</div>')
    elif summary["units"]:
        parts.append('<div class="gd-hl-move">综合排名与上月相比没有变动。</div>')
    for line in extra:
        parts.append(f'<div class="gd-hl-move">{_e(line)}</div>')
    parts.append("</div>")
    st.html("".join(parts))


def needs(summary: Mapping[str, Any], whatif, thresholds) -> None:
    """For the place chosen in 情景模拟: what it needs to reach each warning line it is below
    (goal-seek, on the actual figures), and the inputs beyond what exists."""
    from .. import goalseek

    if whatif is None or not whatif.unit:
        return
    u = next((x for x in summary["units"] if x["code"] == whatif.unit), None)
    if u is None:
        return
    lines = goalseek.for_unit(u, thresholds) or [f"{u['name']}各项均未低于预警线。"]
    lines += goalseek.beyond_what_exists(u, whatif.projects, whatif.unsupplied_mu, whatif.idle_mu)
    st.html('<div class="gd-hl" data-testid="gd-needs" style="border-left-color:#2e7d32;background:#f6fbf6">'
            f"<h3>{_e(u['name'])}还差多少（按实际数字）</h3><ul>"
            + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul></div>")
