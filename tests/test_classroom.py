"""Classroom editions (issue 17), read back from the PDFs: the student edition without any
answer, with room to write where each was; booklets in saddle-stitch order on A4 landscape;
a QR code on each lesson's first page that decodes, as ``pdftoppm -r 150`` renders it, to the
lesson's stable address on the site.

The seed book and the multi-lesson book are each built once (student edition, booklets, a
site address), as ``make handouts EDITION=student BOOKLET=1 SITE_URL=…`` does.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from build_tools.check import _pdf_text, answers_printed, check_book, lesson_words
from build_tools.diagnostics import Reporter
from build_tools.editions import Edition, answer_only_runs, removed_blocks, student_book
from build_tools.model import Book, WritingSpace, iter_blocks
from build_tools.notes_parser import parse_book
from build_tools.pdf.booklet import booklet_order, padded_count

from .conftest import MULTI, REPO, build_book, tiny_png

SITE = "https://example.org/book/"
DPI = 100


@pytest.fixture(scope="module", params=["seed", "multi"])
def built(request, tmp_path_factory) -> tuple[Path, Book]:
    work = tmp_path_factory.mktemp(request.param)
    # The seed asks for the book's booklet too (--booklet=all); the multi-lesson book for the
    # handouts' only.
    booklet = "--booklet=all" if request.param == "seed" else "--booklet"
    root, options = REPO, ("--edition", "student", "--site-url", SITE, booklet)
    if request.param == "multi":  # as conftest's multi_build: its answers' images there
        root = work / "root"
        shutil.copytree(MULTI, root)
        (root / "resource").mkdir()
        for name in ("权重.png", "显存.png"):
            (root / "resource" / name).write_bytes(tiny_png())
        options += ("--suppress", "notes.number_gap")
    notes = root / "notes"
    out = build_book(work, "handouts", notes=notes, root=root, options=options)
    return out, parse_book(notes, root, Reporter(), skip=(out,))


def handouts(out: Path) -> list[Path]:
    found = sorted((out / "student" / "handouts").glob("*.pdf"))
    assert found, "the student edition has handouts"
    return found


def test_only_the_student_edition_is_built(built) -> None:
    out, _ = built
    assert (out / "student" / "pdf").is_dir() and not (out / "pdf").exists()
    assert not (out / "student" / "html").exists() and not (out / "student" / "epub").exists()


def test_no_answer_text_and_every_question_in_the_student_pdfs(built) -> None:
    out, book = built
    shown = student_book(book)
    runs = []
    for teacher, student in zip(book.notes, shown.notes, strict=True):
        runs += answer_only_runs(teacher, "".join(word for _, word in lesson_words(student)))
    assert runs, "the book has answers whose words the test looks for"
    texts = [_pdf_text(pdf) for pdf in [*handouts(out), *(out / "student" / "pdf").glob("*.pdf")]]
    reports = check_book(book, out / "student", Edition.STUDENT)
    assert [loss for report in reports for loss in report.losses] == []
    for text in texts:
        assert not re.search(r"答[：:]|正确答案|习题答案|答\d+\.\d+|答案\d+\.\d+", text)
    for report in reports:
        assert report.kept_numbers["questions"] == report.expected_numbers["questions"]


def test_no_answer_bookmarks(built) -> None:
    out, _ = built
    for pdf in [*handouts(out), *(out / "student" / "pdf").glob("*.pdf")]:
        titles = _outline_titles(PdfReader(pdf).outline)
        assert titles, pdf
        assert not [t for t in titles if t.startswith(("答 ", "答案 ", "回复 ")) or t == "习题答案"]


def _outline_titles(outline) -> list[str]:
    titles = []
    for entry in outline:
        titles += _outline_titles(entry) if isinstance(entry, list) else [entry.title]
    return titles


def test_ruled_lines_where_each_answer_was(built) -> None:
    out, book = built
    shown = student_book(book)
    spaces = [block for lesson in shown.notes for part in lesson.parts for item in part.items
              for block in iter_blocks(getattr(item, "prompt", ()) or getattr(item, "blocks", ()))
              if isinstance(block, WritingSpace)]
    answers = sum(len(removed_blocks(lesson)) for lesson in book.notes)
    assert len(spaces) == answers > 0
    assert all(3 <= space.lines <= 12 for space in spaces if not space.box)
    expected = sum(space.lines for space in spaces if not space.box)
    drawn = sum(_rules(pdf) for pdf in handouts(out))
    assert drawn == expected
    boxes = [space for space in spaces if space.box]
    assert _boxes(handouts(out)) == len(boxes)


def _pages(pdf: Path, dpi: int) -> list[Image.Image]:
    folder = pdf.parent / f".png-{pdf.stem}-{dpi}"
    if not folder.is_dir():
        folder.mkdir()
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / "p")],
                       check=True)
    return [Image.open(page).convert("RGB") for page in sorted(folder.glob("*.png"))]


def _rule_rows(image: Image.Image) -> list[int]:
    """Each row's count of pixels in the rules' blue."""
    width, height = image.size
    pixels = image.load()
    return [sum(1 for x in range(0, width, 2) if _blue(pixels[x, y])) * 2 for y in range(height)]


def _blue(rgb: tuple[int, int, int]) -> bool:
    """The rules' blue, or its antialiased tints on white (no text is printed in blue)."""
    red, green, blue = rgb
    return blue - red > 25 and blue > green and blue < 250


