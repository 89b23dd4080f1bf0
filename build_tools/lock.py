"""One build at a time per output folder.

Two builds writing one ``OUT`` (two terminals, an editor's save hook and a ``make``) corrupt
each other's PDFs and search indexes. Each build holds an advisory ``fcntl.flock`` on a lock
file in every folder it writes; the kernel releases it when the process dies, however it dies,
so a killed build never leaves a stale lock (a pid file would). The holder's pid is written into
the file only so that a waiting build can say whom it waits for.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_NAME = ".build.lock"


class Busy(Exception):
    """Another build holds a folder and we were asked not to wait."""


@contextlib.contextmanager
def exclusive(folders: list[Path], wait: bool = True,
              waiting: Callable[[str], None] = lambda message: None) -> Iterator[None]:
    """Hold every folder's lock for the duration of the block.

    :param wait: wait for another build to finish (``waiting`` is told once); else raise
        :class:`Busy` at once
    """
    with contextlib.ExitStack() as stack:
        for folder in dict.fromkeys(f.resolve() for f in folders):
            stack.enter_context(_locked(folder, wait, waiting))
        yield


@contextlib.contextmanager
def _locked(folder: Path, wait: bool, waiting: Callable[[str], None]) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            message = f"{path}: another build (pid {holder}) is writing here"
            if not wait:
                raise Busy(message) from None
            waiting(f"{message}; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
