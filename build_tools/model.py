"""The typed model between the notes parser and the MyST writer.

Parsing fills it; writing reads it. Every node is a frozen dataclass and every block carries the
``path:line`` it came from, so that any later stage can point a user back at the note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from urllib.parse import unquote


@dataclass(frozen=True)
class Location:
    """A place in a note: the file as the user named it and a 1-based line (0: the file as a
    whole, as for an output of the build)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


# --- Inline content ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str
    # Written escaped (``\*``): a character the author meant literally, never markup.
    literal: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Code:
    code: str


@dataclass(frozen=True)
class SoftBreak:
    pass


@dataclass(frozen=True)
class HardBreak:
    pass


@dataclass(frozen=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A link; ``local`` holds the resolved file when the target is a file of the book."""

    href: str
    children: tuple[Inline, ...]
    title: str = ""
    local: ImageFile | None = None


@dataclass(frozen=True)
class ImageFile:
    """An image (or other file) a note refers to, resolved inside the book's root."""

    source: Path
    written: str  # the path as the note wrote it
    exists: bool = True
    format: str = ""  # an image's true format, from its bytes ("PNG", "WEBP", "SVG")


@dataclass(frozen=True)
class InlineImage:
    """An image in the middle of a line of text (not a figure of its own)."""

    alt: str
    written: str
    title: str = ""
    file: ImageFile | None = None


@dataclass(frozen=True)
class RawInline:
    """An allowlisted inline HTML tag such as ``<mark>`` or ``<br />``, normalised."""

    html: str


Inline = Text | Code | SoftBreak | HardBreak | Emph | Strong | Link | InlineImage | RawInline


# --- Blocks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    loc: Location
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    """A heading that is not a lesson, part or item title (kept as a sub-heading)."""

    loc: Location
    level: int  # as the note wrote it
    inlines: tuple[Inline, ...]
    # How deep it sits below the part or item holding it (1: right under it), gaps in the
    # note's levels closed: the author's hierarchy, whatever levels they used.
    depth: int = 1


@dataclass(frozen=True)
class Fence:
    loc: Location
    info: str
    text: str
    closed: bool = True


@dataclass(frozen=True)
class ListBlock:
    loc: Location
    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class Table:
    loc: Location
    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]


@dataclass(frozen=True)
class Quote:
    loc: Location
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class RawHtml:
    """HTML the notes wrote that is not on the allowlist: shown to readers as text."""

    loc: Location
    html: str


@dataclass(frozen=True)
class Figure:
    """An image standing on a line of its own; numbered and captioned by the book."""

    loc: Location
    alt: str
    written: str
    title: str = ""
    file: ImageFile | None = None
    # The student edition (editions.py): an answer's figure, never printed, that only keeps
    # the numbers of the figures after it those of the teacher edition.
    omitted: bool = False


@dataclass(frozen=True)
class WritingSpace:
    """The student edition's room to write where an answer was: ruled ``lines``, or a box for
    the letter of a choice exercise. No note holds one; editions.py puts them in."""

    loc: Location
    lines: int
    box: bool = False


Block = Paragraph | Heading | Fence | ListBlock | Table | Quote | RawHtml | Figure | WritingSpace


# --- Items ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One reply to a question: the answer itself, or a follow-up after it."""

    loc: Location
    blocks: tuple[Block, ...]
    followup: bool = False


@dataclass(frozen=True)
class Question:
    loc: Location
    number_text: str  # as written: "4", "2.1", "第一"
    number: int | None
    title: tuple[Inline, ...]
    prompt: tuple[Block, ...] = ()
    answers: tuple[Answer, ...] = ()

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(iter_figures(item_blocks(self)))


@dataclass(frozen=True)
class Option:
    letter: str
    inlines: tuple[Inline, ...]
    marked_bold: bool = False


class Verdict(Enum):
    """What the note says about the answer it records for an exercise."""

    UNMARKED = "unmarked"
    RIGHT = "right"
    WRONG = "wrong"


@dataclass(frozen=True)
class AnswerKey:
    loc: Location
    given: tuple[str, ...]  # the letters the note's author answered
    correct: tuple[str, ...]  # the right letters, when the note says them
    verdict: Verdict = Verdict.UNMARKED


@dataclass(frozen=True)
class Exercise:
    loc: Location
    number_text: str
    number: int | None
    stem: tuple[Inline, ...]
    blocks: tuple[Block, ...] = ()  # everything under the heading, in order
    options: tuple[Option, ...] = ()
    key: AnswerKey | None = None


@dataclass(frozen=True)
class Term:
    loc: Location
    number_text: str
    term: tuple[Inline, ...]  # the heading as written, the author's number included
    blocks: tuple[Block, ...] = ()
    name: tuple[Inline, ...] = ()  # the term alone, without its number: what it defines


