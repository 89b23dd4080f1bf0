"""Work in a forked process, with typed messages both ways.

WeasyPrint's laid-out pages cannot be pickled, but a forked process shares them (copy on
write): the PDF stage forks to lay out parts of the book (:mod:`.parts`) and to write files
from one layout on two cores (:mod:`.parallel`). Both talk to their children through this one
helper: any picklable object (the callers' own dataclasses) goes down one pipe and up another;
a child's last message is what its work returned, or a :class:`Failure`.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class Failure:
    """What a child sends instead of a result when its work raised, or it stopped."""

    message: str


class Stopped(RuntimeError):
    """The other end closed its pipe before sending what was waited for."""


@dataclass
class Channel:
    """One side's ends of the two pipes: what it reads and what it writes."""

    incoming: BinaryIO
    outgoing: BinaryIO

    def send(self, message: object) -> None:
        pickle.dump(message, self.outgoing)
        self.outgoing.flush()

    def receive(self) -> object:
        """The next message; :class:`Stopped` when the other side has closed its end."""
        try:
            return pickle.load(self.incoming)
        except EOFError:
            raise Stopped("the other process stopped") from None

    def close(self) -> None:
        for end in (self.incoming, self.outgoing):
            if not end.closed:
                end.close()


@dataclass
class Child:
    """A forked process running some work, seen from its parent."""

    pid: int
    channel: Channel

    def finish(self, failed: str) -> object:
        """Its last message (its work's result, or a :class:`Failure`) once it has ended;
        ``failed`` says what went wrong when it ended without one."""
        self.channel.outgoing.close()  # a child still waiting for a message gets EOF
        messages = []
        try:
            while True:
                messages.append(self.channel.receive())
        except Stopped:
            pass
        self.channel.incoming.close()
        _, status = os.waitpid(self.pid, 0)
        last = messages[-1] if messages else None
        if status != 0 and not isinstance(last, Failure):
            return Failure(failed)
        return last


Work = Callable[[Channel], object]


def fork(work: Work, siblings: Sequence[Child] = ()) -> Child:
    """Run ``work(channel)`` in a forked process, which never returns into the caller's code.

    ``siblings``: children forked before, whose pipe ends the new child must close (its copies
    would keep a sibling from seeing the parent close its end).
    """
    up_read, up_write = os.pipe()
    down_read, down_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            for sibling in siblings:
                sibling.channel.close()
            os.close(up_read)
            os.close(down_write)
            code = _run(work, Channel(os.fdopen(down_read, "rb"), os.fdopen(up_write, "wb")))
        finally:
            os._exit(code)
    os.close(up_write)
    os.close(down_read)
    return Child(pid, Channel(os.fdopen(up_read, "rb"), os.fdopen(down_write, "wb")))


def _run(work: Work, channel: Channel) -> int:
    """The child: its work's result (or its failure) as its last message; its exit code."""
    code = 0
    try:
        message = work(channel)
    except BaseException as error:  # reported to the parent, which raises it
        message, code = Failure(f"{type(error).__name__}: {error}"), 1
    try:
        channel.send(message)
    except OSError:  # the parent has stopped listening: it failed, and says so itself
        code = 1
    return code
