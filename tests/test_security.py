"""Issue 19 attacks, each one reproduced: open mode without admin, online guessing, formula and Markdown
injection, bomb files, unbounded input, a read-only data directory."""
import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gengdi import auth
from gengdi.config import DEFAULT_DATA_DIR, REPO_ROOT

APP = REPO_ROOT / "app.py"
WRONG = [f"guess-{i}" for i in range(40)]


def _env(monkeypatch, data=DEFAULT_DATA_DIR, **extra):
    for k in list(os.environ):
        if k.startswith("GENGDI_"):
            monkeypatch.delenv(k)
    monkeypatch.setenv("GENGDI_DATA", str(data))
    for k, v in extra.items():
        monkeypatch.setenv(k, v)


def _fresh_throttle(monkeypatch):
    from gengdi.ui import auth as ui_auth
    monkeypatch.setattr(ui_auth, "_THROTTLE", auth.Throttle())


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [w.value for w in at.warning] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


def _import_page_shown(at: AppTest) -> bool:
    return any("下载台账模板" in str(b.label) for b in at.get("download_button")) or "台账模板" in _texts(at)


# ---------------------------------------------------------------------------- 1. admin needs a credential
@pytest.mark.parametrize("mode", ["open", "demo"])
def test_open_mode_and_demo_store_give_no_admin(monkeypatch, mode):
    """Finding: GENGDI_OPEN=1 (or a demo-only store) made every visitor an admin who could import and roll back."""
    _env(monkeypatch, **({"GENGDI_OPEN": "1"} if mode == "open" else {}))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "当前身份：查看" in _texts(at)
    with pytest.raises(ValueError, match="data_import"):      # the page is not even registered
        at.switch_page("pages/data_import.py")
    assert not _import_page_shown(at)
    assert "没有配置" in _texts(at) and "hash-password" in _texts(at)   # says how to configure an admin


def test_open_mode_admin_signs_in_with_the_admin_password(monkeypatch):
    _env(monkeypatch, GENGDI_OPEN="1", GENGDI_ADMIN_PASSWORD="admin-pw-9")
    _fresh_throttle(monkeypatch)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert "当前身份：查看" in _texts(at)          # looks without signing in
    at.text_input(key="gd_password").input("wrong").run()
    assert "密码不正确" in _texts(at)
    at.text_input(key="gd_password").input("admin-pw-9").run()
    assert "当前身份：管理员" in _texts(at)
    at.switch_page("pages/data_import.py").run()
    assert not at.exception and _import_page_shown(at)


