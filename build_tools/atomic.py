"""Outputs that are whole or absent: written under a temporary name, renamed into place.

A build can be killed at any moment (Ctrl-C, a CI timeout, a laptop lid). A file is written to
a temporary name in its own folder and renamed over the old one; a folder (a site, the
handouts) is made in a staging folder beside it and swapped in with two renames. A kill leaves
the old output, the new one, or — between the two renames of a swap — none: never half of one.
What a killed build leaves behind (temporaries, staging folders) is removed by the next.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

_TEMPORARY = ".partial-"


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``target`` whole: a temporary file beside it, flushed, then renamed over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{_TEMPORARY}{os.getpid()}-{target.name}")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)


def write_text(target: Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


def staging(target: Path) -> Path:
    """The folder a new ``target`` folder is made in."""
    return target.with_name(f".{target.name}.staging")


def _retired(target: Path) -> Path:
    return target.with_name(f".{target.name}.old")


def clean_leftovers(target: Path) -> None:
    """Remove what a killed build left around ``target``: its staging and retired folders and
    temporary files."""
    for leftover in (staging(target), _retired(target)):
        shutil.rmtree(leftover, ignore_errors=True)
    if target.parent.is_dir():
        for temporary in target.parent.glob(f"{_TEMPORARY}*"):
            temporary.unlink(missing_ok=True)


def swap_in(new: Path, target: Path) -> None:
    """Make the finished folder ``new`` the ``target`` folder; the old one is removed."""
    retired = _retired(target)
    shutil.rmtree(retired, ignore_errors=True)
    if target.exists():
        os.rename(target, retired)
    os.rename(new, target)
    shutil.rmtree(retired, ignore_errors=True)


def start_from(target: Path) -> Path:
    """A staging folder holding a copy of ``target`` (so an incremental tool finds its previous
    output there), any leftovers of a killed build removed first."""
    clean_leftovers(target)
    stage = staging(target)
    if target.is_dir():
        # A copy, not hard links: tools rewrite files in place, which would change the
        # published output through a shared inode.
        shutil.copytree(target, stage, symlinks=True)
    else:
        stage.mkdir(parents=True)
    return stage
