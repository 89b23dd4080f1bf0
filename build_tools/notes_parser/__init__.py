"""Notes (Markdown files) → the typed model, with located diagnostics.

The stage runs in three steps, one module each: ``reading`` (bytes → text), ``blocks``
(markdown-it tokens → generic blocks) and ``structure`` (blocks → lesson, parts and items).
This module walks a notes folder, orders the lessons and checks their numbering.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..diagnostics import Kind, Reporter
from ..lock import LOCK_NAME
from ..model import Book, Exercise, Lesson, Location, Question
from ..numbering import continue_restarts
from .blocks import BlockContext, parse_blocks
from .cache import ParseCache
from .lessons import arrange_book, natural_key
from .paths import PathContext
from .reading import read_note
from .structure import build_lesson

__all__ = ["find_notes", "parse_book", "parse_note", "parse_text", "scan_notes"]


Folders = Path | tuple[Path, ...]  # one notes folder, or several (book.toml's notes)


def find_notes(notes_dir: Folders, skip: tuple[Path, ...] = ()) -> list[Path]:
    """Every ``.md`` note under ``notes_dir``, in a stable order (see :func:`scan_notes`)."""
    return scan_notes(notes_dir, skip)[0]


def scan_notes(notes_dir: Folders, skip: tuple[Path, ...] = ()
               ) -> tuple[list[Path], dict[Path, str]]:
    """The notes under ``notes_dir`` (each folder's in turn, a note under two once), and the
    ``.md`` files that are not notes, with why.

    Hidden files and folders are not notes (``..c.md`` neither), and neither is anything in
    ``skip`` (the book and output folders: the tool would read its own output, 3 → 13 → 41
    lessons over three builds) or in a folder holding a ``conf.py`` (a Sphinx project).
    :returns: the notes, and for each folder or file left out the reason
    """
    found: dict[Path, Path] = {}
    skipped: dict[Path, str] = {}
    skip_resolved = [folder.resolve() for folder in skip]
    for folder in _folders(notes_dir):
        notes = []
        for path in folder.rglob("*.md"):
            reason, where = _not_a_note(path, folder, skip_resolved)
            if reason:
                skipped.setdefault(where, reason)
            elif path.is_file():
                notes.append(path)
        for path in sorted(notes, key=natural_key):
            found.setdefault(path.resolve(), path)
    return list(found.values()), skipped


def _folders(notes: Folders) -> tuple[Path, ...]:
    return (notes,) if isinstance(notes, Path) else tuple(notes)


def _not_a_note(path: Path, notes_dir: Path, skip: list[Path]) -> tuple[str, Path]:
    relative = path.relative_to(notes_dir)
    for depth, part in enumerate(relative.parts):
        if part.startswith("."):
            return "a hidden file or folder", notes_dir.joinpath(*relative.parts[:depth + 1])
    resolved = path.resolve()
    for folder in skip:
        if resolved.is_relative_to(folder):
            return "the book's or the build's own folder", folder
    for depth in range(len(relative.parts) - 1):
        folder = notes_dir.joinpath(*relative.parts[:depth + 1])
        if (folder / "conf.py").is_file():
            return "a Sphinx project (it holds a conf.py)", folder
        if (folder / LOCK_NAME).is_file():
            return "a folder a build writes (it holds a build lock)", folder
    return "", path


def parse_book(notes_dir: Folders, root: Path, reporter: Reporter,
               cache: ParseCache | None = None, intro: bool = True,
               skip: tuple[Path, ...] = ()) -> Book:
    """Parse every note into a book, lessons in numeric order (笔记2 before 笔记10).

    With a ``cache``, a note nothing of which changed since the last run is not parsed again.
    With ``intro``, the (first) folder's ``index.md``/``README.md`` is the book's introduction.
    """
    def parse(path: Path) -> Lesson | None:
        if cache is None:
            return parse_note(path, root, reporter)
        return cache.parse(path, root, reporter, parse_note)
    notes, skipped = scan_notes(notes_dir, skip)
    for where, reason in sorted(skipped.items()):
        reporter.warn(Kind.SKIPPED_FILE, Location(_as_written(where, root), 1),
                      f"not read as a note: {reason}")
    lessons = [lesson for path in notes if (lesson := parse(path)) is not None]
    return arrange_book(lessons, _folders(notes_dir)[0], reporter, intro)


def parse_note(path: Path, root: Path, reporter: Reporter) -> Lesson | None:
    """Parse one note; None (reported) when it cannot be read or lies outside the book."""
    shown = shown_path(path, root)
    if not path.resolve().is_relative_to(root.resolve()):
        # A symlink out of the root: reading it would publish whatever it points at.
        reporter.error(Kind.OUTSIDE_ROOT, Location(_as_written(path, root), 1),
                       "the note lies outside the book's root (a symlink?); skipped")
        return None
    text = read_note(path, shown, reporter)
    if text is None:
        return None
    return parse_text(text, path, root, reporter, shown)


def parse_text(text: str, path: Path, root: Path, reporter: Reporter,
               shown: str | None = None) -> Lesson:
    """Parse a note's text as if it were the file ``path``."""
    shown = shown or shown_path(path, root)
    ctx = BlockContext(PathContext(path, root, reporter), shown, tuple(text.split("\n")))
    lesson, restarts = continue_restarts(build_lesson(parse_blocks(text, ctx), path, shown))
    for loc in restarts:
        reporter.warn(Kind.NUMBER_RESTART, loc,
                      "numbers start again from 1 in this lesson; continued after the highest")
    if not lesson.heading:
        reporter.warn(Kind.NO_TITLE, lesson.loc, "no heading names the lesson; file name used")
    _check_item_numbers(lesson, reporter)
    return lesson


def shown_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _as_written(path: Path, root: Path) -> str:
    """The note's path under the root as the folder lists it, links not followed."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def _check_item_numbers(lesson: Lesson, reporter: Reporter) -> None:
    """Gaps and repeats in the lesson's question and exercise numbers, after restarts were
    continued (numbering.continue_restarts): the sequence runs across the lesson's parts."""
    for kind in (Question, Exercise):
        for part in lesson.parts:
            _check_unnumbered([i for i in part.items if isinstance(i, kind)],
                              kind.__name__.lower(), reporter)
        items = [i for part in lesson.parts for i in part.items if isinstance(i, kind)]
        # Dotted numbers ("2.1") are sub-questions, outside the sequence.
        _check_sequence([i for i in items if i.number is not None or not i.number_text],
                        kind.__name__.lower(), reporter)


def _check_unnumbered(items, noun: str, reporter: Reporter) -> None:
    """An unnumbered item among numbered ones is probably a number the author mistyped.

    A part whose items are all unnumbered is a style of its own and is not reported.
    """
    if not any(i.number_text for i in items):
        return
    for item in items:
        if not item.number_text:
            reporter.warn(Kind.UNNUMBERED_ITEM, item.loc,
                          f"{noun} has no number, unlike the others in its part")


def _check_sequence(items, noun: str, reporter: Reporter) -> None:
    counts = Counter(i.number for i in items)
    reported: set[int] = set()
    previous = 0
    for item in items:
        if item.number is None:  # unnumbered (reported already): it takes the next number
            previous += 1
            continue
        if counts[item.number] > 1 and item.number in reported:
            reporter.warn(Kind.DUPLICATE_NUMBER, item.loc,
                          f"{noun} number {item.number} is used more than once")
        reported.add(item.number)
        if item.number > previous + 1:
            missing = f"{previous + 1}" if item.number == previous + 2 else (
                f"{previous + 1}–{item.number - 1}")
            reporter.warn(Kind.NUMBER_GAP, item.loc, f"{noun} numbers skip {missing}")
        previous = max(previous, item.number)

