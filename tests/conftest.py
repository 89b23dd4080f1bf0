from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tomllib
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

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


# --- Books built once a session: their tests and the print preflight's read the same build ---

MULTI = Path(__file__).parent / "books" / "multi"
WILD = Path(__file__).parent / "wild"
WILD_COURSES = sorted(p.name for p in WILD.iterdir() if (p / "expected.toml").is_file())


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """The seed book (``notes/``) built as a PDF; the output folder."""
    return build_book(tmp_path_factory.mktemp("pdf"), "pdf")


@pytest.fixture(scope="session")
def multi_build(tmp_path_factory) -> Path:
    """tests/books/multi built with ``build all``; the output folder (its root beside it)."""
    work = tmp_path_factory.mktemp("multi")
    shutil.copytree(MULTI, work / "root")
    (work / "root" / "resource").mkdir()
    for name in ("权重.png", "显存.png"):
        (work / "root" / "resource" / name).write_bytes(tiny_png())
    return build_book(work, "all", work / "root" / "notes", work / "root",
                      ("--suppress", "notes.number_gap"))


class WildBuild:
    """A course built with ``build all``: its root, output, expected structure and stderr."""

    def __init__(self, name: str, root: Path, out: Path, expected: dict, stderr: str) -> None:
        self.name, self.root, self.out, self.expected, self.stderr = (name, root, out, expected,
                                                                      stderr)

    def page(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.out / "html" / name).read_text(encoding="utf-8"),
                             "html.parser")

    def lesson_page(self, label: str) -> BeautifulSoup:
        found = sorted((self.out / "html" / "lessons").glob(f"{label}.html"))
        assert found, f"no page for {label}"
        return self.page(found[0].relative_to(self.out / "html").as_posix())


@pytest.fixture(scope="session", params=WILD_COURSES)
def wild_build(request, tmp_path_factory) -> WildBuild:
    """Each course of tests/wild, built as its authors' notes are (a command, as a user runs
    it)."""
    work = tmp_path_factory.mktemp(request.param)
    root = work / "root"
    shutil.copytree(WILD / request.param, root)
    expected = tomllib.loads((root / "expected.toml").read_text(encoding="utf-8"))
    (root / "expected.toml").unlink()
    shutil.copytree(REPO / "book", work / "book",
                    ignore=shutil.ignore_patterns("lessons", "_build"))
    result = subprocess.run(
        [sys.executable, "-m", "build_tools", "build", "all", "--notes",
         str(root / expected["notes"]), "--root", str(root), "--out", str(work / "out"),
         "--book", str(work / "book")],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stderr
    return WildBuild(request.param, root, work / "out", expected, result.stderr)