@dataclass(frozen=True)
class Section:
    """An item-level heading in a part that holds no questions, exercises or terms."""

    loc: Location
    number_text: str
    title: tuple[Inline, ...]
    blocks: tuple[Block, ...] = ()


Item = Question | Exercise | Term | Section


# --- Lessons and the book ---------------------------------------------------------------------


class PartKind(Enum):
    EXERCISES = "exercises"
    GLOSSARY = "glossary"
    QA = "qa"
    OTHER = "other"


@dataclass(frozen=True)
class Part:
    loc: Location
    kind: PartKind
    ordinal: int | None  # 第三部分 → 3
    name: str  # the part's name without ordinal and remark: "一些问答"
    title: tuple[Inline, ...]  # the heading as written, for display
    remark: str = ""  # the text of a trailing 【…】
    intro: tuple[Block, ...] = ()  # blocks before the first item
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Lesson:
    loc: Location
    source: Path
    title: str  # "大模型基础--理论与技术的演进"
    heading: tuple[Inline, ...]  # the first heading as written
    chapter: int | None = None
    chapter_name: str = ""  # "第一章" or a part name such as "基础篇"
    numbers: tuple[int, ...] = ()  # lesson numbers; two for "第三、四节课"
    intro: tuple[Block, ...] = ()
    parts: tuple[Part, ...] = ()
    # A companion note (lesson2_homework.md, 第二课作业) follows its lesson: "2a", "2b".
    companion: bool = False
    suffix: str = ""

    @property
    def number(self) -> int | None:
        return self.numbers[0] if self.numbers else None

    @property
    def number_label(self) -> str:
        """The lesson's number as the book prints it: "2", "2a"; "" when it has none."""
        return f"{self.number}{self.suffix}" if self.number is not None else ""


@dataclass(frozen=True)
class Book:
    lessons: tuple[Lesson, ...] = field(default_factory=tuple)
    # The notes folder's index.md or README.md: an overview of the course, not a lesson.
    intro: Lesson | None = None

    @property
    def notes(self) -> tuple[Lesson, ...]:
        """The introduction, if any, and the lessons: every note a link can lead to."""
        return ((self.intro,) if self.intro is not None else ()) + self.lessons


def item_title(item: Item) -> tuple[Inline, ...]:
    """The heading an item was written with: a question's title, an exercise's stem, a term."""
    if isinstance(item, Question | Section):
        return item.title
    if isinstance(item, Exercise):
        return item.stem
    return item.term


def item_blocks(item: Item) -> tuple[Block, ...]:
    """Everything under an item's heading, in order: a question's prompt, then its answers."""
    if isinstance(item, Question):
        return item.prompt + tuple(b for a in item.answers for b in a.blocks)
    return item.blocks


def iter_blocks(blocks: tuple[Block, ...]):
    """Every block that holds content, in reading order: lists and quotes opened up."""
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from iter_blocks(item)
        elif isinstance(block, Quote):
            yield from iter_blocks(block.blocks)
        else:
            yield block


def iter_figures(blocks: tuple[Block, ...]):
    """Yield every figure in ``blocks``, descending into lists and quotes, in reading order."""
    return (block for block in iter_blocks(blocks) if isinstance(block, Figure))


def iter_inline_runs(blocks: tuple[Block, ...]):
    """(location, inlines) of every paragraph, heading and table cell, in reading order."""
    for block in iter_blocks(blocks):
        if isinstance(block, Paragraph | Heading):
            yield block.loc, block.inlines
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                for cell in row:
                    yield block.loc, cell


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """The words of ``inlines`` as a reader sees them, soft breaks as nothing between CJK."""
    parts: list[str] = []
    for inline in inlines:
        if isinstance(inline, Text):
            parts.append(inline.text)
        elif isinstance(inline, Code):
            parts.append(inline.code)
        elif isinstance(inline, Link):
            parts.append(link_text(inline))
        elif isinstance(inline, Emph | Strong):
            parts.append(inline_text(inline.children))
        elif isinstance(inline, InlineImage):
            parts.append(inline.alt)
        elif isinstance(inline, SoftBreak | HardBreak):
            parts.append("\n")
    return "".join(parts)


def link_text(link: Link) -> str:
    """A link's words as shown: a percent-encoded URL or path (``…/%E9%94%80.png``) decoded,
    since readers see the link text, not the address bar."""
    words = inline_text(link.children)
    if "%" not in words or " " in words.strip() or len(link.children) != 1:
        return words
    decoded = unquote(words)
    return decoded if decoded.isprintable() else words
