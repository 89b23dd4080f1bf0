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
exclude_patterns = ["_build", ".DS_Store"]
source_suffix = {".md": "markdown"}
# Only CommonMark plus what the writer emits: no dollar math, no substitutions, no colon
# fences, so that note text can never turn into markup.
myst_enable_extensions: list[str] = []
myst_heading_anchors = 0

# --- Numbering -------------------------------------------------------------------------------
numfig = True
numfig_secnum_depth = 1

# --- HTML ------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = project
html_search_language = "zh"

# jieba (Chinese search) announces its dictionary on stderr at every build; keep logs to problems.
import logging  # noqa: E402

import jieba  # noqa: E402

jieba.setLogLevel(logging.WARNING)

html_static_path = ["_static"]
html_css_files = ["book.css"]

# --- EPUB: what EPUBCheck needs ----------------------------------------------------------------
# The identifier doubles as the package's XML id, so no colons and no leading digit.
BOOK_ID = "llm-course-notes"
epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = copyright
epub_language = "zh-CN"
epub_identifier = BOOK_ID
epub_uid = BOOK_ID
epub_scheme = "URL"
epub_basename = BOOK_ID
