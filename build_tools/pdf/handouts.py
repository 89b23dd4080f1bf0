"""One PDF per lesson ("handouts"), from the book's own WeasyPrint layout.

The book is laid out once; a lesson's handout is its pages of that layout, so it keeps the
book's page numbers and every page reference printed in it agrees with the book. This module
finds each lesson's pages (:func:`lesson_ranges`: from the page of its anchor to the page before
the next lesson's) and names their files (:func:`handout_paths`). The handouts are then:

- **sliced** from the part of the book just written (``join.slice_pages``, with pypdf): the
  pages, fonts and images are not drawn again; its bookmarks and destinations are the lesson's,
  and links out of it are dropped, their words kept. This is the usual route;
- **written** by WeasyPrint from a copy of the pages (:func:`handout_document`) for a tagged PDF
  (PDF/UA), which needs a structure tree of its own. A link to an anchor outside the handout
  would make WeasyPrint drop it *and log an ERROR*: such links are dropped first, on a copy of
  the page. :meth:`~weasyprint.Document.copy` shares the book's metadata object, so each
  handout gets a copy of it with its own title.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from weasyprint import Document, Page

from .pagerefs import forget_link_annotation


@dataclass(frozen=True)
class Handout:
    """One lesson's handout: its file name (without ``.pdf``), its title and its book pages.

    ``pages`` holds 0-based indexes into the book's ``Document.pages``.
    """

    label: str
    title: str
    pages: range


def page_of_anchor(document: Document, anchor_id: str) -> int | None:
    """Return the index of the first page whose anchors hold ``anchor_id``, or ``None``."""
    return next(
        (index for index, page in enumerate(document.pages) if anchor_id in page.anchors), None
    )


def lesson_ranges(
    document: Document, lessons: list[tuple[str, str, str]], end_anchor: str | None
) -> list[Handout]:
    """Find each lesson's pages in the rendered book.

    A lesson runs from the page of its anchor to the page before the next lesson's (the last
    lesson: to the page before ``end_anchor``'s, where the back matter starts, or to the last
    page). Front matter before the first lesson belongs to no handout.

    Without a forced page break, a page can hold the end of one lesson and the start of the
    next. That page then belongs to both handouts, so **ranges may overlap**. It is recognised
    when the lesson's anchor is also on it, which WeasyPrint records on every page an element
    spans: give the id of the element wrapping the whole lesson (its ``<section>``) for this to
    work. A lesson whose next one starts on the same page gets that one page.

    :param document: the book, as rendered by ``HTML.render()``
    :param lessons: ``(label, anchor id of the lesson's start, title)`` in book order
    :param end_anchor: the id where the back matter starts, or ``None`` when there is none
    :raises ValueError: naming every lesson (and the end anchor) not found in the document
    """
    starts = [page_of_anchor(document, anchor) for _, anchor, _ in lessons]
    end = len(document.pages) if end_anchor is None else page_of_anchor(document, end_anchor)
    _check_found(lessons, starts, end_anchor, end)
    stops = [*starts[1:], end]
    return [
        Handout(label, title, range(start, _last_page(document, anchor, start, stop) + 1))
        for (label, anchor, title), start, stop in zip(lessons, starts, stops, strict=True)
    ]


def _check_found(
    lessons: list[tuple[str, str, str]],
    starts: list[int | None],
    end_anchor: str | None,
    end: int | None,
) -> None:
    missing = [
        f"{label} (#{anchor})"
        for (label, anchor, _), start in zip(lessons, starts, strict=True)
        if start is None
    ]
    if end is None:
        missing.append(f"back matter (#{end_anchor})")
    if missing:
        raise ValueError(f"anchors not found in the rendered book: {', '.join(missing)}")


def _last_page(document: Document, anchor: str, start: int, stop: int) -> int:
    """The last page of a lesson starting on page ``start``, before what starts on ``stop``."""
    if stop < len(document.pages) and anchor in document.pages[stop].anchors:
        # The lesson's element continues on the page where the next part starts.
        return max(stop, start)
    return max(stop - 1, start)


def handout_paths(handouts: list[Handout], out_dir: Path) -> list[Path]:
    """``out_dir/<label>.pdf`` for each handout (``out_dir`` is created).

    :raises ValueError: when a label cannot be a file name
    """
    for handout in handouts:
        if Path(handout.label).name != handout.label or handout.label in ("", ".", ".."):
            raise ValueError(f"handout label is not a file name: {handout.label!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    return [out_dir / f"{handout.label}.pdf" for handout in handouts]


def handout_document(document: Document, handout: Handout) -> Document:
    """The handout's pages of ``document`` as a new document, ready for ``write_pdf``."""
    pages = [document.pages[index] for index in handout.pages]
    inside = {name for page in pages for name in page.anchors}
    part = document.copy([_without_links_outside(page, inside) for page in pages])
    part.metadata = _metadata_titled(document.metadata, handout.title)
    return part


def _without_links_outside(page: Page, inside: set[str]) -> Page:
    """The page itself, or a copy of it without the internal links to anchors not in ``inside``.

    The book's pages keep their links: the book may be written after its handouts.
    """
    outside = [link for link in page.links if link[0] == "internal" and link[1] not in inside]
    if not outside:
        return page
    for _, _, _, box in outside:
        forget_link_annotation(box)  # the book's, or a tagged handout would refer to it
    trimmed = copy.copy(page)
    trimmed.links = [link for link in page.links if link not in outside]
    return trimmed


def _metadata_titled(metadata, title: str):
    """A copy of the book's metadata with the handout's title.

    Its lists are copied too: ``write_pdf(xmp_metadata=...)`` appends to one of them.
    """
    titled = copy.copy(metadata)
    titled.title = title
    for name, value in vars(metadata).items():
        if isinstance(value, list | dict):
            setattr(titled, name, copy.copy(value))
    return titled
