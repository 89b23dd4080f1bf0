"""The Q&A index: every question of the book, by lesson, with its number and a link."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.nodes import make_refnode

from . import nodes as qa
from .domain import Item, QADomain


def fill_qa_index(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: replace each placeholder; numbers are final by now."""
    domain: QADomain = app.env.get_domain("qa")
    for placeholder in list(doctree.findall(qa.qa_index)):
        placeholder.replace_self(_index(app, domain, docname))


def _index(app: Sphinx, domain: QADomain, fromdocname: str) -> list[nodes.Node]:
    by_lesson: dict[str, list[Item]] = {}
    for item in domain.items.values():
        if item.kind == "question":
            by_lesson.setdefault(item.docname, []).append(item)
    if not by_lesson:
        return [nodes.paragraph("", "（本书还没有问答。）")]
    result: list[nodes.Node] = []
    for docname in sorted(by_lesson, key=lambda d: _lesson_order(app, d)):
        result.append(nodes.rubric("", app.env.titles[docname].astext(),
                                   classes=["qa-index-lesson"]))
        questions = sorted(by_lesson[docname], key=lambda i: domain.number_of(i.node_id) or ())
        result.append(nodes.bullet_list("", *(_entry(app, domain, fromdocname, i)
                                              for i in questions), classes=["qa-index"]))
    return result


def _lesson_order(app: Sphinx, docname: str) -> tuple:
    return (app.env.toc_secnumbers.get(docname, {}).get("", (10**9,)), docname)


def _entry(app: Sphinx, domain: QADomain, fromdocname: str, item: Item) -> nodes.list_item:
    caption = domain.caption_of(item.node_id)
    link = make_refnode(app.builder, fromdocname, item.docname, item.node_id,
                        nodes.inline(caption, caption), caption)
    paragraph = nodes.paragraph("", "", link, nodes.Text(" " + item.title))
    return nodes.list_item("", paragraph)
