"""Finding the files that notes point at, and refusing any that lie outside the book's root."""

from __future__ import annotations

import re
import warnings
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from PIL import Image, UnidentifiedImageError

from ..diagnostics import Kind, Reporter
from ..model import ImageFile, Location

# While set, every file a note's paths were looked up as (see cache.py).
LOOKED_UP: ContextVar[list[Path] | None] = ContextVar("LOOKED_UP", default=None)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})
# Files a note may link to that the site offers as downloads, byte for byte under their own
# names (docs/notes-format.md, "Links and images"). Anything else (.html, .svg, .js…) could
# run in the site's origin or mean nothing to a reader: it is shown as text.
DOWNLOAD_SUFFIXES = frozenset({".md", ".txt", ".py", ".ipynb", ".json", ".csv", ".xmind",
                               ".pdf", ".zip"})


@dataclass(frozen=True)
class PathContext:
    """Where a note sits, so that the paths it writes can be looked up."""

    note: Path
    root: Path
    reporter: Reporter


def is_url(target: str) -> bool:
    """True for anything with a scheme (``http:``, ``file:``, ``data:``…) or a protocol-relative
    ``//host`` path: none of these is a file of the book."""
    parts = urlsplit(target)
    return bool(parts.scheme and len(parts.scheme) > 1) or target.startswith("//")


def resolve_image(written: str, loc: Location, ctx: PathContext) -> ImageFile | None:
    """Look an image path up next to the note, then under the root; report what goes wrong.

    Returns None when the path must not be used at all (a URL or outside the root), an
    ``ImageFile`` with ``exists=False`` when it is simply missing.
    """
    if re.match(r"(?i)https?://", written):
        ctx.reporter.warn(Kind.REMOTE_IMAGE, loc,
                          f"remote image not fetched; its address is shown: {written[:80]}")
        return None
    if is_url(written):
        ctx.reporter.warn(Kind.OUTSIDE_ROOT, loc,
                          f"image is not a file of the book: {written[:80]}")
        return None
    relative = unquote(written.split("#", 1)[0].split("?", 1)[0])
    found = find_in_book(relative, ctx)
    if found is None:
        ctx.reporter.warn(Kind.OUTSIDE_ROOT, loc, f"image path leads outside the book: {written}")
        return None
    if not found.is_file():
        ctx.reporter.warn(Kind.MISSING_IMAGE, loc, f"image not found: {written}")
        return ImageFile(found, written, exists=False)
    if found.suffix.lower() not in IMAGE_SUFFIXES:
        ctx.reporter.warn(Kind.NOT_AN_IMAGE, loc, f"not an image, shown as text: {written}")
        return None
    return _checked_image(found, written, loc, ctx)


def resolve_link(href: str, loc: Location, ctx: PathContext) -> ImageFile | None:
    """A local link's target when the book can offer it: a note, an image, or a download on
    the allowlist; None (reported, the link shown as text) for anything else."""
    found = find_in_book(unquote(href.split("#", 1)[0].split("?", 1)[0]), ctx)
    problem = ""
    if found is None:
        problem = "leads outside the book"
    elif not found.exists():
        problem = "does not exist"
    elif not found.is_file():
        problem = "is a folder"
    elif found.suffix.lower() in IMAGE_SUFFIXES - {".svg"}:  # a linked SVG could run scripts
        return _checked_image(found, href, loc, ctx)
    elif found.suffix.lower() not in DOWNLOAD_SUFFIXES:
        problem = f"is a {found.suffix or 'suffixless'} file, which the book does not offer"
    if problem:
        kind = Kind.OUTSIDE_ROOT if found is None else Kind.LOCAL_LINK
        ctx.reporter.warn(kind, loc, f"link target {problem}; shown as text: {href}")
        return None
    return ImageFile(found, href)


def _checked_image(found: Path, written: str, loc: Location, ctx: PathContext) -> ImageFile | None:
    info = inspect_image(found)
    if info.problem:
        ctx.reporter.warn(Kind.BAD_IMAGE, loc, f"image not used, {info.problem}: {written}")
        return None
    if info.frames > 1:
        ctx.reporter.warn(Kind.ANIMATED_IMAGE, loc,
                          f"animated image ({info.frames} frames): print shows the first: "
                          f"{written}")
    return ImageFile(found, written, format=info.format)


