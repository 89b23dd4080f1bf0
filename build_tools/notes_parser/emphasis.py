"""Bold that CommonMark leaves open next to CJK punctuation, closed as the author meant.

CommonMark will not close ``**编码器：**这些``: the closing ``**`` follows punctuation and is
followed by a letter, so it is not "right-flanking". Every editor the notes were written in shows
it bold, so markdown-it's literal ``**`` pairs are turned into ``Strong`` here.
"""

from __future__ import annotations

from ..model import Emph, Inline, Link, Strong, Text

_MARK = "**"


def close_cjk_emphasis(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Pair up literal ``**`` left in text nodes at each level and wrap what lies between."""
    inlines = tuple(_descend(i) for i in inlines)
    pieces = _split_marks(inlines)
    marks = [n for n, piece in enumerate(pieces) if piece is None]
    if len(marks) < 2:
        return _merge_text(list(inlines))
    paired = marks[: len(marks) // 2 * 2]
    out: list[Inline] = []
    inside: list[Inline] | None = None
    for n, piece in enumerate(pieces):
        if piece is None and n in paired:
            if inside is None:
                inside = []
            else:
                out.append(Strong(_merge_text(inside)))
                inside = None
            continue
        target = inside if inside is not None else out
        target.append(Text(_MARK) if piece is None else piece)
    return _merge_text(out)


def _descend(inline: Inline) -> Inline:
    if isinstance(inline, Strong):
        return Strong(close_cjk_emphasis(inline.children))
    if isinstance(inline, Emph):
        return Emph(close_cjk_emphasis(inline.children))
    if isinstance(inline, Link):
        return Link(inline.href, close_cjk_emphasis(inline.children), inline.title, inline.local)
    return inline


def _split_marks(inlines: tuple[Inline, ...]) -> list[Inline | None]:
    """Inlines with every literal ``**`` in text as a None piece."""
    pieces: list[Inline | None] = []
    for inline in inlines:
        if not isinstance(inline, Text) or inline.literal or _MARK not in inline.text:
            pieces.append(inline)
            continue
        parts = inline.text.split(_MARK)
        for n, part in enumerate(parts):
            if n:
                pieces.append(None)
            if part:
                pieces.append(Text(part))
    return pieces


def _merge_text(inlines: list[Inline]) -> tuple[Inline, ...]:
    merged: list[Inline] = []
    for inline in inlines:
        if isinstance(inline, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + inline.text)
        else:
            merged.append(inline)
    return tuple(merged)
