from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from build_tools.cli import run


def tiny_png() -> bytes:
    """A valid 1×1 PNG, so image cases need no binary fixture files."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


@pytest.fixture
def book_root(tmp_path: Path) -> Path:
    """A book root with ``notes/`` and a ``resource/`` holding ``a.png``, ``b.png``,
    ``笔记1-3-1.1.png``, and two images that must be refused: ``broken.png``, ``evil.svg``."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "resource").mkdir()
    for name in ("a.png", "笔记1-3-1.1.png", "b.png"):
        (tmp_path / "resource" / name).write_bytes(tiny_png())
    # Images that must not be used: not an image at all, and an SVG that runs a script.
    (tmp_path / "resource" / "broken.png").write_bytes(b"not a png")
    (tmp_path / "resource" / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        encoding="utf-8")
    return tmp_path


# sphinx.testing: `@pytest.mark.sphinx("html", testroot="qa")` builds tests/roots/test-qa.
pytest_plugins = ["sphinx.testing.fixtures"]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


REPO = Path(__file__).resolve().parent.parent


def build_book(work: Path, target: str, notes: Path = REPO / "notes", root: Path = REPO,
               options: tuple[str, ...] = ()) -> Path:
    """Build ``target`` with the CLI and ``--strict``, as make does: this repository's
    book.toml (its title, and ``book/`` for the Sphinx project), the notes, root and output
    folder given. Everything the build writes is under ``work/out``. Returns that folder.
    """
    code = run(["build", target, "--config", str(REPO / "book.toml"), "--notes", str(notes),
                "--root", str(root), "--out", str(work / "out"), "--strict", *options])
    assert code == 0, f"build {target} succeeds with no warning (see the captured stderr)"
    return work / "out"
