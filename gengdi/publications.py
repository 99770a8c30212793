"""Publications (发布的通报): the month's notice issued once, pinned to the data as published.

    data/publications/<id>/publication.json   what was published: month, as-of date, scope, ranking
                                              settings and warning lines, the store version in force,
                                              who and when (Asia/Shanghai), 文号, title, key sentence
    data/publications/<id>/通报.pdf, 通报.docx  the documents as issued
    data/publications/<id>/deliveries.json     what delivery did (see :mod:`gengdi.delivery`)

A publication pins the store version it was computed from: :func:`gengdi.versions.cleanup` keeps
every pinned version, and :func:`pinned_database` reads exactly that version, so a pinned link
shows the published figures after any later import, correction or rollback.

Publishing is idempotent per (as-of date, scope, ranking object, settings): a second publish of
the same month returns the first one; ``force`` re-issues it as a 更正 with a new 文号.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from . import clock, fmt
from . import metrics as M
from . import versions
from . import warnings as W
from .db import Database, _load_sql
from .ranking import RankSettings
from .scope import Scope

TZ = ZoneInfo("Asia/Shanghai")
DIR = "publications"
RECORD = "publication.json"
PDF = "通报.pdf"
DOCX = "通报.docx"
PUB_PARAM = "pub"                 # the URL key of a pinned link: ?pub=<id>
PAGE = "publications"             # the url_path of the 通报 page
DEFAULT_NUMBER = "{short}自然资〔{year}〕{n}号"
_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}$")


class PublishRefused(Exception):
    """Publishing refused (message in Chinese): incomplete reports, no data, fonts missing."""


# ---------------------------------------------------------------------------- settings
def settings_record(settings: RankSettings, thresholds: Mapping[str, tuple[float, float]] | None) -> dict:
    return {"weights": dict(settings.weights),
            "categories": None if settings.categories is None else list(settings.categories),
            "units": None if settings.units is None else list(settings.units),
            "thresholds": {k: list(v) for k, v in (thresholds or W.DEFAULT_THRESHOLDS).items()}}


def settings_of(pub: Mapping[str, Any]) -> tuple[RankSettings, dict[str, tuple[float, float]]]:
    """The ranking settings and warning lines a publication was computed with."""
    s = pub["settings"]
    settings = RankSettings(weights=tuple((k, float(v)) for k, v in s["weights"].items()),
                            categories=None if s["categories"] is None else tuple(s["categories"]),
                            units=None if s["units"] is None else tuple(s["units"]))
    return settings, {k: (float(v[0]), float(v[1])) for k, v in s["thresholds"].items()}


def scope_of(pub: Mapping[str, Any]) -> Scope:
    sc = pub["scope"]
    return Scope(sc["level"], sc["code"], sc["name"])


def _key(as_of: dt.date, scope: Scope, by: str, settings: dict) -> str:
    text = json.dumps([as_of.isoformat(), scope.level, scope.code, by, settings], sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------- the archive
def root(data_dir: Path | str) -> Path:
    return Path(data_dir) / DIR


def all_publications(data_dir: Path | str) -> list[dict[str, Any]]:
    """Every publication, newest first."""
    out = []
    d = root(data_dir)
    if d.is_dir():
        for p in d.iterdir():
            f = p / RECORD
            if p.is_dir() and f.exists():
                try:
                    out.append(json.loads(f.read_text(encoding="utf-8")))
                except (OSError, ValueError):
                    continue
    return sorted(out, key=lambda r: r["published_at"], reverse=True)


def get(data_dir: Path | str, pid: str | None) -> dict[str, Any] | None:
    """The publication ``pid`` (hostile text from a link: only a well-formed id is looked up)."""
    if not pid or not _ID.match(str(pid)):
        return None
    f = root(data_dir) / pid / RECORD
    if not f.exists():
        return None
    return json.loads(f.read_text(encoding="utf-8"))


def file_path(data_dir: Path | str, pub: Mapping[str, Any], kind: str) -> Path:
    return root(data_dir) / pub["id"] / (PDF if kind == "pdf" else DOCX)


def pinned_versions(data_dir: Path | str) -> set[str]:
    """The store versions publications point to: never deleted."""
    return {p["version_id"] for p in all_publications(data_dir)}


def newer_data(data_dir: Path | str, pub: Mapping[str, Any]) -> bool:
    """The store in force is no longer the version the publication was computed from."""
    return versions.current_id(Path(data_dir)) != pub["version_id"]


def banner(pub: Mapping[str, Any], newer: bool) -> str:
    """"2024年9月通报（2024年10月8日发布）；此后数据有更正" (the page adds the → 查看最新 link)."""
    as_of = dt.date.fromisoformat(pub["as_of"])
    when = dt.datetime.fromisoformat(pub["published_at"]).astimezone(TZ).date()
    head = f"{fmt.month_label(as_of)}通报" if pub["month_end"] else f"截至{fmt.date_label(as_of)}通报"
    text = f"{head}{'（更正）' if pub['kind'] == '更正' else ''}（{fmt.date_label(when)}发布）"
    return text + ("；此后数据有更正" if newer else "")


def month_end_iso(pub: Mapping[str, Any]) -> str:
    d = dt.date.fromisoformat(pub["as_of"])
    return M.month_end(d.year, d.month).isoformat()


def public_link(pub: Mapping[str, Any], base: str | None = None) -> str | None:
    """The pinned link on the public address ($GENGDI_PUBLIC_URL), or None when it is not set."""
    base = (base if base is not None else os.environ.get("GENGDI_PUBLIC_URL", "")).strip().rstrip("/")
    if not base:
        return None
    return f"{base}/{PAGE}?{PUB_PARAM}={pub['id']}"


# ---------------------------------------------------------------------------- pinned data
class PinnedDatabase(Database):
    """The tables of one store version (a publication's), never reloaded."""

    def __init__(self, data_dir: Path | str, vid: str):
        self.vid = vid
        super().__init__(data_dir)

    def ensure_current(self, version: str) -> None:   # pinned: nothing to follow
        return

    def _load(self) -> None:
        vroot = versions.root(self.data_dir, self.vid)
        if not vroot.is_dir():
            raise PublishRefused(f"通报所依据的数据版本 {self.vid} 已不存在")
        with self._lock:
            self._root.execute("BEGIN TRANSACTION")
            try:
                for sql in _load_sql(vroot):
                    self._root.execute(sql)
                self._root.execute("COMMIT")
                self._memo = {}
                self.loaded = self.vid
            except Exception:
                self._root.execute("ROLLBACK")
                raise


_PINNED: dict[tuple[str, str], PinnedDatabase] = {}


def pinned_database(data_dir: Path | str, vid: str) -> PinnedDatabase:
    """One loaded database per (store, pinned version) in this process."""
    key = (str(Path(data_dir).resolve()), vid)
    if key not in _PINNED:
        if len(_PINNED) >= 8:
            _PINNED.pop(next(iter(_PINNED)))
        _PINNED[key] = PinnedDatabase(data_dir, vid)
    return _PINNED[key]


def pinned_summaries(data_dir: Path | str, pub: Mapping[str, Any]) -> tuple[dict, dict]:
    """(the summary as published, the previous month's) — from the pinned version and settings."""
    from .summary import build_summary

    db = pinned_database(data_dir, pub["version_id"])
    settings, _ = settings_of(pub)
    scope, as_of = scope_of(pub), dt.date.fromisoformat(pub["as_of"])
    s = build_summary(db, scope, as_of, settings=settings, by=pub["by"])
    prev = build_summary(db, scope, M.previous_month_end(as_of), settings=settings, by=pub["by"])
    return s, prev


# ---------------------------------------------------------------------------- completeness
def missing_reports(data_dir: Path | str, a, scope: Scope, as_of: dt.date) -> list[str]:
    """The county-level units of the scope that have not reported for the month — the one definition of
    :mod:`gengdi.reporting`. ``a``: the hierarchy (:func:`gengdi.queries.areas`)."""
    from .reporting import missing

    return missing(data_dir, a, scope, as_of)


def missing_message(names: list[str], as_of: dt.date, most: int = 30) -> str:
    from .reporting import missing_message as message

    return message(names, as_of, most)


# ---------------------------------------------------------------------------- publish
# the one-character abbreviations of the provinces (by the first two digits of the code)
PROVINCE_SHORT = dict(zip(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65".split(),
    "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇藏陕甘青宁新"))


def short_name(scope: Scope) -> str:
    """The issuer's abbreviation in a 文号: a city's first character, a province's 简称, none for the country."""
    if scope.level == "country":
        return ""
    if scope.level == "province":
        return PROVINCE_SHORT.get(scope.code[:2], scope.name[:1])
    return scope.name[:1]


def number_text(scope: Scope, year: int, n: int, pattern: str | None = None) -> str:
    """The 文号 from a pattern ($GENGDI_DOC_NUMBER; {short} {name} {year} {n}), e.g. 焦自然资〔2024〕3号."""
    pattern = pattern or os.environ.get("GENGDI_DOC_NUMBER") or DEFAULT_NUMBER
    short = short_name(scope)
    try:
        return pattern.format(short=short, name=scope.name, year=year, n=n)
    except (KeyError, IndexError, ValueError):
        raise PublishRefused(f"文号格式“{pattern}”无效：可用 {{short}} {{name}} {{year}} {{n}}，"
                             "例如 焦自然资〔{year}〕{n}号") from None


def _new_id(now: dt.datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S-") + os.urandom(3).hex()


def key_sentence(s: Mapping[str, Any], prev: Mapping[str, Any]) -> str:
    """本月要点: the month's changes and the top and bottom three (one sentence pattern)."""
    from .narrative import changes
    from .ranking import in_rank_order

    ranked = [u for u in in_rank_order(s["units"]) if u["composite_rank"] is not None]
    text = changes(s, prev)
    if ranked:
        text += (f"综合排名前三位：{'、'.join(u['name'] for u in ranked[:3])}；"
                 f"后三位：{'、'.join(u['name'] for u in ranked[::-1][:3])}。")
    return text


def publish(data_dir: Path | str, scope: Scope, as_of: dt.date, *, by: str | None = None,
            settings: RankSettings | None = None, thresholds: Mapping | None = None,
            who: str = "", force: bool = False, require_complete: bool = False,
            now: dt.datetime | None = None, render=None) -> tuple[dict[str, Any], bool]:
    """Publish the notice of ``scope`` as of ``as_of``. Returns (the publication, created): an
    identical earlier publication is returned as is unless ``force`` (then a 更正 is issued with
    a new 文号). ``render(notice, pub) -> (pdf, docx)``: the documents (default: the official layout)."""
    from .ingest import demo_cities
    from .notice import build_notice
    from .store import read_meta
    from .store import version as store_version
    from .summary import NoData

    data_dir = Path(data_dir)
    settings = settings or RankSettings.make()
    by = by or scope.child
    srec = settings_record(settings, thresholds)
    key = _key(as_of, scope, by, srec)
    with versions.lock(data_dir):          # no import switches the store while we read it
        same = [p for p in all_publications(data_dir) if p["key"] == key]
        if same and not force:
            return same[0], False
        vid = versions.current_id(data_dir)
        db = pinned_database(data_dir, vid)
        if require_complete:
            from .queries import areas

            missing = missing_reports(data_dir, areas(db), scope, as_of)
            if missing:
                raise PublishRefused("不予发布：" + missing_message(missing, as_of))
        pub_settings, th = settings_of({"settings": srec})
        pub: dict[str, Any] = {
            "month": f"{as_of.year:04d}-{as_of.month:02d}", "as_of": as_of.isoformat(),
            "month_end": as_of == M.month_end(as_of.year, as_of.month),
            "scope": {"level": scope.level, "code": scope.code, "name": scope.name}, "by": by,
            "settings": srec, "key": key, "version_id": vid, "store_version": store_version(data_dir),
        }
        try:
            s, prev = pinned_summaries(data_dir, pub)
        except NoData as e:
            raise PublishRefused(str(e)) from None
        if not s["units"]:
            raise PublishRefused(f"{scope.name}{fmt.month_label(as_of)}没有可排名的单位，不予发布")
        now = (now or dt.datetime.now(TZ)).astimezone(TZ)
        year_pubs = [p for p in all_publications(data_dir)
                     if p["scope"]["code"] == scope.code and p["published_at"][:4] == str(now.year)]
        n = 1 + max((p["seq"] for p in year_pubs), default=0)
        pub.update({
            "id": _new_id(now), "seq": n, "number": number_text(scope, now.year, n),
            "kind": "更正" if same else "通报", "corrects": same[0]["id"] if same else None,
            "published_by": who or "未署名", "published_at": now.isoformat(timespec="seconds"),
        })
        from .queries import areas as _areas

        notice = build_notice(s, prev, th, demo=s["city"]["code"] in demo_cities(read_meta(data_dir)),
                              missing=missing_reports(data_dir, _areas(db), scope, as_of))
        if same:
            notice.title += "（更正）"
        pub["title"] = notice.title
        pub["key_sentence"] = key_sentence(s, prev)
        if render is None:
            from .official import render as render
        pdf, docx = render(notice, pub)
        d = root(data_dir) / pub["id"]
        tmp = root(data_dir) / f".tmp-{pub['id']}"
        tmp.mkdir(parents=True)
        try:
            (tmp / PDF).write_bytes(pdf)
            (tmp / DOCX).write_bytes(docx)
            (tmp / RECORD).write_text(json.dumps(pub, ensure_ascii=False, indent=2), encoding="utf-8")
            os.rename(tmp, d)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return pub, True
