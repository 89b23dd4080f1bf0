"""The Sphinx project a build assembles under OUT: ours, a ``--book`` of one's own over it."""

from __future__ import annotations

import os
from pathlib import Path

from build_tools import cli
from build_tools.book_config import BookConfig
from build_tools.sphinx_project import assemble, front_page, original_files, project_files

NOTE = "## 第一章：测试（第一节课）\n### 第一部分：一些问答\n#### 1、问题\n```text\n回答\n```\n"


def _config(tmp_path: Path, **values) -> BookConfig:
    return BookConfig(**{"title": "课程", "notes": (tmp_path / "notes",), "root": tmp_path,
                         "out": tmp_path / "out", **values})


def test_ours_then_the_users_files_then_the_front_page_and_book_json(tmp_path: Path):
    mine = tmp_path / "mine"
    (mine / "_templates").mkdir(parents=True)
    (mine / "conf.py").write_text("from build_tools.sphinx_project.conf import *\n",
                                  encoding="utf-8")
    (mine / "_templates" / "page.html").write_text("{{ body }}", encoding="utf-8")
    for skipped in ("lessons/l01.md", "_build/x.html", ".hidden", "__pycache__/c.pyc"):
        (mine / skipped).parent.mkdir(exist_ok=True)
        (mine / skipped).write_text("", encoding="utf-8")
    ours = project_files(_config(tmp_path))
    assert sorted(ours) == ["_static/book.css", "book.json", "conf.py", "index.md",
                            "qa-index.md"]
    theirs = project_files(_config(tmp_path, book=mine))
    assert sorted(theirs) == sorted([*ours, "_templates/page.html"])
    assert theirs["conf.py"].startswith(b"from build_tools.sphinx_project.conf import *")


def test_assembling_again_rewrites_only_what_changed_and_drops_what_is_gone(tmp_path: Path):
    source, mine = tmp_path / "out" / "source", tmp_path / "mine"
    mine.mkdir()
    (mine / "extra.md").write_text("# 附\n", encoding="utf-8")
    (source / "lessons").mkdir(parents=True)
    (source / "lessons" / "l01.md").write_text("课", encoding="utf-8")
    assemble(_config(tmp_path, book=mine), source)
    assert (source / "extra.md").is_file()
    os.utime(source / "conf.py", (1, 1))
    assemble(_config(tmp_path), source)
    assert not (source / "extra.md").exists(), "a file of the last --book is not this book's"
    assert (source / "conf.py").stat().st_mtime == 1, "unchanged: not written (Sphinx reads it)"
    assert (source / "lessons" / "l01.md").is_file(), "the converter's, never touched"


def test_a_message_about_a_file_of_book_points_at_it_not_at_its_copy(tmp_path: Path):
    source, mine = tmp_path / "out" / "source", tmp_path / "mine"
    mine.mkdir()
    (mine / "index.md").write_text("# 书\n", encoding="utf-8")
    messages = (f"{source}/index.md:3: WARNING: toctree contains a missing document [toc]\n"
                f"{source}/qa-index.md:1: WARNING: ours [x]\n")
    assert original_files(messages, source, mine) == (
        f"{mine}/index.md:3: WARNING: toctree contains a missing document [toc]\n"
        f"{source}/qa-index.md:1: WARNING: ours [x]\n")
    assert original_files(messages, source, None) == messages


def test_the_front_page_shows_the_title_as_written_never_as_markup(tmp_path: Path):
    page = front_page(_config(tmp_path, title="{eval}`1` *课程*", subtitle="一门课"))
    assert page.startswith("# \\{eval\\}\\`1\\` \\*课程\\*\n\n一门课。问题、练习")
    assert "```{include} lessons/toctree.inc\n```" in page


def test_a_folder_of_notes_builds_from_itself_then_book_toml_and_a_conf_py_of_its_own(
        tmp_path: Path, monkeypatch, capsys):
    """The issue's new user: notes only, built from their own folder with --notes and --root
    (the title is the folder's name); then a book.toml names the book and a --book whose
    conf.py starts from ours sets html_title, which wins. Nothing is written but OUT, neither
    in the notes' folder nor in --book."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "笔记1.md").write_text(NOTE, encoding="utf-8")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "conf.py").write_text("from build_tools.sphinx_project.conf import *  # noqa\n"
                                  'html_title = "我的站点"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert cli.run(["build", "html", "--notes", "notes", "--root", ".", "--strict"]) == 0, (
        capsys.readouterr().err)
    index = tmp_path / "_build" / "html" / "index.html"
    assert f"<title>{tmp_path.name} &#8212; {tmp_path.name}</title>" in index.read_text(
        encoding="utf-8")
    (tmp_path / "book.toml").write_text('title = "论语讲义"\nauthor = "孔门"\n',
                                        encoding="utf-8")
    assert cli.run(["build", "html", "--book", "mine", "--strict"]) == 0
    assert "<title>论语讲义 &#8212; 我的站点</title>" in index.read_text(encoding="utf-8")
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")
                   if not p.is_relative_to(tmp_path / "_build"))
    assert after == sorted([*before, Path("book.toml")])
