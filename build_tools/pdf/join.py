"""The book's parts, each written by its own process, joined into one PDF.

WeasyPrint's laid-out pages cannot leave the process that made them, so parts laid out on
other cores come back as PDF files. Joining keeps what one document would have had:

- **Links between parts**: a part cannot point at an anchor it does not hold (WeasyPrint drops
  the link and logs an error), so such links were written ``pdfdest:<id>`` (an outside link
  to WeasyPrint). Here they become links to the named destination ``<id>``, which the joined
  file holds, as each part's destinations are merged.
- **Bookmarks**: each part's outline, in order.
- **The document's language, title, author and dates**, from the first part.
- **Reproducible bytes**: the file identifier is a digest of the parts, not of the clock.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

from .document import OUTSIDE_SCHEME


def join_parts(parts: list[Path], target: Path) -> None:
    """Write ``parts``, in order, as one PDF ``target``."""
    writer = PdfWriter()
    readers = [PdfReader(part) for part in parts]
    for reader in readers:
        writer.append(reader, import_outline=True)
    _copy_document_level(readers[0], writer)
    _links_between_parts(writer)
    digest = hashlib.sha256(b"".join(part.read_bytes() for part in parts)).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as stream:
        writer.write(stream)


def _copy_document_level(first: PdfReader, writer: PdfWriter) -> None:
    if first.metadata:
        writer.add_metadata({key: value for key, value in first.metadata.items()})
    root = first.trailer["/Root"]
    for key in ("/Lang", "/ViewerPreferences", "/PageMode"):
        if key in root:
            writer._root_object[NameObject(key)] = root[key].clone(writer) if hasattr(
                root[key], "clone") else root[key]


def _links_between_parts(writer: PdfWriter) -> None:
    for page in writer.pages:
        for reference in page.get("/Annots", []):
            annotation = reference.get_object()
            action = annotation.get("/A")
            uri = action.get_object().get("/URI", "") if action is not None else ""
            if isinstance(uri, str) and uri.startswith(OUTSIDE_SCHEME):
                del annotation[NameObject("/A")]
                annotation[NameObject("/Dest")] = TextStringObject(
                    uri.removeprefix(OUTSIDE_SCHEME))
