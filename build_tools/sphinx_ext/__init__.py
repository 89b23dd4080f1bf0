"""Our Sphinx extension: numbered, cross-referenced questions, answers, exercises, solutions.

``setup`` registers, nothing else: the nodes (enumerable, so Sphinx numbers them), the
directives, the ``qa`` domain, the ``print`` builder (the PDF's source), the numbering hooks,
the Q&A index, our CSS, the Chinese search language and the EPUB cover.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from ..faults import pause_while_writing
from . import nodes as qa
from .directives import (
    AnswerDirective,
    ExerciseDirective,
    QAIndexDirective,
    QuestionDirective,
    SolutionDirective,
)
from .domain import QADomain
from .downloads import BookDownloadsDirective, book_downloads, fill_downloads
from .epub import mark_page_language
from .lesson_qr import LessonQR
from .linked_files import DownloadsAsText
from .numbering import apply_lesson_numbers, restore_sphinx_numbers
from .outdated import note_before_reading, outdated_by_others
from .print_builder import PrintBuilder
from .print_fit import PrintFit
from .qa_index import fill_qa_index
from .search_entries import keep_old_entries
from .writing_space import VISITORS, WritingSpaceDirective, writing_space

STATIC = Path(__file__).with_name("static")
# Only the site needs these (the EPUB has no search page, and an unused file is a finding).
SITE_STATIC = Path(__file__).with_name("site_static")
_SITE_BUILDERS = ("html", "dirhtml", "singlehtml")
NUMFIG_FORMAT = {"question": "问题 %s", "answer": "答 %s", "exercise": "练习 %s",
                 "solution": "答案 %s"}
_DIRECTIVES = {"question": QuestionDirective, "answer": AnswerDirective,
               "exercise": ExerciseDirective, "solution": SolutionDirective}


def complete_config(app: Sphinx, config: Config) -> None:
    """``config-inited``: our formats under the user's, so conf.py can rename 问题 and 练习."""
    config.numfig_format = {**NUMFIG_FORMAT, **config.qa_numfig_format, **config.numfig_format}
    # Pygments strips blank lines at the edges of a block; an answer is kept as written.
    options = config.highlight_options
    if isinstance(options, dict) and all(isinstance(v, dict) for v in options.values()):
        options.setdefault("text", {"stripnl": False})
    # pydata-sphinx-theme 0.20 gives navbar_persistent a search field whenever it is unset; under
    # sphinx-book-theme that brings back the page-wide header bar the book theme does without:
    # a second search field above the sidebar's (sphinx-book-theme issue 986). A conf.py that
    # sets it keeps its choice.
    if config.html_theme == "sphinx_book_theme":
        config.html_theme_options = {"navbar_persistent": [], **config.html_theme_options}


def ship_static(app: Sphinx) -> None:
    """``builder-inited``: through the static path, so the files land in the EPUB zip too."""
    if app.builder.name == "singlehtml":
        # Indexing the single page for search took half its build time (with jieba then), for
        # an index nobody reads: it is a page to print (the print builder does not index either).
        app.builder.search = False
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("qa.css")
    if app.builder.name in _SITE_BUILDERS and (app.config.language or "").startswith("zh"):
        app.config.html_static_path.append(str(SITE_STATIC))
        app.add_js_file("zh_messages.js")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("qa_numfig_format", {}, "env", types=[dict],
                         description="numfig formats for question/answer/exercise/solution")
    app.add_config_value("qa_followup_format", "回复 %s", "env", types=[str],
                         description="title of a follow-up reply under a question")
    html = (qa.visit_qa_item, qa.depart_qa_item)
    for node_class in qa.ENUMERABLE:
        app.add_enumerable_node(node_class, node_class.kind, qa.title_text, html=html)
    app.add_node(qa.qa_title, html=(qa.visit_qa_title, qa.depart_qa_title))
    app.add_node(qa.qa_index)
    app.add_node(book_downloads)
    app.add_config_value("qa_downloads", [], "html", types=[list],
                         description="files (EPUB, PDF) the site offers for download")
    for name, directive in _DIRECTIVES.items():
        app.add_directive(name, directive)
    app.add_directive("qa-index", QAIndexDirective)
    app.add_directive("book-downloads", BookDownloadsDirective)
    app.add_node(writing_space, **VISITORS)
    app.add_directive("writing-space", WritingSpaceDirective)
    app.add_domain(QADomain)
    app.add_config_value("qa_print_text_width_mm", 0, "env", types=[int],
                         description="the print text block's width; 0: no table is fitted")
    app.add_builder(PrintBuilder)
    app.add_post_transform(DownloadsAsText)
    app.add_post_transform(PrintFit)
    app.add_config_value("qa_print_site_url", "", "env", types=[str],
                         description="the site's address: each lesson's first printed page "
                                     "carries a QR code to its page there")
    app.add_post_transform(LessonQR)
    app.connect("config-inited", complete_config, priority=900)
    app.connect("builder-inited", ship_static)
    app.connect("env-before-read-docs", restore_sphinx_numbers)
    app.connect("env-get-updated", apply_lesson_numbers, priority=900)
    app.connect("env-before-read-docs", note_before_reading)
    app.connect("env-get-updated", outdated_by_others)
    app.connect("doctree-resolved", fill_qa_index)
    app.connect("doctree-resolved", fill_downloads)
    app.connect("html-page-context", mark_page_language)
    app.connect("html-page-context", pause_while_writing)  # the fault tests' kill point
    app.connect("html-collect-pages", keep_old_entries)
    app.setup_extension("build_tools.sphinx_ext.search")
    app.setup_extension("build_tools.sphinx_ext.cover")
    return {"version": "0.2", "env_version": 2,
            "parallel_read_safe": True, "parallel_write_safe": True}
