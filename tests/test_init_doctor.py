"""``init`` guesses a book.toml from a folder; ``doctor`` says what the machine lacks."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from build_tools import cli
from build_tools.book_config import read_config
from build_tools.doctor import Finding, Probe, install_line, run_checks

from .conftest import tiny_png

LESSON = "## 第{n}节课\n正文。\n"


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return root


@pytest.mark.parametrize(("files", "notes"), [
    ({"note/lesson1.md": LESSON, "note/img/a.png": tiny_png()}, ["note"]),
    ({"docs/chap1/笔记1.md": LESSON, "docs/chap2/笔记2.md": LESSON, "README.md": "# 课\n",
      "_build/x.md": LESSON, "site/conf.py": "", "site/page.md": LESSON}, ["docs"]),
    ({"笔记1.md": LESSON, "README.md": "# 课\n"}, ["."]),
])
def test_init_finds_the_notes_where_real_courses_keep_them(tmp_path, monkeypatch, capsys,
                                                           files, notes):
    _write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    assert cli.run(["init"]) == 0
    assert read_config(tmp_path / "book.toml")["notes"] == notes
    out = capsys.readouterr().out
    assert f"notes:  {', '.join(n + '/' for n in notes)}" in out
    assert "next: build-notes build all" in out


def test_init_writes_a_commented_file_with_the_title_and_what_it_found(tmp_path, monkeypatch,
                                                                       capsys):
    _write(tmp_path, {"notes/README.md": "# 大模型 **入门**\n课程简介。\n",
                      "notes/笔记1.md": LESSON, "notes/笔记2.md": LESSON,
                      "resource/a.png": tiny_png(), "notes/img/b.jpg": b"jpg"})
    monkeypatch.chdir(tmp_path)
    assert cli.run(["init"]) == 0
    text = (tmp_path / "book.toml").read_text(encoding="utf-8")
    assert tomllib.loads(text) == {"title": "大模型 入门", "notes": ["notes"]}
    assert '# paper = "A4"' in text and '# language = "zh-CN"' in text
    out = capsys.readouterr().out
    assert "notes:  notes/ (2 lessons)" in out, "the README is the introduction, no lesson"
    assert "images: 2 in notes/img/, resource/" in out
    assert "title:  大模型 入门 (from notes/README.md;" in out


def test_init_in_a_folder_without_notes_writes_the_file_and_says_what_to_do(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.run(["init"]) == 1
    assert read_config(tmp_path / "book.toml")["notes"] == ["notes"]
    captured = capsys.readouterr()
    assert "notes:  notes/ (0 lessons)" in captured.out
    assert captured.err == (f"{tmp_path}: WARNING: no .md notes found; put them in notes/, or "
                            "name their folders in book.toml (notes = [...])\n")


def test_init_never_overwrites_a_book_toml(tmp_path, monkeypatch, capsys):
    _write(tmp_path, {"notes/笔记1.md": LESSON, "book.toml": 'title = "mine"\n'})
    monkeypatch.chdir(tmp_path)
    assert cli.run(["init"]) == 1
    assert capsys.readouterr().err == (f"{tmp_path / 'book.toml'}: ERROR: already exists; "
                                       "not overwritten\n")
    assert (tmp_path / "book.toml").read_text(encoding="utf-8") == 'title = "mine"\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.toml", "notes"]


class _Machine(Probe):
    def __init__(self, families: set[str], has: set[str]) -> None:
        self.families, self.has = families, has

    def font_families(self) -> set[str]:
        return self.families

    def library(self, name: str) -> bool:
        return name in self.has

    def program(self, *names: str) -> bool:
        return any(name in self.has for name in names)


def test_doctor_tells_japanese_only_fonts_and_the_apt_line_for_what_is_missing():
    machine = _Machine({"Noto Sans CJK JP", "Noto Serif CJK JP"},
                       {"pango-1.0", "java", "pdftotext"})
    findings = run_checks(machine)
    fonts = findings[0]
    assert not fonts.ok and "only Noto Serif CJK JP, Noto Sans CJK JP" in fonts.detail
    assert install_line(findings, root=False) == (
        "sudo apt-get update && sudo apt-get install -y fonts-noto-cjk libharfbuzz-subset0 "
        "chromium")
    assert install_line([Finding("x", True, "", "p")]) == ""


def test_doctor_on_a_machine_with_everything_finds_nothing_missing():
    machine = _Machine({"Noto Sans CJK SC", "Noto Serif CJK SC"},
                       {"pango-1.0", "harfbuzz-subset", "java", "chromium", "pdftotext"})
    assert all(finding.ok for finding in run_checks(machine))
