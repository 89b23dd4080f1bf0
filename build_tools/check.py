"""``check``: after a build, prove that every word of every note reached every format.

For each lesson, the words a reader of the note sees (each run of Chinese characters and each
Latin word, taken from the typed model, with the line it came from) must be in the lesson's
HTML page, its EPUB page and its PDF pages (the handout, or the whole book); every figure and
question must be there with the book's number (图 2.1, 问题 2.4). Whitespace is ignored: a PDF
breaks lines anywhere.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup

from .editions import Edition, answer_only_runs, for_edition
from .model import (
    Block,
    Book,
    Fence,
    Figure,
    Lesson,
    Location,
    Question,
    RawHtml,
    inline_text,
    item_blocks,
    item_title,
    iter_blocks,
    iter_figures,
    iter_inline_runs,
)
from .myst_writer import render_book
from .myst_writer.figures import meaningful
from .numbering import item_number, lesson_numbers, own_numbers

FORMATS = ("html", "epub", "pdf")
# Running heads and page numbers sit within this distance of the page's top and foot; the text
# block starts further in on every paper size (build_tools/pdf/page.py).
_HEAD_BAND_MM = 15
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]+|[A-Za-z]{2,}")


@dataclass
class LessonReport:
    label: str
    fmt: str
    words: int = 0
    words_kept: int = 0
    expected_numbers: dict[str, int] = field(default_factory=dict)  # "figures" → how many
    kept_numbers: dict[str, int] = field(default_factory=dict)
    losses: list[str] = field(default_factory=list)


# --- What the notes say ----------------------------------------------------------------------

def lesson_words(lesson: Lesson) -> Iterator[tuple[Location, str]]:
    """Every word of the lesson a reader sees, with where it was written."""
    for loc, text in lesson_texts(lesson):
        yield from _words(loc, text)


def lesson_texts(lesson: Lesson) -> Iterator[tuple[Location, str]]:
    """Every text of the lesson a reader sees, whole (``Word2Vec``, not ``Word`` and ``Vec``)."""
    yield lesson.loc, inline_text(lesson.heading) or lesson.title
    yield from _block_texts(lesson.intro)
    for part in lesson.parts:
        yield part.loc, inline_text(part.title)
        yield from _block_texts(part.intro)
        for item in part.items:
            yield item.loc, inline_text(item_title(item))
            yield from _block_texts(item_blocks(item))


def _block_texts(blocks: tuple[Block, ...]) -> Iterator[tuple[Location, str]]:
    for loc, inlines in iter_inline_runs(blocks):
        yield loc, inline_text(inlines)
    for block in iter_blocks(blocks):
        if isinstance(block, Fence):
            yield block.loc, block.text
        elif isinstance(block, RawHtml):
            yield block.loc, block.html
        elif isinstance(block, Figure) and block.file is not None and block.file.exists \
                and not block.omitted:
            if meaningful(block.alt, block):  # else the book prints a caption of its own
                yield block.loc, block.alt


# Print may draw other text inside a long word that runs onto the next page: the table header
# repeated atop the new page, the rest of the row's other cells. Up to this many inserted
# characters are allowed; a missing character never is.
_PRINT_INSERTIONS = 200
_ANCHOR = 8  # the first characters of a word, looked for as they are


def in_order(word: str, text: str, insertions: int = _PRINT_INSERTIONS) -> bool:
    """Whether ``text`` holds every character of ``word`` in order, with at most
    ``insertions`` other characters between them, starting with its first few as written."""
    start = text.find(word[:_ANCHOR])
    while start >= 0:
        i, j, skipped = _ANCHOR, start + _ANCHOR, 0
        while i < len(word) and j < len(text) and skipped <= insertions:
            if text[j] == word[i]:
                i += 1
            else:
                skipped += 1
            j += 1
        if i >= len(word):
            return True
        start = text.find(word[:_ANCHOR], start + 1)
    return False


def _words(loc: Location, text: str) -> Iterator[tuple[Location, str]]:
    for word in _WORD.findall(text):
        yield loc, word


def expected_numbers(lesson: Lesson, number: str) -> dict[str, list[str]]:
    """The numbers the book gives this lesson's figures and questions: 图 2.1, 问题 2.4.

    :param number: the lesson's number as printed (numbering.lesson_numbers); "" for the
        introduction, whose figures the book does not number by lesson
    """
    if not number:
        return {"figures": [], "questions": []}
    figures, given = [], []
    for part in lesson.parts:
        blocks = part.intro
        for item in part.items:
            if isinstance(item, Question):
                given.append(item_number(item))
            blocks = blocks + item_blocks(item)
        figures += [f for f in iter_figures(blocks) if f.file is not None and f.file.exists]
    figures += [f for f in iter_figures(lesson.intro) if f.file is not None and f.file.exists]
    # An answer's figure the student edition leaves out keeps its number, and is not printed.
    return {"figures": [f"图{number}.{n}" for n, figure in enumerate(figures, 1)
                        if not figure.omitted],
            "questions": [f"问题{number}.{own}" for own in own_numbers(given)]}


# --- What the formats hold --------------------------------------------------------------------

class UnreadableOutput(Exception):
    """An output that exists but cannot be read (a damaged PDF or EPUB): the message is one
    located line."""


def format_texts(out: Path, labels: list[tuple[str, str]]) -> dict[str, dict[str, str | None]]:
    """Per format, per lesson label, the text a reader sees (None: the output is missing).

    :raises UnreadableOutput: when a PDF or the EPUB is there but damaged
    """
    texts: dict[str, dict[str, str | None]] = {fmt: {} for fmt in FORMATS}
    epubs = sorted((out / "epub").glob("*.epub"))
    archive = _open_epub(epubs[0]) if epubs else None
    book_pdf = next(iter(sorted((out / "pdf").glob("*.pdf"))), None)
    book_pdf_text = _pdf_text(book_pdf) if book_pdf else None
    for label, stem in labels:
        page = out / "html" / "lessons" / f"{stem}.html"
        texts["html"][label] = _html_text(page.read_bytes()) if page.is_file() else None
        name = f"lessons/{stem}.xhtml"
        if archive is not None and name in archive.namelist():
            texts["epub"][label] = _html_text(archive.read(name))
        else:
            texts["epub"][label] = None
        handout = out / "handouts" / f"{label}.pdf"
        texts["pdf"][label] = _pdf_text(handout) if handout.is_file() else book_pdf_text
    return texts


def _open_epub(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnreadableOutput(f"{path}: ERROR: not a readable EPUB: {error}") from None


def _html_text(data: bytes) -> str:
    soup = BeautifulSoup(data, "html.parser")
    for tag in soup.select("script, style, nav, header, footer"):
        tag.decompose()
    main = soup.select_one("main") or soup.body or soup
    return _squeeze(main.get_text())


def _pdf_text(pdf: Path) -> str:
    """The words of the pages' text blocks: running heads and page numbers cropped away, so a
    word that runs from one page to the next is read whole; in the order they were drawn
    (``-raw``), so that a word broken across the lines of a table cell is not interleaved
    with the next column's text."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          encoding="utf-8")
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info.stdout)
    if info.returncode != 0 or size is None:
        raise UnreadableOutput(f"{pdf}: ERROR: not a readable PDF: "
                               f"{(info.stderr.strip().splitlines() or ['pdfinfo failed'])[-1]}")
    width, height = map(float, size.groups())
    band = round(_HEAD_BAND_MM * 72 / 25.4)
    result = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-x", "0", "-y", str(band),
                             "-W", str(round(width)), "-H", str(round(height) - 2 * band),
                             str(pdf), "-"],
                            capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:
        raise UnreadableOutput(f"{pdf}: ERROR: not a readable PDF: "
                               f"{(result.stderr.strip().splitlines() or ['pdftotext'])[-1]}")
    return _squeeze(result.stdout)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- The check -------------------------------------------------------------------------------

