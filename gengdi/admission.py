"""How many page runs one dashboard process works on at once, and how many of them may be heavy.

A process runs every viewer's script in its own thread, and all of them share one interpreter lock:
thirty runs started together all finish late, and one national ranking of 2,837 units slows every
other viewer. The admission gate lets ``slots`` runs work at a time (the others wait their turn and
see a Chinese note meanwhile) and at most ``heavy_slots`` of them be heavy, so a queue of heavy
views cannot take every slot. ``GENGDI_RUN_SLOTS`` (default 4; 0 turns the gate off) and
``GENGDI_HEAVY_SLOTS`` (default 1) set them.
"""
from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# a view is heavy when it ranks this many places or more (the country's county-level units)
HEAVY_PLACES = 1000
WAIT_LIMIT_S = 45.0      # longer than this in the queue: the viewer is asked to come back later


def is_heavy(scope_level: str | None, by: str | None) -> bool:
    """Every county-level unit of the country (2,837 places): the one view whose summary takes
    most of a second even when warm."""
    return scope_level == "country" and by == "unit"


class Full(Exception):
    """Waited longer than the limit."""


class FifoSlots:
    """A semaphore that serves waiters in arrival order (``threading.Semaphore`` lets a newcomer
    overtake: under load some viewers waited 17 s while others 1 s)."""

    def __init__(self, n: int):
        self._free = n
        self._lock = threading.Lock()
        self._waiters: deque[threading.Event] = deque()

    def acquire(self, timeout: float | None = None) -> bool:
        with self._lock:
            if self._free > 0 and not self._waiters:
                self._free -= 1
                return True
            ev = threading.Event()
            self._waiters.append(ev)
        if ev.wait(timeout):
            return True
        with self._lock:
            if ev.is_set():          # granted just as the wait timed out
                return True
            self._waiters.remove(ev)
            return False

    def try_acquire(self) -> bool:
        with self._lock:
            if self._free > 0 and not self._waiters:
                self._free -= 1
                return True
            return False

    def release(self) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().set()   # the slot passes straight to the oldest waiter
            else:
                self._free += 1

    @property
    def waiting(self) -> int:
        return len(self._waiters)


class Gate:
    def __init__(self, slots: int, heavy_slots: int = 1):
        self.slots = slots
        self._all = FifoSlots(max(slots, 1))
        self._heavy = FifoSlots(max(1, min(heavy_slots, max(slots, 1))))

    @property
    def waiting(self) -> int:
        return self._all.waiting + self._heavy.waiting

    @contextmanager
    def admitted(self, heavy: bool = False, on_wait: Callable[[], None] | None = None,
                 limit: float | None = None) -> Iterator[None]:
        """Hold a slot (and the heavy slot for a heavy run) for the body. ``on_wait`` is called
        once if the run has to wait; :class:`Full` when the wait exceeds ``limit`` seconds."""
        if self.slots <= 0:
            yield
            return
        limit = WAIT_LIMIT_S if limit is None else limit
        held: list[FifoSlots] = []
        try:
            for sem in ([self._heavy] if heavy else []) + [self._all]:
                if not sem.try_acquire():
                    if on_wait is not None:
                        on_wait()
                        on_wait = None
                    if not sem.acquire(timeout=limit):
                        raise Full
                held.append(sem)
            yield
        finally:
            for sem in reversed(held):
                sem.release()


_gate: Gate | None = None
_gate_lock = threading.Lock()


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def gate() -> Gate:
    """The process's gate."""
    global _gate
    if _gate is None:
        with _gate_lock:
            if _gate is None:
                _gate = Gate(_env_int("GENGDI_RUN_SLOTS", 4), _env_int("GENGDI_HEAVY_SLOTS", 1))
    return _gate
