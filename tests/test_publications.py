"""Publications: recorded once per month/scope/settings, pinned to the store version, 更正 with
--force, the completeness gate, and the pinned figures after a later import."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gengdi import publications as P
from gengdi import versions
from gengdi.config import DEFAULT_DATA_DIR
from gengdi.db import Database
from gengdi.ingest import import_files
from gengdi.ranking import RankSettings
from gengdi.scope import Scope
from gengdi.summary import build_summary

SEPT = dt.date(2024, 9, 30)
JIAOZUO = Scope("city", "410800", "焦作市")
PROJ_H = ["项目编号", "项目名称", "行政区划代码", "项目类别", "年度", "用地面积(亩)", "用地保障日期"]


def demo_copy(tmp: Path) -> Path:
    dst = tmp / "store"
    shutil.copytree(DEFAULT_DATA_DIR, dst, ignore=shutil.ignore_patterns("versions", "CURRENT", ".import.lock",
                                                                           "CURRENT.tmp", "publications"))
    return dst


def csv(rows) -> bytes:
    return ("\n".join(",".join(str(c) for c in r) for r in rows) + "\n").encode("utf-8")


def changing_import(d: Path, n: int = 6, pending: int = 0) -> str:
    """修武县's 2024 project list replaced: n guaranteed in September, ``pending`` not yet."""
    rows = [PROJ_H] + [[f"PUB-{i}", f"补录项目{i}", "410821", "省重点", 2024, 10, "2024-09-10" if i < n else ""]
                       for i in range(n + pending)]
    r = import_files(d, [("修武县补录.csv", csv(rows))], confirm_deletions=True)   # the complete list
    assert r.ok and r.version, [p.message for p in r.problems]
    return r.version


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A demo store, an import (so the publication pins a version folder), the September notice
    published with non-default settings, then an import that changes the figures."""
    d = demo_copy(tmp_path_factory.mktemp("pub"))
    first = changing_import(d, 1)
    settings = RankSettings.make({"cultivated_rate": 10, "basic_farmland_rate": 10, "projects_rate": 50,
                                  "unsupplied_rate": 15, "idle_rate": 15})
    before = build_summary(Database(d), JIAOZUO, SEPT, settings=settings)
    pub, created = P.publish(d, JIAOZUO, SEPT, settings=settings, who="张三")
    assert created
    later = changing_import(d, 3, pending=5)
    return d, pub, before, first, later, settings


def test_record(published):
    d, pub, _, first, _, _ = published
    rec = json.loads((d / "publications" / pub["id"] / "publication.json").read_text(encoding="utf-8"))
    assert rec["version_id"] == first and rec["month"] == "2024-09" and rec["as_of"] == "2024-09-30"
    assert rec["scope"] == {"level": "city", "code": "410800", "name": "焦作市"}
    assert rec["settings"]["weights"]["projects_rate"] == 50 and rec["published_by"] == "张三"
    when = dt.datetime.fromisoformat(rec["published_at"])
    assert when.utcoffset() == dt.timedelta(hours=8)
    assert rec["number"] == f"焦自然资〔{when.year}〕1号" and rec["kind"] == "通报"
    assert P.file_path(d, pub, "pdf").read_bytes()[:5] == b"%PDF-"
    assert P.file_path(d, pub, "docx").read_bytes()[:2] == b"PK"


def test_pinned_figures_after_a_changing_import(published):
    d, pub, before, _, later, _ = published
    assert versions.current_id(d) == later and P.newer_data(d, pub)
    now = build_summary(Database(d), JIAOZUO, SEPT, settings=P.settings_of(pub)[0])
    xiuwu = lambda s: next(u for u in s["units"] if u["code"] == "410821")   # noqa: E731
    assert xiuwu(now)["projects_rate"] != xiuwu(before)["projects_rate"]       # the import changed it
    P._PINNED.clear()   # as in a fresh process: nothing loaded while the version was current
    pinned, _ = P.pinned_summaries(d, pub)
    assert pinned["units"] == before["units"] and pinned["city"] == before["city"]
    text = pdf_text(P.file_path(d, pub, "pdf"))
    from gengdi import fmt
    assert fmt.pct(xiuwu(pinned)["projects_rate"]) in text
    assert fmt.pct(xiuwu(now)["projects_rate"]) not in text
    assert P.banner(pub, True).endswith("发布）；此后数据有更正")
    assert "此后" not in P.banner(pub, False)


def test_idempotent_and_force_issues_a_correction(published):
    d, pub, _, _, _, settings = published
    again, created = P.publish(d, JIAOZUO, SEPT, settings=settings)
    assert not created and again["id"] == pub["id"]
    other, created = P.publish(d, JIAOZUO, SEPT)          # other settings: a publication of its own
    assert created and other["seq"] == 2
    fixed, created = P.publish(d, JIAOZUO, SEPT, settings=settings, force=True)
    assert created and fixed["kind"] == "更正" and fixed["corrects"] == pub["id"] and fixed["seq"] == 3
    assert fixed["title"].endswith("（更正）") and fixed["version_id"] == versions.current_id(d)
    again, created = P.publish(d, JIAOZUO, SEPT, settings=settings)
    assert not created and again["id"] == fixed["id"]


def test_pinned_versions_survive_cleanup(published, tmp_path):
    d, pub, _, first, _, _ = published
    copy = tmp_path / "c"
    shutil.copytree(d, copy)
    (copy / "CURRENT").unlink()   # back on the base: a store whose history no longer leads to the pinned version
    with versions.lock(copy):
        versions.cleanup(copy)
    assert (copy / "versions" / first).is_dir()
    assert P.pinned_summaries(copy, P.get(copy, pub["id"]))[0]["units"]


def test_get_refuses_hostile_ids(published):
    d = published[0]
    for bad in ("../../etc", "x", "", None, "20240101-000000-zzzzzz"):
        assert P.get(d, bad) is None


def test_completeness_gate(tiny_store):
    tiny = Scope("city", "990100", "测试市")
    june = dt.date(2023, 6, 30)
    with pytest.raises(P.PublishRefused) as e:
        P.publish(tiny_store, tiny, june, require_complete=True)
    assert "甲县" in str(e.value) and "乙区" in str(e.value) and "丙县" in str(e.value)
    rows = [PROJ_H, ["T-1", "测试项目", "990101", "省重点", 2023, 5, "2023-06-20"]]
    assert import_files(tiny_store, [("甲县.csv", csv(rows))], mode="update").version
    with pytest.raises(P.PublishRefused) as e:
        P.publish(tiny_store, tiny, june, require_complete=True)
    assert "甲县" not in str(e.value) and "乙区、丙县" in str(e.value)
    r = subprocess.run([sys.executable, "-m", "gengdi", "publish", "--month", "2023-06", "--require-complete",
                        "--data", str(tiny_store)], capture_output=True, text=True)
    assert r.returncode == 2 and "尚未报送：乙区、丙县" in r.stderr and "Traceback" not in r.stderr
    assert not (tiny_store / "publications").exists() or not P.all_publications(tiny_store)


def test_cli_publish_twice_and_refusal(tmp_path):
    d = demo_copy(tmp_path)
    run = lambda *a: subprocess.run([sys.executable, "-m", "gengdi", *a, "--data", str(d)],   # noqa: E731
                                    capture_output=True, text=True)
    r = run("publish", "--month", "2024-09", "--require-complete", "--who", "李四")
    assert r.returncode == 0 and "已发布" in r.stdout and "〔" in r.stdout, r.stderr
    r = run("publish", "--month", "2024-09", "--require-complete")
    assert r.returncode == 0 and "未重复发布" in r.stdout
    assert len(P.all_publications(d)) == 1
    r = run("publish", "--month", "2024-13")
    assert r.returncode == 2 and "月份" in r.stderr and "Traceback" not in r.stderr
    r = run("publications")
    assert "李四" in r.stdout


def test_rollback_of_the_pinned_import_keeps_the_publication(published, tmp_path):
    from gengdi.ingest import rollback

    d0, pub, before, first, _, _ = published
    d = tmp_path / "r"
    shutil.copytree(d0, d)
    rollback(d, first)                       # undo the import the publication was computed on
    assert (d / "versions" / first).is_dir() and P.newer_data(d, pub)
    P._PINNED.clear()
    pinned, _ = P.pinned_summaries(d, pub)
    assert pinned["units"] == before["units"]
