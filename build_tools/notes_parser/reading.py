"""Reading a note's bytes into text: BOM, CRLF, legacy Chinese encodings, binary files."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..diagnostics import Kind, Reporter
from ..model import Location

# Control characters other than tab, newline, carriage return and form feed do not occur in
# hand-written notes; many of them mean the file is not text at all.
_BINARY_CONTROLS = set(range(0, 9)) | {11} | set(range(14, 32))


def read_note(path: Path, shown: str, reporter: Reporter) -> str | None:
    """Return the note's text with LF line ends, or None (reported) when it cannot be used.

    :param path: the file to read
    :param shown: the path as it appears in messages (relative to the root)
    """
    loc = Location(shown, 1)
    data = path.read_bytes()
    if _looks_binary(data):
        reporter.error(Kind.UNDECODABLE, loc, "not a text file; skipped")
        return None
    text = _decode(data, loc, reporter)
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        reporter.warn(Kind.EMPTY_FILE, loc, "the note is empty; skipped")
        return None
    return unify_lookalikes(text, shown, reporter)


# Kangxi radicals (U+2F00–U+2FD5) and CJK compatibility ideographs (U+F900–U+FAFF) look like
# the common ideographs they stand for, but a PDF font maps one glyph to one character: a single
# ⽤ in a note makes every 用 of the book extract, search and copy as ⽤.
_LOOKALIKE = re.compile("[\u2f00-\u2fd5\uf900-\ufaff]")


def unify_lookalikes(text: str, shown: str, reporter: Reporter) -> str:
    """Map look-alike characters to the unified ideographs, one located warning per note.

    Character by character, never NFKC on the whole note: that would turn （）： into ASCII.
    """
    found: dict[str, str] = {}
    first: list[int] = []  # where the first mapped character stands

    def unified(match: re.Match[str]) -> str:
        char = match.group(0)
        form = "NFKC" if char < "\uf900" else "NFC"  # radicals: compatibility; the rest: canonical
        mapped = unicodedata.normalize(form, char)
        if len(mapped) != 1 or mapped == char:
            return char  # U+FA0E and friends are unified ideographs themselves
        found.setdefault(char, mapped)
        first[:] = first or [match.start()]
        return mapped

    text = _LOOKALIKE.sub(unified, text)
    if found:
        line = text.count("\n", 0, first[0]) + 1
        pairs = " ".join(f"{a}→{b}" for a, b in found.items())
        reporter.warn(Kind.LOOKALIKE_CHAR, Location(shown, line),
                      f"look-alike characters (pasted from a PDF?) read as ideographs: {pairs}")
    return text


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte in _BINARY_CONTROLS)
    return controls > max(2, len(sample) // 100)


def _decode(data: bytes, loc: Location, reporter: Reporter) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        reporter.error(Kind.UNDECODABLE, loc, "neither UTF-8 nor GB18030; skipped")
        return None
    reporter.warn(
        Kind.LEGACY_ENCODING, loc, "decoded as GB18030/GBK; please re-save the note as UTF-8"
    )
    return text
