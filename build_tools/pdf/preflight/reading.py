"""A printed book read back: each page's words, runs of text with their font, and images; the
book's bookmarks and title.

Poppler reads the text: ``pdftotext -bbox`` each word's box (to a hundredth of a point), and
``pdftohtml -xml -i`` each run of text with its font face and weight, which ``-bbox`` does not
give. pypdf reads the page boxes, the outline, the title and where each image is drawn (the
transformation in force at its ``Do``) with its pixel size. Every box is in points from the
top-left corner of the trimmed page, so a PDF with bleed reads like one without.
"""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ContentStream


@dataclass(frozen=True)
class Box:
    """A rectangle in points, from the top-left corner of the trimmed page."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def shifted(self, dx: float, dy: float) -> Box:
        return Box(self.x0 - dx, self.y0 - dy, self.x1 - dx, self.y1 - dy)


@dataclass(frozen=True)
class Word:
    box: Box
    text: str


@dataclass(frozen=True)
class Run:
    """Text set in one font, as ``pdftohtml`` groups it: a line or a piece of one."""

    box: Box
    text: str
    bold: bool
    face: str  # the font's family name, without the subset prefix: "Noto-Sans-CJK-SC"


@dataclass(frozen=True)
class Picture:
    """A raster image as drawn: where, and how many pixels the PDF holds for it."""

    box: Box
    pixels: tuple[int, int]


@dataclass(frozen=True)
class Sheet:
    """One page of the PDF as read, before anything is judged."""

    number: int  # 1-based, in the file
    width: float  # of the trimmed page, in points
    height: float
    words: tuple[Word, ...]
    runs: tuple[Run, ...]
    pictures: tuple[Picture, ...]
    # Paths painted on the page (rules, boxes, backgrounds): the writing space of the student
    # edition is ruled lines and boxes, with no text or image.
    drawings: tuple[Box, ...] = ()


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 1-based
    level: int  # 1 for the outline's top level


@dataclass(frozen=True)
class PrintedBook:
    path: Path
    title: str
    sheets: tuple[Sheet, ...]
    bookmarks: tuple[Bookmark, ...]


class UnreadablePdf(Exception):
    """The file is not a PDF poppler and pypdf can read; the message says which tool failed."""


def read_book(pdf: Path) -> PrintedBook:
    """Read every page of ``pdf``; the two poppler tools run while pypdf reads.

    :raises UnreadablePdf: when poppler or pypdf cannot read it
    """
    with ThreadPoolExecutor(2) as pool:
        words_xml = pool.submit(_poppler, ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"])
        runs_xml = pool.submit(_poppler, ["pdftohtml", "-xml", "-i", "-q", "-stdout",
                                          "-enc", "UTF-8", str(pdf)])
        try:
            reader = PdfReader(pdf)
            frames = [_frame(page) for page in reader.pages]
            pictures = [tuple(_pictures(reader, page)) for page in reader.pages]
            drawings = [tuple(_drawings(page)) for page in reader.pages]
            bookmarks = tuple(_bookmarks(reader, reader.outline, 1))
            title = (reader.metadata.title if reader.metadata else None) or ""
        except (PdfReadError, OSError, ValueError, KeyError) as error:
            raise UnreadablePdf(f"pypdf: {error}") from None
        words, runs = _words(words_xml.result()), _runs(runs_xml.result())
    sheets = []
    for index, ((dx, dy, width, height), crop_width) in enumerate(frames):
        page_runs, pixels_wide = runs.get(index + 1, ([], crop_width))
        scale = crop_width / pixels_wide  # pdftohtml draws at 1.5 pixels a point
        sheets.append(Sheet(
            index + 1, width, height,
            tuple(Word(w.box.shifted(dx, dy), w.text) for w in words.get(index + 1, ())),
            tuple(Run(_scaled(r.box, scale).shifted(dx, dy), r.text, r.bold, r.face)
                  for r in page_runs),
            pictures[index], tuple(box.shifted(dx, dy) for box in drawings[index])))
    return PrintedBook(pdf, title, tuple(sheets), bookmarks)


def _poppler(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8",
                            errors="replace")
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise UnreadablePdf(f"{command[0]}: {reason}")
    return result.stdout


def _frame(page) -> tuple[tuple[float, float, float, float], float]:
    """Where the trim box lies in poppler's coordinates (from the crop box's top-left):
    ``(dx, dy, width, height)``, and the crop box's width (pdftohtml's scale)."""
    crop, trim = page.cropbox, page.trimbox
    dx = float(trim.left) - float(crop.left)
    dy = float(crop.top) - float(trim.top)
    return (dx, dy, float(trim.width), float(trim.height)), float(crop.width)


# --- Words and runs ---------------------------------------------------------------------------

_PAGE = re.compile(r"<page\b")
_WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">'
                   r"(.*?)</word>")


def _words(bbox_html: str) -> dict[int, list[Word]]:
    """``pdftotext -bbox`` output → each page's words, by page number."""
    pages: dict[int, list[Word]] = {}
    number = 0
    for line in bbox_html.splitlines():
        if _PAGE.search(line):
            number += 1
            pages[number] = []
        elif match := _WORD.search(line):
            x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
            pages[number].append(Word(Box(x0, y0, x1, y1), html.unescape(match.group(5))))
    return pages


_XML_PAGE = re.compile(r'<page number="(\d+)"[^>]*\bwidth="([\d.]+)"')
_FONTSPEC = re.compile(r'<fontspec id="(\d+)"[^>]*family="([^"]*)"')
_TEXT = re.compile(r'<text top="(-?\d+)" left="(-?\d+)" width="(\d+)" height="(\d+)" '
                   r'font="(\d+)">(.*)</text>')


