"""This repository's own book: the tool's Sphinx settings, and a name of its own for its files.

book.toml (at the repository's root) gives the title, author and notes; this is the smallest
Sphinx project of one's own (``--book book``, or ``book = "book"`` in book.toml): it starts from
the tool's settings and changes one, the name of the EPUB and PDF (and the EPUB's identifier),
which the title, in Chinese, cannot give.
"""

from build_tools.sphinx_project.conf import *  # noqa: F403

epub_uid = epub_identifier = epub_basename = "llm-course-notes"
