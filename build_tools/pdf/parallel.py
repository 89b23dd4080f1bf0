"""Writing PDFs from one layout on two cores.

Laying the book out is one WeasyPrint call; writing the book and its handouts afterwards is
many independent ones (each subsets and embeds the fonts again). After the layout, the process
forks: the copy shares the laid-out pages (copy-on-write) and writes half of the files. Each
task returns the problems it met; the child sends its list back through a pipe, so a warning
in a child is reported like one in the parent.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable

Task = Callable[[], list[str]]


def run_tasks(tasks: list[Task], workers: int = 2) -> list[str]:
    """Run ``tasks`` (in any order), in this process and a forked one; all their problems."""
    if workers < 2 or len(tasks) < 2 or not hasattr(os, "fork"):
        return [problem for task in tasks for problem in task()]
    mine, theirs = tasks[0::2], tasks[1::2]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its half, its problems to the pipe, then gone without cleanup
        code = 1
        try:
            os.close(read)
            code = 0
            try:
                problems = [problem for task in theirs for problem in task()]
            except BaseException as error:
                problems, code = [f"ERROR: a PDF could not be written: {error}"], 1
            with os.fdopen(write, "w", encoding="utf-8") as pipe:
                json.dump(problems, pipe)
        finally:  # whatever happens, never back into the caller's code
            os._exit(code)
    os.close(write)
    try:
        problems = [problem for task in mine for problem in task()]
    finally:
        with os.fdopen(read, encoding="utf-8") as pipe:
            reported = json.loads(pipe.read() or "[]")
        _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RuntimeError(reported[0] if reported else "a PDF writer process failed")
    return problems + reported
