"""The preflight's rules: each page measured, and each measure held to a fixed threshold.

The thresholds are the issue's (issue 14, item 5), not tuned to any book: at most 35 % of a text
block empty, a figure that would not fit even shrunk to 60 % excuses the gap before it, images
at the smaller of their source's pixels and 300 ppi at their printed size.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ...diagnostics import Kind
from ..images import PRINT_PPI
from .pages import MM, Page, Role
from .reading import Box, Picture, Run, Word

#: The kinds the preflight reports, one a rule (the other pdf.* kinds are the build's).
PREFLIGHT_KINDS = (Kind.PDF_TEXT_OUTSIDE, Kind.PDF_RUNNING_HEAD, Kind.PDF_HEADING_AT_FOOT,
                   Kind.PDF_EMPTY_PAGE, Kind.PDF_OVERLAP, Kind.PDF_LOW_RESOLUTION)
EMPTY_MAX = 0.35  # of the text block's height, at the page's foot
FIGURE_FLOOR = 0.60  # a figure may be shrunk to this much of its height to fit a page
# Poppler's box of a word runs from the font's ascent to its descent, 1.37 em for the Noto CJK
# faces; the glyphs keep to the em box in its middle. So that a heading set tighter than that
# (line-height 1.3) is not out of the text block, nor over its own next line, a box is first
# trimmed by this fraction of its height at the top and at the foot: to its em box.
GLYPH_SLACK = 0.135
# Text may touch the text block's edge (points).
EDGE_TOLERANCE = 1.0
# Two words overlap when their em boxes share more than this, across and down (points):
# neighbours on a line may share a sliver where one's advance meets the next's side bearing.
OVERLAP_TOLERANCE = 1.0
CAPTION_GAP = 14.0  # points between an image and the caption set under it
FULL_LINE = 0.9  # a line reaching this far across the text block is full: its text runs on
_PIXEL_ROUNDING = 1  # WeasyPrint rounds the pixels it keeps


@dataclass(frozen=True)
class Finding:
    """A rule a page breaks: what was measured against which threshold, in a sentence."""

    kind: Kind
    page: int
    folio: str
    measured: float
    threshold: float
    message: str


@dataclass(frozen=True)
class Figures:
    """A page's measures, for the preflight's table."""

    page: int
    folio: str
    role: Role
    empty: float  # fraction of the text block empty at the foot; 1.0 for a blank page
    head: str  # "yes/yes": a running head printed / expected
    outside: int  # words beyond the text block
    overlaps: int  # pairs of words drawn over one another
    ppi: float | None  # the lowest of the page's images, None without images


# --- Measures ---------------------------------------------------------------------------------

def outside_words(page: Page) -> list[tuple[Word, float]]:
    """The page's words beyond its text block, each with how far (points)."""
    found = []
    for word in page.text:
        box = em_box(word)
        beyond = max(page.block.x0 - box.x0, box.x1 - page.block.x1,
                     page.block.y0 - box.y0, box.y1 - page.block.y1)
        if beyond > EDGE_TOLERANCE:
            found.append((word, beyond))
    return found


def overlapping_words(page: Page) -> list[tuple[Word, Word]]:
    """Pairs of the page's words whose boxes overlap: glyphs drawn over glyphs."""
    boxes = sorted(((em_box(word), word) for word in page.sheet.words),
                   key=lambda pair: pair[0].x0)
    pairs = []
    for index, (box, word) in enumerate(boxes):
        for other_box, other in boxes[index + 1:]:
            if other_box.x0 >= box.x1 - OVERLAP_TOLERANCE:
                break
            if _shared(box, other_box) > OVERLAP_TOLERANCE:
                pairs.append((word, other))
    return pairs


def em_box(word: Word) -> Box:
    """The word's box trimmed to its glyphs' em box (see GLYPH_SLACK)."""
    trim = word.box.height * GLYPH_SLACK
    return Box(word.box.x0, word.box.y0 + trim, word.box.x1, word.box.y1 - trim)


def _shared(a: Box, b: Box) -> float:
    """How far two boxes overlap on their shorter shared side (0 if apart)."""
    across = min(a.x1, b.x1) - max(a.x0, b.x0)
    down = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(0.0, min(across, down))


