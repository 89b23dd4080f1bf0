"""``doctor``: are the fonts and programs the build needs on this machine?

Each check says what it found, what a missing piece costs, and the Debian package that brings
it; ``install_line`` is the one ``apt-get`` command for everything missing. The machine is read
through a :class:`Probe`, so tests can describe any machine.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
from dataclasses import dataclass

# The faces the print CSS and the EPUB cover name: Simplified Chinese, not only Japanese
# (a JP face prints 骨, 直, 角 in Japanese forms).
SC_FACES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
JP_FACES = ("Noto Serif CJK JP", "Noto Sans CJK JP")


@dataclass(frozen=True)
class Finding:
    """One check: what it looked for, whether it was there, what that means."""

    name: str
    ok: bool
    detail: str
    package: str  # the Debian package that provides it


class Probe:
    """This machine, as the checks see it."""

    def font_families(self) -> set[str]:
        if not shutil.which("fc-list"):
            return set()
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                                encoding="utf-8", check=False).stdout
        return {name.strip() for line in listed.splitlines() for name in line.split(",")}

    def library(self, name: str) -> bool:
        return ctypes.util.find_library(name) is not None

    def program(self, *names: str) -> bool:
        return any(shutil.which(name) for name in names)


def run_checks(probe: Probe | None = None) -> list[Finding]:
    """Every check, in the order a build needs them."""
    probe = probe or Probe()
    return [_fonts(probe),
            _library(probe, "pango-1.0", "Pango (WeasyPrint lays out text with it)",
                     "the PDF cannot be made", "libpango-1.0-0"),
            _library(probe, "harfbuzz-subset", "HarfBuzz subsetting",
                     "fonts are subset with fontTools, about 20 times slower",
                     "libharfbuzz-subset0"),
            _program(probe, ("java",), "Java (runs EPUBCheck)",
                     "the EPUB cannot be checked (tests)", "default-jre-headless"),
            _program(probe, ("chromium", "chromium-browser"), "Chromium",
                     "the site cannot be tested in a browser (tests)", "chromium"),
            _program(probe, ("pdftotext",), "poppler (pdftotext)",
                     "`check` cannot read the PDF", "poppler-utils")]


def _fonts(probe: Probe) -> Finding:
    families = probe.font_families()
    missing = [face for face in SC_FACES if face not in families]
    if not missing:
        return Finding("fonts", True, ", ".join(SC_FACES), "fonts-noto-cjk")
    japanese = [face for face in JP_FACES if face in families]
    why = (f"only {', '.join(japanese)}: Chinese would print in Japanese forms" if japanese
           else "Chinese would print in whatever font fontconfig picks, or not at all")
    return Finding("fonts", False, f"missing {', '.join(missing)}; {why}", "fonts-noto-cjk")


def _library(probe: Probe, library: str, name: str, cost: str, package: str) -> Finding:
    found = probe.library(library)
    return Finding(name, found, f"lib{library}" if found else f"missing: {cost}", package)


def _program(probe: Probe, programs: tuple[str, ...], name: str, cost: str,
             package: str) -> Finding:
    found = probe.program(*programs)
    return Finding(name, found, programs[0] if found else f"missing: {cost}", package)


def install_line(findings: list[Finding], root: bool | None = None) -> str:
    """The apt-get command that installs what is missing; "" when nothing is."""
    packages = list(dict.fromkeys(f.package for f in findings if not f.ok))
    if not packages:
        return ""
    root = os.geteuid() == 0 if root is None else root
    sudo = "" if root else "sudo "
    return f"{sudo}apt-get update && {sudo}apt-get install -y {' '.join(packages)}"
