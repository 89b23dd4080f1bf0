"""Inline content → MyST text, escaped so that MyST reads it exactly as the note meant it.

Notes contain no markup beyond CommonMark, so every character MyST could read as syntax —
``$`` (math), ``{x}`` (roles), ``%`` (comments), ``(x)=`` (targets), ``<`` (raw HTML), table pipes —
is backslash-escaped. A soft line break between two CJK characters is joined: a reader of Chinese
sees no space there, while HTML would show one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from ..model import (
    Code,
    Emph,
    HardBreak,
    Inline,
    InlineImage,
    Link,
    RawInline,
    SoftBreak,
    Strong,
    Text,
    inline_text,
)

# ASCII punctuation MyST or CommonMark may read as syntax anywhere in a line.
_ALWAYS = set("\\`*_[]<>#!|$%{}~&()^")
# Characters that only mean something at the start of a line.
_LINE_START = re.compile(r"^([ \t]*)([-+=:]|\d+[.)])", re.MULTILINE)
_SOFT = "\x00"
_CJK_RANGES = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
               (0x20000, 0x3FFFF), (0x3000, 0x303F))


def is_cjk(ch: str) -> bool:
    """CJK ideographs, radicals, CJK and full-width punctuation: no space between them."""
    code = ord(ch)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def escape_text(text: str) -> str:
    return "".join("\\" + ch if ch in _ALWAYS else ch for ch in text)


# The image and link renderers need the writer's file map; they are passed in.
ImageRenderer = Callable[[InlineImage], str]
LinkRenderer = Callable[[Link, str], str]


class InlineRenderer:
    """Renders inline runs; one instance per lesson, holding how images and links are written."""

    def __init__(self, image: ImageRenderer, link: LinkRenderer) -> None:
        self._image = image
        self._link = link

    def render(self, inlines: tuple[Inline, ...]) -> str:
        """Render a paragraph's (or heading's) inlines, joining CJK soft breaks."""
        text = self._run(inlines)
        text = _join_soft_breaks(text)
        return _LINE_START.sub(_escape_line_start, text)

    def _run(self, inlines: tuple[Inline, ...]) -> str:
        out: list[str] = []
        for n, inline in enumerate(inlines):
            before = out[-1][-1:] if out and out[-1] else ""
            after = inline_text(inlines[n + 1 : n + 2])[:1]
            out.append(self._one(inline, before, after))
        return "".join(out)

    def _one(self, inline: Inline, before: str, after: str) -> str:
        if isinstance(inline, Text):
            return escape_text(inline.text)
        if isinstance(inline, Code):
            return code_span(inline.code)
        if isinstance(inline, SoftBreak):
            return _SOFT
        if isinstance(inline, HardBreak):
            return "\\\n"
        if isinstance(inline, Strong | Emph):
            return self._emphasis(inline, before, after)
        if isinstance(inline, Link):
            return self._link(inline, self._run(inline.children))
        if isinstance(inline, InlineImage):
            return self._image(inline)
        if isinstance(inline, RawInline):
            return inline.html
        raise TypeError(f"unknown inline {inline!r}")

    def _emphasis(self, inline: Strong | Emph, before: str, after: str) -> str:
        inner = self._run(inline.children)
        if not inner.strip(_SOFT):
            return inner
        if _flanks(inner, before, after):
            marker = "**" if isinstance(inline, Strong) else "*"
            return f"{marker}{inner}{marker}"
        # CommonMark would leave the markers open here (punctuation inside next to a letter
        # outside, common in Chinese): a role needs no flanking, but holds plain text only, so
        # markup inside (a <mark>, code) keeps its form between allowlisted HTML tags instead.
        if all(isinstance(child, Text) for child in inline.children):
            role = "strong" if isinstance(inline, Strong) else "emphasis"
            return role_span(role, inline_text(inline.children))
        tag = "strong" if isinstance(inline, Strong) else "em"
        return f"<{tag}>{inner}</{tag}>"


def code_span(code: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if code.startswith(("`", " ")) or code.endswith(("`", " ")) else ""
    return f"{fence}{pad}{code}{pad}{fence}"


def role_span(role: str, text: str) -> str:
    text = text.replace("\n", " ")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{{{role}}}{fence}{text}{fence}"


def _flanks(inner: str, before: str, after: str) -> bool:
    """Whether ``**inner**`` between ``before`` and ``after`` opens and closes in CommonMark."""
    first, last = inner[0], inner[-1]
    if first.isspace() or last.isspace() or first == _SOFT or last == _SOFT:
        return False
    opens = not _is_punct(first) or not before or before.isspace() or _is_punct(before)
    closes = not _is_punct(last) or not after or after.isspace() or _is_punct(after)
    # An escaped character starts with a backslash, which is punctuation too.
    return opens and closes


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith(("P", "S"))


def _join_soft_breaks(text: str) -> str:
    joined = ""
    for n, piece in enumerate(text.split(_SOFT)):
        if n:
            cjk_pair = joined[-1:] and piece[:1] and is_cjk(joined[-1]) and is_cjk(piece[0])
            joined += "" if cjk_pair else "\n"
        joined += piece
    return joined


def _escape_line_start(match: re.Match) -> str:
    indent, token = match.group(1), match.group(2)
    if token[0].isdigit():
        return f"{indent}{token[:-1]}\\{token[-1]}"
    return f"{indent}\\{token}"
