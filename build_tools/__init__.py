"""Course notes → an HTML site, an EPUB and a print-ready PDF (see ARCHITECTURE.md)."""

__version__ = "0.1.0"
