"""The peer of the benchmark: sphinx-simplepdf, in a virtual environment of its own.

Never a dependency of the project: ``ensure_venv`` makes ``OUT/peer-venv`` with pip's
configured index (the same Sphinx and MyST-Parser ranges as ours; simplepdf brings its own
WeasyPrint). ``make_book`` gives it the very MyST our converter wrote, with a ``conf.py`` that
has our language, numbering and MyST settings and registers ``peer_shim`` (our directives as
plain containers) instead of our extension, which the peer's environment does not have.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = ["sphinx>=8.2,<9", "myst-parser>=4,<6", "sphinx-simplepdf"]
# Settings of the tool's conf.py that decide what the peer parses and prints.
SHARED = ("root_doc", "exclude_patterns", "source_suffix", "myst_enable_extensions",
          "myst_heading_anchors", "numfig", "numfig_secnum_depth")
OUR_CONF = HERE.parent / "build_tools" / "sphinx_project" / "conf.py"


def ensure_venv(venv: Path) -> Path:
    """``venv`` with sphinx-simplepdf importable; made (or repaired) when it is not."""
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import sphinx_simplepdf, myst_parser, weasyprint"]
    if python.is_file() and subprocess.run(probe, capture_output=True).returncode == 0:
        return venv
    print(f"bench: making {venv} (pip install {' '.join(REQUIREMENTS)})", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS],
                               capture_output=True, text=True, encoding="utf-8")
    if installed.returncode:
        sys.stderr.write(installed.stdout + installed.stderr)
        raise RuntimeError(f"pip could not install {' '.join(REQUIREMENTS)} into {venv}")
    subprocess.run(probe, check=True)
    return venv


def make_book(book: Path, lessons: Path, our_project: Path) -> Path:
    """The peer's Sphinx project: our index pages (of the project a build assembles), the
    generated MyST, the shim, a conf.py."""
    shutil.rmtree(book, ignore_errors=True)
    book.mkdir(parents=True)
    for name in ("index.md", "qa-index.md"):
        shutil.copy2(our_project / name, book / name)
    shutil.copytree(lessons, book / "lessons")
    shutil.copy2(HERE / "peer_shim.py", book / "peer_shim.py")
    (book / "conf.py").write_text(conf_text(our_project / "book.json"), encoding="utf-8")
    return book


def conf_text(book_json: Path) -> str:
    """The book's title, author and language (book.json), our conf.py's shared settings
    (literal assignments), then the peer's own."""
    book = json.loads(book_json.read_text(encoding="utf-8"))
    tree = ast.parse(OUR_CONF.read_text(encoding="utf-8"))
    lines = ['"""sphinx-simplepdf on the book\'s MyST: written by benchmarks/peer.py."""',
             "import os, sys", "sys.path.insert(0, os.path.dirname(__file__))",
             f"project = {book['title']!r}", f"author = {book['author']!r}",
             f"version = release = {book['version']!r}",
             f"language = {book['language'].replace('-', '_')!r}"]
    for node in tree.body:
        target = (node.targets[0] if isinstance(node, ast.Assign) else
                  node.target if isinstance(node, ast.AnnAssign) else None)
        if isinstance(target, ast.Name) and target.id in SHARED and node.value is not None:
            try:
                value = ast.literal_eval(node.value)
            except ValueError:  # e.g. release = version
                value = None
            if value is not None:
                lines.append(f"{target.id} = {value!r}")
    lines += ['extensions = ["myst_parser", "sphinx_simplepdf", "peer_shim"]',
              'simplepdf_file_name = "book.pdf"']
    return "\n".join(lines) + "\n"


def command(venv: Path, book: Path, out: Path, doctrees: Path) -> list[str]:
    return [str(venv / "bin" / "python"), "-m", "sphinx", "-q", "-b", "simplepdf", "-d",
            str(doctrees), str(book), str(out)]


def environment(venv: Path) -> dict[str, str]:
    """simplepdf runs ``weasyprint`` by name: the venv's, first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    return env


def versions(venv: Path) -> dict[str, str]:
    script = ("from importlib import metadata as m; import json; print(json.dumps({p: "
              "m.version(p) for p in ('sphinx', 'myst-parser', 'sphinx-simplepdf', "
              "'weasyprint', 'pydyf')}))")
    found = subprocess.run([str(venv / "bin" / "python"), "-c", script], capture_output=True,
                           text=True, encoding="utf-8")
    return json.loads(found.stdout) if found.returncode == 0 else {}


def warnings(log: Path) -> int:
    """How many warnings the peer's build printed (its log)."""
    try:
        return log.read_text(encoding="utf-8", errors="replace").count("WARNING")
    except OSError:
        return 0
