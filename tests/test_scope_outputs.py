"""Outputs off the default path: the notice, the xlsx/csv and the red-warning list at city,
province and national scope, with restricted categories and changed weights; one rounding rule."""
import datetime as dt
import io
import shutil
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from gengdi import export, fmt, views
from gengdi import warnings as W
from gengdi.config import DEFAULT_DATA_DIR
from gengdi.db import Database
from gengdi.notice import MixedSettings, build_notice, notice_pdf
from gengdi.ranking import RankSettings
from gengdi.scope import Scope
from gengdi.summary import build_summary

JUNE, MAY = dt.date(2023, 6, 30), dt.date(2023, 5, 31)
ONLY_PROVINCIAL = RankSettings.make(categories=["省重点"])
HEAVY_PROJECTS = RankSettings.make(weights={"cultivated_rate": 0, "basic_farmland_rate": 0, "projects_rate": 1,
                                            "unsupplied_rate": 0, "idle_rate": 0})


def pair(db, scope, settings, by=None):
    return (build_summary(db, scope, JUNE, settings=settings, by=by),
            build_summary(db, scope, MAY, settings=settings, by=by))


# ---------------------------------------------------------------------------- 1. the notice, same settings
def test_notice_compares_this_and_last_month_under_the_same_restriction():
    db = Database(DEFAULT_DATA_DIR)
    s, prev = pair(db, None, ONLY_PROVINCIAL)
    text = "\n".join(t for _, t in build_notice(s, prev).paragraphs)
    # 省重点 only: 112 projects, 103 guaranteed; last month's 省重点 rate under the same restriction
    change = fmt.pp_change(s["city"]["projects_rate"], prev["city"]["projects_rate"])
    assert change == "较上月提高27.7个百分点"
    assert "以下只计省重点项目" in text and "重点项目112个" in text and change in text
    assert "市重点320" not in text and "三个一批" not in text    # no category outside the restriction
    # under the defaults the change differs: the restricted notice does not borrow it
    d, dprev = pair(db, None, RankSettings.make())
    assert fmt.pp_change(d["city"]["projects_rate"], dprev["city"]["projects_rate"]) not in text
    with pytest.raises(MixedSettings):
        build_notice(s, dprev)


def test_notice_with_changed_weights_ranks_by_them_both_months():
    db = Database(DEFAULT_DATA_DIR)
    s, prev = pair(db, None, HEAVY_PROJECTS)
    n = build_notice(s, prev)
    best = min(s["units"], key=lambda u: (u["composite_rank"], u["code"]))
    assert n.rows[0][1] == best["name"]
    assert any("项目保障率100%" in f for f in n.footnotes)
    with pytest.raises(MixedSettings):
        build_notice(s, build_summary(db, None, MAY))


# ---------------------------------------------------------------------------- 2. scope names
@pytest.mark.parametrize("level,by,whole,noun,total", [
    ("province", None, "全省", "城市", "河南省（全省）"),
    ("country", None, "全国", "省份", "全国"),
    ("country", "unit", "全国", "县区", "全国"),
])
def test_exports_and_notice_name_scope_and_ranked_level(national_store, level, by, whole, noun, total):
    db = Database(national_store)
    scope = Scope.country() if level == "country" else Scope("province", "410000", "河南省")
    s, prev = pair(db, scope, ONLY_PROVINCIAL, by)
    wb = openpyxl.load_workbook(io.BytesIO(export.ranking_workbook(s)))
    ws = wb.active
    assert ws.title == f"{noun}综合排名"
    assert noun in ws.cell(1, 1).value and whole in ws.cell(2, 1).value
    assert ws.cell(3, 3).value == noun
    names = [ws.cell(r, 3).value for r in range(4, ws.max_row + 1)]
    assert total in names and "（全市）" not in "".join(str(x) for x in names)
    notes = " ".join(str(c.value) for c in ws["A"] if isinstance(c.value, str))
    rule = f"{whole}为各{noun}分子之和" if by == "unit" else f"{whole}及各{noun}均为所辖县级单位分子之和"
    assert rule in notes and "全市为" not in notes
    df = export.ranking_frame(s)
    assert list(df.columns)[2] == noun and df[noun].iloc[-1] == total and len(df) == len(s["units"]) + 1
    n = build_notice(s, prev)
    text = "\n".join(t for _, t in n.paragraphs) + "".join(n.footnotes)
    assert f"{whole}重点项目" in text and "全市" not in text and n.headers[1] == noun
    assert "以下只计省重点项目" in text
    assert n.issuer == ("河南省自然资源厅" if level == "province" else "自然资源部")