def free_space(page: Page) -> float:
    """Points of the text block left empty below the page's last text, image or drawing (a
    ruled writing space is content)."""
    bottoms = ([word.box.y1 for word in page.text] + [p.box.y1 for p in page.pictures]
               + [box.y1 for box in page.drawings])
    if not bottoms:
        return page.block.height
    return max(0.0, page.block.y1 - max(bottoms))


def ppi(picture: Picture) -> float:
    """Pixels per inch at the printed size, the lower of the two directions."""
    return min(picture.pixels[0] * 72 / max(picture.box.width, 1e-6),
               picture.pixels[1] * 72 / max(picture.box.height, 1e-6))


def required_ppi(picture: Picture, source: tuple[int, int] | None) -> float:
    """The resolution the image must have: 300 ppi at its printed size, or all the source's
    pixels when it has fewer (an unknown source is held to 300 ppi)."""
    wanted = PRINT_PPI
    if source is not None:
        wanted = min(wanted, source[0] * 72 / max(picture.box.width, 1e-6),
                     source[1] * 72 / max(picture.box.height, 1e-6))
    return wanted


def figures(page: Page, outside: int, overlaps: int) -> Figures:
    """The page's row of the table, given the counts its rules measured."""
    printed, expected = bool(page.head), page.head_expected is not None
    lowest = min((ppi(p) for p in page.pictures), default=None)
    return Figures(page.number, page.folio, page.role, free_space(page) / page.block.height,
                   f"{_yes(printed)}/{_yes(expected)}", outside, overlaps, lowest)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


# --- Rules ------------------------------------------------------------------------------------

def text_outside(page: Page, found: list[tuple[Word, float]]) -> Iterator[Finding]:
    if found:
        word, beyond = max(found, key=lambda pair: pair[1])
        yield _finding(Kind.PDF_TEXT_OUTSIDE, page, len(found), 0,
                       f"{len(found)} word(s) outside the text block, the farthest "
                       f"{beyond / MM:.1f} mm out: {_quote(word.text)}")


def running_head(page: Page) -> Iterator[Finding]:
    printed, expected = _squeezed(page.head), page.head_expected
    if expected is None and printed:
        yield _finding(Kind.PDF_RUNNING_HEAD, page, 1, 0,
                       f"a running head {_quote(page.head)} where none belongs "
                       f"({page.role.value} page)")
    elif expected is not None and not printed:
        yield _finding(Kind.PDF_RUNNING_HEAD, page, 0, 1,
                       f"no running head; expected {_quote(expected)}")
    elif expected is not None and printed != _squeezed(expected):
        yield _finding(Kind.PDF_RUNNING_HEAD, page, 0, 1,
                       f"the running head reads {_quote(page.head)}; expected "
                       f"{_quote(expected)}")


def heading_at_foot(page: Page) -> Iterator[Finding]:
    # A section's last page may end with a heading nothing follows (an empty part): no page
    # break parts it from its text.
    if page.role in (Role.COVER, Role.BLANK) or page.section_end:
        return
    line = _last_line(page)
    if line and _is_heading(line, page.block) and not _by_a_figure(line, page.pictures) \
            and not _ruled_below(line, page.drawings):
        text = " ".join(run.text.strip() for run in sorted(line, key=lambda r: r.box.x0))
        yield _finding(Kind.PDF_HEADING_AT_FOOT, page, 1, 0,
                       f"the page ends with a heading: {_quote(text)}")


def empty_page(page: Page, following: Page | None) -> Iterator[Finding]:
    if page.role is Role.COVER or page.section_end:
        return
    if page.role is Role.BLANK and page.number % 2 == 0:
        return  # a blank verso: the next section starts on a right-hand page
    free = free_space(page)
    empty = free / page.block.height
    if empty <= EMPTY_MAX or _tall_figure_next(free, following):
        return
    yield _finding(Kind.PDF_EMPTY_PAGE, page, empty, EMPTY_MAX,
                   f"{empty:.0%} of the text block empty at the foot ({free / MM:.0f} mm), "
                   f"at most {EMPTY_MAX:.0%}")


