"""The load test: ``python -m gengdi load --url URL --users N --duration S [--json]``.

N simulated viewers speak Streamlit's own websocket protocol (``/_stcore/stream``, protobuf
``BackMsg``/``ForwardMsg`` from ``streamlit.proto``), no browser. Each viewer first fetches the page
(as a browser does: behind ``gengdi serve`` this sets the sticky-session cookie), opens the websocket
and then walks 总览 → 综合排名 → 综合排名 of the month before → 重点项目 → 处置 → 地图 → 耕地 with about
a second between views, round and round until the time is up. A page view counts when the server
says the script finished; it is an error when the run raised (an ``exception`` element), when the
page's own content is missing from the messages, when the connection drops or when a view takes
longer than the timeout.

When the server runs on this machine the process listening on the port is found through ``/proc``
(and, behind ``gengdi serve``, every process the serve command started), and its CPU seconds and
resident memory are read before and after: CPU per page view = server CPU seconds ÷ page views.
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

# (page url path, extra query string, text the page's messages must contain, label)
ROUTE: list[tuple[str, str, str, str]] = [
    ("", "", "本月指标", "总览"),
    ("ranking", "", "红色预警", "综合排名"),
    ("ranking", "month={prev}", "红色预警", "综合排名（换月份）"),
    ("projects", "", "项目清单", "重点项目"),
    ("disposal", "", "处置进度", "处置"),
    ("map", "", "着色指标", "地图"),
    ("cultivated", "", "完成情况", "耕地"),
]
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    url: str
    users: int
    duration_s: float
    views: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    per_page: dict[str, list[float]] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    server_cpu_s: float | None = None
    server_rss_mb: float | None = None
    server_rss_before_mb: float | None = None
    server_pids: list[int] = field(default_factory=list)
    elapsed_s: float = 0.0

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 10:
            self.error_samples.append(text)

    def summary(self) -> dict:
        lat = sorted(self.latencies)

        def pct(q: float) -> float | None:
            if not lat:
                return None
            return round(lat[min(len(lat) - 1, int(round(q * (len(lat) - 1))))], 3)

        out = {
            "url": self.url, "users": self.users, "duration_s": self.duration_s,
            "views": self.views, "errors": self.errors,
            "views_per_s": round(self.views / self.elapsed_s, 2) if self.elapsed_s else None,
            "p50_s": pct(0.50), "p95_s": pct(0.95), "max_s": round(lat[-1], 3) if lat else None,
            "per_page_p50_s": {k: round(statistics.median(v), 3) for k, v in self.per_page.items() if v},
        }
        if self.server_cpu_s is not None:
            out["server_cpu_ms_per_view"] = round(1000 * self.server_cpu_s / self.views, 1) if self.views else None
            out["server_cpu_share"] = round(self.server_cpu_s / self.elapsed_s, 2) if self.elapsed_s else None
            out["server_rss_mb"] = self.server_rss_mb
            out["server_rss_before_mb"] = self.server_rss_before_mb
            out["server_pids"] = self.server_pids
        if self.error_samples:
            out["error_samples"] = self.error_samples
        return out


# ---------------------------------------------------------------------------- the server's processes
def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            local, state, inode = parts[1], parts[3], parts[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                inodes.add(inode)
    return inodes


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int(_stat(int(d.name))[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(d.name))
    return kids


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()   # fields from 'state' on: [0] state, [1] ppid, …


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def server_pids(port: int) -> list[int]:
    """The processes serving ``port`` on this machine: the listener, and when it was started by
    ``python -m gengdi serve``, that command and everything it started (nginx and the workers)."""
    inodes = _listening_inodes(port)
    if not inodes:
        return []
    wanted = {f"socket:[{i}]" for i in inodes}
    found = None
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            for fd in (d / "fd").iterdir():
                if os.readlink(fd) in wanted:
                    found = int(d.name)
                    break
        except OSError:
            continue
        if found:
            break
    if not found:
        return []
    root, pid = found, found
    for _ in range(4):   # nginx worker → nginx master → gengdi serve
        try:
            pid = int(_stat(pid)[1])
        except (OSError, ValueError):
            break
        if "gengdi" in _cmdline(pid) and " serve" in _cmdline(pid):
            root = pid
            break
    return with_descendants([root])


def with_descendants(pids: list[int]) -> list[int]:
    kids = _children()
    out, todo = set(), list(pids)
    while todo:
        p = todo.pop()
        if p not in out:
            out.add(p)
            todo.extend(kids.get(p, []))
    return sorted(out)


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            f = _stat(pid)
            total += int(f[11]) + int(f[12])   # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / CLK_TCK


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


# ---------------------------------------------------------------------------- one viewer
def _ws_url(url: str) -> str:
    u = urllib.parse.urlsplit(url)
    scheme = "wss" if u.scheme == "https" else "ws"
    return urllib.parse.urlunsplit((scheme, u.netloc, u.path.rstrip("/") + "/_stcore/stream", "", ""))


def _get_cookie(url: str, timeout: float) -> str:
    """GET the page as a browser does first; the cookies the server sets (the sticky-session
    cookie behind ``gengdi serve``) go with the websocket."""
    with urllib.request.urlopen(url, timeout=timeout) as r:
        r.read()
        cookies = [c.split(";", 1)[0] for c in r.headers.get_all("Set-Cookie") or []]
    return "; ".join(cookies)


def _back_msg(page: str, query: str) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    m = BackMsg()
    m.rerun_script.query_string = query
    m.rerun_script.page_name = page
    m.rerun_script.widget_states.SetInParent()
    ci = m.rerun_script.context_info
    ci.timezone = "Asia/Shanghai"
    ci.timezone_offset = -480
    ci.locale = "zh-CN"
    return m.SerializeToString()


class ViewFailed(Exception):
    pass


async def _one_view(ws, page: str, query: str, marker: str, timeout: float) -> None:
    """Send the rerun a browser sends on navigation and read messages until the run finished."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    await ws.send(_back_msg(page, query))
    found = False
    want = marker.encode()
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise ViewFailed(f"{page or '总览'}：{timeout:.0f} 秒内没有完成")
        raw = await asyncio.wait_for(ws.recv(), left)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta":
            if want in raw:
                found = True
            el = msg.delta.new_element if msg.delta.WhichOneof("type") == "new_element" else None
            if el is not None and el.WhichOneof("type") == "exception":
                raise ViewFailed(f"{page or '总览'}：页面出错 {el.exception.type}: {el.exception.message[:200]}")
        elif kind == "page_not_found":
            raise ViewFailed(f"{page}：页面不存在")
        elif kind == "script_finished":
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                if not found:
                    raise ViewFailed(f"{page or '总览'}：页面内容中没有“{marker}”")
                return
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise ViewFailed(f"{page or '总览'}：脚本无法编译")
            # FINISHED_EARLY_FOR_RERUN: the app reruns itself (query parameters synced); keep reading


