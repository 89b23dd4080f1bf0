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
    return parser


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for folder in (args.notes, args.root):
        if not folder.is_dir():
            print(f"{folder}: ERROR: not a folder", file=sys.stderr)
            return EXIT_USAGE
    return convert(args.notes, args.root, args.out, args.strict, frozenset(args.suppress))


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
