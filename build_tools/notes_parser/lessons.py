"""Which notes are lessons, what number each carries and in which order the book reads them.

The number an author wrote wins over a note's place in the folder: the title's (``第二节课``,
``# 1 大模型…``), else the file name's (``笔记6-…``, ``lesson6.md``, ``6intro.md``, ``第6课…``).
A companion note (``lesson2_homework.md``, ``# 第二课作业``) follows its lesson as lesson "2a".
The folder's ``index.md`` or ``README.md`` is an overview of the course: the book's
introduction, not a lesson. See docs/notes-format.md, "Lessons".
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..diagnostics import Kind, Reporter
from ..links import fragment, heading_anchors, iter_links, note_key
from ..model import Book, Lesson
from ..numerals import NUMERAL_CHARS, parse_numeral
from .titles import COMPANION_WORDS

INTRO_NAMES = ("index", "readme")
# A number in a file name that is a lesson's: after a word that says so, or opening the name.
# Digits inside a word (gpt4) or a date (2024-05-01) are not lesson numbers.
_FILE_NUMBERS = (
    re.compile(r"^(?:lesson|lecture|lec|class|notes?|week|day|chapter|ch|part)[\s_.\-]*"
               r"(\d{1,3})(?!\d)", re.IGNORECASE),
    re.compile(r"^(?:笔记|课程|课|第)\s*[-_]?\s*(\d{1,3})(?!\d)"),
    re.compile(rf"^第\s*([{NUMERAL_CHARS}]+)\s*(?:节课|节|课|讲)"),
    re.compile(r"^(\d{1,3})(?![\d\-_.]*\d{2}(?:\D|$))(?!\d)"),
)
# Right after the number: lesson2_homework, lesson3-homework, lesson5作业, 笔记3-补充.
_COMPANION_FILE = re.compile(rf"[\s_.\-]*(?:homework|hw|exercises?|{'|'.join(COMPANION_WORDS)})",
                             re.IGNORECASE)


def arrange_book(lessons: list[Lesson], notes_dir: Path, reporter: Reporter,
                 intro: bool = True) -> Book:
    """The book made of parsed notes: the introduction apart, numbers given, lessons in order.

    :param intro: whether a top-level ``index.md``/``README.md`` is the introduction
    """
    overview = _find_intro(lessons, notes_dir) if intro else None
    lessons = [_numbered(lesson) for lesson in lessons if lesson is not overview]
    for lesson in lessons:
        if lesson.number is None:
            reporter.warn(Kind.NO_LESSON_NUMBER, lesson.loc,
                          f"no lesson number in the title or the file name; placed after the "
                          f"numbered lessons: {lesson.title}")
    lessons = _lettered(lessons, reporter)
    lessons.sort(key=_order_key(lessons))
    _check_lesson_numbers(lessons, reporter)
    book = Book(tuple(lessons), overview)
    _check_note_links(book, reporter)
    return book


def file_number(stem: str) -> tuple[int | None, bool]:
    """The lesson number a file name gives, and whether it names a companion of that lesson.

    ``笔记6-…`` → (6, False), ``lesson2_homework`` → (2, True), ``gpt4`` → (None, False).
    """
    for pattern in _FILE_NUMBERS:
        match = pattern.match(stem)
        if match:
            companion = bool(_COMPANION_FILE.match(stem, match.end()))
            return parse_numeral(match.group(1)), companion
    return None, False


def _find_intro(lessons: list[Lesson], notes_dir: Path) -> Lesson | None:
    top = [lesson for lesson in lessons if lesson.source.parent == notes_dir
           and lesson.source.stem.lower() in INTRO_NAMES and not lesson.numbers]
    return top[0] if top else None


def _numbered(lesson: Lesson) -> Lesson:
    """The lesson with its number from the file name when the title gives none."""
    number, from_name = file_number(lesson.source.stem)
    companion = lesson.companion or (from_name and number in (lesson.numbers or (number,)))
    if not lesson.numbers and number is not None:
        return replace(lesson, numbers=(number,), companion=companion)
    return replace(lesson, companion=companion) if companion != lesson.companion else lesson


def _lettered(lessons: list[Lesson], reporter: Reporter) -> list[Lesson]:
    """Companions take their lesson's number and a letter, in file-name order."""
    main = {lesson.number for lesson in lessons if not lesson.companion}
    count: dict[int, int] = {}
    out = []
    for lesson in sorted(lessons, key=lambda item: natural_key(item.source)):
        if lesson.companion and lesson.number is not None:
            count[lesson.number] = count.get(lesson.number, 0) + 1
            lesson = replace(lesson, suffix=chr(ord("a") + count[lesson.number] - 1))
            if lesson.number not in main:
                reporter.warn(Kind.LONE_COMPANION, lesson.loc,
                              f"companion of lesson {lesson.number}, which no note holds; "
                              f"placed where it would be, as {lesson.number_label}")
        out.append(lesson)
    return out


def _order_key(lessons: list[Lesson]):
    """By chapter, then number, when every numbered lesson names its chapter; else by number.

    Lessons without a number come last, in file-name order.
    """
    numbered = [lesson for lesson in lessons if lesson.number is not None]
    by_chapter = bool(numbered) and all(lesson.chapter is not None for lesson in numbered)
    big = 10**9

    def key(lesson: Lesson) -> tuple:
        chapter = lesson.chapter if by_chapter and lesson.chapter is not None else 0
        number = lesson.number if lesson.number is not None else big
        return (number == big, chapter, number, lesson.suffix, natural_key(lesson.source))

    return key


def natural_key(path: Path) -> list:
    """笔记2 before 笔记10."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.as_posix())]


def _check_lesson_numbers(lessons: list[Lesson], reporter: Reporter) -> None:
    seen: dict[int, Lesson] = {}
    for lesson in lessons:
        if lesson.companion:
            continue
        for number in lesson.numbers:
            if number in seen:
                reporter.warn(Kind.DUPLICATE_LESSON, lesson.loc,
                              f"lesson {number} also in {seen[number].loc}")
            seen.setdefault(number, lesson)



def _check_note_links(book: Book, reporter: Reporter) -> None:
    """A link to a heading of another note whose GitHub anchor no heading has: it will lead
    to the top of that lesson instead."""
    notes = {note_key(lesson.source): lesson for lesson in book.notes}
    anchors: dict[Path, dict] = {}
    for lesson in book.notes:
        for loc, link in iter_links(lesson):
            target = notes.get(note_key(link.local.source)) if link.local else None
            wanted = fragment(link)
            if target is None or not wanted:
                continue
            known = anchors.setdefault(target.source, heading_anchors(target))
            if wanted not in known:
                reporter.warn(Kind.MISSING_ANCHOR, loc,
                              f"no heading of {target.loc.path} has the anchor #{wanted}; "
                              f"the link leads to the top of that lesson")
