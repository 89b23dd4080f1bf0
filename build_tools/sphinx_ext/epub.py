"""What Sphinx's EPUB pages lack and readers need."""

from __future__ import annotations

from sphinx.application import Sphinx


def mark_page_language(app: Sphinx, pagename: str, templatename: str, context: dict,
                       doctree) -> None:
    """``html-page-context``: put the book's language on the ``<html>`` of every EPUB page.

    Sphinx's EPUB pages have no ``lang``, only the package does; readers pick Simplified
    Chinese glyphs (not Japanese forms) and line breaking from the page's language.
    """
    if app.builder.name == "epub" and "html_tag" in context:
        lang = app.config.epub_language
        context["html_tag"] = context["html_tag"].replace(
            ">", f' lang="{lang}" xml:lang="{lang}">', 1)
