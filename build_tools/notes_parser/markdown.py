"""The markdown-it parser the notes are read with: CommonMark with tables, escapes kept apart,
every link let through for the parser to judge, and footnotes kept as the text they are; and
the definitions a note holds that no reader will see as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from ..diagnostics import Kind
from .nesting import MAX_NESTING

# ``[^1]: …``: a footnote definition to GitHub, a link reference definition to CommonMark.
_FOOTNOTE_DEFINITION = re.compile(r"\[\^[^\]\s]+\]:")
# Where the parser's environment records the lines (from 0) that start a footnote definition.
FOOTNOTE_LINES = "footnote_lines"


def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    # Keep escaped characters (``\*\*``) apart from text, so that the bold repair for CJK
    # punctuation (emphasis.py) never mistakes them for markup.
    md.disable("text_join")
    # markdown-it leaves javascript:/file:/data: links as plain text, silently; let them
    # through so that the parser can refuse them with a located warning.
    md.validateLink = lambda url: True
    md.options["maxNesting"] = MAX_NESTING
    _keep_footnotes(md)
    return md


def _keep_footnotes(md: MarkdownIt) -> None:
    """CommonMark reads ``[^1]: 巴赫达瑙等人提出。`` as the definition of a link named ``^1``:
    the definition's words vanish and every ``[^1]`` becomes a link to them, percent-encoded.
    A definition is read as a paragraph instead, so both show as written."""
    rule = next(r for r in md.block.ruler.__rules__ if r.name == "reference")
    md.block.ruler.at("reference", partial(_reference_unless_footnote, rule.fn),
                      {"alt": list(rule.alt)})


def _reference_unless_footnote(reference, state: StateBlock, start: int, end: int,
                               silent: bool) -> bool:
    begin = state.bMarks[start] + state.tShift[start]
    if _FOOTNOTE_DEFINITION.match(state.src, begin):
        state.env.setdefault(FOOTNOTE_LINES, set()).add(start)
        return False
    return reference(state, start, end, silent)


def definitions(tokens, env: dict) -> Iterator[tuple[Kind, int, str]]:
    """(kind, line from 0, message) of each footnote definition, shown as written, and of each
    link definition no link or image uses: Markdown shows that nowhere (``[注]: 很重要``)."""
    for line in env.get(FOOTNOTE_LINES, ()):
        yield Kind.FOOTNOTE, line, "footnotes are not supported; shown as written"
    used = {child.attrs.get("href", child.attrs.get("src")) for token in tokens
            for child in token.children or () if child.type in ("link_open", "image")}
    for definition in env.get("references", {}).values():
        if definition["href"] not in used and definition.get("map"):
            yield (Kind.UNUSED_DEFINITION, definition["map"][0],
                   "a link definition no link uses is not shown to readers")
