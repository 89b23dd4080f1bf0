"""MyST constructs the writer emits around note text: directives, glossaries, toctrees."""

from __future__ import annotations

import re


def directive(name: str, argument: str = "", options: dict[str, str] | None = None,
              body: str = "") -> str:
    """A tilde-fenced directive, its fence longer than any tilde run inside.

    Tildes, not backticks: an argument (a question's title) may hold a code span, which a
    backtick fence's info string cannot; nested directives get shorter fences.
    """
    longest = max((len(m) for m in re.findall(r"~+", body)), default=0)
    marker = "~" * max(3, longest + 1)
    head = f"{marker}{{{name}}}" + (f" {_one_line(argument)}" if argument.strip() else "")
    lines = [head] + [f":{key}: {value}".rstrip() for key, value in (options or {}).items()]
    if body:
        lines += ["", body]
    lines.append(marker)
    return "\n".join(lines)


def directive_body_offset(options: dict[str, str] | None) -> int:
    """The line of :func:`directive`'s text its body starts on (0-based): after the head, the
    options and a blank line."""
    return 2 + len(options or {})


def writing_space(lines: int, box: bool = False) -> str:
    """The student edition's room to write (sphinx_ext/writing_space.py): ruled lines, or a
    box for a choice exercise's letter."""
    return directive("writing-space", options={"box": ""} if box else {"lines": str(lines)})


def glossary(entries: list[tuple[str, str]]) -> str:
    """A Sphinx glossary: one ``term`` line, then its definition indented by two spaces."""
    chunks = []
    for term, definition in entries:
        lines = [_glossary_term(term)]
        lines += [("  " + line) if line.strip() else "" for line in definition.split("\n")]
        chunks.append("\n".join(lines))
    return directive("glossary", body="\n\n".join(chunks))


def toctree(entries: list[str], caption: str = "", numbered: bool = True) -> str:
    options = {"maxdepth": "2"}
    if caption:
        options["caption"] = _one_line(caption)
    if numbered:
        options["numbered"] = "1"
    return directive("toctree", options=options, body="\n".join(entries))


def _one_line(text: str) -> str:
    """Line breaks and runs of ASCII blanks as one space; U+3000 and no-break spaces are
    characters of the text and stay."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip(" \t\r\n")


def _glossary_term(term: str) -> str:
    """One line; `` : `` would start a classifier and a leading ``..`` a comment."""
    term = _one_line(term).replace(" : ", r" \: ")
    return "\\" + term if term.startswith("..") else term
