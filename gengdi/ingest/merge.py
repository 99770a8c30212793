"""The import itself: check a ledger against the store, work out what changes, write a new version.

A ledger is the full truth for each (unit, year) it holds: every row of that table for a
(行政区划代码, 年度/任务年度) in the file is replaced by the file's rows; 区划 rows are upserted.
One bad row refuses the whole import and the store is left exactly as it was.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from .. import clock
from .. import schema as S
from .. import versions
from ..store import SORT_KEYS, to_arrow, write_meta
from .parse import Parsed, parse
from .problems import MAX_PROBLEMS, Problem
from .read import Unreadable, read_file
from .spec import CULTIVATED, LEDGER_TABLES, PARCELS, PROJECTS, UNITS


@dataclass
class Change:
    table: str          # Chinese table name
    code: str
    name: str
    year: int | None
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.removed)


@dataclass
class Result:
    ok: bool
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    version: str | None = None
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.changes)

    def changes_frame(self) -> pd.DataFrame:
        cols = {"table": "表", "code": "行政区划代码", "name": "单位", "year": "年度", "added": "新增",
                "replaced": "替换", "unchanged": "未变", "removed": "删除"}
        df = pd.DataFrame([asdict(c) for c in self.changes], columns=list(cols))
        df["year"] = ["" if y is None or y != y else str(int(y)) for y in df["year"]]
        return df.rename(columns=cols)


# ---------------------------------------------------------------------------- store tables
def load_tables(version_root: Path) -> dict[str, pd.DataFrame]:
    """The four tables of a version as DataFrames (partition columns restored)."""
    out = {}
    for t in S.TABLES:
        frames = []
        if t.partition is None:
            f = version_root / f"{t.name}.parquet"
            if f.exists():
                frames.append(pq.read_table(f).to_pandas())
        else:
            for f in sorted((version_root / t.name).glob(f"{t.partition}=*/*.parquet")):
                df = pq.read_table(f).to_pandas()
                df[t.partition] = int(f.parent.name.split("=", 1)[1])
                frames.append(df)
        df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[c.name for c in t.schema])
        out[t.name] = df[[c.name for c in t.schema]]
    return out


def _value(v: Any) -> Any:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, float):
        return round(v, 6)
    return v


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _value(v) for k, v in r.items()} for r in df.to_dict("records")]


# ---------------------------------------------------------------------------- checks
def _check_duplicates(parsed: Parsed) -> list[Problem]:
    out = []
    for pt in parsed.tables.values():
        seen: dict[tuple, tuple[str, str, int]] = {}
        key_cols = [c for c in pt.spec.columns if c.field in pt.spec.key]
        for rec, where in zip(pt.rows, pt.where):
            key = tuple(rec[f] for f in pt.spec.key)
            if key in seen:
                f, s, r = seen[key]
                first = f"第 {r} 行" if (f, s) == where[:2] else f"{f}{'，' + s if s else ''} 第 {r} 行"
                out.append(Problem(where[0], where[1], where[2], "、".join(c.name for c in key_cols),
                                   " / ".join(str(k) for k in key), f"与{first}重复（同一键只能有一行）"))
            else:
                seen[key] = where
    return out


def _check_codes(parsed: Parsed, units: pd.DataFrame) -> list[Problem]:
    """Codes must be known units (in the store or in this ledger's 区划); data rows need 县级 units."""
    out = []
    levels = dict(zip(units["code"], units["level"]))
    for rec in parsed.tables[UNITS.title].rows:
        levels[rec["code"]] = rec["level"]
    for rec, where in zip(parsed.tables[UNITS.title].rows, parsed.tables[UNITS.title].where):
        if rec["level"] == "县级" and levels.get(rec["parent_code"]) != "市":
            out.append(Problem(*where, "上级代码", rec["parent_code"] or "",
                               "上级代码不是已知的市（请在区划表中加入该市，级别填“市”）"))
    for title in (CULTIVATED.title, PROJECTS.title, PARCELS.title):
        pt = parsed.tables[title]
        for rec, where in zip(pt.rows, pt.where):
            level = levels.get(rec["code"])
            if level is None:
                out.append(Problem(*where, "行政区划代码", rec["code"],
                                   "未知的行政区划代码（库中和本次区划表中都没有）"))
            elif level != "县级":
                out.append(Problem(*where, "行政区划代码", rec["code"], "不是县级单位，只能填写县级单位的数据"))
    return out


def _check_keys_against_store(parsed: Parsed, store: dict[str, pd.DataFrame]) -> list[Problem]:
    """A project or parcel number may not clash with a row of another unit that stays in the store."""
    out = []
    for spec in (PROJECTS, PARCELS):
        pt = parsed.tables[spec.title]
        if not pt.rows:
            continue
        code_f, year_f = spec.scope
        replaced = {(r[code_f], r[year_f]) for r in pt.rows}
        old = store[spec.table.name]
        keep = old[[(c, y) not in replaced for c, y in zip(old[code_f], old[year_f])]] if len(old) else old
        kept_keys = {tuple(k): c for *k, c in zip(*(keep[f] for f in spec.key), keep[code_f])}
        for rec, where in zip(pt.rows, pt.where):
            key = tuple(rec[f] for f in spec.key)
            if key in kept_keys:
                out.append(Problem(*where, spec.columns[0].name, str(rec[spec.key[1]]),
                                   f"编号与库中单位 {kept_keys[key]} 的同年度记录重复"))
    return out


# ---------------------------------------------------------------------------- merge
def _keep_absent(incoming: pd.DataFrame, old: pd.DataFrame, present: set[str]) -> pd.DataFrame:
    """On an upsert, a column the ledger does not have (e.g. 经度/纬度) keeps the stored values."""
    absent = [c for c in incoming.columns if c not in present]
    if not absent or old.empty:
        return incoming
    stored = old.set_index("code")
    out = incoming.copy()
    for c in absent:
        out[c] = [stored[c].get(code) if code in stored.index else None for code in out["code"]]
    return out


def _names(store_units: pd.DataFrame, parsed: Parsed) -> dict[str, str]:
    names = dict(zip(store_units["code"], store_units["name"]))
    names.update({r["code"]: r["name"] for r in parsed.tables[UNITS.title].rows})
    return names


def merge(parsed: Parsed, store: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], list[Change], set[str]]:
    """(new tables for the tables that change, changes per table × unit × year, touched unit codes)."""
    names = _names(store[UNITS.table.name], parsed)
    new_tables: dict[str, pd.DataFrame] = {}
    changes: list[Change] = []
    touched: set[str] = set()
    for spec in LEDGER_TABLES:
        pt = parsed.tables[spec.title]
        if not pt.rows:
            continue
        old = store[spec.table.name]
        incoming = pd.DataFrame(pt.rows)[[c.name for c in spec.table.schema]]
        if spec.scope is None:
            incoming = _keep_absent(incoming, old, pt.present)
        old_recs = _records(old)
        new_recs = _records(incoming)
        if spec.scope is None:   # 区划: upsert by code
            groups_new = {(r["code"], None): [r] for r in new_recs}
            old_by = {(r["code"], None): [r] for r in old_recs if (r["code"], None) in groups_new}
        else:
            code_f, year_f = spec.scope
            groups_new = defaultdict(list)
            for r in new_recs:
                groups_new[(r[code_f], r[year_f])].append(r)
            old_by = defaultdict(list)
            for r in old_recs:
                k = (r[code_f], r[year_f])
                if k in groups_new:
                    old_by[k].append(r)
        table_changed = False
        for (code, year), rows in sorted(groups_new.items(), key=lambda kv: (str(kv[0][0]), kv[0][1] or 0)):
            before = {tuple(r[f] for f in spec.key): r for r in old_by.get((code, year), [])}
            after = {tuple(r[f] for f in spec.key): r for r in rows}
            ch = Change(spec.title, code, names.get(code, ""), year)
            for k, r in after.items():
                if k not in before:
                    ch.added += 1
                elif before[k] != r:
                    ch.replaced += 1
                else:
                    ch.unchanged += 1
            ch.removed = sum(1 for k in before if k not in after)
            changes.append(ch)
            if ch.changed:
                table_changed = True
                touched.add(code)
        if table_changed:
            if spec.scope is None:
                keep = old[~old["code"].isin(incoming["code"])]
                incoming = _keep_absent(incoming, old, pt.present)
            else:
                code_f, year_f = spec.scope
                replaced = set(groups_new)
                keep = old[[(c, y) not in replaced for c, y in zip(old[code_f], old[year_f])]] if len(old) else old
            merged = pd.concat([keep, incoming], ignore_index=True) if len(keep) else incoming
            new_tables[spec.table.name] = merged.sort_values(SORT_KEYS[spec.table.name], kind="stable").reset_index(drop=True)
    return new_tables, changes, touched