def check_book(book: Book, out: Path, edition: Edition = Edition.TEACHER) -> list[LessonReport]:
    """One report a lesson and format; each loss as ``path:line: format: missing "…"``.

    The student edition (``out`` its folder) is a PDF: it must hold what that edition shows
    and none of the words only the answers have (``answer printed "…"``).
    """
    shown = for_edition(book, edition)
    rendered = render_book(shown)
    labels = [(output.label, Path(name).stem) for name, output in rendered]
    texts = format_texts(out, labels)
    reports = []
    numbers_printed = [""] * (book.intro is not None) + lesson_numbers(book.lessons)
    for teacher, lesson, number, (label, _) in zip(book.notes, shown.notes, numbers_printed,
                                                   labels, strict=True):
        words = list(lesson_words(lesson))
        numbers = expected_numbers(lesson, number)
        for fmt in FORMATS if edition is Edition.TEACHER else ("pdf",):
            report = _report(lesson, label, fmt, texts[fmt][label], words, numbers)
            if edition is Edition.STUDENT and texts[fmt][label] is not None:
                report.losses += [f"{loc}: {fmt}: answer printed \"{run}\"" for loc, run
                                  in answers_printed(teacher, lesson, texts[fmt][label])]
            reports.append(report)
    return reports


def answers_printed(teacher: Lesson, student: Lesson, printed: str) -> list[tuple[Location, str]]:
    """The runs only the teacher's answers have that the student edition's ``printed`` text
    holds. Against whole texts, not words: "Word2Vec" in the glossary is the answer's too."""
    kept = "\n".join(text for _, text in lesson_texts(student))
    return [(loc, run) for loc, run in answer_only_runs(teacher, kept) if run in printed]


def _report(lesson: Lesson, label: str, fmt: str, text: str | None,
            words: list[tuple[Location, str]], numbers: dict[str, list[str]]) -> LessonReport:
    report = LessonReport(label, fmt, words=len(words),
                          expected_numbers={k: len(v) for k, v in numbers.items()})
    if text is None:
        report.losses.append(f"{lesson.loc}: {fmt}: missing the whole lesson (not built?)")
        report.kept_numbers = dict.fromkeys(numbers, 0)
        return report
    for loc, word in words:
        if word in text or (fmt == "pdf" and in_order(word, text)):
            report.words_kept += 1
        else:
            report.losses.append(f"{loc}: {fmt}: missing \"{word}\"")
    for kind, wanted in numbers.items():
        kept = [n for n in wanted if n in text]
        report.kept_numbers[kind] = len(kept)
        report.losses += [f"{lesson.loc}: {fmt}: missing \"{n}\"" for n in wanted if n not in kept]
    return report


def table(reports: list[LessonReport]) -> str:
    """lesson × format: words kept, figures, questions."""
    rows = [("lesson", "format", "words kept", "figures", "questions")]
    for r in reports:
        rows.append((r.label, r.fmt, f"{r.words_kept}/{r.words}",
                     f"{r.kept_numbers.get('figures', 0)}/{r.expected_numbers.get('figures', 0)}",
                     f"{r.kept_numbers.get('questions', 0)}/"
                     f"{r.expected_numbers.get('questions', 0)}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
                     for row in rows)
