"""The ranking on a phone: one card per place (rank, name, score, change, the reasons in words).

Below ``PHONE_PX`` the cards are shown and the wide tables (test ids starting gd-ranking) and the
drill table (container key ``gd-drill``) are hidden; above it, the other way round. The reasons are
printed in the card (no hover needed). Every name is HTML-escaped.
"""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from .. import fmt
from .. import highlights as H
from .. import metrics as M
from .. import warnings as W
from ..ranking import in_rank_order

PHONE_PX = 640

CSS = f"""
<style>
.gd-cards {{display:none;}}
@media (max-width:{PHONE_PX}px) {{
  .gd-cards {{display:block;}}
  [data-testid^=gd-ranking], .st-key-gd-drill {{display:none !important;}}
}}
.gd-card {{border:1px solid #e3e8e4; border-left:5px solid #9aa0a6; border-radius:8px; padding:8px 10px; margin:0 0 8px 0;
           background:#fff; overflow-wrap:anywhere; font-size:0.92rem; line-height:1.4;}}
.gd-card.red {{border-left-color:#c0392b;}} .gd-card.yellow {{border-left-color:#d4a017;}} .gd-card.green {{border-left-color:#2e7d32;}}
.gd-card .gd-c-top {{display:flex; align-items:baseline; gap:8px; flex-wrap:wrap;}}
.gd-card .gd-c-rank {{font-weight:700; font-size:1.05rem; min-width:3.2em;}}
.gd-card .gd-c-name {{font-weight:600; flex:1 1 auto;}}
.gd-card .gd-c-score {{font-weight:700;}}
.gd-card .gd-c-chg {{color:#5f6b63; font-size:0.85rem;}}
.gd-card .gd-up {{color:#1d7a45; font-weight:600;}} .gd-card .gd-down {{color:#c0392b; font-weight:600;}}
.gd-card .gd-c-vals {{display:flex; flex-wrap:wrap; gap:2px 10px; color:#37474f; font-size:0.84rem; margin-top:3px;}}
.gd-card .gd-c-vals span.red {{color:#9b1c17; font-weight:600;}} .gd-card .gd-c-vals span.yellow {{color:#7a5a00;}}
.gd-card .gd-c-why {{color:#9b1c17; font-size:0.86rem; margin-top:3px;}}
.gd-card .gd-c-why.yellow {{color:#7a5a00;}}
.gd-card .gd-c-note {{color:#5f6b63; font-size:0.82rem; margin-top:2px;}}
</style>
"""


def _change(change: int | None) -> str:
    words = html.escape(H.change_words(change))
    if change and change > 0:
        return f'<span class="gd-up">{words}</span>'
    if change and change < 0:
        return f'<span class="gd-down">{words}</span>'
    return words


def card_html(u: Mapping[str, Any], thresholds=None, note: str | None = None, compare: int | None = None) -> str:
    warned = {ind: W.classify(ind, u.get(ind), thresholds) for ind in M.INDICATORS}
    worst = next((lv for lv in (W.RED, W.YELLOW, W.GREEN) if any(w.level == lv for w in warned.values())), W.NONE)
    vals = "".join(f'<span class="{w.level}">{html.escape(M.SHORT_NAMES[ind])} {fmt.pct(u.get(ind))}</span>'
                   for ind, w in warned.items())
    reds = [w.reason for w in warned.values() if w.level == W.RED]
    yellows = [w.reason for w in warned.values() if w.level == W.YELLOW]
    why = ""
    if reds:
        why = f'<div class="gd-c-why">{html.escape("；".join(reds))}</div>'
    elif yellows:
        why = f'<div class="gd-c-why yellow">{html.escape("；".join(yellows))}</div>'
    rank = "—" if u["composite_rank"] is None else f"第{u['composite_rank']}名"
    score = fmt.DASH if u["composite_score"] is None else f"{u['composite_score']:.2f}分"
    extra = ""
    if compare is not None and u["composite_rank"] is not None and compare != u["composite_rank"]:
        extra += f'<div class="gd-c-note">较实际：{html.escape(fmt.rank_change(compare - u["composite_rank"]))}（实际第{compare}名）</div>'
    if note:
        extra += f'<div class="gd-c-note">{html.escape(note)}</div>'
    return (f'<div class="gd-card {worst}"><div class="gd-c-top"><span class="gd-c-rank">{rank}</span>'
            f'<span class="gd-c-name">{html.escape(u["name"])}</span><span class="gd-c-score">{score}</span>'
            f'<span class="gd-c-chg">{_change(u["rank_change"])}</span></div>'
            f'<div class="gd-c-vals">{vals}</div>{why}{extra}</div>')


def ranking_cards(units: Sequence[Mapping[str, Any]], thresholds=None, notes: Mapping[str, str] | None = None,
                  compare: Mapping[str, int | None] | None = None, test_id: str = "gd-cards", most: int = 60) -> None:
    """One card per place in rank order (shown on a phone only); at most ``most`` cards, the rest named."""
    ordered = in_rank_order(units)
    shown = ordered[:most]
    body = "".join(card_html(u, thresholds, (notes or {}).get(u["code"]), (compare or {}).get(u["code"]))
                   for u in shown)
    rest = ""
    if len(ordered) > most:
        rest = (f'<div class="gd-c-note">另有 {len(ordered) - most:,} 个未列出；完整排名请在电脑上查看或下载 Excel。</div>')
    st.html(f'{CSS}<div class="gd-cards" data-testid="{test_id}">{body}{rest}</div>')
