"""Writing tables into the Parquet store (used by the demo generator and the ledger import)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import schema as S

SORT_KEYS = {
    "units": ["code"],
    "cultivated": ["year", "code"],
    "projects": ["year", "project_id"],
    "parcels": ["task_year", "parcel_id"],
    "tasks": ["year", "code", "indicator"],
}


def _write_atomic(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def to_arrow(table: S.Table, df: pd.DataFrame, file_schema: bool = False) -> pa.Table:
    schema = table.file_schema if file_schema else table.schema
    df = df[[f.name for f in schema]]
    return pa.Table.from_pandas(df, schema=schema, preserve_index=False)


def write_table(data_dir: Path, table: S.Table, df: pd.DataFrame) -> None:
    """Replace the whole table with ``df`` (rows sorted by the table's key)."""
    data_dir = Path(data_dir)
    df = df.sort_values(SORT_KEYS[table.name], kind="stable").reset_index(drop=True)
    if table.partition is None:
        _write_atomic(to_arrow(table, df), data_dir / f"{table.name}.parquet")
        return
    root = data_dir / table.name
    keep = set()
    for value, part in df.groupby(table.partition, sort=True):
        name = f"{table.partition}={int(value)}"
        keep.add(name)
        _write_atomic(to_arrow(table, part, file_schema=True), root / name / "part-0.parquet")
    if root.exists():
        for old in root.iterdir():
            if old.is_dir() and old.name not in keep:
                shutil.rmtree(old)


def write_meta(data_dir: Path, meta: dict) -> None:
    path = Path(data_dir) / "meta.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_meta(data_dir: Path) -> dict:
    """meta.json of the version in force."""
    from . import versions

    path = versions.root(data_dir) / "meta.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def fingerprints(data_dir: Path) -> dict[str, str]:
    """A fingerprint per table of the store in force (and one for the boundary files). An import
    hard-links the files it does not change into the new version, so a table it left alone keeps
    its fingerprint: results cached under it stay valid."""
    from . import versions

    data_dir = Path(data_dir)
    vroot = versions.root(data_dir)
    groups: dict[str, list[Path]] = {t.name: [] for t in S.TABLES}
    for f in versions.table_paths(vroot):
        name = f.relative_to(vroot).parts[0].removesuffix(".parquet")
        if name in groups:
            groups[name].append(f)
    groups["boundaries"] = sorted(data_dir.glob("boundaries/*.geojson"))
    out = {}
    for name, files in groups.items():
        parts = []
        for f in files:
            st = f.stat()
            rel = f.relative_to(data_dir if name == "boundaries" else vroot)
            parts.append(f"{rel}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
        out[name] = hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]
    return out


def version(data_dir: Path, prints: dict[str, str] | None = None) -> str:
    """A cheap fingerprint of the store in force: changes whenever an import, a rollback or a
    regenerated demo changes a table. ``prints``: the :func:`fingerprints` already taken."""
    from . import versions

    prints = fingerprints(data_dir) if prints is None else prints
    parts = [versions.current_id(Path(data_dir)), *(f"{k}:{v}" for k, v in sorted(prints.items()))]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]
