"""Sphinx's single page → the lean document WeasyPrint lays out.

WeasyPrint never sees the theme's page (its flex layout did not finish in ten minutes): we lift
the content, and add what a printed book has and a web page has not — a cover, a table of
contents with page numbers, front matter apart from the lessons. Ids are
made unique across lessons and single-page links (``#document-x#id``) point at their target.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

# A reference's page number before the layout: as wide as any (see pagerefs.py).
PLACEHOLDER = "9999"
TARGET_ATTRIBUTE = "data-page-of"
# The contents' heading, and so its bookmark: the print preflight knows the contents by it.
CONTENTS_TITLE = "目录"


@dataclass(frozen=True)
class BookInfo:
    """What the cover and the PDF's document information say (from conf.py, via <meta>)."""

    title: str
    author: str = ""
    description: str = ""
    version: str = ""
    date: str = ""
    language: str = "zh-CN"
    basename: str = "book"

    @classmethod
    def from_head(cls, soup: BeautifulSoup) -> BookInfo:
        def meta(name: str) -> str:
            tag = soup.find("meta", attrs={"name": name})
            return tag["content"].strip() if tag and tag.get("content") else ""
        title = soup.title.get_text().strip() if soup.title else ""
        return cls(title=title, author=meta("author"), description=meta("description"),
                   version=meta("book-version"), date=meta("dcterms.created"),
                   language=meta("book-language") or "zh-CN",
                   basename=meta("book-basename") or "book")


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


def print_document(singlehtml_text: str,
                   fit_image: Callable[[str], str | None] | None = None) -> PrintDocument:
    """Build the print document from the single page's HTML.

    ``fit_image`` maps an image's ``src`` to the one to print (a downsampled copy), or to None
    when the image cannot be printed: its alt text is printed in its place.
    """
    soup = BeautifulSoup(singlehtml_text, "html.parser")
    info = BookInfo.from_head(soup)
    main = soup.select_one('div[role="main"]') or soup.body
    if fit_image is not None:
        _fit_images(soup, main, fit_image)
    for headerlink in soup.select("a.headerlink"):
        headerlink.decompose()  # before titles are read: a ¶ is no part of them
    lessons, back = _mark_documents(main)
    documents = _document_sections(main)
    toc = _toc_entries(soup, documents)
    _rewrite_single_page_links(main, documents)
    _drop_unused_anchors(main)
    for span in main.select("pre span"):
        # Pygments opens every block with an empty span; WeasyPrint then lets the first word
        # of the block run off the page instead of wrapping it (overflow-wrap is ignored).
        if not span.contents:
            span.decompose()
    intro = _front_page_intro(main)
    # Lessons and back matter side by side, out of the front page's section that held them:
    # a section around them would start a page of its own before the first lesson.
    found = [section.extract()
             for section in main.select("section.lesson, section.back-matter")]
    _drop_duplicate_ids(found)
    sections = []
    for section in found:
        _add_page_references(soup, section)
        ids = frozenset(e["id"] for e in [section, *section.select("[id]")] if e.get("id"))
        sections.append(Section(section["id"], section.decode(), ids))
    return PrintDocument(info, _cover(info), toc, intro, sections, lessons, back)


def _head(info: BookInfo) -> str:
    metas = {"author": info.author, "description": info.description,
             "dcterms.created": info.date, "generator": "build_tools (WeasyPrint)"}
    tags = "".join(f'<meta name="{k}" content="{html.escape(v)}">' for k, v in metas.items() if v)
    return f'<head><meta charset="utf-8"><title>{html.escape(info.title)}</title>{tags}</head>'


def _rewrite_single_page_links(main: Tag, documents: dict[str, str]) -> None:
    """``#document-lessons/001-l02#l02-p1`` → ``#l02-p1``; a document link → its first id."""
    for anchor in main.select('a[href^="#document-"]'):
        anchor["href"] = "#" + _target_id(documents, anchor["href"])


def _target_id(documents: dict[str, str], href: str) -> str:
    """The id a single-page link leads to; ``documents`` maps document markers to sections."""
    parts = href.lstrip("#").split("#")
    if len(parts) > 1:
        return parts[-1]
    return documents.get(parts[0], parts[0])


def _document_sections(main: Tag) -> dict[str, str]:
    """``document-lessons/001-l02`` → ``l02``: each document marker's section, found once
    (looking each link's marker up in the page made the step quadratic in the book)."""
    found = {}
    for marker in main.select('span[id^="document-"]'):
        section = marker.find_next("section")
        if section is not None and section.get("id"):
            found[marker["id"]] = section["id"]
    return found


