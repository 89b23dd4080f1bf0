"""The assemble stage: the book's Sphinx source folder, made under the output folder.

A user's repository holds notes, images and book.toml, nothing of Sphinx. The build makes the
Sphinx project in ``OUT/source``: this package's ``conf.py``, ``qa-index.md`` and ``_static/``;
over them the files of ``--book`` (a project of one's own, its conf.py starting from ours);
the front page (``index.md``, from the title and subtitle); ``book.json``, what book.toml says,
for conf.py; and ``lessons/``, written by the converter. A file is rewritten only when its bytes
change (Sphinx reads again what is newer), each under a temporary name renamed into place.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .. import atomic
from ..book_config import BookConfig
from ..myst_writer.inline import escape_text

PACKAGED = Path(__file__).parent
BOOK_JSON = "book.json"
LESSONS = "lessons"  # the converter's, never touched here
# Not Sphinx's: our Python, caches, the user's own build output, hidden files.
_NOT_PROJECT = ("__init__.py", "__pycache__", "_build", LESSONS)


def source_folder(out: Path) -> Path:
    """Where the build assembles the Sphinx project for the output folder ``out``."""
    return out / "source"


def assemble(config: BookConfig, source: Path) -> None:
    """Make ``source`` the book's Sphinx project (all but the lessons); files that belong to
    no book any more (a ``--book`` given last time, not now) are removed."""
    files = project_files(config)
    for name, data in files.items():
        target = source / name
        if not target.is_file() or target.read_bytes() != data:
            atomic.write_bytes(target, data)
    for path in sorted(source.rglob("*"), reverse=True):
        name = path.relative_to(source).as_posix()
        if path.is_file() and name not in files and not name.startswith(f"{LESSONS}/"):
            path.unlink()


def original_files(messages: str, source: Path, book: Path | None) -> str:
    """Sphinx's messages about a file ``--book`` gave point at that file, not at its copy in
    ``source`` (the lessons' are the source map's)."""
    if book is None:
        return messages

    def original(match: re.Match) -> str:
        relative = match["name"]
        return f"{book / relative}:" if (book / relative).is_file() else match[0]
    return re.sub(rf"^{re.escape(str(source))}/(?P<name>[^:\n]+):", original, messages,
                  flags=re.MULTILINE)


def project_files(config: BookConfig) -> dict[str, bytes]:
    """Every file of the assembled project but the lessons, by its name in the project."""
    files = _tree(PACKAGED)
    files["index.md"] = front_page(config).encode("utf-8")
    if config.book is not None:
        files |= _tree(config.book)
    files[BOOK_JSON] = book_json(config).encode("utf-8")
    return files


def _tree(folder: Path) -> dict[str, bytes]:
    """A project folder's files, by relative name, without what is not Sphinx's."""
    found = {}
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.is_file() and not any(p.startswith(".") or p in _NOT_PROJECT for p in parts):
            found["/".join(parts)] = path.read_bytes()
    return found


def front_page(config: BookConfig) -> str:
    """The book's first page: title, subtitle, downloads, the lessons' contents, the appendix."""
    intro = "问题、练习和插图按课编号（问题 2.4 即第 2 节课的第 4 个问题），全书各处编号一致；" \
            "书末的[问答索引](qa-index.md)列出所有问题。"
    subtitle = escape_text(" ".join(config.subtitle.split()))
    if subtitle:
        intro = f"{subtitle}{'' if subtitle[-1] in '。.！!？?' else '。'}{intro}"
    return (f"# {escape_text(' '.join(config.title.split()))}\n\n{intro}\n\n"
            "```{book-downloads}\n```\n\n"
            "```{include} lessons/toctree.inc\n```\n\n"
            "```{toctree}\n:caption: 附录\n:maxdepth: 1\n\nqa-index\n```\n")


def book_json(config: BookConfig) -> str:
    """What conf.py reads of book.toml."""
    return json.dumps({"title": config.title, "subtitle": config.subtitle,
                       "author": config.author, "language": config.language,
                       "version": config.version, "site_url": config.site_url,
                       "basename": config.basename}, ensure_ascii=False, indent=1) + "\n"


def read_book_json(folder: Path | None = None) -> dict[str, str]:
    """``book.json`` of the project Sphinx is reading (its working folder while it runs
    conf.py); defaults when there is none, as when Sphinx is run on a folder by hand."""
    defaults = {"title": "Book", "subtitle": "", "author": "", "language": "zh-CN",
                "version": "1.0", "site_url": "", "basename": "book"}
    try:
        text = ((folder or Path.cwd()) / BOOK_JSON).read_text(encoding="utf-8")
        return defaults | json.loads(text)
    except (OSError, ValueError):
        return defaults
