"""convert's parse cache: a note is parsed again exactly when something it depends on changed,
and the warnings of a note not parsed again are still reported, located as before."""

from __future__ import annotations

from pathlib import Path

import pytest

import build_tools.notes_parser as notes_parser
from build_tools.cli import run
from build_tools.notes_parser.cache import CACHE_FILE

from .conftest import tiny_png

NOTE = """## 第一章：缓存（第{n}节课）

### 第一部分：一些问答

#### 1、这张图是什么？

![权重图](../resource/权重.png)

```text
答：是权重。
```
"""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    (tmp_path / "notes").mkdir()
    (tmp_path / "resource").mkdir()
    for n in (1, 2):
        (tmp_path / "notes" / f"笔记{n}-第一章第{n}节课.md").write_text(NOTE.format(n=n),
                                                                     encoding="utf-8")
    return tmp_path


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The notes parse_note really parsed (not taken from the cache)."""
    names: list[str] = []
    original = notes_parser.parse_note

    def counting(path, root, reporter):
        names.append(path.name)
        return original(path, root, reporter)
    monkeypatch.setattr(notes_parser, "parse_note", counting)
    return names


def convert(book: Path, capsys, *options: str) -> tuple[int, str, bytes]:
    code = run(["convert", "--notes", str(book / "notes"), "--root", str(book),
                "--out", str(book / "out"), *options])
    lesson = sorted((book / "out").glob("*.md"))[0].read_bytes()
    return code, capsys.readouterr().err, lesson


def test_an_unchanged_note_is_not_parsed_again_and_its_warnings_are_repeated(
        book: Path, parsed: list[str], capsys):
    first = convert(book, capsys)
    assert len(parsed) == 2 and (book / "out" / CACHE_FILE).is_file()
    assert "笔记1-第一章第1节课.md:7: WARNING: image not found" in first[1]
    parsed.clear()
    assert convert(book, capsys) == first, "same exit code, messages and MyST"
    assert parsed == []


def test_an_edited_note_is_parsed_again_and_only_it(book: Path, parsed: list[str], capsys):
    convert(book, capsys)
    parsed.clear()
    note = book / "notes" / "笔记2-第一章第2节课.md"
    note.write_text(note.read_text(encoding="utf-8").replace("是权重", "是注意力权重"),
                    encoding="utf-8")
    convert(book, capsys)
    assert parsed == ["笔记2-第一章第2节课.md"]
    assert "是注意力权重" in (book / "out" / "l02.md").read_text(encoding="utf-8")


def test_an_image_that_appears_makes_its_notes_parse_again(book: Path, parsed: list[str],
                                                           capsys):
    assert "image not found" in convert(book, capsys)[1]
    parsed.clear()
    (book / "resource" / "权重.png").write_bytes(tiny_png())
    _, messages, lesson = convert(book, capsys)
    assert sorted(parsed) == ["笔记1-第一章第1节课.md", "笔记2-第一章第2节课.md"]
    assert "image not found" not in messages and b"{figure}" in lesson


def test_suppressing_a_warning_applies_to_a_cached_note(book: Path, capsys):
    convert(book, capsys)
    code, messages, _ = convert(book, capsys, "--suppress", "notes.missing_image")
    assert "image not found" not in messages and code == 0


def test_a_damaged_cache_is_ignored(book: Path, parsed: list[str], capsys):
    first = convert(book, capsys)
    (book / "out" / CACHE_FILE).write_bytes(b"not a pickle")
    parsed.clear()
    assert convert(book, capsys) == first and len(parsed) == 2


def test_one_fingerprint_of_our_code_keys_every_cache(tmp_path: Path, monkeypatch):
    """The parse cache, the builders' stamps and the PDF's render cache all key on
    build_tools.fingerprint: a changed file of the package (a stylesheet too) changes it."""
    from build_tools import fingerprint, sphinx_run
    from build_tools.notes_parser import cache as parse_cache
    from build_tools.pdf import cache as pdf_cache

    for module in (parse_cache, pdf_cache, sphinx_run):
        assert module.code_fingerprint is fingerprint.code_fingerprint
    package = tmp_path / "package"
    (package / "pdf").mkdir(parents=True)
    (package / "pdf" / "print.css").write_text("p { margin: 0 }", encoding="utf-8")
    monkeypatch.setattr(fingerprint, "PACKAGE", package)
    fingerprint.code_fingerprint.cache_clear()
    try:
        before = fingerprint.code_fingerprint()
        (package / "__pycache__").mkdir()
        (package / "__pycache__" / "x.pyc").write_bytes(b"compiled")
        fingerprint.code_fingerprint.cache_clear()
        assert fingerprint.code_fingerprint() == before, "compiled files are no part of it"
        (package / "pdf" / "print.css").write_text("p { margin: 1mm }", encoding="utf-8")
        fingerprint.code_fingerprint.cache_clear()
        assert fingerprint.code_fingerprint() != before
    finally:
        fingerprint.code_fingerprint.cache_clear()