def _mark_documents(main: Tag) -> tuple[list[LessonStart], str | None]:
    """Class each included document's section: lessons, then back matter (the Q&A index)."""
    lessons, back = [], None
    for marker in main.select('span[id^="document-"]'):
        section = marker.find_next_sibling("section")
        if section is None or not section.get("id"):
            continue
        name = marker["id"].removeprefix("document-")
        heading = section.find(["h1", "h2"])
        if name.startswith("lessons/"):
            section["class"] = [*section.get("class", []), "lesson"]
            title = heading.get_text(" ", strip=True) if heading else section["id"]
            lessons.append(LessonStart(section["id"], title, section.get_text()))
        else:
            # Each page's anonymous ids restart at id1: name the section after its document.
            section["id"] = re.sub(r"[^A-Za-z0-9_-]+", "-", name)
            section["class"] = [*section.get("class", []), "back-matter"]
            back = back or section["id"]
        if heading is not None:
            heading["class"] = [*heading.get("class", []), "document-title"]
    return lessons, back


def _drop_unused_anchors(main: Tag) -> None:
    """Empty ``<span id>`` targets nothing links to: each would take a line of its own, which
    can strand at a page's foot and put its section's page one too early in the contents."""
    linked = {a["href"][1:] for a in main.select('a[href^="#"]')}
    for span in main.select("span[id]"):
        if not span.contents and span["id"] not in linked:
            span.decompose()


def _add_page_references(soup: BeautifulSoup, document: Tag) -> None:
    """Every link within the book says on which page its target is: "（第 9999 页）", whose
    number :mod:`.pagerefs` writes in after the layout."""
    for link in document.select('a.reference.internal[href^="#"]'):
        number = soup.new_tag("span", attrs={"class": "page-number",
                                             TARGET_ATTRIBUTE: link["href"][1:]})
        number.string = PLACEHOLDER
        reference = soup.new_tag("span", attrs={"class": "page-ref"})
        reference.extend(["（第 ", number, " 页）"])
        link.append(reference)


def _front_page_intro(main: Tag) -> str:
    """The front page's words (its title is the cover's): printed before the lessons."""
    root = main.find("section")
    if root is None or "lesson" in root.get("class", []):
        return ""
    intro = []
    for child in list(root.children):
        if isinstance(child, Tag) and (child.name == "h1" or "toctree-wrapper" in child.get(
                "class", [])):
            if child.name == "h1":
                child.decompose()
            continue
        if isinstance(child, Tag):
            intro.append(child.extract().decode())
    words = "".join(intro).strip()
    return f'<section class="front-matter preface">{words}</section>' if words else ""


def _fit_images(soup: BeautifulSoup, main: Tag, fit_image: Callable[[str], str | None]) -> None:
    for image in main.select("img[src]"):
        fitted = fit_image(image["src"])
        if fitted is not None:
            image["src"] = fitted
            continue
        stand_in = soup.new_tag("span", attrs={"class": "unprintable-image"})
        stand_in.string = f"［图片无法打印：{image.get('alt') or image['src']}］"
        image.replace_with(stand_in)


def _drop_duplicate_ids(documents: list[Tag]) -> None:
    """Each page of the single-page build numbers its anonymous ids from ``id1``; keep the
    first of each, so anchors (and the page numbers found from them) are unambiguous."""
    seen: set[str] = set()
    for element in (e for d in documents for e in [d, *d.select("[id]")] if e.get("id")):
        if element["id"] in seen:
            del element["id"]
        seen.add(element.get("id", ""))


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


@dataclass(frozen=True)
class TocEntry:
    level: int  # 0 a chapter caption, 1 a document, 2 a part
    text: str
    target: str = ""  # an id; empty for captions


def _toc_entries(soup: BeautifulSoup, documents: dict[str, str]) -> list[TocEntry]:
    """The single page's own table of contents (in its sidebar): captions, documents, parts."""
    wrapper = soup.select_one("div.sphinxsidebarwrapper")
    if wrapper is None:
        return []
    entries = []
    for element in wrapper.select("p.caption, li.toctree-l1 > a, li.toctree-l2 > a"):
        if element.name == "p":
            entries.append(TocEntry(0, element.get_text(strip=True)))
        else:
            level = 1 if "toctree-l1" in element.parent["class"] else 2
            entries.append(TocEntry(level, element.get_text(" ", strip=True),
                                    _target_id(documents, element["href"])))
    return entries


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
