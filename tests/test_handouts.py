"""Handouts: one PDF per lesson, cut from the book's single WeasyPrint render.

The book here: a front page (book page 1), three lessons of two pages each (pages 2–3, 4–5,
6–7) and a Q&A index (page 8). Lesson 1 links to lesson 3 (outside its handout) and to its
own last paragraph (inside).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import weasyprint.document
from pypdf import PdfReader
from weasyprint import CSS, HTML, Document

from build_tools.pdf.handouts import (
    Handout,
    handout_document,
    handout_paths,
    lesson_ranges,
    page_of_anchor,
)
from build_tools.pdf.join import slice_pages

SENTENCE = "学而时习之，不亦说乎？有朋自远方来，不亦乐乎？人不知而不愠，不亦君子乎？"
LESSONS = [("l01", "l01", "第1课 学而"), ("l02", "l02", "第2课 为政"), ("l03", "l03", "第3课 八佾")]
CSS_TEXT = """
@page { size: A6; margin: 15mm 12mm; @bottom-center { content: "第 " counter(page) " 页" } }
body { font-family: "Noto Sans CJK SC"; font-size: 10pt }
h1 { break-before: page }
"""


def paragraphs(count: int) -> str:
    return f"<p>{SENTENCE * 6}</p>" * count


def book_html(lessons: str, back_matter: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>论语讲义</title>'
        '<meta name="author" content="张三"></head><body>'
        f'<section id="front"><p>封面</p></section>{lessons}{back_matter}</body></html>'
    )


def lesson_html(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h1>{title}</h1>{body}</section>'


BOOK = book_html(
    lesson_html(
        "l01",
        "第1课 学而",
        paragraphs(3)
        + '<p id="l01-end"><a href="#l03">见第3课</a>，<a href="#l01-end">本课末</a></p>',
    )
    + lesson_html("l02", "第2课 为政", paragraphs(3))
    + lesson_html("l03", "第3课 八佾", paragraphs(3)),
    back_matter='<section id="qa-index"><h1>问答索引</h1><p>问题1.1</p></section>',
)


@dataclass
class Book:
    document: Document
    layouts: list[int]


@dataclass
class Written:
    pdfs: dict[str, PdfReader]
    problems: list[str]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write_handouts(document: Document, handouts: list[Handout], out_dir: Path,
                   **options) -> list[Path]:
    """Each handout written by WeasyPrint from the book's pages (the tagged PDF's route)."""
    paths = handout_paths(handouts, out_dir)
    for handout, path in zip(handouts, paths, strict=True):
        handout_document(document, handout).write_pdf(path, **options)
    return paths


def render(html: str, css: str = CSS_TEXT) -> Document:
    return HTML(string=html).render(stylesheets=[CSS(string=css)])


@pytest.fixture(scope="module")
def book() -> Iterator[Book]:
    """The book rendered once, with every later call to WeasyPrint's layout counted."""
    layouts: list[int] = []
    original = weasyprint.document.layout_document

    def counted(*args, **kwargs):
        layouts.append(1)
        return original(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        # document.py imported the function by name: patch the name it calls.
        patch.setattr(weasyprint.document, "layout_document", counted)
        document = render(BOOK)
        yield Book(document, layouts)


@pytest.fixture(scope="module")
def handouts(book: Book) -> list[Handout]:
    return lesson_ranges(book.document, LESSONS, "qa-index")


@pytest.fixture(scope="module")
def written(book: Book, handouts: list[Handout], tmp_path_factory) -> Written:
    """The book and then its handouts written, with WeasyPrint's warnings and errors kept."""
    out = tmp_path_factory.mktemp("handouts")
    records = _Records()
    logging.getLogger("weasyprint").addHandler(records)
    try:
        book.document.write_pdf(out / "book.pdf")
        paths = write_handouts(book.document, handouts, out / "handouts")
    finally:
        logging.getLogger("weasyprint").removeHandler(records)
    pdfs = {"book": PdfReader(out / "book.pdf")} | {path.stem: PdfReader(path) for path in paths}
    return Written(pdfs, records.messages)


def test_each_lesson_runs_from_its_anchor_to_the_next_lessons(handouts: list[Handout]):
    assert handouts == [
        Handout("l01", "第1课 学而", range(1, 3)),
        Handout("l02", "第2课 为政", range(3, 5)),
        Handout("l03", "第3课 八佾", range(5, 7)),
    ]


def test_page_of_anchor_is_the_first_page_holding_it(book: Book):
    assert page_of_anchor(book.document, "l02") == 3
    assert page_of_anchor(book.document, "qa-index") == 7
    assert page_of_anchor(book.document, "nowhere") is None


def test_without_back_matter_the_last_lesson_runs_to_the_last_page(book: Book):
    last = lesson_ranges(book.document, LESSONS, None)[-1]
    assert last.pages == range(5, 8)


def test_handouts_hold_the_lessons_pages_and_no_front_or_back_matter(written: Written):
    counts = {label: len(written.pdfs[label].pages) for label in ("l01", "l02", "l03")}
    assert counts == {"l01": 2, "l02": 2, "l03": 2}
    assert sum(counts.values()) == len(written.pdfs["book"].pages) - 2


@pytest.mark.parametrize(("label", "first_page"), [("l01", 2), ("l02", 4), ("l03", 6)])
def test_a_handout_keeps_the_book_page_numbers(written: Written, label: str, first_page: int):
    first = written.pdfs[label].pages[0].extract_text().replace("\n", "")
    assert f"第 {first_page} 页" in first
    assert dict((code, title) for code, _, title in LESSONS)[label] in first


def test_each_handout_has_its_title_and_the_books_author_and_language(written: Written, book: Book):
    for label, _, title in LESSONS:
        reader = written.pdfs[label]
        assert reader.metadata.title == title
        assert reader.metadata.author == "张三"
        assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    assert book.document.metadata.title == "论语讲义", "the book keeps its own title"
    assert written.pdfs["book"].metadata.title == "论语讲义"


def test_a_handouts_outline_is_its_own_lesson(written: Written):
    assert [entry.title for entry in written.pdfs["l02"].outline] == ["第2课 为政"]


def test_writing_the_book_and_its_handouts_lays_it_out_once(book: Book, written: Written):
    assert len(book.layouts) == 1


def test_writing_handouts_logs_no_warning_or_error(written: Written):
    assert written.problems == []


def link_annotations(reader: PdfReader) -> list:
    return [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object()["/Subtype"] == "/Link"
    ]


def test_a_link_out_of_the_handout_is_dropped_and_one_inside_kept(written: Written):
    assert len(link_annotations(written.pdfs["book"])) == 2
    kept = link_annotations(written.pdfs["l01"])
    assert [str(link["/Dest"]) for link in kept] == ["l01-end"]
    for label in ("l01", "l02", "l03"):
        reader = written.pdfs[label]
        for link in link_annotations(reader):
            assert str(link["/Dest"]) in reader.named_destinations


def test_a_missing_anchor_is_named(book: Book):
    lessons = [*LESSONS, ("l04", "l04", "第4课"), ("l05", "gone", "第5课")]
    with pytest.raises(ValueError, match=r"l04 \(#l04\), l05 \(#gone\)"):
        lesson_ranges(book.document, lessons, "qa-index")
    with pytest.raises(ValueError, match="back matter"):
        lesson_ranges(book.document, LESSONS, "no-index")


def test_a_label_must_be_a_file_name(book: Book, tmp_path: Path):
    with pytest.raises(ValueError, match="file name"):
        write_handouts(book.document, [Handout("../l01", "第1课", range(1, 3))], tmp_path)


def test_lessons_sharing_a_page_share_it_in_their_handouts():
    # No forced break: lesson b starts on the page where a ends, and c on the page b starts.
    document = render(
        book_html(
            lesson_html("a", "甲", paragraphs(2))
            + lesson_html("b", "乙", "<p>短。</p>")
            + lesson_html("c", "丙", paragraphs(1))
        ),
        CSS_TEXT.replace("break-before: page", "break-before: auto"),
    )
    a, b, c = lesson_ranges(document, [(x, x, x) for x in "abc"], None)
    assert a.pages.stop - 1 == b.pages.start, "a's last page is b's first"
    assert len(b.pages) == 1, "b, with c starting on its page, gets that one page"
    assert c.pages.start == b.pages.start
    assert c.pages.stop == len(document.pages) > c.pages.start + 1


def test_a_tagged_handout_refers_only_to_its_own_link_annotations(book: Book, tmp_path: Path):
    # The book's annotation for the dropped link must not leak into the handout's structure.
    book.document.write_pdf(tmp_path / "book.pdf", pdf_tags=True)
    handout = lesson_ranges(book.document, LESSONS, "qa-index")[0]
    (path,) = write_handouts(book.document, [handout], tmp_path / "handouts", pdf_tags=True)
    reader = PdfReader(path)
    referred = [objr["/Obj"].get_object() for objr in object_references(reader)]
    assert [annotation["/Subtype"] for annotation in referred] == ["/Link"]


def object_references(reader: PdfReader) -> list:
    """Every ``/OBJR`` of the structure tree."""
    found, pending = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if isinstance(node, list):
            pending.extend(node)
        elif hasattr(node, "get"):
            if node.get("/Type") == "/OBJR":
                found.append(node)
            elif "/K" in node:
                pending.append(node["/K"])
    return found


def test_a_handout_sliced_from_the_written_book_keeps_only_its_own_links(
        written: Written, handouts: list[Handout], tmp_path: Path):
    """What build does (pdf/join.py): the handout is cut from the PDF already written."""
    first = handouts[0]
    target = tmp_path / "l01.pdf"
    slice_pages(written.pdfs["book"], first.pages, target, first.title)
    sliced = PdfReader(target)
    assert len(sliced.pages) == len(first.pages)
    assert [str(link["/Dest"]) for link in link_annotations(sliced)] == ["l01-end"]
    assert sliced.metadata.title == first.title and sliced.metadata.author == "张三"
    assert [item.title for item in sliced.outline] == ["第1课 学而"]


def test_a_sliced_handout_drops_links_to_other_parts_of_the_book(tmp_path: Path):
    # A part laid out on its own writes a link to another part as pdfdest:<id> (pdf/join.py).
    html = BOOK.replace('href="#l03"', 'href="pdfdest:l03"')
    render(html).write_pdf(tmp_path / "part.pdf")
    reader = PdfReader(tmp_path / "part.pdf")
    assert any("pdfdest:" in str(a.get("/A", "")) for a in link_annotations(reader))
    slice_pages(reader, range(1, 3), tmp_path / "l01.pdf", "第1课 学而")
    links = link_annotations(PdfReader(tmp_path / "l01.pdf"))
    assert [str(link.get("/Dest")) for link in links] == ["l01-end"]
