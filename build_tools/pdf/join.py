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

Handouts are sliced from a written part the same way (:func:`slice_pages`): the lesson's pages,
its bookmarks and destinations; links to pages outside it are dropped, their text stays.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from .document import OUTSIDE_SCHEME


def join_parts(parts: list[Path], target: Path) -> None:
    """Write ``parts``, in order, as one PDF ``target``."""
    writer = PdfWriter()
    readers = [PdfReader(part) for part in parts]
    for reader in readers:
        writer.append(reader, import_outline=True)
    _copy_document_level(readers[0], writer)
    _links_between_parts(writer)
    _write(writer, target, b"".join(part.read_bytes() for part in parts))


def slice_pages(reader: PdfReader, pages: range, target: Path, title: str) -> None:
    """Write ``pages`` of ``reader`` as ``target``, titled ``title``: a lesson's handout."""
    for index in pages:
        _own_resources(reader.pages[index])
    writer = PdfWriter()
    writer.append(reader, pages=(pages.start, pages.stop), import_outline=True)
    _copy_document_level(reader, writer, title)
    inside = set(writer.named_destinations)
    for page in writer.pages:
        kept = [reference for reference in page.get("/Annots", [])
                if _leads_inside(reference.get_object(), inside)]
        if "/Annots" in page:
            page[NameObject("/Annots")] = ArrayObject(kept)
    _write(writer, target, f"{title}\0{pages}".encode() + _identifier(reader))


def _write(writer: PdfWriter, target: Path, made_from: bytes) -> None:
    """Write ``target`` with a file identifier digested from what it was made from."""
    set_file_identifier(writer, hashlib.sha256(made_from).digest()[:16])
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as stream:
        writer.write(stream)


def set_file_identifier(writer: PdfWriter, digest: bytes) -> None:
    """The file identifier the writer will write: pypdf sets one from the clock and has no
    public way to choose it, so this is the one place that writes its private ``_ID`` (a test
    reads the identifier back, and fails when pypdf changes)."""
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])


_USED = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+(?:Do\b|[-\d.]+\s+Tf\b)")


def _own_resources(page) -> None:
    """Give the page resources naming only the images and fonts it draws with.

    WeasyPrint gives all pages one resource dictionary: a handout copied with it would carry
    every image of the book. (Fonts stay subsets of the whole part: one cannot cut them.)
    """
    shared = page.get("/Resources")
    if shared is None or "/XObject" not in shared:
        return
    shared = shared.get_object()
    contents = page.get_contents()
    used = set() if contents is None else {
        b"/" + name for name in _USED.findall(contents.get_data())}
    own = DictionaryObject(shared)
    for kind in ("/XObject", "/Font"):
        if kind not in shared:
            continue
        entries = shared[kind].get_object()
        if any(entries[name].get_object().get("/Subtype") == "/Form"
               for name in entries if name.encode() in used):
            continue  # a form draws with names of its own: keep all
        own[NameObject(kind)] = DictionaryObject(
            {name: value for name, value in entries.items() if name.encode() in used})
    page[NameObject("/Resources")] = own


def _leads_inside(annotation, inside: set[str]) -> bool:
    if "/Dest" in annotation:
        return str(annotation["/Dest"]) in inside
    return _other_part(annotation) is None


def _other_part(annotation) -> str | None:
    """The id a ``pdfdest:<id>`` link leads to in another part of the book, else None."""
    action = annotation.get("/A")
    uri = action.get_object().get("/URI", "") if action is not None else ""
    return uri.removeprefix(OUTSIDE_SCHEME) if (
        isinstance(uri, str) and uri.startswith(OUTSIDE_SCHEME)) else None


def _identifier(reader: PdfReader) -> bytes:
    found = reader.trailer.get("/ID")
    if not found:
        return b""
    first = found[0]
    return bytes(first.original_bytes) if hasattr(first, "original_bytes") else bytes(first)


def _copy_document_level(first: PdfReader, writer: PdfWriter, title: str | None = None,
                         ) -> None:
    info = dict(first.metadata or {})
    if title:
        info["/Title"] = title
    if info:
        writer.add_metadata(info)
    root = first.trailer["/Root"]
    for key in ("/Lang", "/ViewerPreferences", "/PageMode"):
        if key in root:
            writer.root_object[NameObject(key)] = root[key].clone(writer)


def _links_between_parts(writer: PdfWriter) -> None:
    for page in writer.pages:
        for reference in page.get("/Annots", []):
            annotation = reference.get_object()
            if (target := _other_part(annotation)) is not None:
                del annotation[NameObject("/A")]
                annotation[NameObject("/Dest")] = TextStringObject(target)
