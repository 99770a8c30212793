"""The 通报 page (pinned view ``?pub=<id>``, the archive, subscriptions and delivery for admins)
and the 发布 block of the ranking page."""
from __future__ import annotations

import datetime as dt
import html
import os
from urllib.parse import urlencode

import streamlit as st

from .. import auth as A
from .. import delivery as D
from .. import fmt
from .. import publications as P
from .. import views
from ..notice import FontMissing
from ..versions import Busy
from . import widgets
from . import components as ui

ROLE = "_gengdi_signed_role"      # the signed-in role of this run (set by app.py)
widgets.KNOWN_EXTRA.add(P.PUB_PARAM)


def is_admin() -> bool:
    return st.session_state.get(ROLE) == A.ADMIN


def _data_dir() -> str:
    from .. import config

    return str(config.data_dir().resolve())


def latest_link(pub: dict) -> str:
    """The dashboard's live ranking for the publication's month and place ("查看最新")."""
    from ..store import fingerprints
    from . import data
    from .context import key_of

    q = {"month": pub["month"]}
    if pub["as_of"] != P.month_end_iso(pub):
        q["date"] = pub["as_of"]
    if pub["scope"]["level"] == "city" and len(data.cities(_data_dir(), key_of(fingerprints(_data_dir())))) > 1:
        q["city"] = pub["scope"]["code"]
    elif pub["scope"]["level"] == "province":
        q["province"] = pub["scope"]["code"]
    return "ranking?" + urlencode(q)


def pinned_link(pub: dict) -> str:
    """The pinned link: absolute on $GENGDI_PUBLIC_URL, else relative to the dashboard."""
    return P.public_link(pub) or f"{P.PAGE}?{P.PUB_PARAM}={pub['id']}"


def _downloads(d: str, pub: dict, key: str) -> None:
    c1, c2 = st.columns(2)
    name = f"{pub['title']}"
    with c1:
        st.download_button("通报 PDF", lambda: P.file_path(d, pub, "pdf").read_bytes(), f"{name}.pdf",
                           mime="application/pdf", key=f"pdf_{key}", icon=":material/picture_as_pdf:")
    with c2:
        st.download_button("通报 Word", lambda: P.file_path(d, pub, "docx").read_bytes(), f"{name}.docx",
                           mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                           key=f"docx_{key}", icon=":material/description:")


def _meta_line(pub: dict) -> str:
    when = dt.datetime.fromisoformat(pub["published_at"]).astimezone(P.TZ)
    return (f"{pub['number']} · {pub['scope']['name']} · 截至{fmt.date_label(dt.date.fromisoformat(pub['as_of']))} · "
            f"{when:%Y-%m-%d %H:%M} 由{pub['published_by']}发布" + (" · 更正" if pub["kind"] == "更正" else ""))


def pinned_view(pub: dict) -> None:
    """The dashboard as published: the banner, the key sentence, the ranking from the pinned
    version with the published settings, the documents."""

    d = _data_dir()
    newer = P.newer_data(d, pub)
    text = html.escape(P.banner(pub, newer))
    more = f' → <a href="{html.escape(latest_link(pub))}" target="_self">查看最新</a>' if newer else ""
    st.html(f'<div class="gd-pub-banner" data-testid="gd-pub-banner" style="padding:.6rem .9rem;border-radius:.5rem;'
            f'background:#fff4cc;border:1px solid #e6c200">{text}{more}</div>')
    # titles, names and sentences come from ledgers and sign-ins: text, never markup
    st.html(f'<h3 style="margin:.4rem 0 0 0">{html.escape(pub["title"])}</h3>'
            f'<div class="gd-sub" style="margin:0">{html.escape(_meta_line(pub))}</div>'
            f'<p><b>本月要点</b>：{html.escape(pub["key_sentence"])}</p>')
    s = _pinned_summary(d, pub["id"])
    settings, thresholds = P.settings_of(pub)
    ui.ranking_table(s["units"], thresholds, test_id="gd-ranking-pinned")
    ui.level_legend()
    ui.kouqing(f"本页固定为通报发布时的数据（数据版本 {pub['version_id']}）和排名设置，不随左侧筛选和此后的导入变化；"
               f"权重：{views.weights_line(settings.weight_map)}"
               + ("" if settings.categories is None else f"；保障率只计{'、'.join(settings.categories)}") + "。")
    _downloads(d, pub, "pinned")
    link = P.public_link(pub)
    if link:
        from ..official import _qr_png

        st.image(_qr_png(link), width=140, caption="扫码打开本通报（固定链接）")


@st.cache_data(show_spinner=False, max_entries=16)
def _pinned_summary(d: str, pid: str) -> dict:
    """A publication's summary (its pinned version never changes: cached by its id)."""
    return P.pinned_summaries(d, P.get(d, pid))[0]


def archive() -> None:
    d = _data_dir()
    pubs = P.all_publications(d)
    st.subheader("通报存档")
    if not pubs:
        ui.empty_state("还没有发布过通报。管理员可在“综合排名”页底部发布本月通报。")
        return
    for i, pub in enumerate(pubs[:60]):
        with st.container(border=True):
            st.html(f"<b>{html.escape(pub['title'])}</b><div class='gd-sub' style='margin:0'>"
                    f"{html.escape(_meta_line(pub))}</div>")
            st.markdown(f"[打开固定链接（发布时的数据）]({pinned_link(pub)})")
            _downloads(d, pub, f"a{i}")
    if len(pubs) > 60:
        st.caption(f"共{len(pubs)}份，只列出最近60份；全部可用 python -m gengdi publications 查看。")


