"""The Sphinx extension on a small hand-written test root (tests/roots/test-qa)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup


def _page(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def _title(soup: BeautifulSoup, node_id: str) -> str:
    return soup.find(id=node_id).select_one(".qa-title").get_text(" ", strip=True)


@pytest.mark.sphinx("html", testroot="qa", freshenv=True)
def test_numbers_follow_the_lessons_not_the_toctree(app):
    app.build()
    a, b = _page(app, "lesson-a"), _page(app, "lesson-b")
    assert _title(a, "a-q2").startswith("问题 3.2 什么是")
    # An unnumbered question takes the number after the highest before it.
    assert _title(a, "a-qx").startswith("问题 3.3")
    assert _title(b, "b-q1").startswith("问题 1.1")
    answers = [t.get_text(strip=True) for t in a.select("div.qa-answer .caption-number")]
    assert answers == ["答 3.2", "回复 3.2"]
    assert _title(a, "a-e1").startswith("练习 3.1 选哪个")
    assert "图 3.1" in a.find(id="a-fig").get_text() and "图 1.1" in b.find(id="b-fig").get_text()
    # The lesson's heading and menus show the lesson's number too.
    assert a.select_one("h1 .section-number").get_text() == "3. "


@pytest.mark.sphinx("html", testroot="qa", freshenv=True)
def test_solution_is_folded_and_links_back_to_its_exercise(app):
    app.build()
    solution = _page(app, "lesson-a").find(id="a-e1-sol")
    assert solution.name == "details"
    summary = solution.select_one("summary.qa-title")
    assert summary.get_text(" ", strip=True) == "答案 3.1 回到 练习 3.1"
    assert summary.a["href"] == "#a-e1"


@pytest.mark.sphinx("html", testroot="qa", freshenv=True)
def test_references_show_numbers_and_resolve(app):
    app.build()
    refs = _page(app, "refs")
    links = {a.get_text(strip=True): a["href"] for a in refs.select("p a.reference")}
    assert links["问题 3.2"] == "lesson-a.html#a-q2"
    assert links["图 3.1"] == "lesson-a.html#a-fig"
    assert links["答案 3.1"] == "lesson-a.html#a-e1-sol"
    assert links["问题 1.1"] == "lesson-b.html#b-q1"
    assert links["这里"] == "lesson-a.html#a-qx"


@pytest.mark.sphinx("html", testroot="qa", freshenv=True)
def test_qa_index_lists_every_question_by_lesson(app):
    app.build()
    index = _page(app, "refs")
    lessons = [r.get_text() for r in index.select(".qa-index-lesson")]
    assert lessons == ["第一课", "第三课"]
    entries = [li.get_text(" ", strip=True) for li in index.select("ul.qa-index li")]
    assert entries == ["问题 1.1 第一课的问题", "问题 3.2 什么是注意力？",
                       "问题 3.3 没有编号的问题"]


@pytest.mark.sphinx("html", testroot="qa", freshenv=True)
def test_warnings_are_typed_and_located(app):
    app.build()
    warnings = app.warning.getvalue()
    assert re.search(r"refs\.md:\d+: WARNING: an answer outside any question .*"
                     r"\[qa\.answer_outside_question\]", warnings), warnings


@pytest.mark.sphinx("html", testroot="qa", freshenv=True,
                    confoverrides={"suppress_warnings": ["qa.answer_outside_question"]})
def test_warnings_can_be_suppressed(app):
    app.build()
    assert "answer_outside_question" not in app.warning.getvalue()


@pytest.mark.sphinx("html", testroot="qa", freshenv=True,
                    confoverrides={"qa_numfig_format": {"question": "Q%s"}})
def test_formats_are_configurable(app):
    app.build()
    assert _title(_page(app, "lesson-a"), "a-q2").startswith("Q3.2")


@pytest.mark.sphinx("html", testroot="qa", freshenv=True)
def test_an_unchanged_book_is_not_written_again(app):
    app.build()
    page = app.outdir / "lesson-a.html"
    before = page.stat().st_mtime_ns
    app.build()
    assert page.stat().st_mtime_ns == before
