"""HTML for print: Sphinx's HTML5 translator, with what a printed book needs and a page lacks.

What :mod:`.print_builder` writes a document with. Against the site's HTML it

- tags the document's top section as a lesson or back matter, and its heading as the
  document's title (print.css starts each on a right-hand page, bookmarks them);
- writes a link within the book to its target's id alone (``#l02-p1``: one document holds the
  whole book) and, after its words, "（第 9999 页）": a placeholder the PDF stage replaces with
  the target's page number after the layout;
- keeps each id once in the book (every document numbers its anonymous ids from ``id1``), and
  drops the empty anchors nothing links to (each would take a line of its own at a page's foot);
- writes no permalink marks (¶), and no empty spans in highlighted code (WeasyPrint then lets
  a block's first word run off the page instead of wrapping it);
- records every image it writes, so that the PDF stage can print a smaller copy, or its words.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

from ..print_manifest import PLACEHOLDER, TARGET_ATTRIBUTE, PrintImage

_EMPTY_SPAN = re.compile(r'<span(?: class="[^"]*")?></span>')
_SECTION_CLASSES = {"lesson": "lesson", "back": "back-matter"}


@dataclass
class Writing:
    """What the builder tells the translator about the document being written, and what the
    translator records of it. ``kind`` is "lesson", "back", or "" for the front page."""

    kind: str
    anchor: str  # the id its top section gets
    linked: frozenset[str]  # every id some link of the book leads to
    seen: set[str]  # ids written so far in the book: the first of each is kept
    ids: list[str] = field(default_factory=list)
    images: list[PrintImage] = field(default_factory=list)


def page_reference(target: str) -> str:
    """What follows a link's words in print: the page its target is on, filled in later."""
    number = (f'<span class="page-number" {TARGET_ATTRIBUTE}="{html.escape(target)}">'
              f"{PLACEHOLDER}</span>")
    return f'<span class="page-ref">（第 {number} 页）</span>'


def within_book(uri: str) -> str:
    """``#document-anchor#id`` (a link to a place in another document) → ``#id``."""
    return "#" + uri.rsplit("#", 1)[1] if uri.startswith("#") else uri


class PrintTranslator(HTML5Translator):
    """The translator of the ``print`` builder (see the module's docstring)."""

    def __init__(self, document: nodes.document, builder) -> None:
        super().__init__(document, builder)
        self.writing: Writing = builder.writing
        self._references: list[str] = []
        self._top: nodes.section | None = None  # the document's top section
        # Every document stands in the front page's section, as on one page: a lesson's title
        # is an h2, its parts' h3 (print.css bookmarks and sizes them by these levels).
        self.section_level = 1

    def starttag(self, node, tagname: str, suffix: str = "\n", empty: bool = False,
                 **attributes) -> str:
        written = node.get("ids")
        if not written:
            return super().starttag(node, tagname, suffix, empty, **attributes)
        if node is self._top:
            written = [self.writing.anchor, *written[1:]]
        # The ids dropped are left on the node: Sphinx finds a section's number by its first id.
        original, node["ids"] = node["ids"], self._kept_ids(written, extra_only_if_linked=True)
        try:
            return super().starttag(node, tagname, suffix, empty, **attributes)
        finally:
            node["ids"] = original

    def _kept_ids(self, ids: list[str], extra_only_if_linked: bool) -> list[str]:
        """The ids to write: each once in the book; beyond the first (written as empty spans),
        only those a link leads to."""
        kept = []
        for number, id_ in enumerate(ids):
            if self.writing.kind and id_ in self.writing.seen:
                continue
            if number and extra_only_if_linked and id_ not in self.writing.linked:
                continue
            kept.append(id_)
            if self.writing.kind:
                self.writing.seen.add(id_)
                self.writing.ids.append(id_)
        return kept

    def visit_section(self, node: nodes.section) -> None:
        if self.section_level == 1 and self.writing.kind:
            node["classes"].append(_SECTION_CLASSES[self.writing.kind])
            self._top = node
        super().visit_section(node)

    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, nodes.section) and self.section_level == 2:
            node["classes"].append("document-title")
        super().visit_title(node)

    def visit_target(self, node: nodes.target) -> None:
        empty = not (node.children or {"refuri", "refid", "refname"} & set(node.attributes))
        if empty and not set(node["ids"]) & self.writing.linked:
            raise nodes.SkipNode  # an empty anchor nothing leads to
        super().visit_target(node)

    def visit_reference(self, node: nodes.reference) -> None:
        if "refuri" in node:
            node["refuri"] = within_book(node["refuri"])
        href = node["refuri"] if "refuri" in node else "#" + node.get("refid", "")
        internal = node.get("internal") or "refuri" not in node
        counted = self.writing.kind and internal and href.startswith("#")
        self._references.append(href[1:] if counted else "")
        super().visit_reference(node)

    def depart_reference(self, node: nodes.reference) -> None:
        target = self._references.pop()
        if target:
            self.body.append(page_reference(target))
        super().depart_reference(node)

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        try:
            super().visit_literal_block(node)
        except nodes.SkipNode:
            self.body[-1] = _EMPTY_SPAN.sub("", self.body[-1])
            raise

    def visit_image(self, node: nodes.image) -> None:
        start = len(self.body)
        super().visit_image(node)
        for written in self.body[start:]:
            if written.startswith("<img"):
                self.writing.images.append(
                    PrintImage(written, node["uri"], node.get("alt", node["uri"])))

    def add_permalink_ref(self, node: nodes.Element, title: str) -> None:
        """No ¶ in print."""
