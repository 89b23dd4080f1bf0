"""Writing PDFs from one layout on two cores.

Laying the book out is one WeasyPrint call; writing the book and its handouts afterwards is
many independent ones (each subsets and embeds the fonts again). After the layout, the process
forks (:mod:`.forks`): the copy shares the laid-out pages (copy-on-write) and writes half of the
files. Each task returns the problems it met; the child sends its list back, so a warning in a
child is reported like one in the parent.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from ..diagnostics import Diagnostic
from .forks import Failure, fork

Task = Callable[[], list[Diagnostic]]


def run_tasks(tasks: list[Task], workers: int = 2) -> list[Diagnostic]:
    """Run ``tasks`` (in any order), in this process and a forked one; all their problems."""
    if workers < 2 or len(tasks) < 2 or not hasattr(os, "fork"):
        return [problem for task in tasks for problem in task()]
    mine, theirs = tasks[0::2], tasks[1::2]
    child = fork(lambda channel: [problem for task in theirs for problem in task()])
    try:
        problems = [problem for task in mine for problem in task()]
    finally:
        reported = child.finish("a PDF writer process failed")
    if isinstance(reported, Failure):
        raise RuntimeError(f"a PDF could not be written: {reported.message}")
    return problems + reported
