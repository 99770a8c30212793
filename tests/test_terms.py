"""One name per concept: the glossary names each term, the pages use the names from gengdi.terms,
and the retired synonyms (末位, 后3, 预警说明, 县区排名 as a page name) are gone from what a user reads."""
import re

import pytest
from streamlit.testing.v1 import AppTest

from gengdi import terms
from gengdi.config import DEFAULT_DATA_DIR, REPO_ROOT

GLOSSARY = REPO_ROOT / "docs" / "术语.md"
# code a user reads: pages, page parts, the 要点 and the outputs (comments and docstrings included —
# a retired word in a docstring is the next one copied into a label)
READ = [*sorted((REPO_ROOT / "pages").glob("*.py")), *sorted((REPO_ROOT / "gengdi" / "ui").glob("*.py")),
        *(REPO_ROOT / "gengdi" / f for f in ("highlights.py", "views.py", "notice.py", "official.py", "export.py",
                                             "publications.py", "linktext.py", "goalseek.py", "loadtest.py"))]


def test_the_glossary_names_every_term_once():
    text = GLOSSARY.read_text(encoding="utf-8")
    for term in (terms.RANKING, terms.TOP, terms.BOTTOM, terms.RED, terms.YELLOW, terms.HIGHLIGHTS, terms.COUNTY):
        assert text.count(f"| **{term}** |") == 1, term
    for retired in terms.RETIRED:
        assert retired in text, f"术语.md 应写明“{retired}”不再使用"
    assert "../" not in text and "spec/" not in text


@pytest.mark.parametrize("path", READ, ids=lambda p: p.name)
def test_no_retired_word_in_what_a_user_reads(path):
    text = path.read_text(encoding="utf-8")
    found = [w for w in terms.RETIRED if w in text]
    assert found == [], f"{path.name} 用了 {found}，应为 {[terms.RETIRED[w] for w in found]}"


def test_the_menu_and_the_page_title_say_the_same():
    app = (REPO_ROOT / "app.py").read_text(encoding="utf-8")
    nav = re.search(r'st\.Page\("pages/ranking\.py", title="([^"]+)"', app).group(1)
    assert nav == terms.RANKING


def test_ranking_and_overview_use_the_terms(monkeypatch):
    monkeypatch.setenv("GENGDI_DATA", str(DEFAULT_DATA_DIR))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90).run()
    at.selectbox(key="month").set_value("2023-06").run()
    heads = [h.value for h in at.subheader]
    assert terms.RANKING + terms.BOTTOM in heads and terms.RED in heads
    at.switch_page("pages/ranking.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == terms.RANKING
    heads = [h.value for h in at.subheader]
    assert terms.TOP in heads and terms.BOTTOM in heads and terms.RED in heads
    assert not {"末位", "前列", "预警说明"} & set(heads)
    assert "2023年6月综合排名" in heads
    html = "".join(str(h.proto.body) for h in at.get("html"))
    assert f"<th>{terms.COUNTY}</th>" in html   # the ranking table's place column
    assert f"<b>{terms.RANKING}{terms.BOTTOM}</b>" in html and "后3" not in html   # the 本月要点 heading


def test_the_glossary_is_at_the_foot_of_the_pages(monkeypatch):
    monkeypatch.setenv("GENGDI_DATA", str(DEFAULT_DATA_DIR))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90).run()
    labels = [e.label for e in at.expander]
    assert "术语说明（项目文档 docs/术语.md）" in labels and "口径说明（项目文档 docs/口径.md）" in labels
    body = " ".join(m.value for m in at.markdown)
    assert "后三位" in body and "末位" in body   # the glossary's table, shown on the page
