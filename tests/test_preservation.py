"""No word is lost: every Chinese run and Latin word of a note reaches the MyST; every kind of
diagnostic is produced somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from build_tools.check import in_order
from build_tools.diagnostics import Diagnostic, Kind, Reporter
from build_tools.model import Location
from build_tools.notes_parser import parse_book

from .fixture_cases import load_cases
from .test_fixtures import convert_case

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parent.parent / "notes" / "第一章-第二节课.md"
CASES = load_cases(FIXTURES)

# Cases whose words are dropped on purpose; keep this list tiny.
DROPPED_ON_PURPOSE = {
    "a closed HTML comment is hidden",  # comments are for the author, not the reader
    # as in any Markdown viewer; notes.unused_definition names it
    "a link definition no link uses is hidden, with a warning",
}
# Alt texts editors fill in; they say nothing and the book replaces them with a caption.
MEANINGLESS_ALT = {"avatar", "图片格式"}

_CJK = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z]{2,}")


def source_words(markdown: str) -> list[str]:
    """The words a reader of ``markdown`` sees, roughly: Markdown and HTML syntax removed."""
    text = re.sub(r"^[ \t]*(```+|~~~+)[^\n]*", "", markdown, flags=re.M)  # fence info strings
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", _alt, text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # link targets
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"</?[A-Za-z][^>]*>", "", text)  # tags; their content stays
    # Item numbers are written back in Arabic numerals: 第二、 → 2、
    text = re.sub(r"^(#+[ \t]*)第[一二三四五六七八九十]+、", r"\1", text, flags=re.M)
    return _CJK.findall(text) + _LATIN.findall(text)


def _alt(match: re.Match) -> str:
    return "" if match.group(1) in MEANINGLESS_ALT else match.group(1)


def reader_text(myst: str) -> str:
    """MyST with escapes removed and lines joined, so a word split by a soft break is whole."""
    text = re.sub(r"\\(.)", r"\1", myst, flags=re.S)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their words
    return re.sub(r"\n[ \t>]*", "", text)


def _missing(markdown: str, myst: str) -> list[str]:
    seen = reader_text(myst)
    return [word for word in source_words(markdown) if word not in seen]


@pytest.mark.parametrize("case", [c for c in CASES if c.title not in DROPPED_ON_PURPOSE],
                         ids=lambda c: f"{c.file.stem}:{c.title}")
def test_every_word_of_a_case_reaches_the_myst(case, book_root: Path):
    _, _, myst = convert_case(case, book_root)
    assert _missing(case.sections["input"], myst) == []


def test_every_word_of_the_seed_note_reaches_the_myst(book_root: Path):
    from build_tools.myst_writer import render_book

    (book_root / "notes" / SEED.name).write_bytes(SEED.read_bytes())
    book = parse_book(book_root / "notes", book_root, Reporter())
    myst = render_book(book)[0][1].text
    assert _missing(SEED.read_text(encoding="utf-8"), myst) == []


def test_the_dropped_list_names_real_cases():
    assert DROPPED_ON_PURPOSE <= {c.title for c in CASES}


def test_every_kind_of_diagnostic_is_produced(book_root: Path):
    seen: set[str] = set()
    for case in CASES:
        _, warnings, _ = convert_case(case, book_root)
        seen.update(re.findall(r"\[(notes\.\w+)\]$", "\n".join(warnings), flags=re.M))
    seen.update(d.kind.code for d in _byte_level_diagnostics(book_root))
    assert {k.code for k in Kind if k.type == "notes"} - seen == set()


def _byte_level_diagnostics(root: Path):
    """What only bytes or several files can show: encodings, binary, empty, duplicates."""
    notes = root / "notes"
    for old in notes.iterdir():
        old.unlink()
    note = "## 第一章：测试（第二节课）\n正文。\n"
    (notes / "gbk.md").write_bytes(note.encode("gbk"))
    (notes / "utf8.md").write_text(note, encoding="utf-8")
    (notes / "binary.md").write_bytes(b"\x00\x01binary")
    (notes / "empty.md").write_bytes(b"")
    (notes / "附录.md").write_text("## 附录\n补充。\n", encoding="utf-8")  # no number anywhere
    (notes / "lesson5_homework.md").write_text("# 作业\n题目。\n", encoding="utf-8")  # no lesson 5
    (notes / "links.md").write_text("# 第三课\n见[第二课](utf8.md#没有这个标题)。\n",
                                    encoding="utf-8")  # an anchor no heading has
    (notes / ".hidden.md").write_text("## 第七课\n", encoding="utf-8")  # not a note
    deep = "".join("  " * level + f"- 第{level}层\n" for level in range(60))
    (notes / "deep.md").write_text(f"# 第六课\n{deep}\n最后一段不能丢。\n", encoding="utf-8")
    frames = [Image.new("RGB", (4, 4), color) for color in ("red", "blue")]
    frames[0].save(root / "resource" / "anim.gif", save_all=True, append_images=frames[1:])
    (notes / "images.md").write_text(
        "# 第四课\n![动图](../resource/anim.gif)\n\n![远程](https://example.com/a.png)\n",
        encoding="utf-8")  # an animated image, a remote one
    reporter = Reporter()
    parse_book(notes, root, reporter)
    return reporter.diagnostics


def test_the_format_document_lists_every_warning():
    """docs/notes-format.md is the users' list of warnings: none may be missing from it."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "notes-format.md").read_text(
        encoding="utf-8")
    assert [k.code for k in Kind if f"`{k.code}`" not in text] == []