# ---------------------------------------------------------------------------- 2. throttling
class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def _attack(t: auth.Throttle, clock: Clock, clients: list[str], minutes: int, per_second: int = 2,
            success_every: int = 0):
    """Every client guesses `per_second` times a second (from any number of sessions); returns the checked
    guesses per client and per minute."""
    checked: dict[tuple[str, int], int] = {}
    start = clock.t
    n = 0
    while clock.t - start < minutes * 60:
        for c in clients:
            for _ in range(per_second):
                n += 1
                if t.wait_for(c) == 0:
                    minute = int((clock.t - start) // 60)
                    checked[(c, minute)] = checked.get((c, minute), 0) + 1
                    if success_every and n % success_every == 0:
                        t.succeeded(c, auth.VIEWER)     # a viewer who knows the viewer password signs in
                    else:
                        t.failed(c)
        clock.t += 1
    return checked


def test_guessing_rate_is_bounded_per_client_and_in_total():
    clock = Clock()
    t = auth.Throttle(clock=clock)
    checked = _attack(t, clock, ["203.0.113.7"], minutes=30, success_every=7)
    per_minute = [v for (_, m), v in checked.items()]
    assert max(per_minute) <= 10
    assert sum(checked.values()) <= 5 + 30          # 5 free, then waits 30 s, 60 s, … up to 15 min
    clock2 = Clock()
    t2 = auth.Throttle(clock=clock2)
    many = [f"198.51.100.{i}" for i in range(60)]
    checked = _attack(t2, clock2, many, minutes=10)
    totals: dict[int, int] = {}
    for (_, m), v in checked.items():
        totals[m] = totals.get(m, 0) + v
    assert max(totals.values()) <= 30


def test_viewer_success_does_not_clear_the_admin_count():
    clock = Clock()
    t = auth.Throttle(clock=clock)
    for _ in range(5):
        assert t.wait_for("a") == 0
        t.failed("a")
    assert t.wait_for("a") > 0
    t.succeeded("a", auth.VIEWER)
    assert t.wait_for("a") > 0
    clock.t += 31
    assert t.wait_for("a") == 0
    t.failed("a")
    assert 55 <= t.wait_for("a") <= 60                  # doubled: 60 s
    assert t.wait_for("b") == 0                         # someone else signs in normally meanwhile


def test_throttle_table_is_bounded():
    clock = Clock()
    t = auth.Throttle(clock=clock, max_clients=100)
    for i in range(5000):
        t.wait_for(f"10.0.{i // 250}.{i % 250}")
        t.failed(f"10.0.{i // 250}.{i % 250}")
        clock.t += 0.01
    assert len(t) <= 100
    clock.t += 2000
    t.wait_for("x")
    t.failed("x")
    assert len(t) <= 100


def test_client_is_the_peer_unless_a_trusted_proxy_says_otherwise():
    h = {"X-Forwarded-For": "1.2.3.4, 10.0.0.5", "X-Real-IP": "9.9.9.9"}
    assert auth.client_address("203.0.113.9", h, None) == "203.0.113.9"          # not trusted: header ignored
    assert auth.client_address("127.0.0.1", h, None) == "127.0.0.1"
    assert auth.client_address("127.0.0.1", h, "127.0.0.1") == "10.0.0.5"         # nearest untrusted hop
    assert auth.client_address("127.0.0.1", h, "127.0.0.1,10.0.0.0/8") == "1.2.3.4"
    assert auth.client_address("127.0.0.1", {"X-Real-IP": "9.9.9.9"}, "127.0.0.1") == "9.9.9.9"
    assert auth.client_address("127.0.0.1", {"X-Forwarded-For": "junk"}, "127.0.0.1") == "127.0.0.1"
    assert auth.client_address(None, {}, None) == "unknown"


def test_many_sessions_cannot_guess_faster(monkeypatch):
    """Finding: 20 sessions from one client made ~100 guesses a minute and the 30th (the admin password)
    got in after 15 s; a viewer signing in reset the counter. Now the sixth session is refused at once."""
    _env(monkeypatch, GENGDI_VIEWER_PASSWORD="viewer-pw-1", GENGDI_ADMIN_PASSWORD="admin-pw-2")
    _fresh_throttle(monkeypatch)
    sessions = [AppTest.from_file(str(APP), default_timeout=60).run() for _ in range(8)]
    started = time.perf_counter()
    answers = []
    for i, at in enumerate(sessions[:7]):
        if i == 3:
            at.text_input(key="gd_password").input("viewer-pw-1").run()      # a viewer signs in between
            assert "当前身份：查看" in _texts(at)
            continue
        at.text_input(key="gd_password").input(WRONG[i]).run()
        answers.append(_texts(at))
    assert all("密码不正确" in a for a in answers[:5])
    assert "秒后再试" in answers[5]
    at = sessions[7]
    at.text_input(key="gd_password").input("admin-pw-2").run()     # the right password, but refused unchecked
    assert "秒后再试" in _texts(at) and "当前身份" not in _texts(at)
    assert time.perf_counter() - started < 20                       # answered at once: no sleep


# ---------------------------------------------------------------------------- 3. hashes
def test_password_hashes(monkeypatch):
    h = auth.hash_password("s3cret-管理")
    assert h.startswith("$argon2id$") and "s3cret" not in h
    cfg = auth.load_config({"GENGDI_ADMIN_PASSWORD_HASH": h, "GENGDI_VIEWER_PASSWORD": "see"}, {})
    assert auth.check_password(cfg, "s3cret-管理") == auth.ADMIN
    assert auth.check_password(cfg, "see") == auth.VIEWER
    assert auth.check_password(cfg, "s3cret") is None
    cfg = auth.load_config({}, {"gengdi": {"viewer_password_hash": auth.hash_password("v")}})
    assert auth.check_password(cfg, "v") == auth.VIEWER and cfg.admin_secret is None
    with pytest.raises(auth.BadHash):
        auth.load_config({"GENGDI_ADMIN_PASSWORD_HASH": "plain"}, {})


def test_hash_password_command():
    r = subprocess.run([sys.executable, "-m", "gengdi", "hash-password"], input="pw-一二三\npw-一二三\n",
                       capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    line = r.stdout.strip().splitlines()[-1]
    assert line.startswith("$argon2id$")
    assert auth.check_password(auth.load_config({"GENGDI_ADMIN_PASSWORD_HASH": line}, {}), "pw-一二三") == auth.ADMIN
    r = subprocess.run([sys.executable, "-m", "gengdi", "hash-password"], input="a\nb\n",
                       capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert r.returncode != 0 and "不一致" in r.stderr and "Traceback" not in r.stderr


# ---------------------------------------------------------------------------- 4. no live formula
EVIL_UNIT = '=HYPERLINK("http://evil.example/x","点此")'
EVIL_PROJECT = "=1+1"
EVIL_MD = "[点此重新登录](http://evil.example/login) ![t](http://evil.example/t.png)"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """The demo store after importing a ledger whose names are formulas (and one Markdown name)."""
    store = tmp_path_factory.mktemp("hostile") / "store"
    shutil.copytree(DEFAULT_DATA_DIR, store, ignore=shutil.ignore_patterns("versions", "CURRENT", ".import.lock"))
    from gengdi.ingest import import_files
    units = ("行政区划代码,名称,级别,上级代码\n"
             f'410802,"{EVIL_UNIT.replace(chr(34), chr(34) * 2)}",县级,410800\n'
             f"410803,{EVIL_MD},县级,410800\n"
             "410804,@SUM(1),县级,410800\n").encode("utf-8")
    projects = ("项目编号,项目名称,行政区划代码,项目类别,年度,用地面积(亩),用地保障日期\n"
                f"2023-X-1,{EVIL_PROJECT},410802,省重点,2023,10,2023-03-01\n"
                "2023-X-2,+86-1234,410802,市重点,2023,5,\n").encode("utf-8")
    result = import_files(store, [("区划.csv", units), ("项目.csv", projects)], mode="update")   # two rows added
    assert result.ok, [p.message for p in result.problems]
    return store, result


def test_import_lists_a_hint_for_formula_like_names(hostile_store):
    _, result = hostile_store
    hints = [w for w in result.warnings if "公式" in w.reason]
    assert all(w.sheet == "" and w.value for w in hints)
    cells = {(w.file, w.row, w.column) for w in hints}
    assert ("区划.csv", 2, "名称") in cells and ("区划.csv", 4, "名称") in cells
    assert ("项目.csv", 2, "项目名称") in cells and ("项目.csv", 3, "项目名称") in cells


def _no_formula_xlsx(data: bytes, *expect: str) -> None:
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(data))
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    seen.add(c.value)
    for e in expect:
        assert e in seen, e


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _no_formula_csv(text: str, *expect: str) -> None:
    import csv as _csv
    cells = [c for row in _csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_START) and not _number(c)]
    for e in expect:
        assert "'" + e in cells, e


def test_ranking_exports_write_text(hostile_store):
    import datetime as dt
    from gengdi import export
    from gengdi.db import Database
    from gengdi.summary import build_summary
    store, _ = hostile_store
    s = build_summary(Database(store), None, dt.date(2023, 6, 30))
    _no_formula_xlsx(export.ranking_workbook(s), EVIL_UNIT, "@SUM(1)")
    _no_formula_csv(export.csv_bytes(export.ranking_frame(s)).decode("utf-8"), EVIL_UNIT, "@SUM(1)")
    frame = export.ranking_frame(s)
    assert frame["综合得分"].dtype.kind == "f"            # numbers untouched


def test_list_exports_write_text(hostile_store):
    import pandas as pd
    from gengdi import export
    df = pd.DataFrame({"项目名称": [EVIL_PROJECT, "+86-1234", "正常", "\tx", "-1"], "面积": [1.0, -2.0, 3.0, 4.0, 5.0]})
    _no_formula_xlsx(export.table_workbook(df, "清单"), EVIL_PROJECT, "+86-1234")
    text = export.csv_bytes(df).decode("utf-8-sig")
    _no_formula_csv(text, EVIL_PROJECT, "+86-1234", "-1")
    assert "\n'=1+1,1.0" in text and ",-2.0\n" in text      # negative numbers stay numbers


def test_cli_exports_write_text(hostile_store, tmp_path):
    store, _ = hostile_store
    run = lambda *a: subprocess.run([sys.executable, "-m", "gengdi", *a, "--data", str(store)],  # noqa: E731
                                    capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)
    r = run("summary", "--month", "2023-06", "--format", "xlsx", "--out", str(tmp_path / "r.xlsx"))
    assert r.returncode == 0, r.stderr
    _no_formula_xlsx((tmp_path / "r.xlsx").read_bytes(), EVIL_UNIT)
    r = run("summary", "--month", "2023-06", "--format", "csv", "--out", str(tmp_path / "r.csv"))
    assert r.returncode == 0, r.stderr
    _no_formula_csv((tmp_path / "r.csv").read_text(encoding="utf-8-sig"), EVIL_UNIT)
    r = run("export-ledger", "--city", "410800", "--out", str(tmp_path / "l.xlsx"))
    assert r.returncode == 0, r.stderr
    _no_formula_xlsx((tmp_path / "l.xlsx").read_bytes(), EVIL_UNIT, EVIL_PROJECT, "+86-1234", "@SUM(1)")
    r = subprocess.run([sys.executable, "-m", "gengdi", "template", "--out", str(tmp_path / "t.xlsx")],
                       capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    _no_formula_xlsx((tmp_path / "t.xlsx").read_bytes())


def test_exported_ledger_reimports_the_same_names(hostile_store, tmp_path):
    """Round trip: the text cells come back as the same names (no apostrophe added inside the xlsx)."""
    from gengdi.ingest import import_files
    from gengdi.ingest.workbook import export_ledger
    store, _ = hostile_store
    r = import_files(store, [("l.xlsx", export_ledger(store, "410800"))], dry_run=True)
    assert r.ok and not r.changed, [p.message for p in r.problems]


# ---------------------------------------------------------------------------- 5. never markup
def test_md_escapes_every_markup():
    from gengdi.safe import md
    for text in [EVIL_MD, "**粗**", "# 标题", ":red[红]", ":smile:", "<b>x</b>", "$x$", "a\n\n- b", "http://evil.example"]:
        out = md(text)
        assert "\n" not in out
        for ch in "[]()*#:<>$!-":
            assert out.count(ch) == out.count("\\" + ch), (text, out)
    assert md("焦作市（410800）") == "焦作市（410800）"          # Chinese text unchanged
    assert "://" not in md("http://x") and "www." not in md("www.x.cn").lower()


def test_markdown_name_and_link_value_render_as_text_in_chromium(hostile_store):
    """Finding: a unit name `[点此重新登录](http://…) ![t](http://…/t.png)` rendered a phishing link and made every
    viewer's browser fetch an outside image; link values and parameter names were echoed into st.warning."""
    from urllib.parse import quote
    import test_browser as tb
    if tb.CHROMIUM is None:
        pytest.skip("no chromium")
    store, _ = hostile_store
    base, proc = tb.start_server(store, GENGDI_OPEN="1")
    try:
        with tb.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=tb.CHROMIUM, args=tb.ARGS)
            evil_value = quote("[点此](http://evil.example/v) ![i](http://evil.example/v.png)")
            evil_name = quote("![n](http://evil.example/n.png) www.evil.example x@evil.example")
            urls = [f"{base}/map?map_unit={quote(EVIL_MD)}&month=2023年6月",
                    f"{base}/?month={evil_value}&{evil_name}=1",
                    f"{base}/ranking?month=2023年6月&r=x"]
            for url in urls:
                ctx, page, offsite = tb.open_and_check(browser, url, 1400, 900)
                try:
                    page.wait_for_timeout(1500)
                    assert offsite == [], (url, offsite)
                    assert page.locator("a[href*='evil.example'], img[src*='evil.example']").count() == 0, url
                    body = page.inner_text("body").replace("\u2060", "")   # the invisible word joiner
                    assert page.locator("a[href*='mailto'], a[href*='www.evil']").count() == 0, url
                    if "map_unit" in url:
                        assert "[点此重新登录](http://evil.example/login)" in body
                        tb.screenshot(page, "security_markdown_name", 1400)
                    if "evil" in url and "map_unit" not in url:
                        assert "[点此](http://evil.example/v)" in body and "![n](http://evil.example/n.png) www.evil.example x@evil.example" in body
                finally:
                    ctx.close()
            browser.close()
    finally:
        tb.stop_server(proc)


# ---------------------------------------------------------------------------- 6. bounded input
def _bomb(path: Path, gib: float = 1.0) -> Path:
    """A valid-looking .xlsx whose one sheet inflates from ~3.6 MB (at 1 GiB) to `gib` GiB: the same row
    repeated, written in chunks so building it needs little memory."""
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 200 + b"</t></is></c></row>"
    total = int(gib * 2**30)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="区划" sheetId="1" r:id="r1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            chunk = row * (2**20 // len(row))
            written = 0
            while written < total:
                f.write(chunk)
                written += len(chunk)
            f.write(b"</sheetData></worksheet>")
    return path


_MEASURE = """
import resource, sys, time
sys.path.insert(0, {root!r})
from gengdi.ingest import import_files
data = open({bomb!r}, "rb").read()
t = time.perf_counter()
r = import_files({store!r}, [("炸弹.xlsx", data)], dry_run=True)
took = time.perf_counter() - t
# VmHWM: this process's own peak (ru_maxrss also carries the parent's peak across a vfork + exec)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) // 1024
print(took, peak, r.ok, r.problems[0].message if r.problems else "")
"""


def _measure(bomb: Path, store: Path, timeout: float = 120):
    """(seconds, peak MB, ok, first message) of a dry-run import of `bomb` in a fresh process."""
    code = _MEASURE.format(root=str(REPO_ROOT), bomb=str(bomb), store=str(store))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, r.stderr[-2000:]
    took, peak, ok, message = r.stdout.strip().split(" ", 3)
    return float(took), int(peak), ok == "True", message


def test_xlsx_bomb_refused_fast_with_little_memory(tmp_path):
    """Finding: a 3.6 MB file inflating to 1 GiB took 57–60 s and 5.3 GB before the refusal."""
    bomb = _bomb(tmp_path / "炸弹.xlsx")
    assert bomb.stat().st_size < 6 * 2**20
    took, peak, ok, message = _measure(bomb, tmp_path / "store", timeout=30)
    print(f"bomb {bomb.stat().st_size / 2**20:.1f} MB -> 1 GiB: refused in {took:.2f} s, peak {peak} MB")
    assert not ok and "解压" in message and "炸弹.xlsx" in message
    assert took <= 10 and peak <= 500


def test_row_ceiling_and_cell_limit(tmp_path, monkeypatch):
    from gengdi.ingest import import_files
    head = "行政区划代码,名称,级别,上级代码\n"
    monkeypatch.setenv("GENGDI_MAX_ROWS", "1000")
    rows = head + "".join(f"41{i:04d},县{i},县级,410800\n" for i in range(1200))
    t = time.perf_counter()
    r = import_files(tmp_path / "s", [("多.csv", rows.encode())], dry_run=True)
    assert not r.ok and "1,000" in r.problems[0].message and "多.csv" in r.problems[0].message
    assert time.perf_counter() - t < 5
    monkeypatch.delenv("GENGDI_MAX_ROWS")
    long = "长" * 40_000
    r = import_files(tmp_path / "s", [("长.csv", (head + f"410801,{long},县级,410800\n").encode())], dry_run=True)
    assert not r.ok
    p = r.problems[0]
    assert p.file == "长.csv" and p.row == 2 and "32,767" in p.reason


def test_csv_field_errors_are_listed_problems(tmp_path):
    """Finding: one 10 MB cell gave an uncaught _csv.Error traceback."""
    from gengdi.ingest import import_files
    head = "行政区划代码,名称,级别,上级代码\n410801,甲,县级,410800\n"
    huge = head + '410802,"' + "x" * (10 * 2**20) + '",县级,410800\n'
    r = import_files(tmp_path / "s", [("大.csv", huge.encode())], dry_run=True)
    assert not r.ok and r.problems[0].file == "大.csv" and r.problems[0].row == 3
    assert "32,767" in r.problems[0].reason
    r = subprocess.run([sys.executable, "-m", "gengdi", "import", "--dry-run", "--data", str(tmp_path / "s"),
                        str(_write(tmp_path / "大.csv", huge))], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr and "大.csv" in r.stderr


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_upload_size_is_bounded():
    import tomllib
    cfg = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["server"]["maxUploadSize"] == 50


def test_check_in_a_memory_limited_child(tmp_path):
    from gengdi.ingest import sandbox
    assert len(sandbox.run_limited(bytearray, 50 * 2**20, memory=300)) == 50 * 2**20
    with pytest.raises(sandbox.Stopped, match="内存上限"):
        sandbox.run_limited(bytearray, 2000 * 2**20, memory=300)
    head = "行政区划代码,名称,级别,上级代码\n410801,甲,县级,410800\n"
    r = sandbox.check_files(tmp_path / "s", [("a.csv", head.encode())])
    assert not r.ok and "上级代码" in r.problems[0].message           # the real check's answer
    killed = []
    r = sandbox.check_files(DEFAULT_DATA_DIR, [("a.csv", head.encode())],
                            on_start=lambda pid: (os.kill(pid, 9), killed.append(pid)))
    assert killed and not r.ok and "a.csv" in r.problems[0].message and "终止" in r.problems[0].message
    assert "数据未作任何改动" in r.problems[0].message


def test_cli_dry_run_checks_in_the_child(tmp_path):
    big = "行政区划代码,名称,级别,上级代码\n" + "".join(f"41{i:04d},县{'名' * 200},县级,410800\n" for i in range(60_000))
    f = _write(tmp_path / "大.csv", big)
    r = subprocess.run([sys.executable, "-m", "gengdi", "import", "--dry-run", "--data", str(tmp_path / "s"), str(f)],
                       capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
                       env={**os.environ, "GENGDI_IMPORT_MEMORY_MB": "100"})
    assert r.returncode == 1 and "内存上限" in r.stderr and "大.csv" in r.stderr and "Traceback" not in r.stderr


def test_check_child_dies_and_other_sessions_keep_their_page(tmp_path):
    """Finding: the check ran inside the server process; a 3 GiB bomb aborted it and every session with it.
    Now the check's child runs out of its memory limit and ends; the uploader reads why, a viewer in
    another session keeps working and the server stays up."""
    import test_browser as tb
    if tb.CHROMIUM is None:
        pytest.skip("no chromium")
    big = "行政区划代码,名称,级别,上级代码\n" + "".join(f"41{i:04d},县{'名' * 200},县级,410800\n" for i in range(60_000))
    f = _write(tmp_path / "大台账.csv", big)
    base, proc = tb.start_server(DEFAULT_DATA_DIR, GENGDI_ADMIN_PASSWORD=tb.ADMIN_PW, GENGDI_IMPORT_MEMORY_MB="100")
    try:
        with tb.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=tb.CHROMIUM, args=tb.ARGS)
            viewer, vpage, _ = tb.open_and_check(browser, f"{base}/ranking?month=2023年6月", 1400, 900, "综合排名")
            admin, apage, _ = tb.open_import_page(browser, base, 1400, 900)
            apage.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files([str(f)])
            # the check's child ends at its memory limit; the page says so (and that nothing changed)
            apage.get_by_text("内存超过上限", exact=False).first.wait_for(timeout=60_000)
            tb.screenshot(apage, "security_check_child_stopped", 1400)
            assert proc.poll() is None                                     # the server is alive
            vpage.locator("[data-testid=stSidebarNav]").get_by_text("地图").click()
            vpage.get_by_text("着色指标", exact=False).first.wait_for(timeout=30_000)
            assert "Connection" not in vpage.inner_text("body")
            viewer.close()
            admin.close()
            browser.close()
    finally:
        tb.stop_server(proc)


# ---------------------------------------------------------------------------- 7. a data directory the server cannot write
def _unshare_ok() -> bool:
    if shutil.which("unshare") is None:
        return False
    r = subprocess.run(["unshare", "-m", "--propagation", "private", "true"], capture_output=True)
    return r.returncode == 0


def _ro(store: Path, *cmd: str, timeout: float = 120, env=None) -> subprocess.CompletedProcess:
    """Run `cmd` with `store` mounted read-only (a private mount namespace; the real directory stays writable)."""
    script = f'mount --bind "{store}" "{store}" && mount -o remount,bind,ro "{store}" && exec "$@"'
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", *cmd],
                          capture_output=True, text=True, cwd=REPO_ROOT, timeout=timeout, env=env)


