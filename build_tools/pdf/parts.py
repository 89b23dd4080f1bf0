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

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic
from .document import LessonStart, PrintDocument, Section
from .forks import Child, Failure, Stopped, fork


@dataclass(frozen=True)
class Report:
    """A part laid out: its page count and each anchor's page label, counted from 1."""

    pages: int
    anchors: dict[str, str]


@dataclass(frozen=True)
class Reply:
    """Where the part starts in the book, and every anchor's page label in the book."""

    offset: int
    labels: dict[str, str]


@dataclass
class PartResult:
    """A part written: what it reported, and its page count."""

    pages: int
    problems: list[Diagnostic] = field(default_factory=list)


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
        start += report.pages
    labels: dict[str, str] = {}
    for report, offset in zip(reports, offsets, strict=True):
        for anchor, local in report.anchors.items():
            labels.setdefault(anchor, str(int(local) + offset - 1) if local.isdigit() else local)
    return [Reply(offset, labels) for offset in offsets]


Work = Callable[[Part, Exchange], PartResult]


def run_parts(parts: list[Part], work: Work) -> list[PartResult]:
    """Run ``work`` for each part, the first here and each other in a forked process; what
    each returned, in part order. A failure anywhere is raised here, as a RuntimeError."""
    if len(parts) == 1 or not hasattr(os, "fork"):
        if len(parts) > 1:
            raise RuntimeError("laying a book out in parts needs os.fork")
        return [work(parts[0], lambda report: agree([report])[0])]
    children: list[Child] = []
    for part in parts[1:]:
        children.append(fork(_in_child(part, work), siblings=list(children)))
    try:
        mine = work(parts[0], lambda report: _agree_with(children, report))
    finally:
        results = [child.finish("a process laying out part of the book failed")
                   for child in children]
    failed = [result.message for result in results if isinstance(result, Failure)]
    if failed:
        raise RuntimeError(failed[0])
    return [mine, *results]


def _in_child(part: Part, work: Work):
    """A forked part's work: its report up, the agreed numbers down, its result up."""
    def run(channel) -> PartResult:
        def exchange(report: Report) -> Reply:
            channel.send(report)
            try:
                return channel.receive()
            except Stopped:
                raise RuntimeError("the first part of the book could not be laid out") from None
        return work(part, exchange)
    return run


def _agree_with(children: list[Child], report: Report) -> Reply:
    reports = [report]
    for child in children:
        try:
            message = child.channel.receive()
        except Stopped:
            message = Failure("a process laying out part of the book stopped")
        if isinstance(message, Failure):
            raise RuntimeError(message.message)
        reports.append(message)
    replies = agree(reports)
    for child, reply in zip(children, replies[1:], strict=True):
        child.channel.send(reply)
    return replies[0]
