"""Every problem the build can report, as one Enum, and the located message each produces.

Messages read ``notes/x.md:42: WARNING: image not found: resource/a.png [notes.missing_image]``,
the same shape Sphinx uses, so editors and CI logs can jump to the line and users can suppress
a kind by its ``type.subtype``, or every kind of a stage by its ``type``: ``notes`` (reading the
notes), ``qa`` (our Sphinx extension, reported through Sphinx), ``pdf`` (the print stage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .model import Location


class Severity(Enum):
    WARNING = "WARNING"
    ERROR = "ERROR"


class Kind(Enum):
    """The kinds of diagnostic the build emits; the value is the ``type.subtype`` printed."""

    #: The file is GB18030/GBK, not UTF-8; it was decoded, but should be re-saved as UTF-8.
    LEGACY_ENCODING = "notes.legacy_encoding"
    #: Kangxi radicals or CJK compatibility ideographs (text pasted from a PDF) were read as
    #: the ideographs they look like, so that the PDF's text can be searched and copied.
    LOOKALIKE_CHAR = "notes.lookalike_char"
    #: A ``.md`` file under the notes folder that is not a note: hidden, in the book or output
    #: folder, or in a Sphinx project (a folder with a conf.py). Said once per folder.
    SKIPPED_FILE = "notes.skipped_file"
    #: The file is binary or in no encoding we can read; it is skipped.
    UNDECODABLE = "notes.undecodable"
    #: The file has no text; it is skipped.
    EMPTY_FILE = "notes.empty_file"
    #: The file has no heading to name the lesson; its file name is used.
    NO_TITLE = "notes.no_title"
    #: No lesson number in the title or the file name; the lesson is placed after the others.
    NO_LESSON_NUMBER = "notes.no_lesson_number"
    #: A companion note (``lesson5_homework.md``, ``第五课作业``) whose lesson no note holds; it
    #: is placed and numbered where that lesson would be ("5a").
    LONE_COMPANION = "notes.lone_companion"
    #: A set of questions or exercises counts again from 1 in the same lesson (two Q&A parts);
    #: it continues after the highest number so far, so that no number is printed twice.
    NUMBER_RESTART = "notes.number_restart"
    #: A link to another note names a heading (``lesson3.md#安装步骤``) that note does not have;
    #: it leads to the top of that lesson.
    MISSING_ANCHOR = "notes.missing_anchor"
    #: Two notes claim the same lesson number.
    DUPLICATE_LESSON = "notes.duplicate_lesson"
    #: Lists or quotes nested too deep for the Markdown parser, which would drop the rest of
    #: the note: they are read flattened to a depth that keeps every word.
    DEEP_NESTING = "notes.deep_nesting"
    #: A code fence is never closed; its content runs to the end of the file and is kept.
    UNCLOSED_FENCE = "notes.unclosed_fence"
    #: An HTML comment is never closed; the text after it is kept as text.
    UNCLOSED_COMMENT = "notes.unclosed_comment"
    #: An HTML comment hides text from readers; it is not shown.
    HIDDEN_COMMENT = "notes.hidden_comment"
    #: Raw HTML outside the allowlist; it is shown as text.
    RAW_HTML = "notes.raw_html"
    #: A footnote definition (``[^1]: …``), which CommonMark would read as a link definition
    #: and hide; the definition and its ``[^1]`` marks are shown as written.
    FOOTNOTE = "notes.footnote"
    #: A link reference definition (``[注]: 这一点很重要``) that no link or image uses: Markdown
    #: shows it nowhere, so its words are not in the book.
    UNUSED_DEFINITION = "notes.unused_definition"
    #: A fence's info string says more than its language (``text title="回答.txt"``): the
    #: rest is not shown; the book names no file above a code block.
    FENCE_INFO = "notes.fence_info"
    #: An image file does not exist.
    MISSING_IMAGE = "notes.missing_image"
    #: An image or link path leads outside the book's root (after resolving symlinks).
    OUTSIDE_ROOT = "notes.outside_root"
    #: An image on the web (``http(s)://``): never fetched; a placeholder shows its address.
    REMOTE_IMAGE = "notes.remote_image"
    #: An animated image (GIF, WebP): the site shows it moving, print its first frame.
    ANIMATED_IMAGE = "notes.animated_image"
    #: Image syntax pointing at something that is not an image; shown as a link text.
    NOT_AN_IMAGE = "notes.not_an_image"
    #: A link to a local file the book cannot offer (missing, a folder, a type off the download
    #: allowlist such as .html or .js); shown as text.
    LOCAL_LINK = "notes.local_link"
    #: A link readers must not follow (``javascript:``, ``file:``, ``data:``…); shown as text.
    UNSAFE_LINK = "notes.unsafe_link"
    #: An image that cannot be used safely: unreadable, too large to decode (a decompression
    #: bomb), or an SVG with scripts or outside references. Its alt text is shown instead.
    BAD_IMAGE = "notes.bad_image"
    #: Two questions (or exercises) in one lesson carry the same number.
    DUPLICATE_NUMBER = "notes.duplicate_number"
    #: Question numbers skip one or more numbers.
    NUMBER_GAP = "notes.number_gap"
    #: An item's number could not be read; it is numbered after the one before it.
    UNNUMBERED_ITEM = "notes.unnumbered_item"

    # --- qa: our Sphinx extension, through Sphinx's logger (``**kind.sphinx``) ---------------
    #: Two documents declare the same lesson number; the second is numbered after the last.
    QA_LESSON_NUMBER = "qa.lesson_number"
    #: An ``answer`` directive outside any question: numbered on its own.
    QA_ANSWER_OUTSIDE_QUESTION = "qa.answer_outside_question"
    #: A file the site should offer for download (the EPUB, the PDF) does not exist.
    QA_DOWNLOAD = "qa.download"

    # --- pdf: the print stage ------------------------------------------------------------------
    #: WeasyPrint logged an error while laying out or writing (an unreachable resource).
    PDF_ERROR = "pdf.error"
    #: WeasyPrint logged a warning (a refused URL, CSS it did not understand).
    PDF_WARNING = "pdf.warning"
    #: An image that cannot be printed (unreadable, a decompression bomb): its alt text is.
    PDF_IMAGE = "pdf.image"
    #: A reference whose target is not in the book: its page number prints as ``?``.
    PDF_REFERENCE = "pdf.reference"
    #: A character no installed font has: it would print as an empty box.
    PDF_MISSING_GLYPH = "pdf.missing_glyph"
    #: The handouts could not be cut from the book (a lesson's start not found).
    PDF_HANDOUTS = "pdf.handouts"
    #: The installed WeasyPrint is not one whose laid-out pages we edit: the book is laid out in
    #: one piece, its page references counted by WeasyPrint (slower, the same book).
    PDF_ENGINE = "pdf.engine"
    #: A table whose longest words cannot fit the print text block: set at 90, 80 or 70 %
    #: (sphinx_ext/print_fit.py); at 70 % its longest words break inside their cells.
    PDF_WIDE_TABLE = "pdf.wide_table"

    # The print preflight (``check``, build_tools/pdf/preflight): a page of the book's PDF that
    # breaks a rule of the printed page. Each message names the page and what was measured.

    #: Text runs outside the text block: into a margin or off the paper.
    PDF_TEXT_OUTSIDE = "pdf.text_outside"
    #: A running head missing where one belongs, printed where none belongs (blank pages, the
    #: cover, the contents, a lesson's first page), or reading other than the book's title
    #: (left pages) or the lesson's (right pages).
    PDF_RUNNING_HEAD = "pdf.running_head"
    #: A page ends with a heading: its section starts on the next page.
    PDF_HEADING_AT_FOOT = "pdf.heading_at_foot"
    #: More than 35 % of a page's text block is empty at its foot, and the page is not a
    #: lesson's last, a blank left-hand page, the contents' last, or the page before a figure
    #: too tall for that space even at 60 % of its height.
    PDF_EMPTY_PAGE = "pdf.empty_page"
    #: Glyphs drawn over one another: the text of two table cells, or of a line and the next.
    PDF_OVERLAP = "pdf.overlap"
    #: An image holds fewer pixels than the smaller of its source's and 300 ppi at its
    #: printed size.
    PDF_LOW_RESOLUTION = "pdf.low_resolution"


    @property
    def code(self) -> str:
        return self.value

    @property
    def type(self) -> str:
        return self.value.split(".", 1)[0]

    @property
    def sphinx(self) -> dict[str, str]:
        """``type`` and ``subtype`` for Sphinx's ``logger.warning(..., **kind.sphinx)``."""
        kind_type, subtype = self.value.split(".", 1)
        return {"type": kind_type, "subtype": subtype}