@pytest.fixture
def ro_store(tmp_path):
    if not _unshare_ok():
        pytest.skip("needs unshare -m (root in a container) for a read-only mount")
    store = tmp_path / "store"
    shutil.copytree(DEFAULT_DATA_DIR, store, ignore=shutil.ignore_patterns("versions", "CURRENT", ".import.lock"))
    return store


def _snapshot(d: Path) -> dict:
    return {str(p.relative_to(d)): p.stat().st_mtime_ns for p in d.rglob("*")}


def test_read_only_store_import_says_why(ro_store, tmp_path):
    before = _snapshot(ro_store)
    ledger = _write(tmp_path / "区划.csv", "行政区划代码,名称,级别,上级代码\n410802,解放区新名,县级,410800\n")
    for args in (["import", str(ledger)], ["import", "--dry-run", str(ledger)], ["rollback", "20200101-000000-01"]):
        r = _ro(ro_store, sys.executable, "-m", "gengdi", *args, "--data", str(ro_store))
        assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr
        if args[0] == "import":
            assert "不可写" in r.stderr and "只读" in r.stderr, r.stderr
    r = _ro(ro_store, sys.executable, "-m", "gengdi", "summary", "--month", "2023-06", "--data", str(ro_store))
    assert r.returncode == 0 and "焦作市" in r.stdout                # reading still works
    assert _snapshot(ro_store) == before


