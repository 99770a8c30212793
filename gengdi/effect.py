"""The effect of an import in indicator terms: 中站区：重点项目用地保障率 83.72%→90.70%，综合排名 第11→第10."""
from __future__ import annotations

from collections.abc import Iterable

from . import fmt
from . import metrics as M


def _rank(r: int | None) -> str:
    return "—" if r is None else f"第{r}"


def lines(before: dict, after: dict, codes: Iterable[str]) -> list[str]:
    """One sentence per unit of ``codes`` whose figures moved, from two summaries of the same city
    (same as-of date and settings), before and after the import."""
    old = {u["code"]: u for u in before.get("units", [])}
    new = {u["code"]: u for u in after.get("units", [])}
    out = []
    for code in codes:
        a, b = old.get(code), new.get(code)
        if b is None:
            continue
        a = a or {}
        parts = [f"{name} {fmt.pct(a.get(k))}→{fmt.pct(b.get(k))}" for k, name in M.INDICATORS.items()
                 if round(a.get(k) or -1, 6) != round(b.get(k) or -1, 6)]
        if a.get("composite_rank") != b.get("composite_rank"):
            parts.append(f"综合排名 {_rank(a.get('composite_rank'))}→{_rank(b.get('composite_rank'))}")
        if parts:
            out.append(f"{b['name']}：" + "，".join(parts))
    return out


def staged_summaries(data_dir, files, mode: str, as_of, unit_codes: Iterable[str], limit: int = 20) -> dict[str, dict]:
    """The summaries (default settings, at ``as_of``) of the cities holding ``unit_codes`` AS THEY WOULD BE
    after importing ``files`` — computed on a hard-linked copy of the store that is thrown away (the import
    writes new files and never into existing ones), so a dry run can show the effect before anything is
    stored. Compare with the summaries of the store in force by :func:`lines`."""
    import datetime as dt
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from . import queries as Q
    from .db import Database
    from .ingest import import_files
    from .ranking import RankSettings
    from .scope import Scope
    from .summary import build_summary

    codes = set(unit_codes)
    if not codes:
        return {}
    as_of = dt.date.fromisoformat(str(as_of))
    with tempfile.TemporaryDirectory(prefix="gengdi-effect-") as tmp:
        copy = Path(tmp) / "store"
        try:
            subprocess.run(["cp", "-al", str(data_dir), str(copy)], check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError):
            shutil.copytree(data_dir, copy)
        r = import_files(copy, files, dry_run=False, mode=mode, confirm_deletions=True, by="预览")
        if not (r.ok and r.version):
            return {}
        db = Database(copy)
        areas = Q.areas(db)
        units = areas[(areas["level"] == "unit") & areas["code"].isin(codes)]
        cities = areas[areas["level"] == "city"]
        names = dict(zip(cities["code"], cities["name"]))
        return {city: build_summary(db, Scope("city", city, names.get(city, city)), as_of,
                                    settings=RankSettings.make(), by="unit")
                for city in sorted(set(units["city"].dropna()))[:limit]}
