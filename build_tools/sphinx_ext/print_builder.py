"""The ``print`` builder: the book as the PDF stage needs it, and a manifest that says what it is.

The PDF used to be made from the ``singlehtml`` page, read back with an HTML parser: the book's
facts from ``<meta>`` tags, its contents from the theme's sidebar, its lessons from Sphinx's
``document-`` markers. Here the builder that knows these facts writes them down instead
(:mod:`build_tools.print_manifest`): the book's facts from conf.py, the contents from the
toctree, and each document in book order, written by :class:`.PrintTranslator` with its kind,
anchor, number and title.

Each document is written on its own, as the ``html`` builder writes its pages, with its own
section and figure numbers (``env.toc_secnumbers[docname]``): ``singlehtml`` merges them into
one table keyed by document, which Sphinx's translator reads only for a builder named
``singlehtml``. Links between documents are resolved as on one page (``#anchor#id``, written
``#id``), since the PDF is one document.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterator

from docutils import nodes
from docutils.io import StringOutput
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.environment.adapters.toctree import global_toctree_for_doc

from ..atomic import write_text
from ..print_manifest import (
    MANIFEST,
    BookFacts,
    ContentsEntry,
    Manifest,
    PrintedDocument,
    PrintImage,
)
from .print_translator import PrintTranslator, Writing, within_book

LESSONS = "lessons/"  # the documents the MyST writer generates, one a lesson


def book_date() -> datetime.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.date.today()


class PrintBuilder(SingleFileHTMLBuilder):
    """Every document of the book, for print, and ``print.json`` describing them."""

    name = "print"
    epilog = "The print manifest is in %(outdir)s."
    default_translator_class = PrintTranslator
    search = False  # an index nobody reads
    add_permalinks = False

    def init(self) -> None:
        super().init()
        self.anchors: dict[str, str] = {}
        self.writing = Writing("", "", frozenset(), set())
        self.manifest: Manifest | None = None

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        if docname in self.env.all_docs:
            return "#" + self.anchors.get(docname, "")  # the book is one document
        return docname + self.out_suffix

    def write_documents(self, _docnames) -> None:
        self.prepare_writing(self.env.all_docs.keys())
        root = self.config.root_doc
        order = [root, *book_order(self.env.toctree_includes, root)]
        trees = {name: self.env.get_doctree(name) for name in order}
        self.anchors = {name: _anchor(name, tree) for name, tree in trees.items()}
        trees = {name: self.env.get_and_resolve_doctree(name, self, doctree=tree)
                 for name, tree in trees.items()}
        linked = frozenset(_link_targets(trees.values()))
        seen: set[str] = set()
        front = self._front(trees.pop(root), linked)
        documents = [self._document(name, tree, linked, seen) for name, tree in trees.items()]
        images = [*front[1], *(image for _, found in documents for image in found)]
        self.manifest = Manifest(self._facts(), tuple(self._contents()), front[0],
                                 tuple(document for document, _ in documents),
                                 tuple(dict.fromkeys(images)))

    def _front(self, tree: nodes.document, linked: frozenset[str]
               ) -> tuple[str, list[PrintImage]]:
        """The front page's words, without its title (the cover's) and its contents (ours)."""
        section = tree.next_node(nodes.section)
        if section is None:
            return "", []
        kept = [child for child in section.children if not isinstance(child, nodes.title)
                and "toctree-wrapper" not in child.get("classes", ())]
        tree.children = []
        tree.extend(kept)
        self.writing = Writing("", "", linked, set())
        words = self._write(self.config.root_doc, tree).strip()
        if not words:
            return "", self.writing.images
        return f'<section class="front-matter preface">{words}</section>', self.writing.images

    def _document(self, name: str, tree: nodes.document, linked: frozenset[str],
                  seen: set[str]) -> tuple[PrintedDocument, list[PrintImage]]:
        """A lesson or the back matter: its top section, written for print."""
        section = tree.next_node(nodes.section)
        tree.children = [section] if section is not None else []
        kind = "lesson" if name.startswith(LESSONS) else "back"
        self.writing = Writing(kind, self.anchors[name], linked, seen)
        html = self._write(name, tree)
        number = ".".join(map(str, self.env.toc_secnumbers.get(name, {}).get("", ())))
        title = self.env.titles[name].astext() if name in self.env.titles else name
        if number and kind == "lesson":
            title = f"{number}{self.config.html_secnumber_suffix}{title}"
        return PrintedDocument(name, kind, self.anchors[name], title, number, html,
                               tuple(self.writing.ids), tree.astext()), self.writing.images

    def _write(self, docname: str, tree: nodes.document) -> str:
        """The document's HTML, with its own section and figure numbers."""
        self.current_docname = docname
        self.secnumbers = self.env.toc_secnumbers.get(docname, {})
        self.fignumbers = self.env.toc_fignumbers.get(docname, {})
        self.imgpath, self.dlpath = self.imagedir, "_downloads"
        self.post_process_images(tree)
        tree.settings = self.docsettings
        self.docwriter.write(tree, StringOutput(encoding="utf-8"))
        self.docwriter.assemble_parts()
        return self.docwriter.parts["fragment"]

    def _facts(self) -> BookFacts:
        config = self.config
        description = config.epub_description if config.epub_description != "unknown" else ""
        return BookFacts(config.html_title or config.project, config.author, description,
                         config.version, book_date().isoformat(),
                         config.epub_language or "zh-CN", config.epub_basename or "book")

    def _contents(self) -> Iterator[ContentsEntry]:
        """The book's toctree: chapter captions, documents, their parts."""
        toctree = global_toctree_for_doc(self.env, self.config.root_doc, self, collapse=False)
        if toctree is None:
            return
        for node in toctree.findall(lambda n: isinstance(n, nodes.title | nodes.list_item)):
            if isinstance(node, nodes.title):  # a toctree's caption
                yield ContentsEntry(0, node.astext())
                continue
            level = next((int(c[-1]) for c in node["classes"] if c.startswith("toctree-l")), 0)
            reference = node.next_node(nodes.reference)
            if level in (1, 2) and reference is not None:
                number = ".".join(map(str, reference.get("secnumber", ())))
                text = reference.astext()
                text = f"{number}{self.config.html_secnumber_suffix}{text}" if number else text
                yield ContentsEntry(level, text.strip(), within_book(
                    reference["refuri"] + reference.get("anchorname", ""))[1:])

    def finish(self) -> None:
        self.copy_image_files()
        if self.manifest is not None:
            write_text(self.outdir / MANIFEST, self.manifest.to_json())


def book_order(includes: dict[str, list[str]], docname: str,
               seen: set[str] | None = None) -> Iterator[str]:
    """The documents under ``docname``'s toctrees, depth first, each once: the book's order."""
    seen = set() if seen is None else seen
    for included in includes.get(docname, []):
        if included not in seen:
            seen.add(included)
            yield included
            yield from book_order(includes, included, seen)


def _anchor(docname: str, tree: nodes.document) -> str:
    """Where a document starts: a lesson at its label (``l02``); anything else at its name,
    since each page's anonymous ids restart at ``id1``."""
    section = tree.next_node(nodes.section)
    if docname.startswith(LESSONS) and section is not None and section["ids"]:
        return section["ids"][0]
    return re.sub(r"[^A-Za-z0-9_-]+", "-", docname)


def _link_targets(trees) -> Iterator[str]:
    for tree in trees:
        for reference in tree.findall(nodes.reference):
            if "refid" in reference:
                yield reference["refid"]
            elif reference.get("refuri", "").startswith("#"):
                yield within_book(reference["refuri"])[1:]
