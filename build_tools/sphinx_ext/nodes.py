"""The nodes our directives make, and how the HTML builders (html, singlehtml, epub) write them.

Questions, answers, exercises and solutions are enumerable nodes whose first child is a
``qa_title``: Sphinx numbers them like figures, and the title is where the number is shown.
"""

from __future__ import annotations

from docutils import nodes


class qa_item(nodes.General, nodes.Element):
    """Base of the four numbered kinds; ``kind`` is also the figtype."""

    kind = ""


class question(qa_item):
    kind = "question"


class answer(qa_item):
    kind = "answer"


class exercise(qa_item):
    kind = "exercise"


class solution(qa_item):
    """One exercise's answer, in the answer key; folded away in HTML."""

    kind = "solution"


class qa_title(nodes.TextElement):
    """The title line of a question or exercise, which carries the number."""


class qa_index(nodes.General, nodes.Element):
    """Where the list of every question goes; filled in at ``doctree-resolved``."""


ENUMERABLE = (question, answer, exercise, solution)


def title_text(node: qa_item) -> str:
    """The title words, for ``{numref}`` formats such as ``{name}``.

    Never empty: Sphinx leaves an enumerable node without a title unnumbered.
    """
    for child in node.children:
        if isinstance(child, qa_title) and child.astext().strip():
            return child.astext()
    return "回复" if node.get("followup") else "答"


# --- HTML ---------------------------------------------------------------------------------------
# Solutions are <details>: a reader sees that an answer exists and opens it after trying.
_TAGS = {"question": "div", "answer": "div", "exercise": "div", "solution": "details"}


def visit_qa_item(self, node: qa_item) -> None:
    tag = _TAGS[node.kind]
    classes = [f"qa-{node.kind}"] + (["qa-followup"] if node.get("followup") else [])
    self.body.append(self.starttag(node, tag, CLASS=" ".join(classes)))


def depart_qa_item(self, node: qa_item) -> None:
    self.body.append(f"</{_TAGS[node.kind]}>\n")


def visit_qa_title(self, node: qa_title) -> None:
    parent = node.parent
    tag = "summary" if isinstance(parent, solution) else "p"
    self.body.append(self.starttag(node, tag, CLASS="qa-title"))
    numbers = _numbers(self, parent)
    prefix = self.config.numfig_format.get(parent.kind)
    if parent.get("followup") and isinstance(parent.parent, question):
        # A follow-up is the asker's reply: not called an answer, and shown with its
        # question's number (回复 2.4), not a puzzling 2.4.2.
        numbers, prefix = _numbers(self, parent.parent), self.config.qa_followup_format
    if numbers and prefix:
        number = ".".join(map(str, numbers))
        self.body.append(f'<span class="caption-number">{prefix % number} </span>')


def _numbers(self, node: qa_item) -> tuple[int, ...] | None:
    """The number Sphinx gave ``node`` (as html.py's add_fignumber finds it)."""
    if not node["ids"]:
        return None
    key = node.kind
    if self.builder.name == "singlehtml":
        key = f"{self.docnames[-1]}/{node.kind}"
    return self.builder.fignumbers.get(key, {}).get(node["ids"][0])


def depart_qa_title(self, node: qa_title) -> None:
    parent = node.parent
    if not isinstance(parent, solution):
        self.add_permalink_ref(parent, "永久链接")
    self.body.append("</summary>\n" if isinstance(parent, solution) else "</p>\n")

