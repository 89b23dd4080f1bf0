"""The PDF stage: the print builder's manifest → a lean print document → WeasyPrint.

``document`` builds the print document (cover, contents, lessons), ``page`` the page geometry
and options, ``fetcher`` confines WeasyPrint to the book's files, ``render`` lays out and writes.
WeasyPrint is imported only when a PDF is made: ``convert`` and ``build html`` do not pay for it.
"""

from importlib import import_module

from .page import PAPERS, PDF_VARIANTS, PageOptions, PdfOptions

_LAZY = {"ConfinedFetcher": ".fetcher", "PdfResult": ".render", "render_pdf": ".render"}

__all__ = ["PAPERS", "PDF_VARIANTS", "ConfinedFetcher", "PageOptions", "PdfOptions",
           "PdfResult", "render_pdf"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(name)
