"""The fault tests' book: a finished build of three lessons, copied for each test to break."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from build_tools.faults import PAUSE_AT, PAUSE_FILE

from ..conftest import REPO, tiny_png

BOOK = REPO / "tests" / "books" / "multi"
LEFTOVER = re.compile(r"\.staging|\.old$|\.partial-|\.parts")


def _command(work: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "build_tools", "build", "all", "--notes",
            str(work / "root" / "notes"), "--root", str(work / "root"), "--out",
            str(work / "out"), "--book", str(work / "book"), "--suppress", "notes.number_gap",
            *options]


def _build(work: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(_command(work, *options), capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, timeout=600)


def _killed_build(work: Path, point: str, sig: signal.Signals, *options: str
                  ) -> subprocess.CompletedProcess:
    """A build stopped by ``sig`` at pause point ``point``, its whole process group."""
    pause = work / "paused"
    pause.unlink(missing_ok=True)
    env = {**os.environ, PAUSE_AT: point, PAUSE_FILE: str(pause)}
    process = subprocess.Popen(_command(work, *options), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=REPO,
                               env=env, start_new_session=True)
    deadline = time.monotonic() + 300
    while not (pause.exists() and pause.read_text(encoding="utf-8").strip()):
        if process.poll() is not None or time.monotonic() > deadline:
            out, err = process.communicate()
            pytest.fail(f"the build never reached {point} (exit {process.returncode}):\n{err}")
        time.sleep(0.05)
    os.killpg(process.pid, sig)
    out, err = process.communicate(timeout=120)
    if sig is signal.SIGINT:  # the pause sleeps on in a child the SIGINT did not end
        with _suppressed():
            os.killpg(process.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


class _suppressed:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        return exc[0] is ProcessLookupError


@dataclass(frozen=True)
class Snapshot:
    """What a reader gets from a build, in a form two builds can be compared by."""

    pdf: tuple[int, str, str]  # pages, page size, text
    handouts: tuple[tuple[str, int, str], ...]
    epub: tuple[str, ...]
    site: tuple[str, ...]
    search: str


def _pdfinfo(pdf: Path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          encoding="utf-8", check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return pages, re.search(r"Page size:\s+(.*)", info).group(1).strip()


def snapshot(out: Path) -> Snapshot:
    pdf = next((out / "pdf").glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          encoding="utf-8", check=True).stdout
    handouts = tuple((p.name, *_pdfinfo(p)) for p in sorted((out / "handouts").glob("*.pdf")))
    with zipfile.ZipFile(next((out / "epub").glob("*.epub"))) as epub:
        members = tuple(sorted(epub.namelist()))
    site = tuple(sorted(p.relative_to(out / "html").as_posix()
                        for p in (out / "html").rglob("*")
                        if p.is_file() and not p.name.startswith(".")))  # .buildinfo.bak
    search = (out / "html" / "searchindex.js").read_text(encoding="utf-8")
    return Snapshot((*_pdfinfo(pdf), text), handouts, members, site, search)


def leftovers(work: Path) -> list[str]:
    return [p.relative_to(work).as_posix() for folder in (work / "out", work / "book")
            for p in folder.rglob("*") if LEFTOVER.search(p.name)]


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> tuple[Path, Snapshot]:
    """A finished build of the book, and what it holds; a pristine copy of it beside.

    Each test works in the very folder the clean build was made in (restored from the copy):
    Sphinx starts afresh when its source folder moves, which would hide every incremental bug.
    """
    work = tmp_path_factory.mktemp("faults") / "site"
    shutil.copytree(BOOK, work / "root")
    (work / "root" / "resource").mkdir()
    for name in ("权重.png", "显存.png"):
        (work / "root" / "resource" / name).write_bytes(tiny_png())
    shutil.copytree(REPO / "book", work / "book",
                    ignore=shutil.ignore_patterns("lessons", "_build"))
    result = _build(work)
    assert result.returncode == 0, result.stderr
    shutil.copytree(work, work.with_name("pristine"), symlinks=True)
    return work, snapshot(work / "out")


@pytest.fixture
def work(clean) -> Path:
    """The clean build's folder, as the clean build left it, to be broken."""
    site, _ = clean
    shutil.rmtree(site)
    shutil.copytree(site.with_name("pristine"), site, symlinks=True)
    return site


