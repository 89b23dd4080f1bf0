"""Lists and quotes nested deeper than the Markdown parser goes.

markdown-it stops at its nesting limit and drops the rest of the note, silently (its default,
20, is reached by a list 10 levels deep). The limit is raised to what its recursion can take;
a note that still reaches it is read again with its lists and quotes flattened (blocks.py).
"""

from __future__ import annotations

import re

# markdown-it stops at its nesting limit and drops the rest of the note, silently (the default
# 20 is reached by a 10-level list). Deeper than 40 its recursion could outgrow Python's stack.
MAX_NESTING = 40
# A note that reaches the limit is read again with its lists and quotes flattened to this depth.
FLATTEN_AT = 12
_QUOTES = re.compile(r"^(\s*(?:>\s?)+)")


def flatten_nesting(text: str) -> tuple[str, int]:
    """``text`` with indentation and quote markers clamped to FLATTEN_AT levels, and the
    first line that changed: deeper items become siblings at the deepest level kept."""
    lines, first = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        flat = _flat_line(line.expandtabs(4))
        if flat != line.expandtabs(4) and not first:
            first = number
        lines.append(flat if flat != line.expandtabs(4) else line)
    return "\n".join(lines), first or 1


def _flat_line(line: str) -> str:
    quotes = _QUOTES.match(line)
    if quotes and quotes.group(1).count(">") > FLATTEN_AT:
        line = "> " * FLATTEN_AT + line[quotes.end():]
    indent = len(line) - len(line.lstrip(" "))
    if indent > 2 * FLATTEN_AT:
        line = " " * (2 * FLATTEN_AT) + line.lstrip(" ")
    return line
