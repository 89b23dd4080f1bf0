"""Running Sphinx builders on the generated book, in a child process.

A child process keeps Sphinx's global state (registries, logging) out of ours and lets each
builder share one doctree folder, so the second builder reuses what the first one read.

A build whose inputs are all unchanged since the last successful one is not run at all: even
with nothing to do, starting Sphinx, loading the environment and rewriting the single page
(which Sphinx always rewrites whole) takes seconds. Its messages are replayed instead.

Sphinx writes its output in place; a killed builder would leave half a site (or half an EPUB
zip) that the next run's stamp trusts. So each builder writes into a staging copy of its last
output, swapped in when it succeeds; its stamp is removed before it starts and written only
after the swap (build_tools.atomic).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from . import atomic
from .faults import pause_point
from .fingerprint import code_fingerprint

_PACKAGES = ("sphinx", "myst-parser", "sphinx-book-theme", "pydata-sphinx-theme", "docutils")


def run_sphinx(builder: str, book: Path, out: Path, doctrees: Path, strict: bool,
               overrides: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``sphinx-build -b builder``; its messages are returned, not printed.

    :param doctrees: the folder of the builders' environments, one each (``doctrees/html``):
        a shared one let the first builder read a change and the others never write it
    """
    # -j auto: Sphinx reads documents on every core when there are enough of them to pay
    # (40 lessons: html 6.4 s -> 5.5 s); one edited lesson is read in this process.
    # -N: the messages are parsed (located, suppressed), never shown as Sphinx wrote them;
    # Sphinx colours them when CI=true or FORCE_COLOR is set, even into a pipe.
    command = [sys.executable, "-m", "sphinx", "-q", "-N", "-j", "auto", "-b", builder]
    if strict:
        command += ["-W", "--keep-going"]
    for key, value in (overrides or {}).items():
        command += ["-D", f"{key}={value}"]
    key = inputs_key([*command, str(book), str(out)], book,
                     [Path(v) for v in (overrides or {}).values()])
    # Beside the doctrees, not in the output: the EPUB builder zips whatever its folder holds.
    stamp = doctrees / f"inputs-{builder}-{hashlib.sha1(str(out).encode()).hexdigest()[:12]}.json"
    replay = _replay(stamp, out, key)
    if replay is not None:
        return replay
    stamp.unlink(missing_ok=True)  # nothing vouches for an output being rewritten
    environment = doctrees / builder
    stage, staged_environment = atomic.start_from(out), atomic.start_from(environment)
    pause_point(f"sphinx-{builder}")
    result = subprocess.run([*command, "-d", str(staged_environment), str(book), str(stage)],
                            capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:  # the last good output and environment stay
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(staged_environment, ignore_errors=True)
        return result
    pause_point(f"sphinx-{builder}-swap")
    # The output first: killed between the two, the old environment reads the changes again.
    atomic.swap_in(stage, out)
    atomic.swap_in(staged_environment, environment)
    atomic.write_text(stamp, json.dumps({"key": key, "stderr": result.stderr,
                                         "output": output_digest(out)}))
    return result


# What the PDF stage keeps beside the print output (images downsampled for print): not Sphinx's.
_NOT_SPHINX = "_print_images"


def output_digest(out: Path) -> str:
    """The contents of a builder's output folder: a stamp vouches for these bytes only."""
    digest = hashlib.sha256()
    for path in sorted(p for p in out.rglob("*") if p.is_file()
                       and _NOT_SPHINX not in p.relative_to(out).parts):
        digest.update(path.relative_to(out).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def inputs_key(command: list[str], book: Path, extra_files: list[Path]) -> str:
    """Everything a build reads: the command, the book's files, our code, the engines' versions."""
    digest = hashlib.sha256("\0".join(command).encode("utf-8"))
    digest.update(code_fingerprint().encode("ascii"))
    # Hidden files are left out: the parse cache beside the lessons is no input of Sphinx.
    for path in sorted(p for p in book.rglob("*") if p.is_file() and "__pycache__" not in
                       p.parts and not _skipped(p.relative_to(book).parts)):
        digest.update(path.relative_to(book).as_posix().encode("utf-8"))
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
    if stamp.get("key") != key or not out.is_dir() or stamp.get("output") != output_digest(out):
        return None
    return subprocess.CompletedProcess([], 0, "", stamp.get("stderr", ""))
