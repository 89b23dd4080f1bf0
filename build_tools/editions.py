"""Editions of the book: the teacher's (everything) and the student's (no answer, no trace of
one, room to write in its place). A filter on the typed model, between parsing and writing.

In the student edition every question's answers (and follow-ups) and every exercise's recorded
answer (``答：B``, ``❌（正确答案：B）``, in a paragraph or a fence, and whatever follows it: what
the teacher edition moves to the answer key) are gone; so is the bold or ticked right option.
Each answer leaves ruled lines as many as its length asks (3–12), a choice exercise a box.
An answer's figures stay in the model as ``omitted`` figures, which the book numbers and never
prints: the figures after them keep the teacher edition's numbers. Labels, and so question and
exercise numbers, are the teacher edition's: they come from the lesson and item numbers.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from enum import Enum

from .book_config import BookConfig
from .model import (
    Block,
    Book,
    Emph,
    Exercise,
    Fence,
    Figure,
    HardBreak,
    Inline,
    Item,
    Lesson,
    ListBlock,
    Location,
    Paragraph,
    Question,
    Quote,
    SoftBreak,
    Strong,
    Text,
    WritingSpace,
    inline_text,
    iter_blocks,
    iter_figures,
    iter_inline_runs,
)
from .myst_writer.answer_key import split_at_key


class Edition(Enum):
    TEACHER = "teacher"
    STUDENT = "student"


# --edition: one of these; "both" is each, the teacher's first.
CHOICES = {"teacher": (Edition.TEACHER,), "student": (Edition.STUDENT,),
           "both": (Edition.TEACHER, Edition.STUDENT)}
# Where the student edition's files go, under the output folder; and what its title adds
# (so the cover, the running heads and the PDF's title say it).
STUDENT_FOLDER = "student"
STUDENT_MARK = "学生版"
# The student edition is printed only: what it builds for each target of ``build``.
STUDENT_TARGETS = {"pdf": "pdf", "handouts": "handouts", "all": "handouts"}
MIN_LINES, MAX_LINES = 3, 12
_CHARS_A_LINE = 36  # a handwritten line holds fewer characters than a printed one
_LINES_A_FIGURE = 4
_OPTION = re.compile(r"^\s*(?:[-*+]\s+)?\*\*\s*([A-H]\s*[.．、:：)）].*?)\s*\*\*\s*$")
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{6,}|[A-Za-z0-9]{6,}")
_TICKS = re.compile(r"\s*[（(]?\s*(?:[✅✔√☑]|正确)\s*[）)]?\s*$")


def edition_config(config: BookConfig, edition: Edition) -> BookConfig:
    """The teacher edition's settings are the book's; the student's are titled 学生版 and
    built in ``OUT/student``."""
    if edition is Edition.TEACHER:
        return config
    return replace(config, title=f"{config.title}（{STUDENT_MARK}）",
                   out=config.out / STUDENT_FOLDER)


def for_edition(book: Book, edition: Edition) -> Book:
    return student_book(book) if edition is Edition.STUDENT else book


def student_book(book: Book) -> Book:
    """The book without its answers (see the module's docstring)."""
    return replace(book, lessons=tuple(_lesson(lesson) for lesson in book.lessons),
                   intro=_lesson(book.intro) if book.intro is not None else None)


def _lesson(lesson: Lesson) -> Lesson:
    parts = tuple(replace(part, items=tuple(_item(item) for item in part.items))
                  for part in lesson.parts)
    return replace(lesson, parts=parts)


def _item(item: Item) -> Item:
    if isinstance(item, Question):
        return _question(item)
    if isinstance(item, Exercise):
        return _exercise(item)
    return item


def _question(question: Question) -> Question:
    spaces: list[Block] = []
    for answer in question.answers:
        spaces.append(WritingSpace(answer.loc, writing_lines(answer.blocks)))
        spaces += [replace(figure, omitted=True, alt="") for figure in iter_figures(answer.blocks)]
    return replace(question, prompt=question.prompt + tuple(spaces), answers=())


def _exercise(exercise: Exercise) -> Exercise:
    shown, hidden = split_at_key(exercise.blocks, exercise.key)
    blocks = _unmarked(shown)
    if hidden:
        loc = exercise.key.loc if exercise.key is not None else exercise.loc
        room = (WritingSpace(loc, 1, box=True) if exercise.options
                else WritingSpace(loc, writing_lines(hidden)))
        blocks += (room,)
    options = tuple(replace(option, marked_bold=False, inlines=_plain_option(option.inlines))
                    for option in exercise.options)
    return replace(exercise, blocks=blocks, options=options, key=None)


def writing_lines(blocks: tuple[Block, ...]) -> int:
    """How many ruled lines replace an answer: its characters (a Latin word counts two) over
    what a handwritten line holds, a few lines for each figure; 3 at least, 12 at most."""
    text = "".join(answer_texts(blocks))
    chars = len(re.sub(r"\s+", "", re.sub(r"[A-Za-z0-9]+", "ab", text)))
    lines = math.ceil(chars / _CHARS_A_LINE) + _LINES_A_FIGURE * len(list(iter_figures(blocks)))
    return max(MIN_LINES, min(MAX_LINES, lines))


def answer_texts(blocks: tuple[Block, ...]) -> list[str]:
    """The words of ``blocks``: paragraphs, headings, table cells, fences, figures' alt text."""
    found = [inline_text(inlines) for _, inlines in iter_inline_runs(blocks)]
    for block in iter_blocks(blocks):
        if isinstance(block, Fence):
            found.append(block.text)
        elif isinstance(block, Figure):
            found.append(block.alt)
    return found


def removed_blocks(lesson: Lesson) -> list[tuple[Block, ...]]:
    """What the student edition leaves out of a lesson: each answer, each exercise's recorded
    answer and what follows it."""
    removed: list[tuple[Block, ...]] = []
    for item in (item for part in lesson.parts for item in part.items):
        if isinstance(item, Question):
            removed += [answer.blocks for answer in item.answers]
        elif isinstance(item, Exercise):
            removed.append(split_at_key(item.blocks, item.key)[1])
    return [blocks for blocks in removed if blocks]


def answer_only_runs(lesson: Lesson, shown_text: str) -> list[tuple[Location, str]]:
    """Each run of six or more characters (Han, or Latin letters and digits) of the lesson's
    answers that ``shown_text`` (the student edition's words, spaces removed) does not hold:
    what must not be printed in the student edition."""
    found = []
    for blocks in removed_blocks(lesson):
        for text in answer_texts(blocks):
            found += [(blocks[0].loc, run) for run in _RUN.findall(text)
                      if run not in shown_text]
    return list(dict.fromkeys(found))


# --- The right option, unmarked -----------------------------------------------------------


def _unmarked(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Blocks with each option line neither bold nor ticked (``**B. …**``, ``B. … ✅``)."""
    kept: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            block = replace(block, inlines=_plain_lines(block.inlines))
        elif isinstance(block, ListBlock):
            block = replace(block, items=tuple(_unmarked(item) for item in block.items))
        elif isinstance(block, Quote):
            block = replace(block, blocks=_unmarked(block.blocks))
        kept.append(block)
    return tuple(kept)


def _plain_lines(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Each line of a paragraph (options are often one a line) as :func:`_plain_option`."""
    lines: list[list[Inline]] = [[]]
    for inline in inlines:
        if isinstance(inline, SoftBreak | HardBreak):
            lines.append([inline])
        else:
            lines[-1].append(inline)
    plain: list[Inline] = []
    for line in lines:
        breaks = [i for i in line[:1] if isinstance(i, SoftBreak | HardBreak)]
        plain += [*breaks, *_plain_option(tuple(line[len(breaks):]))]
    return tuple(plain)


def _plain_option(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """An option line as plain words: bold taken off the whole line, a tick taken off its end."""
    if len(inlines) == 1 and isinstance(inlines[0], Strong | Emph) and _option_start(inlines):
        inlines = inlines[0].children
    if len(inlines) == 1 and isinstance(inlines[0], Text):
        text = inlines[0].text
        bold = _OPTION.match(text)
        text = bold.group(1) if bold else text
        return (replace(inlines[0], text=_TICKS.sub("", text)),)
    if inlines and isinstance(inlines[-1], Text) and _option_start(inlines):
        return (*inlines[:-1], replace(inlines[-1], text=_TICKS.sub("", inlines[-1].text)))
    return inlines


def _option_start(inlines: tuple[Inline, ...]) -> bool:
    return bool(re.match(r"^\s*[A-H]\s*[.．、:：)）]", inline_text(inlines)))


