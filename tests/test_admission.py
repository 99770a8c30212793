"""The admission gate: a few page runs at a time, in arrival order, at most one heavy; a viewer who
waits sees a Chinese note, one who waits too long a Chinese "try later", never an error."""
from __future__ import annotations

import threading
import time

import pytest

from gengdi import admission
from gengdi.admission import Full, Gate


def test_waiters_are_served_in_arrival_order():
    g = Gate(1)
    order, started = [], []
    hold = g.admitted()
    hold.__enter__()

    def viewer(i):
        started.append(i)
        with g.admitted():
            order.append(i)

    threads = []
    for i in range(6):
        t = threading.Thread(target=viewer, args=(i,))
        t.start()
        threads.append(t)
        while g.waiting < i + 1:     # each one queued before the next arrives
            time.sleep(0.005)
    hold.__exit__(None, None, None)
    for t in threads:
        t.join(5)
    assert order == [0, 1, 2, 3, 4, 5]


def test_one_heavy_run_at_a_time_and_light_runs_pass_it():
    g = Gate(3, heavy_slots=1)
    waited = []
    with g.admitted(heavy=True):
        with pytest.raises(Full):       # a second heavy run waits (here: past its limit)
            with g.admitted(heavy=True, on_wait=lambda: waited.append("heavy"), limit=0.2):
                pass
        with g.admitted(on_wait=lambda: waited.append("light"), limit=0.2):   # a light one goes ahead
            pass
    assert waited == ["heavy"]
    with g.admitted(heavy=True, limit=0.2):   # the slot was given back
        pass


def test_on_wait_once_and_slots_given_back_after_errors():
    g = Gate(1)
    calls = []
    with pytest.raises(RuntimeError):
        with g.admitted():
            raise RuntimeError("page failed")
    with g.admitted():
        t = threading.Timer(0.3, lambda: None)
        t.start()
    # the slot is free again: no waiting
    with g.admitted(on_wait=lambda: calls.append(1), limit=0.1):
        pass
    assert calls == []


def test_gate_off():
    g = Gate(0)
    with g.admitted(), g.admitted(), g.admitted(heavy=True), g.admitted(heavy=True):
        pass


def test_heavy_is_the_national_unit_ranking():
    assert admission.is_heavy("country", "unit")
    assert not admission.is_heavy("country", "province") and not admission.is_heavy("city", "unit")


def test_a_full_server_shows_a_chinese_note_not_an_error(monkeypatch):
    """With every slot taken for longer than the limit, the page says so in Chinese."""
    from gengdi.bench import open_app
    from gengdi.ui.busy import FULL

    monkeypatch.setattr(admission, "_gate", Gate(1))
    monkeypatch.setattr(admission, "WAIT_LIMIT_S", 0.3)
    with admission.gate().admitted():          # another viewer's run holds the only slot
        at = open_app("pages/overview.py", {}, timeout=60)
    texts = [w.value for w in at.warning]
    assert FULL in texts
    assert not at.exception
    # the slot free again: the same session gets its page
    at.run()
    assert FULL not in [w.value for w in at.warning] and any("本月指标" in h.value for h in at.subheader)
