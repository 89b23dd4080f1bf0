"""The book laid out in parts on several cores: the plan, the page numbers the parts agree on,
failures in a forked part, and the joined book against the same book laid out as one."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from build_tools.pdf import render_pdf
from build_tools.pdf.document import LessonStart, PrintDocument, Section
from build_tools.pdf.parts import PartResult, Report, agree, plan_parts, run_parts

from .test_pdf_book import (
    monkeypatch_module,  # noqa: F401
    out,  # noqa: F401  (the multi-lesson test book, built once)
)


def _source(sizes: list[int], back: bool = True) -> PrintDocument:
    sections = [Section(f"l{i:02d}", "x" * size, frozenset({f"l{i:02d}"}))
                for i, size in enumerate(sizes, 1)]
    if back:
        sections.append(Section("qa-index", "y" * 50, frozenset({"qa-index"})))
    lessons = [LessonStart(s.id, f"第{i}课") for i, s in enumerate(sections[:len(sizes)], 1)]
    return PrintDocument(None, "", [], "", sections, lessons, "qa-index" if back else None)


def test_parts_are_runs_of_lessons_of_about_equal_length_with_the_back_matter_last():
    parts = plan_parts(_source([100, 100, 100, 100, 400]), 2)
    assert [[s.id for s in p.sections] for p in parts] == [
        ["l01", "l02", "l03", "l04"], ["l05", "qa-index"]]
    assert [p.first for p in parts] == [True, False] and [p.last for p in parts] == [False, True]
    assert [lesson.label for lesson in parts[1].lessons] == ["l05"]


def test_never_more_parts_than_lessons():
    assert len(plan_parts(_source([100]), 2)) == 1
    assert len(plan_parts(_source([10, 10, 10]), 8)) == 3
    assert [s.id for s in plan_parts(_source([], back=True), 2)[0].sections] == ["qa-index"]


def test_each_part_starts_where_the_one_before_ends_and_anchors_get_book_page_numbers():
    replies = agree([Report(12, {"l01": "1", "l02-q03": "9", "toc": "iii"}),
                     Report(8, {"l03": "1", "l03-e01-sol": "7"})])
    assert [reply.offset for reply in replies] == [1, 13]
    assert replies[1].labels == {"l01": "1", "l02-q03": "9", "toc": "iii", "l03": "13",
                                    "l03-e01-sol": "19"}


def _parts(count: int):
    return plan_parts(_source([100] * count, back=False), count)


def test_work_in_every_part_sees_the_agreed_numbers():
    def work(part, exchange):
        reply = exchange(Report(2 + part.index, {part.sections[0].id: "1"}))
        # The process id rides along as the page count: each part reports where it ran.
        return PartResult(os.getpid(), [f"{part.index}:{reply.offset}:{reply.labels['l03']}"])
    results = run_parts(_parts(3), work)
    assert [r.problems for r in results] == [["0:1:6"], ["1:3:6"], ["2:6:6"]]
    assert len({r.pages for r in results}) == 3, "each part in its own process"


@pytest.mark.parametrize("failing", [0, 1])
def test_a_part_that_fails_fails_the_build_without_hanging(failing: int):
    def work(part, exchange):
        if part.index == failing:
            raise ValueError("版面出错")
        exchange(Report(2, {}))
        return PartResult(2)
    with pytest.raises((RuntimeError, ValueError), match=r"版面出错|could not be laid out"):
        run_parts(_parts(2), work)


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, encoding="utf-8", check=True).stdout
    return text.split("\f")[:-1]


def test_the_book_in_two_parts_is_the_book_laid_out_as_one(out: Path, tmp_path: Path):  # noqa: F811
    single = out / "print" / "print.json"
    one = render_pdf(single, tmp_path / "one", [single.parent], workers=1)
    two = render_pdf(single, tmp_path / "two", [single.parent], workers=2)
    assert one.pages == two.pages > 8
    assert _page_texts(one.pdf) == _page_texts(two.pdf), "same words, pages and numbers"
    joined = PdfReader(two.pdf)
    names = set(joined.named_destinations)
    links = [annotation.get_object() for page in joined.pages
             for annotation in page.get("/Annots", [])]
    assert all("/A" not in link or not str(link["/A"].get("/URI", "")).startswith("pdfdest:")
               for link in links), "links between parts lead to their destinations"
    assert {str(link["/Dest"]) for link in links if "/Dest" in link} <= names
    assert [item.title if not isinstance(item, list) else "…" for item in joined.outline] == [
        item.title if not isinstance(item, list) else "…"
        for item in PdfReader(one.pdf).outline]
    assert joined.trailer["/Root"]["/Lang"] == "zh-CN"
    assert not (tmp_path / "two" / ".parts").exists()


def test_the_fork_helper_carries_typed_messages_and_a_childs_failure():
    from build_tools.diagnostics import Diagnostic, Kind
    from build_tools.model import Location
    from build_tools.pdf.forks import Failure, fork
    from build_tools.pdf.parallel import run_tasks

    found = Diagnostic(Kind.PDF_IMAGE, Location("a.png"), "image not printed")
    child = fork(lambda channel: [found, channel.receive()])
    child.channel.send(Report(3, {"l01": "1"}))
    assert child.finish("stopped") == [found, Report(3, {"l01": "1"})]
    assert fork(lambda channel: 1 / 0).finish("stopped") == Failure(
        "ZeroDivisionError: division by zero")
    assert run_tasks([lambda: [found], lambda: [found]]) == [found, found]
    with pytest.raises(RuntimeError, match="版面出错"):
        run_tasks([lambda: [], lambda: (_ for _ in ()).throw(ValueError("版面出错"))])


def test_a_joined_file_is_identified_by_a_digest_of_its_parts(tmp_path: Path):
    """join.set_file_identifier is the one use of pypdf's private _ID: if pypdf renames it,
    the identifier read back is no longer ours and this fails."""
    import hashlib

    from pypdf import PdfWriter

    from build_tools.pdf.join import _write

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    _write(writer, tmp_path / "a.pdf", b"parts")
    identifier = PdfReader(tmp_path / "a.pdf").trailer["/ID"]
    digest = hashlib.sha256(b"parts").digest()[:16]
    assert [bytes(part.original_bytes) for part in identifier] == [digest, digest]
