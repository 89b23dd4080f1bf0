"""Byte-level cases a fixture text file cannot express, book-level checks, and the CLI."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from build_tools import cli
from build_tools.diagnostics import Kind, Reporter, Severity
from build_tools.model import Book
from build_tools.myst_writer import render_book
from build_tools.notes_parser import parse_book, parse_note

from .conftest import REPO

NOTE = "## 第一章：测试（第二节课）\n### 第三部分：一些问答\n#### 1、问题\n```text\n回答\n```\n"


def _parse(root: Path, data: bytes, name: str = "note.md"):
    note = root / "notes" / name
    note.write_bytes(data)
    reporter = Reporter()
    return parse_note(note, root, reporter), reporter


def _kinds(reporter: Reporter) -> list[Kind]:
    return [d.kind for d in reporter.diagnostics]


def _question_texts(lesson) -> tuple[str, str]:
    question = lesson.parts[0].items[0]
    return question.answers[0].blocks[0].text, lesson.title


def test_utf8_bom_is_not_part_of_the_title(book_root: Path):
    lesson, reporter = _parse(book_root, b"\xef\xbb\xbf" + NOTE.encode("utf-8"))
    assert lesson.numbers == (2,) and lesson.title == "测试"
    assert reporter.diagnostics == []


def test_crlf_line_ends_read_as_lf(book_root: Path):
    lesson, reporter = _parse(book_root, NOTE.replace("\n", "\r\n").encode("utf-8"))
    assert _question_texts(lesson) == ("回答\n", "测试")
    assert lesson.parts[0].items[0].answers[0].loc.line == 4
    assert reporter.diagnostics == []
    assert "\r" not in render_book(Book((lesson,)))[0][1].text


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_legacy_chinese_encoding_is_decoded_and_reported(book_root: Path, encoding: str):
    lesson, reporter = _parse(book_root, NOTE.encode(encoding))
    assert _question_texts(lesson) == ("回答\n", "测试")
    assert _kinds(reporter) == [Kind.LEGACY_ENCODING]
    assert str(reporter.diagnostics[0]).startswith("notes/note.md:1: WARNING:")


def test_binary_file_is_an_error_and_the_rest_of_the_book_still_parses(book_root: Path):
    (book_root / "notes" / "a.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (book_root / "notes" / "b.md").write_text(NOTE, encoding="utf-8")
    reporter = Reporter()
    book = parse_book(book_root / "notes", book_root, reporter)
    assert [lesson.numbers for lesson in book.lessons] == [(2,)]
    assert _kinds(reporter) == [Kind.UNDECODABLE]
    assert reporter.diagnostics[0].severity is Severity.ERROR
    assert str(reporter.diagnostics[0]).startswith("notes/a.md:1: ERROR:")


@pytest.mark.parametrize("data", [b"", b"\n\n  \n"])
def test_empty_file_is_skipped_with_a_warning(book_root: Path, data: bytes):
    lesson, reporter = _parse(book_root, data)
    assert lesson is None
    assert _kinds(reporter) == [Kind.EMPTY_FILE]


def test_missing_trailing_newline_keeps_the_last_line(book_root: Path):
    text = NOTE.rstrip("\n") + "\n追问在最后一行"
    lesson, reporter = _parse(book_root, text.encode("utf-8"))
    answer = lesson.parts[0].items[0].answers[0]
    assert answer.blocks[-1].inlines[-1].text == "追问在最后一行"
    assert reporter.diagnostics == []
    assert "追问在最后一行\n~~~" in render_book(Book((lesson,)))[0][1].text


def test_unclosed_fence_at_end_of_file_without_newline(book_root: Path):
    text = NOTE.rstrip("\n").removesuffix("```").rstrip("\n")
    lesson, reporter = _parse(book_root, text.encode("utf-8"))
    assert _kinds(reporter) == [Kind.UNCLOSED_FENCE]
    assert lesson.parts[0].items[0].answers[0].blocks[0].text.rstrip() == "回答"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_symlinked_image_pointing_outside_the_root_is_refused(book_root: Path, tmp_path: Path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    (book_root / "resource" / "link.png").symlink_to(outside)
    text = NOTE + "![avatar](../resource/link.png)\n"
    lesson, reporter = _parse(book_root, text.encode("utf-8"))
    assert _kinds(reporter) == [Kind.OUTSIDE_ROOT]
    assert reporter.diagnostics[0].loc.line == 7
    output = render_book(Book((lesson,)))[0][1]
    assert output.files == {}
    assert "outside" not in output.text


def test_duplicate_lesson_numbers_across_files(book_root: Path):
    (book_root / "notes" / "笔记2.md").write_text(NOTE, encoding="utf-8")
    (book_root / "notes" / "笔记2-副本.md").write_text(NOTE, encoding="utf-8")
    reporter = Reporter()
    book = parse_book(book_root / "notes", book_root, reporter)
    assert len(book.lessons) == 2
    assert _kinds(reporter) == [Kind.DUPLICATE_LESSON]
    assert "lesson 2 also in notes/笔记2" in reporter.diagnostics[0].message
    labels = [output.label for _, output in render_book(book)]
    assert labels == ["l02", "l02-2"]


def test_lessons_are_ordered_by_number_not_by_file_name(book_root: Path):
    for number, name in [(10, "笔记10.md"), (2, "笔记2.md"), (1, "笔记1.md")]:
        text = NOTE.replace("第二节课", f"第{number}节课")
        (book_root / "notes" / name).write_text(text, encoding="utf-8")
    (book_root / "notes" / "附录.md").write_text("## 附录\n补充。\n", encoding="utf-8")
    reporter = Reporter()
    book = parse_book(book_root / "notes", book_root, reporter)
    assert [lesson.numbers for lesson in book.lessons] == [(1,), (2,), (10,), ()]
    assert [name for name, _ in render_book(book)] == [
        "l01.md", "l02.md", "l10.md", "lx-f8519014.md"]  # 附录.md: named by its file
    assert _kinds(reporter) == [Kind.NO_LESSON_NUMBER]


# --- The command line -----------------------------------------------------------------------


def _convert(root: Path, *extra: str) -> int:
    return cli.run(["convert", "--notes", str(root / "notes"), "--root", str(root),
                    "--out", str(root / "out"), *extra])


def test_cli_exit_0_on_a_clean_note(book_root: Path, capsys):
    (book_root / "notes" / "x.md").write_text(NOTE, encoding="utf-8")
    assert _convert(book_root) == 0
    assert capsys.readouterr().err == ""
    assert (book_root / "out" / "l02.md").is_file()


def test_cli_warning_is_located_and_fails_only_under_strict(book_root: Path, capsys,
                                                            monkeypatch):
    monkeypatch.chdir(book_root)
    (book_root / "notes" / "x.md").write_text(NOTE + "![a](../resource/none.png)\n",
                                              encoding="utf-8")
    assert _convert(book_root) == 0
    err = capsys.readouterr().err
    assert err == ("notes/x.md:7: WARNING: image not found: ../resource/none.png "
                   "[notes.missing_image]\n")
    assert _convert(book_root, "--strict") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1
    assert _convert(book_root, "--strict", "--suppress", "notes.missing_image") == 0


def test_cli_unreadable_note_is_an_error_exit(book_root: Path, capsys):
    (book_root / "notes" / "x.md").write_bytes(b"\x00\x01\x02binary")
    assert _convert(book_root) == 1
    err = capsys.readouterr().err
    assert err.startswith("notes/x.md:1: ERROR:") and err.endswith("[notes.undecodable]\n")


def test_cli_missing_folder_is_a_usage_error(tmp_path: Path, capsys):
    code = cli.run(["convert", "--notes", str(tmp_path / "nowhere"), "--root", str(tmp_path),
                    "--out", str(tmp_path / "out")])
    assert code == 2
    err = capsys.readouterr().err
    assert "not a folder" in err and "Traceback" not in err


def test_a_crash_inside_sphinx_is_one_located_line_not_a_traceback():
    from build_tools.sourcemap import without_traceback

    messages = ("a.md:3: WARNING: something [x.y]\nExtension error!\n\nTraceback\n=========\n"
                '  File "e.py", line 4, in emit\n    sphinx.errors.ExtensionError: it broke\n'
                "The full traceback has been saved in:\n/tmp/sphinx-err-abc.log\n")
    shown = without_traceback(messages, "book: html").splitlines()
    assert shown == ["a.md:3: WARNING: something [x.y]",
                     "book: html: ERROR: sphinx.errors.ExtensionError: it broke "
                     "(details: /tmp/sphinx-err-abc.log)"]


def test_the_tool_never_reads_its_own_output_or_hidden_files_as_notes(tmp_path: Path, capsys):
    """Notes at the root with the book and the build inside it: two notes stay two lessons
    however often it is built; ``..c.md`` and a folder holding a conf.py are said to be
    skipped."""
    root = tmp_path
    for number in (1, 2):
        (root / f"笔记{number}.md").write_text(f"## 第{number}节课\n正文。\n", encoding="utf-8")
    (root / "..c.md").write_text("## 第三节课\n隐藏。\n", encoding="utf-8")
    (root / "site").mkdir()
    (root / "site" / "conf.py").write_text("", encoding="utf-8")
    (root / "site" / "page.md").write_text("## 第四节课\n", encoding="utf-8")
    shutil.copytree(REPO / "book", root / "book", ignore=shutil.ignore_patterns("lessons"))
    lessons = root / "book" / "lessons"
    assert cli.run(["build", "html", "--notes", str(root), "--root", str(root), "--out",
                str(root / "_build"), "--book", str(root / "book")]) == 0
    assert list((root / "_build" / "html" / "_sources").rglob("*.md"))
    for _ in range(2):  # a later convert, or build, reads neither the output nor the book
        cli.run(["convert", "--notes", str(root), "--root", str(root), "--out", str(lessons)])
        assert sorted(p.name for p in lessons.glob("*.md")) == ["l01.md", "l02.md"]
    err = capsys.readouterr().err
    assert "..c.md:1: WARNING: not read as a note: a hidden file" in err
    assert "site:1: WARNING: not read as a note: a Sphinx project" in err
    assert "_build:1: WARNING: not read as a note" in err


def test_an_output_folder_that_cannot_be_written_is_one_located_error(book_root: Path, capsys):
    """A folder the build cannot write (here a file stands where the folder should be; as
    root, a read-only folder is writable all the same) is one line naming it, no traceback."""
    (book_root / "notes" / "note.md").write_text(NOTE, encoding="utf-8")
    blocked = book_root / "out"
    blocked.write_text("a file, not a folder", encoding="utf-8")
    code = cli.run(["convert", "--notes", str(book_root / "notes"), "--root", str(book_root),
                    "--out", str(blocked / "lessons")])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err and re.search(rf"{re.escape(str(blocked))}\S*: ERROR: ", err)


def test_one_rule_numbers_lessons_for_the_writer_and_the_extension():
    """build_tools.numbering.printed_numbers: a lesson's own number, else (none, or taken) the
    one after the highest; the MyST writer and the Sphinx extension both call it."""
    from build_tools import numbering
    from build_tools.sphinx_ext import numbering as sphinx_numbering

    assert numbering.printed_numbers(["2", "", "2a", "2", "10", ""]) == [
        "2", "11", "2a", "12", "10", "13"]
    assert numbering.printed_numbers(["", ""]) == ["1", "2"]
    assert sphinx_numbering.printed_numbers is numbering.printed_numbers
