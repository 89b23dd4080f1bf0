"""book.toml: found, read, checked with located errors, its defaults, the options over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools import cli
from build_tools.book_config import (
    FIELDS,
    BookConfig,
    ConfigError,
    Problem,
    find_config,
    line_of,
    read_config,
    resolve_config,
)

REPO = Path(__file__).resolve().parent.parent


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "book.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        read_config(path)
    return [str(problem) for problem in raised.value.problems]


def test_a_misspelt_key_is_located_and_the_right_one_suggested(tmp_path: Path):
    problems = _problems(tmp_path, '# 书\nauthor = "助教"\n\ntitel = "课程"\n')
    assert problems == [f'{tmp_path / "book.toml"}:4: ERROR: unknown key "titel"; '
                        'did you mean "title"? [config.unknown_key]']


def test_wrong_types_and_values_are_each_located(tmp_path: Path):
    problems = _problems(tmp_path, 'title = "课程"\nversion = 1.0\nnotes = [1, 2]\n'
                                   '"paper" = "Letter"\n[chapters]\nfirst = "一"\n')
    assert _problems(tmp_path, 'version = " "\n') == [
        f'{tmp_path / "book.toml"}:1: ERROR: "version" must not be empty [config.bad_value]']
    assert problems == [
        f"{tmp_path / 'book.toml'}:2: ERROR: \"version\" must be text in quotes, not a number "
        "[config.wrong_type]",
        f"{tmp_path / 'book.toml'}:3: ERROR: \"notes\" must be a list of folders in quotes, "
        'such as ["notes"], not a list [config.wrong_type]',
        f"{tmp_path / 'book.toml'}:4: ERROR: \"paper\" must be one of A4, B5, A5, not "
        '"Letter" [config.bad_value]',
        f"{tmp_path / 'book.toml'}:5: ERROR: \"chapters\" is reserved for a later version of "
        "the tool; remove it [config.reserved_key]"]


def test_a_file_that_is_not_toml_is_one_located_syntax_error(tmp_path: Path):
    problems = _problems(tmp_path, 'title = "课程"\nauthor = 助教\n')
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'book.toml'}:2: ERROR: Invalid value")
    assert problems[0].endswith("[config.syntax]")


def test_the_line_of_a_key_is_found_however_it_is_written():
    text = 'a = 1\n  "title"  = "x"\n[[editions]]\nnotes = [\n "a",\n]\n'
    assert [line_of(text, key) for key in ("title", "editions", "notes", "absent")] == [
        2, 3, 4, 1]


def test_the_cli_says_it_in_one_line_and_exits_2(tmp_path: Path, monkeypatch, capsys):
    (tmp_path / "notes").mkdir()
    (tmp_path / "book.toml").write_text("titel = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.run(["build", "html"]) == 2
    err = capsys.readouterr().err
    assert err == (f'{tmp_path / "book.toml"}:1: ERROR: unknown key "titel"; did you mean '
                   '"title"? [config.unknown_key]\n')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.toml", "notes"]
    assert cli.run(["build", "html", "--config", str(tmp_path / "none.toml")]) == 2
    assert "none.toml:1: ERROR: no such file [config.unreadable]" in capsys.readouterr().err


def test_found_here_or_in_a_parent_up_to_the_repository_root(tmp_path: Path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs" / "chap1").mkdir(parents=True)
    (tmp_path / "book.toml").write_text("", encoding="utf-8")  # above the repository: not it
    assert find_config(repo / "docs" / "chap1") is None
    (repo / "book.toml").write_text("", encoding="utf-8")
    assert find_config(repo / "docs" / "chap1") == repo / "book.toml"
    outside = tmp_path / "plain" / "sub"
    outside.mkdir(parents=True)
    assert find_config(outside) is None, "outside a repository only the folder itself counts"


def test_defaults_the_file_and_the_options_each_win_over_the_one_before(tmp_path: Path):
    course = tmp_path / "llm-course"
    (course / "note").mkdir(parents=True)
    (course / "note" / "README.md").write_text("# 大模型 **入门**\n", encoding="utf-8")
    config = resolve_config(None, {}, course)
    assert (config.notes, config.root, config.out) == ((course / "notes",), course,
                                                      course / "_build")
    assert (config.title, config.language, config.paper, config.book) == (
        "llm-course", "zh-CN", "A4", None)
    (course / "book.toml").write_text('notes = "note"\nout = "../site"\npaper = "A5"\n',
                                      encoding="utf-8")
    config = resolve_config(course / "book.toml", {"paper": "B5", "out": Path("x")}, tmp_path)
    assert config.notes == (course / "note",)
    assert config.title == "大模型 入门", "the notes folder's README names the book"
    assert (config.out, config.paper) == (tmp_path / "x", "B5")


def test_the_file_name_comes_from_latin_words_of_the_title_or_the_folder(tmp_path: Path):
    def basename(title: str, folder: str) -> str:
        return BookConfig(title=title, notes=(), root=tmp_path / folder, out=tmp_path).basename
    assert basename("LLM 101：大模型", "x") == "llm-101"
    assert basename("大模型课程笔记", "my_course") == "my-course"
    assert basename("大模型课程笔记", "2024课程") == "book"


def test_every_field_and_every_kind_of_problem_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert [key for key in FIELDS if f"| `{key}` |" not in readme] == []
    assert [p for p in Problem if f"`config.{p.value}`" not in readme] == []


def test_several_notes_folders_are_one_book_the_first_ones_readme_its_introduction(
        tmp_path: Path):
    from build_tools.diagnostics import Reporter
    from build_tools.notes_parser import parse_book

    for folder, number in (("docs/chap2", 2), ("docs/chap1", 1), ("extra", 3)):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / f"笔记{number}.md").write_text(f"## 第{number}节课\n正文。\n",
                                                           encoding="utf-8")
    (tmp_path / "docs" / "README.md").write_text("# 课程\n简介。\n", encoding="utf-8")
    folders = (tmp_path / "docs", tmp_path / "extra", tmp_path / "docs" / "chap1")
    book = parse_book(folders, tmp_path, Reporter())
    assert [lesson.number for lesson in book.lessons] == [1, 2, 3], "a note under two, once"
    assert book.intro is not None and book.intro.title == "课程"
