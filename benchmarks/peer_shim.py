"""Our directives as plain containers, for the peer build (sphinx-simplepdf) of the benchmark.

The peer builds the very MyST our converter wrote, in its own virtual environment where
``build_tools`` is not installed. This extension registers the six directive names the MyST
uses so that every word is parsed and printed: a ``question``, ``answer``, ``exercise`` or
``solution`` becomes a container with its title as a rubric (with the number the note gave),
its ``:name:`` a label that ``{ref}`` finds; ``qa-index`` and ``book-downloads`` produce
nothing. No numbering by lesson, no domain, no index: less work than our extension does.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

_TITLES = {"question": "问题", "answer": "答", "exercise": "练习", "solution": "答案"}


class ItemContainer(SphinxDirective):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict] = {
        "name": directives.unchanged,
        "number": directives.unchanged,
        "class": directives.class_option,
        "followup": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        kind = self.name
        node = nodes.container(classes=[f"qa-{kind}", *self.options.get("class", [])])
        self.set_source_info(node)
        if "name" in self.options:
            self.add_name(node)
        label = f"{_TITLES.get(kind, kind)} {self.options.get('number', '')}".strip()
        title = nodes.rubric("", label + ("　" if self.arguments else ""))
        if self.arguments:
            text_nodes, messages = self.parse_inline(self.arguments[0], lineno=self.lineno)
            title += text_nodes
            node += messages
        node += title
        node += self.parse_content_to_nodes()
        return [node]


class Nothing(SphinxDirective):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        return []


def setup(app):
    for name in _TITLES:
        app.add_directive(name, ItemContainer)
    for name in ("qa-index", "book-downloads"):
        app.add_directive(name, Nothing)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
