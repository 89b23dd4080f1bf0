"""Running Sphinx builders on the generated book, in a child process.

A child process keeps Sphinx's global state (registries, logging) out of ours and lets each
builder share one doctree folder, so the second builder reuses what the first one read.

A build whose inputs are all unchanged since the last successful one is not run at all: even
with nothing to do, starting Sphinx, loading the environment and rewriting the single page
(which Sphinx always rewrites whole) takes seconds. Its messages are replayed instead.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

_PACKAGES = ("sphinx", "myst-parser", "sphinx-book-theme", "pydata-sphinx-theme", "docutils")


def run_sphinx(builder: str, book: Path, out: Path, doctrees: Path, strict: bool,
               overrides: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``sphinx-build -b builder``; its messages are returned, not printed."""
    # -j auto: Sphinx reads documents on every core when there are enough of them to pay
    # (40 lessons: html 6.4 s -> 5.5 s); one edited lesson is read in this process.
    command = [sys.executable, "-m", "sphinx", "-q", "-j", "auto", "-b", builder,
               "-d", str(doctrees)]
    if strict:
        command += ["-W", "--keep-going"]
    for key, value in (overrides or {}).items():
        command += ["-D", f"{key}={value}"]
    command += [str(book), str(out)]
    key = inputs_key(command, book, [Path(v) for v in (overrides or {}).values()])
    # Beside the doctrees, not in the output: the EPUB builder zips whatever its folder holds.
    stamp = doctrees / f"inputs-{builder}-{hashlib.sha1(str(out).encode()).hexdigest()[:12]}.json"
    replay = _replay(stamp, out, key)
    if replay is not None:
        return replay
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    if result.returncode == 0:
        stamp.write_text(json.dumps({"key": key, "stderr": result.stderr}), encoding="utf-8")
    return result


def inputs_key(command: list[str], book: Path, extra_files: list[Path]) -> str:
    """Everything a build reads: the command, the book's files, our code, the engines' versions."""
    digest = hashlib.sha256("\0".join(command).encode("utf-8"))
    ours = Path(__file__).parent
    for root in (book, ours):
        # Hidden files are left out: the parse cache beside the lessons is no input of Sphinx.
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in
                           p.parts and not _skipped(p.relative_to(root).parts)):
            digest.update(path.relative_to(root).as_posix().encode("utf-8"))
            digest.update(path.read_bytes())
    for path in extra_files:  # files named in overrides: the downloads the site offers
        if path.is_file():
            digest.update(path.read_bytes())
    for package in _PACKAGES:
        try:
            digest.update(metadata.version(package).encode("utf-8"))
        except metadata.PackageNotFoundError:
            continue
    return digest.hexdigest()


def _skipped(parts: tuple[str, ...]) -> bool:
    return "_build" in parts or any(part.startswith(".") for part in parts)


def _replay(stamp_file: Path, out: Path, key: str) -> subprocess.CompletedProcess | None:
    """The last run's messages, if its inputs were these and its output is still there."""
    try:
        stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    built = any(out.glob("index.*")) or any(out.glob("*.epub"))
    if stamp.get("key") != key or not built:
        return None
    return subprocess.CompletedProcess([], 0, "", stamp.get("stderr", ""))
