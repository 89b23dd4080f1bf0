"""Parser and writer fixture cases (tests/fixtures/*.txt): every variant of docs/notes-format.md."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from build_tools.diagnostics import Reporter
from build_tools.model import Book
from build_tools.myst_writer import render_book
from build_tools.notes_parser import parse_note

from .fixture_cases import MARK, Case, dump_lesson, load_cases

FIXTURES = Path(__file__).parent / "fixtures"
CASES = load_cases(FIXTURES)
REGEN = os.environ.get("REGEN_FIXTURES") == "1"


def convert_case(case: Case, root: Path):
    note = root / "notes" / "note.md"
    note.write_bytes(case.sections["input"].encode("utf-8"))
    reporter = Reporter()
    lesson = parse_note(note, root, reporter)
    myst = render_book(Book((lesson,)))[0][1].text if lesson else ""
    return lesson, [str(d) for d in reporter.diagnostics], myst


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file.stem}:{c.title}" for c in CASES])
def test_case(case: Case, book_root: Path):
    lesson, warnings, myst = convert_case(case, book_root)
    got = {"dump": dump_lesson(lesson) if lesson else "no lesson\n",
           "warnings": "".join(w + "\n" for w in warnings)}
    if REGEN:
        _regenerate(case, got)
        return
    for name in ("dump", "warnings"):
        if name in case.sections:
            assert got[name].strip() == case.sections[name].strip(), name
    if "myst" in case.sections:
        assert _normalise(case.sections["myst"]) in _normalise(myst)


def _normalise(text: str) -> str:
    return re.sub(r"[ \t]+\n", "\n", text.strip())


def _regenerate(case: Case, got: dict[str, str]) -> None:
    text = case.file.read_text(encoding="utf-8")
    start = text.index(f"{MARK}case: {case.title}\n")
    end = text.find(f"{MARK}case: ", start + 1)
    end = len(text) if end < 0 else end
    block = f"{MARK}case: {case.title}\n{MARK}input\n{case.sections['input']}"
    for name in ("dump", "warnings"):
        block += f"{MARK}{name}\n{got[name]}"
    if "myst" in case.sections:
        block += f"{MARK}myst\n{case.sections['myst']}"
    case.file.write_text(text[:start] + block + text[end:], encoding="utf-8")
