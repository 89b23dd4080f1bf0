"""``{writing-space}``: the student edition's room to write where an answer was.

``:lines: N`` draws N ruled lines across the text block; ``:box:`` a box for the letter of a
choice exercise. The student edition is printed only, from the single page: other builders
draw nothing (a site has no pencil).
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

MAX_LINES = 40


class writing_space(nodes.General, nodes.Element):
    """``lines``: how many ruled lines; ``box``: a box instead."""


class WritingSpaceDirective(SphinxDirective):
    option_spec: ClassVar[dict] = {"lines": directives.positive_int, "box": directives.flag}

    def run(self) -> list[nodes.Node]:
        node = writing_space(lines=min(MAX_LINES, self.options.get("lines", 3)),
                             box="box" in self.options)
        self.set_source_info(node)
        return [node]


def visit_writing_space_html(translator, node: writing_space) -> None:
    if node["box"]:
        translator.body.append('<div class="writing-space answer-box" data-lines="box">'
                               '<span class="answer-box-label">答案</span>'
                               '<span class="answer-box-field"></span></div>')
    else:
        rules = '<div class="writing-line"></div>' * node["lines"]
        translator.body.append(
            f'<div class="writing-space" data-lines="{node["lines"]}">{rules}</div>')
    raise nodes.SkipNode


def skip(translator, node: writing_space) -> None:
    raise nodes.SkipNode


VISITORS = {"html": (visit_writing_space_html, None),
            **{fmt: (skip, None) for fmt in ("latex", "text", "man", "texinfo")}}
