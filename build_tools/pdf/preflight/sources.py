"""Each printed image's source pixels, for the resolution rule.

The PDF does not say which file an image came from. The print builder's manifest does: the
print document made from it (:func:`..document.print_document`, as the print stage makes it)
holds the images in the order the book prints them, each pointing at Sphinx's copy of the
author's file under ``_images/``. Each image drawn in the PDF is matched, in order, to the next
of those with the same shape (the PDF holds a resampled copy: fewer pixels, the same aspect
ratio), so an image the book could not print (its alt text stands in) is passed over.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote

from ...print_manifest import read_manifest
from ..document import print_document
from ..images import ImageProblem, upright_pixels

Pixels = tuple[int, int]
_SRC = re.compile(r'<img\b[^>]*?\ssrc="([^"]*)"')


def print_order_sources(manifest: Path) -> list[Pixels | None]:
    """The pixel size of each image the book prints, in print order; None for an image with
    no pixel size (an SVG) or one that cannot be read.

    :param manifest: the print builder's ``print.json``; image paths are relative to its folder
    """
    document = print_document(read_manifest(manifest))
    printed = document.intro + "".join(section.html for section in document.sections)
    return [_pixels(manifest.parent, html.unescape(src)) for src in _SRC.findall(printed)]


def _pixels(site: Path, src: str) -> Pixels | None:
    if "://" in src or src.startswith(("data:", "/")) or src.lower().endswith(".svg"):
        return None
    try:
        return upright_pixels(site / unquote(src))
    except ImageProblem:
        return None


def match_sources(drawn: Sequence[Pixels], sources: Sequence[Pixels | None]) -> list[Pixels | None]:
    """For each image drawn (its pixels in the PDF, in page order), the source it was made
    from: the next one in print order of the same shape; None when none is."""
    matched: list[Pixels | None] = []
    start = 0
    for pixels in drawn:
        found = next((index for index in range(start, len(sources))
                      if sources[index] is not None and _same_shape(pixels, sources[index])),
                     None)
        matched.append(None if found is None else sources[found])
        start = start if found is None else found + 1
    return matched


def _same_shape(drawn: Pixels, source: Pixels) -> bool:
    """No more pixels than the source (nothing is enlarged), and the same aspect ratio but
    for rounding each side to whole pixels (twice: the print stage's copy, WeasyPrint's)."""
    (width, height), (source_width, source_height) = drawn, source
    if width > source_width + 1 or height > source_height + 1:
        return False
    return abs(width * source_height - height * source_width) <= source_width + source_height
