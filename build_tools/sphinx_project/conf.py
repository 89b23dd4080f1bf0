"""The tool's Sphinx settings, for every course's book.

The build assembles the book's Sphinx source folder under its output (``OUT/source``): this
file, or the conf.py of ``--book``, the front page, the Q&A index, the lessons generated from the
notes, and ``book.json``, the title, author and the rest as book.toml gave them. Sphinx runs a
conf.py in its own folder, so ``book.json`` is read from there.

A Sphinx project of one's own starts from these settings and sets what it wants; what it sets
wins (the title, author and language stay book.toml's unless it sets ``project`` and the rest)::

    from build_tools.sphinx_project.conf import *  # noqa: F403

    html_theme_options = {"repository_url": "https://github.com/…"}
"""

from build_tools.sphinx_project import read_book_json as _read_book_json

_book = _read_book_json()

# --- Book metadata: from book.toml ------------------------------------------------------------
project = _book["title"]
author = _book["author"]
copyright = author or project
version = _book["version"]
release = version

# --- Sources ---------------------------------------------------------------------------------
extensions = ["myst_parser", "build_tools.sphinx_ext"]
# Sphinx's locale names (zh_CN), the book's tag (zh-CN) for the EPUB.
language = _book["language"].replace("-", "_")
root_doc = "index"
# Generated images and linked files are never documents, whatever their names end with: a
# note's link to a README.md must not publish it as a page (its raw HTML and all).
# A file a killed convert was writing (build_tools/atomic.py) is no document either.
exclude_patterns = ["_build", ".DS_Store", "lessons/images", "lessons/images/**",
                    "lessons/_files", "lessons/_files/**", "**/.partial-*"]
source_suffix = {".md": "markdown"}
# Only CommonMark plus what the writer emits: no dollar math, no substitutions, no colon
# fences, so that note text can never turn into markup.
myst_enable_extensions: list[str] = []
myst_heading_anchors = 0
# Notes write "--" as a dash and quotes as they mean them: print them as written.
smartquotes = False

# --- Numbering -------------------------------------------------------------------------------
numfig = True
numfig_secnum_depth = 1

# --- HTML ------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = project
html_baseurl = _book["site_url"]
# Chinese search by Han characters and pairs (build_tools/sphinx_ext/search.py), not jieba.
if language.startswith("zh"):
    html_search_language = "zh"

html_static_path = ["_static"]
html_css_files = ["book.css"]

# --- EPUB: what EPUBCheck and readers need ----------------------------------------------------
# Sphinx uses one value as the package's XML id (epub_uid) and, in toc.ncx, as the identifier
# that must equal dc:identifier: so one name for both, with no colons and no leading digit.
# It also names the files: OUT/epub/<basename>.epub, OUT/pdf/<basename>.pdf.
epub_uid = epub_identifier = epub_basename = _book["basename"]
epub_title = project
# EPUB 3 wants a creator, publisher and contributor (Sphinx warns, untyped, when one is empty).
epub_author = epub_publisher = epub_contributor = author or (
    "佚名" if language.startswith("zh") else "Anonymous")
epub_copyright = copyright
epub_language = _book["language"]
# Sphinx writes dc:description and dc:contributor whether set or not ("unknown"); the
# description is also the subtitle of the drawn cover (build_tools.sphinx_ext.cover).
epub_description = _book["subtitle"] or "unknown"
# The notes make no index entries: the general index would be an empty page in the spine.
epub_use_index = False
# Readers follow a link with a tap; "inline" would break Chinese sentences with URLs and
# "footnote" adds a rubric in English.
epub_show_urls = "no"
epub_exclude_files = [
    # Sphinx's backup of the previous build's hashes, no part of the book (and a warning).
    ".buildinfo.bak",
    # Basic-theme files no EPUB page uses (EPUBCheck OPF-097).
    "_static/basic.css",
    "_static/minus.png",
    "_static/plus.png",
    # The cover page of the previous build, still in the output folder: Sphinx would list it a
    # second time next to the one it writes (EPUBCheck RSC-005 and OPF-096 on every rebuild).
    "epub-cover.xhtml",
]
