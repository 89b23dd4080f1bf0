"""Pages that show what other pages hold are written again when that changes.

Sphinx writes again the pages it read again. But every page's navigation shows every lesson's
title, and the Q&A index shows every question's: a title changed in one lesson left them old
on the other pages, however often the book was built. So the titles and items of the documents
about to be read are noted (``env-before-read-docs``) and compared once they are read
(``env-get-updated``): a changed lesson title outdates every page, a changed, added or removed
question outdates the pages holding a Q&A index.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .domain import QADomain


def note_before_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: the titles and items of the documents about to be read."""
    domain = _domain(env)
    domain.data["before_reading"] = {
        docname: (_title(env, docname), _items(domain, docname)) for docname in docnames}


def outdated_by_others(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: pages whose content comes from documents that changed."""
    domain = _domain(env)
    before = domain.data.pop("before_reading", {})
    titles = any(_title(env, d) != old_title for d, (old_title, _) in before.items())
    items = any(_items(domain, d) != old_items for d, (_, old_items) in before.items())
    if titles:
        return sorted(env.found_docs)
    if items:
        return sorted(domain.data.setdefault("index_pages", set()) & env.found_docs)
    return []


def _title(env: BuildEnvironment, docname: str) -> str:
    title = env.titles.get(docname)
    return title.astext() if title is not None else ""


def _items(domain: QADomain, docname: str) -> list[tuple]:
    return [(item.kind, item.title, item.hint) for item in domain.items_of(docname)]


def _domain(env: BuildEnvironment) -> QADomain:
    return env.get_domain("qa")  # type: ignore[return-value]
