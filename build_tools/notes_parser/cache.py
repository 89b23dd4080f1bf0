"""Parsed notes kept between runs: a note is parsed again only when something it depends on
changed.

After an edit to one answer, ``convert`` parsed all the notes again (0.3 s at 40 lessons, 1.5 s
at 200). A note's parse depends on its bytes, where it sits (its path, the root, symlinks), the
files its images and links were looked up as (``paths.LOOKED_UP``: whether each exists, where
it leads, its size and time), Pillow's pixel limit and our code. All of these are compared;
when they match, the lesson and the warnings of the last parse are used again, the warnings
reported again as if just found.

The cache is a pickle beside the MyST it helped write (``OUT/source/lessons``, generated),
like Sphinx's own pickled environment.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from PIL import Image

from .. import atomic
from ..diagnostics import Diagnostic, Reporter
from ..fingerprint import code_fingerprint
from ..model import Lesson
from .paths import LOOKED_UP

_FORMAT = 2
CACHE_FILE = ".parse-cache.pickle"

Parse = Callable[[Path, Path, Reporter], Lesson | None]


@dataclass
class _Entry:
    key: str
    files: list[tuple[str, tuple]]  # each file looked up, with its state then
    lesson: Lesson | None
    diagnostics: list[Diagnostic]


class ParseCache:
    """The parses of the last run, read from and written to ``folder/.parse-cache.pickle``."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / CACHE_FILE
        self._entries = _load(self.file)
        self._kept: dict[str, _Entry] = {}
        self._changed = False

    def parse(self, path: Path, root: Path, reporter: Reporter, parse: Parse) -> Lesson | None:
        """``parse(path, root, reporter)``, or what it returned last time if nothing changed."""
        try:
            data = path.read_bytes()
        except OSError:
            return parse(path, root, reporter)  # reported there, never cached
        key = _key(path, root, data)
        entry = self._entries.get(str(path))
        if entry is not None and entry.key == key and all(
                _state(Path(name)) == state for name, state in entry.files):
            reporter.replay(entry.diagnostics)
            self._kept[str(path)] = entry
            return entry.lesson
        own, looked_up = Reporter(), []
        token = LOOKED_UP.set(looked_up)
        try:
            lesson = parse(path, root, own)
        finally:
            LOOKED_UP.reset(token)
        reporter.replay(own.diagnostics)
        files = [(str(p), _state(p)) for p in dict.fromkeys(looked_up)]
        self._kept[str(path)] = _Entry(key, files, lesson, own.diagnostics)
        self._changed = True
        return lesson

    def save(self) -> None:
        """Write the parses of this run (only those), if any differs from the last run's."""
        if not self._changed and set(self._kept) == set(self._entries):
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_bytes(self.file, pickle.dumps((_FORMAT, self._kept)))
        except (OSError, pickle.PicklingError):
            pass  # a cache: the next run parses again


def _load(file: Path) -> dict[str, _Entry]:
    try:
        version, entries = pickle.loads(file.read_bytes())
    except Exception:  # missing, damaged or from another version: start empty
        return {}
    return entries if version == _FORMAT and isinstance(entries, dict) else {}


def _key(path: Path, root: Path, data: bytes) -> str:
    digest = hashlib.sha256(code_fingerprint().encode("ascii"))
    for part in (str(path), str(path.resolve()), str(root), str(root.resolve()),
                 str(Image.MAX_IMAGE_PIXELS)):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()


def _state(path: Path) -> tuple:
    """What a lookup of ``path`` could find: whether it exists, where it leads, its content.

    The content's hash, not its size and time: an SVG swapped for one of the same size and
    time must be checked again, not reused.
    """
    try:
        stat = path.stat()
        content = hashlib.sha256(path.read_bytes()).hexdigest() if S_ISREG(stat.st_mode) else ""
    except OSError:
        return (False,)
    return (True, S_ISREG(stat.st_mode), str(path.resolve()), content)
