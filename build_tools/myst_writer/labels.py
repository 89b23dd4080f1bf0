"""Stable ASCII labels for lessons, parts, items and figures.

Labels come from the numbers the notes give (lesson 2, question 4 → ``l02-q04``), not from file
order, so links and bookmarks survive adding a lesson. A lesson with no number is named after its
file (``gpt4.md`` → ``lx-gpt4``; a name with other than ASCII letters and digits by a short hash of
it): a lesson's page is ``lessons/<label>.html``, and a printed QR code leads there. Where the
notes give one number twice, a suffix keeps labels unique and says so.
"""

from __future__ import annotations

import hashlib
import re

from ..model import Exercise, Item, Lesson, Part, Question, Section, Term

_ITEM_PREFIX = {Question: "q", Exercise: "e", Term: "t", Section: "s"}


class LabelMaker:
    """Hands out labels for one book; remembers what it gave so that none repeats."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._terms: set[str] = set()

    def claim_term(self, term: str) -> bool:
        """Whether ``term`` is new to the book (Sphinx's glossary terms ignore case)."""
        key = " ".join(term.split()).lower()
        if key in self._terms:
            return False
        self._terms.add(key)
        return True

    def unique(self, wanted: str) -> str:
        label, n = wanted, 2
        while label in self._used:
            label, n = f"{wanted}-{n}", n + 1
        self._used.add(label)
        return label

    def lesson(self, lesson: Lesson) -> str:
        if lesson.number is not None:
            return self.unique(f"l{lesson.number:02d}{lesson.suffix}")
        return self.unique(f"lx-{file_slug(lesson.source.stem)}")

    def part(self, lesson_label: str, part: Part, position: int) -> str:
        number = part.ordinal if part.ordinal is not None else position
        return self.unique(f"{lesson_label}-p{number}")

    def item(self, parent_label: str, part_label: str, item: Item, position: int) -> str:
        prefix = _ITEM_PREFIX[type(item)]
        number_text = item.number_text
        if isinstance(item, Question | Exercise) and number_text:
            if item.number is not None:
                return self.unique(f"{parent_label}-{prefix}{item.number:02d}")
            return self.unique(f"{parent_label}-{prefix}{number_text.replace('.', '-')}")
        # Terms, sections and unnumbered items are labelled by position within their part.
        return self.unique(f"{part_label}-{prefix}{position:02d}")

    def figure(self, owner_label: str, position: int) -> str:
        return self.unique(f"{owner_label}-fig{position}")


def file_slug(stem: str) -> str:
    """``2024-05-01`` → ``2024-05-01``, ``GPT 4`` → ``gpt-4``; ``附录`` → 8 hex digits of its
    hash: the same file name gives the same label on every machine, whatever else changes."""
    words = re.findall(r"[a-z0-9]+", stem.lower())
    if words and stem.isascii():
        return "-".join(words)[:40]
    return hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]
