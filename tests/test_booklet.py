"""Booklets: A5 pages imposed two-up on A4 landscape sheets for saddle stitching.

The page order is checked on the imposed PDF itself: each half of each sheet side is read back
with ``pdftotext`` (cropped to the half) and must show the page number drawn on that page.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from build_tools.cli import bare_booklet_as_flag, build_parser
from build_tools.pdf.booklet import booklet_order, impose, padded_count

A5 = (419.53, 595.28)


def numbered_pdf(path: Path, pages: int) -> Path:
    """A PDF of ``pages`` A5 pages, each showing its number (``P1``, ``P2``…) in Helvetica."""
    writer = PdfWriter()
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    for number in range(1, pages + 1):
        page = PageObject.create_blank_page(width=A5[0], height=A5[1])
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 40 Tf 150 300 Td (P{number}) Tj ET".encode("ascii"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/F1"): writer._add_object(font)})})
        writer.add_page(page)
    with path.open("wb") as stream:
        writer.write(stream)
    return path


def half_text(pdf: Path, side: int, half: int) -> str:
    """The words on the left (0) or right (1) half of sheet side ``side`` (1-based)."""
    width = 842 // 2  # points, at -r 72
    found = subprocess.run(
        ["pdftotext", "-r", "72", "-f", str(side), "-l", str(side), "-x", str(half * width),
         "-y", "0", "-W", str(width), "-H", "595", str(pdf), "-"],
        capture_output=True, text=True, encoding="utf-8", check=True).stdout
    return found.strip()


@pytest.mark.parametrize(("pages", "expected"), [
    (4, [(3, 0), (1, 2)]),
    (8, [(7, 0), (1, 6), (5, 2), (3, 4)]),
    (12, [(11, 0), (1, 10), (9, 2), (3, 8), (7, 4), (5, 6)]),
])
def test_order_of_4_8_and_12_pages(pages: int, expected: list[tuple[int, int]]) -> None:
    assert booklet_order(pages) == expected


def test_padding_to_a_multiple_of_four() -> None:
    assert [padded_count(n) for n in (1, 4, 5, 8, 9, 13)] == [4, 4, 8, 8, 12, 16]
    # 5 pages: 8 in the booklet; the last three halves blank.
    assert booklet_order(5) == [(None, 0), (1, None), (None, 2), (3, 4)]


@pytest.mark.parametrize("pages", [4, 8, 12, 6])
def test_imposed_pdf_reads_back_in_booklet_order(tmp_path: Path, pages: int) -> None:
    source = numbered_pdf(tmp_path / "a5.pdf", pages)
    target = tmp_path / "booklet" / "l01.pdf"
    assert impose(source, target) == padded_count(pages) // 2
    reader = PdfReader(target)
    assert len(reader.pages) * 2 == padded_count(pages)
    for page in reader.pages:  # A4 landscape
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            842, 595)
    shown = [[half_text(target, side, half) for half in (0, 1)]
             for side in range(1, len(reader.pages) + 1)]
    expected = [[f"P{index + 1}" if index is not None else "" for index in side]
                for side in booklet_order(pages)]
    assert shown == expected
    # Page 1 and the last page face each other on the first sheet's front.
    assert shown[0] == [f"P{pages}" if pages % 4 == 0 else "", "P1"]


@pytest.mark.parametrize("argv, target, booklet", [
    (["build", "--booklet", "handouts"], "handouts", "handouts"),
    (["build", "handouts", "--booklet"], "handouts", "handouts"),
    (["build", "--booklet=all", "pdf"], "pdf", "all"),
    (["build", "all", "--booklet", "--paper", "A5"], "all", "handouts"),
])
def test_abare_booklet_as_flag_flag_leaves_the_target_alone(argv, target, booklet) -> None:
    args = build_parser().parse_args(bare_booklet_as_flag(argv))
    assert (args.target, args.booklet) == (target, booklet)
