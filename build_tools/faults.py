"""Pause points, where the fault tests kill a build (tests/faults).

With ``BUILD_TOOLS_PAUSE_AT=<name>`` in the environment, the process that reaches the pause
point of that name writes ``<name> <pid>`` to the file ``$BUILD_TOOLS_PAUSE_FILE`` and sleeps
until it is killed: the test then sends SIGKILL or SIGINT to the build's process group at
exactly that moment, not after a guessed delay. Without the variable a pause point costs one
dictionary lookup.
"""

from __future__ import annotations

import os
import time

PAUSE_AT = "BUILD_TOOLS_PAUSE_AT"
PAUSE_FILE = "BUILD_TOOLS_PAUSE_FILE"


def pause_point(name: str) -> None:
    """Stop here, for good, if the fault tests asked for this point."""
    if os.environ.get(PAUSE_AT) != name:
        return
    with open(os.environ[PAUSE_FILE], "a", encoding="utf-8") as handle:
        handle.write(f"{name} {os.getpid()}\n")
    while True:  # until the test's signal ends the process
        time.sleep(60)


def pause_while_writing(app, pagename: str, *args) -> None:
    """``html-page-context`` (each page Sphinx writes): the pause point of a builder caught in
    the middle of writing its output, ``sphinx-<builder>-write``."""
    pause_point(f"sphinx-{app.builder.name}-write")
