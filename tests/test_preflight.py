"""The print preflight (issue 14, item 5): each rule fails on a page built to break it and
passes on its twin; then the real books, at A4 and A5.

The purpose-built books are tiny print documents (a cover, the contents, lessons) laid out by
WeasyPrint with the book's own stylesheets (page.py, print.css, the running heads), so their
pages are the book's pages but for the one thing each test changes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from weasyprint import CSS, HTML

from build_tools.diagnostics import Kind
from build_tools.pdf import PageOptions, PdfOptions, render_pdf
from build_tools.pdf.page import page_css, running_heads_css
from build_tools.pdf.preflight import Preflight, preflight, print_order_sources
from build_tools.pdf.preflight.pages import Role
from build_tools.pdf.preflight.report import diagnostics, summary, table
from build_tools.pdf.preflight.rules import EMPTY_MAX, FIGURE_FLOOR, PREFLIGHT_KINDS
from build_tools.pdf.preflight.sources import match_sources
from build_tools.pdf.render import PRINT_CSS
from build_tools.print_manifest import MANIFEST

from .conftest import REPO

TITLE = "印前检查"
SENTENCE = "注意力机制把输入序列中每个位置的信息按相关程度加权汇总，模型因此能够关注远处的词语。"
MM = 72 / 25.4


def paragraphs(count: int) -> str:
    return f"<p>{SENTENCE * 5}</p>" * count


def book_html(*lessons: str, contents: int = 3) -> str:
    """A print document as document.py makes one: cover, contents (``contents`` entries),
    preface, and a lesson for each of ``lessons`` (its body, after its title)."""
    entries = "".join(f'<li class="toc-level1"><a href="#l1" data-page="{n}">第{n}课</a></li>'
                      for n in range(1, contents + 1))
    body = "".join(f'<section class="lesson" id="l{n}"><h2 class="document-title">{n}. 第{n}课'
                   f"</h2>{lesson}</section>" for n, lesson in enumerate(lessons, 1))
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{TITLE}</title></head><body>"
            f'<section class="front-matter cover"><h1 class="cover-title">{TITLE}</h1></section>'
            '<nav class="front-matter print-toc"><h1 class="toc-title">目录</h1>'
            f"<ul>{entries}</ul></nav>"
            '<section class="front-matter preface"><p>前言：本书是测试用的。</p></section>'
            f'<main class="book">{body}</main></body></html>')


def render(folder: Path, html: str, css: str = "", paper: str = "A4", dpi: int = 300) -> Path:
    """Lay ``html`` out with the book's stylesheets (and ``css`` after them) into a PDF."""
    stylesheets = [CSS(string=page_css(PageOptions(paper))), CSS(filename=str(PRINT_CSS)),
                   CSS(string=running_heads_css(TITLE)), CSS(string=css)]
    # As render.py does: an image's pixels are fixed at layout, at most ``dpi`` a printed inch.
    document = HTML(string=html, base_url=f"{folder}/").render(stylesheets=stylesheets, dpi=dpi)
    pdf = folder / f"book-{len(list(folder.glob('*.pdf')))}.pdf"
    document.write_pdf(pdf, dpi=dpi)
    return pdf


def png(folder: Path, name: str, width: int, height: int) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "steelblue").save(buffer, "PNG")
    (folder / name).write_bytes(buffer.getvalue())
    return name


def kinds(result: Preflight) -> set[Kind]:
    return {finding.kind for finding in result.findings}


def figure(src: str, height_mm: float) -> str:
    return (f'<figure><img src="{src}" style="height: {height_mm}mm; width: auto; '
            'max-height: none"></figure>')


# --- A book that passes, and what its pages are -------------------------------------------

@pytest.fixture(scope="module")
def passing(tmp_path_factory) -> Preflight:
    """Two lessons with a part heading each, a contents over two pages and a preface."""
    folder = tmp_path_factory.mktemp("passing")
    lesson = paragraphs(10) + "<h3>第二部分：相关名词解释</h3>" + paragraphs(3)
    return preflight(render(folder, book_html(lesson, paragraphs(4), contents=60)))


def test_a_well_made_book_passes(passing: Preflight):
    assert passing.findings == [], summary(passing)
    assert summary(passing) == f"preflight: {len(passing.pages)} pages, every rule passed"
    assert table(passing) == ""