async def _viewer(i: int, url: str, until: float, res: Result, think: float, prev_month: str,
                  timeout: float) -> None:
    import websockets

    rnd = random.Random(i)
    await asyncio.sleep(rnd.uniform(0, min(2.0, think * 2)))   # viewers arrive spread out
    first = True
    while time.monotonic() < until:
        t0 = time.monotonic()
        try:
            cookie = await asyncio.to_thread(_get_cookie, url, timeout)
            headers = {"Cookie": cookie} if cookie else {}
            async with websockets.connect(_ws_url(url), subprotocols=["streamlit"], additional_headers=headers,
                                          max_size=None, open_timeout=timeout, ping_interval=None) as ws:
                step = rnd.randrange(len(ROUTE)) if not first else 0
                first = False
                while time.monotonic() < until:
                    page, query, marker, label = ROUTE[step % len(ROUTE)]
                    query = query.format(prev=urllib.parse.quote(prev_month))
                    try:
                        await _one_view(ws, page, query, marker, timeout)
                    except ViewFailed as e:
                        res.error(str(e))
                        raise
                    took = time.monotonic() - t0
                    if time.monotonic() <= until + timeout:
                        res.views += 1
                        res.latencies.append(took)
                        res.per_page.setdefault(label, []).append(took)
                    step += 1
                    await asyncio.sleep(rnd.uniform(0.5 * think, 1.5 * think))
                    t0 = time.monotonic()
        except ViewFailed:
            await asyncio.sleep(think)
        except (OSError, asyncio.TimeoutError, Exception) as e:  # noqa: B014 - every failure counts
            if time.monotonic() < until:
                res.error(f"连接失败：{type(e).__name__}: {str(e)[:160]}")
                await asyncio.sleep(think)


async def _run(url: str, users: int, duration: float, think: float, prev_month: str, timeout: float,
               pids: list[int]) -> Result:
    res = Result(url=url, users=users, duration_s=duration, server_pids=pids)
    if pids:
        res.server_rss_before_mb = rss_mb(pids)
    cpu0 = cpu_seconds(pids) if pids else None
    t0 = time.monotonic()
    until = t0 + duration
    await asyncio.gather(*(_viewer(i, url, until, res, think, prev_month, timeout) for i in range(users)))
    res.elapsed_s = time.monotonic() - t0
    if pids:
        res.server_cpu_s = cpu_seconds(pids) - cpu0
        res.server_rss_mb = rss_mb(pids)
    return res


