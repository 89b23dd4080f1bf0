"""``{book-downloads}``: links to the book's EPUB and PDF on the site, when they were built.

``qa_downloads`` lists the files (``make all`` passes the EPUB and PDF it has just made); the
HTML builder copies them into ``_downloads/`` and the placeholder becomes a line of links. In
the EPUB and the print builder's output (the PDF's source) the placeholder disappears.
"""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..diagnostics import Kind

logger = logging.getLogger(__name__)
_SITE_BUILDERS = ("html", "dirhtml")
_LABELS = {".epub": "EPUB 电子书", ".pdf": "PDF（可打印）"}


class book_downloads(nodes.General, nodes.Element):
    """Placeholder, replaced at ``doctree-resolved``."""


class BookDownloadsDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        node = book_downloads()
        self.set_source_info(node)
        return [node]


def fill_downloads(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: links on the site, nothing elsewhere."""
    for placeholder in list(doctree.findall(book_downloads)):
        files = _published(app) if app.builder.name in _SITE_BUILDERS else []
        if not files:
            placeholder.replace_self([])
            continue
        paragraph = nodes.paragraph("", "下载：", classes=["book-downloads"])
        for n, name in enumerate(files):
            uri = posixpath.relpath(f"_downloads/{name}", posixpath.dirname(docname) or ".")
            label = _LABELS.get(Path(name).suffix.lower(), name)
            paragraph += nodes.Text("　" if n else "")
            paragraph += nodes.reference("", label, refuri=uri, classes=["download"])
        placeholder.replace_self(paragraph)


def _published(app: Sphinx) -> list[str]:
    """Copy each configured file into the site once; the names of those that exist."""
    names = []
    for entry in app.config.qa_downloads:
        source = Path(app.confdir, entry)
        if not source.is_file():
            logger.warning("download not found: %s", source, **Kind.QA_DOWNLOAD.sphinx)
            continue
        target = Path(app.outdir, "_downloads", source.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            shutil.copyfile(source, target)
        names.append(source.name)
    return names