def _rules(pdf: Path) -> int:
    """Ruled lines: runs of rows more than half of whose width is the rules' blue."""
    count = 0
    for image in _pages(pdf, DPI):
        rows = [n > image.size[0] * 0.5 for n in _rule_rows(image)]
        count += sum(1 for y, row in enumerate(rows) if row and (y == 0 or not rows[y - 1]))
    return count


def _boxes(pdfs: list[Path]) -> int:
    """Answer boxes: runs of rows in which a short stretch (15–30 mm) is the rules' blue."""
    count = 0
    for pdf in pdfs:
        for image in _pages(pdf, DPI):
            mm = DPI / 25.4
            rows = [15 * mm <= n <= 30 * mm for n in _rule_rows(image)]
            count += sum(1 for y, row in enumerate(rows) if row and (y == 0 or not rows[y - 1]))
    return count // 2  # a box's top and bottom edges


def test_booklets_in_saddle_stitch_order_on_a4_landscape(built) -> None:
    out, _ = built
    for handout in handouts(out):
        a5 = out / "student" / ".a5" / "handouts" / handout.name
        booklet = out / "student" / "booklet" / handout.name
        pages = len(PdfReader(a5).pages)
        sheets = PdfReader(booklet).pages
        assert len(sheets) * 2 == padded_count(pages) and padded_count(pages) % 4 == 0
        for sheet in sheets:
            assert (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height))) == (
                842, 595)
        texts = [_squeezed(a5, page + 1) for page in range(pages)]
        for side, halves in enumerate(booklet_order(pages), 1):
            for half, page in enumerate(halves):
                shown = _squeezed(booklet, side, half)
                assert shown == (texts[page] if page is not None else ""), (booklet, side, half)
        assert booklet_order(pages)[0] == (
            padded_count(pages) - 1 if pages % 4 == 0 else None, 0)


def test_the_book_is_a_booklet_only_when_asked(built, request) -> None:
    out, _ = built
    books = sorted((out / "student" / ".a5" / "pdf").glob("*.pdf"))
    imposed = [out / "student" / "booklet" / pdf.name for pdf in books]
    asked = request.node.callspec.params["built"] == "seed"  # built with --booklet=all
    assert [path.is_file() for path in imposed] == [asked] * len(books) and books
    for pdf, booklet in zip(books, imposed, strict=True) if asked else ():
        pages = len(PdfReader(pdf).pages)
        assert len(PdfReader(booklet).pages) * 2 == padded_count(pages)
        assert _squeezed(booklet, 1, 1) == _squeezed(pdf, 1), "the cover on the first sheet"


