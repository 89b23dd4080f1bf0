"""Numbers by lesson: 问题 2.4 is lesson 2's question 4, 图 2.1 its first figure.

Sphinx numbers a numbered toctree's documents by position (the seed, the book's only lesson, is
"1") and counts enumerable nodes within them. We let it, then rewrite the numbers: a lesson's
documents take the lesson's own number (front matter ``lesson-number``), questions and exercises
the number their note gives, answers their question's, solutions their exercise's; figures keep
Sphinx's order, counted from 1 in each lesson.

Sphinx compares the numbers it assigns with the previous build's to decide which pages to
write again; so that an unchanged book is not rewritten every time, Sphinx's own numbers are
put back before it assigns new ones (``env-before-read-docs``) and ours applied after
(``env-get-updated``), which reports the pages whose numbers really changed.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..diagnostics import Kind
from ..numbering import own_numbers, printed_numbers
from .domain import Item, QADomain

logger = logging.getLogger(__name__)

LESSON_KEY = "lesson-number"
_OWN_NUMBER_KINDS = ("question", "exercise")


def restore_sphinx_numbers(app, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: hand Sphinx back the numbers it made, for its comparison."""
    secnumbers, fignumbers = _domain(env).data["sphinx_numbers"]
    if secnumbers or fignumbers:
        env.toc_secnumbers, env.toc_fignumbers = secnumbers, fignumbers


def apply_lesson_numbers(app, env: BuildEnvironment) -> list[str]:
    """``env-get-updated`` (after Sphinx numbered): rewrite; return pages whose numbers changed."""
    domain = _domain(env)
    domain.data["sphinx_numbers"] = (env.toc_secnumbers, env.toc_fignumbers)
    lessons = lesson_numbers(env)
    secnumbers = {doc: _renumber_sections(nums, lessons.get(doc))
                  for doc, nums in env.toc_secnumbers.items()}
    fignumbers = {doc: _renumber_figures(domain, doc, nums, lessons.get(doc))
                  for doc, nums in env.toc_fignumbers.items()}
    old_sec, old_fig = domain.data["our_numbers"]
    changed = [doc for doc in set(secnumbers) | set(fignumbers) | set(old_sec) | set(old_fig)
               if (secnumbers.get(doc), fignumbers.get(doc)) != (old_sec.get(doc),
                                                                 old_fig.get(doc))]
    env.toc_secnumbers, env.toc_fignumbers = secnumbers, fignumbers
    domain.data["our_numbers"] = (secnumbers, fignumbers)
    _renumber_tocs(env)
    return changed


def _renumber_tocs(env: BuildEnvironment) -> None:
    """Sphinx also wrote each number into the menus' nodes and the page titles."""
    for docname, numbers in env.toc_secnumbers.items():
        title = env.titles.get(docname)
        if title is not None and title.get("secnumber") and numbers.get(""):
            title["secnumber"] = list(numbers[""])
        for reference in env.tocs[docname].findall(nodes.reference):
            anchor = reference.get("anchorname")
            if "secnumber" in reference and anchor in numbers:
                reference["secnumber"] = list(numbers[anchor])


def lesson_numbers(env: BuildEnvironment) -> dict[str, int | str]:
    """Each numbered document's lesson number: its own if given once, else after the highest
    (build_tools.numbering.printed_numbers, the rule the writer follows too).

    Documents are taken in toctree order (Sphinx's section numbers), so fallbacks are stable.
    """
    ordered = sorted(env.toc_secnumbers, key=lambda d: env.toc_secnumbers[d].get("", ()))
    numbered = [doc for doc in ordered
                if _declared(env, doc) or env.toc_secnumbers[doc].get("")]
    declared = [_declared(env, doc) for doc in numbered]
    for docname, number, before in zip(numbered, declared, range(len(declared)), strict=True):
        if number and number in declared[:before]:
            logger.warning("lesson number %s is used by another lesson too; numbered after the "
                           "last lesson", number, **Kind.QA_LESSON_NUMBER.sphinx,
                           location=docname)
    return {doc: int(number) if number.isdigit() else number
            for doc, number in zip(numbered, printed_numbers(declared), strict=True)}


def _declared(env: BuildEnvironment, docname: str) -> str:
    """The front matter's number: "2", or "2a" for a lesson's companion; "" for none."""
    value = str(env.metadata.get(docname, {}).get(LESSON_KEY, "")).strip()
    return value if re.fullmatch(r"\d+[a-z]?", value) else ""


def _renumber_sections(numbers: dict[str, tuple[int, ...]], lesson: int | str | None) -> dict:
    if lesson is None:
        return numbers
    return {anchor: (lesson, *nums[1:]) if nums else nums for anchor, nums in numbers.items()}


def _renumber_figures(domain: QADomain, docname: str, numbers: dict,
                      lesson: int | str | None) -> dict:
    if lesson is None:
        return numbers
    renumbered = {}
    for figtype, by_id in numbers.items():
        in_order = sorted(by_id, key=lambda node_id: by_id[node_id])
        renumbered[figtype] = {node_id: (lesson, n) for n, node_id in enumerate(in_order, 1)}
    for kind in _OWN_NUMBER_KINDS:
        if kind in renumbered:
            renumbered[kind] = _own_numbers(domain.items_of(docname, kind), lesson)
    for kind, parent_kind in (("answer", "question"), ("solution", "exercise")):
        if kind in renumbered:
            renumbered[kind] = _parent_numbers(domain, docname, kind,
                                               renumbered.get(parent_kind, {}), lesson)
    return renumbered


def _own_numbers(items: list[Item], lesson: int | str) -> dict[str, tuple]:
    """The note's numbers; an unnumbered item takes the one after the highest so far (the
    rule of build_tools.numbering, which check uses too)."""
    given = [".".join(map(str, item.hint)) if item.hint else "" for item in items]
    return {item.node_id: (lesson, *(int(p) for p in own.split(".")))
            for item, own in zip(items, own_numbers(given), strict=True)}


def _parent_numbers(domain: QADomain, docname: str, kind: str, parents: dict,
                    lesson: int | str) -> dict[str, tuple]:
    """An answer is numbered as its question (a second one 2.4.2), a solution as its exercise."""
    numbers, seen = {}, {}
    for item in domain.items_of(docname, kind):
        parent_number = parents.get(item.parent or "")
        if parent_number is None:
            count = seen[None] = seen.get(None, 0) + 1
            numbers[item.node_id] = (lesson, count)
            continue
        count = seen[item.parent] = seen.get(item.parent, 0) + 1
        numbers[item.node_id] = parent_number if count == 1 else (*parent_number, count)
    return numbers


def _domain(env: BuildEnvironment) -> QADomain:
    return env.get_domain("qa")
