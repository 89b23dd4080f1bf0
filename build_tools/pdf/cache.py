"""Skip WeasyPrint when nothing it would read has changed.

A book is rebuilt after every edit, and laying it out is the slowest step. The key covers what
WeasyPrint renders: the print document, our stylesheets and page options, the image files it
embeds, the installed fonts and WeasyPrint's version. The problems the last render reported are
kept with the key and reported again, so ``--strict`` fails the same way on a cached build.
"""

from __future__ import annotations

import functools
import hashlib
import json
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

import weasyprint

from .. import atomic
from ..diagnostics import Diagnostic
from ..fingerprint import code_fingerprint

_CACHE_FILE = ".render-cache.json"
_FORMAT = 3


@dataclass
class CachedRender:
    key: str
    outputs: list[str]  # files the render wrote
    problems: list[Diagnostic]
    digests: list[str] = field(default_factory=list)  # their contents, when they were written


def render_key(manifest: str, images: list[Path], settings: str) -> str:
    """The fingerprint of one render: ``settings`` spells out stylesheets and options.

    ``manifest`` is the print builder's manifest the print document is made from, ``images``
    the files it shows; the code that makes it (build_tools.fingerprint) is part of the key.
    """
    digest = hashlib.sha256()
    for part in (str(_FORMAT), weasyprint.__version__, _fonts(), code_fingerprint(), settings,
                 manifest):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    for path in sorted(set(images)):
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    return digest.hexdigest()


def cached(out_dir: Path, key: str) -> CachedRender | None:
    """The last render's record, if it had this key and its files are still those it wrote."""
    try:
        data = json.loads((out_dir / _CACHE_FILE).read_text(encoding="utf-8"))
        record = CachedRender(**data)
        record.problems = [Diagnostic.from_json(problem) for problem in record.problems]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if record.key != key or record.digests != _digests(record.outputs):
        return None
    return record


def remember(out_dir: Path, record: CachedRender) -> None:
    """Vouch for the render's outputs as they are now: written last, after they are whole."""
    record.digests = _digests(record.outputs)
    data = {**asdict(record), "problems": [problem.to_json() for problem in record.problems]}
    atomic.write_text(out_dir / _CACHE_FILE, json.dumps(data, ensure_ascii=False))


def forget(out_dir: Path) -> None:
    """No record while the outputs are being rewritten: a kill must not leave one vouching."""
    (out_dir / _CACHE_FILE).unlink(missing_ok=True)


def _digests(paths: list[str]) -> list[str]:
    return [hashlib.sha256(Path(p).read_bytes()).hexdigest() if Path(p).is_file() else "missing"
            for p in paths]


@functools.cache
def _fonts() -> str:
    """The installed fonts, as fontconfig lists them: a new font can change the layout."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{file}|%{fontversion}\n"],
                                 capture_output=True, text=True, encoding="utf-8").stdout
    except OSError:
        return ""
    return "\n".join(sorted(listing.splitlines()))