def run(url: str, users: int, duration: float, think: float = 1.0, prev_month: str = "2023年5月",
        timeout: float = 60.0, pids: list[int] | None = None) -> dict:
    """Drive ``users`` viewers for ``duration`` seconds; the summary as a dict. ``pids``: the
    server's processes (whose CPU and memory to count); found through ``/proc`` when not given
    and the server listens on this machine."""
    u = urllib.parse.urlsplit(url)
    port = u.port or (443 if u.scheme == "https" else 80)
    if pids:
        pids = with_descendants(pids)      # nginx's worker under its master
    elif u.hostname in ("127.0.0.1", "localhost", "::1"):
        pids = server_pids(port)
    pids = list(pids or [])
    return asyncio.run(_run(url, users, duration, think, prev_month, timeout, pids)).summary()


def report(s: dict) -> str:
    def sec(v):
        return "—" if v is None else f"{v:.2f} 秒"

    lines = [
        f"负载测试：{s['url']}，{s['users']} 个并发访问者，{s['duration_s']:.0f} 秒",
        f"  页面浏览 {s['views']} 次，{s['views_per_s']} 次/秒；错误 {s['errors']} 次",
        f"  响应时间 p50 {sec(s['p50_s'])}，p95 {sec(s['p95_s'])}，最长 {sec(s['max_s'])}",
    ]
    if "server_cpu_ms_per_view" in s:
        lines.append(f"  服务器 CPU 每次浏览 {s['server_cpu_ms_per_view']} 毫秒（平均占用 {s['server_cpu_share']} 个核），"
                     f"内存 {s['server_rss_before_mb']} → {s['server_rss_mb']} MB（{len(s.get('server_pids', [])) or s.get('workers')} 个进程）")
    else:
        lines.append("  服务器不在本机（或未找到监听该端口的进程）：不统计服务器 CPU 和内存")
    if s.get("per_page_p50_s"):
        lines.append("  各页面 p50：" + "，".join(f"{k} {v:.2f} 秒" for k, v in s["per_page_p50_s"].items()))
    for e in s.get("error_samples", []):
        lines.append("  错误：" + e)
    return "\n".join(lines)


def fetch_page(url: str, page: str = "", query: str = "", cookie: str | None = None, timeout: float = 60) -> bytes:
    """One viewer's one page view: the raw bytes of every message of the run (to look for a
    figure in). ``cookie`` pins the viewer to a process behind ``gengdi serve``."""
    import websockets
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async def go() -> bytes:
        headers = {"Cookie": cookie} if cookie else {}
        async with websockets.connect(_ws_url(url), subprotocols=["streamlit"], additional_headers=headers,
                                      max_size=None, open_timeout=timeout, ping_interval=None) as ws:
            await ws.send(_back_msg(page, query))
            out = []
            while True:
                raw = await asyncio.wait_for(ws.recv(), timeout)
                out.append(raw)
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                if msg.WhichOneof("type") == "script_finished" and msg.script_finished in (
                        ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                    return b"".join(out)

    return asyncio.run(go())


def measure(data_dir: Path | None, users: int, duration: float, workers: int = 1, warmup: float = 8,
            log=print) -> dict:
    """Start the dashboard on ``data_dir`` as the README starts it (``streamlit run app.py`` with the
    repository's settings; with ``workers`` > 1 ``gengdi serve``'s processes behind nginx), warm it
    with 2 viewers for ``warmup`` seconds, run the load test, stop it: the summary."""
    import subprocess
    import sys

    from .config import REPO_ROOT
    from .serve import Cluster, free_ports

    env = dict(os.environ)
    if data_dir is not None:
        env["GENGDI_DATA"] = str(data_dir)
    port = free_ports(1)[0]
    url = f"http://127.0.0.1:{port}"
    if workers > 1:
        cluster = Cluster(workers=workers, port=port, host="127.0.0.1", data=data_dir, log=log)
        cluster.start()
        pids = [cluster.nginx.pid, *(p.pid for p in cluster.procs)]
        stop = cluster.stop
    else:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                 "--server.address", "127.0.0.1"], cwd=REPO_ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pids = [proc.pid]

        def stop():
            proc.terminate()
            proc.wait(20)

        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    stop()
                    raise RuntimeError("看板进程未能启动") from None
                time.sleep(0.3)
    try:
        log(f"负载测试：{workers} 个进程，先用 2 个访问者预热 {warmup:.0f} 秒……")
        run(url, 2, warmup, pids=pids)
        log(f"负载测试：{users} 个访问者，{duration:.0f} 秒……")
        out = run(url, users, duration, pids=pids)
    finally:
        stop()
    out["workers"] = workers
    out.pop("url", None)
    out.pop("server_pids", None)
    return out
