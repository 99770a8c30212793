"""本月报送情况: which county-level units have imported a ledger in a month, and which have not.

A unit has reported in a month when an import in the history of the store in force, made in that
month (China time), changed one of its rows (an import that changes nothing writes no version and
so is not recorded). Each report keeps the time, the files and who imported.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from . import clock, versions


def _time(text: str) -> dt.datetime:
    return clock.parse(text)


def reports(data_dir: Path | str, year: int, month: int) -> dict[str, dict]:
    """unit code → its last import in that month: {time, files, by}."""
    out: dict[str, dict] = {}
    for h in versions.history(Path(data_dir)):
        if h.get("kind") != "import":
            continue
        t = _time(h["time"])
        if (t.year, t.month) != (year, month):
            continue
        for code in h.get("reported", h.get("units", [])):
            out[code] = {"time": t, "files": "、".join(f["name"] for f in h.get("files", [])),
                         "by": h.get("by", "—（未记录）"), "version": h["id"]}
    return out


def status(data_dir: Path | str, units: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    """One row per unit of ``units`` (code, name, city_name): reported or not, when, files, who."""
    rep = reports(data_dir, year, month)
    rows = []
    for u in units.itertuples(index=False):
        r = rep.get(u.code)
        rows.append({"code": u.code, "name": u.name, "city_name": getattr(u, "city_name", ""),
                     "reported": r is not None,
                     "time": r["time"].strftime("%Y-%m-%d %H:%M") if r else "",
                     "files": r["files"] if r else "", "by": r["by"] if r else ""})
    return pd.DataFrame(rows, columns=["code", "name", "city_name", "reported", "time", "files", "by"])
