"""White space on the printed page: a figure pushed to the next page is scaled to fit instead.

WeasyPrint has no page floats: a figure that does not fit below the text before it moves to the
next page whole, and can leave most of a page empty. After the layout, the marks the print
builder put around each figure (:mod:`build_tools.sphinx_ext.print_fit`) say where the text
before it ended and how tall the figure and its image are. Where a figure left more than a third
of the text block empty, its image is given a height at which the figure fits that room, if
that is no less than 60 % of its height; the lessons holding such figures are laid out again
and their pages replace the first ones. A lesson starts on a right-hand page, so a lesson laid
out alone has the pages it has in the book (see :mod:`.parts`). Laying a lesson out again costs
what its first layout did, so no more than a fifth of a part's pages are (16 pages in a short
book; the lessons with the most such figures for their length first): a figure left out still
leaves its page empty, and the print preflight says so. A scaled figure moves what follows:
the lessons laid out again are looked at again (three passes at most, in the same budget).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..sphinx_ext.print_fit import MARK_AFTER, MARK_BEFORE, MARK_IMAGE
from .document import TOC_END, TOC_START, Section

SPILL_LIMIT = 0.2  # of the text block: contents whose last page holds less are tightened
EMPTY_LIMIT = 1 / 3  # of the text block's height: more empty than this is fixed
SCALE_FLOOR = 0.6  # an image is never printed smaller than this for the sake of a page
# At most this share of a part's pages is laid out again: a page costs the same each time, and
# the PDF may cost at most 15 % more for its white space (the write is a third of its time).
RELAYOUT_BUDGET = 0.2
MAX_PASSES = 3
RELAYOUT_FLOOR = 16  # pages: in a short book, a second or so, every such figure is fitted
_SLACK_PX = 4.0  # rounding in WeasyPrint's line heights
PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class FigureFit:
    """An image's new height (CSS px) so that its figure fits the room before it."""

    figure_id: str
    image_height_px: float


def figures_to_fit(pages: Sequence, text_top_px: float, text_bottom_px: float) -> list[FigureFit]:
    """The figures that left more than EMPTY_LIMIT of a page empty and fit it at SCALE_FLOOR.

    :param pages: laid-out pages (each with ``anchors``: id → (x, y) in CSS px)
    :param text_top_px: where the text block starts on a page, from its top
    :param text_bottom_px: where it ends
    """
    where = {anchor: (number, point[1]) for number, page in enumerate(pages)
             for anchor, point in page.anchors.items()}
    block = text_bottom_px - text_top_px
    fits = []
    for anchor, (page, before_y) in where.items():
        if not anchor.startswith(MARK_BEFORE):
            continue
        name = anchor[len(MARK_BEFORE):]
        figure, image, after = (where.get(name), where.get(MARK_IMAGE + name),
                                where.get(MARK_AFTER + name))
        if figure is None or image is None or after is None or figure[0] != page + 1:
            continue  # not pushed to the next page, or not measurable
        free = text_bottom_px - before_y
        if free <= EMPTY_LIMIT * block or image[0] != figure[0] or after[0] != figure[0]:
            continue
        image_height = image[1] - figure[1]
        wanted = image_height - (after[1] - figure[1] - free) - _SLACK_PX
        if image_height > 0 and wanted >= SCALE_FLOOR * image_height:
            fits.append(FigureFit(name, wanted))
    return fits


def with_fits(section_html: str, fits: Sequence[FigureFit]) -> str:
    """The section's HTML with each fitted figure's image limited to its new height."""
    for fit in fits:
        figure = re.search(rf'<figure\b[^>]*\bid="{re.escape(fit.figure_id)}"', section_html)
        if figure is None:
            continue
        image = re.compile(r"<img\b").search(section_html, figure.end())
        if image is None:
            continue
        style = f' style="max-height: {fit.image_height_px:.1f}px"'
        section_html = section_html[:image.end()] + style + section_html[image.end():]
    return section_html


