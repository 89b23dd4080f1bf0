"""The one adapter to WeasyPrint's laid-out pages: page numbers written in after the layout.

CSS ``target-counter()`` makes WeasyPrint lay out every page holding a reference a second
time once the target's page is known (a third of the whole layout on a 40-lesson book), and it
cannot reach across parts of the book laid out in separate processes. The print document
instead holds a placeholder as wide as any page number (``9999``) in a span naming its target;
after the one layout, :func:`fill_page_numbers` writes each target's page label into the
laid-out text and moves the rest of its line left by what the number is narrower. Line breaks
were decided with the wider placeholder, so no line can overflow.

This reaches into WeasyPrint's laid-out boxes (``Page._page_box``, ``TextBox.text`` and its
``pango_layout.text``, which drawing shapes again; a link box's ``link_annotation``), which no
release promises to keep: only here, and only for the versions in :data:`EDITABLE`, checked at
start-up by :func:`layout_editable`. With any other version the PDF stage lays the book out in
one piece and lets WeasyPrint count the pages (:data:`COUNTED_BY_CSS`): slower, the same book.
Tests read the numbers back from the PDF, and lay the book out both ways.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import Layout, line_size

from ..print_manifest import TARGET_ATTRIBUTE

# The WeasyPrint releases whose laid-out boxes this module was written against (and tested).
EDITABLE = ("70.",)
# Without the edit: every page reference and contents entry counted by WeasyPrint itself.
COUNTED_BY_CSS = """
.print-toc a::after { content: leader(". ") target-counter(attr(href), page); }
.page-number[data-page-href]::before { content: target-counter(attr(data-page-href), page); }
"""


def layout_editable(version: str = weasyprint.__version__) -> bool:
    """Whether this WeasyPrint's laid-out pages are those this module edits."""
    return version.startswith(EDITABLE)


def engine_note(version: str = weasyprint.__version__) -> str:
    """What the PDF stage says when it cannot edit this WeasyPrint's pages."""
    return (f"WeasyPrint {version} is not a version whose laid-out pages pdf/pagerefs.py edits "
            f"({', '.join(v + 'x' for v in EDITABLE)}): the book is laid out in one piece and "
            "WeasyPrint counts its page references (slower; the same book)")


def forget_link_annotation(box) -> None:
    """A tagged PDF refers to the annotation last made for a link's box, and WeasyPrint makes
    one only for the links it writes: forget the one made when another document was written."""
    if layout_editable():
        box.link_annotation = None


def page_labels(document) -> list[str]:
    """Each page's printed number (roman in the front matter, '' on cover and blank pages)."""
    labels = []
    for page in document.pages:
        texts = ["".join(box.text for box in _text_boxes(margin)) for margin in _feet(page)]
        labels.append(next((text.strip() for text in texts if text.strip()), ""))
    return labels


def _feet(page) -> list[boxes.MarginBox]:
    """The page's bottom margin boxes: where its number is printed."""
    return [margin for margin in page._page_box.children
            if isinstance(margin, boxes.MarginBox) and margin.at_keyword.startswith("@bottom")]


def anchor_labels(document) -> dict[str, str]:
    """Every anchor of the document → the printed number of its page."""
    found: dict[str, str] = {}
    for page, label in zip(document.pages, page_labels(document), strict=True):
        for anchor in page.anchors:
            found.setdefault(anchor, label)
    return found


def fill_page_numbers(document, labels: Mapping[str, str]) -> list[str]:
    """Write the page label of its target into every placeholder; return targets not found."""
    missing = []
    for page in document.pages:
        for line, number in _placeholders(page._page_box):
            target = number.element.get(TARGET_ATTRIBUTE)
            label = labels.get(target)
            if label is None:
                missing.append(target)
                label = "?"
            _replace_text(line, number, label)
    return missing


def _placeholders(page_box) -> Iterator[tuple[boxes.Box, boxes.TextBox]]:
    """(line, text box) for each placeholder laid out on the page."""
    for line in _line_boxes(page_box):
        for box in _text_boxes(line):
            if box.element is not None and box.element.get(TARGET_ATTRIBUTE) is not None:
                yield line, box


def _line_boxes(box) -> Iterator[boxes.LineBox]:
    return _outermost(box, boxes.LineBox)


def _text_boxes(box) -> Iterator[boxes.TextBox]:
    return _outermost(box, boxes.TextBox)


def _outermost(box, kind: type) -> Iterator:
    """The boxes of ``kind`` under ``box``, not looking inside one found."""
    for child in getattr(box, "children", ()):
        if isinstance(child, kind):
            yield child
        else:
            yield from _outermost(child, kind)


def _replace_text(line: boxes.LineBox, text_box: boxes.TextBox, text: str) -> None:
    """Put ``text`` in ``text_box`` and close up (or open) the line after it."""
    _shift_after(line, text_box, _set_text(text_box, text))


def _set_text(text_box: boxes.TextBox, text: str) -> float:
    """Put ``text`` in ``text_box``; return how much wider it has become."""
    delta = _width(text_box, text) - text_box.width
    text_box.text = text
    text_box.pango_layout.text = text  # what drawing shapes again
    text_box.width += delta
    return delta


def _width(text_box: boxes.TextBox, text: str) -> float:
    layout = Layout(text_box.style, text_box.justification_spacing)
    layout.set_text(text)
    line, _ = layout.get_first_line()
    width, _ = line_size(line, text_box.style)
    return width


def _shift_after(box, target: boxes.TextBox, delta: float) -> bool:
    """Move what follows ``target`` in ``box`` by ``delta``; widen the boxes around it."""
    found = False
    for child in getattr(box, "children", ()):
        if found:
            child.translate(dx=delta)
        elif child is target:
            found = True
        elif _shift_after(child, target, delta):
            child.width += delta
            found = True
    return found


def renumber_pages(document, offset: int) -> None:
    """Add ``offset`` to the arabic number printed in each page's foot.

    A part of the book laid out on its own counts its pages from 1; once the parts before it
    are laid out, its numbers are moved on. A number keeps its side of the page.
    """
    for page in document.pages:
        for margin in _feet(page):
            for text_box in _text_boxes(margin):
                if text_box.text.strip().isdigit():
                    _replace_in_margin(margin, text_box, str(int(text_box.text) + offset))


def _replace_in_margin(margin, text_box: boxes.TextBox, text: str) -> None:
    delta = _set_text(text_box, text)
    if margin.at_keyword.endswith("right"):
        text_box.translate(dx=-delta)
    elif margin.at_keyword.endswith("center"):
        text_box.translate(dx=-delta / 2)
