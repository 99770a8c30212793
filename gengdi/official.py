"""The notice laid out as a Chinese official document (GB/T 9704 in spirit), PDF and Word.

The content is :class:`gengdi.notice.Notice` (the same text as every page); this module only lays
it out: A4 with the standard margins (上37 下35 左28 右26 mm), the issuer's 版头 and the 文号, a
小标宋-style title, 主送, 仿宋-style body with 2-character first-line indents, headings in 黑体
style, 落款 and 成文日期, then the 附表 (header repeated on every page, the bottom three
highlighted and kept with a header) and the 附图 (bottom three marked), the notes, a QR code of
the pinned link, and "— 1 —" page numbers.

Fonts: the PDF embeds Noto Serif CJK (substitute for 方正小标宋 and 仿宋_GB2312) and Noto Sans
CJK (substitute for 黑体) from Debian's fonts-noto-cjk. The Word file names 方正小标宋简体,
仿宋_GB2312 and 黑体 (Word substitutes what is not installed).

Line breaking follows the Chinese rules: no 。，、）etc. at the start of a line, no （“ at the end,
and no break inside a number or between a number and its unit (%, 亩, 万亩, 个百分点 …).
"""
from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

from . import clock, fmt
from .notice import FILL, Notice, _font

MM_PER_PT = 25.4 / 72
MARGINS = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}     # GB/T 9704 版心 156×225 mm
TITLE_PT, BODY_PT, TABLE_PT, NOTE_PT = 22, 16, 10.5, 10.5               # 二号, 三号, 五号
LINE = 1.75                                                             # body line height / font size
NO_START = set("。，、）；：！？”’》」』】〕…—%‰·.,;:!?)]}")            # 避头
NO_END = set("（“‘《「『【〔([{")                                          # 避尾
TOKEN = re.compile(r"[-+−]?\d[\d,.]*(?:%|‰|万亩|亩|万|个百分点|个|名|次|年|月|日|号)?|[A-Za-z]+|\s+|.", re.S)
HIGHLIGHT = (255, 222, 190)            # the bottom three: rank and name cells
RED = (200, 16, 16)


# ---------------------------------------------------------------------------- line breaking
def tokens(text: str) -> list[str]:
    """Unbreakable pieces: a number with its unit, a Latin word, one CJK character or sign."""
    return TOKEN.findall(text)


def break_lines(text: str, width: float, measure, indent: float = 0.0) -> list[str]:
    """Lines of ``text`` no wider than ``width`` (the first ``indent`` narrower) by the Chinese
    rules: a piece that may not start a line pulls the piece before it down (or hangs when the
    line would be empty); a piece that may not end a line goes down with the next."""
    lines: list[list[str]] = [[]]
    used = indent
    for tok in tokens(text):
        w = measure(tok)
        cur = lines[-1]
        if used + w <= width + 1e-6 or not cur:
            cur.append(tok)
            used += w
            continue
        if tok.isspace():
            continue
        carry: list[str] = []
        if tok[0] in NO_START:
            # pull down the piece before it, and before that while the pulled piece may not start a line
            while len(cur) > 1 and (not carry or carry[0][0] in NO_START):
                carry.insert(0, cur.pop())
            if not carry or carry[0][0] in NO_START:
                cur.extend(carry + [tok])     # nothing can go: hang it rather than break the rule
                used = sum(measure(t) for t in cur)
                continue
        while len(cur) > 1 and cur[-1] and cur[-1][-1] in NO_END:
            carry.insert(0, cur.pop())
        lines.append(carry + [tok])
        used = sum(measure(t) for t in lines[-1])
    return ["".join(line).strip() for line in lines if "".join(line).strip()]


def true_notes(notes: list[str]) -> list[str]:
    """The notes as true of the notice's table: it shows no single-indicator ranks in brackets."""
    return [re.sub(r"括号内为单项排名[^。]*。", "", n) for n in notes]


def bottom_three(n: Notice) -> set[int]:
    """Row indexes of the three last composite ranks."""
    ranked = [(int(r[0]), i) for i, r in enumerate(n.rows) if r[0].isdigit()]
    return {i for _, i in sorted(ranked)[-3:]} if len(ranked) > 3 else set()