def test_pages_are_known_from_the_pdf(passing: Preflight):
    roles = [page.role for page in passing.pages]
    assert roles[:2] == [Role.COVER, Role.BLANK]
    contents = [n for n, role in enumerate(roles, 1) if role is Role.CONTENTS]
    assert contents == [3, 4], "sixty entries: two pages, the second one ending the contents"
    assert passing.pages[3].section_end and roles[4] is Role.FRONT, "the preface follows"
    openings = [n for n, role in enumerate(roles, 1) if role is Role.OPENING]
    assert len(openings) == 2 and all(n % 2 for n in openings), "lessons open on right pages"
    assert all(roles[n] is Role.BLANK for n in range(len(roles))
               if n + 2 in openings and roles[n] is not Role.BODY and n % 2)
    body = [page for page in passing.pages if page.role is Role.BODY]
    assert body and all(page.head_expected == (TITLE if page.number % 2 == 0 else "1. 第1课")
                        for page in body if page.section.startswith("1."))
    assert next(page.folio for page in passing.pages if page.role is Role.OPENING) == "1"


def test_a_page_with_bleed_is_measured_from_its_trim_box(tmp_path: Path):
    """With 3 mm of bleed the paper is larger than the page: the text block is placed from
    the trim box, or every right-hand page's text would be 3 mm out of it."""
    stylesheets = [CSS(string=page_css(PageOptions("A5", "3mm"))), CSS(filename=str(PRINT_CSS)),
                   CSS(string=running_heads_css(TITLE))]
    pdf = tmp_path / "bleed.pdf"
    HTML(string=book_html(paragraphs(8))).render(stylesheets=stylesheets).write_pdf(pdf)
    result = preflight(pdf)
    assert result.findings == [], summary(result)
    assert [page.role for page in result.pages].count(Role.BODY) >= 2


def test_every_kind_of_the_preflight_is_documented_and_made_to_fail(failures):
    # The build's own pdf.* kinds are tested where they are made (pdf.wide_table: test_pdf_tables).
    preflight_kinds = set(PREFLIGHT_KINDS)
    documented = (REPO / "docs" / "notes-format.md").read_text(encoding="utf-8")
    assert all(f"`{kind.code}`" in documented for kind in Kind if kind.type == "pdf")
    assert preflight_kinds == set().union(*(kinds(result) for result in failures.values()))


# --- Each rule, failing on a page built for it ------------------------------------------------

def _outside(folder: Path) -> Preflight:
    wide = f'<p style="margin-right: -30mm">{SENTENCE * 4}</p>'
    return preflight(render(folder, book_html(paragraphs(3) + wide + paragraphs(2))))


def _head(folder: Path) -> Preflight:
    # Right-hand pages carry another title, the lesson's first page included.
    css = '@page :right { @top-right { content: "另一课"; } }'
    return preflight(render(folder, book_html(paragraphs(20)), css))


def _heading(folder: Path) -> Preflight:
    lesson = ('<div style="height: 190mm"></div>'
              '<h3 style="break-after: page">第二部分：相关名词解释</h3>' + paragraphs(3))
    return preflight(render(folder, book_html(lesson)))


def _empty(folder: Path) -> Preflight:
    lesson = paragraphs(3) + '<div style="break-before: page"></div>' + paragraphs(12)
    return preflight(render(folder, book_html(lesson)))


def _overlap(folder: Path) -> Preflight:
    cells = ('<table style="table-layout: fixed; width: 90mm"><tr>'
             '<td style="width: 45mm; white-space: nowrap">单元格里的文字很长很长很长很长很长</td>'
             "<td>第二格的文字</td></tr></table>")
    return preflight(render(folder, book_html(paragraphs(2) + cells + paragraphs(2))))


def _resolution(folder: Path) -> Preflight:
    image = f'<img src="{png(folder, "photo.png", 2400, 1200)}" style="width: 160mm">'
    return preflight(render(folder, book_html(paragraphs(2) + image), dpi=100),
                     sources=[(2400, 1200)])


FAILING: dict[Kind, Callable[[Path], Preflight]] = {
    Kind.PDF_TEXT_OUTSIDE: _outside, Kind.PDF_RUNNING_HEAD: _head,
    Kind.PDF_HEADING_AT_FOOT: _heading, Kind.PDF_EMPTY_PAGE: _empty, Kind.PDF_OVERLAP: _overlap,
    Kind.PDF_LOW_RESOLUTION: _resolution}


@pytest.fixture(scope="module")
def failures(tmp_path_factory) -> dict[Kind, Preflight]:
    return {kind: make(tmp_path_factory.mktemp(kind.value)) for kind, make in FAILING.items()}


@pytest.mark.parametrize("kind", list(FAILING), ids=lambda kind: kind.code)
def test_each_rule_fails_on_a_page_built_to_break_it(failures, kind: Kind):
    result = failures[kind]
    assert kind in kinds(result), summary(result)
    located = [str(d) for d in diagnostics(result) if d.kind is kind]
    assert all(re.fullmatch(rf"\S+\.pdf:\d+: ERROR: page \d+( \(printed \w+\))?: .+ "
                            rf"\[{re.escape(kind.code)}\]", line) for line in located), located
    assert kind.code in table(result)


