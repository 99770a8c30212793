"""The import part of the benchmark: ``import_one_county_ms``, ``import_one_province_ms``,
``import_peak_rss_mb`` (see :mod:`gengdi.bench`).

Each import runs in a fresh child process on a hard-linked copy of the benchmark store (the
store itself is never changed), so its time and its peak memory are its own:

* one county's monthly ledger — 焦作市中站区's (410803) 2024 projects whose 用地保障日期 changed,
  only those rows, imported with ``--mode update``;
* one province's full ledger — every 2024 project and parcel of 河南省 (410000), a few of them
  changed, imported in replace mode (confirmed), as a province would send its year.

``import_peak_rss_mb`` is the larger peak resident memory of the two child processes (the
interpreter, pandas and pyarrow included); ``import_extra_rss_mb`` the part added by the import
itself (peak minus the resident memory just before it).
"""
from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

COUNTY = "410803"
PROVINCE = "41"
YEAR = 2024


def _rss_now_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def _hwm_mb() -> float:
    """This process's peak resident memory since its exec (VmHWM; ru_maxrss would include the
    parent's memory at the fork before the exec)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _xlsx(sheets: dict[str, tuple[list[str], list[list]]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(header)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _ledger_rows(spec, df) -> tuple[list[str], list[list]]:
    from .ingest.spec import header_text

    header = [header_text(spec, c) for c in spec.columns]
    rows = []
    for rec in df.to_dict("records"):
        row = []
        for c in spec.columns:
            v = rec.get(c.field)
            if v is None or v != v:
                v = None
            elif c.kind == "date":
                v = v.date() if hasattr(v, "date") else v
            elif c.kind == "year":
                v = int(v)
            row.append(v)
        rows.append(row)
    return header, rows


def make_ledgers(store: Path, out: Path) -> dict[str, Path]:
    """The two ledgers, written from the store's own rows (a few dates moved)."""
    import pyarrow.parquet as pq

    from . import versions
    from .ingest.spec import PARCELS, PROJECTS

    root = versions.root(store)
    p = pq.read_table(root / "projects" / f"year={YEAR}" / "part-0.parquet").to_pandas()
    p["year"] = YEAR
    q = pq.read_table(root / "parcels" / f"task_year={YEAR}" / "part-0.parquet").to_pandas()
    q["task_year"] = YEAR
    county = p[p["code"] == COUNTY].sort_values("project_id").head(3).copy()
    county["guaranteed_date"] = dt.date(YEAR, 9, 20)
    prov_p = p[p["code"].str.startswith(PROVINCE)].copy()
    prov_q = q[q["code"].str.startswith(PROVINCE)].copy()
    prov_p.iloc[:5, prov_p.columns.get_loc("guaranteed_date")] = dt.date(YEAR, 9, 21)
    out.mkdir(parents=True, exist_ok=True)
    files = {"county": out / "中站区2024年9月.xlsx", "province": out / "河南省2024年.xlsx"}
    files["county"].write_bytes(_xlsx({PROJECTS.title: _ledger_rows(PROJECTS, county)}))
    files["province"].write_bytes(_xlsx({PROJECTS.title: _ledger_rows(PROJECTS, prov_p),
                                         PARCELS.title: _ledger_rows(PARCELS, prov_q)}))
    return files


def _child(store: str, ledger: str, mode: str, conn) -> None:
    from .ingest import import_files

    data = Path(ledger).read_bytes()
    before = _rss_now_mb()
    t = time.perf_counter()
    import inspect

    kw = {"mode": mode, "confirm_deletions": True} if "mode" in inspect.signature(import_files).parameters else {}
    r = import_files(store, [(Path(ledger).name, data)], **kw)   # (the first version had neither)
    ms = (time.perf_counter() - t) * 1000
    peak = _hwm_mb()
    conn.send({"ok": r.ok and bool(r.version), "ms": ms, "peak_mb": peak, "extra_mb": peak - before,
               "problems": [p.message for p in r.problems[:3]]})


def _copy(store: Path, dst: Path) -> None:
    """A hard-linked copy (the import never writes into existing files)."""
    try:
        subprocess.run(["cp", "-al", str(store), str(dst)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        shutil.copytree(store, dst)


def measure(store: Path, repeat: int = 3) -> dict:
    """Median import times (ms) and the peak memory of the import processes."""
    import statistics

    ctx = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="gengdi-import-bench-") as tmp:
        tmp = Path(tmp)
        ledgers = make_ledgers(store, tmp / "ledgers")
        out: dict = {}
        peaks, extras = [], []
        for key, mode in (("county", "update"), ("province", "replace")):
            times = []
            for i in range(repeat):
                copy = tmp / f"{key}-{i}"
                _copy(store, copy)
                a, b = ctx.Pipe()
                proc = ctx.Process(target=_child, args=(str(copy), str(ledgers[key]), mode, b))
                proc.start()
                got = a.recv()
                proc.join()
                if not got["ok"]:
                    raise RuntimeError(f"基准导入失败：{got['problems']}")
                times.append(got["ms"])
                peaks.append(got["peak_mb"])
                extras.append(got["extra_mb"])
                shutil.rmtree(copy, ignore_errors=True)
            out[f"import_one_{key}_ms"] = round(statistics.median(times), 1)
        out["import_peak_rss_mb"] = round(max(peaks), 1)
        out["import_extra_rss_mb"] = round(max(extras), 1)
        return out


if __name__ == "__main__":   # python -m gengdi.bench_import STORE
    import json
    import sys

    print(json.dumps(measure(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3)))
