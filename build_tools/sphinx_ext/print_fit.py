"""Tables, inline code and figures that fit the printed page.

Two rules of line breaking (Unicode's UAX 14, which WeasyPrint follows) leave runs like
``.objects / .chars / .lines / .rects`` with no break at all: no break before ``/`` or ``.``
even after a space. In a table cell such a run was drawn over the next column, or, under
``overflow-wrap: anywhere``, cut as ``.rec|ts``. On the single page that makes the PDF, a
zero-width space after each space of inline code gives the line a place to break there; it
draws nothing and is not extracted as text.

A table whose narrowest possible columns (their longest unbreakable runs) are still wider than
the text block is printed smaller, at the largest of 90, 80 or 70 % that fits, with a located
``pdf.wide_table`` warning; at 70 % its long runs break inside their cells. The widths are
estimated from character counts in the print faces (a mono face's advance is exactly 0.6 em;
a serif Latin letter about 0.56 em), which is why the scales step by a tenth.

Each figure is framed by empty marks (``print-mark`` divs: before it, after its image, after
it) whose positions after the layout tell the PDF stage how much room a figure pushed to the
next page left empty, and how tall its image is (see :mod:`build_tools.pdf.whitespace`).
"""

from __future__ import annotations

import re
import unicodedata

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from ..diagnostics import Kind

logger = logging.getLogger(__name__)

# The builder whose pages WeasyPrint prints (sphinx_ext/print_builder.py).
PRINT_BUILDERS = ("print",)
ZERO_WIDTH_SPACE = "\u200b"
# The marks' ids: a prefix and the figure's id (pdf/whitespace.py reads them back).
MARK_BEFORE, MARK_IMAGE, MARK_AFTER = "pm-before-", "pm-image-", "pm-after-"
SCALES = (90, 80, 70)  # percent; each a class of print.css (table.print-scale-90 …)
_PT_PER_MM = 72 / 25.4
_BODY_PT = 10.5  # print.css: html { font-size }
_CODE_EM = 0.92 * 0.602  # code is 0.92 em in DejaVu Sans Mono, 0.602 em an advance
_LATIN_EM = 0.56
_CELL_PADDING_PT = 8.5  # print.css: td { padding: 2pt 4pt } and a 0.5pt rule
# A run no line may break: Latin letters, digits and symbols up to a space or a CJK character.
_RUN = re.compile(r"[^\s\u200b\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+")


def breakable_code(text: str) -> str:
    """``text`` of inline code with a zero-width space after each space that precedes a run."""
    return re.sub(r"(?<=\s)(?=\S)", ZERO_WIDTH_SPACE, text)


def run_width_pt(run: str, code: bool) -> float:
    """The printed width of one unbreakable run at the body size."""
    em = 0.0
    for char in run:
        wide = unicodedata.east_asian_width(char) in ("W", "F")
        em += 1.0 if wide else (_CODE_EM if code else _LATIN_EM)
    return em * _BODY_PT


def cell_min_width_pt(cell: nodes.Element) -> float:
    """The narrowest the cell can be: its longest unbreakable run, plus padding."""
    widest = 0.0
    for text in cell.findall(nodes.Text):
        code = any(isinstance(parent, nodes.literal) for parent in _ancestors(text, cell))
        for run in _RUN.findall(text.astext()):
            widest = max(widest, run_width_pt(run, code))
    return widest + _CELL_PADDING_PT


def table_min_width_pt(table: nodes.table) -> float:
    """The narrowest the table can be without breaking a run: its columns' narrowest widths."""
    columns: dict[int, float] = {}
    for row in table.findall(nodes.row):
        column = 0
        for cell in row.children:
            if not isinstance(cell, nodes.entry):
                continue
            span = 1 + int(cell.get("morecols", 0))
            if span == 1:  # a cell over several columns shares its width; left out
                columns[column] = max(columns.get(column, 0.0), cell_min_width_pt(cell))
            column += span
    return sum(columns.values())


def print_scale(min_width_pt: float, text_width_pt: float) -> int:
    """100 when the table fits, else the largest scale of SCALES that fits, else the smallest."""
    if min_width_pt <= text_width_pt:
        return 100
    for scale in SCALES:
        if min_width_pt * scale / 100 <= text_width_pt:
            return scale
    return SCALES[-1]


def mark_figure(figure: nodes.figure) -> None:
    """Empty marks before the figure, after its image and after it, if it has an id and an
    image (a figure without either is not measured)."""
    images = [child for child in figure.children if isinstance(child, nodes.image)]
    if not figure["ids"] or not images or figure.parent is None:
        return
    name = figure["ids"][0]
    figure.insert(figure.index(images[-1]) + 1, _mark(MARK_IMAGE + name))
    parent = figure.parent
    parent.insert(parent.index(figure) + 1, _mark(MARK_AFTER + name))
    parent.insert(parent.index(figure), _mark(MARK_BEFORE + name))


def _mark(anchor: str) -> nodes.raw:
    html = f'<div class="print-mark" id="{anchor}"></div>'
    return nodes.raw(html, html, format="html")


def _ancestors(node: nodes.Node, stop: nodes.Node):
    parent = node.parent
    while parent is not None and parent is not stop:
        yield parent
        parent = parent.parent


class PrintFit(SphinxPostTransform):
    """Inline code breakable after its spaces; tables too wide for the text block scaled."""

    default_priority = 900
    builders = PRINT_BUILDERS

    def run(self, **kwargs) -> None:
        for literal in self.document.findall(nodes.literal):
            for text in list(literal.findall(nodes.Text)):
                broken = breakable_code(text.astext())
                if broken != text.astext():
                    text.parent.replace(text, nodes.Text(broken))
        for figure in list(self.document.findall(nodes.figure)):
            mark_figure(figure)
        text_width_mm = self.config.qa_print_text_width_mm
        if text_width_mm > 0:
            for table in self.document.findall(nodes.table):
                self._fit(table, text_width_mm * _PT_PER_MM)

    def _fit(self, table: nodes.table, text_width_pt: float) -> None:
        needed = table_min_width_pt(table)
        scale = print_scale(needed, text_width_pt)
        if scale == 100:
            return
        table["classes"].append(f"print-scale-{scale}")
        how = (f"printed at {scale} %" if needed * scale / 100 <= text_width_pt
               else f"printed at {scale} %, its longest words broken inside their cells")
        logger.warning("table wider than the text block (about %d mm of %d mm): %s",
                       round(needed / _PT_PER_MM), round(text_width_pt / _PT_PER_MM), how,
                       location=table, **Kind.PDF_WIDE_TABLE.sphinx)
