"""Tables that fit the printed page (issue 14, item 3).

A lesson holds four tables: one whose code cell has no break by Unicode's rules
(``.objects / .chars / .lines / .rects``), one a little too wide for the text block, one far too
wide, and that one again inside a question. Built at A4 and A5 and read back with positions:
every word inside the text block, no word drawn over another, the code cell broken at a space,
and the three wide tables reported at their note lines (the question's at the table's line, not
at the question's title).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.pdf.page import PageOptions, text_block_mm

from .conftest import REPO

MM = 72 / 25.4
IDENTIFIER = "langchain_community.loaders.{}"  # 28 characters of code and a letter
NOTE = "\n".join([
    "## 第一章：表格（第一节课）",
    "",
    "页面对象上常用的属性：",
    "",
    "| 属性 | 说明 |",
    "| --- | --- |",
    "| `.objects / .chars / .lines / .rects` | 页面上的全部对象、字符、线条、矩形，都带坐标 |",
    "",
    "三个加载器：",
    "",  # line 10
    "| 甲 | 乙 | 丙 |",  # line 11: a little too wide at A4
    "| --- | --- | --- |",
    "| " + " | ".join(f"`{IDENTIFIER.format(c)}`" for c in "abc") + " |",
    "",
    "五个加载器：",
    "",
    "| 一 | 二 | 三 | 四 | 五 |",  # line 17: too wide even at 70 %
    "| --- | --- | --- | --- | --- |",
    "| " + " | ".join(f"`{IDENTIFIER.format(c) * 2}`" for c in "abcde") + " |",
    "",  # line 20
    "### 第三部分：一些问答",
    "#### 1、这张表放在问题里，也太宽",
    "",
    "| 一 | 二 | 三 | 四 | 五 |",  # line 24: reported here, not at the question's title
    "| --- | --- | --- | --- | --- |",
    "| " + " | ".join(f"`{IDENTIFIER.format(c) * 2}`" for c in "abcde") + " |",
    "",
    "```text",
    "因为每一格都是很长的代码。",
    "```",
    "",
])


@pytest.fixture(scope="module", params=["A4", "A5"])
def built(request, tmp_path_factory) -> tuple[str, Path, str]:
    """(paper, the PDF, the build's messages)."""
    paper = request.param
    work = tmp_path_factory.mktemp(f"tables-{paper}")
    notes = work / "root" / "notes"
    notes.mkdir(parents=True)
    (notes / "笔记1.md").write_text(NOTE, encoding="utf-8")
    shutil.copytree(REPO / "book", work / "book", ignore=shutil.ignore_patterns("lessons"))
    result = subprocess.run(
        [sys.executable, "-m", "build_tools", "build", "pdf", "--notes", str(notes),
         "--root", str(notes.parent), "--out", str(work / "out"), "--book", str(work / "book"),
         "--paper", paper],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=300,
        # As on CI: Sphinx colours its messages when CI=true, and coloured ones were neither
        # located nor matched by --suppress.
        env={**os.environ, "CI": "true", "FORCE_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stderr, "messages are plain text, whoever reads them"
    return paper, next((work / "out" / "pdf").glob("*.pdf")), result.stderr


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words as (xMin, yMin, xMax, yMax, text)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, encoding="utf-8", check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                      r'yMax="([\d.]+)">([^<]*)</word>')
    return [[(*map(float, found[:4]), found[4]) for found in word.findall(page)]
            for page in xml.split("<page ")[1:]]


def test_every_word_inside_the_text_block(built):
    paper, pdf, _ = built
    width_mm, _ = text_block_mm(PageOptions(paper))
    for number, words in enumerate(_words(pdf), start=1):
        for x_min, _, x_max, _, text in words:
            # The block sits between the margins: its width is what a line may take.
            assert x_max - x_min <= width_mm * MM + 1, (number, text)
        if words:
            left = min(w[0] for w in words)
            right = max(w[2] for w in words)
            assert right - left <= width_mm * MM + 1, f"page {number} is wider than its block"


def test_no_word_drawn_over_another(built):
    _, pdf, _ = built
    for number, words in enumerate(_words(pdf), start=1):
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                across = min(a[2], b[2]) - max(a[0], b[0])
                down = min(a[3], b[3]) - max(a[1], b[1])
                assert across <= 0.5 or down <= 0.5, f"page {number}: {a[4]!r} over {b[4]!r}"


def test_code_breaks_at_a_space_not_inside_a_word(built):
    _, pdf, _ = built
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          encoding="utf-8", check=True).stdout
    assert ".rects" in text.split()
    assert "\u200b" not in text, "the break opportunity is not extracted as text"


def test_wide_tables_are_set_smaller_and_reported_at_their_lines(built):
    paper, _, messages = built
    reported = [line for line in messages.splitlines() if line.endswith("[pdf.wide_table]")]
    assert [line.split(": WARNING")[0].rsplit(":", 1)[1] for line in reported] == [
        "11", "17", "24"]
    assert all("笔记1.md:" in line for line in reported)
    assert "printed at 70 %, its longest words broken" in reported[1]
    if paper == "A4":
        assert "printed at 80 %" in reported[0] and "broken" not in reported[0]


def test_a_table_that_fits_is_left_alone(built):
    _, _, messages = built
    assert messages.count("[pdf.wide_table]") == 3
