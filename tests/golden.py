"""Golden files of the printed books: what a reader of the PDF sees, page by page.

For each page: its text and the number printed in its foot; the bookmarks with the page each
leads to; every link with the words it covers and where it leads. A change to how the PDF is
made (a builder instead of scraping, page numbers written another way) must leave these as
they were; a change to the layout itself (print.css) changes them on purpose.

Regenerate them, after a deliberate change of the layout, with one command::

    REGEN_GOLDEN=1 python -m pytest -q tests/test_pdf_seed.py tests/test_pdf_book.py -k golden

and commit ``tests/golden/*.json`` with the change that explains the difference.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from pypdf import PdfReader

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = "REGEN_GOLDEN"
# The cover prints the day of the build (SOURCE_DATE_EPOCH when set): not a fact of the layout.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def pdf_facts(pdf: Path) -> dict:
    """What the golden file holds for ``pdf``: pages, bookmarks, links."""
    reader = PdfReader(pdf)
    index_of = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    texts, layouts, words = _texts(pdf), _texts(pdf, "-layout"), _words(pdf)
    pages = [{"label": printed_number(layout), "text": _lines(text)}
             for text, layout in zip(texts, layouts, strict=True)]
    dests = {name: index_of.get(dest.page.idnum) for name, dest in
             reader.named_destinations.items()}
    for number, page in enumerate(reader.pages):
        pages[number]["links"] = [_link(annotation.get_object(), page, words[number], dests)
                                  for annotation in page.get("/Annots", [])
                                  if annotation.get_object().get("/Subtype") == "/Link"]
    return {"pages": pages, "bookmarks": _outline(reader, reader.outline, index_of)}


def check_golden(name: str, facts: dict) -> None:
    """Assert ``facts`` equal ``tests/golden/<name>.json``; with ``REGEN_GOLDEN=1``, write it."""
    path = GOLDEN / f"{name}.json"
    text = json.dumps(facts, ensure_ascii=False, indent=1) + "\n"
    if os.environ.get(REGENERATE):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path}: run with {REGENERATE}=1 once"
    expected = json.loads(path.read_text(encoding="utf-8"))
    for number, (got, want) in enumerate(zip(facts["pages"], expected["pages"], strict=False)):
        assert got == want, f"{name}: page {number + 1} differs from {path.name}"
    assert len(facts["pages"]) == len(expected["pages"]), f"{name}: page count"
    assert facts["bookmarks"] == expected["bookmarks"], f"{name}: bookmarks"


def printed_number(page: str) -> str:
    """The page number printed in the page's foot ("" on blank and cover pages), from the
    ``pdftotext -layout`` text of the page."""
    lines = [line.strip() for line in page.strip().splitlines() if line.strip()]
    last = lines[-1].split() if lines else []
    return last[-1] if last and re.fullmatch(r"[0-9ivxlc]+", last[-1]) else ""


def _texts(pdf: Path, *options: str) -> list[str]:
    text = subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, encoding="utf-8", check=True).stdout
    return text.split("\f")[:-1]


def _lines(text: str) -> list[str]:
    return [_DATE.sub("YYYY-MM-DD", line.strip()) for line in text.splitlines() if line.strip()]


def _words(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Each page's words with their centres (x from the left, y from the top)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, encoding="utf-8", check=True).stdout
    return [[((float(a) + float(c)) / 2, (float(b) + float(d)) / 2, w)
             for a, b, c, d, w in re.findall(
                 r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
                 page)]
            for page in xml.split("<page ")[1:]]


def _link(annotation, page, words: list[tuple[float, float, str]], dests: dict) -> dict:
    height = float(page.mediabox.height)
    xa, ya, xb, yb = (float(v) for v in annotation["/Rect"])
    (x1, x2), (y1, y2) = sorted((xa, xb)), sorted((ya, yb))
    covered = "".join(w for (wx, wy, w) in words
                      if x1 - 1 <= wx <= x2 + 1 and y1 - 1 <= height - wy <= y2 + 1)
    if "/Dest" in annotation:
        name = str(annotation["/Dest"])
        return {"words": covered, "dest": name, "page": dests.get(name)}
    action = annotation.get("/A")
    uri = str(action.get_object().get("/URI", "")) if action is not None else ""
    return {"words": covered, "uri": uri}


def _outline(reader: PdfReader, items: list, index_of: dict[int, int]) -> list:
    """Bookmarks as ``[title, page index, [children]]``, nested as in the PDF."""
    found: list = []
    for item in items:
        if isinstance(item, list):
            found[-1][2] = _outline(reader, item, index_of)
        else:
            page = reader.get_destination_page_number(item)
            found.append([item.title, page, []])
    return found
