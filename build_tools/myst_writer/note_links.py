"""Links between notes as cross-references: to the lesson, or to the heading the anchor names.

A heading that some link targets gets a label of its own (``l03-h12``: lesson 3, the heading on
line 12 of its note), stable from build to build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..links import fragment, heading_anchors, iter_links, note_key
from ..model import Book, Lesson, Link, Location


@dataclass(frozen=True)
class NoteLinks:
    """Where links to notes of the book lead."""

    notes: dict[Path, str] = field(default_factory=dict)  # a note's file → its lesson's label
    headings: dict[tuple[Path, str], str] = field(default_factory=dict)  # (file, anchor) → label
    anchors: dict[Location, str] = field(default_factory=dict)  # a targeted heading → label

    def target(self, link: Link) -> str:
        """The label a link leads to; "" when it does not lead to a note of the book."""
        if link.local is None:
            return ""
        key = note_key(link.local.source)
        if key not in self.notes:
            return ""
        return self.headings.get((key, fragment(link)), self.notes[key])

    def anchor(self, loc: Location) -> str:
        """The extra label to write before the heading at ``loc``, if a link targets it."""
        return self.anchors.get(loc, "")


def note_links(book: Book, intro_label: str, lesson_labels: list[str]) -> NoteLinks:
    """Resolve every link between the book's notes (unresolved anchors were reported when the
    book was parsed)."""
    by_note: dict[Path, tuple[Lesson, str]] = {
        note_key(lesson.source): (lesson, label)
        for lesson, label in zip(book.lessons, lesson_labels, strict=True)}
    if book.intro is not None:
        by_note[note_key(book.intro.source)] = (book.intro, intro_label)
    links = NoteLinks({key: label for key, (_, label) in by_note.items()})
    for lesson, _ in list(by_note.values()):
        for _, link in iter_links(lesson):
            key = note_key(link.local.source) if link.local else None
            wanted = fragment(link)
            if key not in by_note or not wanted:
                continue
            target, label = by_note[key]
            heading = heading_anchors(target).get(wanted)
            if heading is not None and heading != target.loc:
                links.anchors.setdefault(heading, f"{label}-h{heading.line}")
                links.headings[(key, wanted)] = links.anchors[heading]
    return links


def ref_role(text: str, label: str) -> str:
    """A ``{ref}`` to ``label`` showing ``text``."""
    return _role("ref", text, label)


def download_role(text: str, path: str) -> str:
    """A ``{download}`` of ``path`` (relative to the lesson) showing ``text``."""
    return _role("download", text, path)


def _role(name: str, text: str, target: str) -> str:
    """``{name}`text <target>```; characters the role syntax would take as its own
    (backticks, angle brackets) are written as their full-width look-alikes."""
    look_alikes = str.maketrans("`<>\\", "｀＜＞＼")
    shown = " ".join(text.split()).translate(look_alikes)
    return f"{{{name}}}`{shown} <{target}>`" if shown else f"{{{name}}}`{target}`"
