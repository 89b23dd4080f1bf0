"""Every fixture case's MyST, built together by a real ``sphinx-build -W``: no Sphinx warning.

Parser warnings are the notes' problems and are expected in some cases; Sphinx warnings would be
the writer's, and there must be none, whatever the notes contain.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from build_tools.diagnostics import Reporter
from build_tools.model import Book
from build_tools.myst_writer import write_book
from build_tools.notes_parser import parse_note

from .fixture_cases import load_cases

FIXTURES = Path(__file__).parent / "fixtures"


def test_all_fixture_cases_build_with_sphinx_without_warnings(book_root: Path, tmp_path: Path):
    source = tmp_path / "src"
    lessons = []
    for n, case in enumerate(load_cases(FIXTURES)):
        note = book_root / "notes" / f"case{n:03d}.md"
        note.write_bytes(case.sections["input"].encode("utf-8"))
        lesson = parse_note(note, book_root, Reporter())
        if lesson is not None:
            lessons.append(lesson)
    assert lessons
    write_book(Book(tuple(lessons)), source / "lessons")
    # Every case is "lesson 1": the extension's warning about that is expected here.
    (source / "conf.py").write_text(
        'extensions = ["myst_parser", "build_tools.sphinx_ext"]\nlanguage = "zh_CN"\n'
        'numfig = True\nmyst_enable_extensions = []\nsuppress_warnings = ["qa.lesson_number"]\n',
        encoding="utf-8")
    (source / "index.md").write_text(
        "# 测试\n\n```{include} lessons/toctree.inc\n```\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-D", "html_theme=basic", str(source), str(tmp_path / "html")],
        capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
