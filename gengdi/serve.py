"""``python -m gengdi serve --workers N --port P [--data DIR]``: N dashboard processes behind nginx.

Streamlit runs one Python process (one core). This command starts N of them on private ports of
127.0.0.1 and the distribution's nginx in front on P, configured from ``deploy/nginx.conf``:
sticky sessions on a cookie (a viewer's websocket, uploads and downloads stay with one process),
websocket upgrade, X-Real-IP / X-Forwarded-For, a Content-Security-Policy that lets nothing in from
outside. All processes share one cookie secret (``GENGDI_COOKIE_SECRET``, or a random one for this
run) and read the one versioned store. A worker that dies is restarted on its port; SIGTERM or
Ctrl-C stops everything.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .config import REPO_ROOT

TEMPLATE = REPO_ROOT / "deploy" / "nginx.conf"
NGINX_MISSING = ("未找到 nginx：多进程部署需要发行版自带的 nginx。Debian/Ubuntu 上运行 "
                 "apt-get install -y nginx（非 root 用户加 sudo），然后重试。")


class ServeError(Exception):
    """A problem starting the processes (message in Chinese)."""


def find_nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
                                          if os.access(p, os.X_OK)), None)


def free_ports(n: int) -> list[int]:
    socks, ports = [], []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    return ports


def inline_script_hashes() -> list[str]:
    """CSP hashes of the inline scripts of Streamlit's own index.html (read from the installed
    package, so an upgrade of Streamlit keeps its page working)."""
    import streamlit

    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
        digest = hashlib.sha256(m.group(1).encode("utf-8")).digest()
        out.append("'sha256-" + base64.b64encode(digest).decode() + "'")
    return out


def nginx_config(run_dir: Path, listen: str, worker_ports: list[int]) -> str:
    text = TEMPLATE.read_text(encoding="utf-8")
    upstreams = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in worker_ports)
    for name, value in (("@RUN@", str(run_dir)), ("@LISTEN@", listen), ("@UPSTREAMS@", upstreams),
                        ("@SCRIPT_HASHES@", " ".join(inline_script_hashes()))):
        text = text.replace(name, value)
    return text


@dataclass
class Cluster:
    """The running processes; ``start()``, then ``watch()`` until stopped, or ``stop()``."""

    workers: int
    port: int
    host: str = "127.0.0.1"
    data: Path | None = None
    log: object = print
    env: dict = field(default_factory=dict)   # extra environment of the workers
    run_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="gengdi-serve-")))
    ports: list[int] = field(default_factory=list)
    procs: list[subprocess.Popen | None] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    restarts: int = 0
    _stopping: bool = False

    def _worker_env(self) -> dict:
        env = dict(os.environ)
        # one secret for all processes: a signed cookie (sign-in, XSRF) made by one is valid in all
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = self._secret
        if self.data is not None:
            env["GENGDI_DATA"] = str(self.data)
        env.update(self.env)
        return env

    def _start_worker(self, i: int) -> subprocess.Popen:
        log = open(self.run_dir / f"worker-{i + 1}.log", "ab")
        return subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "app.py"),
             "--server.port", str(self.ports[i]), "--server.address", "127.0.0.1",
             "--server.headless", "true"],
            cwd=REPO_ROOT, env=self._worker_env(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def start(self, timeout: float = 60) -> None:
        nginx = find_nginx()
        if not nginx:
            raise ServeError(NGINX_MISSING)
        self._secret = os.environ.get("GENGDI_COOKIE_SECRET") or secrets.token_urlsafe(32)
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as nginx binds
            try:
                s.bind((self.host or "0.0.0.0", self.port))
            except OSError:
                raise ServeError(f"端口 {self.port} 已被占用：换一个 --port，或先停止占用它的程序") from None
        self.run_dir.chmod(0o711)   # nginx's workers (user nobody when started as root) reach their temp dirs
        self.ports = free_ports(self.workers)
        listen = f"{self.host}:{self.port}" if self.host not in ("", "0.0.0.0") else str(self.port)
        conf = self.run_dir / "nginx.conf"
        conf.write_text(nginx_config(self.run_dir, listen, self.ports), encoding="utf-8")
        test = subprocess.run([nginx, "-t", "-q", "-c", str(conf), "-p", str(self.run_dir)],
                              capture_output=True, text=True)
        if test.returncode != 0:
            raise ServeError(f"nginx 配置检查未通过（{conf}）：{test.stderr.strip()[-400:]}")
        self.procs = [self._start_worker(i) for i in range(self.workers)]
        deadline = time.monotonic() + timeout
        for i, p in enumerate(self.ports):
            self._wait_health(f"http://127.0.0.1:{p}/_stcore/health", deadline, f"第 {i + 1} 个看板进程")
        self.nginx = subprocess.Popen([nginx, "-c", str(conf), "-p", str(self.run_dir)],
                                      stdout=subprocess.DEVNULL, stderr=open(self.run_dir / "nginx.out", "ab"),
                                      start_new_session=True)
        self._wait_health(f"http://127.0.0.1:{self.port}/_stcore/health", deadline, "nginx")

    def _wait_health(self, url: str, deadline: float, what: str) -> None:
        while time.monotonic() < deadline:
            if self.nginx is not None and self.nginx.poll() is not None:
                break
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop(keep_logs=True)
        raise ServeError(f"{what}未能启动（{url}）；日志在 {self.run_dir}")

    def check(self) -> None:
        """Restart any worker that exited; an nginx that exited is an error."""
        if self._stopping:
            return
        for i, p in enumerate(self.procs):
            if p is not None and p.poll() is not None:
                self.restarts += 1
                self.log(f"第 {i + 1} 个看板进程（端口 {self.ports[i]}）已退出（代码 {p.returncode}），正在重启")
                self.procs[i] = self._start_worker(i)
        if self.nginx is not None and self.nginx.poll() is not None:
            raise ServeError(f"nginx 已退出（代码 {self.nginx.returncode}）；日志在 {self.run_dir}/error.log")

    def watch(self) -> None:
        while not self._stopping:
            self.check()
            time.sleep(1)

    def stop(self, keep_logs: bool = False) -> None:
        """Stop every process; the run directory (config, logs) goes too unless ``keep_logs``."""
        self._stopping = True
        procs = [p for p in [self.nginx, *self.procs] if p is not None and p.poll() is None]
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        for p in procs:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        if not keep_logs:
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> "Cluster":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(workers: int, port: int, host: str, data: Path | None) -> int:
    """The command: start, print where, restart dead workers until SIGTERM or Ctrl-C."""
    cluster = Cluster(workers=workers, port=port, host=host, data=data)

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        cluster.start()
        print(f"已启动 {workers} 个看板进程（端口 {'、'.join(map(str, cluster.ports))}）和 nginx："
              f"http://{host if host not in ('', '0.0.0.0') else '127.0.0.1'}:{port}  （Ctrl-C 停止）", flush=True)
        cluster.watch()
    except KeyboardInterrupt:
        print("正在停止……", flush=True)
    finally:
        cluster.stop()
        signal.signal(signal.SIGTERM, previous)
    return 0
