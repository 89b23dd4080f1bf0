"""The book file, ``book.toml``: what a course's book is called and where its notes are.

Found in the working folder or the nearest parent up to the repository's root (the folder
holding ``.git``; outside a repository, the working folder only), or named with ``--config``.
Every field is optional (``FIELDS`` gives each its default and meaning); command-line options
override the file. Paths in the file are relative to its folder. Problems are located and
typed, never a traceback: ``book.toml:3: ERROR: unknown key "titel"; did you mean "title"?
[config.unknown_key]``.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from .pdf.page import PAPERS

BOOK_TOML = "book.toml"


@dataclass(frozen=True)
class Field:
    """A key of the book file: its type (``str``, or ``list`` of folders), default and help."""

    kind: type
    default: object
    help: str


FIELDS = {
    "title": Field(str, None, "the book's title; default: the first heading of the notes "
                              "folder's README.md (or index.md), else of the root's README.md, "
                              "else the root folder's name"),
    "subtitle": Field(str, "", "a line under the title, on the cover and the front page"),
    "author": Field(str, "", "who wrote the notes, on the cover and in the metadata"),
    "language": Field(str, "zh-CN", "the book's language (a BCP 47 tag)"),
    "version": Field(str, "1.0", "printed on the cover as 版本 …, in quotes"),
    "notes": Field(list, ["notes"], "the folders of .md notes, searched recursively"),
    "root": Field(str, ".", "the folder images and linked files are looked up under; "
                            "nothing outside it is read"),
    "paper": Field(str, "A4", f"the PDF's paper: {', '.join(PAPERS)}"),
    "site_url": Field(str, "", "where the site will be published (its canonical address)"),
    "out": Field(str, "_build", "where every output and cache goes"),
    "book": Field(str, "", "a Sphinx project of your own whose conf.py starts from the "
                           "tool's; default: the tool's own"),
}
PATH_FIELDS = ("root", "out", "book")
# Kept for the issues that define them: refused, so that nobody believes they work.
RESERVED = ("editions", "chapters")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_TYPE_NAMES = {bool: "true or false", int: "a number", float: "a number", list: "a list",
               dict: "a table", str: "text"}


class Problem(Enum):
    """What can be wrong with a book file; the value is the subtype of ``config.*``."""

    #: The file is not TOML; the TOML parser's message, at its line.
    SYNTAX = "syntax"
    #: A key the book file does not have; the closest one that exists is suggested.
    UNKNOWN_KEY = "unknown_key"
    #: A key kept for a later version of the tool (``editions``, ``chapters``).
    RESERVED_KEY = "reserved_key"
    #: A value of the wrong type: a number where text is wanted (``version = 1.0``).
    WRONG_TYPE = "wrong_type"
    #: A value of the right type that is not allowed: a paper size the tool does not know.
    BAD_VALUE = "bad_value"
    #: The file cannot be read: it does not exist, or is not UTF-8.
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class ConfigProblem:
    problem: Problem
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: ERROR: {self.message} [config.{self.problem.value}]"


class ConfigError(Exception):
    """The book file has problems; each is one located line."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class BookConfig:
    """The book's settings, the file's and the options' merged, paths resolved."""

    title: str
    notes: tuple[Path, ...]
    root: Path
    out: Path
    subtitle: str = ""
    author: str = ""
    language: str = "zh-CN"
    version: str = "1.0"
    paper: str = "A4"
    site_url: str = ""
    book: Path | None = None  # a Sphinx project of the user's own; None: the tool's
    file: Path | None = None  # the book.toml read, if any

    @property
    def basename(self) -> str:
        """The outputs' file name (``<basename>.pdf``): the title's Latin words, else the root
        folder's, else ``book``; a conf.py of one's own may set ``epub_basename``."""
        for name in (self.title, self.root.resolve().name):
            words = re.findall(r"[a-z0-9]+", name.lower())
            if words and words[0][0].isalpha():
                return "-".join(words)
        return "book"


def find_config(start: Path) -> Path | None:
    """The nearest ``book.toml``: in ``start`` or a parent up to the repository's root."""
    folders = [start, *start.parents]
    top = next((i for i, folder in enumerate(folders) if (folder / ".git").exists()), 0)
    for folder in folders[: top + 1]:
        if (folder / BOOK_TOML).is_file():
            return folder / BOOK_TOML
    return None


