"""The ``check`` command: after a build, the lesson × format table and the print preflight's,
printed; each loss and each failing page on stderr. What is checked is :mod:`.check`'s and
:mod:`.pdf.preflight`'s; this module only prints it and says the exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .diagnostics import Reporter
from .editions import STUDENT_FOLDER, Edition
from .notes_parser import parse_book
from .print_manifest import MANIFEST

EXIT_OK, EXIT_PROBLEMS = 0, 1


def check(notes: Path | tuple[Path, ...], root: Path, out: Path, intro: bool = True,
          every_page: bool = False, editions: tuple[Edition, ...] = (Edition.TEACHER,)) -> int:
    """Print the lesson × format table and the print preflight's, for each edition; each loss
    (in the student edition, also each answer's words found) and each page failing a rule on
    stderr; exit 1 when anything was lost or leaked, or a page fails."""
    from .check import UnreadableOutput, check_book, table  # only loaded when asked

    # The build showed the warnings; the output folder is never a note.
    book = parse_book(notes, root, Reporter(), intro=intro, skip=(out,))
    code = EXIT_OK
    for edition in editions:
        built = out if edition is Edition.TEACHER else out / STUDENT_FOLDER
        try:
            reports = check_book(book, built, edition)
        except UnreadableOutput as error:
            print(f"{error} (build again)", file=sys.stderr)
            return EXIT_PROBLEMS
        print(table(reports))
        losses = [loss for report in reports for loss in report.losses]
        for loss in losses:
            print(loss, file=sys.stderr)
        which = "check" if edition is Edition.TEACHER else f"check {edition.value}"
        print(f"{which}: {'nothing lost' if not losses else f'{len(losses)} losses'}",
              file=sys.stderr)
        printed_well = preflight(built, every_page)
        code = max(code, EXIT_PROBLEMS if losses or not printed_well else EXIT_OK)
    return code


def preflight(out: Path, every_page: bool = False) -> bool:
    """The print preflight of the book's PDF in ``out``: the table of its pages on stdout, each
    failure and a summary on stderr. Whether every page passed (True when there is no PDF:
    the word check has said so)."""
    from .pdf.preflight import UnknownPaper, UnreadablePdf, print_order_sources
    from .pdf.preflight import preflight as judge_pages
    from .pdf.preflight.report import diagnostics, summary, table

    pdf = next(iter(sorted((out / "pdf").glob("*.pdf"))), None)
    if pdf is None:
        return True
    manifest = out / "print" / MANIFEST
    try:
        result = judge_pages(pdf, print_order_sources(manifest) if manifest.is_file() else None)
    except (UnreadablePdf, UnknownPaper) as error:
        print(f"{pdf}: ERROR: the preflight cannot read it: {error}", file=sys.stderr)
        return False
    if shown := table(result, every_page):
        print(f"\n{shown}")
    for diagnostic in diagnostics(result):
        print(diagnostic, file=sys.stderr)
    print(summary(result), file=sys.stderr)
    return not result.findings
