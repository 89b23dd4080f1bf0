"""Sphinx configuration of the course book: the only one, written by hand.

The lessons under ``lessons/`` are generated from ``../notes`` by ``python -m build_tools
convert``; edit the notes, never the generated files.
"""

# --- Book metadata: the one place to edit the title, author and version --------------------
project = "大模型课程笔记"
author = "课程助教与学员"
copyright = "2026, 课程助教与学员"
version = "0.1"
release = version

# --- Sources ---------------------------------------------------------------------------------
extensions = ["myst_parser", "build_tools.sphinx_ext"]
language = "zh_CN"
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
# Chinese search by Han characters and pairs (build_tools/sphinx_ext/search.py), not jieba.
html_search_language = "zh"

html_static_path = ["_static"]
html_css_files = ["book.css"]

# --- EPUB: what EPUBCheck and readers need ----------------------------------------------------
# Sphinx uses one value as the package's XML id (epub_uid) and, in toc.ncx, as the identifier
# that must equal dc:identifier: so one name for both, with no colons and no leading digit.
BOOK_ID = "llm-course-notes"
epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = copyright
epub_language = "zh-CN"
epub_uid = BOOK_ID
epub_identifier = BOOK_ID
epub_basename = BOOK_ID
# Sphinx writes dc:description and dc:contributor whether set or not ("unknown"); the
# description is also the subtitle of the drawn cover (build_tools.sphinx_ext.cover).
epub_description = "课程笔记汇编：每节课的课后习题、名词解释与直播问答"
epub_contributor = author
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

