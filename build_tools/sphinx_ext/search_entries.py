"""Index entries of pages not written again, kept in the search index.

Sphinx 8.2 keeps a page's index entries (a glossary term's, for instance) only while it writes
that page: an incremental build loads the rest of the search index from the last
``searchindex.js`` but not its ``indexentries``, so every page not written again lost its
entries from the search page. Before the index is dumped, the entries of those pages are taken
back from the last ``searchindex.js``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sphinx.application import Sphinx

_INDEX = re.compile(r"^Search\.setIndex\((.*)\)\s*$", re.DOTALL)


def keep_old_entries(app: Sphinx, *args) -> list:
    """``html-collect-pages`` (after every page is written, before the index is dumped)."""
    if not getattr(app.builder, "indexer", None):
        return []
    entries = app.env._search_index_index_entries  # the indexer's own dict, by reference
    for docname, old in last_entries(Path(app.outdir) / "searchindex.js").items():
        if docname in app.env.found_docs and docname not in entries:
            entries[docname] = old
    return []


def last_entries(searchindex: Path) -> dict[str, list[tuple[str, str, str]]]:
    """The index entries of the last build's search index, by page."""
    try:
        data = json.loads(_INDEX.match(searchindex.read_text(encoding="utf-8")).group(1))
    except (OSError, AttributeError, ValueError):
        return {}
    docnames = data.get("docnames", [])
    found: dict[str, list[tuple[str, str, str]]] = {}
    for entry, places in data.get("indexentries", {}).items():
        for index, target, main in places:
            if 0 <= index < len(docnames):
                found.setdefault(docnames[index], []).append(
                    (entry, target, "main" if main else ""))
    return {docname: sorted(values) for docname, values in found.items()}