# ---------------------------------------------------------------------------- admins
def admin_panel() -> None:
    if not is_admin():
        return
    d = _data_dir()
    st.subheader("推送订阅（管理员）")
    smtp = D.smtp_settings()
    st.caption(("邮件服务器：" + f"{smtp['host']}:{smtp['port']}") if smtp else
               "未配置邮件服务器（GENGDI_SMTP_HOST 等），邮件订阅将推送失败并记录。")
    subs = D.subscriptions(d)
    for sub in subs:
        c1, c2 = st.columns([5, 1])
        c1.text(D.label(sub))
        c2.button("删除", key=f"unsub_{sub['id']}", icon=":material/delete:",
                  on_click=D.remove_subscription, args=(d, sub["id"]))
    with st.form("subscribe", clear_on_submit=True):
        kind = st.selectbox("方式", list(D.KINDS), format_func=D.KINDS.get)
        target = st.text_input("邮箱或机器人 Webhook 地址")
        name = st.text_input("名称（可选）", placeholder="例如 市局领导群")
        secret = st.text_input("钉钉加签密钥（可选）", type="password")
        if st.form_submit_button("添加订阅", icon=":material/add:"):
            try:
                D.add_subscription(d, kind, target, name, secret, who=_who())
                st.success("已添加。")
            except D.BadSubscription as e:
                st.error(str(e))
    failed = D.failures(d)
    st.subheader("推送失败记录")
    retried = st.session_state.pop(_RETRIED, None)
    if retried:
        st.info(D.md_text(retried))
    if not failed:
        st.caption("没有失败的推送。")
        return
    for pub, rec in failed[:30]:
        st.warning(D.md_text(f"{pub['number']}：{rec['label']} 第{rec['attempts']}次失败（{rec['last_try'][:16].replace('T', ' ')}）："
                   f"{rec['error']}"), icon=":material/error:")
    st.button("重试失败的推送", key="retry_delivery", icon=":material/refresh:", on_click=_retry, args=(d,))


def _retry(d: str) -> None:
    lines = D.retry_failed(d)
    st.session_state[_RETRIED] = "；".join(lines) or "没有可重试的推送（已达最多次数）。"


_RETRIED = "_gengdi_retried"


def _who() -> str:
    try:
        if st.user.is_logged_in:
            return st.user.get("email") or st.user.get("name") or "管理员"
    except Exception:  # noqa: BLE001 - no OIDC configured
        pass
    return "管理员"


def publish_block(ctx, settings, thresholds) -> None:
    """The 发布 block on the ranking page (admins): the completeness check, then publish."""
    if not is_admin():
        return
    from . import data

    d = ctx.data_dir
    st.subheader("发布通报")
    missing = P.missing_reports(d, data.areas(d, ctx.key()), ctx.scope, ctx.as_of)
    if missing:
        st.warning(P.missing_message(missing, ctx.as_of), icon=":material/pending_actions:")
    existing = [p for p in P.all_publications(d) if p["key"] == P._key(
        ctx.as_of, ctx.scope, ctx.by, P.settings_record(settings, thresholds))]
    if existing:
        pub = existing[0]
        st.success(D.md_text(f"{P.banner(pub, False)}：{pub['number']}。"), icon=":material/verified:")
        st.markdown(f"[打开固定链接]({pinned_link(pub)})")
    label = "重新发布为更正" if existing else f"发布{ctx.month_label}通报"
    st.caption("发布后存档 PDF 和 Word、固定当前数据版本和排名设置，并推送给订阅者；同一月份同一设置只发布一次。")
    st.button(label, key="publish", type="secondary" if existing else "primary", icon=":material/campaign:",
              on_click=_publish, args=(d, ctx.scope, ctx.as_of, ctx.by, settings, thresholds, bool(existing)))
    done = st.session_state.pop(_DONE, None)
    if done:
        kind, text, link = done
        (st.success if kind == "ok" else st.error)(D.md_text(text))
        if link:
            st.markdown(f"[打开固定链接]({link})")


_DONE = "_gengdi_publish_done"


def _publish(d, scope, as_of, by, settings, thresholds, force) -> None:
    """The 发布 button's callback (runs before the rerun, so the click is never lost)."""
    try:
        pub, _ = P.publish(d, scope, as_of, by=by, settings=settings, thresholds=thresholds, who=_who(), force=force)
    except (P.PublishRefused, FontMissing, Busy) as e:
        st.session_state[_DONE] = ("error", str(e), None)
        return
    lines = D.deliver(d, pub)
    st.session_state[_DONE] = ("ok", f"已发布：{pub['title']}（{pub['number']}）。"
                               + ("；".join(lines) if lines else "没有订阅者。"), pinned_link(pub))


def page() -> None:
    from .context import current

    current()        # a shared link opened first: rerun through app.py (its navigation and filters)
    pid = st.query_params.get(P.PUB_PARAM)
    ui.page_header_plain("通报")
    if pid:
        pub = P.get(_data_dir(), pid)
        if pub is None:
            st.error("链接中的通报编号不存在（可能已被删除或链接不完整），下面是通报存档。", icon=":material/link_off:")
        else:
            pinned_view(pub)
            st.divider()
    archive()
    admin_panel()
    if is_admin() and os.environ.get("GENGDI_PUBLIC_URL", "").strip() == "":
        st.caption("未设置 GENGDI_PUBLIC_URL：通报上不印二维码，推送的链接为相对地址。")