# ---------------------------------------------------------------------------- writing
def _write_version(data_dir: Path, store_root: Path, new_tables: dict[str, pd.DataFrame],
                   old_tables: dict[str, pd.DataFrame], meta: dict, record: dict) -> str:
    vid = versions.new_id(data_dir)
    staged = versions.stage(data_dir, vid)
    rewritten: set[str] = {"meta.json"}
    tables = {t.name: t for t in S.TABLES}
    for name, df in new_tables.items():
        t = tables[name]
        if t.partition is None:
            _write(staged / f"{name}.parquet", to_arrow(t, df))
            rewritten.add(f"{name}.parquet")
            continue
        old = old_tables[name]
        for value, part in df.groupby(t.partition, sort=True):
            before = old[old[t.partition] == value]
            cols = [c.name for c in t.schema]
            same = len(before) == len(part) and _records(before.sort_values(SORT_KEYS[name])[cols].reset_index(drop=True)) == \
                _records(part[cols].reset_index(drop=True))
            if same:
                continue
            rel = f"{name}/{t.partition}={int(value)}/part-0.parquet"
            _write(staged / rel, to_arrow(t, part, file_schema=True))
            rewritten.add(rel)
    versions.hook("after-stage")
    versions.link_unchanged(store_root, staged, rewritten)
    write_meta(staged, meta)
    versions.publish(data_dir, staged, vid, record)
    return vid