def image_resolution(page: Page, sources: Sequence[tuple[int, int] | None]) -> Iterator[Finding]:
    for picture, source in zip(page.pictures, sources, strict=True):
        wanted = required_ppi(picture, source)
        has = ppi(picture)
        short = has * (1 + _PIXEL_ROUNDING / max(min(picture.pixels), 1)) < wanted
        if short:
            origin = f"source {source[0]}×{source[1]} px" if source else "source unknown"
            yield _finding(Kind.PDF_LOW_RESOLUTION, page, has, wanted,
                           f"an image of {picture.pixels[0]}×{picture.pixels[1]} px printed "
                           f"{picture.box.width / MM:.0f}×{picture.box.height / MM:.0f} mm "
                           f"is {has:.0f} ppi; it needs {wanted:.0f} ({origin})")


def overlaps(page: Page, pairs: list[tuple[Word, Word]]) -> Iterator[Finding]:
    if pairs:
        first, second = pairs[0]
        yield _finding(Kind.PDF_OVERLAP, page, len(pairs), 0,
                       f"{len(pairs)} pair(s) of words drawn over each other, e.g. "
                       f"{_quote(first.text)} and {_quote(second.text)}")


def judge(page: Page, following: Page | None,
          sources: Sequence[tuple[int, int] | None]) -> tuple[Figures, list[Finding]]:
    """``page``'s measures and every rule it breaks; ``following`` is the next page (None
    for the last), ``sources`` the source pixels of its images (None: unknown)."""
    outside, pairs = outside_words(page), overlapping_words(page)
    findings = [*text_outside(page, outside), *running_head(page), *heading_at_foot(page),
                *empty_page(page, following), *overlaps(page, pairs),
                *image_resolution(page, sources)]
    return figures(page, len(outside), len(pairs)), findings


# --- Helpers ----------------------------------------------------------------------------------

def _finding(kind: Kind, page: Page, measured: float, threshold: float, message: str) -> Finding:
    return Finding(kind, page.number, page.folio, measured, threshold, message)


def _quote(text: str, most: int = 30) -> str:
    return f'"{text if len(text) <= most else text[:most] + "…"}"'


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _last_line(page: Page) -> list[Run]:
    """The runs of the page's lowest line of text in the text block."""
    block = page.block
    runs = [run for run in page.sheet.runs if run.text.strip()
            and block.y0 <= (run.box.y0 + run.box.y1) / 2 <= block.y1]
    if not runs:
        return []
    lowest = max(runs, key=lambda run: run.box.y1)
    middle = lowest.box.y0 + lowest.box.height / 2
    return [run for run in runs if run.box.y0 < middle < run.box.y1 or
            lowest.box.y0 < (run.box.y0 + run.box.y1) / 2 < lowest.box.y1]


def _is_heading(line: list[Run], block: Box) -> bool:
    """A line all in bold is a heading when set in the sans face (headings, question and
    answer titles: print.css; one may hold code, in the mono face), or when it stands short
    of the measure (a glossary term, a bold line standing as a heading): a bold paragraph
    that runs on to the next page fills its line."""
    if not all(run.bold for run in line):
        return False
    sans = any("Sans" in run.face and "Mono" not in run.face for run in line)
    right = max(run.box.x1 for run in line)
    return sans or right < block.x0 + FULL_LINE * block.width


def _ruled_below(line: list[Run], drawings: tuple[Box, ...]) -> bool:
    """Whether something is drawn below the line (a ruled writing space under a question's
    title): the line is not the last thing on the page."""
    bottom = max(run.box.y1 for run in line)
    return any(box.y0 > bottom for box in drawings)


def _by_a_figure(line: list[Run], pictures: tuple[Picture, ...]) -> bool:
    """The line is a figure's caption (just under an image), or an image reaches below it.
    An image no taller than the line is a glyph (a colour emoji), not a figure."""
    top = min(run.box.y0 for run in line)
    height = max(run.box.y1 for run in line) - top
    return any(picture.box.height > height and (
        picture.box.y1 > top or 0 <= top - picture.box.y1 <= CAPTION_GAP) for picture in pictures)


def _tall_figure_next(free: float, following: Page | None) -> bool:
    """The next page starts with an image that would not fit this page's free space even
    shrunk to the floor: the gap is the figure's, not the layout's."""
    if following is None or not following.pictures:
        return False
    first = min(following.pictures, key=lambda picture: picture.box.y0)
    text_top = min((word.box.y0 for word in following.text), default=float("inf"))
    return first.box.y0 <= text_top and first.box.height * FIGURE_FLOOR > free
