"""How the book numbers lessons and their items: one rule, beside the model.

The MyST writer emits these numbers, the Sphinx extension prints them (问题 2a.4, 图 2a.1) and
``check`` looks for them: all three call this module, so what ``check`` expects is what the book
prints.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .model import Exercise, Item, Lesson, Location, Question

_DOTTED = re.compile(r"\d+(\.\d+)*")
_LEADING = re.compile(r"\d+")


def lesson_numbers(lessons: tuple[Lesson, ...]) -> list[str]:
    """Each lesson's number as the book prints it, in book order (see :func:`printed_numbers`)."""
    return printed_numbers([lesson.number_label for lesson in lessons])


def printed_numbers(declared: list[str]) -> list[str]:
    """Lessons' numbers as the book prints them, from those their notes declare ("2", "2a"
    for a companion, "" for none), in book order: each its own, else — none, or one an earlier
    lesson took — the one after the highest, so that no two lessons print the same number.

    The MyST writer numbers the model's lessons by this rule, the Sphinx extension the
    documents by their front matter: a book written by hand is numbered as a converted one.
    """
    highest = max((int(_LEADING.match(number).group()) for number in declared if number),
                  default=0)
    used: set[str] = set()
    numbers = []
    for number in declared:
        if not number or number in used:
            highest += 1
            number = str(highest)
        used.add(number)
        numbers.append(number)
    return numbers


def item_number(item: Item) -> str:
    """An item's own number as the book prints it after the lesson's: "4", "2.1"; "" if none."""
    if isinstance(item, Question | Exercise) and item.number is not None:
        return str(item.number)
    return item.number_text if _DOTTED.fullmatch(item.number_text) else ""


def own_numbers(given: list[str]) -> list[str]:
    """Items' own numbers in order: the note's ("4", "2.1") where given, else the one after
    the highest so far (an unnumbered question among numbered ones)."""
    numbers, highest = [], 0
    for number in given:
        number = number or str(highest + 1)
        highest = max(highest, int(number.split(".")[0]))
        numbers.append(number)
    return numbers


def continue_restarts(lesson: Lesson) -> tuple[Lesson, list[Location]]:
    """A second set of questions (or exercises) that counts again from 1 continues after the
    highest number so far.

    Two Q&A parts of one lesson both numbered 1, 2, 3 would print 问题 2.1 twice; the second
    set becomes 4, 5, 6. A set is new when it starts in another part or under a heading of its
    own (单选题, then 多选题); a 1 repeated inside one run is a typo, left to the duplicate
    warning. Returns the lesson and where each renumbered set starts.
    """
    highest = {Question: 0, Exercise: 0}
    offset = {Question: 0, Exercise: 0}
    new_set = {Question: False, Exercise: False}
    restarts: list[Location] = []
    parts = []
    for part in lesson.parts:
        new_set = dict.fromkeys(new_set, True)
        items = []
        for item in part.items:
            kind = type(item)
            if isinstance(item, Question | Exercise) and item.number is not None:
                if item.number == 1 and highest[kind] >= 1 and new_set[kind]:
                    offset[kind] = highest[kind]
                    restarts.append(item.loc)
                if offset[kind]:
                    number = item.number + offset[kind]
                    item = replace(item, number=number, number_text=str(number))
                highest[kind] = max(highest[kind], item.number)
                new_set[kind] = False
            elif not isinstance(item, Question | Exercise):
                new_set = dict.fromkeys(new_set, True)  # a heading between two sets
            items.append(item)
        parts.append(replace(part, items=tuple(items)))
    return replace(lesson, parts=tuple(parts)), restarts
