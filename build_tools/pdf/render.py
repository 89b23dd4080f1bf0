"""The print document → WeasyPrint → the book's PDF (and, from the same layout, handouts).

Every WARNING or ERROR WeasyPrint logs while rendering (a missing image, a refused URL, bad
CSS) is returned as a located, typed problem, so a PDF that lost something never passes
``--strict`` silently.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from ..atomic import swap_in
from ..diagnostics import Diagnostic, Kind
from ..faults import pause_point
from ..model import Location
from ..print_manifest import Manifest
from .cache import CachedRender, cached, forget, remember, render_key
from .document import PrintDocument, print_document
from .fetcher import VIRTUAL_BASE, ConfinedFetcher
from .glyphs import uncovered
from .handouts import handout_document, handout_paths, lesson_ranges
from .images import PRINT_PPI, ImageProblem, fit_for_print, pixels_for
from .join import join_parts, slice_pages
from .page import (
    PageOptions,
    PdfOptions,
    page_css,
    running_heads_css,
    text_block_mm,
    text_block_top_bottom_mm,
)
from .pagerefs import (
    COUNTED_BY_CSS,
    anchor_labels,
    engine_note,
    fill_page_numbers,
    layout_editable,
    renumber_pages,
)
from .parallel import run_tasks
from .parts import Part, PartResult, Report, plan_parts, run_parts
from .whitespace import PX_PER_MM, contents_end_page, contents_spill, refit_figures

PRINT_CSS = Path(__file__).with_name("print.css")
FIGURE_MAX_HEIGHT_MM = 120  # print.css: figure img { max-height: 120mm }


@dataclass
class PdfResult:
    pdf: Path
    source: PrintDocument | None  # None when the last render was reused
    problems: list[Diagnostic] = field(default_factory=list)
    from_cache: bool = False
    pages: int = 0  # of the book; 0 when the last render was reused
    parts: int = 0  # laid out at once, each in its own process


Phase = Callable[[str], contextlib.AbstractContextManager]


def _no_phase(name: str) -> contextlib.AbstractContextManager:
    return contextlib.nullcontext()


class _Problems(logging.Handler):
    """Collects WeasyPrint's warnings and errors so that none is only a log line."""

    def __init__(self, where: Path) -> None:
        super().__init__(logging.WARNING)
        self.where = where
        self.records: list[Diagnostic] = []

    def emit(self, record: logging.LogRecord) -> None:
        kind = Kind.PDF_ERROR if record.levelno >= logging.ERROR else Kind.PDF_WARNING
        self.records.append(Diagnostic(kind, Location(str(self.where)), record.getMessage()))


@contextlib.contextmanager
def weasyprint_problems(where: Path) -> Iterator[list[Diagnostic]]:
    """Collect what WeasyPrint logs at WARNING and above while the block runs."""
    problems = _Problems(where)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(problems)
    try:
        yield problems.records
    finally:
        logger.removeHandler(problems)


