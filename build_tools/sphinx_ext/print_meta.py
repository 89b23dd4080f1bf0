"""The book's metadata in the single page's ``<head>``, for the PDF step to read.

The title, author, version and language are set once (book.toml, through conf.py): the PDF's
cover and its document information are read from these ``<meta>`` tags, not configured again.
"""

from __future__ import annotations

import datetime
import html
import os

from sphinx.application import Sphinx


def book_date() -> datetime.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.date.today()


def add_print_metadata(app: Sphinx, pagename: str, templatename: str, context: dict,
                       doctree) -> None:
    """``html-page-context``: on the single page only."""
    if app.builder.name != "singlehtml":
        return
    config = app.config
    description = config.epub_description if config.epub_description != "unknown" else ""
    metas = {
        "author": config.author,
        "description": description,
        "dcterms.created": book_date().isoformat(),
        "book-version": config.version,
        "book-basename": config.epub_basename,
        "book-language": config.epub_language,
    }
    tags = "".join(f'<meta name="{name}" content="{html.escape(str(value))}" />\n'
                   for name, value in metas.items() if value)
    context["metatags"] = context.get("metatags", "") + tags
