"""Property: any text in a question's title and answer reaches the site's HTML unchanged.

One generated example is one note: a lesson whose Q&A part holds several questions, each a
``#### N、<title>`` heading and a ```` ```text ```` answer, their text drawn from CJK (with
Extension B), emoji, ASCII, full-width punctuation, spaces and the characters MyST or Markdown
read as syntax. The note goes the whole way (parse → model → MyST → one ``sphinx-build``), and
every title and answer must come out of the HTML with the same characters.

A Sphinx build takes most of a second, so each example holds many questions, there are few
examples, and Hypothesis does not shrink (each shrinking step would be another build): a failure
lists only the questions that came out wrong, each small enough to read as it is.
"""

from __future__ import annotations

import re
import string
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from build_tools.diagnostics import Reporter
from build_tools.model import Book
from build_tools.myst_writer import write_book
from build_tools.notes_parser import parse_note


class QA(NamedTuple):
    title: str
    answer: str


# --- What the notes may say -------------------------------------------------------------------


def _letters(low: int, high: int) -> st.SearchStrategy[str]:
    # Assigned ideographs only: an unassigned code point is no text an author can type.
    return st.characters(min_codepoint=low, max_codepoint=high, categories=["Lo"])


CJK = _letters(0x4E00, 0x9FFF)
EXTENSION_B = _letters(0x20000, 0x2A6DF)
EMOJI = st.sampled_from(["❌", "✅", "🤓", "😀", "👍🏽", "1️⃣", "👨‍👩‍👧", "🇨🇳", "￼"])
ASCII = st.sampled_from(string.ascii_letters + string.digits)
FULL_WIDTH = st.sampled_from(list("（），：、；？！「」"))
# Ideographic and no-break spaces are characters a reader sees; runs of ASCII spaces are not.
SPACES = st.sampled_from([" ", "  ", "\u3000", "\u00a0"])
# What MyST (targets, roles, comments, math, directives, blocks) or CommonMark reads as syntax.
SPECIALS = st.sampled_from([
    "%", "$", "$5", "{x}", "{role}`x`", "(x)=", "*", "**", "_", "__", "`", "``", "<", ">",
    "<br />", "&", "&amp;", "|", "#", "[", "]", "[x](y)", "\\", "~~~", ":::", "+++", "-", "+",
    "=", ":", "!", "^", "1.", "1)",
    # Markdown-looking runs: written escaped, they must stay characters, not become markup.
    "**粗**", "*斜*", "_x_", "`code`", "~~删~~", "<b>", "&lt;",
])
PIECE = st.one_of(CJK, EXTENSION_B, EMOJI, ASCII, FULL_WIDTH, SPACES, SPECIALS)
# Inside a fence, lines that would open blocks anywhere else.
LINE_STARTS = st.sampled_from([
    "```", "````", "```python", "~~~", "#### 2、", "# ", "- ", "1. ", "> ", "答：", "<!--",
    ":name: x", "    ",
])

# A heading that names a part opens a part at any level (docs/notes-format.md: "Headings"), so a
# title holding one of these words would not be a question: the format defines it so.
PART_WORDS = ("课后习题", "名词解释", "一些问答", "Q&A问答", "项目简介")

# A title is one line by construction (a heading is one line): no piece holds a line break.
TITLES = st.lists(PIECE, max_size=12).map("".join).filter(
    lambda title: not any(word in title for word in PART_WORDS))
LINES = st.builds(lambda start, rest: start + "".join(rest),
                  st.one_of(st.just(""), LINE_STARTS), st.lists(PIECE, max_size=10))
ANSWERS = st.lists(LINES, min_size=1, max_size=5).map("\n".join)
NOTES = st.lists(st.builds(QA, TITLES, ANSWERS), min_size=6, max_size=10)


# --- The note, as an author would write that text --------------------------------------------

# CommonMark's way to write a character literally is a backslash before it (ASCII punctuation
# only). Escaped here are the characters the notes' Markdown (CommonMark, notes_parser.blocks)
# reads as syntax inside a heading: emphasis, code spans, links, raw HTML and entities, escapes,
# and a closing run of #. The rest ($ % { } ( ) = + : ~ | …) are "just characters" in the notes
# (docs/notes-format.md) and are written as they are: keeping them characters is the writer's job.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]<>&#])")


def markdown_literal(text: str) -> str:
    return _MARKDOWN_SYNTAX.sub(r"\\\1", text)


def answer_fence(answer: str) -> str:
    """A text fence longer than any backtick run inside, so no line of the answer closes it."""
    longest = max((len(run) for run in re.findall(r"`+", answer)), default=0)
    marker = "`" * max(3, longest + 1)
    return f"{marker}text\n{answer}\n{marker}"