def render_pdf(manifest_file: Path, out_dir: Path, allowed: list[Path],
               options: PdfOptions | None = None, handouts_dir: Path | None = None,
               workers: int | None = None, phase: Phase = _no_phase) -> PdfResult:
    """Lay the book the print builder wrote (``manifest_file``, its ``print.json``) out, in parts
    on ``workers`` cores (all but one a forked process; by default up to two); write
    ``out_dir/<basename>.pdf`` and, if asked, the handouts.

    When nothing WeasyPrint would read has changed since the last render into ``out_dir``, the
    files are left as they are and the problems that render reported are returned again.
    ``phase(name)`` is entered around each step (the benchmark times them).
    """
    options = options or PdfOptions()
    manifest_text = manifest_file.read_text(encoding="utf-8")
    manifest = Manifest.from_json(manifest_text)
    site = manifest_file.parent
    key = render_key(manifest_text, [site / unquote(image.src) for image in manifest.images],
                     _settings(options, handouts_dir))
    if (hit := cached(out_dir, key)) is not None:
        return PdfResult(Path(hit.outputs[0]), None, hit.problems, from_cache=True)
    stage, staged_handouts = _staging(out_dir, handouts_dir)
    problems = _engine_problems(out_dir)  # checked before anything is laid out
    editable = not problems
    with phase("print_document"):
        source = print_document(manifest, _image_fitter(site, options.page, problems))
    staged = stage / f"{source.info.basename}.pdf"
    parts = plan_parts(source, _workers(workers, options) if editable else 1)
    part_files = [staged] if len(parts) == 1 else [
        stage / ".parts" / f"part-{part.index + 1}.pdf" for part in parts]
    context = _Context(source, site, allowed, options, staged_handouts, phase, not editable)
    stage.mkdir(parents=True, exist_ok=True)
    # Phases "layout" and "write" are timed in this process, which lays out the first part.
    results = run_parts(parts, lambda part, exchange: _lay_out_and_write(
        context, part, part_files[part.index], exchange))
    if len(parts) > 1:
        with phase("join"):
            pause_point("pdf-join")
            join_parts(part_files, staged)
    problems += [p for result in results for p in result.problems]
    with phase("glyphs"):
        problems += _tofu(source, staged)
    target = _publish(staged, out_dir, staged_handouts, handouts_dir)
    result = PdfResult(target, source, problems, pages=sum(r.pages for r in results),
                       parts=len(parts))
    handouts = [] if handouts_dir is None else [
        handouts_dir / f"{lesson.label}.pdf" for lesson in source.lessons]
    remember(out_dir, CachedRender(key, [str(p) for p in [target, *handouts] if p.is_file()],
                                   result.problems))
    return result


def _engine_problems(out_dir: Path) -> list[Diagnostic]:
    """None when pagerefs.py edits this WeasyPrint's pages; else the note that the book is laid
    out in one piece, WeasyPrint counting its pages."""
    if layout_editable():
        return []
    return [Diagnostic(Kind.PDF_ENGINE, Location(str(out_dir)), engine_note())]


def _staging(out_dir: Path, handouts_dir: Path | None) -> tuple[Path, Path | None]:
    """A fresh staging folder (and one for the handouts in it): everything is made there and
    moved into place when whole (build_tools/atomic.py); no record vouches meanwhile."""
    forget(out_dir)
    stage = out_dir / ".staging"
    shutil.rmtree(stage, ignore_errors=True)
    return stage, (stage / "handouts" if handouts_dir is not None else None)


def _publish(staged: Path, out_dir: Path, staged_handouts: Path | None,
             handouts_dir: Path | None) -> Path:
    """Move the finished book and handouts into place: each whole, or as before."""
    pause_point("pdf-publish")
    target = out_dir / staged.name
    os.replace(staged, target)
    if handouts_dir is not None and staged_handouts is not None:
        staged_handouts.mkdir(parents=True, exist_ok=True)
        swap_in(staged_handouts, handouts_dir)
    shutil.rmtree(staged.parent, ignore_errors=True)
    return target


def _workers(asked: int | None, options: PdfOptions) -> int:
    """Parts to lay out at once. A tagged PDF (PDF/UA) is one document: joining files would
    lose its structure tree."""
    if options.variant or not hasattr(os, "fork"):
        return 1
    return asked or max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class _Context:
    source: PrintDocument
    site: Path  # the print builder's output: the manifest and the images
    allowed: list[Path]
    options: PdfOptions
    handouts_dir: Path | None
    phase: Phase
    counted_by_css: bool = False  # WeasyPrint counts the pages: the book is one part
    # Shared by every layout of a process (a part's, its lessons' again, the front matter's):
    # images decoded once, fonts loaded once.
    images: dict = field(default_factory=dict)
    fonts: FontConfiguration = field(default_factory=FontConfiguration)


