"""One lesson → one MyST document, as a table of small render functions, one per node type.

Heading levels follow the author's hierarchy with its gaps closed: the lesson is ``#``, its
parts ``##``, items one level below their part (``##`` where the note has no part headings),
and sub-headings as deep below their part or item as the note nested them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import (
    Block,
    Exercise,
    Fence,
    Figure,
    Heading,
    ImageFile,
    Inline,
    InlineImage,
    Item,
    Lesson,
    Link,
    ListBlock,
    Paragraph,
    Part,
    PartKind,
    Question,
    Quote,
    RawHtml,
    Section,
    Table,
    Term,
    Text,
    WritingSpace,
    inline_text,
    item_title,
    link_text,
)
from ..numbering import item_number
from .answer_key import split_at_key
from .fences import fence, fence_language
from .figures import figure_caption, image_suffix, needs_png, safe_href, unavailable_image
from .inline import InlineRenderer, escape_text
from .labels import LabelMaker
from .located import Located, document_lines, joined, located_directive, located_glossary
from .markup import writing_space
from .note_links import NoteLinks, download_role, ref_role

IMAGE_DIR = "images"
# Linked files offered as downloads (.py, .ipynb, a README…): never documents, never figures.
FILES_DIR = "_files"


@dataclass
class LessonOutput:
    """What writing a lesson produced: the document and the files it needs copied."""

    label: str
    text: str
    files: dict[str, Path] = field(default_factory=dict)  # output name → source file
    # (line of the MyST text, line of the note it was written from), in order: the map that
    # points a Sphinx warning about the generated file back at the note.
    lines: list[tuple[int, int]] = field(default_factory=list)
    source: Path = Path()  # the note
    to_png: set[str] = field(default_factory=set)  # files (output names) to write as PNG


class LessonWriter:
    def __init__(self, lesson: Lesson, labels: LabelMaker, label: str,
                 links: NoteLinks | None = None, number: str = "") -> None:
        """:param label: the lesson's label, given out by ``labels`` beforehand
        :param links: where links to other notes of the book lead
        :param number: the lesson's number as printed (numbering.lesson_numbers); "" for the
            book's introduction
        """
        self.lesson = lesson
        self.number = number
        self.labels = labels
        self.label = label
        self.links = links or NoteLinks()
        self.files: dict[str, Path] = {}
        self.to_png: set[str] = set()
        self._named: dict[Path, str] = {}
        self._owner = self.label  # label of the item figures belong to
        self._owner_caption = (lesson.title, lesson.title)
        self._figure_count: dict[str, int] = {}
        # (exercise label, solution label, blocks) for the answer key at the lesson's end.
        self._solutions: list[tuple[str, str, tuple[Block, ...]]] = []
        self._inline = InlineRenderer(self._inline_image, self._link)
        self._level = 1  # the MyST heading level of the part or item being written

    # --- Structure ------------------------------------------------------------------------

    def write(self) -> LessonOutput:
        lesson = self.lesson
        # The extension numbers this document's questions and figures by this (问题 2.4).
        front = f"---\nlesson-number: {self.number}\n---" if self.number else ""
        chunks = [front, f"({self.label})=",
                  Located("# " + self._heading_text(lesson.heading, lesson.title),
                          lesson.loc.line)]
        chunks += self._blocks(lesson.intro)
        for position, part in enumerate(lesson.parts, start=1):
            chunks += self._part(part, position)
        chunks += self._answer_key()
        text, lines = document_lines([c for c in chunks if c])
        return LessonOutput(self.label, text, self.files, lines, lesson.source, self.to_png)

    def _part(self, part: Part, position: int) -> list[str]:
        label = self.labels.part(self.label, part, position)
        name = part.name or self.lesson.title
        self._owner, self._owner_caption = label, (name, name)
        chunks = []
        self._level = 1
        if part.title:  # items before the first part heading stay under the lesson's title
            self._level = 2
            chunks = [self._anchor(part.loc), f"({label})=",
                      Located("## " + self._heading_text(part.title, part.name), part.loc.line)]
        part_level = self._level
        chunks += self._blocks(part.intro)
        entries: list[tuple[str, str, int]] = []  # glossary terms, written together
        for item_position, item in enumerate(part.items, start=1):
            if isinstance(item, Term) and part.kind is PartKind.GLOSSARY:
                entry = self._term(item, label, item_position)
                if entry is not None:
                    entries.append(entry)
                    continue
            chunks.append(located_glossary(entries) if entries else "")
            entries = []
            self._level = part_level + 1
            chunks += self._item(item, label, item_position)
        chunks.append(located_glossary(entries) if entries else "")
        return chunks

    def _item(self, item: Item, part_label: str, position: int) -> list[str]:
        label = self.labels.item(self.label, part_label, item, position)
        self._owner = label
        self._owner_caption = _caption_stem(item, inline_text(item_title(item)), self.number)
        if isinstance(item, Question):
            return [self._anchor(item.loc), self._question(item, label)]
        if isinstance(item, Exercise):
            return [self._anchor(item.loc), self._exercise(item, label)]
        heading = self._inline.render(item_title(item))  # as written, the author's number too
        return [self._anchor(item.loc), f"({label})=",
                Located("#" * min(6, self._level) + " " + (heading or escape_text(label)),
                        item.loc.line),
                *self._blocks(item.blocks)]

    def _anchor(self, loc) -> str:
        """A label of its own for a heading another note links to (``lesson3.md#安装步骤``)."""
        anchor = self.links.anchor(loc)
        return f"({anchor})=" if anchor else ""

    def _question(self, question: Question, label: str) -> Located:
        body = self._blocks(question.prompt)
        for answer in question.answers:
            options = {"followup": ""} if answer.followup else {}
            body.append(located_directive("answer", "", options, self._joined(answer.blocks),
                                          answer.loc.line))
        return located_directive("question", self._title(question.title),
                                 _item_options(question, label), joined(body), question.loc.line)

    def _exercise(self, exercise: Exercise, label: str) -> Located:
        shown, hidden = split_at_key(exercise.blocks, exercise.key)
        body = self._blocks(shown)
        if hidden:
            solution = self.labels.unique(f"{label}-sol")
            self._solutions.append((label, solution, hidden))
            body.append(f"{{ref}}`查看答案 <{solution}>`")
        return located_directive("exercise", self._title(exercise.stem),
                                 _item_options(exercise, label), joined(body), exercise.loc.line)

    def _answer_key(self) -> list[str]:
        """The lesson's exercise answers, gathered at its end, each linking back."""
        if not self._solutions:
            return []
        chunks = [f"({self.labels.unique(self.label + '-key')})=", "## 习题答案"]
        for exercise_label, solution_label, blocks in self._solutions:
            self._owner = solution_label
            chunks.append(located_directive("solution", exercise_label, {"name": solution_label},
                                            self._joined(blocks), 0))
        return chunks

    def _term(self, term: Term, part_label: str, position: int) -> tuple[str, str, int] | None:
        """A glossary entry; None for a term an earlier lesson defined (Sphinx allows one)."""
        words = self._title(term.term)
        if not words or not self.labels.claim_term(inline_text(term.name or term.term)):
            return None
        self._owner = self.labels.item(self.label, part_label, term, position)
        self._owner_caption = _caption_stem(term, inline_text(term.term), self.number)
        return (words, self._joined(term.blocks) or escape_text("（原笔记没有解释。）"),
                term.loc.line)

    def _title(self, inlines: tuple[Inline, ...]) -> str:
        return " ".join(self._inline.render(inlines).split("\n")).strip()

    def _joined(self, blocks: tuple[Block, ...]) -> str:
        return joined(self._blocks(blocks))

    def _heading_text(self, inlines: tuple[Inline, ...], fallback: str) -> str:
        return self._inline.render(inlines) or escape_text(fallback)

    # --- Blocks ---------------------------------------------------------------------------

    def _blocks(self, blocks: tuple[Block, ...]) -> list[str]:
        return [self.block(b) for b in blocks]

    def block(self, block: Block) -> str:
        return Located(_BLOCK_RENDERERS[type(block)](self, block), block.loc.line)

    def _paragraph(self, block: Paragraph) -> str:
        return self._inline.render(block.inlines)

    def _heading(self, block: Heading) -> str:
        heading = "#" * min(6, self._level + block.depth) + " " + self._inline.render(block.inlines)
        anchor = self._anchor(block.loc)
        return f"{anchor}\n\n{heading}" if anchor else heading

    def _fence(self, block: Fence) -> str:
        return fence(block.text, fence_language(block.info, block.text))

    def _list(self, block: ListBlock) -> str:
        items = []
        for n, blocks in enumerate(block.items):
            marker = f"{block.start + n}." if block.ordered else "-"
            body = "\n\n".join(self._blocks(blocks)) or ""
            items.append(_indent_item(marker, body))
        loose = any(len(blocks) > 1 for blocks in block.items)
        return ("\n\n" if loose else "\n").join(items)

    def _table(self, block: Table) -> str:
        width = max([len(block.header)] + [len(r) for r in block.rows])
        rows = [block.header, *block.rows]
        lines = []
        for n, row in enumerate(rows):
            cells = [_table_cell(self._inline.render(c)) for c in row]
            cells += [""] * (width - len(cells))
            lines.append("| " + " | ".join(cells) + " |")
            if n == 0:
                lines.append("|" + "---|" * width)
        return "\n".join(lines)

    def _quote(self, block: Quote) -> str:
        inner = "\n\n".join(self._blocks(block.blocks))
        return "\n".join(("> " + line).rstrip() for line in inner.split("\n"))

    def _raw_html(self, block: RawHtml) -> str:
        return fence(block.html, "html")

    def _figure(self, block: Figure) -> str:
        if block.file is None or not block.file.exists:
            return unavailable_image(block.alt, block.written, block.file)
        label = self._next_figure_label()
        name = self._copy(block.file, label)
        # "avatar" and the like say nothing to a screen reader; the caption and title do.
        caption, alt = figure_caption(block, self._owner_caption, self._figure_count[self._owner])
        if block.omitted:  # the student edition's: numbered (a caption), never printed
            caption, alt = "omitted", ""
        return "\n".join([
            f"```{{figure}} {IMAGE_DIR}/{name}",
            f":name: {label}",
            f":alt: {json.dumps(alt, ensure_ascii=False)}",
            *([":figclass: edition-omitted"] if block.omitted else []),
            "",
            self._inline.render((Text(caption),)),
            "```",
        ])

    # --- Inline hooks: images and links need the file map ---------------------------------

    def _inline_image(self, image: InlineImage) -> str:
        if image.file is None or not image.file.exists:
            return unavailable_image(image.alt, image.written, image.file)
        name = self._copy(image.file, self._next_figure_label())
        return f"![{escape_text(image.alt)}]({IMAGE_DIR}/{name})"

    def _link(self, link: Link, text: str) -> str:
        text = _readable_url_text(link, text)
        target = self.links.target(link)
        if target:  # another note of the book: a cross-reference, a page number in print
            return ref_role(inline_text(link.children), target)
        if link.local is not None and link.local.format:
            return text  # an image: the parser put it after the paragraph, as a figure
        if link.local is not None:  # a download on the site; the file's name in EPUB and PDF
            return download_role(inline_text(link.children), self._offer(link.local))
        if re.match(r"(?i)https?://|mailto:", link.href):
            return f"[{text}](<{safe_href(link.href)}>)"
        # Anything else (a folder of the course repository, javascript:, an anchor) is not a
        # place a reader of the book can go: keep the words and show where it pointed.
        return f"{text}（{escape_text(link.href)}）"

    def _next_figure_label(self) -> str:
        count = self._figure_count.get(self._owner, 0) + 1
        self._figure_count[self._owner] = count
        return self.labels.figure(self._owner, count)

    def _copy(self, file: ImageFile, label: str) -> str:
        """Name the image after its first use (CJK names break Sphinx's image paths) and its
        true format: WebP bytes named .png would be declared image/png in the EPUB."""
        if file.source not in self._named:
            name = f"{label}{image_suffix(file.format)}"
            self._named[file.source] = name
            self.files[f"{IMAGE_DIR}/{name}"] = file.source
            if needs_png(file.format):
                self.to_png.add(f"{IMAGE_DIR}/{name}")
        return self._named[file.source]

    def _offer(self, file: ImageFile) -> str:
        """Where a linked file is copied for download: its own name, in a folder of its own
        that Sphinx never reads documents from (conf.py's exclude_patterns)."""
        folder = hashlib.sha256(str(file.source).encode("utf-8")).hexdigest()[:10]
        # The role's syntax cannot hold these four; no file name of a course has them.
        name = re.sub(r"[`<>\\]", "_", file.source.name)
        target = f"{FILES_DIR}/{folder}/{name}"
        self.files[target] = file.source
        return target


_BLOCK_RENDERERS = {
    Paragraph: LessonWriter._paragraph,
    Heading: LessonWriter._heading,
    Fence: LessonWriter._fence,
    ListBlock: LessonWriter._list,
    Table: LessonWriter._table,
    Quote: LessonWriter._quote,
    RawHtml: LessonWriter._raw_html,
    Figure: LessonWriter._figure,
    WritingSpace: lambda writer, block: writing_space(block.lines, block.box),
}


def _readable_url_text(link: Link, text: str) -> str:
    """Link text that is a percent-encoded URL or path, shown decoded (销售, not %E9%94%80)."""
    shown = link_text(link)
    return text if shown == inline_text(link.children) else escape_text(shown)


def _table_cell(text: str) -> str:
    """One line, and every pipe escaped: GFM splits cells at a pipe even inside a code span."""
    return re.sub(r"(?<!\\)\|", r"\\|", text.replace("\n", " "))


def _indent_item(marker: str, body: str) -> str:
    pad = " " * (len(marker) + 1)
    lines = body.split("\n") if body else [""]
    first = f"{marker} {lines[0]}".rstrip()
    rest = [(pad + line) if line else "" for line in lines[1:]]
    return "\n".join([first, *rest])


def _item_options(item: Question | Exercise, label: str) -> dict[str, str]:
    options = {"name": label}
    number = item_number(item)
    if number:
        options["number"] = number
    return options


def _caption_stem(item: Item, title: str, lesson: str) -> tuple[str, str]:
    """(what a figure's caption calls its item, what its alt text says of it).

    Numbered items are named by their number (问题 2.4) — a title cut short mid-phrase reads
    badly under a picture — and the alt text carries the whole title for screen readers.
    """
    noun = {Question: "问题", Exercise: "练习", Term: "名词", Section: ""}[type(item)]
    number = item_number(item)
    if number and lesson and isinstance(item, Question | Exercise):
        number = f"{lesson}.{number}"  # as the book numbers it: 问题 2.4
    number = number or item.number_text
    if noun and number:
        return f"{noun} {number}", title
    short = title if len(title) <= 24 else title[:24] + "…"
    return (f"{noun}：{short}" if noun else short), title
