"""Versions of the Parquet store: every import writes a complete new version and switches to it
with one atomic rename, so a reader (or a killed import) only ever sees a whole store.

    data/                       the base version: the committed demo, or an empty store
    data/versions/<id>/         a version written by an import or a rollback (tables + meta.json
                                + change.json: when, which files and checksums, what changed)
    data/CURRENT                the id of the version in force (absent = the base version)
    data/.import.lock           held while an import writes

Unchanged table files are hard-linked from the previous version, so a version costs only the
tables it changes.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import clock
from . import schema as S

BASE = "base"
VERSIONS = "versions"
CURRENT = "CURRENT"
LOCK = ".import.lock"


class Busy(Exception):
    """Another import holds the lock (message in Chinese)."""


class NotWritable(Busy):
    """The data directory cannot be written (read-only mount, wrong owner); nothing was changed."""


def unwritable(data_dir: Path) -> str | None:
    """Why the server cannot write the data directory (in Chinese), or None when it can: tried, not guessed
    (a read-only mount and a directory owned by another user both show up here)."""
    import tempfile

    d = Path(data_dir)
    while not d.exists() and d != d.parent:
        d = d.parent
    try:
        fd, name = tempfile.mkstemp(prefix=".gengdi-write-test-", dir=d)
        os.close(fd)
        os.unlink(name)
        return None
    except OSError as e:
        return _why(Path(data_dir), e)


def _why(data_dir: Path, e: OSError) -> str:
    cause = {errno.EROFS: "只读文件系统（只读挂载）", errno.EACCES: "没有写权限（属主或权限不对）",
             errno.EPERM: "没有写权限（属主或权限不对）", errno.ENOSPC: "磁盘已满",
             errno.EDQUOT: "超出磁盘配额"}.get(e.errno, f"系统错误 {errno.errorcode.get(e.errno, e.errno)}")
    return (f"数据目录 {data_dir} 不可写：{cause}。看板照常显示现有数据，但不能导入或撤销，数据未作任何改动。"
            f"请把数据目录挂载为可写，并让运行看板的用户（uid {os.getuid()}）拥有它")
class MissingVersion(Exception):
    """CURRENT names a version whose folder is not there (message in Chinese). Nothing may be
    shown then: serving the base (demo) data instead would pass other figures off as this store's."""


def current_id(data_dir: Path) -> str:
    f = Path(data_dir) / CURRENT
    if not f.exists():
        return BASE
    vid = f.read_text(encoding="utf-8").strip()
    if not vid:
        raise MissingVersion(f"数据目录 {data_dir} 的 {CURRENT} 文件是空的，无法确定当前数据版本；"
                             f"请检查数据目录（可用 python -m gengdi history 查看导入记录），数据未改动")
    if not (Path(data_dir) / VERSIONS / vid).is_dir():
        raise MissingVersion(f"当前数据版本 {vid} 不存在（{CURRENT} 指向的文件夹 {VERSIONS}/{vid} 缺失）；"
                             f"为免显示其他数据，看板已停止。请恢复该文件夹，或把 {CURRENT} 改为 {VERSIONS}/ 下存在的版本号")
    return vid


def root(data_dir: Path, vid: str | None = None) -> Path:
    """The folder holding the tables of a version (default: the one in force)."""
    vid = vid or current_id(data_dir)
    return Path(data_dir) if vid == BASE else Path(data_dir) / VERSIONS / vid


def table_paths(version_root: Path) -> list[Path]:
    out = []
    for t in S.TABLES:
        if t.partition is None:
            f = version_root / f"{t.name}.parquet"
            if f.exists():
                out.append(f)
        else:
            out += sorted((version_root / t.name).glob(f"{t.partition}=*/*.parquet"))
    meta = version_root / "meta.json"
    if meta.exists():
        out.append(meta)
    return out


@contextmanager
def lock(data_dir: Path) -> Iterator[None]:
    """Only one writer at a time; the second is told so at once."""
    try:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        fd = os.open(Path(data_dir) / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise NotWritable(_why(Path(data_dir), e)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise Busy("另一个导入或回滚正在进行，请稍后再试（数据未改动）") from None
            raise
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)


def new_id(data_dir: Path) -> str:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")   # the bureau's time (GENGDI_TZ)
    n = 1
    while (Path(data_dir) / VERSIONS / f"{stamp}-{n:02d}").exists():
        n += 1
    return f"{stamp}-{n:02d}"


def stage(data_dir: Path, vid: str) -> Path:
    """A scratch folder for a new version (removed if the import never switches to it)."""
    path = Path(data_dir) / VERSIONS / f".tmp-{vid}"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def link_unchanged(src_root: Path, dst_root: Path, rewritten: set[str]) -> None:
    """Hard-link (or copy) every table file of the source version that the new one does not rewrite."""
    for f in table_paths(src_root):
        rel = f.relative_to(src_root)
        if str(rel) in rewritten or rel.parts[0] in rewritten:
            continue
        target = dst_root / rel
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(f, target)
        except OSError:
            shutil.copy2(f, target)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def hook(name: str) -> None:
    """A test hook: GENGDI_IMPORT_HOOK=<name> kills the process at that point (crash tests)."""
    if os.environ.get("GENGDI_IMPORT_HOOK") == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def publish(data_dir: Path, staged: Path, vid: str, record: dict[str, Any]) -> None:
    """Make the staged folder version ``vid`` and switch to it atomically."""
    (staged / "change.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    for f in staged.rglob("*"):
        if f.is_file():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
    final = Path(data_dir) / VERSIONS / vid
    os.rename(staged, final)
    _fsync_dir(final.parent)
    hook("before-switch")
    tmp = Path(data_dir) / f"{CURRENT}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(vid + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, Path(data_dir) / CURRENT)
    _fsync_dir(Path(data_dir))
    hook("after-switch")


def cleanup(data_dir: Path) -> None:
    """Remove what an import that died before switching left behind: its scratch folder, or its
    finished folder that never became current (call with the lock held)."""
    vdir = Path(data_dir) / VERSIONS
    if not vdir.is_dir():
        return
    from .publications import pinned_versions

    keep = {h["id"] for h in history(data_dir)} | pinned_versions(data_dir)   # a publication's version stays
    for p in vdir.iterdir():
        if p.is_dir() and (p.name.startswith(".tmp-") or p.name not in keep):
            shutil.rmtree(p, ignore_errors=True)


def _record(data_dir: Path, vid: str) -> dict[str, Any] | None:
    f = Path(data_dir) / VERSIONS / vid / "change.json"
    if not f.exists():
        return None
    rec = json.loads(f.read_text(encoding="utf-8"))
    rec["id"] = vid
    return rec


def history(data_dir: Path) -> list[dict[str, Any]]:
    """The recorded changes (imports and rollbacks) that led to the version in force, oldest first:
    the chain of parents from CURRENT back to the base. A version folder that never became
    current (an import killed before its switch) is not part of it."""
    chain: list[dict[str, Any]] = []
    vid = current_id(data_dir)
    seen = set()
    while vid != BASE and vid not in seen:
        seen.add(vid)
        rec = _record(data_dir, vid)
        if rec is None:
            break
        chain.append(rec)
        vid = rec.get("parent", BASE)
    cur = current_id(data_dir)
    for rec in chain:
        rec["current"] = rec["id"] == cur
    return chain[::-1]
