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

import multiprocessing as mp
import os
import resource
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_MEMORY_MB = 1024          # headroom for one check above what the child maps at start
DEFAULT_TIMEOUT = 600             # seconds
_PRELOAD = ["gengdi.ingest.merge"]


class Stopped(Exception):
    """The child was stopped: out of memory, killed, timed out or failed; the message is Chinese."""


def memory_mb() -> int:
    try:
        return max(64, int(os.environ.get("GENGDI_CHECK_MEMORY_MB", "") or DEFAULT_MEMORY_MB))
    except ValueError:
        return DEFAULT_MEMORY_MB


def _mapped_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn, headroom: int, fn: Callable, args: tuple, kwargs: dict) -> None:
    try:
        limit = _mapped_bytes() + headroom
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        result = fn(*args, **kwargs)
        conn.send(("ok", result))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, never a traceback on a page
        try:
            conn.send(("error", type(e).__name__))
        except Exception:  # noqa: BLE001 - even sending failed (out of memory): the parent sees EOF
            pass
    finally:
        conn.close()


_context = None


def _ctx():
    global _context
    if _context is None:
        _context = mp.get_context("forkserver")
        _context.set_forkserver_preload(_PRELOAD)
    return _context


def run_limited(fn: Callable, *args: Any, memory: int | None = None, timeout: float = DEFAULT_TIMEOUT,
                on_start: Callable[[int], None] | None = None, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a memory-limited child; raises ``Stopped`` with a Chinese reason."""
    mb = memory or memory_mb()
    ctx = _ctx()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, mb * 2**20, fn, args, kwargs), daemon=True)
    proc.start()
    send.close()
    if on_start is not None:
        on_start(proc.pid)
    try:
        if receive.poll(timeout):
            try:
                kind, value = receive.recv()
            except (EOFError, OSError):
                kind, value = "died", None
        else:
            kind, value = "timeout", None
    finally:
        if proc.is_alive() and kind != "ok":
            proc.kill()
        proc.join(10)
        receive.close()
    if kind == "ok":
        return value
    if kind == "memory" or (kind == "died" and proc.exitcode is not None and proc.exitcode < 0):
        raise Stopped(f"检查用尽了内存上限（{mb:,} MB）被停止" if kind == "memory"
                      else f"检查进程被终止（可能用尽了内存上限 {mb:,} MB）")
    if kind == "timeout":
        raise Stopped(f"检查超过 {timeout:g} 秒仍未完成，已停止")
    raise Stopped("检查时出错" + (f"（{value}）" if value else ""))


def check_files(data_dir: Path | str, files: list[tuple[str, bytes]], memory: int | None = None,
                timeout: float = DEFAULT_TIMEOUT, on_start: Callable[[int], None] | None = None):
    """The dry run of an import in a memory-limited child. Never raises for a bad file: a stopped check
    is a refused Result whose one problem names the files and says why, and that nothing changed."""
    from .merge import Result, import_files
    from .problems import Problem

    try:
        return run_limited(import_files, str(data_dir), list(files), dry_run=True, memory=memory, timeout=timeout,
                           on_start=on_start)
    except Stopped as e:
        names = "、".join(n for n, _ in files)
        problem = Problem(names, "", None, "", "", f"{e}；数据未作任何改动。请删去无关的工作表或把文件拆小后再试")
        return Result(False, [problem], [], files=[{"name": n, "bytes": len(b)} for n, b in files], dry_run=True)
