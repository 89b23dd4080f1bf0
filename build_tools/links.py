"""Links between the notes of a book: which lesson, and which heading, a link leads to.

A note links another as its author sees it on GitHub: ``[第二课作业](lesson2_homework.md)`` or
``[安装](lesson3.md#安装步骤)``, the fragment being GitHub's slug of a heading. The parser warns
about fragments no heading has; the writer turns each link into a cross-reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from .model import (
    Block,
    Emph,
    Exercise,
    Heading,
    Inline,
    Lesson,
    Link,
    Location,
    Question,
    Strong,
    inline_text,
    item_blocks,
    item_title,
    iter_blocks,
    iter_inline_runs,
)


def github_slug(text: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def heading_anchors(lesson: Lesson) -> dict[str, Location]:
    """Every GitHub anchor of a lesson's headings → the heading's location (repeats -1, -2).

    A question's or exercise's heading is known without its separator (``2、`` was read as
    number 2), so both spellings GitHub could have made of it are anchors of it.
    """
    anchors: dict[str, Location] = {}
    seen: dict[str, int] = {}
    for loc, texts in _headings(lesson):
        for slug in dict.fromkeys(github_slug(text) for text in texts):
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            anchors.setdefault(f"{slug}-{count}" if count else slug, loc)
    return anchors


def _headings(lesson: Lesson) -> Iterator[tuple[Location, list[str]]]:
    """Each heading's location and text as written (an item's with its number put back)."""
    yield lesson.loc, [inline_text(lesson.heading)]
    for part in lesson.parts:
        if part.title:
            yield part.loc, [inline_text(part.title)]
        yield from _block_headings(part.intro)
        for item in part.items:
            title = inline_text(item_title(item))
            if isinstance(item, Question | Exercise):
                yield item.loc, [f"{item.number_text} {title}", f"{item.number_text}{title}"]
            else:
                yield item.loc, [title]
            yield from _block_headings(item_blocks(item))


def _block_headings(blocks: tuple[Block, ...]) -> Iterator[tuple[Location, list[str]]]:
    for block in iter_blocks(blocks):
        if isinstance(block, Heading):
            yield block.loc, [inline_text(block.inlines)]


def iter_links(lesson: Lesson) -> Iterator[tuple[Location, Link]]:
    """Every link of a lesson, with the location of the block that holds it."""
    yield from _inline_links(lesson.loc, lesson.heading)
    for part in lesson.parts:
        yield from _inline_links(part.loc, part.title)
        yield from _block_links(part.intro)
        for item in part.items:
            yield from _inline_links(item.loc, item_title(item))
            yield from _block_links(item_blocks(item))
    yield from _block_links(lesson.intro)


def _block_links(blocks: tuple[Block, ...]) -> Iterator[tuple[Location, Link]]:
    for loc, inlines in iter_inline_runs(blocks):
        yield from _inline_links(loc, inlines)


def _inline_links(loc: Location, inlines: tuple[Inline, ...]) -> Iterator[tuple[Location, Link]]:
    for inline in inlines:
        if isinstance(inline, Link):
            yield loc, inline
            yield from _inline_links(loc, inline.children)
        elif isinstance(inline, Strong | Emph):
            yield from _inline_links(loc, inline.children)


def fragment(link: Link) -> str:
    """The decoded ``#…`` part of a link's target, "" when it has none."""
    return unquote(link.href.split("#", 1)[1]) if "#" in link.href else ""


def note_key(path: Path) -> Path:
    """How notes and link targets are compared: the resolved file."""
    return path.resolve()
