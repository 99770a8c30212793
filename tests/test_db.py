"""The loaded store: one reload per version change, however many sessions notice it; no query
runs on a half-loaded store."""
import contextlib
import threading
import time

from conftest import TINY_UNITS, D, cult, make_store, proj
from gengdi import versions
from gengdi.db import Database, _ReadWriteLock
from gengdi.store import version
from gengdi.summary import build_summary


def test_several_sessions_noticing_an_import_reload_once(tiny_store):
    db = Database(tiny_store)
    assert db.loaded == version(tiny_store)
    loads = []
    original = db._load
    db._load = lambda: (loads.append(1), original())[1]
    db.ensure_current(version(tiny_store))
    assert loads == []                                   # already current: no reload at all
    (tiny_store / "meta.json").write_text('{"demo": false}', encoding="utf-8")   # what an import touches
    (tiny_store / "units.parquet").touch()
    now = version(tiny_store)
    assert now != db.loaded
    threads = [threading.Thread(target=db.ensure_current, args=(now,)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1 and db.loaded == now


def test_a_reload_waits_for_a_summary_in_progress_and_queries_wait_for_the_reload():
    lock = _ReadWriteLock()
    events = []

    def writer():
        with lock.write():
            events.append("write")

    with lock.read():
        t = threading.Thread(target=writer)
        t.start()
        time.sleep(0.2)
        events.append("read still held")
        with lock.read():                  # a reader may re-enter while the writer waits
            events.append("nested read")
    t.join()
    assert events == ["read still held", "nested read", "write"]


def _two_versions(tmp_path):
    """A store whose CURRENT can name version A or B: in A the city has 1,000 亩 of 耕地 and one key
    project, in B 2,000 亩 and two. A summary reads them with different queries, so a summary that
    mixed the versions would show (1000, 2) or (2000, 1)."""
    units = TINY_UNITS[:2]
    d = tmp_path / "store"
    for vid, n in (("A", 1), ("B", 2)):
        root = d / versions.VERSIONS / vid
        make_store(root, units, [cult(2023, "990101", 1000.0 * n, 900.0, 800.0, 800.0)],
                   [proj(2023, f"P{i}", "990101", "省重点", D(2023, 1, 15)) for i in range(n)])
    make_store(d, units)   # the base: units only
    (d / versions.CURRENT).write_text("A\n", encoding="utf-8")
    return d


WHOLE = {(1000.0, 1), (2000.0, 2)}


def _mixed_reads(db, d, rounds: int = 40) -> tuple[set, list]:
    seen, errors = set(), []
    stop = threading.Event()

    def read():
        try:
            while not stop.is_set():
                c = build_summary(db, None, D(2023, 6, 30))["city"]
                seen.add((c["cultivated_mu"], c["projects_total"]))
                time.sleep(0.0005)   # a gap between summaries (the lock lets waiting writers in only then)
        except Exception as e:   # pragma: no cover - reported below
            errors.append(e)

    readers = [threading.Thread(target=read, daemon=True)]
    for t in readers:
        t.start()
    for i in range(rounds):
        if seen - WHOLE:   # a mixed read: enough seen
            break
        (d / versions.CURRENT).write_text("AB"[i % 2] + "\n", encoding="utf-8")
        db.refresh()
        time.sleep(0.002)
    stop.set()
    for t in readers:
        t.join(timeout=30)
    return seen, errors


def test_a_summary_reads_one_version_while_another_thread_switches_versions(tmp_path):
    """Two different versions alternate under running summaries: every summary is whole A or
    whole B. With the read/write lock replaced by a no-op this fails (mixed pairs appear)."""
    d = _two_versions(tmp_path)
    db = Database(d)
    seen, errors = _mixed_reads(db, d)
    assert errors == []
    assert seen <= WHOLE, seen
    assert seen == WHOLE      # both versions were read: the test saw the switches


def test_without_the_lock_the_switch_test_sees_mixed_reads(tmp_path):
    """The test above can fail: with a no-op lock, summaries mix the two versions."""
    d = _two_versions(tmp_path)
    db = Database(d)

    class NoLock:
        read = write = staticmethod(contextlib.nullcontext)

    db._rw = NoLock()
    seen, _ = _mixed_reads(db, d, rounds=200)
    assert seen - WHOLE, seen