# (sections, whether to end on a left page with a last page to drop) → a laid-out document
Render = Callable[[list[Section], bool], object]


def refit_figures(body, sections: list[Section], render: Render, text_top_px: float,
                  text_bottom_px: float, last_part: bool):
    """``body`` with the lessons whose figures left too much white space laid out again.

    A figure scaled moves what follows it: the lessons laid out again are looked at again, up
    to MAX_PASSES times, all passes within one budget of pages.

    :param body: the part's laid-out document: its sections' pages in order, from the first
    :param last_part: the book ends with this part's last section (no blank page after it)
    """
    budget = max(RELAYOUT_FLOOR, RELAYOUT_BUDGET * len(body.pages))
    applied: dict[str, FigureFit] = {}
    for _ in range(MAX_PASSES):
        fits = figures_to_fit(body.pages, text_top_px, text_bottom_px)
        old = _section_pages(body.pages, sections)
        if not fits or len(old) != len(sections):
            break
        counts = {name: len(pages) for name, pages in old.items()}
        touched = within_budget(sections, fits, counts, budget)
        if not touched:
            break
        budget -= sum(counts[s.id] for s in touched)
        applied.update((fit.figure_id, fit) for fit in fits)
        ends_book = last_part and touched[-1] is sections[-1]
        again = render([replace(s, html=with_fits(s.html, list(applied.values())))
                        for s in touched], not ends_book)
        new = _section_pages(again.pages if ends_book else again.pages[:-1], touched)
        body = body.copy([page for s in sections for page in new.get(s.id, old[s.id])])
    return body


def within_budget(sections: list[Section], fits: Sequence[FigureFit],
                  page_counts: dict[str, int], budget_pages: float) -> list[Section]:
    """The sections to lay out again, in book order: those with the most fitted figures for
    their pages first, as long as their pages add up to no more than ``budget_pages``."""
    found = {s.id: sum(fit.figure_id in s.ids for fit in fits) for s in sections}
    ranked = sorted((s for s in sections if found[s.id]),
                    key=lambda s: -found[s.id] / max(1, page_counts[s.id]))
    chosen, spent = set(), 0
    for section in ranked:
        if spent + page_counts[section.id] <= budget_pages:
            chosen.add(section.id)
            spent += page_counts[section.id]
    return [s for s in sections if s.id in chosen]


def _section_pages(pages: Sequence, sections: list[Section]) -> dict[str, list]:
    """Each section's pages (a blank page after it included), up to where the next begins."""
    starts: dict[str, int] = {}
    for number, page in enumerate(pages):
        for section in sections:
            if section.id in page.anchors:
                starts.setdefault(section.id, number)
    ordered = [s.id for s in sections if s.id in starts]
    bounds = [starts[name] for name in ordered] + [len(pages)]
    return {name: list(pages[bounds[k]:bounds[k + 1]]) for k, name in enumerate(ordered)}


def contents_spill(pages: Sequence, text_top_px: float, text_bottom_px: float) -> bool:
    """Whether the contents run onto a page of their own for a few lines (less than
    SPILL_LIMIT of its text block): set a little closer, they may end a page sooner."""
    first, last = _marks(pages, TOC_START), _marks(pages, TOC_END)
    if first is None or last is None:
        return False
    return last[0] > first[0] and last[1] - text_top_px < SPILL_LIMIT * (
        text_bottom_px - text_top_px)


def contents_end_page(pages: Sequence) -> int:
    """The page the contents end on (-1 without contents)."""
    found = _marks(pages, TOC_END)
    return -1 if found is None else found[0]


def _marks(pages: Sequence, anchor: str) -> tuple[int, float] | None:
    """The page and height at which ``anchor`` is, if it is anywhere."""
    for number, page in enumerate(pages):
        if anchor in page.anchors:
            return number, page.anchors[anchor][1]
    return None
