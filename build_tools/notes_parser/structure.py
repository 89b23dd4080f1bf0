"""Generic blocks and heading marks → a lesson of parts and items (questions, exercises, terms).

The structure of a note is carried by its headings, with the variations listed in
NOTES-FORMAT.md: the first heading names the lesson; shallow headings or ones named like a part
(``第三部分：一些问答``) open parts; deeper or numbered headings open items, whatever their
level, which changes within a file. Questions written as paragraphs (``1、…`` then ``答：…``, or a
bold ``**3、…？**``) are recognised too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..model import (
    Answer,
    Block,
    Emph,
    Fence,
    Heading,
    Inline,
    Item,
    Lesson,
    Link,
    ListBlock,
    Location,
    Paragraph,
    Part,
    PartKind,
    Question,
    Section,
    Strong,
    Term,
    Text,
    inline_text,
)
from .blocks import HeadingMark, split_lines, trim_break
from .exercises import parse_exercise
from .titles import looks_like_part, parse_item_number, parse_lesson_title, parse_part_title

_ANSWER_START = re.compile(r"^\s*(?:答|回答|解答|A)\s*[：:]")


@dataclass
class _Draft:
    """A part or item being collected: its heading and the blocks under it."""

    heading: HeadingMark | None
    blocks: list[Block] = field(default_factory=list)
    children: list[_Draft] = field(default_factory=list)


def build_lesson(nodes: list[Block | HeadingMark], source: Path, shown: str) -> Lesson:
    """Assemble a lesson from a note's top-level blocks; ``shown`` names it in locations."""
    title_at = next((n for n, b in enumerate(nodes) if isinstance(b, HeadingMark)), None)
    if title_at is None:
        return Lesson(Location(shown, 1), source, source.stem, (),
                      intro=tuple(nodes))  # type: ignore[arg-type]
    title_mark = nodes[title_at]
    assert isinstance(title_mark, HeadingMark)
    parsed = parse_lesson_title(inline_text(title_mark.inlines))
    before = [b for b in nodes[:title_at] if not isinstance(b, HeadingMark)]
    intro, drafts = _split_parts(nodes[title_at + 1 :], title_mark.level)
    return Lesson(
        loc=title_mark.loc,
        source=source,
        title=parsed.title,
        heading=title_mark.inlines,
        chapter=parsed.chapter,
        chapter_name=parsed.chapter_name,
        numbers=parsed.numbers,
        intro=tuple(before + intro),
        parts=tuple(_build_part(d) for d in drafts),
    )


def _split_parts(nodes, title_level: int) -> tuple[list[Block], list[_Draft]]:
    intro: list[Block] = []
    parts: list[_Draft] = []
    for node in nodes:
        if isinstance(node, HeadingMark) and _opens_part(node, title_level):
            parts.append(_Draft(node))
        elif parts:
            parts[-1].blocks.append(node)  # type: ignore[arg-type]
        elif isinstance(node, HeadingMark):
            parts.append(_Draft(None, [node]))  # items before any part: an unnamed part
        else:
            intro.append(node)
    return intro, parts


def _opens_part(mark: HeadingMark, title_level: int) -> bool:
    text = inline_text(mark.inlines)
    if looks_like_part(text):
        return True
    return mark.level <= max(3, title_level) and parse_item_number(text) is None


def _build_part(draft: _Draft) -> Part:
    heading = draft.heading
    parsed = parse_part_title(inline_text(heading.inlines)) if heading else None
    kind = _part_kind(parsed.name if parsed else "")
    intro, items = _split_items(draft.blocks, kind)
    loc = heading.loc if heading else _first_loc(draft.blocks)
    return Part(
        loc=loc,
        kind=kind,
        ordinal=parsed.ordinal if parsed else None,
        name=parsed.name if parsed else "",
        title=heading.inlines if heading else (),
        remark=parsed.remark if parsed else "",
        intro=tuple(_sub_heading(b) for b in intro),
        items=tuple(_build_item(d, kind) for d in items),
    )


def _part_kind(name: str) -> PartKind:
    if "习题" in name or "练习" in name or "作业" in name:
        return PartKind.EXERCISES
    if "名词" in name or "术语" in name:
        return PartKind.GLOSSARY
    if "问答" in name or "Q&A" in name.upper() or "答疑" in name:
        return PartKind.QA
    return PartKind.OTHER


def _split_items(nodes, kind: PartKind) -> tuple[list[Block], list[_Draft]]:
    intro: list[Block] = []
    items: list[_Draft] = []
    item_level: int | None = None
    if kind is PartKind.QA:
        nodes = [piece for node in nodes for piece in _split_at_answer_lines(node)]
    for n, node in enumerate(nodes):
        mark = node if isinstance(node, HeadingMark) else None
        if mark is None and kind is PartKind.QA and _paragraph_question(nodes, n):
            mark = HeadingMark(node.loc, 0, _unbold(node.inlines))
        if mark is not None and _opens_item(mark, item_level, bool(items)):
            item_level = item_level or mark.level
            items.append(_Draft(mark))
        elif items:
            items[-1].blocks.append(node)  # a sub-heading stays a HeadingMark here
        else:
            intro.append(node)
    return intro, items


