"""The build benchmark: a generated course built stage by stage, against sphinx-simplepdf.

    python benchmarks/bench.py --lessons 40 [--seed 1] [--out _build/bench] [--no-peer]
                               [--repeat 2] [--quick]

For each number of lessons (``--lessons 10 40 200`` runs three sizes):

1. ``corpus.py`` writes the course (``OUT/corpus-N``: notes and figures).
2. **Stages**, each in a child process of its own, each from nothing (its own doctrees):
   ``convert`` (the CLI), ``html``, ``epub``, ``print`` (the project's ``run_sphinx``;
   every Sphinx stage reads all sources), then the PDF stage of the ``print`` builder's output in
   one child, phase by phase (``child.py pdf``): ``PDF layout`` (print document + WeasyPrint's
   layout), ``PDF write`` (``write_pdf`` + the glyph check), ``handouts``. Wall seconds by
   ``time.perf_counter``; CPU seconds and peak memory from ``os.wait4`` (the child and every
   process it waited for); in the PDF child, per phase (see ``child.py``).
3. **Ours against the peer**, alternated (A B A B …, ``--repeat`` pairs), medians: ``build
   pdf`` from nothing (the CLI: convert, single page, layout, write) against ``sphinx-build -b
   simplepdf`` on the same MyST (``peer.py``; its own venv in ``OUT/peer-venv``).
4. **Rebuilds** with the CLI: ``build all`` from nothing, then again with nothing changed;
   ``build html`` from nothing, then again after one answer of one note was edited.

Prints a table and writes ``OUT/results-N.json`` and ``OUT/results.json`` (the last size run,
with time per page across every size measured so far). Goals are reported, never asserted.
``--quick`` measures the stages only (no peer, no rebuilds): the smoke test's mode.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import peer  # noqa: E402

from build_tools.book_config import resolve_config  # noqa: E402
from build_tools.sphinx_project import assemble  # noqa: E402

GOALS = {  # ratio: the most it should be
    "pdf_vs_peer": 0.75,
    "noop_rebuild_fraction": 0.10,
    "one_note_edit_html_fraction": 0.25,
    "handouts_extra_fraction": 0.10,
}
PDF_PEAK_GOAL_MB, PDF_PEAK_GOAL_LESSONS = 600, 40
PER_PAGE_GOAL = 1.3  # seconds per page at the largest size / at the smallest
STAGES = ("convert", "html", "epub", "print", "pdf_layout", "pdf_write", "handouts")
EDIT_LINE = "补充：这一句是基准测试加的，整本书只改了这一个回答。"


@dataclass
class Measurement:
    """One child process: wall and CPU seconds, peak RSS, exit code, and where its log is."""

    wall: float
    cpu: float
    peak_rss_mb: float
    returncode: int
    log: str
    pages: int | None = None

    def row(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


def measure(command: list[str], log: Path, env: dict | None = None) -> Measurement:
    """Run ``command`` to its end; its output goes to ``log``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   cwd=REPO)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        print(f"bench: {' '.join(command[:6])} … exit {process.returncode}, see {log}",
              file=sys.stderr)
    return Measurement(round(wall, 3), round(usage.ru_utime + usage.ru_stime, 3),
                       round(usage.ru_maxrss / 1024, 1), process.returncode, str(log))


# --- Places ---------------------------------------------------------------------------------


@dataclass
class Run:
    """The folders of one size's run under OUT."""

    out: Path
    lessons: int
    seed: int

    @property
    def corpus(self) -> Path:
        return self.out / f"corpus-{self.lessons}"

    @property
    def work(self) -> Path:
        return self.out / f"run-{self.lessons}"

    def book(self, name: str) -> Path:
        """A fresh Sphinx project of this repository's book, as a build assembles it, without
        its lessons (BOOK/lessons is generated into it)."""
        book = self.work / f"book-{name}"
        shutil.rmtree(book, ignore_errors=True)
        assemble(resolve_config(REPO / "book.toml", {}, REPO), book)
        return book

    def fresh(self, *paths: Path) -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)


def python() -> str:
    return sys.executable


# This repository's book: its title, and book/ (its conf.py) for the Sphinx project.
BOOK_TOML = ("--config", REPO / "book.toml")


def cli(*args: str | Path) -> list[str]:
    return [python(), "-m", "build_tools", *map(str, args)]


def child(*args: str | Path) -> list[str]:
    return [python(), str(HERE / "child.py"), *map(str, args)]


# --- The corpus -----------------------------------------------------------------------------


