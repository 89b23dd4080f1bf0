"""The command line: ``python -m build_tools convert --notes DIR --root DIR --out DIR``.

Exit codes: 0 converted; 1 converted with problems under ``--strict``, or an error (a note that
could not be read, no notes at all); 2 usage error. Messages go to stderr, one line each, located.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Reporter, Severity, without_suppressed
from .lock import Busy, exclusive
from .myst_writer import write_book
from .notes_parser import find_notes, parse_book
from .notes_parser.cache import ParseCache
from .pdf.page import PAPERS, PDF_VARIANTS, PageOptions, PdfOptions
from .print_manifest import MANIFEST
from .sourcemap import SourceMap
from .sphinx_run import run_sphinx

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m build_tools",
                                     description="Turn course notes into a book.")
    commands = parser.add_subparsers(dest="command", required=True)
    convert = commands.add_parser("convert", help="notes → MyST sources and their images")
    convert.add_argument("--notes", type=Path, required=True, help="folder of .md notes")
    convert.add_argument("--root", type=Path, required=True,
                         help="the book's root: no file outside it is read")
    convert.add_argument("--out", type=Path, required=True, help="folder for the MyST sources")
    convert.add_argument("--strict", action="store_true", help="exit 1 on any warning")
    convert.add_argument("--suppress", action="append", default=[], metavar="TYPE",
                         help="hide warnings of this type, e.g. notes.number_gap (repeatable)")
    build = commands.add_parser("build", help="convert, then build the book")
    build.add_argument("target", choices=["html", "epub", "pdf", "handouts", "all"],
                       help="what to build; handouts = the PDF and one PDF a lesson; "
                            "all = epub, pdf and handouts, then the site offering them")
    for option in ("--notes", "--root", "--out"):
        build.add_argument(option, type=Path, required=True)
    build.add_argument("--book", type=Path, default=Path("book"),
                       help="the Sphinx project (conf.py); lessons are generated into BOOK/lessons")
    build.add_argument("--strict", action="store_true", help="exit 1 on any warning")
    build.add_argument("--suppress", action="append", default=[], metavar="TYPE")
    build.add_argument("--paper", choices=PAPERS, default="A4", help="PDF paper size")
    build.add_argument("--bleed", default="", metavar="LENGTH",
                       help="bleed with crop marks for a print shop, e.g. 3mm")
    build.add_argument("--pdf-variant", choices=PDF_VARIANTS, default=None,
                       help="e.g. pdf/ua-1: a tagged, accessible PDF")
    check = commands.add_parser("check", help="after a build: is every word in every format?")
    for option in ("--notes", "--root", "--out"):
        check.add_argument(option, type=Path, required=True)
    for command in (convert, build, check):
        command.add_argument("--no-intro", dest="intro", action="store_false",
                             help="read the notes folder's index.md/README.md as a lesson, "
                                  "not as the book's introduction")
        command.add_argument("--no-wait", dest="wait", action="store_false",
                             help="fail at once if another build is writing the same folder, "
                                  "instead of waiting for it")
    return parser


@dataclass(frozen=True)
class BuildRequest:
    """What ``build`` was asked for, once the arguments are checked."""

    book: Path
    root: Path
    out: Path
    strict: bool
    suppress: frozenset[str]
    pdf: PdfOptions
    # Messages printed so far: one problem reported by three builders is printed once.
    seen: set[str] = field(default_factory=set, compare=False)


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for folder in (args.notes, args.root):
        if not folder.is_dir():
            print(f"{folder}: ERROR: not a folder", file=sys.stderr)
            return EXIT_USAGE
    try:
        with exclusive(_written_folders(args), args.wait,
                       lambda message: print(message, file=sys.stderr)):
            return _command(args)
    except Busy as busy:
        print(f"{busy}: ERROR: not waiting (--no-wait)", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as error:  # a read-only folder, a full disk: where, and what the system said
        where = error.filename or args.out
        print(f"{where}: ERROR: {error.strerror or error}", file=sys.stderr)
        return EXIT_PROBLEMS


def _written_folders(args: argparse.Namespace) -> list[Path]:
    """The folders a command writes (or, for check, reads whole): one build at a time each."""
    if args.command == "build":
        return [args.out, args.book]
    return [args.out]


def _command(args: argparse.Namespace) -> int:
    suppress = frozenset(getattr(args, "suppress", ()))
    if args.command == "convert":
        return convert(args.notes, args.root, args.out, args.strict, suppress, args.intro)
    if args.command == "check":
        return check(args.notes, args.root, args.out, args.intro)
    try:
        pdf = PdfOptions(PageOptions(args.paper, args.bleed), args.pdf_variant)
    except ValueError as error:
        print(f"build: ERROR: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not has_notes(args.notes):
        return EXIT_PROBLEMS
    # A note that cannot be read is skipped (and fails the exit code), not the whole book.
    code = convert(args.notes, args.root, args.book / "lessons", args.strict, suppress,
                   args.intro, skip=(args.book, args.out))
    request = BuildRequest(args.book, args.root, args.out, args.strict, suppress, pdf)
    return max(code, build(args.target, request))


def build(target: str, request: BuildRequest) -> int:
    out = request.out
    if target in ("html", "epub"):
        return _sphinx(target, request, out / target)
    if target in ("pdf", "handouts"):
        return build_pdf(request, handouts=target == "handouts")
    codes = [_sphinx("epub", request, out / "epub"), build_pdf(request, handouts=True)]
    # The site offers whatever of the two was built.
    downloads = [*sorted((out / "epub").glob("*.epub")), *sorted((out / "pdf").glob("*.pdf"))]
    existing = ",".join(str(p.resolve()) for p in downloads if p.is_file())
    codes.append(_sphinx("html", request, out / "html",
                         {"qa_downloads": existing} if existing else None))
    return max(codes)


def build_pdf(request: BuildRequest, handouts: bool = False) -> int:
    """The print builder's output (plain theme, its manifest) → WeasyPrint → PDF."""
    from .pdf.progress import progress_display  # WeasyPrint loads only when a PDF is made
    from .pdf.render import render_pdf

    single = request.out / "print"
    code = _sphinx("print", request, single, {"html_theme": "basic"})
    if code != EXIT_OK:
        return code
    with progress_display():
        try:
            result = render_pdf(single / MANIFEST, request.out / "pdf",
                                allowed=[single, request.root, request.book],
                                options=request.pdf,
                                handouts_dir=request.out / "handouts" if handouts else None)
            problems = result.problems
        except Exception as error:  # WeasyPrint's own failure: one line, not a traceback
            print(f"{request.out / 'pdf'}: ERROR: the PDF could not be made: {error}",
                  file=sys.stderr)
            return EXIT_PROBLEMS
    # The same rule as the notes' warnings: `--suppress pdf` hides every pdf.* kind.
    reporter = Reporter(request.suppress)
    reporter.replay(problems)
    for problem in reporter.diagnostics:
        print(problem, file=sys.stderr)
    return EXIT_PROBLEMS if reporter.diagnostics and request.strict else EXIT_OK


