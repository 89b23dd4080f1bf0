"""Builds killed at fixed points, then built again: nothing a later build trusts is broken.

Each case starts from a finished ``build all`` of a three-lesson book, starts another build that
stops at a pause point (``BUILD_TOOLS_PAUSE_AT``, build_tools/faults.py), kills the build's whole
process group there with SIGKILL (or interrupts it with SIGINT), builds again as a user would,
and compares the outputs with those of the clean build: PDF pages and text, handouts, EPUB
members, site pages, search index, and no leftovers. The kills are real signals at points the
build reaches, not sleeps or raised exceptions.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from build_tools.faults import PAUSE_AT, PAUSE_FILE

from ..conftest import REPO
from .conftest import _build, _command, _killed_build, leftovers, snapshot

# Where a build is killed, and what makes the build reach that point: an edited note (undone
# before the next build) for Sphinx, which skips a builder whose inputs did not change; another
# paper size for the PDF.
KILLS = [
    ("sphinx-epub-write", "edit", "the EPUB builder, writing its pages"),
    ("sphinx-html-write", "edit", "the site builder, writing its pages"),
    ("sphinx-print-swap", "edit", "between a builder's success and its swap into place"),
    ("pdf-layout-child", "A5", "the second part being laid out, in the forked process"),
    ("pdf-write", "A5", "the book's PDF being written (first part)"),
    ("pdf-write-child", "A5", "the second part's PDF, in the forked process"),
    ("pdf-join", "A5", "joining the parts"),
    ("pdf-handouts", "A5", "the handouts being sliced, one written"),
    ("pdf-publish", "A5", "moving the finished PDF and handouts into place"),
]


def _edited(work: Path) -> tuple[Path, bytes]:
    note = sorted((work / "root" / "notes").rglob("*.md"))[0]
    original = note.read_bytes()
    note.write_text(note.read_text(encoding="utf-8") + "\n被中断的构建里的修改。\n",
                    encoding="utf-8")
    return note, original


@pytest.mark.parametrize("point,change", [(p, c) for p, c, _ in KILLS], ids=[p for p, *_ in KILLS])
def test_a_build_killed_at_any_point_leaves_nothing_a_later_build_trusts(clean, work, point,
                                                                         change):
    """As in the report: build all; build all --paper A5 (or after an edit) killed; build all
    (the edit undone): the same book as a clean build, A4 handouts and all."""
    _, wanted = clean
    edited = _edited(work) if change == "edit" else None
    killed = _killed_build(work, point, signal.SIGKILL, *(["--paper", "A5"] if change == "A5"
                                                          else []))
    assert killed.returncode == -signal.SIGKILL
    if edited:
        edited[0].write_bytes(edited[1])
    again = _build(work)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert snapshot(work / "out") == wanted
    assert leftovers(work) == []


def test_a_killed_build_of_edited_notes_then_undone_prints_the_notes_as_they_are(clean, work):
    """Edit two notes, kill the build just before its PDF is moved into place, undo the edits,
    build: the PDF and handouts hold the notes as they are, not the undone text."""
    _, wanted = clean
    notes = sorted((work / "root" / "notes").rglob("*.md"))[:2]
    originals = {note: note.read_bytes() for note in notes}
    for note in notes:
        note.write_text(note.read_text(encoding="utf-8") + "\n撤销前的临时文字。\n",
                        encoding="utf-8")
    _killed_build(work, "pdf-publish", signal.SIGKILL)
    for note, data in originals.items():
        note.write_bytes(data)
    again = _build(work)
    assert again.returncode == 0, again.stderr
    assert snapshot(work / "out") == wanted
    assert "撤销前" not in snapshot(work / "out").pdf[2]


def test_a_convert_killed_while_writing_the_lessons_is_redone(clean, work):
    _, wanted = clean
    note = sorted((work / "root" / "notes").rglob("*.md"))[0]
    original = note.read_bytes()
    note.write_text(note.read_text(encoding="utf-8").replace("。", "！", 3), encoding="utf-8")
    _killed_build(work, "convert-write", signal.SIGKILL)
    note.write_bytes(original)
    again = _build(work)
    assert again.returncode == 0, again.stderr
    assert snapshot(work / "out") == wanted
    assert leftovers(work) == []


def test_ctrl_c_is_one_line_exit_130_and_the_outputs_stay_as_they_were(clean, work):
    _, wanted = clean
    note, original = _edited(work)
    interrupted = _killed_build(work, "sphinx-html-write", signal.SIGINT)
    assert interrupted.returncode == 130, interrupted.stderr
    assert "Traceback" not in interrupted.stderr
    assert [line for line in interrupted.stderr.splitlines() if "interrupted" in line]
    assert len(interrupted.stderr.strip().splitlines()) <= 2, interrupted.stderr
    assert snapshot(work / "out").site == wanted.site
    note.write_bytes(original)
    again = _build(work)
    assert again.returncode == 0 and snapshot(work / "out") == wanted


def test_a_second_build_waits_for_the_first_or_fails_fast(clean, work):
    """Two builds into one OUT: the second waits (and says so), or with --no-wait fails at
    once; neither corrupts the other."""
    _, wanted = clean
    pause = work / "paused"
    env = {**os.environ, PAUSE_AT: "pdf-write", PAUSE_FILE: str(pause)}
    first = subprocess.Popen(_command(work, "--paper", "A5"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE,
                             text=True, encoding="utf-8", cwd=REPO, env=env,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not pause.exists() and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.05)
        busy = _build(work, "--no-wait")
        assert busy.returncode == 1
        assert "another build" in busy.stderr and "--no-wait" in busy.stderr
        waiting = subprocess.Popen(_command(work), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, encoding="utf-8",
                                   cwd=REPO)
        time.sleep(2)
        assert waiting.poll() is None, "the second build waits while the first holds OUT"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(first.pid, signal.SIGKILL)
        first.communicate()
    _, err = waiting.communicate(timeout=600)
    assert waiting.returncode == 0, err
    assert "waiting" in err
    assert snapshot(work / "out") == wanted
