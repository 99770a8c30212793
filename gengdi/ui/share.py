"""复制链接: the link of this view with its month held (or always the latest), what it shows in words,
a copy button that works on a phone (no hover), and a QR code (segno) for a screen or a printout."""
from __future__ import annotations

import functools
import html
import io
import json
from urllib.parse import urlencode, urlsplit

import segno
import streamlit as st

from .. import linktext as L
from .context import current

MODE_KEY = "share_month_mode"


def _params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def _link(page_path: str, pairs: list[tuple[str, str]]) -> str:
    parts = urlsplit(st.context.url or "http://localhost:8501")
    base_path = (st.get_option("server.baseUrlPath") or "").strip("/")
    path = "/".join(p for p in (base_path, page_path) if p)
    return f"{parts.scheme}://{parts.netloc}/{path}" + (f"?{urlencode(pairs)}" if pairs else "")


def link(page_path: str, mode: str = L.FIXED) -> str:
    """The link that reopens this view; ``FIXED`` writes the month in view into it."""
    ctx = current()
    params = _params()
    if ctx is None:
        return _link(page_path, L.with_month(params, "", L.LATEST))
    return _link(page_path, L.with_month(params, ctx.month_label, mode))


def copy_button(url: str) -> None:
    """A button that copies ``url`` (Clipboard API, with a select-and-copy fallback for older
    phone browsers); says 已复制 or tells to long-press the link."""
    payload = html.escape(json.dumps(url), quote=True)
    st.html(f"""
<div class="gd-copy" data-url="{payload}">
<button type="button" class="gd-copy-btn" style="font-size:1rem;padding:8px 16px;border-radius:8px;border:1px solid #2e7d32;
 background:#2e7d32;color:#fff;cursor:pointer;min-height:44px;">复制链接</button>
<span class="gd-copy-msg" style="margin-left:8px;color:#1d5e38;font-size:0.9rem;" aria-live="polite"></span>
</div>
<script>
(function() {{
  document.querySelectorAll('.gd-copy').forEach(function(box) {{
    if (box.dataset.bound) return; box.dataset.bound = '1';
    var url = JSON.parse(box.dataset.url), msg = box.querySelector('.gd-copy-msg');
    function fallback() {{
      var t = document.createElement('textarea'); t.value = url; t.setAttribute('readonly', '');
      t.style.position = 'fixed'; t.style.top = '0'; t.style.opacity = '0'; document.body.appendChild(t);
      t.select(); t.setSelectionRange(0, url.length);
      var ok = false; try {{ ok = document.execCommand('copy'); }} catch (e) {{}}
      document.body.removeChild(t); return ok;
    }}
    box.querySelector('.gd-copy-btn').addEventListener('click', function() {{
      function done(ok) {{ msg.textContent = ok ? '已复制' : '无法自动复制，请长按下面的链接选择“复制”'; }}
      if (navigator.clipboard && window.isSecureContext) {{
        navigator.clipboard.writeText(url).then(function() {{ done(true); }}, function() {{ done(fallback()); }});
      }} else {{ done(fallback()); }}
    }});
  }});
}})();
</script>""", unsafe_allow_javascript=True)


@functools.lru_cache(maxsize=256)
def qr_png(url: str) -> bytes:
    """The PNG of a link's QR code (made once per link: encoding it cost ~5 % of a page view's CPU)."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=5, border=2)
    return buf.getvalue()


_PENDING = "_gengdi_share_pending"


def render(page_path: str) -> None:
    """The 复制链接 popover of the page header. Its content is drawn at the end of the run
    (``fill``): a widget's URL parameter is updated only when the widget is drawn, further down."""
    ctx = current()
    with st.popover("复制链接", icon=":material/link:"):
        mode = L.FIXED
        if ctx is not None:
            mode = st.radio("链接打开的月份", [L.FIXED, L.LATEST], key=MODE_KEY, horizontal=True,
                            format_func={L.FIXED: f"固定为{ctx.month_label}", L.LATEST: "始终显示最新月份"}.get)
        body = st.container()
    st.session_state[_PENDING] = (page_path, mode, body)


def fill() -> None:
    """Draw the link, its summary, the copy button and the QR code into the popover (end of run)."""
    from .controls import SHORT_KEYS

    pending = st.session_state.pop(_PENDING, None)
    if pending is None:
        return
    page_path, mode, body = pending
    ctx = current()
    url = link(page_path, mode)
    with body:
        if ctx is not None:
            place = ctx.city_name + ("" if ctx.leaf else f"（按{ctx.noun}）")
            shown = L.summary(_grouped(L.with_month(_params(), ctx.month_label, mode)), place, SHORT_KEYS)
            st.html(f'<div data-testid="gd-link-summary" style="font-weight:600;overflow-wrap:anywhere">'
                    f'打开后显示：{html.escape(shown)}</div>')
        copy_button(url)
        st.code(url, language=None, wrap_lines=True)
        st.caption("复制这个链接发给他人，打开即是当前视图（地区、月份、筛选、权重、模拟）；也可用手机扫描下面的二维码。")
        st.image(qr_png(url), caption="本视图链接的二维码", width=180)


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def changes_banner() -> None:
    """On a view whose ranking inputs differ from the defaults (a what-if link, or changed here):
    a banner listing them, with 恢复实际 (back to the defaults and the actual figures)."""
    from . import widgets
    from .controls import DEFAULTS, SETTING_KEYS, SHORT_KEYS, WHATIF_KEYS

    changed = L.changed_inputs(_params(), SHORT_KEYS)
    if not changed:
        return
    with st.container(border=True, key="gd-changed"):
        st.html('<div data-testid="gd-changed" style="overflow-wrap:anywhere"><b>本视图改动了以下输入，数字不是默认口径：</b>'
                + html.escape("；".join(changed)) + "。</div>")
        st.button("恢复实际", key="reset_link", icon=":material/undo:",
                  on_click=widgets.reset([*SETTING_KEYS, *WHATIF_KEYS], DEFAULTS))
