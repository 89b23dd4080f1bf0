"""A PDF of A5 pages imposed as a saddle-stitched booklet: two pages side by side on A4
landscape sheets, in the order duplex printing needs.

Printed on both sides (flipped on the short edge), the sheets stacked and folded once in the
middle, the pages read 1, 2, 3, … The page count is padded with blank pages to a multiple of
four (a sheet folded once is four pages). Sheet 1's front holds the last page and page 1, its
back page 2 and the last but one; and so on inwards. No creep compensation: with the few
sheets of a handout the inner pages stand out less than a millimetre.

Imposed with pypdf (already a dependency), not ``pdfimpose`` (AGPL, and it brings PyMuPDF):
each side is a blank A4-landscape page onto which the two pages' contents are drawn, scaled
to their half when they are not A5. Links and bookmarks do not survive imposition (they would
point at the wrong half); the text stays searchable.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation

from .. import atomic

A4_LANDSCAPE = (841.89, 595.28)  # points
# Under an edition's output folder: the booklets, and the A5 layout they are imposed from
# when the book's own paper is not A5.
BOOKLET_FOLDER = "booklet"
A5_FOLDER = ".a5"
Side = tuple[int | None, int | None]  # the pages (0-based) on the left and right half; None blank


def padded_count(pages: int) -> int:
    """The booklet's page count: ``pages`` padded with blanks to a multiple of four."""
    return max(4, -(-pages // 4) * 4)


def booklet_order(pages: int) -> list[Side]:
    """The sides of the sheets in printing order (front, back, next sheet's front, …).

    Pages past ``pages`` (the padding) are ``None``: blank halves.
    """
    total = padded_count(pages)

    def page(index: int) -> int | None:
        return index if index < pages else None

    sides: list[Side] = []
    for sheet in range(total // 4):
        outer, inner = 2 * sheet, total - 1 - 2 * sheet
        sides.append((page(inner), page(outer)))  # front: the later page on the left
        sides.append((page(outer + 1), page(inner - 1)))  # back
    return sides


def impose(source: Path, target: Path) -> int:
    """Write ``source``'s pages as a booklet to ``target`` (whole or not at all); return the
    number of sheet sides written."""
    reader = PdfReader(source)
    writer = PdfWriter()
    width, height = A4_LANDSCAPE
    for left, right in booklet_order(len(reader.pages)):
        side = PageObject.create_blank_page(width=width, height=height)
        for half, index in ((0, left), (1, right)):
            if index is not None:
                _draw(side, reader.pages[index], half)
        writer.add_page(side)
    if reader.metadata:
        writer.add_metadata({key: value for key, value in reader.metadata.items()
                             if key in ("/Title", "/Author", "/CreationDate")})
    written = io.BytesIO()
    writer.write(written)
    atomic.write_bytes(target, written.getvalue())
    return len(writer.pages)


def impose_all(sources: list[Path], folder: Path) -> list[Path]:
    """``folder/<name>.pdf``, a booklet of each source; the folder made aside and swapped in
    whole, so no booklet of a lesson that is gone stays."""
    stage = atomic.staging(folder)
    atomic.clean_leftovers(folder)
    stage.mkdir(parents=True)
    for source in sources:
        impose(source, stage / source.name)
    atomic.swap_in(stage, folder)
    return [folder / source.name for source in sources]


def _draw(side: PageObject, page: PageObject, half: int) -> None:
    """Draw ``page`` on the left (0) or right (1) half of ``side``, scaled to fit, centred."""
    box = page.trimbox
    half_width, height = float(side.mediabox.width) / 2, float(side.mediabox.height)
    scale = min(half_width / float(box.width), height / float(box.height))
    dx = half * half_width + (half_width - float(box.width) * scale) / 2
    dy = (height - float(box.height) * scale) / 2
    place = (Transformation().translate(-float(box.left), -float(box.bottom))
             .scale(scale, scale).translate(dx, dy))
    side.merge_transformed_page(page, place)
