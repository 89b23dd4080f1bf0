"""The typed model → MyST documents and their images, written only where content changed.

Each lesson becomes ``<label>.md`` in the output folder (``l02.md``: named by its label, not
its place, so that its page on the site, ``lessons/l02.html``, keeps its address when a lesson
is added before it — printed QR codes lead there; the toctree gives the order) and its images
are copied under ASCII names into ``images/``. Files are rewritten only when their bytes
change, so that Sphinx's incremental build stays incremental; files of lessons that
disappeared are removed.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image

from .. import atomic, sourcemap
from ..faults import pause_point
from ..links import note_key
from ..model import Book
from ..numbering import lesson_numbers
from ..sourcemap import SOURCEMAP
from .labels import LabelMaker
from .lesson import FILES_DIR, IMAGE_DIR, LessonOutput, LessonWriter
from .markup import toctree
from .note_links import note_links

__all__ = ["CONTENTS", "render_book", "render_contents", "write_book"]

# The book's table of contents, included by the front page (sphinx_project.front_page).
CONTENTS = "toctree.inc"
# The notes folder's index.md or README.md, the book's introduction: before every lesson.
INTRO = "intro.md"


def render_book(book: Book) -> list[tuple[str, LessonOutput]]:
    """Render every lesson: (file name, output) pairs in book order. Pure: touches no files."""
    labels = LabelMaker()
    lesson_labels = [labels.lesson(lesson) for lesson in book.lessons]
    intro_label = labels.unique("intro") if book.intro is not None else ""
    links = note_links(book, intro_label, lesson_labels)
    rendered = []
    if book.intro is not None:
        output = LessonWriter(book.intro, labels, intro_label, links).write()
        rendered.append((INTRO, output))
    numbers = lesson_numbers(book.lessons)
    for lesson, label, number in zip(book.lessons, lesson_labels, numbers, strict=True):
        output = LessonWriter(lesson, labels, label, links, number).write()
        rendered.append((f"{output.label}.md", output))
    return rendered


def render_contents(book: Book, names: list[str], folder: str) -> str:
    """The introduction's toctree, unnumbered; then one numbered toctree a chapter, captioned
    with its name, lessons in book order.

    ``names`` are the lessons' file names; ``folder`` is where they sit in the Sphinx project.
    """
    intro = []
    if book.intro is not None:
        intro = [toctree([f"/{folder}/{Path(INTRO).stem}"], numbered=False)]
    names = [name for name in names if name != INTRO]
    groups: list[tuple[str, list[str]]] = []
    for lesson, name in zip(book.lessons, names, strict=True):
        entry = f"/{folder}/{Path(name).stem}"
        if groups and groups[-1][0] == lesson.chapter_name:
            groups[-1][1].append(entry)
        else:
            groups.append((lesson.chapter_name, [entry]))
    return "\n\n".join(intro + [toctree(entries, caption) for caption, entries in groups]) + "\n"


def write_book(book: Book, out_dir: Path) -> list[Path]:
    """Write the book's MyST sources and images into ``out_dir``; return the files changed."""
    wanted: dict[str, bytes] = {}
    rendered = render_book(book)
    contents = render_contents(book, [name for name, _ in rendered], out_dir.name)
    wanted[CONTENTS] = contents.encode("utf-8")
    notes = {note_key(lesson.source): lesson.loc.path for lesson in book.notes}
    wanted[SOURCEMAP] = sourcemap.encode(
        {name: (notes[note_key(output.source)], output.lines) for name, output in rendered})
    for name, output in rendered:
        wanted[name] = output.text.encode("utf-8")
        for target, source in output.files.items():
            wanted[target] = (png_bytes(source) if target in output.to_png
                              else source.read_bytes())
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
        atomic.write_bytes(path, data)
        changed.append(path)
        pause_point("convert-write")  # the fault tests kill a convert here
    for stale in [*out_dir.glob("*.md"), *out_dir.glob("*.inc"), *(out_dir / IMAGE_DIR).glob("*"),
                  *(out_dir / FILES_DIR).rglob("*"), *out_dir.glob(SOURCEMAP)]:
        if stale.is_dir():
            continue
        if stale.relative_to(out_dir).as_posix() not in wanted:
            stale.unlink()
            changed.append(stale)
    return changed


def png_bytes(source: Path) -> bytes:
    """An image in a format an EPUB cannot hold (BMP, TIFF…), its first frame as a PNG; the
    parser read its format from its bytes (ImageFile.format)."""
    with Image.open(source) as image:
        converted = io.BytesIO()
        image.convert("RGBA").save(converted, "PNG")
        return converted.getvalue()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