def test_read_only_store_dashboard_serves(ro_store):
    """The server on a read-only mount: every page answers (AppTest inside the namespace), the admin's import
    check says why it cannot write."""
    code = f"""
import os, sys
sys.path.insert(0, {str(REPO_ROOT)!r})
os.environ.update(GENGDI_DATA={str(ro_store)!r}, GENGDI_ADMIN_PASSWORD="pw")
from streamlit.testing.v1 import AppTest
from gengdi.ingest.sandbox import check_files
for page in ["pages/overview.py", "pages/ranking.py", "pages/map.py"]:
    at = AppTest.from_file({str(APP)!r}, default_timeout=120).run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
r = check_files({str(ro_store)!r}, [("a.csv", "行政区划代码,名称,级别,上级代码\\n410802,新名,县级,410800\\n".encode())])
print("CHECK", r.ok, r.problems[0].message if r.problems else "")
"""
    r = _ro(ro_store, sys.executable, "-c", code, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "CHECK False" in r.stdout and "不可写" in r.stdout


def test_chart_labels_cannot_form_links():
    """Plotly reads <a href> in labels as a clickable link (seen in Chromium): names become literal text."""
    import pandas as pd
    from gengdi import charts
    evil = '<a href="http://evil.example/p">点此</a>'
    figs = [
        charts.rate_bars(pd.DataFrame({"name": [evil, "甲县"], "rate": [0.5, 0.9], "level": ["red", "green"]}),
                         title=f"{evil}保障率"),
        charts.disposal_by_unit(pd.DataFrame({"name": [evil], "disposed_mu": [1.0], "base_mu": [2.0], "rate": [0.5]})),
        charts.disposal_methods(pd.DataFrame({"type": ["批而未供"], "method": [evil], "disposed_mu": [1.0], "parcels": [1]})),
        charts.progress_lines(pd.DataFrame({"x": [1], "series": [evil], "rate": [0.5], "detail": ["1/2"]}),
                              last_year=pd.DataFrame({"x": [1], "series": [evil], "rate": [0.4], "detail": ["1/2"]})),
    ]
    for fig in figs:
        text = fig.to_json()
        assert "<a " not in text and "\\u003ca " not in text.lower(), text[:300]
        assert "&lt;a href" in text