@dataclass(frozen=True)
class Diagnostic:
    kind: Kind
    loc: Location
    message: str
    severity: Severity = Severity.WARNING

    def __str__(self) -> str:
        return f"{self.loc}: {self.severity.value}: {self.message} [{self.kind.code}]"

    def to_json(self) -> list:
        """A list JSON can hold (the PDF stage's cache replays its diagnostics)."""
        return [self.kind.code, self.loc.path, self.loc.line, self.message,
                self.severity.value]

    @classmethod
    def from_json(cls, data: list) -> Diagnostic:
        code, path, line, message, severity = data
        return cls(Kind(code), Location(path, line), message, Severity(severity))


class Reporter:
    """Collects diagnostics in the order they were found; the CLI decides what to do with them."""

    def __init__(self, suppress: frozenset[str] = frozenset()) -> None:
        self._suppress = suppress
        self.diagnostics: list[Diagnostic] = []

    def warn(self, kind: Kind, loc: Location, message: str) -> None:
        self._add(Diagnostic(kind, loc, message))

    def error(self, kind: Kind, loc: Location, message: str) -> None:
        self._add(Diagnostic(kind, loc, message, Severity.ERROR))

    def replay(self, diagnostics: list[Diagnostic]) -> None:
        """Report again what an earlier parse found (suppression applies as usual)."""
        for diagnostic in diagnostics:
            self._add(diagnostic)

    def _add(self, diagnostic: Diagnostic) -> None:
        if suppressed(diagnostic.kind.code, self._suppress):
            return
        self.diagnostics.append(diagnostic)


def suppressed(code: str, suppress: frozenset[str]) -> bool:
    """Whether ``--suppress`` hides a warning of type ``code`` (``pdf.image``): named whole, or
    by its type alone (``pdf`` hides every ``pdf.*``, ``notes`` every ``notes.*``)."""
    return code in suppress or code.split(".", 1)[0] in suppress


def message_type(message: str) -> str:
    """The ``type.subtype`` a printed message ends with (``… [qa.download]``), or ""."""
    match = re.search(r"\[([\w.]+)\]\s*$", message)
    return match.group(1) if match else ""


_STARTS_MESSAGE = re.compile(r"\S.*?: (WARNING|ERROR|CRITICAL): ")


def without_suppressed(messages: str, suppress: frozenset[str]) -> str:
    """Sphinx's printed ``messages`` (or a skipped builder's replayed ones) but those of a type
    ``suppress`` hides, each with the lines that continue it: the same rule as our own."""
    kept, hiding = [], False
    for line in messages.splitlines(keepends=True):
        if _STARTS_MESSAGE.match(line):
            hiding = suppressed(message_type(line), suppress)
        if not hiding:
            kept.append(line)
    return "".join(kept)
