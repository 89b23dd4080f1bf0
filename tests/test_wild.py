"""Real-world house styles (tests/wild, docs/notes-format.md): each course is built as its
authors wrote it, and the book must be the book they wrote.

Each ``tests/wild/<course>/expected.toml`` holds what a reader must see: the introduction, the
lessons in order with their numbers, labels and headings, the numbers of their questions and
exercises, the heading tree of a lesson, and every warning the build prints (no other).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_tools.diagnostics import Reporter
from build_tools.model import Exercise, Term
from build_tools.notes_parser import parse_book

from .conftest import WildBuild
from .epubcheck import run_epubcheck

REPO = Path(__file__).resolve().parent.parent
_WARNING = re.compile(r"^(?P<file>.+?):(?P<line>\d+): WARNING: .* \[(?P<type>[\w.]+)\]$")
_KANGXI = re.compile("[\u2f00-\u2fd5]")


@pytest.fixture
def built(wild_build: WildBuild) -> WildBuild:
    return wild_build


def _heading_text(tag) -> str:
    return tag.get_text(" ", strip=True).rstrip("¶#").strip()


def test_the_build_prints_exactly_the_expected_warnings(built: WildBuild):
    printed = sorted((m["file"], int(m["line"]), m["type"])
                     for line in built.stderr.splitlines() if (m := _WARNING.match(line)))
    expected = sorted((w["file"], w["line"], w["type"])
                      for w in built.expected.get("warnings", []))
    assert printed == expected, built.stderr
    assert not [line for line in built.stderr.splitlines()
                if line.strip() and not _WARNING.match(line)], built.stderr


def test_lessons_come_in_the_authors_order_with_their_numbers(built: WildBuild):
    index = built.page("index.html")
    pages = [a["href"] for a in index.select("div.toctree-wrapper li.toctree-l1 > a")
             if a["href"].startswith("lessons/")]
    labels = [Path(href).stem for href in pages]
    wanted = [lesson["label"] for lesson in built.expected["lessons"]]
    assert labels == (["intro"] if "intro" in built.expected else []) + wanted
    printed = set()
    for lesson in built.expected["lessons"]:
        title = _heading_text(built.lesson_page(lesson["label"]).select_one("article h1"))
        number, _, heading = title.partition(". ")
        assert heading == lesson["heading"], title
        if lesson["number"]:
            assert number == lesson["number"], title
        assert re.fullmatch(r"\d+[a-z]?", number) and number not in printed, title
        printed.add(number)


def test_the_overview_is_the_introduction_not_a_lesson(built: WildBuild):
    if "intro" not in built.expected:
        pytest.skip("this course has no overview")
    title = _heading_text(built.lesson_page("intro").select_one("article h1"))
    assert not re.match(r"\d+[a-z]?\. ", title), title
    index = built.page("index.html")
    numbered = " ".join(a.get_text(" ", strip=True)
                        for a in index.select("div.toctree-wrapper li.toctree-l1 > a"))
    assert numbered.startswith(title)


def test_questions_and_exercises_carry_the_notes_numbers(built: WildBuild):
    every = []
    for lesson in built.expected["lessons"]:
        page = built.lesson_page(lesson["label"])
        for kind, noun in (("question", "问题"), ("exercise", "练习")):
            shown = [t.select_one(".caption-number").get_text(strip=True)
                     for t in page.select(f".qa-{kind} > .qa-title")]
            number = re.escape(_printed_number(page))
            own = [re.fullmatch(rf"{noun}\s*{number}\.(\S+)", s) for s in shown]
            assert all(own), shown
            assert [m.group(1) for m in own] == lesson[f"{kind}s"], lesson["file"]
            every += shown
    assert len(every) == len(set(every)), "a question or exercise number is printed twice"


def _printed_number(page: BeautifulSoup) -> str:
    return _heading_text(page.select_one("article h1")).split(". ", 1)[0]


def test_every_option_and_every_glossary_term_is_kept(built: WildBuild):
    book = parse_book(built.root / built.expected["notes"], built.root, Reporter())
    for lesson, wanted in zip(book.lessons, built.expected["lessons"], strict=True):
        items = [item for part in lesson.parts for item in part.items]
        options = sum(len(item.options) for item in items if isinstance(item, Exercise))
        assert options == wanted["options"], wanted["file"]
        terms = sum(1 for item in items if isinstance(item, Term))
        assert terms == wanted["terms"], wanted["file"]


def test_headings_keep_the_authors_hierarchy_and_text(built: WildBuild):
    lessons = [lesson for lesson in built.expected["lessons"] if "headings" in lesson]
    if not lessons:
        pytest.skip("no heading trees given for this course")
    for lesson in lessons:
        article = built.lesson_page(lesson["label"]).select_one("article")
        tree = [[int(h.name[1]) - 1, _heading_text(h)]
                for h in article.select("h2, h3, h4, h5, h6")
                if not h.find_parent(class_=re.compile(r"^qa-"))]
        assert tree == lesson["headings"], lesson["file"]


_CODE_IN_NOTE = re.compile(r"^```[^\n]*\n(?:[├└│].*|import .*|def .*|\$ .*|\{)$", re.M)


def test_code_is_set_in_the_mono_face(built: WildBuild):
    """Fences whose first line is a tree, an import, a def, a prompt or a brace are code."""
    notes = built.root / built.expected["notes"]
    in_notes = sum(len(_CODE_IN_NOTE.findall(p.read_text(encoding="utf-8").replace("\r", "")))
                   for p in notes.rglob("*.md"))
    if not in_notes:
        pytest.skip("this course has no code fences")
    code = 0
    for page in (built.out / "html" / "lessons").glob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for block in soup.select("div[class*=highlight-]"):
            first = block.get_text().lstrip("\n").split("\n", 1)[0]
            if re.match(r"[├└│]|import |def |\$ |\{$", first):
                assert "highlight-text" not in block["class"], first
                code += 1
    assert code >= in_notes
    fonts = subprocess.run(["pdffonts", str(next((built.out / "pdf").glob("*.pdf")))],
                           capture_output=True, text=True, encoding="utf-8", check=True).stdout
    assert "Mono" in fonts


def test_no_kangxi_radical_reaches_the_pdf(built: WildBuild):
    text = subprocess.run(["pdftotext", str(next((built.out / "pdf").glob("*.pdf"))), "-"],
                          capture_output=True, text=True, encoding="utf-8", check=True).stdout
    assert not _KANGXI.findall(text)
    assert "使用" in text or "用" in text


def test_the_epub_passes_epubcheck(built: WildBuild):
    report = run_epubcheck(next((built.out / "epub").glob("*.epub")))
    assert report.fatal == 0 and report.errors == 0 and report.warnings == 0, report


def test_check_finds_every_word_in_every_format(built: WildBuild):
    result = subprocess.run(
        [sys.executable, "-m", "build_tools", "check", "--notes",
         str(built.root / built.expected["notes"]), "--root", str(built.root),
         "--out", str(built.out)],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