def note_text(questions: list[QA]) -> str:
    lines = ["## 第一章：测试（第一节课）", "### 第三部分：一些问答"]
    for number, qa in enumerate(questions, start=1):
        # Numbered 1、 2、 …: the number is read from the heading's start, so whatever the
        # title starts with (a digit and 、 included) stays title.
        lines += [f"#### {number}、{markdown_literal(qa.title)}", answer_fence(qa.answer)]
    return "\n".join(lines) + "\n"


# --- Build and read back ----------------------------------------------------------------------

CONF = """\
extensions = ["myst_parser", "build_tools.sphinx_ext"]
language = "zh_CN"
numfig = True
myst_enable_extensions = []
html_theme = "basic"
# This test reads the pages, not the search index, which would lengthen each build.
html_search_language = "en"
"""


def build(questions: list[QA], work: Path) -> tuple[list[str], str]:
    """Parse, write and build the note with Sphinx: (problems so far, the lesson's HTML)."""
    note = work / "notes" / "note.md"
    note.parent.mkdir(parents=True)
    note.write_text(note_text(questions), encoding="utf-8")
    reporter = Reporter()
    lesson = parse_note(note, work, reporter)
    problems = [f"parser: {d}" for d in reporter.diagnostics]
    assert lesson is not None
    source = work / "src"
    write_book(Book((lesson,)), source / "lessons")
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "index.md").write_text(
        "# 测试\n\n```{include} lessons/toctree.inc\n```\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         str(source), str(work / "html")],
        capture_output=True, text=True, encoding="utf-8")
    if result.returncode or result.stderr.strip():
        problems.append(f"sphinx-build exit {result.returncode}:\n{result.stderr}")
    page = work / "html" / "lessons" / "l01.html"
    return problems, page.read_text(encoding="utf-8") if page.is_file() else ""


def shown_title(text: str) -> str:
    """A title as a reader sees it.

    Leading and trailing whitespace of a heading is not content (CommonMark strips it, and the
    item number takes the spaces after 1、). Inside, HTML shows a run of ASCII whitespace as one
    space; the ideographic and no-break spaces are characters and stay.
    """
    return re.sub(r"[ \t\n\r\f]+", " ", text).strip()


def compare(questions: list[QA], html: str) -> list[str]:
    """What came out different from what was written, one line a question."""
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for number, qa in enumerate(questions, start=1):
        label = f"l01-q{number:02d}"
        node = soup.find("div", class_="qa-question", id=label)
        if node is None:
            problems.append(f"{label}: no div.qa-question; wrote {qa!r}")
            continue
        title = node.find("p", class_="qa-title")
        if title is None:
            problems.append(f"{label}: no p.qa-title; wrote {qa!r}")
            continue
        caption = title.find("span", class_="caption-number")
        if caption is None or caption.get_text() != f"问题 1.{number} ":
            problems.append(f"{label}: caption {caption and caption.get_text()!r}")
        for extra in title.find_all(["span", "a"], class_=["caption-number", "headerlink"]):
            extra.extract()
        if shown_title(title.get_text()) != shown_title(qa.title):
            problems.append(f"{label}: title {shown_title(qa.title)!r} came out as "
                            f"{shown_title(title.get_text())!r}")
        # A fence's content is its lines verbatim, each ending in a line break (CommonMark).
        answers = [pre.get_text() for pre in node.select("div.qa-answer pre")]
        if answers != [qa.answer + "\n"]:
            problems.append(f"{label}: answer {qa.answer + chr(10)!r} came out as {answers!r}")
    return problems


# --- The property -----------------------------------------------------------------------------

# Found by this test; each line is one finding, the smallest text that shows it.
FOUND = [
    # notes_parser.emphasis.close_cjk_emphasis pairs the literal ** that markdown-it leaves after
    # the escapes \*\* (its text_join rule merges escapes into plain text): bold, marks gone.
    QA("甲**乙**", "答"),
    QA("****", "答"),
    # myst_writer.markup._one_line (" ".join(text.split())) turns every Unicode space in a
    # title, ideographic and no-break ones too, into an ASCII space.
    QA("甲\u3000乙", "答"),
    QA("甲\u00a0乙", "答"),
    # Blank lines at the start and end of a text fence are dropped: myst_writer.lesson's
    # fence_language says "text", which Sphinx hands to Pygments' TextLexer with stripnl on
    # (Sphinx turns it off only for its own none, python, pycon, rest and c lexers).
    QA("问", "\n答"),
    QA("问", "答\n"),
]


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(NOTES)
@example(FOUND)
def test_text_in_questions_reaches_the_html_unchanged(questions: list[QA]):
    with tempfile.TemporaryDirectory() as folder:
        problems, html = build(questions, Path(folder))
        problems += compare(questions, html)
    assert not problems, "\n".join(problems)