def make_corpus(run: Run) -> dict:
    """Write the course unless the same one (size, seed, generator) is already there."""
    stamp = run.corpus / "corpus.json"
    key = hashlib.sha256(Path(corpus.__file__).read_bytes()).hexdigest()[:16]
    wanted = {"lessons": run.lessons, "seed": run.seed, "generator": key}
    if not (stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")) == wanted):
        corpus.write_corpus(run.lessons, run.seed, run.corpus)
        stamp.write_text(json.dumps(wanted), encoding="utf-8")
    notes = list((run.corpus / "notes").rglob("*.md"))
    figures = list((run.corpus / "resource").glob("*.png"))
    return {**wanted, "notes_kb": round(sum(p.stat().st_size for p in notes) / 1024),
            "figures": len(figures),
            "figures_kb": round(sum(p.stat().st_size for p in figures) / 1024)}


# --- 2. Stages ------------------------------------------------------------------------------


def stages(run: Run) -> tuple[dict[str, Measurement], dict]:
    """Each stage from nothing, each in its own child; the PDF stage's phases from child.py."""
    book, work = run.book("stages"), run.work / "stages"
    run.fresh(work)
    logs, found = work / "logs", {}
    notes = ("--notes", run.corpus / "notes", "--root", run.corpus)
    print("bench: convert", file=sys.stderr)
    found["convert"] = measure(cli("convert", *notes, "--out", book / "lessons"),
                               logs / "convert.log")
    for builder, overrides in (("html", ()), ("epub", ()), ("print", ("html_theme=basic",))):
        print(f"bench: {builder}", file=sys.stderr)
        found[builder] = measure(child("sphinx", builder, book, work / builder,
                                       work / f"doctrees-{builder}", *overrides),
                                 logs / f"{builder}.log")
    print("bench: PDF layout, write, handouts", file=sys.stderr)
    report = work / "pdf-phases.json"
    whole = measure(child("pdf", work / "print", run.corpus, book, work, report,
                          "--handouts"), logs / "pdf.log")
    detail = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {}
    found.update(_pdf_rows(detail, whole))
    return found, {"pdf_child": whole.row(), **detail}


def _pdf_rows(detail: dict, whole: Measurement) -> dict[str, Measurement]:
    """PDF layout = print document + layout (of every part, at once); PDF write = write +
    join + glyph check; handouts = the PDF stage with handouts less the stage without."""
    phases = detail.get("phases", {})
    groups = {"pdf_layout": ("print_document", "layout"), "pdf_write": ("write", "join", "glyphs")}
    rows = {}
    for row, names in groups.items():
        parts = [phases[n] for n in names if n in phases]
        if not parts:
            continue
        # Memory: this process's peak (the first part's); the other parts' is in the summary.
        rows[row] = Measurement(round(sum(p["wall"] for p in parts), 3),
                                round(sum(p["cpu"] for p in parts), 3),
                                max(p["peak_rss_mb"] for p in parts), whole.returncode,
                                whole.log, detail.get("pages"))
    if "handouts" in detail:
        rows["handouts"] = Measurement(detail["handouts"]["wall"], detail["handouts"]["cpu"],
                                       None, whole.returncode, whole.log,
                                       detail.get("handout_pages"))
    return rows


# --- 3. Ours against the peer ---------------------------------------------------------------


def ours_vs_peer(run: Run, repeat: int, myst: Path) -> dict:
    """``build pdf`` from nothing (A) and sphinx-simplepdf from nothing (B), alternated."""
    venv = peer.ensure_venv(run.out / "peer-venv")
    peer_book = peer.make_book(run.work / "peer" / "book", myst, run.book("peer-project"))
    out = run.work / "ours"
    ours_runs, peer_runs = [], []
    for n in range(repeat):
        print(f"bench: build pdf (ours), run {n + 1} of {repeat}", file=sys.stderr)
        run.fresh(out)
        mine = measure(cli("build", "pdf", *BOOK_TOML, "--notes", run.corpus / "notes",
                           "--root", run.corpus, "--out", out),
                       run.work / "logs" / f"ours-{n + 1}.log")
        mine.pages = count_pages(next(iter(sorted((out / "pdf").glob("*.pdf"))), None))
        ours_runs.append(mine)
        print(f"bench: sphinx-simplepdf (peer), run {n + 1} of {repeat}", file=sys.stderr)
        theirs_out = run.work / "peer" / "out"
        run.fresh(theirs_out, run.work / "peer" / "doctrees")
        theirs = measure(peer.command(venv, peer_book, theirs_out, run.work / "peer" / "doctrees"),
                         run.work / "logs" / f"peer-{n + 1}.log", env=peer.environment(venv))
        theirs.pages = count_pages(next(iter(sorted(theirs_out.glob("*.pdf"))), None))
        peer_runs.append(theirs)
    return {"ours": [m.row() for m in ours_runs], "peer": [m.row() for m in peer_runs],
            "peer_versions": peer.versions(venv),
            "peer_warnings": peer.warnings(Path(peer_runs[-1].log))}


# --- 4. Rebuilds ----------------------------------------------------------------------------


def rebuilds(run: Run) -> dict:
    notes = (*BOOK_TOML, "--notes", run.corpus / "notes", "--root", run.corpus)
    found = {}
    out = run.work / "all"
    run.fresh(out)
    for name in ("all_cold", "all_noop"):
        print(f"bench: build all ({name})", file=sys.stderr)
        found[name] = measure(cli("build", "all", *notes, "--out", out),
                              run.work / "logs" / f"{name}.log")
    out = run.work / "html"
    run.fresh(out)
    print("bench: build html (html_cold)", file=sys.stderr)
    found["html_cold"] = measure(cli("build", "html", *notes, "--out", out),
                                 run.work / "logs" / "html_cold.log")
    note, before = edit_one_answer(run.corpus / "notes", run.lessons)
    try:
        print(f"bench: build html after editing {note.name} (html_one_edit)", file=sys.stderr)
        found["html_one_edit"] = measure(cli("build", "html", *notes, "--out", out),
                                         run.work / "logs" / "html_one_edit.log")
    finally:
        note.write_bytes(before)
    return {name: m.row() for name, m in found.items()} | {"edited_note": str(note)}


def edit_one_answer(notes: Path, lessons: int) -> tuple[Path, bytes]:
    """Add a line to the first text answer of the middle lesson (or the next one that has one).

    Returns the note and its bytes before, to put back.
    """
    middle = (lessons + 1) // 2
    for number in [*range(middle, lessons + 1), *range(1, middle)]:
        for path in notes.rglob(f"笔记{number}-*.md"):
            before = path.read_bytes()
            lines = before.split(b"\n")
            in_qa = False
            for i, line in enumerate(lines):
                text = line.decode("utf-8", "replace").lstrip("\ufeff")
                in_qa = in_qa or (text.startswith("### ") and "问答" in text)
                if in_qa and text.startswith("```text"):
                    ending = b"\r" if line.endswith(b"\r") else b""
                    lines.insert(i + 1, EDIT_LINE.encode("utf-8") + ending)
                    path.write_bytes(b"\n".join(lines))
                    return path, before
    raise RuntimeError(f"no text answer to edit in {notes}")


# --- Pages ----------------------------------------------------------------------------------


def count_pages(pdf: Path | None) -> int | None:
    if pdf is None or not pdf.is_file():
        return None
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              encoding="utf-8", errors="replace").stdout
        for line in info.splitlines():
            if line.startswith("Pages:"):
                return int(line.split()[1])
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(str(pdf)).pages)


