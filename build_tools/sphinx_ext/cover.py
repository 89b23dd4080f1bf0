"""The EPUB cover: drawn from the book's metadata when ``conf.py`` names no cover of its own.

``draw_cover`` is a pure function (metadata in, PNG file out, the same bytes every time);
``claim_cover`` and ``add_epub_cover`` hand its picture to Sphinx's EPUB builder through the
static path, the way the builder ships every other asset into the zip. A book that has a
cover of its own sets ``epub_cover`` in conf.py to any other image and nothing is drawn.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from sphinx.application import Sphinx
from sphinx.config import Config

COVER_IMAGE = "cover.png"
COVER_CSS = "cover.css"
# The image in the zip, and Sphinx's own template for the page that shows it first in the book.
DRAWN_COVER = (f"_static/{COVER_IMAGE}", "epub-cover.html")
# Sphinx writes this when conf.py sets no epub_description; it is no subtitle.
UNSET_DESCRIPTION = "unknown"

FONT_DIR = Path("/usr/share/fonts/opentype/noto")  # Debian package fonts-noto-cjk
SERIF_BOLD = "NotoSerifCJK-Bold.ttc"
SANS_REGULAR = "NotoSansCJK-Regular.ttc"
FONT_INDEX_SC = 2  # Index of the Simplified Chinese face inside the .ttc collections.

SIZE = (1600, 2400)  # 2:3, the proportion most stores and readers expect of a cover.
MARGIN = 180
TEXT_WIDTH = SIZE[0] - 2 * MARGIN
PAPER = (249, 247, 242)
INK = (28, 36, 46)
GREY = (105, 105, 105)
RULE = (200, 198, 192)
ACCENT = (59, 110, 165)  # The blue of the question bars in qa.css.

TITLE_TOP = 640
TITLE_SIZES = (168, 148, 128, 112, 96)  # Largest first; the first that fits in MAX_TITLE_LINES.
MAX_TITLE_LINES = 3
SUBTITLE_SIZE = 56
AUTHOR_SIZE = 60
VERSION_SIZE = 44
FOOTER_RULE_Y = 2030

# A Latin word or number stays whole; any other character may end a line.
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+\-_/]*|\s+|.")
OPENING = "（《「『“‘("
CLOSING = "）》」』”’)"
BREAK_AFTER = "，。、；：？！,;:?!"
# Closing punctuation never starts a line (Chinese line-breaking rules, 禁则).
NO_LINE_START = frozenset(BREAK_AFTER + CLOSING + ".")
# A phrase runs from its opening bracket up to and with its punctuation, closing brackets or
# spaces: the places where a title or subtitle best breaks.
_ENDS = re.escape(BREAK_AFTER + CLOSING)
PHRASE = re.compile(
    rf"[{re.escape(OPENING)}]*[^{re.escape(OPENING)}{_ENDS}\s]*[{_ENDS}\s]*")

CSS = """\
/* The cover page: the whole picture on one screen, centred, without the page's margins. */
div.epub-cover { margin: 0; padding: 0; text-align: center; }
div.epub-cover img { max-width: 100%; max-height: 100vh; }
"""


@cache
def load_font(file_name: str, size: int) -> ImageFont.FreeTypeFont:
    """Return the Simplified Chinese face of a Noto CJK collection at ``size`` pixels."""
    path = FONT_DIR / file_name
    if not path.is_file():
        raise FileNotFoundError(f"{path}: font not found; install fonts-noto-cjk")
    return ImageFont.truetype(str(path), size, index=FONT_INDEX_SC)


def phrases(text: str) -> list[str]:
    """``text`` with its white space collapsed, cut into phrases (see ``PHRASE``)."""
    return [phrase for phrase in PHRASE.findall(" ".join(text.split())) if phrase]


def fits(text: str, font: ImageFont.FreeTypeFont, width: float) -> bool:
    """Whether ``text`` set in ``font``, trailing spaces aside, is at most ``width`` wide."""
    return font.getlength(text.rstrip()) <= width


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width``, after punctuation where possible.

    A phrase (up to and with its punctuation) moves whole to the next line if the current one
    is at least half full; otherwise it is broken between characters. A line may still
    overflow when one Latin word is wider than ``width``, or when closing punctuation hangs
    after the character it belongs to.
    """
    lines = [""]
    for phrase in phrases(text):
        if fits(lines[-1] + phrase, font, width):
            lines[-1] += phrase
        elif fits(phrase, font, width) and font.getlength(lines[-1]) >= width / 2:
            lines.append(phrase)
        else:
            break_between_characters(lines, phrase, font, width)
    return [line.strip() for line in lines if line.strip()]


def break_between_characters(lines: list[str], phrase: str, font: ImageFont.FreeTypeFont,
                             width: float) -> None:
    """Add ``phrase`` to ``lines`` token by token, starting new lines where the rules allow."""
    for token in TOKEN.findall(phrase):
        breakable = not token.isspace() and token[0] not in NO_LINE_START
        if lines[-1].strip() and breakable and not fits(lines[-1] + token, font, width):
            lines.append(token)
        else:
            lines[-1] += token


