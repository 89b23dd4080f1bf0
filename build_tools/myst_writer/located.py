"""Written MyST that remembers which note line each of its lines came from.

Sphinx reports a problem at a line of the generated file; the source map (``sourcemap.py``)
turns it back into the note's line. A question is one directive holding its prompt and answers:
located only at its title, a warning about a table in its third answer pointed at the title.
So a chunk carries marks, ``(line within the chunk, note line)``, one per block it holds, and
joining chunks or wrapping them in a directive shifts their marks to where they land.
"""

from __future__ import annotations

from .markup import directive, directive_body_offset, glossary

Marks = tuple[tuple[int, int], ...]


class Located(str):
    """Written MyST that knows the note lines it came from (a block, an item, a heading)."""

    marks: Marks  # (0-based line within this text, note line), in order

    def __new__(cls, text: str, line: int = 0, marks: Marks | None = None) -> Located:
        """Located at ``line`` (its first line), or at ``marks`` when given."""
        made = super().__new__(cls, text)
        made.marks = ((0, line),) if marks is None else marks
        return made


def marks_of(chunks: list[str], separator: str = "\n\n") -> Marks:
    """The marks of ``separator.join(chunks)``: each located chunk's, moved to where it lands."""
    marks: list[tuple[int, int]] = []
    at = 0
    for chunk in chunks:
        if isinstance(chunk, Located):
            marks += [(at + offset, line) for offset, line in chunk.marks if line > 0]
        at += chunk.count("\n") + separator.count("\n")
    return tuple(marks)


def joined(chunks: list[str], separator: str = "\n\n") -> str:
    """The chunks (empty ones left out) joined; located at their lines if any chunk is."""
    kept = [chunk for chunk in chunks if chunk]
    marks = marks_of(kept, separator)
    text = separator.join(kept)
    return Located(text, marks=marks) if marks else text


def located_directive(name: str, argument: str, options: dict[str, str] | None, body: str,
                      line: int) -> Located:
    """``markup.directive``, its fence and title at ``line``, its body's blocks at theirs."""
    text = directive(name, argument, options, body)
    shift = directive_body_offset(options)
    inner = body.marks if isinstance(body, Located) and body else ()
    return Located(text, marks=((0, line), *((shift + o, n) for o, n in inner)))


def located_glossary(entries: list[tuple[str, str, int]]) -> Located:
    """``markup.glossary`` of (term, definition, note line): each term at its line."""
    text = glossary([(term, definition) for term, definition, _ in entries])
    marks: list[tuple[int, int]] = []
    at = directive_body_offset(None)
    for _, definition, line in entries:
        marks.append((at, line))
        inner = definition.marks if isinstance(definition, Located) else ()
        marks += [(at + 1 + offset, note_line) for offset, note_line in inner if note_line > 0]
        at += definition.count("\n") + 3  # the term's line, the definition's, a blank line
    return Located(text, marks=tuple(marks))


def document_lines(chunks: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The document (chunks a blank line apart) and the 1-based (line, note line) pairs."""
    return "\n\n".join(chunks) + "\n", [(1 + at, line) for at, line in marks_of(chunks)]