# An SVG is served from the site's own origin and packed in the EPUB: it is read as XML, in
# whatever encoding and with whatever prefixes it declares, and kept only if every element is a
# drawing element and no attribute runs code or reaches outside the file.
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_SVG_ELEMENTS = frozenset("""svg g defs symbol use title desc metadata path rect circle ellipse
    line polyline polygon text tspan textPath linearGradient radialGradient stop clipPath mask
    pattern marker image style filter feGaussianBlur feOffset feBlend feColorMatrix feFlood
    feComposite feMerge feMergeNode switch""".split())
# What drawing programs add beside the drawing (Inkscape's views, RDF licence data): never run.
_EDITOR_NAMESPACES = frozenset({
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://purl.org/dc/elements/1.1/",
    "http://creativecommons.org/ns#", "http://web.resource.org/cc/"})
_OUTSIDE = re.compile(r"url\(\s*['\"]?(?!#)|@import|expression\(|javascript:", re.IGNORECASE)


def svg_problem(data: bytes) -> str:
    """Why an SVG cannot be published, or "" when it is only a drawing."""
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError):
        return "an SVG that is not well-formed XML"
    for element in root.iter():
        namespace, name = _split(element.tag)
        drawing = namespace == _SVG_NS and name in _SVG_ELEMENTS
        if not drawing and namespace not in _EDITOR_NAMESPACES:
            return f"an SVG holding <{name}>, which is not a drawing element"
        if name == "style" and _OUTSIDE.search(element.text or ""):
            return "an SVG whose style reaches outside the file"
        for attribute, value in element.attrib.items():
            problem = _svg_attribute_problem(*_split(attribute), value)
            if problem:
                return problem
    return ""


def _svg_attribute_problem(namespace: str, name: str, value: str) -> str:
    if name.lower().startswith("on"):
        return "an SVG with an event handler"
    if name == "href" and namespace in ("", _XLINK_NS):
        if not (value.startswith("#") or value.startswith("data:image/")):
            return "an SVG with an outside reference"
    if _OUTSIDE.search(value):
        return "an SVG whose style reaches outside the file"
    return ""


def _split(tag: str) -> tuple[str, str]:
    """``{namespace}name`` → (namespace, name)."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


@dataclass(frozen=True)
class ImageInfo:
    """What an image file really is, read from its bytes, not its name."""

    format: str = ""  # Pillow's name ("PNG", "WEBP"…) or "SVG"
    frames: int = 1
    problem: str = ""  # why it cannot be used safely; "" when it can


def inspect_image(path: Path) -> ImageInfo:
    """The image's true format and frame count, or why it cannot be used.

    Only the header of a raster image is read: a decompression bomb is refused by its size.
    """
    if path.suffix.lower() == ".svg":
        return ImageInfo("SVG", problem=svg_problem(path.read_bytes()))
    try:
        with warnings.catch_warnings():
            # Reported below, by size, as a located warning rather than on stderr.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                kind, frames = image.format or "", getattr(image, "n_frames", 1)
            if width * height <= (Image.MAX_IMAGE_PIXELS or 2**62):
                with Image.open(path) as image:
                    image.verify()  # a truncated file: its chunks end early or fail their CRC
    except Image.DecompressionBombError:
        return ImageInfo(problem="too large to decode safely (a decompression bomb?)")
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError):
        # verify() reports a damaged file as any of these
        return ImageInfo(problem="not a readable image (damaged or truncated?)")
    if width * height > (Image.MAX_IMAGE_PIXELS or 2**62):
        return ImageInfo(kind, problem=f"too large to decode safely ({width}×{height} pixels)")
    return ImageInfo(kind, frames)


def find_in_book(relative: str, ctx: PathContext) -> Path | None:
    """The first existing candidate (next to the note, then under the root), symlinks resolved.

    None when the candidate that would be used lies outside the root; when nothing exists, the
    candidate next to the note (for the message).
    """
    root = ctx.root.resolve()
    candidates = [ctx.note.parent / relative, ctx.root / relative]
    if (looked_up := LOOKED_UP.get()) is not None:
        looked_up.extend(candidates)  # for the parse cache: what the note's result depends on
    existing = [c for c in candidates if c.exists()]
    chosen = (existing or candidates)[0].resolve()
    if not chosen.is_relative_to(root):
        return None
    return chosen