def balanced_wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Wrap into as few lines as ``wrap`` does, but as even as possible.

    A title of nine characters reads better as five over four than as eight over one.
    """
    count = len(wrap(text, font, width))
    narrow, wide = 1, width
    while narrow < wide:
        middle = (narrow + wide) // 2
        if len(wrap(text, font, middle)) <= count:
            wide = middle
        else:
            narrow = middle + 1
    return wrap(text, font, wide)


def whole_phrases(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str] | None:
    """Lines of whole phrases only, or None when some phrase alone is wider than ``width``."""
    lines = [""]
    for phrase in phrases(text):
        if not fits(phrase, font, width):
            return None
        if lines[-1] and not fits(lines[-1] + phrase, font, width):
            lines.append("")
        lines[-1] += phrase
    return [line.strip() for line in lines]


def fit_title(title: str) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The title's font and lines.

    The largest size at which the title fits in ``MAX_TITLE_LINES`` lines of whole phrases;
    failing that, the largest at which its lines, broken anywhere but balanced, fit; failing
    that, the smallest size.
    """
    fonts = [load_font(SERIF_BOLD, size) for size in TITLE_SIZES]
    for font in fonts:
        lines = whole_phrases(title, font, TEXT_WIDTH)
        if lines and len(lines) <= MAX_TITLE_LINES:
            return font, lines
    for font in fonts:
        lines = balanced_wrap(title, font, TEXT_WIDTH)
        if len(lines) <= MAX_TITLE_LINES:
            break
    return font, lines


def draw_lines(draw: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont,
               top: int, leading: float, fill: tuple[int, int, int]) -> int:
    """Draw ``lines`` left-aligned from ``top``; return the y just below the last one."""
    step = round(font.size * leading)
    for index, line in enumerate(lines):
        draw.text((MARGIN, top + font.size + index * step), line, font=font, fill=fill,
                  anchor="ls")
    return top + font.size + (len(lines) - 1) * step + round(font.size * 0.25)


def draw_cover(path: Path, title: str, author: str, version: str, subtitle: str = "") -> None:
    """Write a plain typographic cover to ``path`` as PNG, the same bytes for the same input.

    The title is set large in Noto Serif CJK SC under a short accent bar, over up to three
    lines broken between phrases where it can (``fit_title``); the subtitle, if any, follows
    in Noto Sans CJK SC; author and version sit at the foot under a hairline.

    :param path: the PNG file to write; its folder must exist
    :param version: printed as "版本 {version}"; left out when empty
    """
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((MARGIN, TITLE_TOP - 90, MARGIN + 120, TITLE_TOP - 78), fill=ACCENT)
    title_font, title_lines = fit_title(title)
    bottom = draw_lines(draw, title_lines, title_font, TITLE_TOP, 1.3, INK)
    if subtitle:
        font = load_font(SANS_REGULAR, SUBTITLE_SIZE)
        draw_lines(draw, wrap(subtitle, font, TEXT_WIDTH), font, bottom + 70, 1.6, GREY)
    draw.line((MARGIN, FOOTER_RULE_Y, SIZE[0] - MARGIN, FOOTER_RULE_Y), fill=RULE, width=3)
    bottom = draw_lines(draw, [author], load_font(SANS_REGULAR, AUTHOR_SIZE),
                        FOOTER_RULE_Y + 60, 1.4, INK)
    if version:
        draw_lines(draw, [f"版本 {version}"], load_font(SANS_REGULAR, VERSION_SIZE),
                   bottom + 20, 1.4, GREY)
    # No text chunks and no timestamps: Pillow's PNG is then a function of the pixels alone.
    image.save(path, format="PNG", optimize=True)


def claim_cover(app: Sphinx, config: Config) -> None:
    """``config-inited``: name our cover in ``epub_cover`` unless conf.py names one.

    Set here, not at ``builder-inited``: Sphinx compares ``epub_cover`` with the pickled
    environment's right after this event, and a value that changed later would make every
    following build (HTML or EPUB, sharing the doctrees) read all sources again.
    """
    if not config.epub_cover:
        config.epub_cover = DRAWN_COVER


def add_epub_cover(app: Sphinx) -> None:
    """``builder-inited``: for the EPUB, draw the cover that ``claim_cover`` named.

    The picture goes to ``<doctreedir>/epub-cover/``, build state beside the doctrees and never
    in the sources; that folder joins the static path, so the builder copies it into
    ``_static/`` and lists it in the zip's manifest.
    """
    config = app.config
    if app.builder.name != "epub" or tuple(config.epub_cover) != DRAWN_COVER:
        return
    folder = Path(app.doctreedir).resolve() / "epub-cover"
    folder.mkdir(parents=True, exist_ok=True)
    description = config.epub_description
    subtitle = "" if description == UNSET_DESCRIPTION else description
    # The author as book.toml gives it: no stand-in for an empty one (epub_author has one).
    draw_cover(folder / COVER_IMAGE, config.epub_title or config.project,
               config.author, config.version, subtitle)
    (folder / COVER_CSS).write_text(CSS, encoding="utf-8")
    config.html_static_path.append(str(folder))
    app.add_css_file(COVER_CSS)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", claim_cover)
    # builder-inited: the builder is known (only the EPUB gets a drawing) and the static
    # files have not been copied yet.
    app.connect("builder-inited", add_epub_cover)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
