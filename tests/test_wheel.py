"""Installed as people install it: this checkout's wheel in a fresh environment, building a
course that lies outside the repository and holds nothing but its notes.

The dependencies are not installed again (a minute or more, and the network): the fresh
environment reads them from the running one's site-packages through a ``.pth`` line. A path
line adds the folder to ``sys.path`` without running that folder's own ``.pth`` files, so the
running environment's editable ``build_tools`` never loads; the test checks that the one in use
is the wheel's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from .conftest import REPO, tiny_png

NOTE = """## 第一章：随机变量（第一节课）

随机变量是样本空间上的函数。

![分布](img/分布.png)

### 相关名词解释

#### 1、期望

加权平均。
"""


def _environment() -> dict[str, str]:
    # Nothing of this checkout on the path: PYTHONPATH would put our tree before the wheel.
    return {key: value for key, value in os.environ.items()
            if key not in ("PYTHONPATH", "VIRTUAL_ENV", "BUILD_TOOLS_PAUSE_AT")}


def _run(command: list, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=cwd, env=_environment(),
                          capture_output=True, text=True, encoding="utf-8", timeout=600)


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh environment with the wheel installed, its dependencies borrowed."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy: setuptools writes build/ and *.egg-info beside it
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "build_tools", source / "build_tools",
                    ignore=shutil.ignore_patterns("__pycache__"))
    built = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", work / "dist",
                  source], work)
    assert built.returncode == 0, built.stderr
    wheel = next((work / "dist").glob("build_tools-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    for data in ("build_tools/pdf/print.css", "build_tools/sphinx_project/conf.py",
                 "build_tools/sphinx_project/qa-index.md", "build_tools/sphinx_ext/static/qa.css"):
        assert data in names, f"the wheel carries {data}"
    venv = work / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", venv], work).returncode == 0
    python = venv / "bin" / "python"
    installed = _run([sys.executable, "-m", "pip", "--python", python, "install", "-q",
                      "--no-deps", wheel], work)
    assert installed.returncode == 0, installed.stderr
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], work)
    (Path(site.stdout.strip()) / "borrowed-dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return venv


def _tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_init_then_build_all_makes_every_format_with_the_guessed_title(venv, tmp_path):
    course = tmp_path / "course"
    (course / "notes" / "img").mkdir(parents=True)
    (course / "notes" / "README.md").write_text("# 概率论讲义\n本课程的笔记。\n",
                                                encoding="utf-8")
    (course / "notes" / "lesson1.md").write_text(NOTE, encoding="utf-8")
    (course / "notes" / "img" / "分布.png").write_bytes(tiny_png())
    before = _tree(course)
    used = _run([venv / "bin" / "python", "-c", "import build_tools; print(build_tools.__file__)"],
                course)
    assert Path(used.stdout.strip()).is_relative_to(venv), used.stdout + used.stderr

    init = _run([venv / "bin" / "build-notes", "init"], course)
    assert init.returncode == 0, init.stderr
    assert "title:  概率论讲义 (from notes/README.md" in init.stdout
    built = _run([venv / "bin" / "build-notes", "build", "all"], course)
    assert built.returncode == 0, built.stderr
    assert "WARNING" not in built.stderr and "ERROR" not in built.stderr, built.stderr

    out = course / "_build"
    assert _tree(course) - before == {"book.toml"} | {f"_build/{p}" for p in _tree(out)} | {
        "_build"}, "nothing is written but book.toml and the output folder"
    assert "<title>概率论讲义" in (out / "html" / "index.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(out / "epub" / "course.epub") as epub:
        package = ElementTree.fromstring(epub.read("content.opf"))
    assert package.findtext(".//{http://purl.org/dc/elements/1.1/}title") == "概率论讲义"
    assert PdfReader(out / "pdf" / "course.pdf").metadata.title == "概率论讲义"
    assert sorted(p.name for p in (out / "handouts").glob("*.pdf")) == ["intro.pdf", "l01.pdf"]


def test_a_wrong_key_or_type_in_book_toml_is_a_located_error(venv, tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "book.toml").write_text('titel = "x"\npaper = 5\n', encoding="utf-8")
    result = _run([venv / "bin" / "build-notes", "build", "html"], tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f'{tmp_path / "book.toml"}:1: ERROR: unknown key "titel"; did you mean "title"? '
        "[config.unknown_key]",
        f'{tmp_path / "book.toml"}:2: ERROR: "paper" must be text in quotes, not a number '
        "[config.wrong_type]"]
