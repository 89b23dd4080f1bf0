"""The print preflight: a built book's PDF read back page by page and held to the rules of the
printed page (issue 14, item 5).

``reading`` reads the PDF (poppler and pypdf), ``pages`` says what each page is and where its
text block lies, ``sources`` finds each image's source pixels, ``rules`` measures and judges,
``report`` prints the table and the located failures. :func:`preflight` runs them in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .pages import Page, UnknownPaper, classify
from .reading import UnreadablePdf, read_book
from .rules import Figures, Finding, judge
from .sources import Pixels, match_sources, print_order_sources

__all__ = ["Figures", "Finding", "Preflight", "UnknownPaper", "UnreadablePdf", "preflight",
           "print_order_sources"]


@dataclass(frozen=True)
class Preflight:
    """A book's pages, each page's measures, and every rule a page breaks."""

    pdf: Path
    pages: list[Page]
    figures: list[Figures]
    findings: list[Finding]


def preflight(pdf: Path, sources: Sequence[Pixels | None] | None = None) -> Preflight:
    """Read ``pdf`` and judge every page.

    :param sources: the pixel size of each image the book prints, in print order
        (:func:`print_order_sources`); without it every image is held to 300 ppi
    :raises UnreadablePdf: when the file cannot be read
    :raises UnknownPaper: when its pages are no paper the book is printed on
    """
    pages = classify(read_book(pdf))
    drawn = [picture.pixels for page in pages for picture in page.pictures]
    matched = match_sources(drawn, sources) if sources is not None else [None] * len(drawn)
    measured: list[Figures] = []
    findings: list[Finding] = []
    start = 0
    for index, page in enumerate(pages):
        following = pages[index + 1] if index + 1 < len(pages) else None
        page_figures, page_findings = judge(page, following,
                                            matched[start:start + len(page.pictures)])
        start += len(page.pictures)
        measured.append(page_figures)
        findings += page_findings
    return Preflight(pdf, pages, measured, findings)