def _sphinx(builder: str, request: BuildRequest, out: Path, overrides=None) -> int:
    """Run one builder; its messages located at the notes, each printed once per build."""
    result = run_sphinx(builder, request.book, out, request.out / "doctrees", request.strict,
                        overrides)
    messages = without_traceback(without_suppressed(result.stderr, request.suppress),
                                 f"{request.book}: {builder}")
    if result.returncode < 0:  # killed: Sphinx could say nothing itself
        messages += (f"{request.book}: {builder}: ERROR: Sphinx was stopped by "
                     f"{signal.Signals(-result.returncode).name}\n")
    sys.stderr.write(SourceMap(request.book / "lessons").rewrite(messages, request.seen))
    return EXIT_OK if result.returncode == 0 else EXIT_PROBLEMS


def without_traceback(messages: str, where: str) -> str:
    """Sphinx's messages, but a crash as one line: its error and where the details are."""
    if "Traceback" not in messages:
        return messages
    kept = [line for line in messages.splitlines()
            if re.match(r"\S+:\d*:? ?(WARNING|ERROR|CRITICAL):", line)]
    errors = [line.strip() for line in messages.splitlines()
              if re.match(r"\s*[\w.]+(Error|Exception): ", line)]
    log = re.search(r"(/\S+sphinx-err-\S+\.log)", messages)
    summary = errors[-1] if errors else "Sphinx stopped"
    details = f" (details: {log.group(1)})" if log else ""
    return "".join(f"{line}\n" for line in [*kept, f"{where}: ERROR: {summary}{details}"])


def has_notes(notes: Path) -> bool:
    """Whether ``notes`` holds a note; says so, located, when it does not."""
    if find_notes(notes):
        return True
    print(f"{notes}: ERROR: no .md notes found", file=sys.stderr)
    return False


def convert(notes: Path, root: Path, out: Path, strict: bool, suppress: frozenset[str],
            intro: bool = True, skip: tuple[Path, ...] = ()) -> int:
    """Notes → MyST in ``out``; ``skip``: folders never read as notes (besides ``out``)."""
    if not has_notes(notes):
        return EXIT_PROBLEMS
    reporter = Reporter(suppress)
    cache = ParseCache(out)
    book = parse_book(notes, root, reporter, cache, intro, skip=(*skip, out))
    write_book(book, out)
    cache.save()
    for diagnostic in reporter.diagnostics:
        print(diagnostic, file=sys.stderr)
    errors = any(d.severity is Severity.ERROR for d in reporter.diagnostics)
    if errors or (strict and reporter.diagnostics):
        return EXIT_PROBLEMS
    return EXIT_OK


def check(notes: Path, root: Path, out: Path, intro: bool = True) -> int:
    """Print the lesson × format table; each loss on stderr; exit 1 when anything was lost."""
    if not has_notes(notes):
        return EXIT_PROBLEMS
    from .check import UnreadableOutput, check_book, table  # only loaded when asked

    # The build showed the warnings; the output folder is never a note.
    book = parse_book(notes, root, Reporter(), intro=intro, skip=(out,))
    try:
        reports = check_book(book, out)
    except UnreadableOutput as error:
        print(f"{error} (build again)", file=sys.stderr)
        return EXIT_PROBLEMS
    print(table(reports))
    losses = [loss for report in reports for loss in report.losses]
    for loss in losses:
        print(loss, file=sys.stderr)
    print(f"check: {'nothing lost' if not losses else f'{len(losses)} losses'}", file=sys.stderr)
    return EXIT_PROBLEMS if losses else EXIT_OK


def main() -> None:
    try:
        code = run()
    except KeyboardInterrupt:
        # Every output is whole or as it was before: writes go to temporary names and
        # staging folders, renamed into place only when complete (see sphinx_run, pdf).
        print("build_tools: interrupted; the outputs are as they were before this build",
              file=sys.stderr)
        code = EXIT_INTERRUPTED
    sys.exit(code)
