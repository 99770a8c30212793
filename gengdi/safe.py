"""Hostile text: values from a ledger, a link or a form are data, never markup and never a formula.

One definition of each rule, used everywhere:
- ``md``: a value that reaches Markdown (``st.markdown``, ``st.warning``, a subheader, a widget label or
  help) is shown literally: every ASCII punctuation character is backslash-escaped (CommonMark allows
  that for all of them), so no link, image, emphasis, heading, HTML, ``:color[]`` directive, emoji
  shortcode, math or bare-URL autolink can form; line breaks become spaces.
- ``plot``: a value that becomes a plotly label (axis category, legend, hover, title) cannot form a tag.
- ``looks_like_formula`` / ``csv_cell``: a text that Excel or LibreOffice would take for a formula when it
  starts a cell (``= + - @``, TAB, CR — the OWASP list) is written to CSV with a leading ``'``; in .xlsx
  the cell is typed as a string instead (see ``export.put``), so the text itself is unchanged.
"""
from __future__ import annotations

import re
import string
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MD = re.compile("([" + re.escape(string.punctuation) + "])")
_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# GFM turns bare URLs, www. names and e-mail addresses into links even when their punctuation is escaped:
# an invisible WORD JOINER (U+2060) inside each keeps them plain text and looks the same
_WJ = "\u2060"
_AUTOLINK = re.compile(r"(:)(//)|(?i:(www))(\.)|(@)")


def _join(m: re.Match) -> str:
    if m.group(5):
        return _WJ + "@"
    return (m.group(1) or m.group(3)) + _WJ + (m.group(2) or m.group(4))


def md(value: Any) -> str:
    """``value`` as Markdown that renders exactly as the text."""
    text = _AUTOLINK.sub(_join, _BREAKS.sub(" ", str(value)))
    return _MD.sub(r"\\\1", text)


def plot(value: Any) -> str:
    """A label for a plotly chart (axis category, series name, title). Plotly reads a small HTML subset in
    labels — ``<a href>`` becomes a clickable link — and shows ``&lt;``/``&gt;``/``&amp;`` as the characters,
    so escaping those three keeps the text literal."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value: Any) -> Any:
    """A CSV cell: text that would start a formula gets a leading apostrophe; numbers are untouched."""
    return "'" + value if looks_like_formula(value) else value
