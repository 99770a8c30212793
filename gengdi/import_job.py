"""An import (or its check) run in a child process, so the dashboard's process and its other
viewers are never blocked, and a hostile file can only end the child.

    job = start(data_dir, files, mode=..., dry_run=True)
    status(job)  ->  Status(state="running", step="合并", fraction=.5) ... state="done", result=Result

The job folder (under the system temp directory) holds the uploaded files, ``progress.json``
(written atomically at each step: 读取 → 检查 → 合并 → 写入) and ``result.pickle``. The child
limits its own memory as the check's sandbox does (``resource.setrlimit(RLIMIT_AS)``: what it maps once
the readers are loaded plus ``GENGDI_IMPORT_MEMORY_MB``, default 1024): a file that would need more (a zip bomb, a sheet of millions of rows) ends with a
clear Chinese message, and the store is untouched — the import is all or nothing.
"""
from __future__ import annotations

import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .ingest import sandbox

STEPS = ("读取", "检查", "合并", "写入")
ROOT = Path(tempfile.gettempdir()) / "gengdi-import-jobs"
KEEP_S = 6 * 3600   # finished job folders older than this are removed when a new job starts


def memory_limit_mb() -> int:
    return sandbox.memory_mb()


def too_big_message(limit_mb: int) -> str:
    return (f"文件过大或内容异常：检查时所需内存超过上限 {limit_mb:,} MB，已中止，数据未作任何改动。"
            "请检查文件（是否为压缩炸弹、是否含大量空行或无关工作表），或分成几个文件导入。")


@dataclass
class Status:
    state: str                 # running | done | failed
    step: str = ""
    fraction: float = 0.0      # of the whole job, 0..1
    message: str = ""          # failed: why (Chinese)
    result: Any = None         # done: the ingest Result
    seconds: float = 0.0