def _opens_item(mark: HeadingMark, item_level: int | None, has_items: bool) -> bool:
    numbered = parse_item_number(inline_text(mark.inlines)) is not None
    return numbered or not has_items or mark.level in (0, item_level)


def _paragraph_question(nodes, n: int) -> bool:
    """``1、…`` followed by ``答：…``, or a bold numbered paragraph ``**3、…？**``."""
    node = nodes[n]
    if not isinstance(node, Paragraph):
        return False
    text = inline_text(node.inlines)
    if parse_item_number(text) is None or _ANSWER_START.match(text):
        return False
    if len(node.inlines) == 1 and isinstance(node.inlines[0], Strong):
        return True
    following = nodes[n + 1] if n + 1 < len(nodes) else None
    return isinstance(following, Paragraph) and bool(
        _ANSWER_START.match(inline_text(following.inlines))
    )


def _split_at_answer_lines(node):
    """A paragraph with a later line starting ``答：`` is a question (or prompt) and its answer."""
    if not isinstance(node, Paragraph):
        return [node]
    out: list[Paragraph] = []
    for offset, line in enumerate(tuple(line) for line in split_lines(node.inlines)):
        if not line:
            continue
        if out and not _ANSWER_START.match(inline_text(line)):
            out[-1] = replace(out[-1], inlines=out[-1].inlines + line)
        else:
            out.append(Paragraph(Location(node.loc.path, node.loc.line + offset), line))
    return [replace(p, inlines=trim_break(p.inlines)) for p in out]


def _unbold(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    if len(inlines) == 1 and isinstance(inlines[0], Strong):
        return inlines[0].children
    return inlines


def _build_item(draft: _Draft, kind: PartKind) -> Item:
    mark = draft.heading
    assert mark is not None
    number = parse_item_number(inline_text(mark.inlines))
    title = strip_chars(mark.inlines, number.length) if number else mark.inlines
    number_text = number.text if number else ""
    value = number.number if number else None
    blocks = tuple(_sub_heading(b) for b in draft.blocks)
    if kind is PartKind.QA:
        prompt, answers = _split_answers(blocks)
        return Question(mark.loc, number_text, value, title, prompt, answers)
    if kind is PartKind.EXERCISES:
        return parse_exercise(mark.loc, number_text, value, title, blocks)
    if kind is PartKind.GLOSSARY:
        return Term(mark.loc, number_text, title, blocks)
    return Section(mark.loc, number_text, title, blocks)


def _sub_heading(node) -> Block:
    if isinstance(node, HeadingMark):
        return Heading(node.loc, node.level, node.inlines)
    return node


def _split_answers(blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], tuple[Answer, ...]]:
    """The question's own text, then its answer and any follow-ups, in order.

    An answer starts at the first fence (or ``答：`` paragraph); a fence right after another
    fence is a follow-up (a reply to the answer); anything else belongs to the reply above it.
    """
    prompt: list[Block] = []
    answers: list[list[Block]] = []
    previous: Block | None = None
    for block in blocks:
        starts = _starts_answer(block)
        if starts and (not answers or (isinstance(previous, Fence) and isinstance(block, Fence))):
            answers.append([block])
        elif answers:
            answers[-1].append(block)
        else:
            prompt.append(block)
        previous = block
    return tuple(prompt), tuple(
        Answer(_first_loc(a), tuple(a), followup=n > 0) for n, a in enumerate(answers)
    )


def _starts_answer(block: Block) -> bool:
    if isinstance(block, Fence):
        return True
    if isinstance(block, Paragraph):
        return bool(_ANSWER_START.match(inline_text(block.inlines)))
    if isinstance(block, ListBlock):
        return any(isinstance(b, Fence) for item in block.items for b in item)
    return False


def _first_loc(blocks) -> Location:
    return blocks[0].loc if blocks else Location("", 0)


def strip_chars(inlines: tuple[Inline, ...], count: int) -> tuple[Inline, ...]:
    """Remove ``count`` leading characters of text (an item number) from ``inlines``."""
    out, _ = _strip(inlines, count)
    return out


def _strip(inlines, count):
    out: list[Inline] = []
    for inline in inlines:
        if count <= 0:
            out.append(inline)
        elif isinstance(inline, Text):
            kept = inline.text[count:]
            count -= len(inline.text) - len(kept)
            if kept:
                out.append(Text(kept))
        elif isinstance(inline, Strong | Emph):
            children, count = _strip(inline.children, count)
            out.append(type(inline)(children))
        elif isinstance(inline, Link):
            children, count = _strip(inline.children, count)
            out.append(Link(inline.href, children, inline.title, inline.local))
        else:
            out.append(inline)
            count -= len(inline_text((inline,)))
    return tuple(out), count
