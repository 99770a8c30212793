"""The notice as an official document: pdftotext shows 主送, 文号, 落款, 成文日期 and "— N —";
no line starts with 。，、）; no number is split; the table header repeats and the bottom three
stay with a header; the notes are true; the QR code; the DOCX is A4 with styles and page numbers."""
from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gengdi import official as O
from gengdi import publications as P
from gengdi.notice import Notice
from test_publications import JIAOZUO, SEPT, demo_copy

NUMBER = re.compile(r"\d[\d,.]*(?:%|万亩|亩|个百分点)?")


def pages(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    d = demo_copy(tmp_path_factory.mktemp("official"))
    pub, _ = P.publish(d, JIAOZUO, SEPT, who="张三")
    return d, pub, P.file_path(d, pub, "pdf").read_bytes()


def test_official_parts_in_the_text_layer(published):
    d, pub, pdf = published
    ps = pages(pdf)
    text = "\n".join(ps)
    assert "各县（市、区）自然资源局：" in text                       # 主送
    assert re.search(r"焦自然资〔\d{4}〕1号", text) and pub["number"] in text   # 文号
    date = dt.datetime.fromisoformat(pub["published_at"]).date()
    sign = text.index(f"{date.year}年{date.month}月{date.day}日")                 # 成文日期
    assert text.rindex("焦作市自然资源和规划局", 0, sign) > text.index("六、综合排名")   # 落款 after the body
    for i, p in enumerate(ps, 1):                                              # "— 1 —" on every page
        assert re.search(rf"—\s*{i}\s*—", p), (i, p[-80:])
    assert "括号内为单项排名" not in text                                         # the notes are true


def _lines(pdf: bytes) -> list[str]:
    """The text lines of the body (the pages before 附件1: the table's cells are not lines)."""
    ps = pages(pdf)
    end = next(i for i, p in enumerate(ps) if p.lstrip().startswith("附件1"))
    return [x for p in ps[:end] for x in p.splitlines() if x.strip() and not re.fullmatch(r"—\s*\d+\s*—", x.strip())]


def test_no_forbidden_line_start_and_no_split_number(published):
    lines = _lines(published[2])
    assert len(lines) > 60
    for a, b in zip(lines, lines[1:]):
        assert b.strip()[0] not in "。，、）；：%", (a, b)
        assert not (re.search(r"[\d.,]$", a) and re.match(r"[\d.,%亩]", b.strip())), (a, b)


@settings(max_examples=200, deadline=None)
@given(width=st.integers(min_value=8, max_value=40),
       parts=st.lists(st.sampled_from(["全市", "耕地", "（", "）", "，", "。", "、", "89.37%", "17,740亩",
                                       "4.3个百分点", "256.99万亩", "温县", "第10名", "；"]), min_size=1, max_size=60))
def test_break_lines_rules(width, parts):
    text = "".join(parts)
    lines = O.break_lines(text, width, len, 2)
    assert "".join(lines) == text.replace(" ", "")
    for i, line in enumerate(lines):
        if i:
            assert line[0] not in "。，、）；" or len(lines[i - 1]) <= 1 or all(
                c in O.NO_START for c in lines[i - 1]), lines
    joined = "\n".join(lines)
    for m in NUMBER.finditer(text):
        assert m.group(0) in joined.replace("\n", "\n ").split("\n ") or m.group(0) in joined, (m.group(0), lines)
        assert any(m.group(0) in line for line in lines), (m.group(0), lines)


def big_notice(rows: int) -> Notice:
    head = ["排名", "单位", "耕地完成率", "永农完成率", "项目保障率", "批而未供处置率", "闲置处置率", "综合得分", "较上月"]
    body = [[str(i + 1), f"单位{i + 1:03d}", "100.10%", "100.00%", "90.00%", "60.00%", "50.00%", f"{90 - i * 0.5:.2f}", "持平"]
            for i in range(rows)]
    return Notice(title="关于2024年9月耕地保护和用地保障工作情况的通报", issuer="测试市自然资源和规划局",
                  as_of="截至2024年9月30日", paragraphs=[("一、测试", "全市" * 200)], headers=head, rows=body,
                  levels=[[""] * len(head)] * rows, scores=[],
                  footnotes=["注：1. 测试。"])


def test_table_header_repeats_and_bottom_three_stay_with_a_header():
    seen_split = False
    for rows in range(25, 28):
        n = big_notice(rows)
        ps = pages(O.pdf(n))
        i1 = next(i for i, p in enumerate(ps) if p.lstrip().startswith("附件1"))
        i2 = next((i for i, p in enumerate(ps) if p.lstrip().startswith("附件2")), len(ps))
        table = [p for p in ps[i1:i2] if "单位0" in p]
        assert len(table) >= 2
        for p in table:
            assert "综合得" in p and "排名" in p and "较上" in p, p[:200]                 # the header on every page of the table
        last3 = [f"单位{i:03d}" for i in range(rows - 2, rows + 1)]
        holding = [p for p in table if any(u in p for u in last3)]
        assert len(holding) == 1, rows                                        # the bottom three together
        seen_split |= f"单位{rows - 3:03d}" not in holding[0]
    assert seen_split          # for some length the bottom three were moved to a new page with a header


def test_qr_code_only_with_a_public_address(published, monkeypatch):
    d, pub, pdf = published
    n = big_notice(5)
    listed = lambda b: subprocess.run(["pdfimages", "-list", "-"], input=b, capture_output=True).stdout.decode()   # noqa: E731
    assert listed(pdf).count("image") == 0 or "rgb" not in listed(pdf)
    with_qr = O.pdf(n, pub, "https://gd.example.cn/publications?pub=" + pub["id"])
    assert len(listed(with_qr).splitlines()) == 3                            # header lines + one image
    assert len(listed(O.pdf(n, pub, None)).splitlines()) == 2
    assert "扫码查看本通报" in "".join(pages(with_qr))


def test_docx_is_a4_with_styles_table_chart_and_page_numbers(published):
    from docx import Document
    from docx.shared import Mm

    d, pub, _ = published
    doc = Document(io.BytesIO(P.file_path(d, pub, "docx").read_bytes()))
    sec = doc.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(0.5) and abs(sec.page_height - Mm(297)) < Mm(0.5)
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Title", "Heading 1"} <= styles
    assert any(p.text == "六、综合排名" and p.style.name == "Heading 1" for p in doc.paragraphs)
    (table,) = doc.tables
    assert table.rows[0]._tr.xml.count("w:tblHeader") == 1 and len(table.rows) == 12
    assert len(doc.inline_shapes) >= 1                                        # the chart
    footer = sec.footer._element.xml
    assert "PAGE" in footer and "— " in footer
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "各县（市、区）自然资源局：" in text and pub["number"] in text


def test_province_publication(tmp_path):
    from gengdi.scale import write_scale
    from gengdi.scope import Scope

    d = tmp_path / "prov"
    write_scale(d, "province")
    henan = Scope("province", "410000", "河南省")
    pub, _ = P.publish(d, henan, SEPT, who="王五")
    assert pub["number"].startswith("豫自然资〔") and pub["scope"]["level"] == "province"
    text = "\n".join(pages(P.file_path(d, pub, "pdf").read_bytes()))
    assert "各市、县（市、区）自然资源主管部门：" in text and pub["number"] in text
    s, _ = P.pinned_summaries(d, pub)
    assert len(s["units"]) == 18 and all(u["name"] in text for u in s["units"])   # the 18 cities ranked