def _runs(xml: str) -> dict[int, tuple[list[Run], float]]:
    """``pdftohtml -xml`` output → each page's runs (in pdftohtml's pixels) and its scale.

    A run is bold when all its text is inside ``<b>``; fonts are declared once, on the first
    page that uses them, and keep their ids for the rest of the document.
    """
    pages: dict[int, tuple[list[Run], float]] = {}
    faces: dict[str, str] = {}
    runs: list[Run] = []
    for line in xml.splitlines():
        if page := _XML_PAGE.search(line):
            runs = []
            pages[int(page.group(1))] = (runs, float(page.group(2)))
        elif spec := _FONTSPEC.search(line):
            faces[spec.group(1)] = spec.group(2).split("+", 1)[-1]
        elif text := _TEXT.search(line):
            top, left, width, height = (int(v) for v in text.groups()[:4])
            content = text.group(6)
            plain = html.unescape(re.sub(r"<[^>]+>", "", content))
            outside_bold = re.sub(r"<[^>]+>", "", re.sub(r"<b>.*?</b>", "", content))
            runs.append(Run(Box(left, top, left + width, top + height), plain,
                            bool(plain.strip()) and not outside_bold.strip(),
                            faces.get(text.group(5), "")))
    return pages


def _scaled(box: Box, scale: float) -> Box:
    return Box(box.x0 * scale, box.y0 * scale, box.x1 * scale, box.y1 * scale)


# --- Images -----------------------------------------------------------------------------------

_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_DRAWS = re.compile(rb"\sDo\b")


def _pictures(reader: PdfReader, page) -> Iterator[Picture]:
    contents = page.get_contents()
    if contents is None or not _DRAWS.search(contents.get_data()):
        return  # most pages draw no XObject: their text is not parsed
    resources = page.get("/Resources", {})
    trim = page.trimbox
    for matrix, pixels in _drawn_images(reader, ContentStream(contents, reader), resources,
                                        _IDENTITY, depth=0):
        xs = [matrix[4], matrix[0] + matrix[4], matrix[2] + matrix[4],
              matrix[0] + matrix[2] + matrix[4]]
        ys = [matrix[5], matrix[1] + matrix[5], matrix[3] + matrix[5],
              matrix[1] + matrix[3] + matrix[5]]
        left, top = float(trim.left), float(trim.top)
        yield Picture(Box(min(xs) - left, top - max(ys), max(xs) - left, top - min(ys)), pixels)


def _drawn_images(reader: PdfReader, content: ContentStream, resources, matrix, depth: int):
    """Each image XObject drawn by ``content`` (and the forms it draws), with the
    transformation that maps the unit square onto it."""
    saved: list = []
    for operands, operator in content.operations:
        if operator in _STATE:
            matrix = _state(operator, operands, matrix, saved)
        elif operator == b"Do":
            xobject = resources.get_object()["/XObject"][operands[0]].get_object()
            if xobject.get("/Subtype") == "/Image":
                yield matrix, (int(xobject["/Width"]), int(xobject["/Height"]))
            elif xobject.get("/Subtype") == "/Form" and depth < 8:
                form = tuple(float(v) for v in xobject.get("/Matrix", _IDENTITY))
                yield from _drawn_images(reader, ContentStream(xobject, reader),
                                         xobject.get("/Resources", resources),
                                         _times(form, matrix), depth + 1)


_PAINTS = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}


def _drawings(page) -> Iterator[Box]:
    """The box of each path the page's own content paints (forms are not entered: WeasyPrint
    draws rules and boxes in the page's stream), in points from the trimmed page's top left."""
    contents = page.get_contents()
    if contents is None:
        return
    matrix, saved, points = _IDENTITY, [], []
    trim = page.trimbox
    left, top = float(trim.left), float(trim.top)
    for operands, operator in ContentStream(contents, None).operations:
        if operator in _STATE:
            matrix = _state(operator, operands, matrix, saved)
        elif operator in (b"m", b"l"):
            points.append(_apply(matrix, float(operands[0]), float(operands[1])))
        elif operator == b"re":
            x, y, w, h = (float(v) for v in operands)
            points += [_apply(matrix, x, y), _apply(matrix, x + w, y + h)]
        elif operator in _PAINTS or operator == b"n":
            if operator != b"n" and points:
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                yield Box(min(xs) - left, top - max(ys), max(xs) - left, top - min(ys))
            points = []


def _apply(matrix, x: float, y: float) -> tuple[float, float]:
    return (matrix[0] * x + matrix[2] * y + matrix[4], matrix[1] * x + matrix[3] * y + matrix[5])


_STATE = {b"q", b"Q", b"cm"}


def _state(operator: bytes, operands, matrix, saved: list):
    """The transformation after a graphics-state operator: ``q`` saves it, ``Q`` restores
    it, ``cm`` multiplies it."""
    if operator == b"q":
        saved.append(matrix)
    elif operator == b"Q" and saved:
        matrix = saved.pop()
    elif operator == b"cm":
        matrix = _times(tuple(float(v) for v in operands), matrix)
    return matrix


def _times(a, b) -> tuple[float, ...]:
    """The product of two PDF matrices ``[a b c d e f]``: ``a`` applied first."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


# --- Outline ----------------------------------------------------------------------------------

def _bookmarks(reader: PdfReader, outline, level: int) -> Iterator[Bookmark]:
    for entry in outline:
        if isinstance(entry, list):
            yield from _bookmarks(reader, entry, level + 1)
            continue
        page = reader.get_destination_page_number(entry)
        if page is not None and page >= 0:
            yield Bookmark(str(entry.title), page + 1, level)
