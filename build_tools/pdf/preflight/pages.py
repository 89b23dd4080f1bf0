"""What each page of a printed book is, read from the PDF alone.

- **Text block**: the paper is known by the trimmed page's size, its margins from
  :mod:`..page`; odd pages (1, 3, …: the first page of a PDF is a right-hand page) have the
  wider inner margin on the left, even pages on the right.
- **Margin words**: words wholly above the text block are the running head; words wholly below
  it that are a page number (Arabic or roman) are the folio. Every other word is the page's text.
- **Blank**: no text, no image and no painted path (a rule, a box) in the text block (a
  running head or folio on it is still judged).
- **Sections**: each top-level bookmark starts one (a lesson, the contents, the back matter);
  so does page 1. The pages before the first bookmark are the **cover**. The bookmark titled
  :data:`~..document.CONTENTS_TITLE` opens the **contents**, which run while each page has a
  dotted leader; front matter after them (the preface), up to the first other top-level
  bookmark, is **front**. A lesson's first page, with its bookmark, is an **opening**; the rest
  of it is **body**.
- **A section's last page**: the last non-blank page before the next section starts, before a
  blank page, or at the end of the file.
- **Running head expected**: none on blank pages, the cover, the front matter and openings; on
  body pages the book's title (the PDF's title) on even pages, the section's bookmark title on
  odd ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from ..document import CONTENTS_TITLE
from ..page import margins_mm, paper_of
from .reading import Box, Picture, PrintedBook, Sheet, Word

MM = 72 / 25.4
_FOLIO = re.compile(r"^(\d+|[ivxlcdm]+)$")
_LEADER_DOTS = 3  # a contents line: its title, "." at least this many times, its page


class Role(Enum):
    COVER = "cover"
    CONTENTS = "contents"
    FRONT = "front"
    OPENING = "opening"
    BODY = "body"
    BLANK = "blank"


class UnknownPaper(Exception):
    """The page is no paper size the book is printed on: its text block is unknown."""


@dataclass(frozen=True)
class Page:
    """A page with what it is and what it should show."""

    sheet: Sheet
    role: Role
    block: Box
    text: tuple[Word, ...]  # the words of the page, its running head and folio excepted
    head: str  # the running head as printed, "" if none
    head_expected: str | None  # what it should read; None: no head here
    folio: str  # the printed page number, "" if none
    section: str  # the title of the section the page belongs to
    section_end: bool  # the last page of its section (a lesson's, the contents', …)

    @property
    def number(self) -> int:
        return self.sheet.number

    @property
    def pictures(self) -> tuple[Picture, ...]:
        return self.sheet.pictures

    @property
    def drawings(self) -> tuple[Box, ...]:
        """The paths painted inside the text block (rules, boxes), a page-wide one excepted."""
        return drawn_in(self.sheet, self.block)


def drawn_in(sheet: Sheet, block: Box) -> tuple[Box, ...]:
    """The sheet's painted paths that lie in ``block`` and do not cover most of it (a page's
    background is not content)."""
    slack = 2.0
    return tuple(box for box in sheet.drawings
                 if box.x0 >= block.x0 - slack and box.x1 <= block.x1 + slack
                 and box.y0 >= block.y0 - slack and box.y1 <= block.y1 + slack
                 and box.width * box.height < 0.9 * block.width * block.height)


def text_block(sheet: Sheet) -> Box:
    """The text block of ``sheet``, mirrored on even pages.

    :raises UnknownPaper: when the trimmed page is no known paper size
    """
    paper = paper_of(sheet.width / MM, sheet.height / MM)
    if paper is None:
        raise UnknownPaper(f"page {sheet.number}: {sheet.width / MM:.0f} × "
                           f"{sheet.height / MM:.0f} mm is no paper size the book is printed on")
    m = margins_mm(paper)
    left, right = (m["inner"], m["outer"]) if sheet.number % 2 else (m["outer"], m["inner"])
    return Box(left * MM, m["top"] * MM, sheet.width - right * MM,
               sheet.height - m["bottom"] * MM)


def classify(book: PrintedBook) -> list[Page]:
    """Every page of ``book`` with its role, text block, running head and section."""
    blocks = [text_block(sheet) for sheet in book.sheets]
    margins = [_margin_words(sheet, block) for sheet, block in zip(book.sheets, blocks,
                                                                    strict=True)]
    blank = [not text and not sheet.pictures and not drawn_in(sheet, block)
             for (text, _, _), sheet, block in zip(margins, book.sheets, blocks, strict=True)]
    roles, sections = _roles(book, blank)
    starts = _section_starts(book, roles)
    pages = []
    for index, sheet in enumerate(book.sheets):
        text, head, folio = margins[index]
        role = roles[index]
        following = index + 1
        end = not blank[index] and (following == len(book.sheets) or blank[following]
                                    or sheet.number + 1 in starts)
        pages.append(Page(sheet, role, blocks[index], text, head,
                          _head_expected(role, sheet.number, book.title, sections[index]),
                          folio, sections[index], end))
    return pages


def _margin_words(sheet: Sheet, block: Box) -> tuple[tuple[Word, ...], str, str]:
    """The page's own words, its running head and its folio."""
    text, head, folio = [], [], []
    for word in sheet.words:
        if word.box.y1 <= block.y0:
            head.append(word.text)
        elif word.box.y0 >= block.y1 and _FOLIO.match(word.text):
            folio.append(word.text)
        else:
            text.append(word)
    return tuple(text), " ".join(head), " ".join(folio)


def _roles(book: PrintedBook, blank: list[bool]) -> tuple[list[Role], list[str]]:
    """Each page's role and the title of its section."""
    tops = {}
    for mark in book.bookmarks:
        if mark.level == 1:
            tops.setdefault(mark.page, mark.title)
    contents = _contents_pages(book, tops)
    first_lesson = min((page for page, title in tops.items() if page not in contents),
                       default=len(book.sheets) + 1)
    roles, sections, section = [], [], ""
    for sheet, empty in zip(book.sheets, blank, strict=True):
        number = sheet.number
        section = tops.get(number, section)
        sections.append(section)
        if empty:
            roles.append(Role.BLANK)
        elif number < min(tops, default=2):
            roles.append(Role.COVER)
        elif number in contents:
            roles.append(Role.CONTENTS)
        elif number < first_lesson:
            roles.append(Role.FRONT)
        else:
            roles.append(Role.OPENING if number in tops else Role.BODY)
    return roles, sections


def _contents_pages(book: PrintedBook, tops: dict[int, str]) -> set[int]:
    """The contents: its bookmark's page, and the pages after it with a dotted leader."""
    start = next((page for page, title in sorted(tops.items()) if title == CONTENTS_TITLE), None)
    if start is None:
        return set()
    pages = {start}
    for number in range(start + 1, len(book.sheets) + 1):
        dots = sum(word.text == "." for word in book.sheets[number - 1].words)
        if number in tops or dots < _LEADER_DOTS:
            break
        pages.add(number)
    return pages


def _section_starts(book: PrintedBook, roles: list[Role]) -> set[int]:
    """Pages that begin a section: page 1, top-level bookmarks, the page after the contents."""
    starts = {1} | {mark.page for mark in book.bookmarks if mark.level == 1}
    contents = [number for number, role in enumerate(roles, 1) if role is Role.CONTENTS]
    if contents:
        starts.add(max(contents) + 1)
    return starts


def _head_expected(role: Role, number: int, book_title: str, section: str) -> str | None:
    if role is not Role.BODY:
        return None
    return section if number % 2 else book_title
