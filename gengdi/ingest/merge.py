"""The import itself: check a ledger against the store, work out what changes, write a new version.

Two modes. ``replace`` (the default): a ledger is the full truth for each (unit, year) it holds —
every row of that table for a (行政区划代码, 年度/任务年度) in the file is replaced by the file's rows,
so rows missing from the file are deleted (only after an explicit confirmation). ``update``: only
the file's rows are added or changed (by 项目编号 / 地块编号 / 年度+代码), nothing is deleted — for
monthly increments. 区划 rows are always upserted. One bad row refuses the whole import and the
store is left exactly as it was.

Cost follows the ledger, not the store: only the year partitions the ledger touches are read, the
rows of the touched (unit, year) groups are compared, and only partitions that change are written
(the others are hard-linked from the previous version).
"""
from __future__ import annotations

import functools
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
from .spec import CULTIVATED, LEDGER_TABLES, PARCELS, PROJECTS, TASKS, UNITS, LedgerTable, header_text

MODES = {"replace": "替换（文件是这些单位、年度的完整清单）", "update": "只更新文件中的行（不删除）"}
MAX_ROW_CHANGES = 200_000    # row-level preview entries kept (the counts are always complete)
EXAMPLE_REASON = "模板示例行，请删除后再导入"
GUIDE_SHEET = "填表说明"



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

    @property
    def deletion_text(self) -> str:
        """将删除 中站区 2024 年 40 个项目（文件中没有）"""
        what = {PROJECTS.title: "个项目", PARCELS.title: "宗地块", CULTIVATED.title: "条耕地年度记录"}.get(self.table, "行")
        year = f" {self.year} 年" if self.year is not None else ""
        return f"将删除 {self.name or self.code}{year} {self.removed} {what}（文件中没有）"


@dataclass
class RowChange:
    """One row-level difference: a new row, a deleted row, or one changed field of a row."""
    table: str
    code: str
    name: str
    year: int | None
    key: str
    kind: str            # 新增 | 修改 | 删除
    column: str = ""     # the ledger column (修改 only)
    old: str = ""
    new: str = ""


@dataclass
class Result:
    ok: bool
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    version: str | None = None
    dry_run: bool = False
    mode: str = "replace"
    rows: list[RowChange] = field(default_factory=list)
    rows_truncated: bool = False
    needs_confirmation: bool = False   # replace mode would delete rows and the deletion was not confirmed
    effect_after: dict | None = None    # dry run in a job: city → summary as it would be after the import

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.changes)

    @property
    def deletions(self) -> list[Change]:
        return [c for c in self.changes if c.removed]

    @property
    def deleted_rows(self) -> int:
        return sum(c.removed for c in self.changes)

    def rows_frame(self, kinds: tuple[str, ...] = ("新增", "修改", "删除")) -> pd.DataFrame:
        """The row-level preview: per changed row the key, the field, old → new; new and deleted rows whole."""
        cols = {"table": "表", "name": "单位", "code": "行政区划代码", "year": "年度", "key": "编号",
                "kind": "变化", "column": "字段", "old": "原值", "new": "新值"}
        df = pd.DataFrame([asdict(r) for r in self.rows if r.kind in kinds], columns=list(cols))
        df["year"] = ["" if y is None or y != y else str(int(y)) for y in df["year"]]
        return df.rename(columns=cols)

    def changes_frame(self) -> pd.DataFrame:
        cols = {"table": "表", "code": "行政区划代码", "name": "单位", "year": "年度", "added": "新增",
                "replaced": "替换", "unchanged": "未变", "removed": "删除"}
        df = pd.DataFrame([asdict(c) for c in self.changes], columns=list(cols))
        df["year"] = ["" if y is None or y != y else str(int(y)) for y in df["year"]]
        return df.rename(columns=cols)


