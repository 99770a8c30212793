"""The loaded store: one reload per version change, however many sessions notice it; no query
runs on a half-loaded store."""
import threading
import time

from gengdi.config import DEFAULT_DATA_DIR
from gengdi.db import Database, _ReadWriteLock
from gengdi.store import version


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


def test_queries_return_whole_results_while_another_thread_reloads():
    db = Database(DEFAULT_DATA_DIR)
    counts, errors = [], []

    def query():
        try:
            for _ in range(20):
                counts.append(len(db.rows("cultivated_years")))
        except Exception as e:   # pragma: no cover - the failure is reported below
            errors.append(e)

    t = threading.Thread(target=query)
    t.start()
    for _ in range(3):
        db.refresh()
    t.join()
    assert errors == [] and len(set(counts)) == 1 and counts[0] > 0
