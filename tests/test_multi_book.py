"""A book of several lessons in two chapters (tests/books/multi): numbers agree everywhere.

Lesson numbers come from the notes (1, 2 and 10, with 10 in a subfolder and after 2), so do
question numbers (lesson 10 skips question 2, on purpose); figures are counted per lesson.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from build_tools.cli import run

from .epubcheck import run_epubcheck

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def built(multi_build: Path) -> Path:
    return multi_build


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _numbers(soup: BeautifulSoup) -> list[str]:
    return [s.get_text(strip=True) for s in soup.select(".caption-number")]


def _lesson_pages(folder: Path, suffix: str) -> dict[str, BeautifulSoup]:
    return {p.stem: _soup(p) for p in sorted(folder.glob(f"*{suffix}"))}


def test_lessons_are_grouped_by_chapter_in_numeric_order(built: Path):
    index = _soup(built / "html" / "index.html")
    captions = [c.get_text(strip=True) for c in index.select("div.toctree-wrapper p.caption")]
    assert captions == ["第一章", "第二章", "附录"]
    lessons = [a.get_text(" ", strip=True)
               for a in index.select("div.toctree-wrapper li.toctree-l1 > a")]
    assert lessons[:3] == ["1. 第一章：大模型入门（第一节课）", "2. 第一章：提示工程（第二节课）",
                           "10. 第二章：微调实践（第十节课）"]


@pytest.mark.parametrize("fmt,suffix", [("html", ".html"), ("epub", ".xhtml")])
def test_every_format_numbers_by_lesson(built: Path, fmt: str, suffix: str):
    pages = _lesson_pages(built / fmt / "lessons", suffix)
    assert _numbers(pages["l01"]) == ["练习 1.1", "练习 1.2", "问题 1.1", "答 1.1", "问题 1.2",
                                      "图 1.1", "答 1.2", "答案 1.1", "答案 1.2"]
    assert _numbers(pages["l02"]) == ["问题 2.1", "答 2.1", "问题 2.2", "答 2.2", "回复 2.2"]
    assert _numbers(pages["l10"]) == ["练习 10.1", "问题 10.1", "答 10.1", "问题 10.3",
                                      "图 10.1", "答 10.3", "答案 10.1"]


def test_exercise_answers_are_folded_into_the_lesson_answer_key(built: Path):
    page = _lesson_pages(built / "html" / "lessons", ".html")["l01"]
    exercise = page.find(id="l01-e01")
    assert "答：B" not in exercise.get_text(), "the answer is not shown with the exercise"
    solution = page.find(id="l01-e01-sol")
    assert solution.name == "details" and "答：B" in solution.get_text()
    assert solution.find_parent("section").find("h2").get_text(strip=True).startswith("习题答案")
    assert exercise.find("a", href="#l01-e01-sol"), "the exercise links to its answer"
    assert solution.summary.find("a", href="#l01-e01"), "the answer links back"


def test_glossary_terms_are_sphinx_glossary_entries(built: Path):
    page = _lesson_pages(built / "html" / "lessons", ".html")["l01"]
    terms = [dt.get_text(" ", strip=True).rstrip("¶#").strip()
             for dt in page.select("dl.glossary dt")]
    assert terms == ["1、Transformer", "2、嵌入向量"]  # the author's numbers kept
    assert page.select_one("dl.glossary dt")["id"].startswith("term-")


def test_qa_index_lists_all_questions_of_all_lessons(built: Path):
    index = _soup(built / "html" / "qa-index.html")
    links = [a.get_text(strip=True) for a in index.select("ul.qa-index a.reference")]
    assert links == ["问题 1.1", "问题 1.2", "问题 2.1", "问题 2.2", "问题 10.1", "问题 10.3"]


@pytest.mark.parametrize("fmt,suffix", [("html", ".html"), ("epub", ".xhtml")])
def test_every_internal_link_reaches_an_existing_anchor(built: Path, fmt: str, suffix: str):
    root = built / fmt
    ids = {p: {tag["id"] for tag in _soup(p).find_all(id=True)} for p in root.rglob(f"*{suffix}")}
    broken, checked = [], 0
    for page in ids:
        for a in _soup(page).select("a.reference.internal[href]"):
            checked += 1
            parts = urlsplit(a["href"])
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target not in ids or (parts.fragment and unquote(parts.fragment) not in ids[target]):
                broken.append(f"{page.relative_to(root)} → {a['href']}")
    assert checked > 20 and not broken


def test_epub_holds_the_lessons_images_and_css(built: Path):
    epub = next((built / "epub").glob("*.epub"))
    names = zipfile.ZipFile(epub).namelist()
    assert sum(n.endswith(".png") and "_images" in n for n in names) == 2
    assert "_static/qa.css" in names and "_static/book.css" in names


def test_epub_with_exercises_and_glossary_passes_epubcheck(built: Path):
    report = run_epubcheck(next((built / "epub").glob("*.epub")))
    assert (report.fatal, report.errors, report.warnings) == (0, 0, 0), str(report)


def test_the_site_offers_the_epub_and_pdf_built_with_it(built: Path):
    links = _soup(built / "html" / "index.html").select("p.book-downloads a")
    assert [a.get_text() for a in links] == ["EPUB 电子书", "PDF（可打印）"]
    for link in links:
        assert (built / "html" / link["href"]).stat().st_size > 1000
    assert not _soup(built / "epub" / "index.xhtml").select("p.book-downloads")


def test_a_term_defined_again_in_a_later_lesson_stays_a_heading(built: Path):
    pages = _lesson_pages(built / "html" / "lessons", ".html")
    assert [dt.get_text(" ", strip=True).rstrip("¶#").strip()
            for dt in pages["l02"].select("dl.glossary dt")] == ["2、思维链"]
    headings = [h.get_text(" ", strip=True) for h in pages["l02"].select("h3")]
    assert any("1、transformer" in h for h in headings)


def test_check_finds_every_word_in_every_format_and_reports_a_loss(built: Path, capsys):
    notes = built.parent / "root" / "notes"
    assert run(["check", "--notes", str(notes), "--root", str(built.parent / "root"),
                "--out", str(built)]) == 0
    table = capsys.readouterr().out
    assert re.search(r"l10\s+pdf\s+(\d+)/\1\s+1/1\s+2/2", table), table
    page = next((built / "html" / "lessons").glob("l02.html"))
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(original.replace("明白了", ""), encoding="utf-8")
        assert run(["check", "--notes", str(notes), "--root", str(built.parent / "root"),
                    "--out", str(built)]) == 1
        err = capsys.readouterr().err
        assert re.search(r"notes/笔记2-第一章第二节课\.md:\d+: html: missing \"明白了", err), err
    finally:
        page.write_text(original, encoding="utf-8")
