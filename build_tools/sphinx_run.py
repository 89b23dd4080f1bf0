"""Running Sphinx builders on the generated book, in a child process.

A child process keeps Sphinx's global state (registries, logging) out of ours and lets each
builder share one doctree folder, so the second builder reuses what the first one read.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_sphinx(builder: str, book: Path, out: Path, doctrees: Path, strict: bool,
               overrides: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``sphinx-build -b builder``; its messages are returned, not printed."""
    command = [sys.executable, "-m", "sphinx", "-q", "-b", builder, "-d", str(doctrees)]
    if strict:
        command += ["-W", "--keep-going"]
    for key, value in (overrides or {}).items():
        command += ["-D", f"{key}={value}"]
    command += [str(book), str(out)]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
