"""Exercises (课后习题): the stem, the options A–D, and the answer the note records."""

from __future__ import annotations

import re

from ..model import (
    AnswerKey,
    Block,
    Exercise,
    Fence,
    Inline,
    ListBlock,
    Location,
    Option,
    Paragraph,
    Strong,
    Text,
    Verdict,
    inline_text,
)
from .blocks import LIST_MARKER, split_lines, trim_break

_OPTION = re.compile(r"^\s*([A-H])\s*[.．、:：)）]\s*")
_LETTERS = r"[A-H](?:\s*[、,，｜|/和]?\s*[A-H])*"
# 答：B / 答：A、B、C / 答：C ❌（正确答案：B） / 正确答案：B
_GIVEN = re.compile(rf"答案?\s*[：:]\s*({_LETTERS})")
_CORRECT = re.compile(rf"正确答案\s*[：:]\s*({_LETTERS})")


def parse_exercise(loc: Location, number_text: str, number: int | None,
                   stem: tuple[Inline, ...], blocks: tuple[Block, ...]) -> Exercise:
    """Read options and the answer key out of an exercise's blocks; the blocks stay as written."""
    options = tuple(_options(blocks))
    return Exercise(loc, number_text, number, stem, blocks, options, _answer_key(blocks))


def _options(blocks: tuple[Block, ...]) -> list[Option]:
    """Options as list items (nested under a numbered stem too) or as lines of a paragraph.

    Tab-indented ``- A. …`` lines right under a stem paragraph are, for CommonMark, more lines
    of that paragraph; the author meant options all the same.
    """
    options = []
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                first = item[0] if item else None
                if isinstance(first, Paragraph):
                    options += _option_lines(first.inlines)
                options += _options(item[1:])
        elif isinstance(block, Paragraph):
            options += _option_lines(block.inlines)
    return options


def _option_lines(inlines: tuple[Inline, ...]) -> list[Option]:
    options = []
    for line in _lines(inlines):
        text = LIST_MARKER.sub("", inline_text(line), count=1)
        match = _OPTION.match(text)
        if match:
            bold = len(line) == 1 and isinstance(line[0], Strong)
            options.append(Option(match.group(1), tuple(line), bold))
    return options


def _lines(inlines: tuple[Inline, ...]) -> list[list[Inline]]:
    """Split inlines into lines without their breaks, a leading list marker's text dropped."""
    lines = []
    for line in split_lines(inlines):
        line = list(trim_break(line))
        if line and isinstance(line[0], Text) and LIST_MARKER.match(line[0].text):
            rest = LIST_MARKER.sub("", line[0].text, count=1)
            line = [Text(rest), *line[1:]] if rest else line[1:]
        if line:
            lines.append(line)
    return lines


def _answer_key(blocks: tuple[Block, ...]) -> AnswerKey | None:
    for block in _flatten(blocks):
        text = _block_text(block)
        correct = _CORRECT.search(text)
        given = _GIVEN.search(text.replace(correct.group(0), "") if correct else text)
        if not (given or correct):
            continue
        return AnswerKey(
            loc=block.loc,
            given=_letters(given.group(1)) if given else (),
            correct=_letters(correct.group(1)) if correct else (),
            verdict=_verdict(text),
        )
    return None


def _flatten(blocks: tuple[Block, ...]):
    """Blocks in reading order, descending into list items: a key can follow the last option."""
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from _flatten(item)
        else:
            yield block


def _block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return inline_text(block.inlines)
    if isinstance(block, Fence):
        return block.text
    return ""


def _letters(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[A-H]", text))


def _verdict(text: str) -> Verdict:
    if "❌" in text or "✗" in text or "×" in text:
        return Verdict.WRONG
    if "✅" in text or "✔" in text or "√" in text:
        return Verdict.RIGHT
    return Verdict.UNMARKED


# --- Choice questions written together: one fence, or plain paragraphs -----------------------

_QUESTION_LINE = re.compile(r"^\s*(?:\*\*)?(\d{1,3})\s*[、.．:：)）]\s*(?!\d)(\S.*)$")
_OPTION_LINE = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*)?([A-H])\s*[.．、:：)）]\s*\S")
_KEY_LINE = re.compile(r"^\s*(?:答案?|正确答案|解析)\s*[：:]")


def split_choice_fence(fence: Fence) -> list[Exercise] | None:
    """A fence holding numbered choice questions (options A–D, ``答：C`` lines) → one exercise
    each, options and answer kept; None when the fence is not such a set.

    Authors type a whole 单选题 set into one ``text`` fence; each question is an exercise of
    the book all the same, its answer in the lesson's answer key.
    """
    groups: list[list[tuple[int, str]]] = []
    for offset, line in enumerate(fence.text.split("\n"), start=1):
        if _QUESTION_LINE.match(line) and not _KEY_LINE.match(line):
            groups.append([])
        if groups and line.strip():
            groups[-1].append((offset, line))
        elif line.strip():
            return None  # text before the first question: not a bare set
    if not groups or not all(_has_options(group) for group in groups):
        return None
    return [_fence_exercise(fence.loc, group) for group in groups]


def _has_options(group: list[tuple[int, str]]) -> bool:
    return sum(1 for _, line in group if _OPTION_LINE.match(line)) >= 2


def _fence_exercise(fence_loc: Location, group: list[tuple[int, str]]) -> Exercise:
    def loc(offset: int) -> Location:
        return Location(fence_loc.path, fence_loc.line + offset)

    first_offset, first = group[0]
    match = _QUESTION_LINE.match(first)
    assert match is not None
    blocks: list[Block] = []
    options: list[tuple[Block, ...]] = []
    for offset, line in group[1:]:
        paragraph = Paragraph(loc(offset), (Text(line.strip()),))
        if _OPTION_LINE.match(line) and not _KEY_LINE.match(line):
            options.append((paragraph,))
            continue
        if options:  # the options end here: keep them before what follows
            blocks.append(ListBlock(options[0][0].loc, False, 1, tuple(options)))
            options = []
        blocks.append(paragraph)
    if options:
        blocks.append(ListBlock(options[0][0].loc, False, 1, tuple(options)))
    number = int(match.group(1))
    return parse_exercise(loc(first_offset), str(number), number,
                          (Text(match.group(2).strip()),), tuple(blocks))


def is_question_line(text: str) -> bool:
    """``1、下列哪项…？``: a numbered line that is not an option or an answer."""
    return bool(_QUESTION_LINE.match(text)) and not _KEY_LINE.match(text)


def is_option_line(text: str) -> bool:
    return bool(_OPTION_LINE.match(text))
