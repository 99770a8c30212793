"""The leader's phone (390×844, touch) in headless Chromium: 本月要点 above the fold, the ranking as
cards with nothing scrolling sideways, a swipe over the still map scrolls the page, a copied link
holds the month, a what-if link opens with its banner; and no Streamlit English on any page."""
from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest

from gengdi import highlights as H
from gengdi.config import DEFAULT_DATA_DIR
from gengdi.db import Database
from gengdi.summary import build_summary
from gengdi.ui.chinese import CHECKED

from test_browser import ARGS, CHROMIUM, browser, start_server, stop_server, sync_playwright  # noqa: F401 (skips without chromium; one browser fixture)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}


@pytest.fixture(scope="module")
def server():
    base, proc = start_server(DEFAULT_DATA_DIR)
    yield base
    stop_server(proc)




def open_page(browser, url: str, wait: str, **context):
    ctx = browser.new_context(**{**PHONE, **context})
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    page.locator(wait).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    return ctx, page


@pytest.fixture(scope="module")
def june_bottom():
    s = build_summary(Database(DEFAULT_DATA_DIR), None, dt.date(2023, 6, 30))
    return H.build(s).bottom


@pytest.mark.parametrize("path", ["", "ranking"])
def test_highlights_with_the_last_three_and_a_reason_above_the_fold(server, browser, june_bottom, path):
    ctx, page = open_page(browser, f"{server}/{path}?month=2023年6月", "[data-testid=gd-highlights]")
    try:
        block = page.locator("[data-testid=gd-highlights]")
        text = block.inner_text()
        for p in june_bottom:
            assert p.head in text
        assert june_bottom[0].reasons[0] in text
        # the last of the three and its reasons end inside the first screen
        last = block.locator("li").nth(len(june_bottom) - 1).bounding_box()
        assert last["y"] + last["height"] <= 844
        # before the KPI cards and before any settings
        assert page.locator("[data-testid=stMetric], [data-testid=stExpander]").first.bounding_box()["y"] > last["y"]
    finally:
        ctx.close()


SIDEWAYS = """() => [...document.querySelectorAll('[data-testid=stMain] *')].filter(e => {
    if (!e.getClientRects().length) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && (r.right > window.innerWidth + 1 || e.scrollWidth > e.clientWidth + 1 &&
           ['auto', 'scroll'].includes(getComputedStyle(e).overflowX));
}).map(e => e.tagName + '.' + String(e.className).slice(0, 40) + ' ' + (e.getAttribute('data-testid') || ''))"""


def test_phone_ranking_is_cards_with_nothing_scrolling_sideways(server, browser):
    ctx, page = open_page(browser, f"{server}/ranking?month=2023年6月", "[data-testid=gd-cards]")
    try:
        assert page.locator("[data-testid=gd-ranking]").is_hidden()
        cards = page.locator("[data-testid=gd-cards] .gd-card")
        assert cards.count() == 11
        first = cards.first.inner_text()
        assert "第1名" in first and "分" in first
        # a red reason is printed on the card, no hover needed
        assert page.locator("[data-testid=gd-cards] .gd-c-why").first.is_visible()
        main = page.locator("[data-testid=stMain]")
        for y in range(0, 20000, 700):
            main.evaluate(f"m => m.scrollTo(0, {y})")
            page.wait_for_timeout(100)
            assert page.evaluate(SIDEWAYS) == []
        # the settings come after the table
        table_end = cards.last.bounding_box()["y"]
        assert page.get_by_text("排名设置", exact=False).first.bounding_box()["y"] > table_end
    finally:
        ctx.close()


def test_desktop_keeps_the_table(server, browser):
    ctx, page = open_page(browser, f"{server}/ranking?month=2023年6月", "[data-testid=gd-ranking]",
                          viewport={"width": 1400, "height": 900}, is_mobile=False, has_touch=False)
    try:
        assert page.locator("[data-testid=gd-ranking]").is_visible()
        assert page.locator("[data-testid=gd-cards]").is_hidden()
    finally:
        ctx.close()


def swipe_up(page, x: float, y: float, distance: float = 300) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    steps = 20
    for i in range(1, steps + 1):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - distance * i / steps}]})
        page.wait_for_timeout(30)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(800)


