"""The command line: ``python -m build_tools convert --notes DIR --root DIR --out DIR``.

Exit codes: 0 converted; 1 converted with problems under ``--strict``, or an error (a note that
could not be read, no notes at all); 2 usage error. Messages go to stderr, one line each, located.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .diagnostics import Reporter, Severity
from .myst_writer import write_book
from .notes_parser import find_notes, parse_book
from .pdf import render_pdf
from .sphinx_run import run_sphinx

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


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
    build.add_argument("target", choices=["html", "epub", "pdf", "all"],
                       help="what to build; all = epub, pdf, then the site offering both")
    for option in ("--notes", "--root", "--out"):
        build.add_argument(option, type=Path, required=True)
    build.add_argument("--book", type=Path, default=Path("book"),
                       help="the Sphinx project (conf.py); lessons are generated into BOOK/lessons")
    build.add_argument("--strict", action="store_true", help="exit 1 on any warning")
    build.add_argument("--suppress", action="append", default=[], metavar="TYPE")
    return parser


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for folder in (args.notes, args.root):
        if not folder.is_dir():
            print(f"{folder}: ERROR: not a folder", file=sys.stderr)
            return EXIT_USAGE
    suppress = frozenset(args.suppress)
    if args.command == "convert":
        return convert(args.notes, args.root, args.out, args.strict, suppress)
    code = convert(args.notes, args.root, args.book / "lessons", args.strict, suppress)
    if code != EXIT_OK:
        return code
    return build(args.target, args.book, args.root, args.out, args.strict)


def build(target: str, book: Path, root: Path, out: Path, strict: bool) -> int:
    doctrees = out / "doctrees"
    if target in ("html", "epub"):
        return _sphinx(target, book, out / target, doctrees, strict)
    if target == "pdf":
        return build_pdf(book, root, out, strict)
    codes = [_sphinx("epub", book, out / "epub", doctrees, strict),
             build_pdf(book, root, out, strict)]
    # The site offers whatever of the two was built.
    downloads = [*sorted((out / "epub").glob("*.epub")), out / "pdf" / "book.pdf"]
    existing = ",".join(str(p.resolve()) for p in downloads if p.is_file())
    codes.append(_sphinx("html", book, out / "html", doctrees, strict,
                         {"qa_downloads": existing} if existing else None))
    return max(codes)


def build_pdf(book: Path, root: Path, out: Path, strict: bool) -> int:
    # The single page uses the plain theme: WeasyPrint renders a lean document, not the site.
    single = out / "singlehtml"
    code = _sphinx("singlehtml", book, single, out / "doctrees", strict, {"html_theme": "basic"})
    if code != EXIT_OK:
        return code
    target_pdf = out / "pdf" / "book.pdf"
    problems = render_pdf(single / "index.html", target_pdf, book.name,
                          allowed=[single, root, book])
    for problem in problems:
        print(f"{target_pdf}: {problem}", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _sphinx(builder, book, out, doctrees, strict, overrides=None) -> int:
    result = run_sphinx(builder, book, out, doctrees, strict, overrides)
    sys.stderr.write(result.stderr)
    return EXIT_OK if result.returncode == 0 else EXIT_PROBLEMS


def convert(notes: Path, root: Path, out: Path, strict: bool, suppress: frozenset[str]) -> int:
    if not find_notes(notes):
        print(f"{notes}: ERROR: no .md notes found", file=sys.stderr)
        return EXIT_PROBLEMS
    reporter = Reporter(suppress)
    book = parse_book(notes, root, reporter)
    write_book(book, out)
    for diagnostic in reporter.diagnostics:
        print(diagnostic, file=sys.stderr)
    errors = any(d.severity is Severity.ERROR for d in reporter.diagnostics)
    if errors or (strict and reporter.diagnostics):
        return EXIT_PROBLEMS
    return EXIT_OK


def main() -> None:
    sys.exit(run())
