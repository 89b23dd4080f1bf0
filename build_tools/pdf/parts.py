"""The book laid out in parts, one a core, with the page numbers the parts agree on.

WeasyPrint lays a document out on one core. The lessons are cut into as many parts as there are
cores to use (of about equal size, in book order; the back matter goes with the last), and each
part is laid out in its own process, forked from this one. Each lesson starts on a right-hand
page, so a part's pagination does not depend on the parts before it, only its page numbers do:

1. every process lays its part out, its pages counted from 1, its references holding a
   placeholder (see :mod:`.pagerefs`), and a last page added and dropped so that the part has
   an even number of pages (the next part then starts on a right-hand page);
2. each reports its page count and the page label of each of its anchors; the first process
   works out where each part starts and the label of every anchor of the book, and replies;
3. each moves its page numbers on and writes the page references in. The first part also lays
   out the front matter now, its contents with their page numbers, before its lessons;
4. each writes its part's PDF and its lessons' handouts; this process joins the parts
   (:mod:`.join`).

With one part there is no fork and no join: the front matter and the lessons are written as
one document.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass

from .document import LessonStart, PrintDocument, Section

Report = dict  # {"pages": int, "anchors": {id: local label}}
Reply = dict  # {"offset": int, "labels": {id: label in the book}}
Exchange = Callable[[Report], Reply]


@dataclass(frozen=True)
class Part:
    index: int
    sections: list[Section]
    lessons: list[LessonStart]
    first: bool
    last: bool

    @property
    def ids(self) -> frozenset[str]:
        return frozenset().union(*(section.ids for section in self.sections))


def plan_parts(source: PrintDocument, count: int) -> list[Part]:
    """Cut the lessons into ``count`` runs of about equal length (at most one per lesson)."""
    lesson_ids = {lesson.label for lesson in source.lessons}
    lessons = [s for s in source.sections if s.id in lesson_ids]
    rest = [s for s in source.sections if s.id not in lesson_ids]
    count = max(1, min(count, len(lessons)))
    total = sum(len(s.html) for s in lessons) or 1
    runs: list[list[Section]] = [[] for _ in range(count)]
    done = 0
    for section in lessons:
        # The run this lesson's middle falls in: contiguous, balanced by length.
        runs[min(count - 1, int((done + len(section.html) / 2) * count / total))].append(section)
        done += len(section.html)
    runs = [run for run in runs if run] or [[]]
    runs[-1] = runs[-1] + rest
    by_id = {lesson.label: lesson for lesson in source.lessons}
    return [Part(i, run, [by_id[s.id] for s in run if s.id in by_id], i == 0, i == len(runs) - 1)
            for i, run in enumerate(runs)]


def agree(reports: list[Report]) -> list[Reply]:
    """Where each part starts, and every anchor's page label in the book."""
    offsets, start = [], 1
    for report in reports:
        offsets.append(start)
        start += report["pages"]
    labels: dict[str, str] = {}
    for report, offset in zip(reports, offsets, strict=True):
        for anchor, local in report["anchors"].items():
            labels.setdefault(anchor, str(int(local) + offset - 1) if local.isdigit() else local)
    return [{"offset": offset, "labels": labels} for offset in offsets]


Work = Callable[[Part, Exchange], dict]  # returns {"problems": [...], "pages": int}


def run_parts(parts: list[Part], work: Work) -> list[dict]:
    """Run ``work`` for each part, the first here and each other in a forked process; what
    each returned, in part order. A failure anywhere is raised here, as a RuntimeError."""
    if len(parts) == 1 or not hasattr(os, "fork"):
        if len(parts) > 1:
            raise RuntimeError("laying a book out in parts needs os.fork")
        return [work(parts[0], lambda report: agree([report])[0])]
    children: list[_Child] = []
    for part in parts[1:]:
        children.append(_fork(part, work, inherited=list(children)))
    try:
        mine = work(parts[0], lambda report: _agree_with(children, report))
    finally:
        for child in children:
            child.to_child.close()  # a child still waiting for its reply gets EOF and stops
        results = [child.result() for child in children]
    failed = [result["error"] for result in results if "error" in result]
    if failed:
        raise RuntimeError(failed[0])
    return [mine, *results]


@dataclass
class _Child:
    pid: int
    from_child: object  # text file: the child's report line, then its result line
    to_child: object  # text file: the reply line

    def message(self) -> dict:
        line = self.from_child.readline()
        if not line:
            return {"error": "a process laying out part of the book stopped"}
        return json.loads(line)

    def result(self) -> dict:
        """The child's last message (its result, or its error), once it has ended."""
        lines = self.from_child.read().splitlines()
        self.from_child.close()
        _, status = os.waitpid(self.pid, 0)
        found = json.loads(lines[-1]) if lines else {}
        if status != 0 and "error" not in found:
            found = {"error": "a process laying out part of the book failed"}
        return found


def _agree_with(children: list[_Child], report: Report) -> Reply:
    reports = [report]
    for child in children:
        message = child.message()
        if "error" in message:
            raise RuntimeError(message["error"])
        reports.append(message)
    replies = agree(reports)
    for child, reply in zip(children, replies[1:], strict=True):
        child.to_child.write(json.dumps(reply) + "\n")
        child.to_child.flush()
    return replies[0]


def _fork(part: Part, work: Work, inherited: list[_Child]) -> _Child:
    up_read, up_write = os.pipe()
    down_read, down_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: whatever happens, it ends here and never returns
        code = 1
        try:
            code = _child(part, work, inherited, up_write, down_read, (up_read, down_write))
        finally:
            os._exit(code)
    os.close(up_write)
    os.close(down_read)
    return _Child(pid, os.fdopen(up_read, encoding="utf-8"),
                  os.fdopen(down_write, "w", encoding="utf-8"))


def _child(part: Part, work: Work, inherited: list[_Child], up_write: int, down_read: int,
           parents_ends: tuple[int, int]) -> int:
    """A forked part: its report and result up one pipe, the agreed numbers down the other."""
    for sibling in inherited:  # our copies would keep a sibling from seeing the parent close
        sibling.from_child.close()
        sibling.to_child.close()
    for end in parents_ends:
        os.close(end)
    up = os.fdopen(up_write, "w", encoding="utf-8")
    down = os.fdopen(down_read, encoding="utf-8")

    def exchange(report: Report) -> Reply:
        up.write(json.dumps(report) + "\n")
        up.flush()
        line = down.readline()
        if not line:
            raise RuntimeError("the first part of the book could not be laid out")
        return json.loads(line)

    code = 0
    try:
        message = work(part, exchange)
    except BaseException as error:  # reported to the parent, which raises it
        message, code = {"error": f"{type(error).__name__}: {error}"}, 1
    try:
        up.write(json.dumps(message) + "\n")
        up.flush()
    except OSError:  # the parent has stopped listening: it failed, and says so itself
        code = 1
    return code
