"""Keep-with rules on the printed page (issue 14): no heading, question title or glossary term
is the last line of a page; each stays with what follows it.

A lesson of sixty glossary terms and thirty questions whose texts grow and shrink puts some of
them at the foot of a page whatever the fonts: the PDF is read back line by line with their
positions, and the last line of every page's text block must be none of them.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from .conftest import build_book

MM = 72 / 25.4
WORDS = ("注意力机制把输入序列中每个位置的信息按相关程度加权汇总"
         "模型因此能够关注远处的词语训练时需要大量的数据与算力")
# A term, a question's title (not a line of the Q&A index, which carries a page number), a part.
HEADING = re.compile(r"\d+、术语\d+|问题 ?1\.\d+ ?问题\d+怎么理解|第[二三]部分：.*")


def _note() -> str:
    lines = ["## 第一章：测试（第一节课）", "### 第二部分：相关名词解释"]
    for i in range(1, 61):
        lines += [f"#### {i}、术语{i}", (WORDS * 10)[:20 + (i * 53) % 260], ""]
    lines.append("### 第三部分：一些问答")
    for i in range(1, 31):
        answer = (WORDS * 10)[:30 + (i * 71) % 400]
        lines += [f"#### {i}、问题{i}怎么理解", "```text", answer, "```", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("keep")
    (work / "root" / "notes").mkdir(parents=True)
    (work / "root" / "notes" / "笔记1.md").write_text(_note(), encoding="utf-8")
    out = build_book(work, "pdf", work / "root" / "notes", work / "root")
    return next((out / "pdf").glob("*.pdf"))


def _last_lines(pdf: Path) -> list[str]:
    """The last line of each page's text block (running heads and page numbers left out)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, encoding="utf-8", check=True).stdout
    last = []
    for page in xml.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        lines = [(float(top), "".join(re.findall(r">([^<]*)</word>", words)))
                 for top, words in re.findall(
                     r'<line xMin="[\d.]+" yMin="([\d.]+)"[^>]*>(.*?)</line>', page, re.S)]
        body = [line for line in lines if 20 * MM < line[0] < height - 22 * MM]
        if body:
            last.append(max(body)[1])
    return last


def test_no_heading_term_or_question_title_ends_a_page(pdf: Path):
    ends = _last_lines(pdf)
    assert len(ends) > 10, "the lesson runs over many pages"
    assert [end for end in ends if HEADING.fullmatch(end)] == []


def _lines(pdf: Path) -> list[str]:
    """Every line of the PDF, its words joined."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, encoding="utf-8", check=True).stdout
    return ["".join(re.findall(r">([^<]*)</word>", line))
            for line in re.findall(r"<line [^>]*>(.*?)</line>", xml, re.S)]


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_a_page_reference_is_never_cut_across_two_lines(tmp_path: Path, paper: str):
    """``（第 15 页）`` is one thing to read: at a line's end it moves to the next line whole
    (A5: ``作业见 第三课作业（第 15`` / ``页）。``)."""
    from weasyprint import CSS, HTML

    from build_tools.pdf.page import PageOptions, page_css
    from build_tools.pdf.render import PRINT_CSS
    from build_tools.sphinx_ext.print_translator import PLACEHOLDER, page_reference

    reference = page_reference("l03a").replace(PLACEHOLDER, "15")
    # One paragraph for each length of text before the reference: some end a line inside it.
    body = "".join(f"<p>{WORDS[:n]}见第三课作业{reference}。</p>" for n in range(8, 60))
    html = f'<!DOCTYPE html><html lang="zh-CN"><body><main class="book">{body}</main></body></html>'
    stylesheets = [CSS(string=page_css(PageOptions(paper))), CSS(filename=str(PRINT_CSS))]
    HTML(string=html).write_pdf(tmp_path / "refs.pdf", stylesheets=stylesheets)
    lines = _lines(tmp_path / "refs.pdf")
    assert sum("（第15页）" in line for line in lines) == len(range(8, 60))
