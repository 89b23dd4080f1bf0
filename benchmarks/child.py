"""What the benchmark runs in its child processes: one Sphinx builder, or the PDF stage in phases.

    python benchmarks/child.py sphinx BUILDER BOOK OUT DOCTREES [KEY=VALUE ...]
    python benchmarks/child.py pdf SINGLEHTML_DIR ROOT BOOK OUT_DIR REPORT.json [--handouts]

``sphinx`` calls the project's own :func:`build_tools.sphinx_run.run_sphinx` (the command the
CLI runs). ``pdf`` does what :func:`build_tools.pdf.render.render_pdf` and
:func:`~build_tools.pdf.render.write_lesson_handouts` do, with the same internals, in phases —
the print document, WeasyPrint's layout, ``write_pdf``, the glyph check, the handouts — and
writes each phase's wall and CPU seconds and peak memory to ``REPORT.json``. The layout must
stay in memory for the write and the handouts, so the phases share one process: each phase's
peak is measured by resetting the kernel's high-water mark (``/proc/self/clear_refs``) before
it. Read-only use of ``build_tools``: should its internals move, the stage is measured whole
(``render_pdf``) and the report says so.
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

    @contextmanager
    def phase(self, name: str):
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
    single = Path(single_dir) / "index.html"
    allowed = [Path(single_dir), Path(root), Path(book)]
    out, handouts = Path(out_dir), "--handouts" in flags
    phases = Phases()
    with phases.phase("import"):
        from build_tools.pdf import render
    try:
        result = _split(render, single, allowed, out, handouts, phases)
        split = True
    except (AttributeError, ImportError, TypeError) as error:  # internals moved
        print(f"pdf: measured whole, the phases are not available: {error!r}", file=sys.stderr)
        result = _whole(render, single, allowed, out, handouts, phases)
        split = False
    pages = len(result["document"].pages)
    problems = result["problems"]
    Path(report).write_text(json.dumps({
        "split": split, "pages": pages, "handout_pages": result.get("handout_pages"),
        "lessons": result.get("lessons"), "problems": len(problems),
        "phases": phases.report, "peak_rss_mb": round(resource.getrusage(
            resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }, indent=2), encoding="utf-8")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 0


def _split(render, single: Path, allowed: list[Path], out: Path, handouts: bool,
           phases: Phases) -> dict:
    """render_pdf's body, phase by phase (keep in step with build_tools/pdf/render.py)."""
    options = render.PdfOptions()
    image_problems: list[str] = []
    with phases.phase("print_document"):
        fit = render._image_fitter(single.parent, options.page, image_problems)
        source = render.print_document(single.read_text(encoding="utf-8"), fit)
    target = out / "pdf" / f"{source.info.basename}.pdf"
    with render.weasyprint_problems(target) as problems:
        with phases.phase("layout"):
            fetcher = render.ConfinedFetcher(allowed, virtual_root=single.parent)
            html = render.HTML(string=source.html, base_url=render.VIRTUAL_BASE + single.name,
                               url_fetcher=fetcher)
            stylesheets = [render.CSS(string=render.page_css(options.page)),
                           render.CSS(filename=str(render.PRINT_CSS))]
            document = html.render(stylesheets=stylesheets, dpi=render.PRINT_PPI)
        with phases.phase("write"):
            target.parent.mkdir(parents=True, exist_ok=True)
            document.write_pdf(target, **render.pdf_options(options))
    with phases.phase("glyphs"):
        tofu = render._tofu(source, target)
    result = render.PdfResult(target, document, source, image_problems + problems + tofu)
    found = {"document": document, "problems": result.problems, "lessons": len(source.lessons)}
    if handouts:
        with phases.phase("handouts"):
            found["problems"] += _handouts(render, result, out / "handouts", options)
        found["handout_pages"] = _handout_pages(render, result)
    return found


def _handouts(render, result, out_dir: Path, options) -> list[str]:
    """The handouts from the book's layout; their problems (the function's name has moved)."""
    if hasattr(render, "_handout_writers"):  # since handouts are written on two cores
        tasks, _, problems = render._handout_writers(result, out_dir, options)
        return problems + render.run_tasks(tasks, workers=min(2, os.cpu_count() or 1))
    write = getattr(render, "write_lesson_handouts", None) or render._write_lesson_handouts
    returned = write(result, out_dir, options)
    # (written files, problems) since the render cache; a list of problems before it
    return list(returned[1] if isinstance(returned, tuple) else returned)


def _whole(render, single: Path, allowed: list[Path], out: Path, handouts: bool,
           phases: Phases) -> dict:
    with phases.phase("render_pdf"):
        result = render.render_pdf(single, out / "pdf", allowed=allowed)
    found = {"document": result.document, "problems": result.problems}
    if handouts:
        with phases.phase("handouts"):
            found["problems"] += _handouts(render, result, out / "handouts",
                                           render.PdfOptions())
    return found


def _handout_pages(render, result) -> int | None:
    try:
        lessons = [(x.label, x.label, x.title) for x in result.source.lessons]
        ranges = render.lesson_ranges(result.document, lessons, result.source.back_matter)
    except (AttributeError, ValueError):
        return None
    return sum(len(handout.pages) for handout in ranges)


def main(argv: list[str]) -> int:
    commands = {"sphinx": sphinx, "pdf": pdf}
    if not argv or argv[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[0]](*argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
