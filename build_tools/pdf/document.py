"""The print builder's manifest → the lean document WeasyPrint lays out.

WeasyPrint never sees the site's pages (a theme's flex layout did not finish in ten minutes):
the print builder (``sphinx_ext/print_builder.py``) writes each document for print and says
what it is; here we add what a printed book has and a web page has not — a cover, a table of
contents with page numbers, front matter apart from the lessons — and cut it into the parts
laid out apart (:mod:`.parts`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..print_manifest import (
    PLACEHOLDER,
    TARGET_ATTRIBUTE,
    BookFacts,
    ContentsEntry,
    Manifest,
    PrintImage,
)

# The contents' heading, and so its bookmark: the print preflight knows the contents by it.
CONTENTS_TITLE = "目录"

BookInfo = BookFacts  # what the cover and the PDF's document information say
TocEntry = ContentsEntry


@dataclass(frozen=True)
class LessonStart:
    """Where a lesson begins in the print document: for handouts and bookmarks."""

    label: str  # the lesson section's id, e.g. l02
    title: str
    text: str = ""  # its words, for the check that every character has a font


@dataclass(frozen=True)
class Section:
    """A lesson's (or the back matter's) section of the print document, serialised."""

    id: str
    html: str
    ids: frozenset[str]  # every id inside it: which links stay within a part of the book


@dataclass
class PrintDocument:
    """The book to print, in pieces: it is laid out in parts (see :mod:`.parts`)."""

    info: BookInfo
    cover: str
    toc: list[TocEntry]
    intro: str
    sections: list[Section]
    lessons: list[LessonStart] = field(default_factory=list)
    back_matter: str | None = None  # id of the first element after the last lesson

    def front_html(self, numbers: Mapping[str, str], elsewhere: Callable[[str], bool],
                   tight: bool = False) -> str:
        """Cover, contents (page ``numbers`` by target id) and preface, as a document.

        A link to an id for which ``elsewhere`` is true leads out of this document, to
        another part of the book: it is written ``pdfdest:id`` (see :mod:`.join`). ``tight``
        contents are set closer, to end a page sooner (see :mod:`.whitespace`).
        """
        body = self.cover + _toc(self.toc, numbers, tight) + self.intro
        return self._document(_links_out(body, elsewhere) + _PART_END)

    def body_html(self, sections: list[Section], end_on_left_page: bool = False) -> str:
        """``sections`` in the book's ``<main>``; with ``end_on_left_page``, a last page is
        added to be dropped after the layout, so the part has an even number of pages."""
        here = frozenset().union(*(section.ids for section in sections))
        main = "".join(section.html for section in sections)
        end = _PART_END if end_on_left_page else ""
        return self._document(
            f'<main class="book">{_links_out(main, lambda id_: id_ not in here)}{end}</main>')

    def whole_html(self) -> str:
        """The whole book as one document, its page references counted by WeasyPrint
        (``target-counter()``, see pagerefs.COUNTED_BY_CSS): for a WeasyPrint whose laid-out
        pages we do not edit."""
        main = "".join(section.html for section in self.sections)
        body = (self.cover + _toc(self.toc, {}) + self.intro
                + f'<main class="book">{_counted_by_css(main)}</main>')
        return self._document(body)

    def _document(self, body: str) -> str:
        return (f'<!DOCTYPE html><html lang="{self.info.language}">{_head(self.info)}'
                f"<body>{body}</body></html>")


# The last element of a part laid out apart: it starts on a right-hand page, which is dropped.
_PART_END = '<div class="part-end"></div>'
OUTSIDE_SCHEME = "pdfdest:"
TOC_START, TOC_END = "print-toc-start", "print-toc-end"  # marks around the contents


def _links_out(html_text: str, elsewhere: Callable[[str], bool]) -> str:
    def rewrite(match: re.Match) -> str:
        target = html.unescape(match.group(1))
        return f'href="{OUTSIDE_SCHEME}{match.group(1)}"' if elsewhere(target) else match.group(0)
    return re.sub(r'href="#([^"]+)"', rewrite, html_text)


def _counted_by_css(html_text: str) -> str:
    """Each page-number placeholder left empty, for WeasyPrint to count its target's page."""
    def counted(match: re.Match) -> str:
        return (f'<span class="page-number" {TARGET_ATTRIBUTE}="{match.group(1)}" '
                f'data-page-href="#{match.group(1)}"></span>')
    return re.sub(f'<span class="page-number" {TARGET_ATTRIBUTE}="([^"]*)">{PLACEHOLDER}</span>',
                  counted, html_text)


