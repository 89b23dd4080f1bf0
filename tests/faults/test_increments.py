"""Incremental builds that must not go stale: each builder keeps its own environment, and the
pages that show other pages' titles (navigation, the Q&A index) are written again when those
change."""

from __future__ import annotations

import zipfile
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image

from .conftest import _build

NOTE1 = "笔记1-第一章第一节课.md"
NOTE2 = "笔记2-第一章第二节课.md"


def _edit(work: Path, note: str, old: str, new: str) -> None:
    path = work / "root" / "notes" / note
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_an_images_new_pixels_reach_the_site_the_epub_and_the_pdf(work: Path):
    image = work / "root" / "resource" / "权重.png"
    Image.new("RGB", (30, 20), (10, 200, 30)).save(image)
    result = _build(work)
    assert result.returncode == 0, result.stderr
    published = list((work / "out" / "html" / "_images").glob("l01-q02-fig1*"))
    assert [p.read_bytes() for p in published] == [image.read_bytes()]
    with zipfile.ZipFile(next((work / "out" / "epub").glob("*.epub"))) as epub:
        names = [n for n in epub.namelist() if "l01-q02-fig1" in n]
        assert [epub.read(n) for n in names] == [image.read_bytes()]


def test_a_changed_question_title_reaches_the_qa_index(work: Path):
    _edit(work, NOTE2, "提示词越长越好吗？", "提示词是不是越短越好？")
    result = _build(work)
    assert result.returncode == 0, result.stderr
    index = _soup(work / "out" / "html" / "qa-index.html").get_text()
    assert "提示词是不是越短越好" in index and "提示词越长越好吗" not in index
    with zipfile.ZipFile(next((work / "out" / "epub").glob("*.epub"))) as epub:
        text = epub.read("qa-index.xhtml").decode("utf-8")
    assert "提示词是不是越短越好" in text and "提示词越长越好吗" not in text


def test_a_changed_lesson_title_reaches_every_pages_navigation(work: Path):
    _edit(work, NOTE2, "提示工程（第二节课）", "提示工程进阶（第二节课）")
    for _ in range(2):  # and stays right on a second build
        result = _build(work, )
        assert result.returncode == 0, result.stderr
    for page in [work / "out" / "html" / "index.html",
                 *sorted((work / "out" / "html" / "lessons").glob("l01.html"))]:
        navigation = _soup(page).select_one("nav.bd-docs-nav, div.bd-sidebar, nav")
        text = navigation.get_text() if navigation else _soup(page).get_text()
        assert "提示工程进阶" in text, page.name
