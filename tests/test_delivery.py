"""Delivery: a real SMTP server (aiosmtpd on 127.0.0.1) and real local HTTP receivers for the
企业微信 and 钉钉 robots; failures are recorded, never block the publication, and are retried."""
from __future__ import annotations

import email
import email.policy
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from gengdi import delivery as D
from gengdi import publications as P
from test_publications import JIAOZUO, SEPT, demo_copy

PUBLIC = "https://gd.example.cn/看板"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch):
    import socket
    with socket.socket() as s:          # a free port (the controller checks it by connecting)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port)
    ctl.start()
    monkeypatch.setenv("GENGDI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("GENGDI_SMTP_PORT", str(port))
    monkeypatch.setenv("GENGDI_SMTP_FROM", "gengdi@jiaozuo.example.cn")
    yield inbox
    ctl.stop()


class Receiver:
    """A local robot endpoint: records the JSON it gets; fails the first ``fail`` requests."""

    def __init__(self, fail: int = 0, answer: dict | None = None):
        self.got, self.fail = [], fail
        outer = self

        class H(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.got.append((self.path, json.loads(body)))
                if outer.fail > 0:
                    outer.fail -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                out = json.dumps(answer or {"errcode": 0, "errmsg": "ok"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/robot/send?key=SECRETKEY"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers():
    made = []

    def make(**kw):
        r = Receiver(**kw)
        made.append(r)
        return r
    yield make
    for r in made:
        r.stop()


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    d = demo_copy(tmp_path_factory.mktemp("deliver"))
    pub, _ = P.publish(d, JIAOZUO, SEPT, who="张三")
    return d, pub


def test_mail_and_robots_arrive_with_the_pinned_link(published, smtp, receivers, monkeypatch, tmp_path):
    d0, pub = published
    d = tmp_path / "s"
    import shutil
    shutil.copytree(d0, d)
    monkeypatch.setenv("GENGDI_PUBLIC_URL", PUBLIC + "/")
    wecom, ding = receivers(), receivers()
    D.add_subscription(d, "email", "leader@jiaozuo.example.cn", "局领导")
    D.add_subscription(d, "wecom", wecom.url, "企业微信群")
    D.add_subscription(d, "dingtalk", ding.url, "钉钉群", secret="SEC123")
    lines = D.deliver(d, pub)
    assert len(lines) == 3 and all(x.startswith("已推送") for x in lines), lines
    link = f"{PUBLIC}/publications?pub={pub['id']}"
    # e-mail: subject, the key sentence, the pinned link, the PDF as published
    (rcpt, raw), = smtp.messages
    assert rcpt == ["leader@jiaozuo.example.cn"]
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert pub["title"] in msg["Subject"] and pub["number"] in msg["Subject"]
    body = msg.get_body(("plain",)).get_content()
    assert link in body and pub["key_sentence"] in body
    (att,) = list(msg.iter_attachments())
    assert att.get_content_type() == "application/pdf"
    assert att.get_content() == P.file_path(d, pub, "pdf").read_bytes()
    # 企业微信: markdown.content; 钉钉: markdown.title + text, signed
    (_, w), = wecom.got
    assert w["msgtype"] == "markdown" and link in w["markdown"]["content"]
    assert pub["title"] in w["markdown"]["content"]
    (path, g), = ding.got
    assert g["msgtype"] == "markdown" and link in g["markdown"]["text"] and g["markdown"]["title"]
    assert "timestamp=" in path and "sign=" in path
    # the key in a webhook address is a secret: never shown
    assert all("SECRETKEY" not in D.label(s) for s in D.subscriptions(d))
    # delivered once: a second run sends nothing
    assert D.deliver(d, pub) == [] and len(smtp.messages) == 1


def test_failing_receiver_is_recorded_and_retried(published, receivers, tmp_path, monkeypatch):
    d0, pub = published
    import shutil
    d = tmp_path / "s"
    shutil.copytree(d0, d)
    monkeypatch.delenv("GENGDI_SMTP_HOST", raising=False)
    flaky = receivers(fail=1)
    refuses = receivers(answer={"errcode": 310000, "errmsg": "keywords not in content"})
    D.add_subscription(d, "wecom", flaky.url)
    D.add_subscription(d, "dingtalk", refuses.url)
    D.add_subscription(d, "email", "nobody@jiaozuo.example.cn")
    lines = D.deliver(d, pub)
    assert all(x.startswith("推送失败") for x in lines) and len(lines) == 3
    failed = D.failures(d)
    assert len(failed) == 3
    errors = " ".join(r["error"] for _, r in failed)
    assert "HTTP 500" in errors and "310000" in errors and "GENGDI_SMTP_HOST" in errors
    # retry: the flaky robot gets it now, the others stay failed with their attempts counted
    lines = D.retry_failed(d)
    assert len(flaky.got) == 2 and any("已推送" in x for x in lines)
    recs = D.deliveries(d, pub["id"])
    assert sorted((r["status"], r["attempts"]) for r in recs.values()) == [("failed", 2), ("failed", 2), ("sent", 2)]
    assert len(D.failures(d)) == 2


def test_delivery_failure_never_blocks_publication(tmp_path):
    d = demo_copy(tmp_path)
    D.add_subscription(d, "wecom", "http://127.0.0.1:9/robot/send?key=x")   # nothing listens on port 9
    r = subprocess.run([sys.executable, "-m", "gengdi", "publish", "--month", "2024-09", "--data", str(d)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "已发布" in r.stdout and "推送失败" in r.stdout and "无法连接" in r.stdout
    assert len(P.all_publications(d)) == 1 and len(D.failures(d)) == 1
    r = subprocess.run([sys.executable, "-m", "gengdi", "deliver", "--data", str(d)], capture_output=True, text=True)
    assert r.returncode == 0 and "第2次" in r.stdout


def test_bad_subscriptions_are_refused(tmp_path):
    for kind, target in (("email", "not-an-address"), ("wecom", "ftp://x"), ("wecom", "javascript:alert(1)"),
                         ("sms", "123")):
        with pytest.raises(D.BadSubscription):
            D.add_subscription(tmp_path, kind, target)
    D.add_subscription(tmp_path, "email", "a@b.cn")
    with pytest.raises(D.BadSubscription):
        D.add_subscription(tmp_path, "email", "a@b.cn")


def test_robot_markdown_escapes_hostile_names():
    pub = {"id": "x", "title": "通报", "number": "1号", "key_sentence": "[点我](http://evil) *温县*"}
    content = D.robot_payload("wecom", pub)["markdown"]["content"]
    assert "](http://evil)" not in content and "\\[点我\\]" in content