def read_config(path: Path) -> dict[str, object]:
    """The checked values of a book file; :class:`ConfigError` lists every problem, located."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ConfigError([ConfigProblem(Problem.UNREADABLE, path, 1, reason)]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([_syntax_problem(path, text, str(error))]) from None
    values, problems = {}, []
    for key, value in raw.items():
        problem = _key_problem(key, value, path, text)
        if problem:
            problems.append(problem)
        else:
            values[key] = [value] if FIELDS[key].kind is list and isinstance(value, str) else value
    if problems:
        raise ConfigError(problems)
    return values


def _syntax_problem(path: Path, text: str, message: str) -> ConfigProblem:
    """tomllib says ``Invalid value (at line 3, column 9)``: the line becomes the location."""
    at = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if at:
        return ConfigProblem(Problem.SYNTAX, path, int(at.group(1)), message[: at.start()])
    end = message.removesuffix(" (at end of document)")
    return ConfigProblem(Problem.SYNTAX, path, max(1, len(text.splitlines())), end)


def _key_problem(key: str, value: object, path: Path, text: str) -> ConfigProblem | None:
    line = line_of(text, key)
    if key in RESERVED:
        return ConfigProblem(Problem.RESERVED_KEY, path, line,
                             f'"{key}" is reserved for a later version of the tool; remove it')
    if key not in FIELDS:
        close = difflib.get_close_matches(key, FIELDS, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else f" (known: {', '.join(FIELDS)})"
        return ConfigProblem(Problem.UNKNOWN_KEY, path, line, f'unknown key "{key}"{hint}')
    wrong = _wrong_type(key, value) or _bad_value(key, value)
    return ConfigProblem(wrong[0], path, line, wrong[1]) if wrong else None


def _wrong_type(key: str, value: object) -> tuple[Problem, str] | None:
    if FIELDS[key].kind is list:
        if isinstance(value, str) or (isinstance(value, list) and value
                                      and all(isinstance(v, str) for v in value)):
            return None
        return Problem.WRONG_TYPE, (f'"{key}" must be a list of folders in quotes, such as '
                                    f'["notes"], not {_type_name(value)}')
    if isinstance(value, str):
        return None
    return Problem.WRONG_TYPE, f'"{key}" must be text in quotes, not {_type_name(value)}'


def _bad_value(key: str, value: object) -> tuple[Problem, str] | None:
    if key == "paper" and value not in PAPERS:
        return Problem.BAD_VALUE, f'"paper" must be one of {", ".join(PAPERS)}, not "{value}"'
    if key == "language" and not _LANGUAGE.match(str(value)):
        return Problem.BAD_VALUE, f'"language" must be a language tag such as zh-CN, not "{value}"'
    if key == "site_url" and value and not re.match(r"^https?://\S+$", str(value)):
        return Problem.BAD_VALUE, f'"site_url" must be an http(s):// address, not "{value}"'
    if key in ("title", "version") and not str(value).strip():
        # An EPUB 3 needs both; Sphinx's warning for an empty version could not be suppressed.
        return Problem.BAD_VALUE, f'"{key}" must not be empty'
    return None


def _type_name(value: object) -> str:
    return next((name for kind, name in _TYPE_NAMES.items() if isinstance(value, kind)),
                type(value).__name__)


def line_of(text: str, key: str) -> int:
    """The line that sets ``key`` (``key =``, ``"key" =``, ``[key]``): tomllib keeps none."""
    name = re.escape(key)
    pattern = re.compile(rf"^\s*(?:([\"']?){name}\1\s*=|\[\[?\s*([\"']?){name}\2\s*[\].])")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return 1


def resolve_config(file: Path | None, options: dict[str, object], cwd: Path) -> BookConfig:
    """The book's settings: ``options`` (the command line's, relative to ``cwd``) over the
    file's (relative to its folder) over the defaults.

    :raises ConfigError: the file has problems
    """
    base = file.parent if file else cwd
    for key, value in options.items():  # the command line's, checked as the file's are
        if isinstance(value, str) and (wrong := _bad_value(key, value)):
            raise ConfigError([ConfigProblem(wrong[0], Path(f"--{key.replace('_', '-')}"), 1,
                                             wrong[1])])
    values = _absolute({k: f.default for k, f in FIELDS.items()}, base)
    values |= _absolute(read_config(file) if file else {}, base)
    values |= _absolute({k: v for k, v in options.items() if v not in (None, [], ())}, cwd)
    notes = tuple(values.pop("notes"))
    book = values.pop("book")
    title = values.pop("title") or default_title(notes, values["root"])
    return BookConfig(title=title, notes=notes, book=book or None, file=file,
                      **{k: values[k] for k in ("root", "out", "subtitle", "author",
                                                "language", "version", "paper", "site_url")})


def _absolute(values: dict[str, object], base: Path) -> dict[str, object]:
    """Relative folders made absolute against ``base``, so every place reads the same."""
    found = dict(values)
    for key in PATH_FIELDS:
        if found.get(key):
            found[key] = base / found[key]
    if "notes" in found:
        found["notes"] = [base / folder for folder in found["notes"]]
    return found


def default_title(notes: tuple[Path, ...], root: Path) -> str:
    """The book's title when book.toml gives none (see :func:`title_source`)."""
    return title_source(notes, root)[0]


def title_source(notes: tuple[Path, ...], root: Path) -> tuple[str, str]:
    """A title and where it came from: the first heading of the first notes folder's
    README.md or index.md, else of the root's README.md, else the root folder's name."""
    places = [*(notes[0] / name for name in ("README.md", "readme.md", "index.md")),
              root / "README.md"] if notes else [root / "README.md"]
    for path in places:
        heading = first_heading(path) if path.is_file() else ""
        if heading:
            return heading, str(path)
    return root.resolve().name or "book", "the folder's name"


def first_heading(path: Path) -> str:
    """A Markdown file's first ATX heading as plain text; "" when it has none."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError):
        return ""
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else re.match(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match and match.group(1):
            return re.sub(r"[*_`]|<[^>]+>", "", match.group(1)).strip()
    return ""
