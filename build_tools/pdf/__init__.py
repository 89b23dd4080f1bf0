"""The PDF stage: Sphinx's single page → a lean print document → WeasyPrint.

``document`` builds the print document (cover, contents, lessons), ``page`` the page geometry,
``fetcher`` confines WeasyPrint to the book's files, ``render`` lays out and writes.
"""

from .fetcher import ConfinedFetcher
from .page import PAPERS, PageOptions
from .render import PDF_VARIANTS, PdfOptions, PdfResult, render_pdf

__all__ = ["PAPERS", "PDF_VARIANTS", "ConfinedFetcher", "PageOptions", "PdfOptions",
           "PdfResult", "render_pdf"]
