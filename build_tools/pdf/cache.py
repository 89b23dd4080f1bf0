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
import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

import weasyprint

_CACHE_FILE = ".render-cache.json"
_FORMAT = 2


@dataclass
class CachedRender:
    key: str
    outputs: list[str]  # files the render wrote
    problems: list[str]


def render_key(document_html: str, site: Path, settings: str) -> str:
    """The fingerprint of one render: ``settings`` spells out stylesheets and options.

    ``document_html`` is the single page the print document is made from; the code that makes
    it (this package) is part of the key.
    """
    digest = hashlib.sha256()
    for part in (str(_FORMAT), weasyprint.__version__, _fonts(), _code(), settings,
                 document_html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    for src in sorted(set(re.findall(r'<img[^>]*\ssrc="([^"]+)"', document_html))):
        path = site / src
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    return digest.hexdigest()


def cached(out_dir: Path, key: str) -> CachedRender | None:
    """The last render's record, if it had this key and its files are all still there."""
    try:
        record = CachedRender(**json.loads((out_dir / _CACHE_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if record.key != key or not all(Path(p).is_file() for p in record.outputs):
        return None
    return record


def remember(out_dir: Path, record: CachedRender) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / _CACHE_FILE).write_text(json.dumps(asdict(record), ensure_ascii=False),
                                       encoding="utf-8")


@functools.cache
def _code() -> str:
    """This package's sources: a change to how the print document is made is a new render."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.[pc][ys]*")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


@functools.cache
def _fonts() -> str:
    """The installed fonts, as fontconfig lists them: a new font can change the layout."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{file}|%{fontversion}\n"],
                                 capture_output=True, text=True, encoding="utf-8").stdout
    except OSError:
        return ""
    return "\n".join(sorted(listing.splitlines()))
