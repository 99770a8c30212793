"""Time: every stored time is timezone-aware, and shown in the bureau's zone.

The zone is ``GENGDI_TZ`` (an IANA name), by default Asia/Shanghai (China Standard Time, UTC+8):
a Docker image runs in UTC, and the times a clerk reads must be Beijing time. "Today" (the latest
date a ledger may hold, the last month the dashboard offers) is today in that zone.
"""
from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"


def zone() -> ZoneInfo:
    name = os.environ.get("GENGDI_TZ") or DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def now() -> dt.datetime:
    """The current time, aware, in the bureau's zone."""
    return dt.datetime.now(zone())


def today() -> dt.date:
    return now().date()


def stamp() -> str:
    """An aware ISO time to store: "2023-11-05T10:15:00+08:00"."""
    return now().isoformat(timespec="seconds")


def shown(text: str) -> str:
    """A stored time as people read it, in the bureau's zone: "2023-11-05 10:15:00（北京时间）".
    An old record without a zone is taken as it was written (the server's local time)."""
    if not text:
        return ""
    try:
        t = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if t.tzinfo is None:
        return t.strftime("%Y-%m-%d %H:%M:%S")
    t = t.astimezone(zone())
    return t.strftime("%Y-%m-%d %H:%M:%S") + f"（{zone_label()}）"


def parse(text: str) -> dt.datetime:
    """A stored time, aware, in the bureau's zone (an old record without a zone is taken as written there)."""
    t = dt.datetime.fromisoformat(text)
    return t.replace(tzinfo=zone()) if t.tzinfo is None else t.astimezone(zone())


def zone_label() -> str:
    z = zone()
    return "北京时间" if z.key in ("Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC") else z.key
