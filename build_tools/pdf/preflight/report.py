"""The preflight as ``check`` prints it: a table of the pages' measures, a summary, and each
failure as a located line (``book.pdf:9: ERROR: page 9 (printed 3): … [pdf.empty_page]``,
the line being the page of the PDF).

A 500-page book must stay readable: the table has a row for each page that fails a rule (every
page with ``every_page``), the summary counts the failures by rule.
"""

from __future__ import annotations

from collections import Counter

from ...diagnostics import Diagnostic, Severity
from ...model import Location
from . import Preflight
from .rules import Figures, Finding

_HEADER = ("page", "printed", "role", "empty", "head/expected", "outside", "overlaps", "ppi",
           "fails")


def table(result: Preflight, every_page: bool = False) -> str:
    """One row a page: its measures and the rules it fails; only failing pages unless
    ``every_page``. Empty when no row is to be shown."""
    failed: dict[int, list[str]] = {}
    for finding in result.findings:
        failed.setdefault(finding.page, []).append(finding.kind.code)
    rows = [_row(figures, failed.get(figures.page, [])) for figures in result.figures
            if every_page or figures.page in failed]
    if not rows:
        return ""
    rows.insert(0, _HEADER)
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths,
                                                                          strict=True)).rstrip()
                     for row in rows)


def _row(figures: Figures, fails: list[str]) -> tuple[str, ...]:
    ppi = "" if figures.ppi is None else f"{figures.ppi:.0f}"
    return (str(figures.page), figures.folio, figures.role.value, f"{figures.empty:.0%}",
            figures.head, str(figures.outside), str(figures.overlaps), ppi,
            ",".join(sorted(set(fails))))


def summary(result: Preflight) -> str:
    """``preflight: 41 pages, 2 failures on 2 pages: pdf.empty_page 1, …`` or all passed."""
    pages = len(result.pages)
    if not result.findings:
        return f"preflight: {pages} pages, every rule passed"
    counts = Counter(finding.kind.code for finding in result.findings)
    failing = len({finding.page for finding in result.findings})
    by_rule = ", ".join(f"{code} {count}" for code, count in sorted(counts.items()))
    return (f"preflight: {pages} pages, {len(result.findings)} failure(s) on {failing} "
            f"page(s): {by_rule}")


def diagnostics(result: Preflight) -> list[Diagnostic]:
    """Each failure as an error located at its page of the PDF."""
    return [_diagnostic(result, finding) for finding in result.findings]


def _diagnostic(result: Preflight, finding: Finding) -> Diagnostic:
    printed = f" (printed {finding.folio})" if finding.folio else ""
    return Diagnostic(finding.kind, Location(str(result.pdf), finding.page),
                      f"page {finding.page}{printed}: {finding.message}", Severity.ERROR)
