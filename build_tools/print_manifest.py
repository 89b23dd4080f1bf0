"""The print manifest: what the Sphinx print builder hands the PDF stage, typed.

The builder (``sphinx_ext/print_builder.py``) knows the book from Sphinx's environment and our
model's numbers: its facts (conf.py), its contents (the toctree), and each document written as
HTML for print, with its kind, anchor, number and title. It writes them here, as JSON beside
the images; the PDF stage (``pdf/document.py``) reads them back into these classes. Neither
side reads the other's HTML for facts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST = "print.json"
FORMAT = 1
# A reference's page number before the layout: as wide as any (see pdf/pagerefs.py), in a span
# whose TARGET_ATTRIBUTE names the id it refers to.
PLACEHOLDER = "9999"
TARGET_ATTRIBUTE = "data-page-of"


class ManifestError(ValueError):
    """A manifest of another format, or none: build the print output again."""


@dataclass(frozen=True)
class BookFacts:
    """What the cover and the PDF's document information say (from conf.py)."""

    title: str
    author: str = ""
    description: str = ""
    version: str = ""
    date: str = ""
    language: str = "zh-CN"
    basename: str = "book"


@dataclass(frozen=True)
class ContentsEntry:
    level: int  # 0 a chapter caption, 1 a document, 2 a part
    text: str
    target: str = ""  # an id; empty for captions


@dataclass(frozen=True)
class PrintImage:
    """An image as the builder wrote it: ``tag`` stands verbatim in the documents' HTML."""

    tag: str
    src: str
    alt: str = ""


@dataclass(frozen=True)
class PrintedDocument:
    """One document of the book, after the front page: a lesson or the back matter."""

    name: str  # Sphinx's docname, e.g. lessons/001-l02
    kind: str  # "lesson" or "back"
    anchor: str  # the id of its section: where it starts
    title: str  # as printed, with its number: "2. 第一章：提示工程（第二节课）"
    number: str  # the lesson's number ("2", "2a"); "" for the back matter
    html: str  # its <section>, ready for print
    ids: tuple[str, ...] = ()  # every id in it
    text: str = ""  # its words, for the check that every character has a font


@dataclass(frozen=True)
class Manifest:
    book: BookFacts
    contents: tuple[ContentsEntry, ...]
    front: str  # the front page's words (its title is the cover's), as HTML; may be ""
    documents: tuple[PrintedDocument, ...]
    images: tuple[PrintImage, ...] = field(default=())

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **asdict(self)}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ManifestError(f"print manifest of format {data.get('format')}, not {FORMAT}")
        return cls(BookFacts(**data["book"]),
                   tuple(ContentsEntry(**entry) for entry in data["contents"]),
                   data["front"],
                   tuple(PrintedDocument(**{**doc, "ids": tuple(doc["ids"])})
                         for doc in data["documents"]),
                   tuple(PrintImage(**image) for image in data["images"]))


def read_manifest(path: Path) -> Manifest:
    """The manifest at ``path``; :class:`ManifestError` when it is not one we can read."""
    try:
        return Manifest.from_json(path.read_text(encoding="utf-8"))
    except (KeyError, TypeError, json.JSONDecodeError) as error:
        raise ManifestError(f"{path}: not a print manifest: {error}") from error
