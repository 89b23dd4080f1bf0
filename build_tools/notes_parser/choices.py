"""Choice questions written together, found wherever the author put them.

A 单选题 set is often typed as one ``text`` fence of numbered questions with their options and
``答：C`` lines, under a heading (``#### 单选题：``) or under none, or as plain numbered
paragraphs. Each question becomes an exercise of its own; the heading, if any, stays above them
as written. See docs/notes-format.md, "Exercises".
"""

from __future__ import annotations

from ..model import (
    Block,
    Exercise,
    Fence,
    Inline,
    Item,
    ListBlock,
    Location,
    Paragraph,
    Section,
    Text,
    inline_text,
)
from .blocks import HeadingMark, split_lines, split_paragraph_at, trim_break
from .exercises import is_option_line, is_question_line, split_choice_fence


def expand_choice_sets(intro: tuple[Block, ...], items: list[Item],
                       ) -> tuple[tuple[Block, ...], list[Item]]:
    """A part's intro and items with every choice fence split into exercises."""
    kept, leading = _split_blocks(intro)
    out: list[Item] = list(leading)
    for item in items:
        if not isinstance(item, Exercise | Section):
            out.append(item)
            continue
        blocks, exercises = _split_blocks(item.blocks)
        if not exercises:
            out.append(item)
            continue
        out.append(Section(item.loc, "", _heading_as_written(item), blocks))
        out.extend(exercises)
    return kept, out


def _split_blocks(blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], list[Exercise]]:
    """(blocks that are not choice sets, the exercises of those that are)."""
    kept: list[Block] = []
    exercises: list[Exercise] = []
    for block in blocks:
        found = split_choice_fence(block) if isinstance(block, Fence) else None
        if found:
            exercises.extend(found)
        else:
            kept.append(block)
    return tuple(kept), exercises


def _heading_as_written(item: Exercise | Section) -> tuple[Inline, ...]:
    if isinstance(item, Section):
        return item.title
    if item.number_text:
        return (Text(f"{item.number_text}、"), *item.stem)
    return item.stem


def split_paragraph_exercises(nodes: list) -> list:
    """Numbered paragraphs followed by options become item marks (``HeadingMark`` level 0)
    and the rest of their text, so that each opens an exercise.

    ``1、下列哪项…？`` then ``A. …`` lines (in the paragraph or a list after it) and ``答：B``.
    """
    pieces = [piece for node in nodes for piece in split_paragraph_at(node, is_question_line)]
    out: list = []
    for n, node in enumerate(pieces):
        following = pieces[n + 1] if n + 1 < len(pieces) else None
        if isinstance(node, Paragraph) and _opens_exercise(node, following):
            first, *rest = split_lines(node.inlines)
            out.append(HeadingMark(node.loc, 0, trim_break(first)))
            rest_inlines = trim_break([inline for line in rest for inline in line])
            if rest_inlines:
                out.append(Paragraph(Location(node.loc.path, node.loc.line + 1), rest_inlines))
        else:
            out.append(node)
    return out


def _opens_exercise(paragraph: Paragraph, following) -> bool:
    lines = [inline_text(tuple(line)).strip() for line in split_lines(paragraph.inlines)]
    if not lines or not is_question_line(lines[0]):
        return False
    return _option_count(lines[1:]) >= 2 or _option_count(_lines_of(following)) >= 2


def _lines_of(block) -> list[str]:
    if isinstance(block, Paragraph):
        return [inline_text(tuple(line)).strip() for line in split_lines(block.inlines)]
    if isinstance(block, ListBlock):
        return [line for item in block.items for b in item[:1] for line in _lines_of(b)]
    return []


def _option_count(lines: list[str]) -> int:
    return sum(1 for line in lines if is_option_line(line))