def _date_text(pub: Mapping[str, Any] | None) -> str:
    if pub:
        return fmt.date_label(clock.parse(pub["published_at"]).date())
    return fmt.date_label(clock.today())   # 成文日期 is the bureau's date, not the server's (UTC in Docker)


def _qr_png(link: str) -> bytes:
    import segno

    buf = io.BytesIO()
    segno.make(link, error="m").save(buf, kind="png", scale=6, border=2)
    return buf.getvalue()


RECIPIENTS = {"city": "各县（市、区）自然资源局：", "province": "各市、县（市、区）自然资源主管部门：",
              "country": "各省、自治区、直辖市自然资源主管部门："}
INTRO = "现将{as_of}耕地保护和用地保障工作情况通报如下。"


def _level(n: Notice, pub: Mapping[str, Any] | None) -> str:
    """The scope of the notice: from the publication, else from the issuer's name."""
    if pub:
        return pub["scope"]["level"]
    head = n.issuer.removesuffix("自然资源和规划局")
    return "province" if head.endswith(("省", "自治区")) else "country" if head in ("全国", "中国") else "city"


def _recipients(n: Notice, pub: Mapping[str, Any] | None = None) -> str:
    """主送."""
    return RECIPIENTS[_level(n, pub)]


# ---------------------------------------------------------------------------- PDF
def pdf(n: Notice, pub: Mapping[str, Any] | None = None, link: str | None = None) -> bytes:
    from fpdf import FPDF

    class Doc(FPDF):
        def footer(self):
            self.set_y(-MARGINS["bottom"] + 10)
            self.set_font("serif", "", 14)
            self.cell(0, 8, f"— {self.page_no()} —", align="C")

    doc = Doc(format="A4", unit="mm")
    doc.set_margins(MARGINS["left"], MARGINS["top"], MARGINS["right"])
    doc.set_auto_page_break(False)
    doc.add_font("serif", "", str(_font("NotoSerifCJK-Regular.ttc")), collection_font_number=2)
    doc.add_font("serif", "B", str(_font("NotoSerifCJK-Bold.ttc")), collection_font_number=2)
    doc.add_font("sans", "", str(_font("NotoSansCJK-Regular.ttc")), collection_font_number=2)
    doc.add_font("sans", "B", str(_font("NotoSansCJK-Bold.ttc")), collection_font_number=2)
    doc.set_title(n.title)
    doc.set_creator("gengdi")
    width = doc.w - MARGINS["left"] - MARGINS["right"]
    bottom = doc.h - MARGINS["bottom"]
    doc.add_page()

    def para(text: str, family="serif", style="", size=BODY_PT, indent_chars=2.0, align="L", gap=0.0):
        doc.set_font(family, style, size)
        h = size * MM_PER_PT * LINE
        indent = indent_chars * size * MM_PER_PT
        for i, line in enumerate(break_lines(text, width, doc.get_string_width, indent)):
            if doc.get_y() + h > bottom:
                doc.add_page()
            x = MARGINS["left"] + (indent if i == 0 else 0)
            doc.set_x(x)
            doc.cell(width - (x - MARGINS["left"]), h, line, align=align, new_x="LMARGIN", new_y="NEXT")
        doc.ln(gap)

    # 版头: the issuer in red, the 文号, a red rule
    doc.set_text_color(*RED)
    doc.set_font("serif", "B", 26)
    doc.cell(width, 14, f"{n.issuer}文件" if pub else n.issuer, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(0, 0, 0)
    doc.ln(4)
    if pub:
        doc.set_font("serif", "", BODY_PT)
        doc.cell(width, 9, pub["number"], align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_draw_color(*RED)
    doc.set_line_width(0.6)
    doc.line(MARGINS["left"], doc.get_y() + 2, MARGINS["left"] + width, doc.get_y() + 2)
    doc.set_draw_color(0, 0, 0)
    doc.set_line_width(0.2)
    doc.ln(10)
    para(n.title, "serif", "B", TITLE_PT, 0, "C", 4)
    para(_recipients(n, pub), indent_chars=0)
    para(INTRO.format(as_of=n.as_of))
    for head, text in n.paragraphs:
        para(head, "sans", "", BODY_PT)
        para(text)
    para(f"附件：1. {n.noun}综合排名表", indent_chars=2)
    para("2. 综合得分图", indent_chars=5)
    doc.ln(BODY_PT * MM_PER_PT * LINE)
    # 落款 and 成文日期 (right, 成文日期 4 characters from the right edge), the QR code on the left
    need = 3 * BODY_PT * MM_PER_PT * LINE
    if doc.get_y() + need > bottom:
        doc.add_page()
    y = doc.get_y()
    if link:
        doc.image(io.BytesIO(_qr_png(link)), x=MARGINS["left"], y=y - 4, w=26, h=26)
        doc.set_font("sans", "", 8)
        doc.set_xy(MARGINS["left"] + 27, y + 16)
        doc.cell(50, 4, "扫码查看本通报（固定链接）")
        doc.set_xy(MARGINS["left"], y)
    doc.set_font("serif", "", BODY_PT)
    right = 4 * BODY_PT * MM_PER_PT
    date_text = _date_text(pub)
    date_w = doc.get_string_width(date_text)
    issuer_w = doc.get_string_width(n.issuer)
    x_date = MARGINS["left"] + width - right - date_w
    doc.set_xy(x_date + date_w / 2 - issuer_w / 2, y)
    doc.cell(issuer_w, BODY_PT * MM_PER_PT * LINE, n.issuer)
    doc.set_xy(x_date, y + BODY_PT * MM_PER_PT * LINE)
    doc.cell(date_w, BODY_PT * MM_PER_PT * LINE, date_text)

    # 附件1: the table, header on every page, bottom three highlighted and kept with a header
    doc.add_page()
    para("附件1", "sans", "", BODY_PT, 0)
    para(f"{n.noun}综合排名表", "serif", "B", 18, 0, "C", 2)
    widths = [9, 34, 16, 16, 16, 18, 16, 16, 15]
    widths = [w * width / sum(widths) for w in widths[:len(n.headers)]]
    row_h, head_h = 8.0, 10.0
    last3 = bottom_three(n)

    def header():
        doc.set_font("sans", "B", TABLE_PT - 1)
        doc.set_fill_color(232, 239, 230)
        y0, x = doc.get_y(), MARGINS["left"]
        for w, h in zip(widths, n.headers):
            doc.set_xy(x, y0)
            doc.multi_cell(w, head_h / (2 if doc.get_string_width(h) > w - 1 else 1), h, border=1, align="C",
                           fill=True, max_line_height=head_h / 2)
            x += w
        doc.set_xy(MARGINS["left"], y0 + head_h)

    header()
    first_last3 = min(last3) if last3 else None
    for i, (row, lv) in enumerate(zip(n.rows, n.levels)):
        rows_needed = (len(n.rows) - i if i == first_last3 else 1)
        rows_needed = min(rows_needed, 3) if i == first_last3 else 1
        if doc.get_y() + rows_needed * row_h > bottom:
            doc.add_page()
            header()
        for j, (w, v, level) in enumerate(zip(widths, row, lv)):
            doc.set_font("serif", "B" if i in last3 and j < 2 else "", TABLE_PT)   # bold where it fits: rank, name
            fill = None
            if i in last3 and j < 2:
                fill = HIGHLIGHT
            elif level in FILL:
                fill = FILL[level]
            if fill:
                doc.set_fill_color(*fill)
            doc.cell(w, row_h, v, border=1, align="L" if j == 1 else "C", fill=bool(fill))
        doc.ln(row_h)
    doc.ln(2)
    legend = "底色：红色为预警（耕地、永农未完成目标或低于预警线），黄色为提醒，绿色为正常"
    if last3:
        legend += "；排名、单位为橙色底、粗体的是综合排名后三位"
    para(legend + "。", "serif", "", NOTE_PT, 0)
    # the notes, wrapped by the same rules
    for note in true_notes(n.footnotes):
        para(note, "serif", "", NOTE_PT, 0)

    # 附件2: the chart, bottom three marked
    if n.scores:
        doc.add_page()
        para("附件2", "sans", "", BODY_PT, 0)
        para("综合得分图", "serif", "B", 18, 0, "C", 4)
        doc.set_font("serif", "", TABLE_PT)
        label_w, bar_h = 40, 8
        top = max(s for _, s in n.scores) or 1
        names_last3 = {n.rows[i][1] for i in last3}
        for name, score in n.scores:
            if doc.get_y() + bar_h + 2 > bottom:
                doc.add_page()
            y = doc.get_y()
            mark = name in names_last3
            doc.set_xy(MARGINS["left"], y)
            doc.set_font("serif", "B" if mark else "", TABLE_PT)
            doc.cell(label_w, bar_h, name, align="R")
            bar = (width - label_w - 34) * score / top
            doc.set_fill_color(*((214, 92, 40) if mark else (31, 95, 168)))
            doc.rect(MARGINS["left"] + label_w + 2, y + 1.2, bar, bar_h - 2.4, style="F")
            doc.set_xy(MARGINS["left"] + label_w + 3 + bar, y)
            doc.cell(32, bar_h, f"{score:.2f}" + ("（后三位）" if mark else ""))
            doc.set_y(y + bar_h + 1.5)
        doc.ln(2)
        para("注：橙色为综合排名后三位；得分为综合得分（百分制）。", "serif", "", NOTE_PT, 0)
    return bytes(doc.output())


# ---------------------------------------------------------------------------- Word
def chart_png(n: Notice) -> bytes:
    """The 附图 as a PNG (for Word): bars of the composite score, the bottom three in orange."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(_font("NotoSansCJK-Regular.ttc")), 26, index=2)
    rows = len(n.scores)
    w, bar, gap, label = 1400, 40, 16, 300
    img = Image.new("RGB", (w, 40 + rows * (bar + gap)), "white")
    d = ImageDraw.Draw(img)
    top = max(s for _, s in n.scores) or 1
    last3 = {n.rows[i][1] for i in bottom_three(n)}
    for k, (name, score) in enumerate(n.scores):
        y = 20 + k * (bar + gap)
        d.text((label - 12, y + bar / 2), name, fill="black", font=font, anchor="rm")
        length = (w - label - 260) * score / top
        d.rectangle([label, y, label + length, y + bar], fill=(214, 92, 40) if name in last3 else (31, 95, 168))
        d.text((label + length + 10, y + bar / 2), f"{score:.2f}" + ("（后三位）" if name in last3 else ""),
               fill="black", font=font, anchor="lm")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def docx(n: Notice, pub: Mapping[str, Any] | None = None, link: str | None = None) -> bytes:
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])

    def font(style_or_run, name: str, size: float | None = None, bold: bool | None = None):
        f = style_or_run.font
        f.name = name
        el = style_or_run.element
        rpr = el.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), name)
        if size:
            f.size = Pt(size)
        if bold is not None:
            f.bold = bold

    normal = doc.styles["Normal"]
    font(normal, "仿宋_GB2312", BODY_PT)
    normal.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    normal.paragraph_format.line_spacing = Pt(28.9)
    normal.paragraph_format.space_after = Pt(0)
    title = doc.styles["Title"]
    font(title, "方正小标宋简体", TITLE_PT, False)
    title.font.color.rgb = RGBColor(0, 0, 0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    for name in ("Heading 1", "Heading 2"):
        h = doc.styles[name]
        font(h, "黑体", BODY_PT, False)
        h.font.color.rgb = RGBColor(0, 0, 0)
        h.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
        h.paragraph_format.space_before = Pt(0)
        h.paragraph_format.space_after = Pt(0)

    def plain(text: str, align=None, indent: bool = False, size: float | None = None):
        p = doc.add_paragraph()
        if not indent:
            p.paragraph_format.first_line_indent = Pt(0)
        if align is not None:
            p.alignment = align
        r = p.add_run(text)
        if size:
            r.font.size = Pt(size)
        return p, r

    _, r = plain(f"{n.issuer}文件" if pub else n.issuer, WD_ALIGN_PARAGRAPH.CENTER, size=26)
    r.font.color.rgb = RGBColor(*RED)
    r.bold = True
    if pub:
        plain(pub["number"], WD_ALIGN_PARAGRAPH.CENTER)
    doc.add_paragraph(n.title, style="Title")
    plain(_recipients(n, pub))
    doc.add_paragraph(INTRO.format(as_of=n.as_of))
    for head, text in n.paragraphs:
        doc.add_paragraph(head, style="Heading 1")
        doc.add_paragraph(text)
    doc.add_paragraph(f"附件：1. {n.noun}综合排名表")
    doc.add_paragraph("　　　2. 综合得分图")
    doc.add_paragraph()
    if link:
        p, _ = plain("")
        p.add_run().add_picture(io.BytesIO(_qr_png(link)), width=Mm(24))
        p.add_run("  扫码查看本通报（固定链接）").font.size = Pt(9)
    plain(n.issuer + "　" * 4, WD_ALIGN_PARAGRAPH.RIGHT)
    plain(_date_text(pub) + "　" * 4, WD_ALIGN_PARAGRAPH.RIGHT)

    # 附件1: the table on a new page, header repeated, bottom three highlighted
    p, r = plain("")
    r.add_break(WD_BREAK.PAGE)
    doc.add_paragraph("附件1", style="Heading 2").paragraph_format.first_line_indent = Pt(0)
    p, r = plain(f"{n.noun}综合排名表", WD_ALIGN_PARAGRAPH.CENTER, size=18)
    r.bold = True
    table = doc.add_table(rows=1, cols=len(n.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head_row = table.rows[0]
    trpr = head_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    colours = {k: "%02X%02X%02X" % v for k, v in FILL.items()}
    last3 = bottom_three(n)

    def cell_text(cell, text, bold=False, fill=None):
        cell.text = ""
        par = cell.paragraphs[0]
        par.paragraph_format.first_line_indent = Pt(0)
        par.paragraph_format.line_spacing = 1.0
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = par.add_run(text)
        run.font.size = Pt(TABLE_PT)
        run.bold = bold
        if fill:
            shade = OxmlElement("w:shd")
            shade.set(qn("w:val"), "clear")
            shade.set(qn("w:fill"), fill)
            cell._tc.get_or_add_tcPr().append(shade)

    for cell, text in zip(head_row.cells, n.headers):
        cell_text(cell, text, True, "E8EFE6")
    for i, (row, lv) in enumerate(zip(n.rows, n.levels)):
        tr = table.add_row()
        cant = OxmlElement("w:cantSplit")
        tr._tr.get_or_add_trPr().append(cant)
        for j, (cell, text, level) in enumerate(zip(tr.cells, row, lv)):
            fill = "FFDEBE" if i in last3 and j < 2 else colours.get(level)
            cell_text(cell, text, i in last3 and j < 2, fill)
        if last3 and i >= min(last3) - 1 and i < max(last3):
            for par in tr.cells[0].paragraphs:      # keep the bottom three on one page
                par.paragraph_format.keep_with_next = True
    legend = "底色：红色为预警，黄色为提醒，绿色为正常" + ("；排名、单位为橙色底、粗体的是综合排名后三位" if last3 else "") + "。"
    for text in [legend, *true_notes(n.footnotes)]:
        p, r = plain(text, size=NOTE_PT)
        p.paragraph_format.line_spacing = 1.2
    # 附件2: the chart
    if n.scores:
        p, r = plain("")
        r.add_break(WD_BREAK.PAGE)
        doc.add_paragraph("附件2", style="Heading 2").paragraph_format.first_line_indent = Pt(0)
        p, r = plain("综合得分图", WD_ALIGN_PARAGRAPH.CENTER, size=18)
        r.bold = True
        p, _ = plain("", WD_ALIGN_PARAGRAPH.CENTER)
        p.add_run().add_picture(io.BytesIO(chart_png(n)), width=Mm(150))
        plain("注：橙色为综合排名后三位；得分为综合得分（百分制）。", size=NOTE_PT)

    # page numbers "— N —" in the footer
    footer = sec.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    footer.add_run("— ").font.size = Pt(14)
    run = footer.add_run()
    run.font.size = Pt(14)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    footer.add_run(" —").font.size = Pt(14)
    _ = WD_SECTION
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render(n: Notice, pub: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """(PDF, DOCX) of a publication's notice, with its 文号, date and (when the public address is
    set) the QR code of its pinned link."""
    from .publications import public_link

    link = public_link(pub)
    return pdf(n, pub, link), docx(n, pub, link)
