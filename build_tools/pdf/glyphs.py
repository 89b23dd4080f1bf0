"""Characters no installed font can draw: they would print as empty boxes (tofu).

WeasyPrint draws such a character with a font's ``.notdef`` glyph and says nothing. Before the
layout we ask fontconfig which fonts cover each character of the book: the faces print.css
names first (their coverage in one call each), then, for what is left (emoji, rare CJK), any
installed font, one character at a time.
"""

from __future__ import annotations

import functools
import subprocess
import unicodedata

# The faces print.css names; what they cover needs no further question.
PRINT_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC", "DejaVu Sans Mono",
                  "Noto Sans Mono CJK SC")


def uncovered(text: str, families: tuple[str, ...] = PRINT_FAMILIES) -> list[str]:
    """The characters of ``text`` that no installed font has, in order of first appearance."""
    covered = _coverage(families)
    if not covered:
        return []  # no fontconfig to ask: nothing is known, nothing is reported
    missing = []
    for char in dict.fromkeys(text):
        if ord(char) in covered or _invisible(char):
            continue
        if not _any_font_has(char):
            missing.append(char)
    return missing


def _invisible(char: str) -> bool:
    """Spaces, controls, joiners and variation selectors draw nothing of their own."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Mn", "Zs", "Co", "Cn")


@functools.cache
def _coverage(families: tuple[str, ...]) -> frozenset[int]:
    points: set[int] = set()
    for family in families:
        for span in _fc(["fc-match", "-f", "%{charset}", family]).split():
            first, _, last = span.partition("-")
            points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


@functools.cache
def _any_font_has(char: str) -> bool:
    return bool(_fc(["fc-list", f":charset={ord(char):x}", "family"]).strip())


def _fc(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, encoding="utf-8",
                              check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""
