"""Large list downloads: XlsxWriter in constant-memory mode, read back with openpyxl."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd

from gengdi import export


def _frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "状态": ["未处置"] * n,
        "地块编号": [f"=HYPERLINK(\"http://x\",\"{i}\")" if i == 1 else f"PW-{i:06d}" for i in range(n)],
        "单位": ["@SUM(1)" if i == 2 else "+86-1234" if i == 3 else "鼓楼区" for i in range(n)],
        "批准年度": [2019 + i % 4 for i in range(n)],
        "面积(亩)": [0.125 + i for i in range(n)],           # 0.125 → 0.13 by the one rule (half up)
        "处置日期": ["" if i % 2 else "2024-06-30" for i in range(n)],
        "处置面积(亩)": [None if i % 2 else 2.675 for i in range(n)],   # 2.675 → 2.68 (not the float's 2.67)
    })


def test_large_list_reads_back_as_text_and_rounded_numbers():
    df = _frame(3000)
    data = export.table_workbook(df, "全国2024年处置任务地块（截至2024年9月30日）", "口径：测试",
                                 {"面积(亩)": "#,##0.00", "处置面积(亩)": "#,##0.00"})
    with zipfile.ZipFile(io.BytesIO(data)) as z:     # streamed: inline strings, no shared-string table
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        inline, formulas = sheet.count("inlineStr"), sheet.count("<f>")
    assert inline > 3000 and formulas == 0, (inline, formulas)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == "清单"
    assert ws.cell(1, 1).value == "全国2024年处置任务地块（截至2024年9月30日）"   # the scope in the title
    assert "A1:G1" in {str(r) for r in ws.merged_cells.ranges}
    assert [ws.cell(2, j).value for j in range(1, 8)] == list(df.columns)
    assert ws.freeze_panes == "A3"
    # hostile text stays text, typed as a string
    for row, col, text in [(4, 2, '=HYPERLINK("http://x","1")'), (5, 3, "@SUM(1)"), (6, 3, "+86-1234")]:
        c = ws.cell(row, col)
        assert c.value == text and c.data_type == "s", (row, col, c.value, c.data_type)
    for row in ws.iter_rows(min_row=1):
        for c in row:
            assert c.data_type != "f", c.coordinate
    # numbers: rounded by fmt's rule to what the format shows, with the format
    assert ws.cell(3, 5).value == 0.13 and ws.cell(3, 5).number_format == "#,##0.00"
    assert ws.cell(3, 7).value == 2.68 and ws.cell(4, 7).value is None
    assert ws.cell(3, 4).value == 2019 and isinstance(ws.cell(3, 4).value, int)
    assert ws.cell(3, 6).value == "2024-06-30" and ws.cell(3, 6).data_type == "s"
    assert ws.cell(3000 + 2, 2).value == "PW-002999"
    assert ws.cell(3000 + 4, 1).value == "口径：测试"                  # the footnote below the list
    assert ws.column_dimensions["A"].width >= 6 and ws.column_dimensions["B"].width >= 11


def test_empty_list_still_has_title_and_header():
    df = _frame(0)
    wb = openpyxl.load_workbook(io.BytesIO(export.table_workbook(df, "焦作市2024年重点项目清单", None)))
    ws = wb.active
    assert ws.cell(1, 1).value == "焦作市2024年重点项目清单" and ws.cell(2, 2).value == "地块编号"
    assert ws.max_row == 2


def test_long_list_gets_a_note_before_the_download():
    from streamlit.testing.v1 import AppTest

    def page(total):
        import pandas as pd

        from gengdi.ui.components import list_downloads

        list_downloads(lambda: pd.DataFrame({"a": [1]}), "清单", "清单", key="dl", total=total)

    long = AppTest.from_function(page, args=(150_000,)).run()
    assert not long.exception and any("完整清单共 150,000 行" in c.value for c in long.caption)
    short = AppTest.from_function(page, args=(500,)).run()
    assert not short.exception and not any("完整清单共" in c.value for c in short.caption)
