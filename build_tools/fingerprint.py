"""One fingerprint of our own code, for every cache and stamp that must notice a change to it.

The parse cache (``notes_parser.cache``), the builders' stamps (``sphinx_run``) and the PDF's
render cache (``pdf.cache``) each promise that an output is what this code would make now: all
three key on this one digest of the package's files (sources, stylesheets, scripts).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_fingerprint() -> str:
    """A digest of every file of the package, by its path in the package and its bytes
    (compiled files and hidden ones, no part of the code, left out)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        parts = path.relative_to(PACKAGE).parts
        if not path.is_file() or "__pycache__" in parts or any(p.startswith(".") for p in parts):
            continue
        digest.update(path.relative_to(PACKAGE).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
