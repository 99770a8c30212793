"""The project's own documents on the pages: 口径 (docs/口径.md) at the foot of every data page,
台账格式 (docs/台账格式.md) on the import page. The 口径 lines under the charts link to it."""
from __future__ import annotations

import functools

import streamlit as st

from ..config import REPO_ROOT

DOCS = {"口径": REPO_ROOT / "docs" / "口径.md", "台账格式": REPO_ROOT / "docs" / "台账格式.md",
        "术语": REPO_ROOT / "docs" / "术语.md"}
ANCHOR = "gd-docs"


@functools.cache
def text(name: str) -> str:
    body = DOCS[name].read_text(encoding="utf-8")
    body = body.split("\n", 1)[1] if body.startswith("# ") else body   # the expander names it
    # headings one size down to fit inside an expander (## → ####, ### → #####)
    return "\n".join("##" + line if line.startswith("##") else line for line in body.splitlines())


def expander(name: str, anchor: bool = True) -> None:
    """The document in a closed expander (an in-page anchor above it for the 口径 links)."""
    if anchor:
        st.html(f'<div id="{ANCHOR}"></div>')
    with st.expander(f"{name}说明（项目文档 docs/{name}.md）", icon=":material/menu_book:"):
        st.markdown(text(name))


def footer(page: str) -> None:
    """At the foot of a page: 台账格式 on the import page, 口径 everywhere else."""
    expander("台账格式" if page == "data_import" else "口径")
    if page != "data_import":
        expander("术语", anchor=False)   # one name per concept (docs/术语.md)
