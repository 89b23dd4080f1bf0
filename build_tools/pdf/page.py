"""The page: paper size, mirrored margins for duplex printing, bleed and crop marks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Inner margins are wider (the binding), outer ones hold the page number; all in mm.
_PAPERS = {
    "A4": {"top": 22, "bottom": 24, "inner": 25, "outer": 20},
    "B5": {"top": 20, "bottom": 22, "inner": 22, "outer": 17},
    "A5": {"top": 17, "bottom": 19, "inner": 18, "outer": 14},
}
PAPERS = tuple(_PAPERS)
_SIZES = {"A4": (210, 297), "B5": (176, 250), "A5": (148, 210)}  # width, height in mm
_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt|px)$")


@dataclass(frozen=True)
class PageOptions:
    paper: str = "A4"
    bleed: str = ""  # a CSS length such as 3mm; empty for none

    def __post_init__(self) -> None:
        if self.paper not in _PAPERS:
            raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {self.paper!r}")
        if self.bleed and not _LENGTH.match(self.bleed):
            raise ValueError(f"bleed must be a length such as 3mm, not {self.bleed!r}")


def page_css(options: PageOptions) -> str:
    """The @page rules for ``options``; left and right pages mirror each other."""
    m = _PAPERS[options.paper]
    extra = f" bleed: {options.bleed}; marks: crop;" if options.bleed else ""
    return (
        f"@page {{ size: {options.paper}; margin: {m['top']}mm {m['outer']}mm "
        f"{m['bottom']}mm {m['inner']}mm;{extra} }}\n"
        f"@page :left {{ margin-left: {m['outer']}mm; margin-right: {m['inner']}mm; }}\n"
        f"@page :right {{ margin-left: {m['inner']}mm; margin-right: {m['outer']}mm; }}\n"
    )


def text_block_mm(options: PageOptions) -> tuple[float, float]:
    """Width and height of the text block: the largest a figure is printed."""
    width, height = _SIZES[options.paper]
    m = _PAPERS[options.paper]
    return width - m["inner"] - m["outer"], height - m["top"] - m["bottom"]


def paper_of(width_mm: float, height_mm: float) -> str | None:
    """The paper a trimmed page of this size is (to the millimetre), or None."""
    return next((name for name, (width, height) in _SIZES.items()
                 if abs(width - width_mm) < 1 and abs(height - height_mm) < 1), None)


def margins_mm(paper: str) -> dict[str, int]:
    """The paper's margins, ``top``, ``bottom``, ``inner`` (binding side) and ``outer``."""
    return dict(_PAPERS[paper])


def text_block_top_bottom_mm(options: PageOptions) -> tuple[float, float]:
    """Where the text block starts and ends, from the top of the page."""
    height = text_block_mm(options)[1]
    top = _PAPERS[options.paper]["top"]
    return top, top + height


PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b", "pdf/a-3u")


@dataclass(frozen=True)
class PdfOptions:
    page: PageOptions = field(default_factory=PageOptions)
    variant: str | None = None  # e.g. "pdf/ua-1": tagged, for an accessible handout


def running_heads_css(book_title: str) -> str:
    """The running heads: the book's title on left pages, the lesson's on right pages but the
    first of each lesson (``first-except``); none on blank pages, the cover and the contents
    (print.css's named and ``:blank`` pages outrank these).

    The title is written into the rule, not carried by ``string-set`` from the cover: a part of
    the book laid out on its own never sees the cover, and its left pages had no head.
    """
    quoted = book_title.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return (f'@page :left {{ @top-left {{ content: "{quoted}"; }} }}\n'
            "@page :right { @top-right { content: string(lesson-title, first-except); } }\n")