def test_text_outside_names_the_word_and_how_far(failures):
    finding = next(f for f in failures[Kind.PDF_TEXT_OUTSIDE].findings)
    assert finding.measured >= 1 and re.search(r"\d+\.\d mm out", finding.message)


def test_a_missing_or_wrong_running_head_and_one_where_none_belongs(failures):
    messages = [f.message for f in failures[Kind.PDF_RUNNING_HEAD].findings]
    assert any(m.endswith("where none belongs (opening page)") for m in messages), messages
    assert any("expected \"1. 第1课\"" in m for m in messages), messages


def test_dropping_the_left_pages_head_fails(tmp_path: Path):
    css = "@page :left { @top-left { content: none; } }"
    result = preflight(render(tmp_path, book_html(paragraphs(12)), css))
    assert [f.message for f in result.findings] == [f'no running head; expected "{TITLE}"'] * (
        len([p for p in result.pages if p.role is Role.BODY and p.number % 2 == 0]))


def test_an_empty_page_reports_its_measure(failures):
    finding = next(f for f in failures[Kind.PDF_EMPTY_PAGE].findings)
    assert finding.measured > EMPTY_MAX == finding.threshold


# --- The gap before a figure too tall for it --------------------------------------------------

def _gap_before_figure(folder: Path, figure_mm: float) -> Preflight:
    src = png(folder, "tall.png", 60, 100)
    lesson = '<div style="height: 100mm"></div>' + paragraphs(1) + figure(src, figure_mm)
    return preflight(render(folder, book_html(lesson + paragraphs(2))), sources=[(60, 100)])


def test_a_gap_left_by_a_figure_that_fits_at_its_floor_fails(tmp_path: Path):
    result = _gap_before_figure(tmp_path, 170)
    finding = next(f for f in result.findings if f.kind is Kind.PDF_EMPTY_PAGE)
    free_mm = finding.measured * result.pages[finding.page - 1].block.height / MM
    assert 170 > free_mm > 170 * FIGURE_FLOOR, "it moved on, but fits once shrunk"


def test_a_gap_left_by_a_figure_too_tall_even_at_its_floor_passes(tmp_path: Path):
    result = _gap_before_figure(tmp_path, 235)
    assert result.findings == [], summary(result)
    gap = next(f for f in result.figures if f.role is Role.OPENING)
    assert gap.empty > EMPTY_MAX, "the page is as empty as the failing one's"


# --- The passing twins ---------------------------------------------------------------------

def test_a_table_whose_cells_wrap_has_no_overlap(tmp_path: Path):
    cells = ('<table style="table-layout: fixed; width: 90mm"><tr>'
             '<td style="width: 45mm">单元格里的文字很长很长很长很长很长</td>'
             "<td>第二格的文字</td></tr></table>")
    result = preflight(render(tmp_path, book_html(paragraphs(2) + cells + paragraphs(2))))
    assert result.findings == [], summary(result)


def test_a_heading_followed_by_its_text_passes(tmp_path: Path):
    lesson = '<div style="height: 190mm"></div><h3>第二部分：相关名词解释</h3>' + paragraphs(3)
    result = preflight(render(tmp_path, book_html(lesson)))
    assert result.findings == [], summary(result)


def test_an_image_at_300_ppi_or_with_all_its_source_pixels_passes(tmp_path: Path):
    photo = png(tmp_path, "photo.png", 2400, 1200)
    small = png(tmp_path, "small.png", 300, 150)
    lesson = (paragraphs(1) + f'<img src="{photo}" style="width: 160mm">'
              f'<img src="{small}" style="width: 160mm">')
    pdf = render(tmp_path, book_html(lesson))
    result = preflight(pdf, sources=[(2400, 1200), (300, 150)])
    assert result.findings == [], summary(result)
    assert [round(p.pixels[0] / (p.box.width / 72)) for page in result.pages
            for p in page.pictures] == [300, 48]
    unknown = preflight(pdf)  # no sources: every image is held to 300 ppi
    assert [f.kind for f in unknown.findings] == [Kind.PDF_LOW_RESOLUTION]


def test_images_are_matched_to_their_sources_by_shape_in_order():
    sources = [(2400, 1200), None, (300, 150), (1000, 1000)]
    drawn = [(1890, 945), (136, 128), (300, 150), (500, 500)]  # the second an emoji's glyph
    assert match_sources(drawn, sources) == [(2400, 1200), None, (300, 150), (1000, 1000)]
    assert match_sources([(300, 150)], [(1000, 1000), (600, 300)]) == [(600, 300)]


# --- The command line ------------------------------------------------------------------------