def _lay_out_and_write(context: _Context, part: Part, target: Path, exchange) -> PartResult:
    """One part: laid out, numbered as agreed, written with its lessons' handouts."""
    source, options = context.source, context.options
    with weasyprint_problems(target) as problems, context.phase("layout"):
        pause_point("pdf-layout" if part.first else "pdf-layout-child")
        if context.counted_by_css:
            book = body = _render(context, source.whole_html())
        else:
            book, body = _lay_out_part(context, part, target, exchange, problems)
    handouts, planning = ([], []) if context.handouts_dir is None else _plan_handouts(
        body, part, source.back_matter if part.last else None, context.handouts_dir)
    problems += planning
    if options.variant:
        # A tagged handout needs its own structure tree: WeasyPrint writes it from the pages.
        # A tagged book is one part (_workers), so the other core is free for these writes.
        tasks = [_writer(lambda: book, target, options)] + [
            _writer(functools.partial(handout_document, body, handout), path, options)
            for handout, path in handouts]
        with context.phase("write"):
            problems += run_tasks(tasks, workers=min(2, os.cpu_count() or 1))
        return PartResult(len(book.pages), problems)
    with context.phase("write"):
        pause_point("pdf-write" if part.first else "pdf-write-child")
        problems += _writer(lambda: book, target, options)()
    with context.phase("handouts"):
        # Sliced from the part just written: the same pages, fonts and images, not drawn again.
        written, front = PdfReader(target), len(book.pages) - len(body.pages)
        for number, (handout, path) in enumerate(handouts):
            if number == 1:
                pause_point("pdf-handouts")  # one handout written, the others not
            slice_pages(written, range(handout.pages.start + front, handout.pages.stop + front),
                        path, handout.title)
    return PartResult(len(book.pages), problems)


def _lay_out_part(context: _Context, part: Part, target: Path, exchange,
                  problems: list[Diagnostic]):
    """The part's pages, numbered as the parts agree, its references' page numbers written in
    (pagerefs.py); the first part with the front matter before them. Returns (book, body)."""
    source = context.source
    body = _render(context, source.body_html(part.sections, end_on_left_page=not part.last))
    if not part.last:
        body = body.copy(body.pages[:-1])  # the page of the part's end marker
    body = _refit_figures(context, part, body)
    reply = exchange(Report(len(body.pages), anchor_labels(body)))
    if reply.offset != 1:
        renumber_pages(body, reply.offset - 1)
    problems += _unresolved(target, fill_page_numbers(body, reply.labels))
    if not part.first:
        return body, body
    here = part.ids  # the contents, now that every page number is known
    front = _front_matter(context, reply.labels, lambda anchor: anchor not in here)
    return body.copy(front.pages[:-1] + body.pages), body


def _front_matter(context: _Context, labels: dict[str, str], elsewhere: Callable[[str], bool]):
    """Cover, contents and preface laid out; again, closer set, if the contents spill a few
    lines onto a page of their own, kept if so they end a page sooner."""
    front = _render(context, context.source.front_html(labels, elsewhere))
    if contents_spill(front.pages, *_text_block_px(context)):
        tight = _render(context, context.source.front_html(labels, elsewhere, tight=True))
        if contents_end_page(tight.pages) < contents_end_page(front.pages):
            return tight
    return front


def _refit_figures(context: _Context, part: Part, body):
    """The part's lessons with a figure that left a page too empty, laid out again."""
    return refit_figures(
        body, part.sections,
        lambda sections, end: _render(context, context.source.body_html(sections, end)),
        *_text_block_px(context), part.last)


def _text_block_px(context: _Context) -> tuple[float, float]:
    """Where the text block starts and ends on a page, in CSS px from its top (as
    WeasyPrint's ``Page.anchors`` are)."""
    top, bottom = text_block_top_bottom_mm(context.options.page)
    return top * PX_PER_MM, bottom * PX_PER_MM


def _render(context: _Context, document_html: str):
    fetcher = ConfinedFetcher(context.allowed, virtual_root=context.site)
    html = HTML(string=document_html, base_url=VIRTUAL_BASE + "index.html", url_fetcher=fetcher)
    stylesheets = [CSS(string=page_css(context.options.page)), CSS(filename=str(PRINT_CSS)),
                   CSS(string=running_heads_css(context.source.info.title))]
    if context.counted_by_css:
        stylesheets.append(CSS(string=COUNTED_BY_CSS))
    # Images are read (and their resolution fixed) while laying out, not while writing.
    return html.render(stylesheets=stylesheets, dpi=PRINT_PPI, cache=context.images,
                       font_config=context.fonts)


