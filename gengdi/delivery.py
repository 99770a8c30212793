"""Delivery of a publication to its subscribers: e-mail (SMTP, the PDF attached) and group robots
(企业微信 and 钉钉 webhooks). Each receives the title, the 本月要点 sentence and the pinned link.

    data/publications/subscriptions.json     the subscribers (managed by admins)
    data/publications/<id>/deliveries.json   per subscriber: status, attempts, last error, times

Delivery never blocks or undoes a publication: every failure is recorded and retried later
(``python -m gengdi deliver``, e.g. from cron, or the 重试 button for admins), at most
``MAX_ATTEMPTS`` times.

SMTP settings (environment): GENGDI_SMTP_HOST, GENGDI_SMTP_PORT (25), GENGDI_SMTP_USER,
GENGDI_SMTP_PASSWORD, GENGDI_SMTP_FROM, GENGDI_SMTP_SECURITY (none | starttls | ssl; default
starttls when a user is set, else none).
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from . import publications as P

KINDS = {"email": "邮件", "wecom": "企业微信群机器人", "dingtalk": "钉钉群机器人"}
SUBSCRIPTIONS = "subscriptions.json"
DELIVERIES = "deliveries.json"
MAX_ATTEMPTS = 8
TIMEOUT = 10
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")


class BadSubscription(ValueError):
    """A subscriber that cannot be added (message in Chinese)."""


def _now() -> str:
    return dt.datetime.now(P.TZ).isoformat(timespec="seconds")


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


# ---------------------------------------------------------------------------- subscriptions
def subscriptions(data_dir: Path | str) -> list[dict[str, Any]]:
    return _read_json(P.root(data_dir) / SUBSCRIPTIONS, [])


def add_subscription(data_dir: Path | str, kind: str, target: str, name: str = "", secret: str = "",
                     who: str = "") -> dict[str, Any]:
    target = (target or "").strip()
    if kind not in KINDS:
        raise BadSubscription(f"订阅方式“{kind}”未知：可选 {'、'.join(KINDS.values())}")
    if kind == "email":
        if not _EMAIL.match(target):
            raise BadSubscription(f"邮箱地址“{target}”无效")
    else:
        u = urllib.parse.urlsplit(target)
        if u.scheme not in ("http", "https") or not u.netloc:
            raise BadSubscription(f"机器人地址“{target}”无效：应为 http(s):// 开头的 Webhook 地址")
    subs = subscriptions(data_dir)
    if any(s["kind"] == kind and s["target"] == target for s in subs):
        raise BadSubscription(f"{KINDS[kind]} {target} 已在订阅列表中")
    sub = {"id": os.urandom(4).hex(), "kind": kind, "target": target, "name": (name or "").strip()[:40],
           "secret": (secret or "").strip(), "added_by": who, "added_at": _now()}
    _write_json(P.root(data_dir) / SUBSCRIPTIONS, subs + [sub])
    return sub


def remove_subscription(data_dir: Path | str, sid: str) -> None:
    _write_json(P.root(data_dir) / SUBSCRIPTIONS, [s for s in subscriptions(data_dir) if s["id"] != sid])


def label(sub: Mapping[str, Any]) -> str:
    """How a subscriber is shown: its name and a webhook without its key (a secret)."""
    target = sub["target"]
    if sub["kind"] != "email":
        u = urllib.parse.urlsplit(target)
        target = f"{u.scheme}://{u.netloc}{u.path}"
    return f"{KINDS[sub['kind']]}：{sub['name'] + ' ' if sub['name'] else ''}{target}"


# ---------------------------------------------------------------------------- messages
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]()#<>!|~"})


def md_text(text: str) -> str:
    """Hostile text (unit names come from ledgers) as plain text inside markdown (robots, page alerts)."""
    return str(text).translate(_MARKDOWN)


_md = md_text


def link_of(pub: Mapping[str, Any]) -> str:
    return P.public_link(pub) or f"（未设置 GENGDI_PUBLIC_URL，请在看板“通报”页打开编号 {pub['id']}）"


def robot_payload(kind: str, pub: Mapping[str, Any]) -> dict[str, Any]:
    """The robot message: 企业微信 {"msgtype":"markdown","markdown":{"content"}}, 钉钉
    {"msgtype":"markdown","markdown":{"title","text"}}."""
    link = P.public_link(pub)
    head = f"{pub['title']}（{pub['number']}）"
    more = f"[查看通报]({link})" if link else _md(link_of(pub))
    if kind == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": f"**{_md(head)}**\n{_md(pub['key_sentence'])}\n{more}"}}
    return {"msgtype": "markdown", "markdown": {"title": head[:60],
                                                "text": f"#### {_md(head)}\n\n{_md(pub['key_sentence'])}\n\n{more}"}}


def email_message(pub: Mapping[str, Any], to: str, sender: str, pdf: bytes) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = f"{pub['title']}（{pub['number']}）"
    msg["From"] = sender
    msg["To"] = to
    msg.set_content(f"{pub['title']}（{pub['number']}）\n\n{pub['key_sentence']}\n\n"
                    f"查看通报（数据固定为发布时的版本）：{link_of(pub)}\n\n附件为通报 PDF。\n")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{pub['title']}.pdf")
    return msg


# ---------------------------------------------------------------------------- sending
def smtp_settings(env: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    env = os.environ if env is None else env
    host = env.get("GENGDI_SMTP_HOST", "").strip()
    if not host:
        return None
    user = env.get("GENGDI_SMTP_USER", "").strip()
    return {"host": host, "port": int(env.get("GENGDI_SMTP_PORT", "25") or 25), "user": user,
            "password": env.get("GENGDI_SMTP_PASSWORD", ""),
            "sender": env.get("GENGDI_SMTP_FROM", "").strip() or user or f"gengdi@{host}",
            "security": env.get("GENGDI_SMTP_SECURITY", "starttls" if user else "none").strip().lower()}


def send_email(sub: Mapping[str, Any], pub: Mapping[str, Any], pdf: bytes) -> None:
    cfg = smtp_settings()
    if cfg is None:
        raise RuntimeError("未配置邮件服务器（GENGDI_SMTP_HOST）")
    cls = smtplib.SMTP_SSL if cfg["security"] == "ssl" else smtplib.SMTP
    with cls(cfg["host"], cfg["port"], timeout=TIMEOUT) as smtp:
        if cfg["security"] == "starttls":
            smtp.starttls()
        if cfg["user"]:
            smtp.login(cfg["user"], cfg["password"])
        smtp.send_message(email_message(pub, sub["target"], cfg["sender"], pdf))


def _signed(url: str, secret: str) -> str:
    """钉钉 加签: timestamp and sign appended to the webhook address."""
    ts = str(int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={ts}&sign={sign}"


def send_robot(sub: Mapping[str, Any], pub: Mapping[str, Any]) -> None:
    url = sub["target"]
    if sub["kind"] == "dingtalk" and sub.get("secret"):
        url = _signed(url, sub["secret"])
    body = json.dumps(robot_payload(sub["kind"], pub), ensure_ascii=False).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            answer = r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"机器人返回 HTTP {e.code}") from None
    try:
        code = json.loads(answer).get("errcode", 0)
    except (ValueError, AttributeError):
        code = 0
    if code not in (0, "0"):
        raise RuntimeError(f"机器人拒绝：errcode {code}，{str(json.loads(answer).get('errmsg', ''))[:80]}")


def _error_text(e: BaseException) -> str:
    if isinstance(e, (ConnectionError, urllib.error.URLError, OSError)) and not isinstance(e, smtplib.SMTPException):
        return f"无法连接：{getattr(e, 'reason', e)}"[:200]
    return str(e)[:200] or type(e).__name__


def _attempt(sub: Mapping[str, Any], pub: Mapping[str, Any], pdf: bytes, rec: dict[str, Any]) -> None:
    rec.update({"kind": sub["kind"], "label": label(sub), "attempts": rec.get("attempts", 0) + 1, "last_try": _now()})
    try:
        if sub["kind"] == "email":
            send_email(sub, pub, pdf)
        else:
            send_robot(sub, pub)
    except Exception as e:  # noqa: BLE001 - any failure is recorded, never raised
        rec.update({"status": "failed", "error": _error_text(e)})
    else:
        rec.update({"status": "sent", "error": "", "sent_at": _now()})


def deliveries(data_dir: Path | str, pid: str) -> dict[str, dict[str, Any]]:
    return _read_json(P.root(data_dir) / pid / DELIVERIES, {})


def _line(rec: Mapping[str, Any]) -> str:
    if rec["status"] == "sent":
        return f"已推送 {rec['label']}"
    return f"推送失败 {rec['label']}（第{rec['attempts']}次：{rec['error']}）"


def deliver(data_dir: Path | str, pub: Mapping[str, Any], only_failed: bool = False) -> list[str]:
    """Send the publication to every subscriber (or retry the failed ones); returns one line each."""
    path = P.root(data_dir) / pub["id"] / DELIVERIES
    recs = _read_json(path, {})
    pdf = P.file_path(data_dir, pub, "pdf").read_bytes()
    lines = []
    for sub in subscriptions(data_dir):
        rec = recs.get(sub["id"], {})
        if rec.get("status") == "sent" or (only_failed and not rec):
            continue
        if rec.get("attempts", 0) >= MAX_ATTEMPTS:
            continue
        _attempt(sub, pub, pdf, rec)
        recs[sub["id"]] = rec
        _write_json(path, recs)
        lines.append(_line(rec))
    return lines


def retry_failed(data_dir: Path | str) -> list[str]:
    """Retry every failed delivery of every publication (under MAX_ATTEMPTS)."""
    lines = []
    for pub in P.all_publications(data_dir):
        recs = deliveries(data_dir, pub["id"])
        if any(r.get("status") == "failed" and r.get("attempts", 0) < MAX_ATTEMPTS for r in recs.values()):
            lines += [f"{pub['number']} {x}" for x in deliver(data_dir, pub, only_failed=True)]
    return lines


def failures(data_dir: Path | str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(publication, delivery record) of every delivery not (yet) sent, newest publication first."""
    out = []
    for pub in P.all_publications(data_dir):
        for rec in deliveries(data_dir, pub["id"]).values():
            if rec.get("status") == "failed":
                out.append((pub, rec))
    return out
