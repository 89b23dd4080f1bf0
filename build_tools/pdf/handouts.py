"""One PDF per lesson ("handouts"), cut from the book's own WeasyPrint render.

The book is laid out once (``HTML(...).render()``); each handout is a
:meth:`weasyprint.Document.copy` of the lesson's pages, painted again but never laid out
again. So a handout keeps the book's page numbers, and every page reference printed in it
(``target-counter``) agrees with the book.

What a copy keeps and what this module changes:

- **Bookmarks** come from the copied pages only, so a handout's outline is its own lesson's.
- **Named destinations** are the anchors of the copied pages only.
- **Internal links** to an anchor outside the handout would make WeasyPrint drop the link
  *and log an ERROR* ("No anchor #… for internal URI reference"), which fails our build. We
  drop those links first, on a copy of the page: their text stays, without a link annotation.
  (In a tagged PDF, WeasyPrint would also have pointed the structure tree at the annotation
  it made for the book: we forget that one, see :func:`_without_links_outside`.)
- **Metadata**: :meth:`~weasyprint.Document.copy` shares the book's metadata object, so a
  title set on it would rename the book too. Each handout gets its own copy with its title;
  authors, language, dates and the rest stay the book's.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from weasyprint import Document, Page


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


def write_handouts(
    document: Document, handouts: list[Handout], out_dir: Path, **pdf_options
) -> list[Path]:
    """Write ``out_dir/<label>.pdf`` for each handout; return the paths written.

    ``out_dir`` holds handouts only: any other ``*.pdf`` in it is a handout of a lesson that
    no longer exists, and is removed.

    :param document: the book, as rendered by ``HTML.render()``; its pages, links and
        metadata are left as they are, so it can be written before or after its handouts
    :param handouts: from :func:`lesson_ranges`
    :param out_dir: created when missing
    :param pdf_options: passed to :meth:`weasyprint.Document.write_pdf`
    :raises ValueError: when a label cannot be a file name
    """
    paths = handout_paths(handouts, out_dir)
    for handout, path in zip(handouts, paths, strict=True):
        handout_document(document, handout).write_pdf(path, **pdf_options)
    remove_stale(out_dir, keep=paths)
    return paths


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
        # A tagged PDF (pdf_tags) refers to the annotation last made for a link's box, and
        # WeasyPrint makes one only for the links it writes: forget the one the book made.
        box.link_annotation = None
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


def remove_stale(out_dir: Path, keep: Iterable[Path]) -> None:
    kept = {path.name for path in keep}
    for path in out_dir.glob("*.pdf"):
        if path.name not in kept:
            path.unlink()
