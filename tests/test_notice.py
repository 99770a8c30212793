"""The monthly notice: PDF (text, every unit, Chinese fonts embedded, a non-blank first page) and Word."""
import datetime as dt
import io
import os
import shutil
import subprocess
import sys

import pytest
from PIL import Image

from gengdi.config import DEFAULT_DATA_DIR
from gengdi.db import Database
from gengdi.notice import build_notice
from gengdi.summary import build_summary

POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm") and shutil.which("pdffonts")
if not POPPLER and os.environ.get("CI"):
    raise RuntimeError("CI 中必须有 poppler-utils（pdftotext、pdftoppm）")


@pytest.fixture(scope="module")
def june():
    db = Database(DEFAULT_DATA_DIR)
    return build_summary(db, None, dt.date(2023, 6, 30)), build_summary(db, None, dt.date(2023, 5, 31))


def test_notice_text_by_hand(june):
    s, prev = june
    n = build_notice(s, prev, demo=True)
    assert n.title == "关于2023年6月耕地保护和用地保障工作情况的通报"
    text = "\n".join(t for _, t in n.paragraphs)
    assert "全市耕地保有量256.99万亩" in text and "马村区（99.40%" in text      # who lags
    assert "保障率91.44%，较上月提高14.3个百分点" in text
    assert "省重点112个、已保障103个（91.96%）" in text
    assert "中站区无闲置土地处置任务" in text
    top = min(s["units"], key=lambda u: u["composite_rank"])["name"]
    assert f"综合排名前三位：{top}" in text
    assert len(n.rows) == 11 and n.rows[0][1] == top
    assert any("示例数据" in f for f in n.footnotes)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("n") / "通报.pdf"
    r = subprocess.run([sys.executable, "-m", "gengdi", "notice", "--month", "2023-06", "--out", str(out),
                        "--data", str(DEFAULT_DATA_DIR)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_pdf_names_every_unit_and_embeds_chinese_fonts(pdf, june):
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "关于2023年6月耕地保护和用地保障工作情况的通报" in text.replace("\n", "")   # the title takes two lines
    for u in june[0]["units"]:
        assert u["name"] in text, u["name"]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes yes " in line for line in cjk)   # embedded and subset


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_pdf_first_page_is_not_blank(pdf, tmp_path):
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    w, h = page.size
    assert abs(w / h - 210 / 297) < 0.01                       # A4 portrait
    dark = sum(page.histogram()[:128])
    assert dark / (w * h) > 0.01                               # text and table drawn, not an empty page


def test_word_notice(june, tmp_path):
    from docx import Document

    out = tmp_path / "通报.docx"
    r = subprocess.run([sys.executable, "-m", "gengdi", "notice", "--month", "2023-06", "--out", str(out),
                        "--data", str(DEFAULT_DATA_DIR)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    doc = Document(io.BytesIO(out.read_bytes()))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "关于2023年6月耕地保护和用地保障工作情况的通报" in body
    names = {row.cells[1].text for row in doc.tables[0].rows[1:]}
    assert names == {u["name"] for u in june[0]["units"]}


def test_notice_bad_output_name(tmp_path):
    r = subprocess.run([sys.executable, "-m", "gengdi", "notice", "--month", "2023-06", "--out", str(tmp_path / "x.txt"),
                        "--data", str(DEFAULT_DATA_DIR)], capture_output=True, text=True)
    assert r.returncode == 2 and ".pdf 或 .docx" in r.stderr
