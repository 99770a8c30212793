"""The 通报 page: the pinned link shows the published figures after a changing import, with the
banner; the archive; the 发布 button on the ranking page (admins)."""
from __future__ import annotations


import pytest
from streamlit.testing.v1 import AppTest

from gengdi import fmt
from gengdi import publications as P
from gengdi.config import REPO_ROOT
from gengdi.db import Database
from gengdi.ranking import RankSettings
from gengdi.summary import build_summary
from test_publications import JIAOZUO, SEPT, changing_import, demo_copy, pdf_text

APP = REPO_ROOT / "app.py"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    d = demo_copy(tmp_path_factory.mktemp("pubpage"))
    changing_import(d, 1)
    settings = RankSettings.make({"cultivated_rate": 10, "basic_farmland_rate": 10, "projects_rate": 50,
                                  "unsupplied_rate": 15, "idle_rate": 15})
    pub, _ = P.publish(d, JIAOZUO, SEPT, settings=settings, who="张三")
    changing_import(d, 3, pending=5)
    return d, pub


@pytest.fixture
def env(store, monkeypatch):
    monkeypatch.setenv("GENGDI_DATA", str(store[0]))
    monkeypatch.setenv("GENGDI_OPEN", "1")
    return store


def html_text(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html")) + "\n".join(m.value for m in at.markdown)


def open_pub(pid: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    at.switch_page("pages/publications.py")
    at.query_params[P.PUB_PARAM] = pid
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_pinned_link_shows_the_published_figures_and_the_banner(env):
    d, pub = env
    P._PINNED.clear()   # as in a fresh process: nothing loaded while the version was current
    at = open_pub(pub["id"])
    text = html_text(at)
    assert "2024年9月通报（" in text and "发布）；此后数据有更正" in text and "查看最新" in text
    settings = P.settings_of(pub)[0]
    now = build_summary(Database(d), JIAOZUO, SEPT, settings=settings)
    published_text = pdf_text(P.file_path(d, pub, "pdf"))
    for u in P.pinned_summaries(d, pub)[0]["units"]:
        live = next(x for x in now["units"] if x["code"] == u["code"])
        for key in ("projects_rate", "unsupplied_rate"):
            shown = fmt.pct(u[key])
            assert shown in published_text
            assert f">{shown}<" in text or shown in text
        if u["code"] == "410821":
            assert fmt.pct(live["projects_rate"]) != fmt.pct(u["projects_rate"])
            assert fmt.pct(live["projects_rate"]) not in text.split("gd-ranking-pinned")[1]
            assert f"{u['composite_score']:.2f}" in text and f"{u['composite_score']:.2f}" in published_text


def test_unknown_pub_id_says_so_and_shows_the_archive(env):
    at = open_pub("20990101-000000-abcdef")
    assert any("通报编号不存在" in e.value for e in at.error)
    assert "通报存档" in [s.value for s in at.subheader]


def test_archive_lists_the_publication(env):
    d, pub = env
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("pages/publications.py").run()
    assert not at.exception
    assert pub["title"] in html_text(at) and f"?pub={pub['id']}" in html_text(at)


def test_publish_button_on_the_ranking_page(env, monkeypatch):
    d, _ = env
    monkeypatch.setenv("GENGDI_ADMIN_PASSWORD", "admin-pw-test")     # open mode gives viewers; the admin signs in
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.text_input(key="gd_password").input("admin-pw-test").run()
    at.switch_page("pages/ranking.py").run()
    at.selectbox(key="month").set_value("2024-08").run()
    before = len(P.all_publications(d))
    at.button(key="publish").click().run()
    assert not at.exception, [e.value for e in at.exception]
    pubs = P.all_publications(d)
    assert len(pubs) == before + 1, [e.value for e in at.error] + [w.value for w in at.warning] and pubs[0]["month"] == "2024-08"
    assert any("已发布" in s.value for s in at.success)


def test_hostile_text_is_never_markup(env, tmp_path):
    import json
    import shutil

    d, pub = env
    evil = dict(pub, id=pub["id"][:-6] + "eeeeee", key_sentence="[点我](http://evil.example) <script>x</script> **粗**",
                published_by="<b>张三</b>")
    shutil.copytree(d / "publications" / pub["id"], d / "publications" / evil["id"])
    (d / "publications" / evil["id"] / "publication.json").write_text(json.dumps(evil, ensure_ascii=False))
    try:
        at = open_pub(evil["id"])
        bodies = "\n".join(h.proto.body for h in at.get("html"))
        assert "&lt;script&gt;x" in bodies and "<script>x" not in bodies and "&lt;b&gt;张三" in bodies
        assert "[点我](http://evil.example)" in bodies          # shown as typed, not a link
        assert not any("evil.example" in m.value for m in at.markdown)
    finally:
        shutil.rmtree(d / "publications" / evil["id"])