# ---------------------------------------------------------------------------- 5. names are not keys
def test_red_warnings_with_repeated_names_are_keyed_by_code(national_store):
    db = Database(national_store)
    s = build_summary(db, Scope.country(), JUNE, by="unit")
    gulou = [u for u in s["units"] if u["name"] == "鼓楼区"]
    assert len(gulou) >= 3 and len({u["code"] for u in gulou}) == len(gulou)
    labels = [u["label"] for u in gulou]
    assert len(set(labels)) == len(labels) and all("·鼓楼区" in t for t in labels)
    # make every 鼓楼区 red on 保障率 with a warning line above 100%: each is listed once, by its label
    lines = {ind: (1.01, 1.02) for ind in W.DEFAULT_THRESHOLDS}
    reds = W.red_list(gulou, lines)
    assert {code for code, ind, _ in reds if ind == "projects_rate"} == {u["code"] for u in gulou if u["projects_rate"] is not None}
    few = {**s, "units": gulou}
    shown = views.red_lines(few, lines, most=100)
    for u in gulou:
        if u["projects_rate"] is not None:
            assert any(line.startswith(u["label"] + "：项目保障率") for line in shown)
    # the province: two 新华区 of Henan meet in a ranking of its units
    p = build_summary(db, Scope("province", "410000", "河南省"), JUNE, by="unit")
    xinhua = [u for u in p["units"] if u["name"] == "新华区"]
    assert len(xinhua) == 2 and len({u["label"] for u in xinhua}) == 2
    assert all(u["label"] in views.names(p).values() for u in xinhua)
    # where a name is unique it stays the name: 焦作's JSON does not change
    city = build_summary(db, "410800", JUNE)
    assert not any("label" in u for u in city["units"])


# ---------------------------------------------------------------------------- 6. one rounding rule
ROUNDING = [  # value, how it is printed, decimals of the printed figure → the same string everywhere
    (5 / 32, fmt.pct, "15.63%"),        # Python's f"{x:.2f}" gives 15.62
    (1 / 8, lambda v: fmt.pct(v, 1), "12.5%"),
    (0.0145, fmt.pct, "1.45%"),          # 0.0145 * 100 = 1.4499999999999997 in binary
    (0.00145, fmt.pct, "0.15%"),         # the binary value is 0.001449999…: rounded as written
    (2.675, lambda v: fmt.number(v, 2), "2.68"),
    (1.005, lambda v: fmt.number(v, 2), "1.01"),
    (2.5, fmt.mu, "3亩"),                # half away from zero, not to even
    (-2.5, fmt.signed_mu, "-3亩"),
    (0.125, lambda v: fmt.number(v, 2), "0.13"),
    (87.125, fmt.score, "87.13"),
    (12345, fmt.wan_mu, "1.23万亩"),
    (12350, fmt.wan_mu, "1.24万亩"),
]


@pytest.mark.parametrize("value,printer,expected", ROUNDING)
def test_rounding_table(value, printer, expected):
    assert printer(value) == expected


def _tiny_rate_store(tmp_path):
    """One unit with 5 of 32 projects guaranteed (15.625%) and 1 of 8 parcels' area disposed."""
    from conftest import make_store, parcel, proj
    units = [{"code": "990100", "name": "测试市", "level": "市"},
             {"code": "990101", "name": "甲县", "level": "县级", "parent_code": "990100"},
             {"code": "990102", "name": "乙县", "level": "县级", "parent_code": "990100"}]
    projects = [proj(2023, f"P{i}", "990101", "省重点", dt.date(2023, 3, 1) if i < 5 else None) for i in range(32)]
    projects += [proj(2023, f"Q{i}", "990102", "省重点", dt.date(2023, 3, 1) if i < 1 else None) for i in range(8)]
    parcels = [parcel(2023, "A1", "990101", "批而未供", 8.0, dt.date(2023, 3, 1), 1.0),
               parcel(2023, "A2", "990102", "批而未供", 32.0, dt.date(2023, 3, 1), 5.0)]
    return make_store(tmp_path / "s", units, [], projects, parcels)