# ---------------------------------------------------------------------------- store tables
def load_tables(version_root: Path, parts: dict[str, set[int]] | None = None) -> dict[str, pd.DataFrame]:
    """The tables of a version as DataFrames (partition columns restored). ``parts``: for a
    partitioned table, only these partition values are read (the import reads only the years its
    ledger touches; a key can only clash within its own year)."""
    out = {}
    for t in S.TABLES:
        frames = []
        if t.partition is None:
            f = version_root / f"{t.name}.parquet"
            if f.exists():
                frames.append(pq.read_table(f).to_pandas())
        else:
            wanted = None if parts is None else parts.get(t.name, set())
            for f in sorted((version_root / t.name).glob(f"{t.partition}=*/*.parquet")):
                value = int(f.parent.name.split("=", 1)[1])
                if wanted is not None and value not in wanted:
                    continue
                df = pq.read_table(f).to_pandas()
                df[t.partition] = value
                frames.append(df)
        frames = [f for f in frames if len(f)]
        df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[c.name for c in t.schema])
        out[t.name] = df[[c.name for c in t.schema]]
    return out


def touched_parts(parsed: Parsed) -> dict[str, set[int]]:
    """The year partitions of each partitioned table that a ledger's rows fall in."""
    out: dict[str, set[int]] = {}
    for spec in (PROJECTS, PARCELS):
        out[spec.table.name] = {int(r[spec.table.partition]) for r in parsed.tables[spec.title].rows}
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
    for title in (CULTIVATED.title, PROJECTS.title, PARCELS.title, TASKS.title):
        pt = parsed.tables[title]
        for rec, where in zip(pt.rows, pt.where):
            level = levels.get(rec["code"])
            if level is None:
                out.append(Problem(*where, "行政区划代码", rec["code"],
                                   "未知的行政区划代码（库中和本次区划表中都没有）"))
            elif level != "县级":
                out.append(Problem(*where, "行政区划代码", rec["code"], "不是县级单位，只能填写县级单位的数据"))
    return out


def _group_mask(df: pd.DataFrame, cols: tuple[str, ...], keys: set[tuple]) -> pd.Series:
    """Rows of ``df`` whose values in ``cols`` form one of ``keys`` (vectorised)."""
    if df.empty or not keys:
        return pd.Series(False, index=df.index)
    if len(cols) == 1:
        return df[cols[0]].isin({k[0] for k in keys})
    idx = pd.MultiIndex.from_arrays([df[c].astype(object) if c != "year" and c != "task_year" else df[c].astype("int64")
                                     for c in cols])
    return pd.Series(idx.isin(list(keys)), index=df.index)


def _check_keys_against_store(parsed: Parsed, store: dict[str, pd.DataFrame], mode: str = "replace") -> list[Problem]:
    """A project or parcel number may not clash with a row of another unit that stays in the store
    (replace: outside the (unit, year) groups the file replaces; update: under another unit)."""
    out = []
    for spec in (PROJECTS, PARCELS):
        pt = parsed.tables[spec.title]
        if not pt.rows:
            continue
        code_f, year_f = spec.scope
        old = store[spec.table.name]
        if old.empty:
            continue
        keys = {tuple(r[f] for f in spec.key) for r in pt.rows}
        hit = old[_group_mask(old, spec.key, keys).to_numpy()]
        if mode == "replace":
            replaced = {(r[code_f], r[year_f]) for r in pt.rows}
            hit = hit[~_group_mask(hit, (code_f, year_f), replaced).to_numpy()]
        kept_keys = {tuple(k): c for *k, c in zip(*(hit[f] for f in spec.key), hit[code_f])}
        for rec, where in zip(pt.rows, pt.where):
            key = tuple(rec[f] for f in spec.key)
            if key in kept_keys and (mode == "replace" or kept_keys[key] != rec[code_f]):
                out.append(Problem(*where, spec.columns[0].name, str(rec[spec.key[1]]),
                                   f"编号与库中单位 {kept_keys[key]} 的同年度记录重复"))
    return out


