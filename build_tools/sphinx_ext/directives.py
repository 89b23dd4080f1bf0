"""``{question}``, ``{answer}``, ``{exercise}``, ``{solution}`` and ``{qa-index}``.

The MyST writer emits them; a hand-written page can use them too::

    ```{question} 思维链是什么？
    :name: l02-q03
    :number: 3

    ````{answer}
    ```text
    …
    ```
    ````
    ```
"""

from __future__ import annotations

import re
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..diagnostics import Kind
from . import nodes as qa
from .domain import Item, QADomain

logger = logging.getLogger(__name__)


def _dotted_number(text: str) -> tuple[int, ...]:
    """``4`` → (4,), ``2.1`` → (2, 1); anything else is not a number we can show."""
    if not re.fullmatch(r"\d+(\.\d+)*", text.strip()):
        raise ValueError(f"not a number such as 4 or 2.1: {text!r}")
    return tuple(int(part) for part in text.strip().split("."))


class _ItemDirective(SphinxDirective):
    """What the four kinds share: a title, an id, a domain entry and parsed content."""

    node_class: ClassVar[type[qa.qa_item]]
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict] = {
        "name": directives.unchanged,
        "number": _dotted_number,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        node = self.node_class()
        node["classes"] += self.options.get("class", [])
        self.set_source_info(node)
        self._identify(node)
        title = qa.qa_title()
        title += self.title_nodes()
        node += title
        node += self.parse_content_to_nodes()
        self.register(node)
        return [node]

    def _identify(self, node: qa.qa_item) -> None:
        if "name" in self.options:
            self.add_name(node)  # an explicit target: {numref} and {ref} find it
        if not node["ids"]:
            # Sphinx numbers only nodes with an id. The domain keys items by id across the
            # book, and the PDF holds every lesson in one document: the id must be unique book-wide.
            owner = self.env.temp_data.get("qa_question") or nodes.make_id(self.env.docname)
            node["ids"].append(f"{owner}-{node.kind}{self.env.new_serialno('qa')}")

    def title_nodes(self) -> list[nodes.Node]:
        if not self.arguments:
            return []
        text_nodes, messages = self.parse_inline(self.arguments[0], lineno=self.lineno)
        return [*text_nodes, *messages]

    def register(self, node: qa.qa_item, parent: str | None = None) -> None:
        domain: QADomain = self.env.get_domain("qa")
        title = qa.title_text(node)
        domain.note_item(Item(node.kind, self.env.docname, node["ids"][0], title,
                              self.options.get("number"), parent))


class QuestionDirective(_ItemDirective):
    node_class = qa.question

    def parse_content_to_nodes(self, allow_section_headings: bool = False) -> list[nodes.Node]:
        # Answers inside ask which question they belong to.
        self.env.temp_data["qa_question"] = self._node_id
        try:
            return super().parse_content_to_nodes(allow_section_headings)
        finally:
            self.env.temp_data.pop("qa_question", None)

    def _identify(self, node: qa.qa_item) -> None:
        super()._identify(node)
        self._node_id = node["ids"][0]


class AnswerDirective(_ItemDirective):
    node_class = qa.answer
    option_spec: ClassVar[dict] = {**_ItemDirective.option_spec, "followup": directives.flag}

    def _identify(self, node: qa.qa_item) -> None:
        node["followup"] = "followup" in self.options
        super()._identify(node)

    def register(self, node: qa.qa_item, parent: str | None = None) -> None:
        question = self.env.temp_data.get("qa_question")
        if question is None:
            logger.warning("an answer outside any question is numbered on its own",
                           **Kind.QA_ANSWER_OUTSIDE_QUESTION.sphinx, location=node)
        super().register(node, parent=question)


class ExerciseDirective(_ItemDirective):
    node_class = qa.exercise


class SolutionDirective(_ItemDirective):
    """The answer to an exercise; its argument is the exercise's label, which its title links."""

    node_class = qa.solution
    required_arguments = 1
    optional_arguments = 0

    def title_nodes(self) -> list[nodes.Node]:
        target = self.arguments[0].strip()
        ref = addnodes.pending_xref("", nodes.inline("", target), refdomain="std",
                                    reftype="numref", reftarget=target, refexplicit=False,
                                    refwarn=True, refdoc=self.env.docname)
        return [nodes.Text("回到"), ref]

    def register(self, node: qa.qa_item, parent: str | None = None) -> None:
        super().register(node, parent=self.arguments[0].strip())


class QAIndexDirective(SphinxDirective):
    """A placeholder for the list of every question, filled in once all are numbered."""

    def run(self) -> list[nodes.Node]:
        node = qa.qa_index()
        self.set_source_info(node)
        # Written again whenever a question changes anywhere (outdated.py).
        self.env.get_domain("qa").data.setdefault("index_pages", set()).add(self.env.docname)
        return [node]
