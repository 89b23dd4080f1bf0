"""From a line of a generated MyST file back to the line of the note it was written from.

Sphinx reports problems in ``_build/source/lessons/l08.md:120``, a file no author edits.
The writer records where each block, item and heading of a note landed
(``LessonOutput.lines``); the CLI rewrites Sphinx's messages to ``notes/笔记8.md:42`` with this
map and prints each once, however many builders report it.
"""

from __future__ import annotations

import bisect
import json
import re
from pathlib import Path

SOURCEMAP = ".sourcemap.json"  # hidden: never a Sphinx source, never an input key
_MESSAGE = re.compile(r"^(?P<path>\S.*?\.md):(?P<line>\d+): (?P<rest>(?:WARNING|ERROR|CRITICAL)"
                      r": .*)$")


def encode(entries: dict[str, tuple[str, list[tuple[int, int]]]]) -> bytes:
    """The map file: generated file name → (the note's shown path, line pairs)."""
    data = {name: {"note": note, "lines": lines} for name, (note, lines) in entries.items()}
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


class SourceMap:
    """The map of one generated lessons folder; empty when it has none (or a damaged one)."""

    def __init__(self, lessons: Path) -> None:
        self.folder = lessons.resolve()
        try:
            self._data = json.loads((lessons / SOURCEMAP).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._data = {}

    def locate(self, path: str, line: int) -> tuple[str, int] | None:
        """The note and line behind ``path:line``, or None for a file we did not generate."""
        file = Path(path)
        if file.parent.resolve() != self.folder or file.name not in self._data:
            return None
        entry = self._data[file.name]
        starts = [start for start, _ in entry["lines"]]
        at = bisect.bisect_right(starts, line) - 1
        return entry["note"], entry["lines"][at][1] if at >= 0 else 1

    def rewrite(self, messages: str, seen: set[str]) -> str:
        """Sphinx's messages with our files' locations put back on the notes; a message
        already in ``seen`` (another builder's) is dropped."""
        out = []
        for line in messages.splitlines():
            match = _MESSAGE.match(line)
            place = match and self.locate(match["path"], int(match["line"]))
            if place:
                line = f"{place[0]}:{place[1]}: {match['rest']}"
            if line in seen:
                continue
            seen.add(line)
            out.append(line + "\n")
        return "".join(out)


def without_traceback(messages: str, where: str) -> str:
    """Sphinx's messages, but a crash as one line: its error and where the details are."""
    if "Traceback" not in messages:
        return messages
    kept = [line for line in messages.splitlines()
            if re.match(r"\S+:\d*:? ?(WARNING|ERROR|CRITICAL):", line)]
    errors = [line.strip() for line in messages.splitlines()
              if re.match(r"\s*[\w.]+(Error|Exception): ", line)]
    log = re.search(r"(/\S+sphinx-err-\S+\.log)", messages)
    summary = errors[-1] if errors else "Sphinx stopped"
    details = f" (details: {log.group(1)})" if log else ""
    return "".join(f"{line}\n" for line in [*kept, f"{where}: ERROR: {summary}{details}"])
