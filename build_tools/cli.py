"""The command line: ``build-notes build all`` (or ``python -m build_tools …``), ``init``,
``doctor``, ``convert``, ``check``.

The book's settings come from book.toml (book_config), the options overriding it. Exit codes:
0 done; 1 done with problems under ``--strict``, or an error (a note that could not be read, no
notes at all); 2 usage error (an option, a folder, book.toml). Messages go to stderr, one line
each, located.
"""

from __future__ import annotations

import argparse
import signal
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from .book_config import (
    BOOK_TOML,
    BookConfig,
    ConfigError,
    ConfigProblem,
    Problem,
    find_config,
    resolve_config,
)
from .check_command import check
from .diagnostics import Reporter, Severity, without_suppressed
from .editions import CHOICES, STUDENT_TARGETS, Edition, edition_config, for_edition
from .lock import Busy, exclusive
from .myst_writer import write_book
from .notes_parser import find_notes, parse_book
from .notes_parser.cache import ParseCache
from .pdf.booklet import A5_FOLDER, BOOKLET_FOLDER, impose_all
from .pdf.page import PAPERS, PDF_VARIANTS, PageOptions, PdfOptions, text_block_mm
from .print_manifest import MANIFEST
from .sourcemap import SourceMap, without_traceback
from .sphinx_project import LESSONS, assemble, original_files, source_folder
from .sphinx_run import run_sphinx

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build-notes",
                                     description="Turn course notes into a book.")
    commands = parser.add_subparsers(dest="command", required=True)
    convert = commands.add_parser("convert", help="notes → MyST sources and their images")
    convert.add_argument("--out", type=Path, help="folder for the MyST sources "
                                                  "(default: OUT/source/lessons)")
    build = commands.add_parser("build", help="convert, then build the book")
    build.add_argument("target", choices=["html", "epub", "pdf", "handouts", "all"],
                       help="what to build; handouts = the PDF and one PDF a lesson; "
                            "all = epub, pdf and handouts, then the site offering them")
    build.add_argument("--out", type=Path, help="the output folder (book.toml: out)")
    build.add_argument("--book", type=Path, help="a Sphinx project of your own, its conf.py "
                                                 "starting from the tool's (book.toml: book)")
    build.add_argument("--paper", choices=PAPERS, help="PDF paper size (book.toml: paper)")
    build.add_argument("--bleed", default="", metavar="LENGTH",
                       help="bleed with crop marks for a print shop, e.g. 3mm")
    build.add_argument("--pdf-variant", choices=PDF_VARIANTS, default=None,
                       help="e.g. pdf/ua-1: a tagged, accessible PDF")
    build.add_argument("--booklet", nargs="?", const="handouts", choices=("handouts", "all"),
                       metavar="=all",
                       help="each handout (--booklet=all: and the book) laid out at A5 and "
                            "imposed as a saddle-stitched booklet on A4: OUT/booklet/<lesson>.pdf")
    build.add_argument("--site-url", metavar="URL", help="the site's address: each lesson's "
                       "first printed page carries a QR code to its page (book.toml: site_url)")
    check = commands.add_parser("check", help="after a build: is every word in every format, "
                                               "and does every printed page pass the preflight?")
    check.add_argument("--out", type=Path, help="the output folder (book.toml: out)")
    check.add_argument("--every-page", action="store_true",
                       help="the preflight's table shows every page, not only failing ones")
    for command in (convert, build, check):
        _book_options(command)
    for command in (build, check):
        command.add_argument("--edition", choices=CHOICES, default="teacher",
                             help="student: the PDF and handouts without answers, room to "
                                  "write in their place, in OUT/student/; both: each")
    for command in (convert, build):
        command.add_argument("--strict", action="store_true", help="exit 1 on any warning")
        command.add_argument("--suppress", action="append", default=[], metavar="TYPE",
                             help="hide warnings of this type, e.g. notes.number_gap, or of "
                                  "every kind of a type, e.g. pdf (repeatable)")
    commands.add_parser("init", help="write a book.toml for the notes in this folder")
    commands.add_parser("doctor", help="check the fonts and programs the build needs")
    return parser


def _book_options(command: argparse.ArgumentParser) -> None:
    """What book.toml can say, the command line overriding it."""
    command.add_argument("--config", type=Path, metavar="PATH",
                         help="the book file (default: book.toml here or in a parent folder "
                              "up to the repository's root)")
    command.add_argument("--notes", type=Path, action="append", metavar="DIR",
                         help="a folder of .md notes (repeatable; book.toml: notes)")
    command.add_argument("--root", type=Path, metavar="DIR",
                         help="the book's root: no file outside it is read (book.toml: root)")
    command.add_argument("--no-intro", dest="intro", action="store_false",
                         help="read the notes folder's index.md/README.md as a lesson, "
                              "not as the book's introduction")
    command.add_argument("--no-wait", dest="wait", action="store_false",
                         help="fail at once if another build is writing the same folder, "
                              "instead of waiting for it")


