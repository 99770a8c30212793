"""One name per concept, used by the pages, the 要点, the cards and the notice alike (docs/术语.md
explains each in words). A page writes ``terms.BOTTOM`` rather than its own "末位" or "后3"."""
from gengdi import warnings as W

RANKING = "综合排名"                 # the page, its title and every heading about the composite ranking
TOP = "前三位"                       # the best three of the composite ranking
BOTTOM = "后三位"                    # the last three (the 要点 takes them from the lower half only)
RED = W.LEVEL_NAMES[W.RED]           # "红色预警": a value beyond a red line
YELLOW = W.LEVEL_NAMES[W.YELLOW]     # "黄色提醒"
HIGHLIGHTS = "本月要点"
COUNTY = "县（市、区）"              # a county-level place, in text a leader reads (not "单位")

# Words replaced by the names above; tests/test_terms.py keeps them out of the pages.
RETIRED = {"末位": BOTTOM, "后3": BOTTOM, "预警说明": RED, "县区排名": RANKING, "城市排名": RANKING,
           "省份排名": RANKING}


def ranked_noun(by: str) -> str:
    """What a ranking ranks, in a leader's words: 县（市、区）, 城市, 省份."""
    return {"unit": COUNTY, "city": "城市", "province": "省份"}[by]


def bottom(n: int) -> str:
    """后三位 for three, 后两位 / 最后一位 when fewer places take part."""
    return BOTTOM if n == 3 else {1: "最后一位", 2: "后两位"}.get(n, f"后{n}位")