def _write_json(path: Path, obj: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _sweep() -> None:
    if not ROOT.is_dir():
        return
    now = time.time()
    for p in ROOT.iterdir():
        try:
            if now - p.stat().st_mtime > KEEP_S:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


def start(data_dir: str | Path, files: list[tuple[str, bytes]], mode: str = "replace", dry_run: bool = True,
          confirm_deletions: bool = False, by: str = "命令行", effect_as_of: str | None = None) -> str:
    """Start a job; returns its id at once. A dry run with ``effect_as_of`` (an ISO date) also works out
    the summaries of the touched cities as they would be after the import (``result.effect_after``)."""
    ROOT.mkdir(parents=True, exist_ok=True)
    _sweep()
    job = uuid.uuid4().hex[:16]
    folder = ROOT / job
    (folder / "files").mkdir(parents=True)
    names = []
    for i, (name, data) in enumerate(files):
        f = folder / "files" / f"{i:03d}"
        f.write_bytes(data)
        names.append([name, f.name])
    _write_json(folder / "job.json", {"data_dir": str(data_dir), "files": names, "mode": mode, "dry_run": dry_run,
                                      "confirm_deletions": confirm_deletions, "by": by, "effect_as_of": effect_as_of,
                                      "memory_mb": memory_limit_mb(), "started": time.time()})
    _write_json(folder / "progress.json", {"step": STEPS[0], "fraction": 0.0})
    env = {**os.environ, **sandbox.LEAN, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent.parent),
                                                        os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    log = open(folder / "child.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "gengdi.import_job", str(folder)], stdout=log, stderr=log,
                            stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    log.close()
    (folder / "pid").write_text(str(proc.pid))
    _CHILDREN[job] = proc
    return job


_CHILDREN: dict[str, subprocess.Popen] = {}


def status(job: str) -> Status:
    folder = ROOT / job
    if not folder.is_dir():
        return Status("failed", message="检查任务已过期，请重新上传。")
    meta = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    took = time.time() - meta["started"]
    res = folder / "result.pickle"
    if res.exists():
        proc = _CHILDREN.pop(job, None)
        if proc is not None:
            proc.wait()   # reap it
        with open(res, "rb") as fh:
            out = pickle.load(fh)
        if isinstance(out, str):
            return Status("failed", message=out, seconds=took)
        return Status("done", fraction=1.0, result=out, seconds=took)
    proc = _CHILDREN.get(job)
    alive = proc.poll() is None if proc is not None else _pid_alive(folder)
    if not alive:
        if res.exists():
            return status(job)
        code = proc.returncode if proc is not None else None
        if code is not None and code < 0:
            msg = too_big_message(meta["memory_mb"]) if code == -9 else f"检查进程意外结束（信号 {-code}），数据未作任何改动。"
        else:
            msg = "检查进程意外结束，数据未作任何改动。请重试；如反复出现，请把文件交给管理员。"
        return Status("failed", message=msg, seconds=took)
    try:
        prog = json.loads((folder / "progress.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        prog = {"step": STEPS[0], "fraction": 0.0}
    i = STEPS.index(prog["step"]) if prog["step"] in STEPS else 0
    n = len(STEPS) - (1 if meta["dry_run"] else 0)
    return Status("running", step=prog["step"], fraction=min(0.99, (i + prog["fraction"]) / n), seconds=took)


def _pid_alive(folder: Path) -> bool:
    try:
        pid = int((folder / "pid").read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    try:   # a zombie of another process's child counts as finished
        return (Path(f"/proc/{pid}/stat").read_text().split()[2]) != "Z"
    except OSError:
        return False


def wait(job: str, timeout: float = 600, poll: float = 0.1) -> Status:
    """Block until the job ends (tests and the command line)."""
    end = time.monotonic() + timeout
    while True:
        st = status(job)
        if st.state != "running" or time.monotonic() > end:
            return st
        time.sleep(poll)


def _limit_memory(mb: int) -> None:
    """What the child maps once the readers are loaded, plus ``mb`` (address space, as in the sandbox)."""
    import importlib

    importlib.import_module(sandbox.PRELOAD)
    limit = sandbox.mapped_bytes() + mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _near_limit(mb: int) -> bool:
    """Did this process's address space come close to its ceiling (so a failure is a memory failure)?"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) * 1024 >= 0.85 * resource.getrlimit(resource.RLIMIT_AS)[0]
    except (OSError, ValueError):
        pass
    return False


def main(folder: Path) -> int:
    meta = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    _limit_memory(meta["memory_mb"])
    out: Any
    try:
        from .ingest import import_files

        files = [(name, (folder / "files" / stored).read_bytes()) for name, stored in meta["files"]]
        shutil.rmtree(folder / "files", ignore_errors=True)   # uploaded ledgers do not linger in the temp folder

        def progress(step: str, fraction: float) -> None:
            _write_json(folder / "progress.json", {"step": step, "fraction": fraction})

        out = import_files(meta["data_dir"], files, dry_run=meta["dry_run"], mode=meta["mode"],
                           confirm_deletions=meta["confirm_deletions"], by=meta["by"], progress=progress)
        if meta["dry_run"] and meta.get("effect_as_of") and out.ok and out.changed:
            from .effect import staged_summaries

            progress("估算对指标的影响", 0.9)
            out.effect_after = staged_summaries(meta["data_dir"], files, meta["mode"], meta["effect_as_of"],
                                                {c.code for c in out.changes if c.changed and c.table != "区划"})
    except MemoryError:
        out = too_big_message(meta["memory_mb"])
    except Exception as e:   # noqa: BLE001 - the page shows a sentence, the log keeps the detail
        from .versions import Busy

        if isinstance(e, Busy):
            out = str(e)
        elif _near_limit(meta["memory_mb"]):   # a library failing to allocate (threads, buffers) at the ceiling
            out = too_big_message(meta["memory_mb"])
        else:
            import traceback

            traceback.print_exc()
            out = "导入时发生内部错误，数据未作任何改动。详细信息已记入日志，请联系管理员。"
    tmp = folder / "result.tmp"
    with open(tmp, "wb") as fh:
        pickle.dump(out, fh)
    os.replace(tmp, folder / "result.pickle")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
