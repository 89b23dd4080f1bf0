"""End to end: the seed book through the print builder and WeasyPrint, read back with poppler."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from build_tools.pdf import ConfinedFetcher, render_pdf
from build_tools.print_manifest import BookFacts, Manifest, PrintedDocument, PrintImage

from .golden import check_golden, pdf_facts

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def seed_pdf(seed_build: Path) -> Path:
    return seed_build / "pdf" / "llm-course-notes.pdf"


def test_pdf_embeds_simplified_chinese_fonts_and_no_type3(seed_pdf: Path):
    fonts = subprocess.run(["pdffonts", str(seed_pdf)], capture_output=True, text=True,
                           encoding="utf-8", check=True).stdout.splitlines()[2:]
    assert fonts
    embedded = [line.split()[-5] for line in fonts]  # columns: … emb sub uni object ID
    assert embedded == ["yes"] * len(fonts)
    assert not any("Type 3" in line for line in fonts)
    assert any("CJK-SC" in line or "CJK SC" in line for line in fonts)


def test_pdf_text_holds_every_question_and_figure_caption(seed_pdf: Path):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(seed_pdf), "-"],
                          capture_output=True, text=True, encoding="utf-8", check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for words in ("SFTfine-tuninginstructionturing什么区别", "思维链，是指提示词提问时的思维链",
                  "请教一个小小问题", "问题2.4", "图2.1", "图2.2"):
        assert words in flat


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/x.png",
                                 "file:///dev/zero"])
def test_fetcher_refuses_what_is_not_a_file_of_the_book(url: str, tmp_path: Path):
    with pytest.raises(ValueError):
        ConfinedFetcher([tmp_path]).fetch(url)


def test_fetcher_refuses_a_symlink_out_of_the_book(tmp_path: Path):
    (tmp_path / "book").mkdir()
    link = tmp_path / "book" / "secret.png"
    link.symlink_to("/etc/passwd")
    with pytest.raises(ValueError):
        ConfinedFetcher([tmp_path / "book"]).fetch(link.as_uri())


def test_refused_and_missing_resources_become_located_warnings(tmp_path: Path):
    page = tmp_path / "print" / "print.json"
    page.parent.mkdir()
    images = [PrintImage(f'<img src="{src}" alt="{alt}">', src, alt) for src, alt in (
        ("file:///etc/passwd", "秘密"), ("http://127.0.0.1:9/a.png", ""),
        ("_images/missing.png", "缺失"))]
    lesson = PrintedDocument("lessons/x", "lesson", "x", "1. 课", "1", '<section id="x">'
                             f'<p>正文</p>{"".join(image.tag for image in images)}</section>',
                             ("x",), "正文")
    page.write_text(Manifest(BookFacts("书"), (), "", (lesson,), tuple(images)).to_json(),
                    encoding="utf-8")
    result = render_pdf(page, tmp_path / "pdf", allowed=[page.parent])
    printed = [str(problem) for problem in result.problems]
    problems = "\n".join(printed)
    assert problems.count("[pdf.") >= 3, problems
    assert all(re.match(r"\S+: WARNING: .* \[pdf\.\w+\]$", p) for p in printed)
    text = subprocess.run(["pdftotext", str(result.pdf), "-"], capture_output=True, text=True,
                          encoding="utf-8").stdout
    assert "root:" not in text and "正文" in text


def test_right_hand_pages_after_a_lessons_first_carry_its_title(seed_pdf: Path):
    """The lesson's first page has no head; its later right-hand pages its title; its left
    pages the book's title."""
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(seed_pdf), "-"],
                          capture_output=True, text=True, encoding="utf-8", check=True).stdout
    pages = text.split("\f")[:-1]
    first = next(i for i, page in enumerate(pages)
                 if page.lstrip().startswith("2. 第一章：大模型基础"))
    heads = [next((line.strip() for line in page.splitlines() if line.strip()), "")
             for page in pages[first + 1:first + 3]]
    assert heads[0] == "大模型课程笔记"
    assert heads[1].startswith("2. 第一章：大模型基础--理论与技术的演进"), heads


def test_the_seed_book_matches_its_golden_file(seed_pdf: Path):
    """Page texts and numbers, bookmarks and links as tests/golden/seed.json records them
    (tests/golden.py: how to regenerate it after a deliberate change of the layout)."""
    check_golden("seed", pdf_facts(seed_pdf))