def test_check_prints_the_failing_pages_and_exits_1(failures, tmp_path: Path, capsys):
    from build_tools.check_command import preflight as check_preflight

    out = tmp_path / "out"
    (out / "pdf").mkdir(parents=True)
    (out / "pdf" / "book.pdf").write_bytes(failures[Kind.PDF_EMPTY_PAGE].pdf.read_bytes())
    assert check_preflight(out) is False
    captured = capsys.readouterr()
    assert re.search(r"^page +printed +role +empty", captured.out, re.M), captured.out
    assert len(captured.out.strip().splitlines()) == 2, "the header and the failing page"
    assert re.search(r"book\.pdf:\d+: ERROR: page \d+ \(printed \d+\): \d+% of the text block "
                     r"empty .* \[pdf\.empty_page\]", captured.err), captured.err
    assert check_preflight(out, every_page=True) is False
    rows = capsys.readouterr().out.strip().splitlines()
    assert len(rows) == 1 + len(failures[Kind.PDF_EMPTY_PAGE].pages)


# --- The real books ---------------------------------------------------------------------------

def _judged(out: Path, paper: str, folder: Path) -> Preflight:
    """The preflight of a book built at A4, or of its print pages laid out again at A5."""
    manifest = out / "print" / MANIFEST
    if paper == "A4":
        pdf = next((out / "pdf").glob("*.pdf"))
    else:
        pdf = render_pdf(manifest, folder, [manifest.parent], PdfOptions(PageOptions(paper))).pdf
    return preflight(pdf, print_order_sources(manifest))


def _passes(request, book: str, paper: str, result: Preflight) -> None:
    located = "\n".join(str(diagnostic) for diagnostic in diagnostics(result))
    assert result.findings == [], f"{book} at {paper}:\n{located}"
    assert any(page.role is Role.BODY for page in result.pages)


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_the_seed_book_passes(seed_build: Path, paper: str, tmp_path: Path, request):
    _passes(request, "seed", paper, _judged(seed_build, paper, tmp_path))


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_the_multi_lesson_book_passes(multi_build: Path, paper: str, tmp_path: Path, request):
    _passes(request, "multi", paper, _judged(multi_build, paper, tmp_path))


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_each_wild_course_passes(wild_build, paper: str, tmp_path: Path, request):
    _passes(request, wild_build.name, paper, _judged(wild_build.out, paper, tmp_path))


def test_a_ruled_writing_space_is_content_not_white_space(tmp_path: Path):
    """The student edition's writing space is ruled lines with no text: a page of them is not
    blank nor empty, and a question's title above them does not end its page."""
    title = '<div class="qa-question"><p class="qa-title">问题 1.1 注意力怎么理解？</p>'
    ruled = "".join('<div style="border-bottom: 0.6pt solid #9ab; height: 9mm"></div>'
                    for _ in range(40))
    lesson = paragraphs(12) + title + ruled + "</div>" + paragraphs(1)
    result = preflight(render(tmp_path, book_html(lesson)))
    assert result.findings == [], summary(result)
    ruled_pages = [page for page in result.pages if page.drawings and not page.text]
    assert ruled_pages and all(page.role is Role.BODY for page in ruled_pages)


def _question_with_writing_space(title: str, lines: int) -> str:
    """A question of the student edition as the print builder writes it: its title, then the
    ruled lines where its answer was (sphinx_ext/writing_space.py)."""
    rules = '<div class="writing-line"></div>' * lines
    return (f'<div class="qa-question"><p class="qa-title"><span class="caption-number">'
            f'问题 1.1 </span>{title}</p><div class="writing-space" data-lines="{lines}">'
            f"{rules}</div></div>")


def _ruled_lines(page, below: float = 0) -> list:
    """The ruled lines of a writing space on ``page`` (each a line's 8.5 mm box, as read)
    whose top is below ``below``."""
    return [box for box in page.drawings
            if box.y0 > below and box.width > 100 and box.height < 10 * MM]


def test_a_long_writing_space_breaks_across_the_page_with_its_title_kept_above_it(
        tmp_path: Path):
    """Twelve ruled lines (100 mm) that do not fit under the page's text begin on its page,
    two at least under their title, and go on over the page: kept whole, they took their
    question to the next page and left 40 % of this one empty."""
    lesson = paragraphs(4) + _question_with_writing_space(SENTENCE, 12)
    result = preflight(render(tmp_path, book_html(lesson)))
    assert result.findings == [], summary(result)
    opening = next(page for page in result.pages if page.role is Role.OPENING)
    titled = [word for word in opening.text if "问题" in word.text]
    assert titled, "the question's title is on the lesson's first page"
    under = _ruled_lines(opening, below=titled[0].box.y1)
    following = _ruled_lines(result.pages[opening.number])
    assert len(under) >= 2 and len(following) >= 2, (len(under), len(following))
    assert len(under) + len(following) == 12