def bare_booklet_as_flag(argv: list[str]) -> list[str]:
    """``--booklet`` takes a value only as ``--booklet=all``: bare, it would swallow the next
    word, and ``build --booklet handouts`` means the target handouts, not the booklet's."""
    return ["--booklet=handouts" if word == "--booklet" else word for word in argv]


@dataclass(frozen=True)
class BuildRequest:
    """What ``build`` was asked for, once the arguments are checked."""

    source: Path  # the assembled Sphinx project (sphinx_project.source_folder)
    root: Path
    out: Path
    strict: bool
    suppress: frozenset[str]
    pdf: PdfOptions
    book: Path | None = None  # the --book folder whose files were copied into the source
    booklet: str = ""  # "handouts", "all" (the book too) or "" (none)
    site_url: str = ""  # for the lessons' QR codes; "" for none
    # Messages printed so far: one problem reported by three builders is printed once.
    seen: set[str] = field(default_factory=set, compare=False)


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(bare_booklet_as_flag(sys.argv[1:] if argv is None else argv))
    if args.command == "init":
        return init(Path.cwd())
    if args.command == "doctor":
        return doctor()
    try:
        config = book_config(args, Path.cwd())
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    for folder in (*config.notes, config.root, *([config.book] if config.book else [])):
        if not folder.is_dir():
            print(f"{folder}: ERROR: not a folder", file=sys.stderr)
            return EXIT_USAGE
    # convert --out: the lessons' folder, the one it writes; else the output folder.
    written = args.out if args.command == "convert" and args.out is not None else config.out
    try:
        with exclusive([written], args.wait,
                       lambda message: print(message, file=sys.stderr)):
            return _command(args, config)
    except Busy as busy:
        print(f"{busy}: ERROR: not waiting (--no-wait)", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as error:  # a read-only folder, a full disk: where, and what the system said
        where = error.filename or config.out
        print(f"{where}: ERROR: {error.strerror or error}", file=sys.stderr)
        return EXIT_PROBLEMS


def book_config(args: argparse.Namespace, cwd: Path) -> BookConfig:
    """book.toml (``--config``, else the nearest) with the command line's options over it.

    ``convert --out`` names the lessons' folder, not the output folder: it is no book setting.
    """
    file = args.config if args.config is not None else find_config(cwd)
    if args.config is not None and not args.config.is_file():
        raise ConfigError([ConfigProblem(Problem.UNREADABLE, args.config, 1, "no such file")])
    options = {"notes": args.notes, "root": args.root, "book": getattr(args, "book", None),
               "paper": getattr(args, "paper", None), "site_url": getattr(args, "site_url", None)}
    if args.command != "convert":
        options["out"] = args.out
    return resolve_config(file, options, cwd)


def _command(args: argparse.Namespace, config: BookConfig) -> int:
    """``convert``, ``check`` or ``build``, holding the output folder's lock."""
    suppress = frozenset(getattr(args, "suppress", ()))
    source = source_folder(config.out)
    if args.command == "convert":
        lessons = args.out if args.out is not None else source / LESSONS
        return convert(config.notes, config.root, lessons, args.strict, suppress, args.intro)
    if args.command == "check":
        return check(config.notes, config.root, config.out, args.intro, args.every_page,
                     CHOICES[args.edition]) if has_notes(config.notes) else EXIT_PROBLEMS
    try:
        pdf = PdfOptions(PageOptions(config.paper, args.bleed), args.pdf_variant)
    except ValueError as error:
        print(f"build: ERROR: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not has_notes(config.notes):
        return EXIT_PROBLEMS
    if args.edition == "student" and args.target in ("html", "epub"):
        print(f"build {args.target}: ERROR: the student edition is printed only: build pdf, "
              "handouts or all", file=sys.stderr)
        return EXIT_USAGE
    # A note that cannot be read is skipped (and fails the exit code), not the whole book.
    skip = (config.out, *([config.book] if config.book else []))
    seen: set[str] = set()  # a message of both editions is printed once
    code = EXIT_OK
    for edition in CHOICES[args.edition]:
        edited = edition_config(config, edition)
        source = source_folder(edited.out)
        assemble(edited, source)
        code = max(code, convert(config.notes, config.root, source / LESSONS, args.strict,
                                 suppress, args.intro, skip=skip, edition=edition, seen=seen))
        request = BuildRequest(source, config.root, edited.out, args.strict, suppress, pdf,
                               config.book, args.booklet or "", config.site_url, seen)
        target = args.target if edition is Edition.TEACHER else STUDENT_TARGETS[args.target]
        code = max(code, build(target, request))
    return code


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
    # The text block's width, so that the print page sets too-wide tables smaller.
    text_width_mm = int(text_block_mm(request.pdf.page)[0])
    code = _sphinx("print", request, single,
                   {"html_theme": "basic", "qa_print_text_width_mm": str(text_width_mm),
                    **({"qa_print_site_url": request.site_url} if request.site_url else {})})
    if code != EXIT_OK:
        return code
    with progress_display():
        try:
            result = render_pdf(single / MANIFEST, request.out / "pdf",
                                allowed=[single, request.root, request.source],
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
    code = EXIT_PROBLEMS if reporter.diagnostics and request.strict else EXIT_OK
    return max(code, booklets(request)) if request.booklet and handouts else code


def booklets(request: BuildRequest) -> int:
    """The handouts (and the book) laid out at A5 — the build's own layout when its paper is
    A5, else one of their own in ``OUT/.a5`` — imposed into ``OUT/booklet``."""
    a5 = request
    if request.pdf.page.paper != "A5":
        a5 = replace(request, out=request.out / A5_FOLDER, booklet="",
                     pdf=replace(request.pdf, page=PageOptions("A5")))
        if (code := build_pdf(a5, handouts=True)) != EXIT_OK:
            return code
    books = sorted((a5.out / "pdf").glob("*.pdf")) if request.booklet == "all" else []
    impose_all([*sorted((a5.out / "handouts").glob("*.pdf")), *books],
               request.out / BOOKLET_FOLDER)
    return EXIT_OK


def _sphinx(builder: str, request: BuildRequest, out: Path, overrides=None) -> int:
    """Run one builder; its messages located at the notes, each printed once per build."""
    result = run_sphinx(builder, request.source, out, request.out / "doctrees", request.strict,
                        overrides)
    messages = without_traceback(without_suppressed(result.stderr, request.suppress),
                                 f"{request.source}: {builder}")
    if result.returncode < 0:  # killed: Sphinx could say nothing itself
        messages += (f"{request.source}: {builder}: ERROR: Sphinx was stopped by "
                     f"{signal.Signals(-result.returncode).name}\n")
    messages = original_files(messages, request.source, request.book)
    sys.stderr.write(SourceMap(request.source / LESSONS).rewrite(messages, request.seen))
    return EXIT_OK if result.returncode == 0 else EXIT_PROBLEMS


def has_notes(notes: Path | tuple[Path, ...]) -> bool:
    """Whether ``notes`` holds a note; says so, located, when it does not."""
    if find_notes(notes):
        return True
    shown = notes if isinstance(notes, Path) else ", ".join(str(n) for n in notes)
    print(f"{shown}: ERROR: no .md notes found", file=sys.stderr)
    return False


def convert(notes: Path | tuple[Path, ...], root: Path, out: Path, strict: bool,
            suppress: frozenset[str], intro: bool = True, skip: tuple[Path, ...] = (),
            edition: Edition = Edition.TEACHER, seen: set[str] | None = None) -> int:
    """Notes → MyST in ``out``; ``skip``: folders never read as notes (besides ``out``);
    ``seen``: messages already printed, not printed again."""
    if not has_notes(notes):
        return EXIT_PROBLEMS
    reporter = Reporter(suppress)
    cache = ParseCache(out)
    book = parse_book(notes, root, reporter, cache, intro, skip=(*skip, out))
    write_book(for_edition(book, edition), out)
    cache.save()
    for diagnostic in reporter.diagnostics:
        if seen is None or str(diagnostic) not in seen:
            print(diagnostic, file=sys.stderr)
            seen is None or seen.add(str(diagnostic))
    errors = any(d.severity is Severity.ERROR for d in reporter.diagnostics)
    if errors or (strict and reporter.diagnostics):
        return EXIT_PROBLEMS
    return EXIT_OK


def init(folder: Path) -> int:
    """Write a book.toml guessed from ``folder``; say what was found and what to run next."""
    from .book_init import book_toml_text, guess_book, write_book_toml

    guess = guess_book(folder)
    try:
        written = write_book_toml(folder, book_toml_text(guess))
    except FileExistsError:
        print(f"{folder / BOOK_TOML}: ERROR: already exists; not overwritten", file=sys.stderr)
        return EXIT_PROBLEMS
    notes = ", ".join(f"{name}/" for name in guess.notes)
    images = ", ".join(f"{name}/" for name in guess.image_folders[:4])
    more = ", …" if len(guess.image_folders) > 4 else ""
    lessons = f"{guess.note_count} lesson{'s' if guess.note_count != 1 else ''}"
    print(f"wrote {written}\n"
          f"  notes:  {notes} ({lessons})\n"
          f"  images: {guess.image_count}{f' in {images}{more}' if images else ''}\n"
          f"  title:  {guess.title} (from {guess.title_from}; edit book.toml to change it)\n"
          "next: build-notes build all   (the site, EPUB and PDF in _build/)")
    if not guess.note_count:
        print(f"{folder}: WARNING: no .md notes found; put them in notes/, or name their "
              f"folders in {BOOK_TOML} (notes = [...])", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def doctor() -> int:
    """Print each check of the machine, and the apt-get line for whatever is missing."""
    from .doctor import install_line, run_checks

    findings = run_checks()
    for finding in findings:
        print(f"{'ok' if finding.ok else 'MISSING':8} {finding.name}: {finding.detail}")
    line = install_line(findings)
    if line:
        print(f"install what is missing:\n  {line}")
    return EXIT_PROBLEMS if line else EXIT_OK


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