def test_swipe_over_the_still_map_scrolls_the_page(server, browser):
    ctx, page = open_page(browser, f"{server}/?month=2023年6月", "[data-testid=stDeckGlJsonChart] canvas")
    try:
        canvas = page.locator("[data-testid=stDeckGlJsonChart] canvas").first
        main = page.locator("[data-testid=stMain]")
        # the map's top at 480 px: the map fills the lower part of the screen, and the page can scroll on
        main.evaluate("""m => { const c = document.querySelector('[data-testid=stDeckGlJsonChart]');
                         m.scrollBy(0, c.getBoundingClientRect().top - 480); }""")
        page.wait_for_timeout(1500)
        box = canvas.bounding_box()
        assert box["width"] <= 390 and box["y"] > 400
        before = main.evaluate("m => m.scrollTop")
        room = main.evaluate("m => m.scrollHeight - m.clientHeight - m.scrollTop")
        assert room > 150
        swipe_up(page, box["x"] + box["width"] / 2, box["y"] + 150, 250)
        after = main.evaluate("m => m.scrollTop")
        assert after - before > 120, (before, after, room)
    finally:
        ctx.close()


def test_copied_link_holds_the_month(server, browser):
    ctx, page = open_page(browser, f"{server}/ranking", "[data-testid=gd-highlights]")
    try:
        ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
        page.locator("button:not(.gd-copy-btn)", has_text="复制链接").first.click()
        body = page.locator("[data-testid=stPopoverBody]")
        body.wait_for(timeout=20_000)
        assert "2024年9月" in body.locator("[data-testid=gd-link-summary]").inner_text()
        assert "month=2024年9月" in unquote(body.locator("code").inner_text())
        body.locator(".gd-copy-btn").click()
        body.get_by_text("已复制").wait_for(timeout=10_000)
        copied = unquote(page.evaluate("navigator.clipboard.readText()"))
        assert "/ranking?" in copied and "month=2024年9月" in copied
        assert body.locator("[data-testid=stImage] img").count() == 1     # the QR code
        # 始终显示最新月份: no month in the link
        body.get_by_text("始终显示最新月份").click()
        page.wait_for_timeout(1500)
        assert "month=" not in unquote(page.locator("[data-testid=stPopoverBody] code").inner_text())
    finally:
        ctx.close()


def test_whatif_link_opens_with_its_banner(server, browser):
    url = f"{server}/ranking?month=2023年6月&w_proj=50&sim_u=中站区&sim_p=5"
    ctx, page = open_page(browser, url, "[data-testid=gd-changed]")
    try:
        banner = page.locator("[data-testid=gd-changed]").inner_text()
        assert "项目保障率权重50%" in banner and "模拟：中站区再保障5个" in banner
        assert page.locator("[data-testid=gd-changed]").bounding_box()["y"] < 844
        page.locator(".st-key-reset_link button").click()
        page.locator("[data-testid=gd-changed]").wait_for(state="detached", timeout=30_000)
        page.locator("[data-testid=gd-cards-sim]").wait_for(state="detached", timeout=30_000)
        assert page.locator("[data-testid=gd-ranking-sim]").count() == 0
        # the link to share is the actual view again (the month held)
        page.locator("button:not(.gd-copy-btn)", has_text="复制链接").first.click()
        link = unquote(page.locator("[data-testid=stPopoverBody] code").inner_text())
        assert "month=2023年6月" in link and "w_proj" not in link and "sim_u" not in link
    finally:
        ctx.close()


def visible_english(page) -> list[str]:
    text = page.evaluate("""() => { const out = [];
        const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        let n; while ((n = w.nextNode())) { const p = n.parentElement;
          if (!p || p.closest('[data-testid=stIconMaterial], script, style')) continue;
          if (!p.getClientRects().length) continue; out.push(n.nodeValue); }
        document.querySelectorAll('[title], [aria-label], [placeholder]').forEach(e => {
          ['title', 'aria-label', 'placeholder'].forEach(a => e.getAttribute(a) && out.push(e.getAttribute(a))); });
        return out.join('\\n'); }""")
    return [s for s in CHECKED if s in text]


@pytest.mark.parametrize("path", ["", "cultivated", "projects", "disposal", "ranking", "map", "data_import", "nosuchpage"])
def test_no_streamlit_english_on_any_page(server, browser, path):
    ctx, page = open_page(browser, f"{server}/{path}?month=2023年6月", "[data-testid=stMain] h1",
                          viewport={"width": 1400, "height": 900}, is_mobile=False, has_touch=False)
    try:
        page.wait_for_function("() => document.documentElement.lang === 'zh-CN'", timeout=20_000)
        assert visible_english(page) == [], path
        # the ⋮ menu (toolbarMode minimal: there is none, or only Chinese in it)
        menu = page.locator("[data-testid=stMainMenu]")
        if menu.count():
            menu.click()
            page.wait_for_timeout(800)
            assert visible_english(page) == [], path + " menu"
            page.keyboard.press("Escape")
        if path == "":
            # the date picker is the browser's own (<input type=date>): in the browser's language, not Streamlit's
            assert page.locator("[data-testid=stDateInput] input[type=date]").count() == 1
    finally:
        ctx.close()
