"""The monthly notice (通报): generated paragraphs, the ranking table and a chart, as PDF and Word.

The text comes from the same summary as every page. The PDF embeds a subset of the system's Noto
CJK fonts (Debian: fonts-noto-cjk), so it prints the same everywhere.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fmt
from . import metrics as M
from . import warnings as W
from .scope import label as place_label
from .scope import words

FONT_DIRS = [Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"),
             Path("/usr/share/fonts/opentype/noto-cjk"), Path("/usr/local/share/fonts")]


class FontMissing(Exception):
    """No Noto CJK font on this machine (message in Chinese)."""


@dataclass
class Notice:
    title: str
    issuer: str
    as_of: str
    paragraphs: list[tuple[str, str]]            # (heading, text)
    headers: list[str]
    rows: list[list[str]]
    levels: list[list[str]]                      # warning level per cell ("" = none)
    scores: list[tuple[str, float]]              # (unit, composite score) best first
    footnotes: list[str] = field(default_factory=list)
    noun: str = "县区"                            # what the table ranks


# ---------------------------------------------------------------------------- text
def _names(units: Sequence[Mapping], key: str, best: bool, n: int = 3) -> list[Mapping]:
    have = [u for u in units if u.get(key) is not None]
    return sorted(have, key=lambda u: (-u[key] if best else u[key], u["code"]))[:n]


def _list(units: Sequence[Mapping], key: str) -> str:
    return "、".join(f"{place_label(u)}（{fmt.pct(u[key])}）" for u in units)


def _change(now: float | None, before: float | None) -> str:
    change = fmt.pp_change(now, before)
    return "" if change is None else "，" + change


def _target_paragraph(units, city, key, area_key, target_key, label, target_label, whole: str, noun: str,
                      change_key=None, change_note: str = "") -> str:
    short = [u for u in units if u[key] is not None and not M.meets_target(u[key])]
    met = [u for u in units if u[key] is not None and M.meets_target(u[key])]
    text = (f"{whole}{label}{fmt.wan_mu(city[area_key])}，{target_label}{fmt.wan_mu(city[target_key])}，"
            f"完成率{fmt.pct(city[key])}")
    if change_key and city.get(change_key) is not None:
        text += f"，较上年{'增加' if city[change_key] >= 0 else '减少'}{fmt.wan_mu(abs(city[change_key]))}{change_note}"
    text += f"。{len(met)}个{noun}完成目标"
    if short:
        text += "；" + "、".join(f"{place_label(u)}（{fmt.pct(u[key])}，缺口{fmt.mu(abs(u[area_key] - u[target_key]))}）"
                                 for u in short) + "未完成，须抓紧整改"
    return text + "。"


def _task_paragraph(s: Mapping[str, Any], scope_word: str = "全市", most: int = 5) -> str | None:
    """时间过半、任务过半: the scope against the time progress on each task, then who lags and what
    each must still do (the sentences of :func:`gengdi.tasks.lag_sentences`), and who has no task.
    None when no task was set for the year."""
    from . import tasks as T

    whole = s["city"].get("tasks") or {}
    if not whole:
        return None
    as_of = dt.date.fromisoformat(s["as_of"])
    parts = [f"截至{fmt.date_label(as_of)}，时间进度为{fmt.pct(s['time_progress'], 1)}。"]
    for ind, fig in whole.items():
        done = fmt.pct(fig["task_rate"], 1)
        gap = T.gap_text(fig, s["time_progress"], "超前", "落后")
        task = fmt.mu(fig["task"]) if fig["unit"] == "亩" else fmt.pct(fig["task"], 1)
        projected = ("" if fig["projected_task_rate"] is None else
                     f"，{T.method_note(fig)}预计年底完成任务的{fmt.pct(fig['projected_task_rate'], 0)}")
        parts.append(f"{scope_word}{T.TITLES[ind]}{task}，任务完成率{done}（较时间进度{gap}）{projected}。")
        behind = T.lagging(s, ind)
        if behind:
            more = f"等{len(behind)}个单位" if len(behind) > most else ""
            parts.append(f"滞后于时间进度的有{'、'.join(n for n, _ in behind[:most])}{more}："
                         + "；".join(T.lag_sentence(n, ind, f, s["time_progress"], with_time=i == 0)
                                    for i, (n, f) in enumerate(behind[:most])) + "。")
        missing = [place_label(u) for u in s["units"] if ind not in (u.get("tasks") or {})]
        if missing:
            parts.append(f"{'、'.join(missing)}未下达{T.TITLES[ind]}。")
    parts.append("请滞后单位对照时间进度倒排工期，确保完成年度任务。")
    return "".join(parts)
class MixedSettings(ValueError):
    """This month's and last month's summaries were not computed with the same settings."""


def _settings(s: Mapping[str, Any]) -> tuple:
    return (s.get("categories"), s.get("weights"), (s.get("scope") or {}).get("by"), s["city"]["code"])


def build_notice(s: Mapping[str, Any], prev: Mapping[str, Any], thresholds=None, demo: bool = False) -> Notice:
    """The notice for the summary ``s`` (``prev``: the previous month's, for the changes — computed
    with the same settings, or MixedSettings is raised). At any scope: it names what it covers
    (全市/全省/全国) and what it ranks (县区/城市/省份)."""
    if _settings(s) != _settings(prev):
        raise MixedSettings("本月与上月的汇总口径（类别、权重或范围）不同，不能比较")
    as_of = dt.date.fromisoformat(s["as_of"])
    city, units = s["city"], s["units"]
    w = words(s)
    pc = prev["city"]
    title = f"关于{as_of.year}年{as_of.month}月{'' if w.level == 'city' else w.name}耕地保护和用地保障工作情况的通报"
    paragraphs = []
    change_note = "" if not city.get("cultivated_change_note") else f"（{city['cultivated_change_note']}）"
    if city["cultivated_mu"] is not None:
        paragraphs.append(("一、耕地保有量", _target_paragraph(
            units, city, "cultivated_rate", "cultivated_mu", "cultivated_target_mu", "耕地保有量", "目标",
            w.whole, w.noun, "cultivated_change_mu", change_note) + f"（{s['data_year']}年度国土变更调查数据）"))
        paragraphs.append(("二、永久基本农田", _target_paragraph(
            units, city, "basic_farmland_rate", "basic_farmland_mu", "basic_farmland_target_mu",
            "永久基本农田", "保护任务", w.whole, w.noun)))
    counted = s.get("categories")
    if city["projects_total"]:
        cats = "；".join(f"{c}{v['total']}个、已保障{v['guaranteed']}个（{fmt.pct(v['rate'])}）"
                        for c, v in city["projects_by_category"].items() if counted is None or c in counted)
        only = "" if counted is None else f"以下只计{'、'.join(counted)}项目。"
        text = (f"{only}{as_of.year}年{w.whole}重点项目{city['projects_total']}个，已保障用地{city['projects_guaranteed']}个，"
                f"保障率{fmt.pct(city['projects_rate'])}{_change(city['projects_rate'], pc['projects_rate'])}。其中{cats}。"
                f"保障率居前的是{_list(_names(units, 'projects_rate', True), 'projects_rate')}；"
                f"居后的是{_list(_names(units, 'projects_rate', False), 'projects_rate')}。")
        paragraphs.append(("三、重点项目用地保障", text))
    for key, base_key, done_key, head, label in (
            ("unsupplied_rate", "unsupplied_mu", "unsupplied_disposed_mu", "四、批而未供土地处置", "批而未供土地"),
            ("idle_rate", "idle_mu", "idle_disposed_mu", "五、闲置土地处置", "闲置土地")):
        if not city[base_key]:
            continue
        none = [place_label(u) for u in units if u[key] is None]
        text = (f"{as_of.year}年{w.whole}任务清单{label}{fmt.mu(city[base_key])}，已处置{fmt.mu(city[done_key])}，"
                f"处置率{fmt.pct(city[key])}{_change(city[key], pc[key])}。"
                f"进度较快的是{_list(_names(units, key, True), key)}；"
                f"较慢的是{_list(_names(units, key, False), key)}。")
        if none:
            text += f"{'、'.join(none)}无{label}处置任务。"
        paragraphs.append((head, text))
    ranked = sorted((u for u in units if u["composite_rank"] is not None), key=lambda u: u["composite_rank"])
    if ranked:
        moves = sorted((u for u in ranked if u["rank_change"]), key=lambda u: -u["rank_change"])
        text = (f"综合排名前三位：{'、'.join(place_label(u) for u in ranked[:3])}；"
                f"后三位：{'、'.join(place_label(u) for u in ranked[::-1][:3])}。")
        if moves and moves[0]["rank_change"] > 0:
            u = moves[0]
            text += f"进步最大的是{place_label(u)}，由第{u['composite_rank'] + u['rank_change']}名升至第{u['composite_rank']}名。"
        text += f"请排名靠后和出现红色预警的{w.noun}分析原因，制定措施，确保按期完成年度任务。"
        paragraphs.append(("六、综合排名", text))

    task_text = _task_paragraph(s, w.whole)
    if task_text:
        paragraphs.append(("七、年度任务与时间进度", task_text))

    headers = ["排名", w.noun, *M.SHORT_NAMES.values(), "综合得分", "较上月"]
    rows, levels = [], []
    for u in ranked + [u for u in units if u["composite_rank"] is None]:
        rows.append([str(u["composite_rank"] or "—"), place_label(u), *(fmt.pct(u[k]) for k in M.INDICATORS),
                     fmt.score(u["composite_score"]), fmt.rank_change(u["rank_change"])])
        levels.append(["", "", *(W.classify(k, u[k], thresholds).level for k in M.INDICATORS), "", ""])
    weights = s.get("weights") or M.normalize_weights(M.DEFAULT_WEIGHTS)
    footnotes = [
        f"注：1. 耕地、永久基本农田取年度国土变更调查数据；{M.RATE_RULES[0]}（红色）。",
        f"2. {M.RATE_RULES[1]}；{M.RATE_RULES[2]}；"
        f"{w.sums_rule}。" + ("" if counted is None else f"保障率只计{'、'.join(counted)}项目（本月、上月相同）。"),
        "3. 综合得分权重：" + M.weights_text(weights, sep="") + "。" + M.COMPOSITE_RULE,
        f"4. {M.ROUNDING_RULE}；口径详见项目文档 docs/口径.md。",
    ]
    if demo:
        footnotes.append("5. 本通报使用示例数据：县级数字为合成数据，仅供演示。")
    return Notice(title=title, issuer=w.issuer, as_of=f"截至{fmt.date_label(as_of)}",
                  paragraphs=paragraphs, headers=headers, rows=rows, levels=levels,
                  scores=[(place_label(u), u["composite_score"]) for u in ranked], footnotes=footnotes, noun=w.noun)


# ---------------------------------------------------------------------------- PDF
def _font(name: str) -> Path:
    for d in FONT_DIRS:
        for f in (d / name,):
            if f.exists():
                return f
    raise FontMissing("找不到中文字体 Noto CJK（Debian 请安装 fonts-noto-cjk），无法生成 PDF 通报")


PDF_FONTS = ("NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc", "NotoSansCJK-Regular.ttc")


def fonts_available() -> None:
    """Raise FontMissing when the PDF's fonts are not installed (cheap: checks the files only)."""
    for name in PDF_FONTS:
        _font(name)


