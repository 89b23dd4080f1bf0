"""End to end: the seed note through the converter and a real ``sphinx-build -W``."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from build_tools.book_config import resolve_config
from build_tools.cli import run
from build_tools.sphinx_project import assemble

REPO = Path(__file__).resolve().parent.parent


class _TextAndIds(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.images: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "img":
            self.images.append(attrs.get("src", ""))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


@pytest.fixture(scope="module")
def seed_html(tmp_path_factory) -> tuple[Path, _TextAndIds]:
    work = tmp_path_factory.mktemp("seed")
    book = work / "source"  # the Sphinx project a build assembles: this repository's book
    assemble(resolve_config(REPO / "book.toml", {}, REPO), book)
    code = run(["convert", "--notes", str(REPO / "notes"), "--root", str(REPO),
                "--out", str(book / "lessons"), "--strict"])
    assert code == 0, "the seed note converts with no warnings"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", "-d", str(work / "doctrees"),
         str(book), str(work / "html")],
        capture_output=True, text=True, encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    page = next((work / "html" / "lessons").glob("l02.html"))
    parsed = _TextAndIds()
    parsed.feed(page.read_text(encoding="utf-8"))
    return page, parsed


def test_every_chinese_run_and_latin_word_of_the_seed_is_in_the_html(seed_html):
    _, parsed = seed_html
    html_text = re.sub(r"\s+", "", "".join(parsed.text))
    source = (REPO / "notes" / "第一章-第二节课.md").read_text(encoding="utf-8")
    source = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", source)  # image syntax: not reader text
    source = re.sub(r"<[^>]+>", "", source)  # <hr />, <br />: decoration, not words
    runs = set(re.findall(r"[\u4e00-\u9fff]+", source)) | set(re.findall(r"[A-Za-z]{2,}", source))
    missing = sorted(r for r in runs if r not in html_text)
    assert not missing


def test_questions_and_figures_have_stable_ids_and_numbers(seed_html):
    page, parsed = seed_html
    for label in ("l02", "l02-p3", "l02-q01", "l02-q04", "l02-q04-fig1", "l02-q04-fig2"):
        assert label in parsed.ids
    text = "".join(parsed.text)
    assert "图 2.1" in text and "图 2.2" in text
    images = [src for src in parsed.images if "l02-q04-fig" in src]
    assert len(images) == 2
    for src in images:
        assert (page.parent / src).is_file()
