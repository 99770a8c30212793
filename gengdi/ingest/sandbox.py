"""Run a check in a child process with a memory limit, so a file that would exhaust memory ends only
that child — never the dashboard's server process and every viewer's session with it.

``run_limited(fn, *args)`` runs ``fn`` in a child started by a fork server (a clean process, not a fork
of the multi-threaded server), limits the child's address space (``resource.setrlimit(RLIMIT_AS)``) to
what it already maps plus ``memory_mb`` and returns ``fn``'s result. A ``MemoryError``, a kill by a
signal (Rust readers abort on a failed allocation) or a timeout raise ``Stopped`` with a Chinese reason.

``check_files(data_dir, files)`` is the dry run of an import (``import_files(..., dry_run=True)``) run
that way; a stopped child becomes a refused ``Result`` naming the files, so callers show it like any
other problem.
"""
from __future__ import annotations

import importlib
import os
import pickle
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_MEMORY_MB = 1024          # headroom for one check above what the child maps once started
DEFAULT_TIMEOUT = 600             # seconds
PRELOAD = "gengdi.ingest.merge"  # imported before the limit is set (pandas, pyarrow, the readers)
# the limit counts address space, not memory used: without these, Arrow's allocator and one malloc arena
# per thread reserve ~1 GB the check never touches (measured: 1,619 MB mapped for 131 MB resident)
LEAN = {"ARROW_DEFAULT_MEMORY_POOL": "system", "MALLOC_ARENA_MAX": "2", "OMP_NUM_THREADS": "1",
         "RAYON_NUM_THREADS": "1"}


class Stopped(Exception):
    """The child was stopped: out of memory, killed, timed out or failed; the message is Chinese."""


def memory_mb() -> int:
    try:
        return max(64, int(os.environ.get("GENGDI_IMPORT_MEMORY_MB", "") or DEFAULT_MEMORY_MB))
    except ValueError:
        return DEFAULT_MEMORY_MB


def mapped_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def run_limited(fn: Callable, *args: Any, memory: int | None = None, timeout: float = DEFAULT_TIMEOUT,
                on_start: Callable[[int], None] | None = None, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a fresh, memory-limited Python process (``python -m gengdi.ingest.sandbox``:
    no fork of the multi-threaded server); ``fn`` must be a module-level function. Raises ``Stopped``."""
    mb = memory or memory_mb()
    payload = pickle.dumps((fn.__module__, fn.__qualname__, args, kwargs, mb * 2**20), protocol=pickle.HIGHEST_PROTOCOL)
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p),
           **LEAN}
    proc = subprocess.Popen([sys.executable, "-m", "gengdi.ingest.sandbox"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=root)
    if on_start is not None:
        on_start(proc.pid)
    try:
        out, _ = proc.communicate(payload, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise Stopped(f"检查超过 {timeout:g} 秒仍未完成，已停止") from None
    except BrokenPipeError:          # the child died before reading everything
        out = b""
        proc.wait()
    try:
        kind, value = pickle.loads(out) if out else ("died", None)
    except Exception:  # noqa: BLE001 - a truncated answer: the child died while writing
        kind, value = "died", None
    if kind == "ok":
        return value
    if kind == "memory":
        raise Stopped(f"检查用尽了内存上限（{mb:,} MB）被停止")
    if kind == "died":
        raise Stopped(f"检查进程被终止（可能用尽了内存上限 {mb:,} MB）")
    raise Stopped("检查时出错" + (f"（{value}）" if value else ""))


def _main() -> None:
    """The child: import the readers, set the limit, run, answer on stdout."""
    importlib.import_module(PRELOAD)
    module, name, args, kwargs, headroom = pickle.loads(sys.stdin.buffer.read())
    limit = mapped_bytes() + headroom
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        fn = importlib.import_module(module)
        for part in name.split("."):
            fn = getattr(fn, part)
        answer = ("ok", fn(*args, **kwargs))
    except MemoryError:
        answer = ("memory", None)
    except BaseException as e:  # noqa: BLE001 - reported to the parent, never a traceback on a page
        answer = ("error", type(e).__name__)
    try:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def check_files(data_dir: Path | str, files: list[tuple[str, bytes]], memory: int | None = None,
                timeout: float = DEFAULT_TIMEOUT, on_start: Callable[[int], None] | None = None, **options: Any):
    """The dry run of an import in a memory-limited child. Never raises for a bad file: a stopped check
    is a refused Result whose one problem names the files and says why, and that nothing changed."""
    from .merge import Result, import_files
    from .problems import Problem

    try:
        return run_limited(import_files, str(data_dir), list(files), dry_run=True, memory=memory, timeout=timeout,
                           on_start=on_start, **options)
    except Stopped as e:
        names = "、".join(n for n, _ in files)
        problem = Problem(names, "", None, "", "", f"{e}；数据未作任何改动。请删去无关的工作表或把文件拆小后再试")
        return Result(False, [problem], [], files=[{"name": n, "bytes": len(b)} for n, b in files], dry_run=True)


if __name__ == "__main__":
    _main()
