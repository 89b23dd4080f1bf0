"""The typed model → MyST documents and their images, written only where content changed.

Each lesson becomes ``NNN-<label>.md`` in the output folder (``NNN`` its place in the book, so a
globbing toctree lists lessons in book order) and its images are copied under ASCII names into
``images/``. Files are rewritten only when their bytes change, so that Sphinx's incremental build
stays incremental; files of lessons that disappeared are removed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..model import Book
from .labels import LabelMaker
from .lesson import IMAGE_DIR, LessonOutput, LessonWriter
from .markup import toctree

__all__ = ["CONTENTS", "render_book", "render_contents", "write_book"]

# The book's table of contents, included by the hand-written front page (book/index.md).
CONTENTS = "toctree.inc"


def render_book(book: Book) -> list[tuple[str, LessonOutput]]:
    """Render every lesson: (file name, output) pairs in book order. Pure: touches no files."""
    labels = LabelMaker()
    rendered = []
    for position, lesson in enumerate(book.lessons, start=1):
        output = LessonWriter(lesson, labels, position).write()
        rendered.append((f"{position:03d}-{output.label}.md", output))
    return rendered


def render_contents(book: Book, names: list[str], folder: str) -> str:
    """One numbered toctree a chapter, captioned with its name, lessons in book order.

    ``names`` are the lessons' file names; ``folder`` is where they sit in the Sphinx project.
    """
    groups: list[tuple[str, list[str]]] = []
    for lesson, name in zip(book.lessons, names, strict=True):
        entry = f"/{folder}/{Path(name).stem}"
        if groups and groups[-1][0] == lesson.chapter_name:
            groups[-1][1].append(entry)
        else:
            groups.append((lesson.chapter_name, [entry]))
    return "\n\n".join(toctree(entries, caption) for caption, entries in groups) + "\n"


def write_book(book: Book, out_dir: Path) -> list[Path]:
    """Write the book's MyST sources and images into ``out_dir``; return the files changed."""
    wanted: dict[str, bytes] = {}
    rendered = render_book(book)
    contents = render_contents(book, [name for name, _ in rendered], out_dir.name)
    wanted[CONTENTS] = contents.encode("utf-8")
    for name, output in rendered:
        wanted[name] = output.text.encode("utf-8")
        for target, source in output.files.items():
            wanted[target] = source.read_bytes()
    return sync_folder(out_dir, wanted)


def sync_folder(out_dir: Path, wanted: dict[str, bytes]) -> list[Path]:
    """Make ``out_dir`` hold exactly ``wanted`` (our Markdown and images), touching only changes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, data in sorted(wanted.items()):
        path = out_dir / name
        if path.is_file() and _digest(path.read_bytes()) == _digest(data):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        changed.append(path)
    for stale in [*out_dir.glob("*.md"), *out_dir.glob("*.inc"), *(out_dir / IMAGE_DIR).glob("*")]:
        if stale.relative_to(out_dir).as_posix() not in wanted:
            stale.unlink()
            changed.append(stale)
    return changed


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
