"""Figures and images in the MyST: captions, placeholders, the names images are copied under.

A figure's caption is its alt text when that says something; editors fill alt texts with
placeholders (``avatar``, ``Alt Image Text``), which say nothing, and then the caption names the
item the figure belongs to (问题 2.4 配图 1).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Figure, ImageFile
from .inline import escape_text

# The suffix an image is written with, from its true format; anything else becomes a PNG.
_IMAGE_SUFFIXES = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp", "SVG": ".svg"}
# Alt texts that say nothing about the picture (editors fill them in).
MEANINGLESS_ALT = {
    "", "avatar", "image", "img", "图片", "图片格式", "图", "截图", "pic", "picture",
    "alt image text", "alt text", "alt",
}


def image_suffix(image_format: str) -> str:
    """``.webp`` for WebP bytes whatever the file's name; ``.png`` for formats an EPUB cannot
    hold (BMP, TIFF…), which are converted when written (see :func:`needs_png`)."""
    return _IMAGE_SUFFIXES.get(image_format, ".png")


def needs_png(image_format: str) -> bool:
    """Whether an image must be converted to PNG to be published (its format is not one an
    EPUB holds)."""
    return image_format not in _IMAGE_SUFFIXES


def unavailable_image(alt: str, written: str, file: ImageFile | None) -> str:
    """What stands in for an image the book cannot show, keeping the note's words.

    A missing file is marked as such; a web image becomes a link; anything else (not an image,
    outside the root) is shown as text with the path it pointed at, like a local link.
    """
    words = alt.strip() if alt.strip().lower() not in MEANINGLESS_ALT else ""
    if file is not None:
        return escape_text(f"［图片缺失：{written}］" + (f"（{words}）" if words else ""))
    if re.match(r"(?i)https?://", written):  # never fetched: a placeholder with its address
        link = f"[{escape_text(words or written)}](<{safe_href(written)}>)"
        return f"{escape_text('［网络图片：')}{link}{escape_text('］')}"
    return escape_text(f"{words}（{written}）" if words else f"［{written}］")


def safe_href(href: str) -> str:
    """A URL that cannot break out of MyST's ``<…>`` link destination."""
    return href.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def figure_caption(figure: Figure, owner: tuple[str, str], position: int) -> tuple[str, str]:
    """(caption, alt text) of a figure: the note's words when they say something."""
    for text in (figure.alt, figure.title):
        if meaningful(text, figure):
            return text.strip(), text.strip()
    caption = f"{owner[0]} 配图 {position}"
    return caption, f"{caption}：{owner[1]}" if owner[1] and owner[1] != owner[0] else caption


def meaningful(text: str, figure: Figure) -> bool:
    """Whether an alt text or title says something (not "avatar", not the file's name)."""
    text = text.strip()
    return text.lower() not in MEANINGLESS_ALT and text != Path(figure.written).stem