FILL = {level: W.cell_rgb(level) for level in W.CELL}


def notice_pdf(n: Notice) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_margins(18, 18, 18)
    pdf.add_font("serif", "", str(_font("NotoSerifCJK-Regular.ttc")), collection_font_number=2)
    pdf.add_font("serif", "B", str(_font("NotoSerifCJK-Bold.ttc")), collection_font_number=2)
    pdf.add_font("sans", "", str(_font("NotoSansCJK-Regular.ttc")), collection_font_number=2)
    pdf.set_title(n.title)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("serif", "B", 18)
    pdf.multi_cell(width, 10, n.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("serif", "", 11)
    pdf.cell(width, 7, f"{n.issuer}　{n.as_of}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for head, text in n.paragraphs:
        pdf.set_font("serif", "B", 12)
        pdf.cell(width, 8, head, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("serif", "", 11)
        pdf.multi_cell(width, 6.4, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    # the ranking table
    pdf.set_font("serif", "B", 12)
    pdf.cell(width, 9, f"附表：{n.noun}综合排名", new_x="LMARGIN", new_y="NEXT")
    widths = [10, 34, 19, 19, 19, 22, 19, 16, 16]
    scale = width / sum(widths)
    widths = [w * scale for w in widths]
    pdf.set_font("sans", "", 8.5)
    pdf.set_fill_color(232, 239, 230)
    for w, h in zip(widths, n.headers):
        pdf.cell(w, 7, h, border=1, align="C", fill=True)
    pdf.ln()
    for row, lv in zip(n.rows, n.levels):
        for w, v, level in zip(widths, row, lv):
            if level in FILL:
                pdf.set_fill_color(*FILL[level])
            pdf.cell(w, 6.5, v, border=1, align="L" if v == row[1] else "C", fill=level in FILL)
        pdf.ln()
    pdf.set_font("sans", "", 8)
    pdf.cell(width, 6, "底色：红色为预警（耕地、永农未完成目标或低于预警线），黄色为提醒，绿色为正常。",
             new_x="LMARGIN", new_y="NEXT")
    # a chart: composite scores
    if n.scores:
        pdf.ln(3)
        pdf.set_font("serif", "B", 12)
        pdf.cell(width, 9, f"附图：{n.noun}综合得分", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("sans", "", 8.5)
        label_w, bar_h = 38, 5.2
        top = max(s for _, s in n.scores) or 1
        for name, score in n.scores:
            if pdf.get_y() + bar_h + 2 > pdf.h - pdf.b_margin:
                pdf.add_page()
            y = pdf.get_y()
            pdf.set_xy(pdf.l_margin, y)
            pdf.cell(label_w, bar_h, name, align="R")
            bar = (width - label_w - 18) * score / top
            pdf.set_fill_color(31, 95, 168)
            pdf.rect(pdf.l_margin + label_w + 2, y + 0.6, bar, bar_h - 1.2, style="F")
            pdf.set_xy(pdf.l_margin + label_w + 3 + bar, y)
            pdf.cell(16, bar_h, fmt.score(score))
            pdf.set_y(y + bar_h + 1)
    pdf.ln(3)
    pdf.set_font("sans", "", 8)
    for f in n.footnotes:
        pdf.multi_cell(width, 4.6, f, align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# ---------------------------------------------------------------------------- Word
def notice_docx(n: Notice) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(12)
    h = doc.add_paragraph()
    h.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = h.add_run(n.title)
    run.bold = True
    run.font.size = Pt(18)
    sub = doc.add_paragraph(f"{n.issuer}　{n.as_of}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for head, text in n.paragraphs:
        doc.add_paragraph().add_run(head).bold = True
        doc.add_paragraph("　　" + text)
    doc.add_paragraph().add_run(f"附表：{n.noun}综合排名").bold = True
    table = doc.add_table(rows=1, cols=len(n.headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, n.headers):
        cell.text = text
    colours = {level: bg for level, (bg, _) in W.CELL.items()}
    for row, lv in zip(n.rows, n.levels):
        cells = table.add_row().cells
        for cell, text, level in zip(cells, row, lv):
            cell.text = text
            if level in colours:
                shade = OxmlElement("w:shd")
                shade.set(qn("w:val"), "clear")
                shade.set(qn("w:fill"), colours[level])
                cell._tc.get_or_add_tcPr().append(shade)
    for f in n.footnotes:
        p = doc.add_paragraph(f)
        for r in p.runs:
            r.font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
