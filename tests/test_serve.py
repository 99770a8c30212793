"""``python -m gengdi serve``: two dashboard processes behind the distribution's nginx, and the load
test against them. The test starts and stops the processes itself (about 20 s)."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from gengdi import fmt, loadtest
from gengdi.config import REPO_ROOT
from gengdi.db import Database
from gengdi.serve import Cluster, find_nginx, free_ports
from gengdi.summary import build_summary
from test_ingest import csv_bytes, demo_copy, CULT_H

needs_nginx = pytest.mark.skipif(find_nginx() is None, reason="需要 nginx（apt-get install -y nginx）")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    store = demo_copy(tmp_path_factory.mktemp("serve"))
    c = Cluster(workers=2, port=free_ports(1)[0], host="127.0.0.1", data=store, log=lambda m: None,
                env={"GENGDI_OPEN": "1"})   # the import below makes it a real store: open, no sign-in
    c.start()
    yield c
    c.stop()
    assert all(p.poll() is not None for p in [c.nginx, *c.procs]), "serve 停止后仍有进程在运行"


def _url(c: Cluster) -> str:
    return f"http://127.0.0.1:{c.port}"


def _get(url: str, cookie: str | None = None):
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        r.read()
        return r.headers


@needs_nginx
def test_headers_sticky_cookie_and_csp(cluster):
    h = _get(_url(cluster) + "/")
    cookie = h.get("Set-Cookie", "")
    assert cookie.startswith("gengdi_route=") and "HttpOnly" in cookie
    csp = h["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp and "img-src 'self' data: blob:" in csp
    assert "http" not in csp and "*" not in csp   # no outside source of any kind
    # a viewer who has the cookie keeps it (no new route)
    assert _get(_url(cluster) + "/", cookie.split(";")[0]).get("Set-Cookie") is None


def _worker_of(c: Cluster, cookie: str) -> int:
    """The worker that served a page view with this route cookie: the one that spent its CPU
    (no other load runs meanwhile)."""
    before = [loadtest.cpu_seconds([p.pid]) for p in c.procs]
    loadtest.fetch_page(_url(c), "ranking", cookie=cookie)
    spent = [loadtest.cpu_seconds([p.pid]) - b for p, b in zip(c.procs, before)]
    return max(range(len(spent)), key=spent.__getitem__)


def _cookies_per_worker(c: Cluster) -> dict[int, str]:
    """A route cookie that lands on each worker."""
    found: dict[int, str] = {}
    for i in range(40):
        cookie = f"gengdi_route=test{i:04d}"
        found.setdefault(_worker_of(c, cookie), cookie)
        if len(found) == len(c.procs):
            return found
    raise AssertionError(f"40 个会话都落在同一个进程上：{found}")


@needs_nginx
def test_a_viewer_stays_on_one_process(cluster):
    for worker, cookie in _cookies_per_worker(cluster).items():
        assert [_worker_of(cluster, cookie) for _ in range(4)] == [worker] * 4


@needs_nginx
def test_an_import_is_seen_by_every_process(cluster, tmp_path):
    url = _url(cluster)
    routes = _cookies_per_worker(cluster)
    old = fmt.wan_mu(build_summary(Database(cluster.data), None, dt.date(2024, 9, 30))["city"]["cultivated_mu"])
    for cookie in routes.values():
        assert old.encode() in loadtest.fetch_page(url, cookie=cookie)
    # an import through another process (the command line) writes a new store version
    ledger = tmp_path / "修武县耕地.csv"
    ledger.write_bytes(csv_bytes([CULT_H, [2023, "410821", 1_250_000, 249000, 225000, 224500]]))
    r = subprocess.run([sys.executable, "-m", "gengdi", "import", str(ledger), "--data", str(cluster.data)],
                       capture_output=True, text=True, cwd=REPO_ROOT)
    assert r.returncode == 0, r.stderr
    new = fmt.wan_mu(build_summary(Database(cluster.data), None, dt.date(2024, 9, 30))["city"]["cultivated_mu"])
    assert new != old
    for worker, cookie in routes.items():   # the next rerun of each process shows the new figure
        page = loadtest.fetch_page(url, cookie=cookie)
        assert new.encode() in page, f"第 {worker + 1} 个进程仍显示旧数字"
        assert old.encode() not in page


@needs_nginx
def test_load_command_against_two_processes(cluster):
    r = subprocess.run([sys.executable, "-m", "gengdi", "load", "--url", _url(cluster), "--users", "3",
                        "--duration", "6", "--json",
                        *(f"--pid={p.pid}" for p in [cluster.nginx, *cluster.procs])], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["errors"] == 0 and out["views"] > 0 and out["p95_s"] is not None
    assert out["server_cpu_ms_per_view"] > 0 and out["server_rss_mb"] > 100


@needs_nginx
def test_load_finds_every_process_of_the_serve_command():
    """Started as ``python -m gengdi serve``, the load test counts nginx and all workers."""
    port = free_ports(1)[0]
    p = subprocess.Popen([sys.executable, "-m", "gengdi", "serve", "--workers", "2", "--port", str(port),
                          "--host", "127.0.0.1"], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert "已启动 2 个看板进程" in p.stdout.readline()
        pids = loadtest.server_pids(port)
        names = [loadtest._cmdline(x) for x in pids]
        assert p.pid in pids
        assert sum("streamlit" in n for n in names) == 2 and sum("nginx" in n for n in names) >= 2, names
    finally:
        p.send_signal(signal.SIGTERM)
        assert p.wait(30) == 0
    assert loadtest.server_pids(port) == []   # everything stopped


@needs_nginx
def test_load_counts_a_page_without_its_content_as_an_error(cluster, monkeypatch):
    monkeypatch.setattr(loadtest, "ROUTE", [("", "", "这段文字不在页面上", "总览")])
    out = loadtest.run(_url(cluster), users=1, duration=2, timeout=30)
    assert out["errors"] >= 1 and out["views"] == 0
    assert "这段文字不在页面上" in out["error_samples"][0]


@needs_nginx
def test_a_dead_worker_is_restarted(cluster):
    victim = cluster.procs[0]
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(10)
    cluster.check()
    assert cluster.restarts == 1 and cluster.procs[0] is not victim
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{cluster.ports[0]}/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.3)
    else:
        pytest.fail("重启的进程没有恢复服务")
    assert b"\xe6\x9c\xac\xe6\x9c\x88\xe6\x8c\x87\xe6\xa0\x87" in loadtest.fetch_page(_url(cluster))   # 本月指标


def test_serve_without_nginx_says_how_to_install_it(monkeypatch, capsys):
    from gengdi import serve
    from gengdi.__main__ import main

    monkeypatch.setattr(serve, "find_nginx", lambda: None)
    assert main(["serve", "--workers", "2", "--port", str(free_ports(1)[0]), "--host", "127.0.0.1"]) == 2
    err = capsys.readouterr().err
    assert "未找到 nginx" in err and "apt-get install -y nginx" in err and "Traceback" not in err


def test_load_arguments_in_chinese(capsys):
    from gengdi.__main__ import main

    assert main(["load", "--users", "0"]) == 2
    assert "--users 至少为 1" in capsys.readouterr().err