def _squeezed(pdf: Path, page: int, half: int | None = None) -> str:
    crop = [] if half is None else ["-x", str(half * 421), "-y", "0", "-W", "421", "-H", "595"]
    text = subprocess.run(["pdftotext", "-r", "72", "-f", str(page), "-l", str(page), *crop,
                           str(pdf), "-"], capture_output=True, text=True, encoding="utf-8",
                          check=True).stdout
    return re.sub(r"\s+", "", text)


def test_qr_code_on_each_lessons_first_page_decodes_to_its_address(built) -> None:
    out, _ = built
    for handout in handouts(out):
        url = f"{SITE}lessons/{handout.stem}.html"
        first = _pages(handout, 150)[0]
        found = zxingcpp.read_barcodes(first)
        assert [code.text for code in found] == [url]
        position = found[0].position
        size_mm = (position.top_right.x - position.top_left.x) / 150 * 25.4
        assert size_mm >= 15
        assert url.removeprefix("https://") in _squeezed(handout, 1)
        assert not zxingcpp.read_barcodes(_pages(handout, 150)[-1]) or len(
            PdfReader(handout).pages) == 1


def test_the_cover_and_running_heads_say_student_edition(built) -> None:
    out, _ = built
    book = next((out / "student" / "pdf").glob("*.pdf"))
    assert "学生版" in _squeezed(book, 1)
    assert "学生版" in (PdfReader(book).metadata.title or "")
    reader = PdfReader(book)
    assert any("学生版" in _squeezed(book, n) for n in range(2, len(reader.pages) + 1)
               if n % 2 == 0)


def test_the_student_book_passes_the_print_preflight(built) -> None:
    """Its pages of writing space (ruled lines, no text) are content, not white space."""
    from build_tools.pdf.preflight import preflight, print_order_sources
    from build_tools.pdf.preflight.report import summary
    from build_tools.print_manifest import MANIFEST

    out, _ = built
    pdf = next((out / "student" / "pdf").glob("*.pdf"))
    result = preflight(pdf, print_order_sources(out / "student" / "print" / MANIFEST))
    assert result.findings == [], summary(result)


def test_the_student_book_at_a5_passes_the_print_preflight(built, tmp_path: Path) -> None:
    """At A5 twelve ruled lines are most of a page: they break over it as a paragraph does,
    so no question takes its part's heading and a page's room with it to the next page, and
    no long question's title is cut in two to keep it with its lines."""
    from build_tools.pdf import PageOptions, PdfOptions, render_pdf
    from build_tools.pdf.preflight import preflight, print_order_sources
    from build_tools.pdf.preflight.report import diagnostics
    from build_tools.print_manifest import MANIFEST

    out, _ = built
    manifest = out / "student" / "print" / MANIFEST
    pdf = render_pdf(manifest, tmp_path, [manifest.parent], PdfOptions(PageOptions("A5"))).pdf
    result = preflight(pdf, print_order_sources(manifest))
    assert result.findings == [], "\n".join(str(found) for found in diagnostics(result))


GLOSSARY_AND_ANSWER = """## 第一章：词向量（第一节课）
### 第二部分：相关名词解释
#### 1、词嵌入
Word2Vec 和 GloVe 是最早的两种方法。
### 第三部分：一些问答
#### 1、先读哪些论文？
```text
先读 Word2Vec，再读 Seq2Seq 和注意力机制的原始论文。
```
"""


def test_check_tells_an_answers_words_from_the_same_words_kept_elsewhere(book_root) -> None:
    """"Word2Vec" is in the glossary the student keeps: printed, it is no answer leaking. It
    was taken for one when the kept text was cut into words ("Word", "Vec")."""
    (book_root / "notes" / "笔记1.md").write_text(GLOSSARY_AND_ANSWER, encoding="utf-8")
    teacher = parse_book(book_root / "notes", book_root, Reporter()).lessons[0]
    student = student_book(parse_book(book_root / "notes", book_root, Reporter())).lessons[0]
    printed = "词嵌入 Word2Vec 和 GloVe 是最早的两种方法。先读哪些论文？"
    assert answers_printed(teacher, student, printed) == []
    leaked = printed + "再读 Seq2Seq 和注意力机制的原始论文"
    assert [run for _, run in answers_printed(teacher, student, leaked)] == [
        "Seq2Seq", "和注意力机制的原始论文"]
