"""``init``: a commented book.toml guessed from a folder of notes.

The guess: the folders below this one that hold notes (``notes/``, ``note/``, ``docs/`` with
``chapN/`` inside; the folder itself when its notes lie at the top), the images found, and a
title (see :func:`book_config.title_source`). Every other key is written commented out with
its default, so the file documents itself. An existing book.toml is never overwritten.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .book_config import BOOK_TOML, FIELDS, title_source
from .notes_parser import find_notes
from .notes_parser.lessons import INTRO_NAMES

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
# Folders no course keeps its notes in: outputs, environments, dependencies.
_NOT_NOTES = ("_build", "build", "dist", "site", "node_modules", "venv", "env", "__pycache__")


@dataclass(frozen=True)
class Guess:
    """What ``init`` found in a folder."""

    notes: tuple[str, ...]  # folders relative to the book file, "." for the folder itself
    note_count: int
    image_count: int
    image_folders: tuple[str, ...]
    title: str
    title_from: str


def guess_book(folder: Path) -> Guess:
    """The notes folders, images and title of the book in ``folder``."""
    counts = {name: len(lessons(folder / name)) for name in _subfolders(folder)}
    notes = tuple(name for name, count in counts.items() if count)
    if not notes and lessons(folder):
        notes = (".",)
    images = [p for p in _files(folder) if p.suffix.lower() in IMAGE_SUFFIXES]
    image_folders = sorted({p.parent.relative_to(folder).as_posix() for p in images})
    title, source = title_source(tuple(folder / n for n in notes or ("notes",)), folder)
    shown_source = source if source == "the folder's name" else (
        Path(source).relative_to(folder).as_posix())
    count = sum(len(lessons(folder / n)) for n in notes)
    return Guess(notes or ("notes",), count, len(images), tuple(image_folders), title,
                 shown_source)


def lessons(folder: Path) -> list[Path]:
    """The notes under ``folder`` that are lessons (an index or README is an introduction)."""
    if not folder.is_dir():
        return []
    return [p for p in find_notes(folder) if p.stem.lower() not in INTRO_NAMES]


def _subfolders(folder: Path) -> list[str]:
    """Folders that may hold notes: not hidden, no output, no Sphinx project (a conf.py)."""
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
                  and p.name not in _NOT_NOTES and not (p / "conf.py").exists())


def _files(folder: Path) -> list[Path]:
    found = []
    for directory, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(d for d in subfolders
                               if not d.startswith(".") and d not in _NOT_NOTES)
        found += [Path(directory) / name for name in sorted(names)]
    return found


def book_toml_text(guess: Guess) -> str:
    """The book file: the guessed keys set, every other one commented out with its default."""
    lines = ["# The book made of the notes in this folder: `build-notes build all` reads this.",
             "# Every key is optional; one left out takes the default shown. Paths are",
             "# relative to this file. See the README of build_tools for more.", ""]
    guessed = {"title": guess.title, "notes": list(guess.notes)}
    for key, spec in FIELDS.items():
        lines.append(f"# {spec.help[0].upper()}{spec.help[1:]}.")
        if key in guessed:
            lines.append(f"{key} = {_toml(guessed[key])}")
        else:
            lines.append(f"# {key} = {_toml(spec.default)}")
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    # A JSON string is a TOML basic string; a list of them a TOML array.
    return json.dumps(value, ensure_ascii=False)


def write_book_toml(folder: Path, text: str) -> Path:
    """Write ``folder/book.toml`` whole, or not at all when one exists (FileExistsError)."""
    target = folder / BOOK_TOML
    temporary = folder / f".partial-{os.getpid()}-{BOOK_TOML}"
    temporary.write_text(text, encoding="utf-8")
    try:
        os.link(temporary, target)  # fails, atomically, when book.toml exists
    finally:
        temporary.unlink()
    return target