def print_document(manifest: Manifest,
                   fit_image: Callable[[str], str | None] | None = None) -> PrintDocument:
    """Build the print document from the print builder's manifest.

    ``fit_image`` maps an image's ``src`` to the one to print (a downsampled copy), or to None
    when the image cannot be printed: its alt text is printed in its place.
    """
    images = [] if fit_image is None else [
        (image.tag, _fitted(image, fit_image(image.src))) for image in manifest.images]

    def fitted(text: str) -> str:
        for tag, replacement in images:
            text = text.replace(tag, replacement)
        return text
    documents = manifest.documents
    sections = [Section(doc.anchor, fitted(doc.html), frozenset(doc.ids)) for doc in documents]
    lessons = [LessonStart(doc.anchor, doc.title, doc.text) for doc in documents
               if doc.kind == "lesson"]
    back = next((doc.anchor for doc in documents if doc.kind == "back"), None)
    return PrintDocument(manifest.book, _cover(manifest.book), list(manifest.contents),
                         fitted(manifest.front), sections, lessons, back)


def _fitted(image: PrintImage, src: str | None) -> str:
    """The image's tag with the ``src`` to print, or its words when it cannot be printed."""
    if src is None:
        words = html.escape(image.alt or image.src)
        return f'<span class="unprintable-image">［图片无法打印：{words}］</span>'
    return image.tag.replace(f'src="{image.src}"', f'src="{html.escape(src)}"', 1)


def _head(info: BookInfo) -> str:
    metas = {"author": info.author, "description": info.description,
             "dcterms.created": info.date, "generator": "build_tools (WeasyPrint)"}
    tags = "".join(f'<meta name="{k}" content="{html.escape(v)}">' for k, v in metas.items() if v)
    return f'<head><meta charset="utf-8"><title>{html.escape(info.title)}</title>{tags}</head>'


# --- Cover and contents -------------------------------------------------------------------

def _cover(info: BookInfo) -> str:
    lines = [f'<h1 class="cover-title">{html.escape(info.title)}</h1>']
    if info.description:
        lines.append(f'<p class="cover-subtitle">{html.escape(info.description)}</p>')
    if info.author:
        lines.append(f'<p class="cover-author">{html.escape(info.author)}</p>')
    version = f"版本 {info.version}" if info.version else ""
    edition = " · ".join(x for x in (version, info.date) if x)
    if edition:
        lines.append(f'<p class="cover-edition">{html.escape(edition)}</p>')
    return f'<section class="front-matter cover">{"".join(lines)}</section>'


def _toc(entries: list[TocEntry], numbers: Mapping[str, str], tight: bool = False) -> str:
    """The contents, each entry with its page number (printed after a dotted leader)."""
    if not entries:
        return ""
    items = []
    for entry in entries:
        text = html.escape(entry.text)
        if entry.level == 0:
            items.append(f'<li class="toc-caption">{text}</li>')
        else:
            number = html.escape(numbers.get(entry.target, ""))
            items.append(f'<li class="toc-level{entry.level}">'
                         f'<a href="#{html.escape(entry.target)}" data-page="{number}">'
                         f"{text}</a></li>")
    classes = "front-matter print-toc" + (" tight" if tight else "")
    return (f'<nav class="{classes}"><div class="print-mark" id="{TOC_START}"></div>'
            f'<h1 class="toc-title">{CONTENTS_TITLE}</h1>'
            f'<ul>{"".join(items)}</ul><div class="print-mark" id="{TOC_END}"></div></nav>')
