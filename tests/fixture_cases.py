"""Fixture files of notes cases: input, and the expected model dump, warnings and MyST.

A file holds several cases::

    ~~~~ case: a question in a bold paragraph
    ~~~~ input
    ## 第一章：测试（第一节课）
    …
    ~~~~ dump
    lesson chapter=1 lessons=(1,) title='测试'
    …
    ~~~~ warnings
    notes/note.md:3: WARNING: … [notes.kind]
    ~~~~ myst
    a fragment that must appear in the generated MyST (whitespace at line ends ignored)

Sections other than ``input`` are optional; ``warnings`` present but empty means "no warnings".
Set ``REGEN_FIXTURES=1`` to rewrite ``dump`` and ``warnings`` from the current output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.model import (
    Answer,
    Exercise,
    Fence,
    Figure,
    Heading,
    Lesson,
    ListBlock,
    Paragraph,
    Question,
    Quote,
    RawHtml,
    Section,
    Table,
    Term,
    inline_text,
)

MARK = "~~~~ "


@dataclass
class Case:
    file: Path
    title: str
    sections: dict[str, str] = field(default_factory=dict)


def load_cases(folder: Path) -> list[Case]:
    cases = []
    for file in sorted(folder.glob("*.txt")):
        for chunk in re.split(rf"^{MARK}case: ", file.read_text(encoding="utf-8"), flags=re.M)[1:]:
            title, _, body = chunk.partition("\n")
            case = Case(file, title.strip())
            for section in re.split(rf"^{MARK}", body, flags=re.M)[1:]:
                name, _, text = section.partition("\n")
                case.sections[name.strip()] = text
            cases.append(case)
    return cases


def dump_lesson(lesson: Lesson) -> str:
    """A compact, readable outline of what the parser understood."""
    lines = [f"lesson chapter={lesson.chapter} name={lesson.chapter_name!r} "
             f"numbers={lesson.numbers} title={lesson.title!r}"]
    lines += [f"  {b}" for b in _blocks(lesson.intro)]
    for part in lesson.parts:
        lines.append(f"  part {part.kind.value} ordinal={part.ordinal} name={part.name!r}"
                     + (f" remark={part.remark!r}" if part.remark else ""))
        lines += [f"    {b}" for b in _blocks(part.intro)]
        for item in part.items:
            lines += ["    " + line for line in _item(item)]
    return "\n".join(lines) + "\n"


def _item(item) -> list[str]:
    if isinstance(item, Question):
        head = f"question {item.number_text!r} title={_short(inline_text(item.title))!r}"
        body = [f"  prompt: {b}" for b in _blocks(item.prompt)]
        for answer in item.answers:
            body += [f"  {_answer_kind(answer)}: {b}" for b in _blocks(answer.blocks)]
        return [head, *body]
    if isinstance(item, Exercise):
        head = f"exercise {item.number_text!r} stem={_short(inline_text(item.stem))!r}"
        opts = "".join(o.letter + ("*" if o.marked_bold else "") for o in item.options)
        key = item.key
        keytext = (f" given={''.join(key.given)} correct={''.join(key.correct)} "
                   f"verdict={key.verdict.value}") if key else " key=None"
        body = [f"  {b}" for b in _blocks(item.blocks)]
        return [head, f"  options={opts or '-'}{keytext}", *body]
    label = "term" if isinstance(item, Term) else "section"
    title = item.term if isinstance(item, Term) else item.title
    head = f"{label} {item.number_text!r} {_short(inline_text(title))!r}"
    return [head, *[f"  {b}" for b in _blocks(item.blocks)]]


def _answer_kind(answer: Answer) -> str:
    return "followup" if answer.followup else "answer"


def _blocks(blocks) -> list[str]:
    return [_block(b) for b in blocks]


def _block(block) -> str:
    line = block.loc.line
    if isinstance(block, Paragraph):
        return f"para@{line} {_short(inline_text(block.inlines))!r}"
    if isinstance(block, Fence):
        closed = "" if block.closed else " UNCLOSED"
        return f"fence@{line} {block.info!r}{closed} {_short(block.text)!r}"
    if isinstance(block, Figure):
        state = "none" if block.file is None else ("ok" if block.file.exists else "missing")
        return f"figure@{line} {block.written!r} {state}"
    if isinstance(block, ListBlock):
        inner = "; ".join(" + ".join(_block(b) for b in item) for item in block.items)
        return f"list@{line} {'ol' if block.ordered else 'ul'} [{inner}]"
    if isinstance(block, Heading):
        return f"heading@{line} h{block.level} {_short(inline_text(block.inlines))!r}"
    if isinstance(block, Quote):
        return f"quote@{line} [{'; '.join(_blocks(block.blocks))}]"
    if isinstance(block, Table):
        return f"table@{line} cols={len(block.header)} rows={len(block.rows)}"
    if isinstance(block, RawHtml):
        return f"html@{line} {_short(block.html)!r}"
    return f"{type(block).__name__}@{line}"


def _short(text: str, limit: int = 40) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= limit else text[:limit] + "…"


__all__ = ["Case", "Section", "dump_lesson", "load_cases"]
