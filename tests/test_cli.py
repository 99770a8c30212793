"""The command line on the committed demo data: the contract of docs/口径.md."""
import json
import subprocess
import sys

import pytest

from gengdi.config import DEFAULT_DATA_DIR, REPO_ROOT

FIELDS = [
    "cultivated_mu", "cultivated_target_mu", "cultivated_rate", "cultivated_change_mu",
    "cultivated_gap_mu", "basic_farmland_mu", "basic_farmland_target_mu", "basic_farmland_rate",
    "projects_total", "projects_guaranteed", "projects_rate", "projects_by_category",
    "unsupplied_mu", "unsupplied_disposed_mu", "unsupplied_rate", "idle_mu", "idle_disposed_mu",
    "idle_rate",
]
RANKED = ["cultivated_rate", "basic_farmland_rate", "projects_rate", "unsupplied_rate", "idle_rate"]


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "gengdi", *args], capture_output=True,
                          text=True, encoding="utf-8", env=env)


@pytest.fixture(scope="module")
def june():
    r = run("summary", "--month", "2023-06", "--format", "json", "--data", str(DEFAULT_DATA_DIR))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_json_has_every_field_of_the_spec(june):
    assert set(june) == {"as_of", "data_year", "city", "units", "time_progress", "pace_tolerance"}
    assert june["time_progress"] == 181 / 365
    assert set(june["city"]) == {"code", "name", *FIELDS, "tasks"}
    task_fields = {"task", "task_rate", "pace_gap", "behind_pace", "projected_year_end", "monthly_needed",
                   "projected_task_rate", "projection_method", "done", "goal", "unit"}
    assert set(june["city"]["tasks"]) == {"unsupplied_rate", "idle_rate", "projects_rate"}
    for u in june["units"]:
        assert set(u) == {"code", "name", *FIELDS, "ranks", "composite_score", "composite_rank", "rank_change", "tasks"}
        for fig in u["tasks"].values():
            assert set(fig) == task_fields
        assert set(u["ranks"]) == set(RANKED)
        for cat in u["projects_by_category"].values():
            assert set(cat) == {"total", "guaranteed", "rate"}


def test_must_show_june(june):
    assert june["as_of"] == "2023-06-30" and june["data_year"] == 2023
    assert len(june["units"]) == 11
    assert "410871" in {u["code"] for u in june["units"]}
    city = june["city"]
    cats = city["projects_by_category"]
    assert (cats["省重点"]["total"], cats["省重点"]["guaranteed"]) == (112, 103)
    assert (cats["市重点"]["total"], cats["市重点"]["guaranteed"]) == (320, 287)
    assert (cats["三个一批"]["total"], cats["三个一批"]["guaranteed"]) == (164, 155)
    assert [round(cats[c]["rate"] * 100, 2) for c in ("省重点", "市重点", "三个一批")] == [91.96, 89.69, 94.51]
    assert city["projects_total"] == 596
    assert round(city["cultivated_mu"] / 10_000, 2) == 256.99
    assert round(city["basic_farmland_mu"] / 10_000, 2) == 230.98


def test_must_show_mid_june():
    r = run("summary", "--month", "2023-06", "--date", "2023-06-15", "--format", "json",
            "--data", str(DEFAULT_DATA_DIR))
    s = json.loads(r.stdout)
    assert s["as_of"] == "2023-06-15"
    assert round(s["city"]["unsupplied_disposed_mu"]) == 8730
    assert round(s["city"]["idle_disposed_mu"]) == 448


def test_demo_looks_like_a_city(june):
    units = {u["name"]: u for u in june["units"]}
    short = [n for n, u in units.items() if u["cultivated_rate"] < 1 or u["basic_farmland_rate"] < 1]
    assert 1 <= len(short) <= 3
    assert any(u["idle_rate"] is None for u in units.values())          # a unit with no 闲置土地
    assert units["武陟县"]["cultivated_mu"] > 50 * units["解放区"]["cultivated_mu"]
    ranks = sorted(u["composite_rank"] for u in units.values())
    assert ranks == list(range(1, 12))
    assert any(u["rank_change"] for u in units.values())


def test_csv_and_table_formats():
    r = run("summary", "--month", "2023-06", "--format", "csv", "--data", str(DEFAULT_DATA_DIR))
    lines = r.stdout.strip().splitlines()
    assert r.returncode == 0 and len(lines) == 12 and lines[0].startswith("code,name,")
    r = run("summary", "--month", "2023-06", "--data", str(DEFAULT_DATA_DIR), "--format", "table")
    assert r.returncode == 0 and "焦作市" in r.stdout and "温县" in r.stdout and "256.99万亩" in r.stdout


@pytest.mark.parametrize("args, words", [
    (["--month", "2023-13"], "月份“2023-13”无效"),
    (["--month", "June"], "月份“June”无效"),
    (["--month", "2023-06", "--date", "2023-07-01"], "不在 --month 2023-06"),
    (["--month", "2023-06", "--date", "2023-06-31"], "日期“2023-06-31”无效"),
    (["--month", "2023-06", "--city", "999999"], "未知的市级行政区划代码 999999"),
    (["--month", "2023-06", "--data", "/nonexistent/gengdi"], "数据目录 /nonexistent/gengdi 不存在"),
    (["--month", "2023-06", "--format", "xml"], "参数错误"),
    ([], "缺少必需的参数"),
])
def test_bad_arguments_get_one_chinese_line(args, words):
    extra = [] if "--data" in args else ["--data", str(DEFAULT_DATA_DIR)]
    r = run("summary", *args, *extra)
    assert r.returncode == 2
    assert words in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_empty_data_directory(tmp_path):
    r = run("summary", "--month", "2023-06", "--data", str(tmp_path))
    assert r.returncode == 2 and "没有数据" in r.stderr and "Traceback" not in r.stderr


def test_bench_never_overwrites_a_store_that_is_not_a_benchmark_store(tmp_path):
    import hashlib
    import shutil

    from gengdi.bench import NotABenchStore, ensure_store

    store = tmp_path / "real"
    shutil.copytree(DEFAULT_DATA_DIR, store, ignore=shutil.ignore_patterns("versions", "CURRENT", ".import.lock"))
    digest = lambda: {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in store.rglob("*") if p.is_file()}  # noqa: E731
    before = digest()
    r = subprocess.run([sys.executable, "-m", "gengdi", "bench", "--scale", "province", "--data", str(store), "--no-pages"],
                       capture_output=True, text=True, cwd=REPO_ROOT)
    assert r.returncode == 2 and "不会覆盖" in r.stderr and r.stdout == ""
    with pytest.raises(NotABenchStore):
        ensure_store("national", store)
    assert digest() == before
    # an empty directory is filled, marked, and then reused as it is
    fresh = tmp_path / "bench"
    path, generated = ensure_store("city", fresh)
    assert generated is not None and json.loads((fresh / "meta.json").read_text())["bench_scale"] == "city"
    assert ensure_store("city", fresh) == (fresh, None)