@functools.lru_cache(maxsize=1)
def _example_rows() -> dict[str, list[dict[str, Any]]]:
    """The template's example rows as parsed rows (field → value; the template's areas are in 亩)."""
    from .workbook import EXAMPLES

    out: dict[str, list[dict[str, Any]]] = {}
    for spec in LEDGER_TABLES:
        rows = []
        for row in EXAMPLES[spec.title]:
            rec = {}
            for col, v in zip(spec.columns, row):
                if v == "" or v is None:
                    v = None
                elif col.kind in ("area", "float"):
                    v = round(float(v), 6)
                rec[col.field] = v
            rows.append(rec)
        out[spec.title] = rows
    return out


def _is_example(rec: dict[str, Any], examples: list[dict[str, Any]]) -> bool:
    return any(all(_value(rec.get(f)) == v for f, v in ex.items() if f in rec) for ex in examples)


def _check_examples(parsed: Parsed) -> list[Problem]:
    """Rows left over from the template (its example rows, or rows marked 示例) are refused."""
    out = []
    examples = _example_rows()
    for title, pt in parsed.tables.items():
        ex = examples.get(title, [])
        first = pt.spec.columns[0]
        for rec, where in zip(pt.rows, pt.where):
            marked = any(isinstance(v, str) and v.strip().startswith("示例") for v in rec.values())
            if marked or _is_example(rec, ex):
                out.append(Problem(*where, first.name, str(rec.get(first.field, "")), EXAMPLE_REASON))
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


def _show(v: Any) -> str:
    v = _value(v)
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


def _row_text(spec: LedgerTable, r: dict[str, Any]) -> str:
    return "；".join(f"{header_text(spec, c)}：{_show(r.get(c.field))}" for c in spec.columns if c.field in r)


def merge(parsed: Parsed, store: dict[str, pd.DataFrame], mode: str = "replace"
          ) -> tuple[dict[str, pd.DataFrame], list[Change], set[str], list[RowChange], dict[str, set[int]]]:
    """(new tables for the tables that change, changes per table × unit × year, touched unit codes,
    row-level changes, the partitions of each partitioned table that change). ``store`` may hold
    only the partitions the ledger touches: rows are compared only inside the touched groups."""
    names = _names(store[UNITS.table.name], parsed)
    new_tables: dict[str, pd.DataFrame] = {}
    changes: list[Change] = []
    touched: set[str] = set()
    rows: list[RowChange] = []
    changed_parts: dict[str, set[int]] = {}
    for spec in LEDGER_TABLES:
        pt = parsed.tables[spec.title]
        if not pt.rows:
            continue
        old = store[spec.table.name]
        incoming = pd.DataFrame(pt.rows)[[c.name for c in spec.table.schema]]
        if spec.scope is None:
            incoming = _keep_absent(incoming, old, pt.present)
            in_groups = old["code"].isin(set(incoming["code"])).to_numpy() if len(old) else []
            group_cols = ("code",)
        else:
            group_cols = spec.scope
            groups = {(r[group_cols[0]], r[group_cols[1]]) for r in pt.rows}
            in_groups = _group_mask(old, group_cols, groups).to_numpy()
        old_in = old[in_groups] if len(old) else old
        old_recs = _records(old_in)
        new_recs = _records(incoming)

        def gkey(r):
            return (r["code"], None) if spec.scope is None else (r[group_cols[0]], r[group_cols[1]])

        groups_new: dict[tuple, list] = defaultdict(list)
        for r in new_recs:
            groups_new[gkey(r)].append(r)
        old_by: dict[tuple, list] = defaultdict(list)
        for r in old_recs:
            old_by[gkey(r)].append(r)
        table_changed = False
        years: set[int] = set()
        for (code, year), grp in sorted(groups_new.items(), key=lambda kv: (str(kv[0][0]), kv[0][1] or 0)):
            before = {tuple(r[f] for f in spec.key): r for r in old_by.get((code, year), [])}
            after = {tuple(r[f] for f in spec.key): r for r in grp}
            ch = Change(spec.title, code, names.get(code, ""), year)
            keyname = lambda k: " / ".join(str(x) for x in k[1:] or k) if spec.scope else str(k[0])  # noqa: E731
            for k, r in after.items():
                if k not in before:
                    ch.added += 1
                    rows.append(RowChange(spec.title, code, ch.name, year, keyname(k), "新增", new=_row_text(spec, r)))
                elif before[k] != r:
                    ch.replaced += 1
                    for c in spec.columns:
                        if c.field in r and before[k].get(c.field) != r[c.field]:
                            rows.append(RowChange(spec.title, code, ch.name, year, keyname(k), "修改",
                                                  header_text(spec, c), _show(before[k].get(c.field)), _show(r[c.field])))
                else:
                    ch.unchanged += 1
            if mode == "replace" and spec.scope is not None:
                for k, r in before.items():
                    if k not in after:
                        ch.removed += 1
                        rows.append(RowChange(spec.title, code, ch.name, year, keyname(k), "删除", old=_row_text(spec, r)))
            changes.append(ch)
            if ch.changed:
                table_changed = True
                touched.add(code)
                if year is not None:
                    years.add(int(year))
        if table_changed:
            if spec.scope is None or mode == "update":
                # upsert by key: stored rows the file does not hold stay
                keep = old[~_group_mask(old, spec.key, {tuple(r[f] for f in spec.key) for r in new_recs}).to_numpy()] \
                    if len(old) else old
            else:
                keep = old[~in_groups] if len(old) else old
            merged = pd.concat([keep, incoming], ignore_index=True) if len(keep) else incoming
            new_tables[spec.table.name] = merged.sort_values(SORT_KEYS[spec.table.name], kind="stable").reset_index(drop=True)
            if spec.table.partition is not None:
                changed_parts[spec.table.name] = years
    if len(rows) > MAX_ROW_CHANGES:
        rows = rows[:MAX_ROW_CHANGES] + [RowChange("", "", "", None, "", "…", new=f"另有 {len(rows) - MAX_ROW_CHANGES:,} 行未列出")]
    return new_tables, changes, touched, rows, changed_parts