# --- Results --------------------------------------------------------------------------------


def median(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return round(statistics.median(values), 3) if values else None


def summarise(run: Run, info: dict, table: dict[str, Measurement], pdf_detail: dict,
              versus: dict | None, rebuilt: dict | None, load: tuple) -> dict:
    seconds = {name: m.wall for name, m in table.items()}
    pages = pdf_detail.get("pages")
    book_pdf = sum(seconds.get(s, 0.0) for s in ("convert", "print", "pdf_layout",
                                                   "pdf_write"))
    peak = {name: m.peak_rss_mb for name, m in table.items()}
    # The parts are laid out and written at the same time, each in its own process: the PDF
    # step's peak is this process's plus the largest other part's (an upper bound: pages
    # shared after the fork count twice); the largest single process is reported beside it.
    own = max(peak.get("pdf_layout") or 0, peak.get("pdf_write") or 0)
    others = pdf_detail.get("children_peak_rss_mb") or 0
    peak["pdf"] = round(own + others, 1) or None
    peak["pdf_largest_process"] = max(own, others) or None
    ratios: dict[str, float | None] = {}
    if seconds.get("handouts") is not None and book_pdf:
        ratios["handouts_extra_fraction"] = round(seconds["handouts"] / book_pdf, 3)
    comparison = None
    if versus:
        ours, theirs = median(versus["ours"], "wall"), median(versus["peer"], "wall")
        ratios["pdf_vs_peer"] = round(ours / theirs, 3) if ours and theirs else None
        ratios["pdf_vs_peer_cpu"] = _ratio(median(versus["ours"], "cpu"),
                                           median(versus["peer"], "cpu"))
        peak["pdf_build"] = max(r["peak_rss_mb"] for r in versus["ours"])
        peak["peer_pdf"] = max(r["peak_rss_mb"] for r in versus["peer"])
        comparison = {"ours_wall_median": ours, "peer_wall_median": theirs,
                      "ours_pages": versus["ours"][-1].get("pages"),
                      "peer_pages": versus["peer"][-1].get("pages"), **versus}
    if rebuilt:
        ratios["noop_rebuild_fraction"] = _ratio(rebuilt["all_noop"]["wall"],
                                                 rebuilt["all_cold"]["wall"])
        ratios["one_note_edit_html_fraction"] = _ratio(rebuilt["html_one_edit"]["wall"],
                                                       rebuilt["html_cold"]["wall"])
    return {
        "lessons": run.lessons, "seed": run.seed, "corpus": info, "pages": pages,
        "seconds": seconds, "cpu_seconds": {n: m.cpu for n, m in table.items()},
        "peak_rss_mb": peak, "stages": {n: m.row() for n, m in table.items()},
        "pdf_phases": pdf_detail.get("phases", {}), "pdf_parts": pdf_detail.get("parts"),
        "book_pdf_seconds": round(book_pdf, 3),
        "seconds_per_page": round(book_pdf / pages, 4) if pages else None,
        "layout_write_seconds_per_page": round(
            (seconds.get("pdf_layout", 0) + seconds.get("pdf_write", 0)) / pages, 4)
        if pages else None,
        "ratios": ratios, "goals": GOALS, "comparison": comparison, "rebuilds": rebuilt,
        "commit": _commit(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_before": load[0], "load_after": load[1], "versions": _versions()},
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def _commit() -> str | None:
    """The project's commit, and whether build_tools had changes on top (they move the key)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, check=True,
                              capture_output=True, text=True, encoding="utf-8").stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "build_tools", "book"], cwd=REPO,
                               capture_output=True, text=True, encoding="utf-8").stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+changes" if dirty else "")


def _versions() -> dict[str, str]:
    found = {}
    for package in ("sphinx", "myst-parser", "weasyprint", "sphinx-book-theme", "pydyf"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return found


def scaling(out: Path) -> dict:
    """Seconds per page at every size measured so far (results-*.json under ``out``)."""
    per_page = {}
    for path in out.glob("results-*.json"):
        result = json.loads(path.read_text(encoding="utf-8"))
        if result.get("seconds_per_page"):
            per_page[result["lessons"]] = result["seconds_per_page"]
    sizes = sorted(per_page)
    found = {"seconds_per_page": {str(n): per_page[n] for n in sizes}}
    if len(sizes) > 1:
        found["largest_vs_smallest"] = round(per_page[sizes[-1]] / per_page[sizes[0]], 3)
        found["sizes"] = [sizes[0], sizes[-1]]
    return found


# --- Printing -------------------------------------------------------------------------------

_NAMES = {"convert": "convert", "html": "html", "epub": "epub", "print": "print",
          "pdf_layout": "PDF layout", "pdf_write": "PDF write", "handouts": "handouts"}


def print_table(result: dict) -> None:
    c = result["corpus"]
    print(f"\n{result['lessons']} lessons (seed {result['seed']}): {c['notes_kb']} KB of notes, "
          f"{c['figures']} figures ({c['figures_kb']} KB), {result['pages']} pages")
    print(f"{'stage':<38}{'wall s':>9}{'cpu s':>9}{'peak MB':>9}{'pages':>7}")
    for name, row in result["stages"].items():
        _line(_NAMES.get(name, name), row)
    for name, phase in result["pdf_phases"].items():
        if name != "import":
            _line(f"  · {name}", phase)
    _line("book PDF (convert…PDF write)", {"wall": result["book_pdf_seconds"]})
    if result["comparison"]:
        comp = result["comparison"]
        n = len(comp["ours"])
        _line(f"build pdf, ours (median of {n})",
              {"wall": comp["ours_wall_median"], "cpu": median(comp["ours"], "cpu"),
               "peak_rss_mb": result["peak_rss_mb"]["pdf_build"], "pages": comp["ours_pages"]})
        _line(f"sphinx-simplepdf, peer (median of {n})",
              {"wall": comp["peer_wall_median"], "cpu": median(comp["peer"], "cpu"),
               "peak_rss_mb": result["peak_rss_mb"]["peer_pdf"], "pages": comp["peer_pages"]})
    for name, row in (result["rebuilds"] or {}).items():
        if isinstance(row, dict):
            _line(f"build {name.replace('_', ' ')}", row)
    print(f"\n{'ratio':<38}{'value':>9}{'goal':>9}")
    for name, goal in GOALS.items():
        value = result["ratios"].get(name)
        verdict = "" if value is None else ("met" if value <= goal else "NOT MET")
        print(f"{name:<38}{_fmt(value):>9}{'≤ ' + str(goal):>9}  {verdict}")
        if name == "pdf_vs_peer" and result["ratios"].get("pdf_vs_peer_cpu") is not None:
            print(f"{'  (CPU seconds)':<38}{_fmt(result['ratios']['pdf_vs_peer_cpu']):>9}")
    pdf_peak = result["peak_rss_mb"].get("pdf")
    verdict = "met" if pdf_peak and pdf_peak <= PDF_PEAK_GOAL_MB else "NOT MET"
    print(f"{'PDF peak memory, MB (all parts)':<38}{_fmt(pdf_peak):>9}"
          f"{'≤ ' + str(PDF_PEAK_GOAL_MB):>9}  "
          f"{verdict if result['lessons'] == PDF_PEAK_GOAL_LESSONS else '(goal at 40 lessons)'}")
    print(f"{'  (largest single process)':<38}"
          f"{_fmt(result['peak_rss_mb'].get('pdf_largest_process')):>9}")
    scale = result.get("scaling", {})
    if "largest_vs_smallest" in scale:
        value = scale["largest_vs_smallest"]
        print(f"{'s/page, {} vs {} lessons'.format(*reversed(scale['sizes'])):<38}"
              f"{_fmt(value):>9}{'≤ ' + str(PER_PAGE_GOAL):>9}  "
              f"{'met' if value <= PER_PAGE_GOAL else 'NOT MET'}")
    print(f"seconds per page: {scale.get('seconds_per_page')}")


def _line(label: str, row: dict) -> None:
    print(f"{label:<38}{_fmt(row.get('wall')):>9}{_fmt(row.get('cpu')):>9}"
          f"{_fmt(row.get('peak_rss_mb'), 0):>9}{_fmt(row.get('pages'), 0):>7}")


def _fmt(value, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


# --- Main -----------------------------------------------------------------------------------


def bench(run: Run, peer_wanted: bool, repeat: int, quick: bool) -> dict:
    load_before = os.getloadavg()[0]
    info = make_corpus(run)
    print(f"bench: {run.lessons} lessons in {run.corpus}", file=sys.stderr)
    table, pdf_detail = stages(run)
    versus = None
    if peer_wanted and not quick:
        versus = ours_vs_peer(run, repeat, run.work / "book-stages" / "lessons")
    rebuilt = None if quick else rebuilds(run)
    result = summarise(run, info, table, pdf_detail, versus, rebuilt,
                       (round(load_before, 2), round(os.getloadavg()[0], 2)))
    failed = [n for n, m in table.items() if m.returncode]
    result["failed"] = failed
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lessons", type=int, nargs="+", default=[40],
                        help="course sizes to measure, e.g. 10 40 200 (default 40)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REPO / "_build" / "bench")
    parser.add_argument("--no-peer", action="store_true",
                        help="skip sphinx-simplepdf (no virtual environment is made)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="pairs of alternated runs, ours and the peer's (default 2)")
    parser.add_argument("--quick", action="store_true",
                        help="the stage table only: no peer, no rebuilds")
    args = parser.parse_args(argv)
    if min(args.lessons) < 1 or args.repeat < 1:
        parser.error("--lessons and --repeat must be at least 1")
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    code = 0
    for lessons in args.lessons:
        result = bench(Run(args.out, lessons, args.seed), not args.no_peer, args.repeat,
                       args.quick)
        (args.out / f"results-{lessons}.json").write_text(
            json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
        result["scaling"] = scaling(args.out)
        (args.out / "results.json").write_text(json.dumps(result, indent=2, ensure_ascii=False),
                                               encoding="utf-8")
        print_table(result)
        code = max(code, 1 if result["failed"] else 0)
    print(f"\nresults: {args.out / 'results.json'}")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