def _writer(make_document, target: Path, options: PdfOptions):
    """A task writing a document to ``target``; it returns what WeasyPrint complained of.

    A handout's document is cut from the book's pages only when its turn comes: cutting
    clears link annotations that writing another PDF from the same pages sets.
    """
    def write() -> list[Diagnostic]:
        target.parent.mkdir(parents=True, exist_ok=True)
        with weasyprint_problems(target) as problems:
            make_document().write_pdf(target, **pdf_options(options))
        return problems
    return write


def _settings(options: PdfOptions, handouts_dir: Path | None) -> str:
    return "\n".join([PRINT_CSS.read_text(encoding="utf-8"), page_css(options.page),
                      repr(pdf_options(options)), str(handouts_dir)])


def _image_fitter(site: Path, page: PageOptions, problems: list[Diagnostic]):
    """Images no bigger than the text block at 300 ppi, cached beside the print builder's output.

    A 50-megapixel photo is decoded once here, not by WeasyPrint at every build; one that
    cannot be read (or is a decompression bomb) is reported and printed as its alt text.
    """
    width_mm, _ = text_block_mm(page)
    box = (pixels_for(width_mm), pixels_for(FIGURE_MAX_HEIGHT_MM))
    cache = site / "_print_images"

    def fit(src: str) -> str | None:
        if "://" in src or src.startswith(("data:", "/")):
            return src  # the fetcher decides about these
        path = site / unquote(src)
        if _fits(path, box):
            return src  # decoded once, by WeasyPrint; its header was checked at the note
        try:
            fitted = fit_for_print(path, cache, *box)
        except ImageProblem as problem:
            problems.append(Diagnostic(Kind.PDF_IMAGE, Location(str(path)),
                                       f"image not printed: {problem.reason}"))
            return None
        return fitted.path.relative_to(site).as_posix() if fitted.downsampled else src
    return fit


def _fits(path: Path, box: tuple[int, int]) -> bool:
    """Whether the image is no bigger than ``box``, from its header alone (no decoding)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return image.size[0] <= box[0] and image.size[1] <= box[1]
    except (OSError, Image.DecompressionBombError, UnidentifiedImageError):
        return False  # fit_for_print says what is wrong with it


def _unresolved(target: Path, missing: list[str]) -> list[Diagnostic]:
    return [Diagnostic(Kind.PDF_REFERENCE, Location(str(target)),
                       f"a reference leads to #{anchor}, which is not in the book; its page "
                       "prints as ?") for anchor in sorted(set(missing))]


def _tofu(source: PrintDocument, target: Path) -> list[Diagnostic]:
    """A located warning for each character that would print as an empty box."""
    return [Diagnostic(Kind.PDF_MISSING_GLYPH, Location(str(target)),
                       f"no installed font has U+{ord(char):04X} {char!r} (lesson "
                       f"{lesson.label}); it prints as an empty box")
            for lesson in source.lessons for char in uncovered(lesson.text)]


def pdf_options(options: PdfOptions) -> dict:
    """write_pdf options: images no finer than 300 ppi at their printed size; the variant."""
    chosen: dict = {"dpi": PRINT_PPI}
    if options.variant:
        chosen["pdf_variant"] = options.variant
    return chosen


def _plan_handouts(body, part: Part, back_matter: str | None, out_dir: Path):
    """Each of the part's lessons with its handout's path; the pages are the lesson's in the
    part's layout, so numbers and page references agree with the book's."""
    lessons = [(lesson.label, lesson.label, lesson.title) for lesson in part.lessons]
    try:
        handouts = lesson_ranges(body, lessons, back_matter)
        paths = handout_paths(handouts, out_dir)
    except ValueError as error:
        return [], [Diagnostic(Kind.PDF_HANDOUTS, Location(str(out_dir)),
                               f"no handouts: {error}")]
    return list(zip(handouts, paths, strict=True)), []