# ---------------------------------------------------------------------------- writing
def _write_version(data_dir: Path, store_root: Path, new_tables: dict[str, pd.DataFrame],
                   changed_parts: dict[str, set[int]], meta: dict, record: dict) -> str:
    """Write the tables and partitions that change; hard-link every other file. ``new_tables`` of a
    partitioned table may hold only the partitions that were read: only ``changed_parts`` are written
    (a changed partition left without rows is simply not linked)."""
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
        for value in sorted(changed_parts.get(name, set())):
            rel = f"{name}/{t.partition}={int(value)}/part-0.parquet"
            rewritten.add(rel)
            part = df[df[t.partition] == value]
            if len(part):
                _write(staged / rel, to_arrow(t, part, file_schema=True))
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


def import_files(data_dir: Path | str, files: list[tuple[str, bytes]], dry_run: bool = False,
                 mode: str = "replace", confirm_deletions: bool = False, by: str = "命令行",
                 progress=None) -> Result:
    """Check and (unless ``dry_run``) import ledger files. All or nothing: every problem is listed.

    ``mode``: ``replace`` (the file is the complete list of each (unit, year) it holds; rows it does
    not have are deleted) or ``update`` (only the file's rows are added or changed). In replace mode
    an import that would delete rows writes nothing unless ``confirm_deletions`` (the result then
    has ``needs_confirmation``). ``by``: who imports (a signed-in identity, or 命令行).
    ``progress(step, fraction)``: called with 读取 / 检查 / 合并 / 写入."""
    if mode not in MODES:
        raise ValueError(mode)
    step = progress or (lambda name, frac: None)
    data_dir = Path(data_dir)
    infos = [{"name": n, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)} for n, b in files]
    sheets, problems = [], []
    step("读取", 0.0)
    for i, (name, data) in enumerate(files):
        try:
            sheets += read_file(name, data)
        except Unreadable as e:
            problems += [p if p.file else Problem(name, *list(asdict(p).values())[1:]) for p in e.problems]
        step("读取", (i + 1) / max(1, len(files)))
    step("检查", 0.0)
    parsed = parse(sheets) if sheets else Parsed({}, [], [])
    parsed.warnings = [w for w in parsed.warnings if w.sheet != GUIDE_SHEET]   # the template's 填表说明
    problems += parsed.problems
    if problems or not sheets:
        if parsed.tables:   # the rows that did parse may hold more problems: list them too
            store = load_tables(versions.root(data_dir), touched_parts(parsed))
            problems += _cross_checks(parsed, store, mode)
        return Result(False, _sorted(problems)[:MAX_PROBLEMS], parsed.warnings, files=infos, dry_run=dry_run, mode=mode)
    if dry_run:
        result = _check_and_merge(data_dir, parsed, infos, True, mode, confirm_deletions, by, step)
        reason = versions.unwritable(data_dir)
        if reason:      # the check is fine, but an import could not be written: say so now
            result.ok = False
            result.problems = [Problem("", "", None, "", "", reason), *result.problems]
        return result
    with versions.lock(data_dir):
        versions.cleanup(data_dir)
        return _check_and_merge(data_dir, parsed, infos, False, mode, confirm_deletions, by, step)


