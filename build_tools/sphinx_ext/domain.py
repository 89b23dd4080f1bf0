"""The ``qa`` domain: every question, answer, exercise and solution of the book, across documents.

Directives record items here while documents are read; numbering, cross-references, the Q&A
index and the search index read them back. The data is pickled with the environment, so an
incremental build knows the items of documents it did not read again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar, NamedTuple

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode


class Item(NamedTuple):
    """One numbered thing, as a directive recorded it."""

    kind: str  # question, answer, exercise, solution
    docname: str
    node_id: str
    title: str
    hint: tuple[int, ...] | None  # the number the note gives, e.g. (4,) or (2, 1)
    parent: str | None  # an answer's question, a solution's exercise (node ids)


class QADomain(Domain):
    """Questions and answers, exercises and solutions."""

    name = "qa"
    label = "问答"
    object_types: ClassVar[dict[str, ObjType]] = {
        "question": ObjType("问题", "ref"),
        "answer": ObjType("答", "ref"),
        "exercise": ObjType("练习", "ref"),
        "solution": ObjType("答案", "ref"),
    }
    roles: ClassVar[dict[str, XRefRole]] = {"ref": XRefRole()}
    initial_data: ClassVar[dict[str, Any]] = {
        "items": {},  # node id → Item, in reading order per document
        # Numbers as Sphinx assigned them and as we rewrote them (see numbering.py).
        "sphinx_numbers": ({}, {}),
        "our_numbers": ({}, {}),
        "index_pages": set(),  # documents holding a Q&A index (outdated.py)
    }
    data_version = 1

    @property
    def items(self) -> dict[str, Item]:
        return self.data["items"]

    def note_item(self, item: Item) -> None:
        self.items[item.node_id] = item

    def items_of(self, docname: str, kind: str | None = None) -> list[Item]:
        return [i for i in self.items.values()
                if i.docname == docname and (kind is None or i.kind == kind)]

    def number_of(self, node_id: str) -> tuple[int, ...] | None:
        item = self.items.get(node_id)
        if item is None:
            return None
        return self.env.toc_fignumbers.get(item.docname, {}).get(item.kind, {}).get(node_id)

    def caption_of(self, node_id: str) -> str:
        """``问题 2.4``: the item's number in its ``numfig_format``, or its title if unnumbered."""
        item = self.items[node_id]
        number = self.number_of(node_id)
        if number is None:
            return item.title
        return self.env.config.numfig_format[item.kind] % ".".join(map(str, number))

    # --- Environment bookkeeping ----------------------------------------------------------

    def clear_doc(self, docname: str) -> None:
        for node_id in [k for k, i in self.items.items() if i.docname == docname]:
            del self.items[node_id]
        self.data.setdefault("index_pages", set()).discard(docname)

    def merge_domaindata(self, docnames: set[str], otherdata: dict[str, Any]) -> None:
        for node_id, item in otherdata["items"].items():
            if item.docname in docnames:
                self.items[node_id] = item
        self.data.setdefault("index_pages", set()).update(
            d for d in otherdata.get("index_pages", ()) if d in docnames)

    # --- Cross-references -----------------------------------------------------------------

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder,
                     typ: str, target: str, node: pending_xref, contnode: nodes.Element,
                     ) -> nodes.reference | None:
        if target not in self.items:
            return None
        if not node.get("refexplicit"):
            contnode = nodes.inline(self.caption_of(target), self.caption_of(target))
        item = self.items[target]
        return make_refnode(builder, fromdocname, item.docname, target, contnode,
                            self.caption_of(target))

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder,
                         target: str, node: pending_xref, contnode: nodes.Element,
                         ) -> list[tuple[str, nodes.reference]]:
        # A named item is also a standard label, which already answers MyST's `[](#label)`;
        # answering too would make the link ambiguous. Only ids without a label are ours.
        std = env.get_domain("std")
        if target in std.labels or target in std.anonlabels:
            return []
        found = self.resolve_xref(env, fromdocname, builder, "ref", target, node, contnode)
        return [("qa:ref", found)] if found is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """Questions and exercises for the search page: a title typed in the box finds them."""
        for node_id, item in self.items.items():
            if item.kind in ("question", "exercise"):
                shown = f"{self.caption_of(node_id)} {item.title}"
                # A name equal to the anchor would make Sphinx drop the anchor and rebuild it
                # from the shown text; "qa." keeps them apart.
                yield f"qa.{node_id}", shown, item.kind, item.docname, node_id, 1