def test_rate_prints_the_same_on_page_cli_pdf_and_xlsx(tmp_path):
    store = _tiny_rate_store(tmp_path)
    db = Database(store)
    s = build_summary(db, None, JUNE)
    jia = next(u for u in s["units"] if u["code"] == "990101")
    assert jia["projects_rate"] == 5 / 32
    expected = "15.63%"
    # the page: the ranking table cell and the drill table value
    assert fmt.pct(jia["projects_rate"]) == expected
    df, _ = views.drill_frame(s["units"])
    assert df.loc[df["code"] == "990101", "项目保障率"].iloc[0] == 15.63
    # the CLI table
    r = subprocess.run([sys.executable, "-m", "gengdi", "summary", "--month", "2023-06", "--data", str(store)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert expected in r.stdout and "15.62%" not in r.stdout
    # the xlsx cell holds the rounded value
    ws = openpyxl.load_workbook(io.BytesIO(export.ranking_workbook(s))).active
    headers = [c.value for c in ws[3]]
    row = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "990101")
    cell = row[headers.index("项目保障率")]
    assert cell.value == 0.1563 and cell.number_format == "0.00%"
    # the PDF text
    if shutil.which("pdftotext"):
        n = build_notice(s, build_summary(db, None, MAY))
        out = tmp_path / "n.pdf"
        out.write_bytes(notice_pdf(n))
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert expected in text and "15.62%" not in text
    # the CSV
    csv = pd.read_csv(io.BytesIO(export.csv_bytes(export.ranking_frame(s))), encoding="utf-8-sig", dtype={"行政区划代码": str})
    assert csv.loc[csv["行政区划代码"] == "990101", "项目保障率"].iloc[0] == 0.1563


# ---------------------------------------------------------------------------- the page (AppTest)
@pytest.mark.parametrize("query, scope, whole, noun", [
    ({}, Scope.country(), "全国", "省份"),
    ({"province": "410000"}, Scope("province", "410000", "河南省"), "全省", "城市"),
    ({"province": "410000", "city": "410800"}, Scope("city", "410800", "焦作市"), "全市", "县区"),
])
def test_ranking_page_notice_uses_the_page_settings_at_every_scope(national_store, monkeypatch, query, scope,
                                                                   whole, noun):
    """The notice the ranking page offers, with 省重点 only and 项目保障率 weighted 60: both months under
    those settings, the restriction stated, the scope named — at country, province and city scope."""
    from gengdi.bench import open_app
    from gengdi.ui import notices

    built = []
    real = notices.builder

    def spy(ctx, s, thresholds, settings):
        built.append((real(ctx, s, thresholds, settings), settings))
        return built[-1][0]

    monkeypatch.setattr(notices, "builder", spy)
    monkeypatch.setenv("GENGDI_DATA", str(national_store))
    at = open_app("pages/ranking.py", {"month": "2023年6月"}, timeout=180)
    for key, code in query.items():   # the sidebar's selectors, as a user opens the place
        at.selectbox(key=key).set_value(code).run()
    at.multiselect(key="cats").set_value(["省重点"]).run()
    at.number_input(key="w_proj").set_value(60.0).run()
    assert not at.exception, [e.value for e in at.exception]
    make, settings = built[-1]
    assert settings.categories == ("省重点",) and settings.weight_map["projects_rate"] == 60
    n = make()
    text = "\n".join(t for _, t in n.paragraphs)
    db = Database(national_store)
    s, prev = pair(db, scope, settings)
    assert f"以下只计省重点项目。2023年{whole}重点项目{s['city']['projects_total']}个" in text
    assert fmt.pp_change(s["city"]["projects_rate"], prev["city"]["projects_rate"]) in text
    assert n.headers[1] == noun and any("项目保障率60%" in f or "项目保障率" in f for f in n.footnotes)