def _write(path: Path, table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def _meta_after(meta: dict, touched_cities: set[str]) -> dict:
    demo = [c for c in demo_cities(meta) if c not in touched_cities]
    out = {k: v for k, v in meta.items() if k not in ("demo", "city", "demo_cities")}
    out["demo_cities"] = demo
    out["demo"] = bool(demo)
    return out


def demo_cities(meta: dict) -> list[str]:
    """The cities whose figures are still the generated 示例数据."""
    if "demo_cities" in meta:
        return list(meta["demo_cities"])
    return [meta["city"]] if meta.get("demo") and meta.get("city") else []


def import_files(data_dir: Path | str, files: list[tuple[str, bytes]], dry_run: bool = False) -> Result:
    """Check and (unless ``dry_run``) import ledger files. All or nothing: every problem is listed."""
    data_dir = Path(data_dir)
    infos = [{"name": n, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)} for n, b in files]
    sheets, problems = [], []
    for name, data in files:
        try:
            sheets += read_file(name, data)
        except Unreadable as e:
            problems.append(e.problem if e.problem.file else Problem(name, *list(asdict(e.problem).values())[1:]))
    parsed = parse(sheets) if sheets else Parsed({}, [], [])
    problems += parsed.problems
    if problems or not sheets:
        if parsed.tables:   # the rows that did parse may hold more problems: list them too
            problems += _cross_checks(parsed, load_tables(versions.root(data_dir)))
        return Result(False, _sorted(problems)[:MAX_PROBLEMS], parsed.warnings, files=infos, dry_run=dry_run)
    if dry_run:
        return _check_and_merge(data_dir, parsed, infos, dry_run=True)
    with versions.lock(data_dir):
        versions.cleanup(data_dir)
        return _check_and_merge(data_dir, parsed, infos, dry_run=False)


def _cross_checks(parsed: Parsed, store: dict[str, pd.DataFrame]) -> list[Problem]:
    return _check_duplicates(parsed) + _check_codes(parsed, store["units"]) + _check_keys_against_store(parsed, store)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.sheet, p.row or 0, p.column))


def _check_and_merge(data_dir: Path, parsed: Parsed, infos: list[dict], dry_run: bool) -> Result:
    parent = versions.current_id(data_dir)
    store_root = versions.root(data_dir, parent)
    store = load_tables(store_root)
    problems = _cross_checks(parsed, store)
    if problems:
        return Result(False, _sorted(problems)[:MAX_PROBLEMS], parsed.warnings, files=infos, dry_run=dry_run)
    new_tables, changes, touched = merge(parsed, store)
    result = Result(True, [], parsed.warnings, changes, infos, dry_run=dry_run)
    if dry_run or not result.changed:
        return result
    from ..store import read_meta

    units = pd.concat([store["units"], pd.DataFrame(parsed.tables[UNITS.title].rows or None,
                                                    columns=[c.name for c in S.UNITS.schema])])
    parents = dict(zip(units["code"], units["parent_code"]))
    touched_cities = {parents.get(c) or c for c in touched}
    record = {
        "kind": "import",
        "time": clock.stamp(),
        "parent": parent,
        "files": infos,
        "changes": [asdict(c) for c in changes if c.changed],
        "unchanged": sum(c.unchanged for c in changes),
        "warnings": len(parsed.warnings),
        "units": sorted(touched),
    }
    meta = _meta_after(read_meta(data_dir), touched_cities)
    result.version = _write_version(data_dir, store_root, new_tables, store, meta, record)
    return result


def rollback(data_dir: Path | str, vid: str) -> str:
    """Undo change ``vid``: a new version equal to the store just before it. Returns the new id."""
    data_dir = Path(data_dir)
    with versions.lock(data_dir):
        versions.cleanup(data_dir)
        entries = {h["id"]: h for h in versions.history(data_dir)}
        if vid not in entries:
            raise KeyError(vid)
        target = entries[vid]["parent"]
        new = versions.new_id(data_dir)
        staged = versions.stage(data_dir, new)
        versions.link_unchanged(versions.root(data_dir, target), staged, set())
        record = {"kind": "rollback", "time": clock.stamp(),
                  "parent": versions.current_id(data_dir), "undoes": vid, "restores": target,
                  "files": [], "changes": [], "units": entries[vid].get("units", [])}
        versions.publish(data_dir, staged, new, record)
        return new


def last_imports(data_dir: Path | str) -> dict[str, str]:
    """unit code → time of the latest import that changed it."""
    out: dict[str, str] = {}
    for h in versions.history(Path(data_dir)):
        if h.get("kind") == "import":
            for c in h.get("units", []):
                out[c] = h["time"]
    return out


def dumps(result: Result) -> str:
    return json.dumps({"ok": result.ok, "version": result.version,
                       "problems": [asdict(p) for p in result.problems],
                       "changes": [asdict(c) for c in result.changes]}, ensure_ascii=False, default=str)
