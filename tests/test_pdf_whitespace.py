"""White space on the printed page (issue 14, item 4).

A figure that would move to the next page and leave more than a third of this one empty is
scaled (to no less than 60 %) to fit; contents that spill a few lines onto a page of their own
are set closer. The rules on made-up pages, then two books built and read back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from build_tools.pdf.document import TOC_END, TOC_START, Section
from build_tools.pdf.whitespace import (
    FigureFit,
    contents_spill,
    figures_to_fit,
    refit_figures,
    with_fits,
)

from .conftest import REPO

TOP, BOTTOM = 100.0, 1000.0  # the text block, in CSS px from the page's top


@dataclass
class FakePage:
    anchors: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)


def _at(y: float) -> tuple[float, float, float, float]:
    return (90.0, y, 700.0, y)


def _pushed(before_y: float, image_bottom: float, figure_bottom: float) -> list[FakePage]:
    """A figure whose text before it ends at ``before_y``, moved to the next page's top."""
    return [FakePage({"pm-before-f1": _at(before_y)}),
            FakePage({"f1": _at(TOP), "pm-image-f1": _at(image_bottom),
                      "pm-after-f1": _at(figure_bottom)})]


def test_a_pushed_figure_that_fits_at_60_percent_is_fitted():
    # 500 px free (more than a third of 900); the figure is 420 + 30 px of caption.
    fits = figures_to_fit(_pushed(500, TOP + 600, TOP + 630), TOP, BOTTOM)
    assert len(fits) == 1 and fits[0].figure_id == "f1"
    assert 600 * 0.6 <= fits[0].image_height_px <= 500 - 30


def test_a_figure_that_would_need_less_than_60_percent_is_left():
    assert figures_to_fit(_pushed(500, TOP + 850, TOP + 880), TOP, BOTTOM) == []


def test_a_page_no_more_than_a_third_empty_is_left():
    assert figures_to_fit(_pushed(TOP + 650, TOP + 400, TOP + 430), TOP, BOTTOM) == []


def test_a_figure_on_the_page_of_its_text_is_left():
    page = FakePage({"pm-before-f1": _at(300), "f1": _at(300), "pm-image-f1": _at(500),
                     "pm-after-f1": _at(530)})
    assert figures_to_fit([page], TOP, BOTTOM) == []


def test_the_image_of_the_fitted_figure_is_given_its_height():
    html = ('<figure id="f0"><img src="a.png"></figure>'
            '<figure class="align-default" id="f1"><img alt="x" src="b.png"></figure>')
    fitted = with_fits(html, [FigureFit("f1", 412.34)])
    assert fitted.count("max-height") == 1
    assert '<img style="max-height: 412.3px" alt="x" src="b.png">' in fitted


def test_contents_that_spill_a_few_lines_are_told_apart_from_long_ones():
    def contents(end_y: float) -> list[FakePage]:
        return [FakePage({TOC_START: _at(TOP)}), FakePage({TOC_END: _at(end_y)})]
    assert contents_spill(contents(TOP + 120), TOP, BOTTOM)
    assert not contents_spill(contents(TOP + 400), TOP, BOTTOM)
    assert not contents_spill([FakePage({TOC_START: _at(TOP), TOC_END: _at(900)})], TOP, BOTTOM)


class FakeDocument:
    def __init__(self, pages: list) -> None:
        self.pages = pages

    def copy(self, pages: list) -> FakeDocument:
        return FakeDocument(pages)


def test_only_the_lessons_with_a_fitted_figure_are_laid_out_again():
    sections = [Section(name, f'<section id="{name}"></section>', frozenset({name, fig}))
                for name, fig in (("l01", "a"), ("l02", "f1"), ("l03", "c"))]
    before, figure = _pushed(500, TOP + 600, TOP + 630)
    pages = [FakePage({"l01": _at(TOP)}), FakePage(),
             FakePage({"l02": _at(TOP), **before.anchors}), figure, FakePage({"l03": _at(TOP)})]
    laid_out: list[list[str]] = []

    def render(again: list[Section], end_on_left_page: bool) -> FakeDocument:
        laid_out.append([s.id for s in again])
        assert "max-height" not in again[0].html  # no <img> in this made-up lesson
        return FakeDocument([FakePage({"l02": _at(TOP)}), FakePage(), FakePage()])

    result = refit_figures(FakeDocument(pages), sections, render, TOP, BOTTOM, last_part=True)
    assert laid_out == [["l02"]]
    assert len(result.pages) == 5
    assert result.pages[:2] == pages[:2] and result.pages[-1] is pages[-1]
    assert result.pages[2] is not pages[2]


