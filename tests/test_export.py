"""Exports: the .xlsx from the command line holds the summary JSON's values; CSV has a BOM."""
import io
import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from gengdi import export, fmt
from gengdi.config import DEFAULT_DATA_DIR

HEADER_ROW = 3


def cli(*args):
    r = subprocess.run([sys.executable, "-m", "gengdi", *args, "--data", str(DEFAULT_DATA_DIR)],
                       capture_output=True, text=True, encoding="utf-8")
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def june(tmp_path_factory):
    out = tmp_path_factory.mktemp("x") / "排名.xlsx"
    cli("summary", "--month", "2023-06", "--format", "xlsx", "--out", str(out))
    summary = json.loads(cli("summary", "--month", "2023-06", "--format", "json"))
    return openpyxl.load_workbook(out), summary


def rows(ws):
    headers = [c.value for c in ws[HEADER_ROW]]
    out = []
    for r in ws.iter_rows(min_row=HEADER_ROW + 1):
        if r[1].value is None:
            break
        out.append({h: c for h, c in zip(headers, r)})
    return out


def val(cell):
    return None if cell.value == "—" else cell.value


def test_xlsx_holds_every_unit_with_the_json_values(june):
    wb, s = june
    ws = wb.active
    assert ws.cell(1, 1).value == "焦作市耕地保护和用地保障县区综合排名"
    assert "2023年6月30日" in ws.cell(2, 1).value
    table = rows(ws)
    by_code = {r["行政区划代码"].value: r for r in table}
    assert len(table) == 12 and "410800" in by_code      # 11 units and the city total
    for u in [*s["units"], s["city"]]:
        r = by_code[u["code"]]
        if u["code"] != "410800":
            assert r["综合排名"].value == u["composite_rank"]
            assert val(r["综合得分"]) == fmt.cell_value(u["composite_score"], 2)
            assert val(r["较上月"]) == u["rank_change"]
            assert val(r["保障率排名"]) == u["ranks"]["projects_rate"]
            assert val(r["闲置排名"]) == u["ranks"]["idle_rate"]
        # every cell holds the value rounded by the one rule to what its format shows
        for head, key in (("耕地完成率", "cultivated_rate"), ("永农完成率", "basic_farmland_rate"),
                          ("项目保障率", "projects_rate"), ("批而未供处置率", "unsupplied_rate"), ("闲置处置率", "idle_rate")):
            assert val(r[head]) == fmt.cell_value(u[key], 4)
            assert val(r[head]) == pytest.approx(u[key], abs=0.00005) if u[key] is not None else True
        assert val(r["耕地面积"]) == fmt.cell_value(u["cultivated_mu"], 2, fmt.WAN)
        assert val(r["重点项目(个)"]) == u["projects_total"]
        assert val(r["已保障(个)"]) == u["projects_guaranteed"]
        assert val(r["批而未供已处置(亩)"]) == fmt.cell_value(u["unsupplied_disposed_mu"], 2)


def test_xlsx_formats_fills_and_notes(june):
    wb, s = june
    ws = wb.active
    table = rows(ws)
    assert ws.freeze_panes == "D4"
    r = next(r for r in table if r["县区"].value == "马村区")   # 耕地 below target: red
    assert r["耕地完成率"].number_format == "0.00%"
    assert r["耕地完成率"].fill.fgColor.rgb.endswith("FDE3E1")
    assert r["耕地面积"].number_format == '0.00"万亩"'
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert any(t.startswith("权重：") and "项目保障率 30%" in t for t in texts)
    assert any(t.startswith("口径：") for t in texts)
    assert any("示例数据" in t for t in texts)
    assert ws.column_dimensions["C"].width >= 20   # 焦作城乡一体化示范区 fits


def test_csv_has_a_bom_and_chinese_headers(june, tmp_path):
    _, s = june
    data = export.csv_bytes(export.ranking_frame(s))
    assert data.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"行政区划代码": str})
    assert list(df["县区"])[0] == min(s["units"], key=lambda u: u["composite_rank"])["name"]
    assert len(df) == 12 and list(df["县区"])[-1] == "焦作市（全市）"   # 11 units and the total row
    out = tmp_path / "u.csv"
    cli("summary", "--month", "2023-06", "--format", "csv", "--out", str(out))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_list_workbook():
    df = pd.DataFrame({"项目编号": ["A1", "A2"], "用地面积(亩)": [12.5, None], "状态": ["已保障", "未保障"]})
    wb = openpyxl.load_workbook(io.BytesIO(export.table_workbook(df, "清单", "口径：测试", {"用地面积(亩)": "#,##0.00"})))
    ws = wb.active
    assert ws.cell(1, 1).value == "清单" and ws.cell(2, 2).value == "用地面积(亩)"
    assert ws.cell(3, 2).value == 12.5 and ws.cell(3, 2).number_format == "#,##0.00"
    assert ws.cell(4, 2).value is None and ws.cell(6, 1).value == "口径：测试"
    assert ws.freeze_panes == "A3"