def test_a_list_nested_past_the_parsers_limit_loses_nothing(book_root: Path):
    """markdown-it drops the rest of a note at its nesting limit: a 10-level list is read as
    it is, a 200-level one flattened with a located warning, and what follows survives."""
    for depth, warned in ((10, False), (200, True)):
        deep = "".join("  " * level + f"- 第{level}层\n" for level in range(depth))
        note = book_root / "notes" / "deep.md"
        note.write_text(f"# 第五课\n{deep}\n最后一段不能丢。\n", encoding="utf-8")
        reporter = Reporter()
        book = parse_book(book_root / "notes", book_root, reporter)
        words = str(book.lessons[0])
        assert "最后一段不能丢" in words and f"第{depth - 1}层" in words
        assert (Kind.DEEP_NESTING in {d.kind for d in reporter.diagnostics}) is warned


def test_suppress_hides_one_kind_or_a_whole_type_for_every_stage_alike():
    """`--suppress pdf` hides every pdf.* diagnostic, as `--suppress notes` hides notes.*; a
    named kind hides only itself. Sphinx's messages (qa.* and its own), replayed or not, follow
    the same rule, each with the lines that continue it."""
    from build_tools.diagnostics import without_suppressed
    reporter = Reporter(frozenset({"notes.raw_html", "pdf"}))
    reporter.warn(Kind.RAW_HTML, Location("n.md", 1), "x")
    reporter.warn(Kind.NUMBER_GAP, Location("n.md", 2), "y")
    reporter.warn(Kind.PDF_IMAGE, Location("out/pdf"), "image not printed")
    assert [d.kind for d in reporter.diagnostics] == [Kind.NUMBER_GAP]
    image = Diagnostic(Kind.PDF_IMAGE, Location("out/a.png"), "image not printed: too big")
    assert str(image) == "out/a.png: WARNING: image not printed: too big [pdf.image]"
    assert Diagnostic.from_json(image.to_json()) == image
    lesson = "book/lessons/a.md:3: WARNING: lesson number 2 is used twice [qa.lesson_number]\n"
    theirs = "book/index.md:9: WARNING: toctree contains a missing document\n  'x'\n"
    messages = lesson + "  a line of that message\n" + theirs
    assert without_suppressed(messages, frozenset({"qa"})) == theirs
    assert without_suppressed(messages, frozenset({"qa.lesson_number"})) == theirs
    assert without_suppressed(messages, frozenset({"qa.download", "pdf"})) == messages


def test_every_kind_has_its_type_and_a_sphinx_type():
    assert {k.type for k in Kind} == {"notes", "qa", "pdf"}
    assert Kind.QA_LESSON_NUMBER.sphinx == {"type": "qa", "subtype": "lesson_number"}


@pytest.mark.parametrize(("printed", "found"), [
    ("前" + "编码abcdefghij" * 5 + "后", True),  # as written
    ("编码abcdefghij" * 2 + "名称编码小图" + "编码abcdefghij" * 3, True),  # a repeated header
    ("编码abcdefghij" * 2 + "编码abcdefghi" + "编码abcdefghij" * 2, False),  # a letter lost
    ("编码abcdefghij" * 2 + "页" * 201 + "编码abcdefghij" * 3, False),  # too much in between
])
def test_check_allows_print_to_draw_inside_a_word_but_never_to_lose_a_letter(printed, found):
    assert in_order("编码abcdefghij" * 5, printed) is found
