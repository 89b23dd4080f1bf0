"""What the benchmark runs in its child processes: one Sphinx builder, or the PDF stage in phases.

    python benchmarks/child.py sphinx BUILDER BOOK OUT DOCTREES [KEY=VALUE ...]
    python benchmarks/child.py pdf PRINT_DIR ROOT BOOK OUT_DIR REPORT.json [--handouts]

``sphinx`` calls the project's own :func:`build_tools.sphinx_run.run_sphinx` (the command the
CLI runs). ``pdf`` calls :func:`build_tools.pdf.render.render_pdf` (what ``build pdf`` runs)
with a ``phase`` hook: the print document, the layout (this process lays out the first part of
the book; the others are laid out at the same time in forked processes), the write, the join,
the glyph check — each phase's wall and CPU seconds and peak memory go to ``REPORT.json``. Each
phase's peak is this process's, measured by resetting the kernel's high-water mark
(``/proc/self/clear_refs``) before it; the forked parts' largest peak is reported beside it.
With ``--handouts`` the stage runs again, with the handouts, into another folder: the
handouts' extra time is the difference.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # build_tools from the checkout


def sphinx(builder: str, book: str, out: str, doctrees: str, *overrides: str) -> int:
    from build_tools.sphinx_run import run_sphinx

    values = dict(item.split("=", 1) for item in overrides)
    result = run_sphinx(builder, Path(book), Path(out), Path(doctrees), False, values or None)
    sys.stderr.write(result.stderr)
    return result.returncode


# --- Phases of the PDF stage ----------------------------------------------------------------


class Phases:
    """Wall, CPU and peak RSS of named phases of this process."""

    def __init__(self) -> None:
        self.report: dict[str, dict] = {}
        self.pid = os.getpid()

    @contextmanager
    def phase(self, name: str):
        if os.getpid() != self.pid:  # a forked part of the PDF: its times are not ours
            yield
            return
        _reset_peak()
        before_cpu, before = _cpu(), time.perf_counter()
        yield
        self.report[name] = {
            "wall": round(time.perf_counter() - before, 3),
            "cpu": round(_cpu() - before_cpu, 3),
            "peak_rss_mb": _peak_mb(),
            "rss_after_mb": _status_mb("VmRSS"),
        }


def _cpu() -> float:
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):  # fc-list for the glyph check
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")  # VmHWM := VmRSS
    except OSError:
        pass  # not Linux: every phase reports the process's peak so far


def _status_mb(field: str) -> float | None:
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def _peak_mb() -> float:
    peak = _status_mb("VmHWM")
    return peak if peak is not None else round(resource.getrusage(
        resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def pdf(single_dir: str, root: str, book: str, out_dir: str, report: str,
        *flags: str) -> int:
    """The PDF stage through :func:`render_pdf` itself, timed by its own phases; then again
    with the handouts, into another folder: their extra time is the difference."""
    single = Path(single_dir) / "print.json"  # the print builder's manifest
    allowed = [Path(single_dir), Path(root), Path(book)]
    out = Path(out_dir)
    phases = Phases()
    with phases.phase("import"):
        from build_tools.pdf.render import render_pdf
    before = time.perf_counter(), _cpu()
    result = render_pdf(single, out / "pdf", allowed, phase=phases.phase)
    book_only = _since(before)
    found = {"pages": result.pages, "parts": result.parts, "problems": len(result.problems),
             "phases": phases.report, "book_pdf": book_only, "peak_rss_mb": _peak_mb(),
             "children_peak_rss_mb": _children_peak_mb()}
    if "--handouts" in flags:
        before = time.perf_counter(), _cpu()
        with_handouts = render_pdf(single, out / "pdf-with-handouts", allowed,
                                   handouts_dir=out / "handouts")
        both = _since(before)
        found["book_and_handouts"] = both
        found["handouts"] = {"wall": round(both["wall"] - book_only["wall"], 3),
                             "cpu": round(both["cpu"] - book_only["cpu"], 3)}
        found["handout_pages"] = _pages(sorted((out / "handouts").glob("*.pdf")))
        found["problems"] += len(with_handouts.problems)
    Path(report).write_text(json.dumps(found, indent=2), encoding="utf-8")
    for problem in result.problems:
        print(problem, file=sys.stderr)
    return 0


def _since(before: tuple[float, float]) -> dict:
    return {"wall": round(time.perf_counter() - before[0], 3),
            "cpu": round(_cpu() - before[1], 3)}


def _children_peak_mb() -> float:
    """The largest peak of this process's children (the parts laid out on other cores)."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def _pages(pdfs: list[Path]) -> int:
    from pypdf import PdfReader  # a dependency of the PDF step (it joins the parts)

    return sum(len(PdfReader(pdf).pages) for pdf in pdfs)


def main(argv: list[str]) -> int:
    commands = {"sphinx": sphinx, "pdf": pdf}
    if not argv or argv[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[0]](*argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