def _cross_checks(parsed: Parsed, store: dict[str, pd.DataFrame], mode: str = "replace") -> list[Problem]:
    return (_check_examples(parsed) + _check_duplicates(parsed) + _check_codes(parsed, store["units"])
            + _check_keys_against_store(parsed, store, mode))


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.sheet, p.row or 0, p.column))


def _check_and_merge(data_dir: Path, parsed: Parsed, infos: list[dict], dry_run: bool, mode: str,
                     confirm_deletions: bool, by: str, step) -> Result:
    parent = versions.current_id(data_dir)
    store_root = versions.root(data_dir, parent)
    store = load_tables(store_root, touched_parts(parsed))
    problems = _cross_checks(parsed, store, mode)
    step("检查", 1.0)
    if problems:
        return Result(False, _sorted(problems)[:MAX_PROBLEMS], parsed.warnings, files=infos, dry_run=dry_run, mode=mode)
    step("合并", 0.0)
    new_tables, changes, touched, rows, changed_parts = merge(parsed, store, mode)
    step("合并", 1.0)
    truncated = bool(rows) and rows[-1].kind == "…"
    result = Result(True, [], parsed.warnings, changes, infos, dry_run=dry_run, mode=mode, rows=rows,
                    rows_truncated=truncated)
    if dry_run or not result.changed:
        return result
    if result.deletions and not confirm_deletions:
        result.needs_confirmation = True
        return result
    step("写入", 0.0)
    from ..store import read_meta

    units = pd.concat([store["units"], pd.DataFrame(parsed.tables[UNITS.title].rows or None,
                                                    columns=[c.name for c in S.UNITS.schema])])
    parents = dict(zip(units["code"], units["parent_code"]))
    touched_cities = {parents.get(c) or c for c in touched}
    record = {
        "kind": "import",
        "time": clock.stamp(),
        "by": by,
        "mode": mode,
        "parent": parent,
        "files": infos,
        "changes": [asdict(c) for c in changes if c.changed],
        "unchanged": sum(c.unchanged for c in changes),
        "warnings": len(parsed.warnings),
        "units": sorted(touched),
        "reported": sorted({c.code for c in changes if c.table != UNITS.title}),
    }
    meta = _meta_after(read_meta(data_dir), touched_cities)
    result.version = _write_version(data_dir, store_root, new_tables, changed_parts, meta, record)
    step("写入", 1.0)
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
    return json.dumps({"ok": result.ok, "version": result.version, "mode": result.mode,
                       "needs_confirmation": result.needs_confirmation,
                       "problems": [asdict(p) for p in result.problems],
                       "changes": [asdict(c) for c in result.changes]}, ensure_ascii=False, default=str)