# --- Built and read back -------------------------------------------------------------------

PARAGRAPH = "注意力机制把输入序列中每个位置的信息按相关程度加权汇总，模型因此能够关注远处的词语。" * 4  # noqa: E501


def _build(work: Path, notes: Path) -> Path:
    shutil.copytree(REPO / "book", work / "book", ignore=shutil.ignore_patterns("lessons"))
    result = subprocess.run(
        [sys.executable, "-m", "build_tools", "build", "pdf", "--notes", str(notes),
         "--root", str(notes.parent), "--out", str(work / "out"), "--book", str(work / "book"),
         "--strict"], capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    return next((work / "out" / "pdf").glob("*.pdf"))


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          encoding="utf-8", check=True).stdout
    return text.split("\f")


@pytest.fixture(scope="module")
def figure_book(tmp_path_factory) -> Path:
    """Thirteen paragraphs fill a page and a half; a figure half a page tall follows."""
    work = tmp_path_factory.mktemp("whitespace")
    (work / "root" / "notes").mkdir(parents=True)
    (work / "root" / "resource").mkdir()
    image = Image.new("RGB", (1600, 1200), "white")
    draw = ImageDraw.Draw(image)
    for x in range(0, 1600, 80):
        draw.line([(x, 0), (1600 - x, 1200)], fill=(40, 90, 160), width=6)
    image.save(work / "root" / "resource" / "图1.png")
    lines = ["## 第一章：留白（第一节课）", "### 第一部分：正文", ""]
    for number in range(1, 14):
        lines += [f"段落{number}：{PARAGRAPH}", ""]
    lines += ["![示意图](../resource/图1.png)", "", f"段落末：{PARAGRAPH}", ""]
    (work / "root" / "notes" / "笔记1.md").write_text("\n".join(lines), encoding="utf-8")
    return _build(work, work / "root" / "notes")


def test_the_figure_is_scaled_onto_the_page_of_its_text(figure_book: Path):
    listing = subprocess.run(["pdfimages", "-list", str(figure_book)], capture_output=True,
                             text=True, encoding="utf-8", check=True).stdout.splitlines()[2:]
    (row,) = [line.split() for line in listing if line.split()[2] == "image"]
    page, height_px, y_ppi = int(row[0]), int(row[4]), float(row[13])
    assert "段落13" in _page_texts(figure_book)[page - 1], "the figure follows its text"
    printed_mm = height_px / y_ppi * 25.4
    # At full size the image is 120 mm tall (print.css's max-height); here it is smaller.
    assert 0.6 * 120 <= printed_mm < 118


def test_contents_that_spill_a_few_lines_are_set_on_one_page(tmp_path):
    notes = tmp_path / "root" / "notes"
    notes.mkdir(parents=True)
    for number in range(1, 11):  # ten lessons of three parts: the contents run 3 lines over
        (notes / f"笔记{number}.md").write_text(
            f"## 第一章：课程{number}（第{number}节课）\n\n### 第一部分：课后习题\n\n正文。\n\n"
            "### 第二部分：相关名词解释\n\n正文。\n\n### 第三部分：一些问答\n\n正文。\n",
            encoding="utf-8")
    pages = _page_texts(_build(tmp_path, notes))
    (contents,) = [number for number, text in enumerate(pages) if text.startswith("目录")]
    assert re.search(r"问答索引[ .]*\d+", pages[contents]), "the last entry on the first page"
    assert pages[contents + 1].strip() == "", "then the blank page before the preface"
