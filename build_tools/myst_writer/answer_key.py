"""Taking an exercise's recorded answer out of its body, for the answer key.

A reader should try an exercise before seeing its answer, so the block that holds the answer
(``答：B`` as a paragraph or in a fence, also inside the options' list) and everything after it
move to the lesson's answer key. Nothing is dropped: what leaves the exercise is written there.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import AnswerKey, Block, ListBlock, Location


def split_at_key(blocks: tuple[Block, ...], key: AnswerKey | None,
                 ) -> tuple[tuple[Block, ...], tuple[Block, ...]]:
    """(what the exercise shows, what the answer key shows)."""
    if key is None:
        return blocks, ()
    for position, block in enumerate(blocks):
        if block.loc == key.loc:
            return blocks[:position], blocks[position:]
        if isinstance(block, ListBlock):
            kept, taken = _take_from_list(block, key.loc)
            if taken:
                shown = blocks[:position] + ((kept,) if kept else ())
                return shown, taken + blocks[position + 1:]
    return blocks, ()


def _take_from_list(block: ListBlock, loc: Location) -> tuple[ListBlock | None, tuple[Block, ...]]:
    """The list without the key's block (and what follows it in its item), and those blocks."""
    for index, item in enumerate(block.items):
        shown, taken = split_at_key(item, AnswerKey(loc, (), ()))
        if taken:
            items = block.items[:index] + ((shown,) if shown else ())
            # Later items (more options?) stay with the exercise.
            items += block.items[index + 1:]
            return (replace(block, items=items) if items else None), taken
    return block, ()
