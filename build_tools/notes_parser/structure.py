"""Generic blocks and heading marks → a lesson of parts and items (questions, exercises, terms).

The structure of a note is carried by its headings, with the variations listed in
docs/notes-format.md: the first heading names the lesson; shallow headings or ones named like a part
(``第三部分：一些问答``) open parts; deeper or numbered headings open items, whatever their
level, which changes within a file. Questions written as paragraphs (``1、…`` then ``答：…``, or a
bold ``**3、…？**``) are recognised too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
from .blocks import HeadingMark, split_paragraph_at
from .choices import expand_choice_sets, split_paragraph_exercises
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
    heading = title_mark.inlines
    if parsed.number_chars:  # "# 1 大模型…": the 1 is printed as the lesson's number
        heading = strip_chars(heading, parsed.number_chars)
    return Lesson(
        loc=title_mark.loc,
        source=source,
        title=parsed.title,
        heading=heading,
        chapter=parsed.chapter,
        chapter_name=parsed.chapter_name,
        numbers=parsed.numbers,
        companion=parsed.companion,
        intro=tuple(before + intro),
        parts=tuple(_build_part(d) for d in drafts),
    )


def _split_parts(nodes, title_level: int) -> tuple[list[Block], list[_Draft]]:
    intro: list[Block] = []
    parts: list[_Draft] = []
    part_level: int | None = None  # the heading level of the open part
    item_level: int | None = None  # the level of the first heading inside it
    for node in nodes:
        if isinstance(node, HeadingMark) and _opens_part(node, title_level, part_level,
                                                         item_level):
            parts.append(_Draft(node))
            part_level, item_level = node.level, None
        elif isinstance(node, HeadingMark):
            item_level = item_level or node.level
            if not parts:
                parts.append(_Draft(None))  # items before any part: a part with no heading
            parts[-1].blocks.append(node)  # type: ignore[arg-type]
        elif parts:
            parts[-1].blocks.append(node)  # type: ignore[arg-type]
        else:
            intro.append(node)
    return intro, parts


def _opens_part(mark: HeadingMark, title_level: int, part_level: int | None,
                item_level: int | None) -> bool:
    """Named like a part, or an unnumbered shallow heading that is not inside an item.

    ``### 概念`` under ``## 1、什么是 AI Agent？`` belongs to that item: a heading deeper than
    the items of the open part never opens a part of its own.
    """
    text = inline_text(mark.inlines)
    if looks_like_part(text):
        return True
    if parse_item_number(text) is not None or mark.level > max(3, title_level):
        return False
    return ((part_level is None or mark.level <= part_level)
            and (item_level is None or mark.level < item_level))


def _build_part(draft: _Draft) -> Part:
    heading = draft.heading
    parsed = parse_part_title(inline_text(heading.inlines)) if heading else None
    kind = _part_kind(parsed.name if parsed else "")
    intro, drafts = _split_items(draft.blocks, kind)
    loc = heading.loc if heading else _first_loc(draft.blocks)
    intro_blocks = with_depths(intro)
    items = [_build_item(d, kind) for d in drafts]
    if kind in (PartKind.EXERCISES, PartKind.OTHER):
        intro_blocks, items = expand_choice_sets(intro_blocks, items)
    return Part(
        loc=loc,
        kind=kind,
        ordinal=parsed.ordinal if parsed else None,
        name=parsed.name if parsed else "",
        title=heading.inlines if heading else (),
        remark=parsed.remark if parsed else "",
        intro=intro_blocks,
        items=tuple(items),
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
    if kind is PartKind.EXERCISES:
        nodes = split_paragraph_exercises(nodes)
    for n, node in enumerate(nodes):
        mark = node if isinstance(node, HeadingMark) else None
        if mark is None and kind is PartKind.QA and _paragraph_question(nodes, n):
            mark = HeadingMark(node.loc, 0, _unbold(node.inlines))
        if mark is not None and _opens_item(mark, items, item_level, kind):
            item_level = item_level or mark.level
            items.append(_Draft(mark))
        elif items:
            items[-1].blocks.append(node)  # a sub-heading stays a HeadingMark here
        else:
            intro.append(node)
    return intro, items


def _opens_item(mark: HeadingMark, items: list[_Draft], item_level: int | None,
                kind: PartKind) -> bool:
    """A heading at the items' level, or numbered (the level may change within a file).

    In a part of sections, a deeper numbered heading is a sub-heading as the author nested it
    (``#### 2.1 …`` or ``#### 第一、…`` under ``### 2. …``), unless its number continues the
    items' own sequence (``##### 3.`` after ``#### 2.``) and no sub-heading of the item sits at
    its level already (``第三、`` after ``第一、`` and ``第二、`` inside item 2 stays there).
    """
    if not items or mark.level in (0, item_level):
        return True
    number = parse_item_number(inline_text(mark.inlines))
    if number is None:
        return False
    if kind is PartKind.OTHER and item_level and mark.level > item_level:
        if any(isinstance(b, HeadingMark) and b.level <= mark.level for b in items[-1].blocks):
            return False
        previous = parse_item_number(inline_text(items[-1].heading.inlines))
        return bool(previous and previous.number and number.number == previous.number + 1
                    and "." not in number.text)
    return True


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
    return split_paragraph_at(node, lambda text: bool(_ANSWER_START.match(text)))


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
    blocks = with_depths(draft.blocks)
    if kind is PartKind.QA:
        prompt, answers = _split_answers(blocks)
        if not answers and prompt and not _announces_more(title):
            # No fence and no 答：: the heading asks, the text under it answers (flat notes:
            # ``### 1、…有什么区别？`` then a paragraph). A title ending in a colon announces
            # more of the question instead (``…有差异的：`` then a list).
            prompt, answers = (), (Answer(_first_loc(prompt), prompt),)
        return Question(mark.loc, number_text, value, title, prompt, answers)
    if kind is PartKind.EXERCISES:
        return parse_exercise(mark.loc, number_text, value, title, blocks)
    # Terms and sections print their heading as written, the author's number included: the
    # number is theirs (1. 引言, 第一、…), not one the book gives.
    if kind is PartKind.GLOSSARY:
        return Term(mark.loc, number_text, mark.inlines, blocks, name=title)
    return Section(mark.loc, number_text, mark.inlines, blocks)


def _announces_more(title: tuple[Inline, ...]) -> bool:
    return inline_text(title).rstrip().endswith(("：", ":"))


def with_depths(nodes) -> tuple[Block, ...]:
    """Sub-headings as ``Heading`` blocks, each with its depth below the part or item that
    holds them, skipped levels closed."""
    open_levels: list[int] = []
    out: list[Block] = []
    for node in nodes:
        if isinstance(node, HeadingMark):
            while open_levels and open_levels[-1] >= node.level:
                open_levels.pop()
            open_levels.append(node.level)
            out.append(Heading(node.loc, node.level, node.inlines, depth=len(open_levels)))
        else:
            out.append(node)
    return tuple(out)


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
