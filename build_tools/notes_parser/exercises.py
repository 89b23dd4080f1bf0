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
    Verdict,
    inline_text,
)

_OPTION = re.compile(r"^\s*([A-H])\s*[.．、:：)）]\s*")
_LETTERS = r"[A-H](?:\s*[、,，｜|/和]?\s*[A-H])*"
# 答：B / 答：A、B、C / 答：C ❌（正确答案：B） / 正确答案：B
_GIVEN = re.compile(rf"答案?\s*[：:]\s*({_LETTERS})")
_CORRECT = re.compile(rf"正确答案\s*[：:]\s*({_LETTERS})")


def parse_exercise(loc: Location, number_text: str, number: int | None,
                   stem: tuple[Inline, ...], blocks: tuple[Block, ...]) -> Exercise:
    """Read options and the answer key out of an exercise's blocks; the blocks stay as written."""
    options = tuple(o for b in blocks if isinstance(b, ListBlock) for o in _options(b))
    return Exercise(loc, number_text, number, stem, blocks, options, _answer_key(blocks))


def _options(block: ListBlock) -> list[Option]:
    options = []
    for item in block.items:
        first = item[0] if item else None
        if not isinstance(first, Paragraph):
            continue
        match = _OPTION.match(inline_text(first.inlines))
        if match:
            bold = len(first.inlines) == 1 and isinstance(first.inlines[0], Strong)
            options.append(Option(match.group(1), first.inlines, bold))
    return options


def _answer_key(blocks: tuple[Block, ...]) -> AnswerKey | None:
    for block in blocks:
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
