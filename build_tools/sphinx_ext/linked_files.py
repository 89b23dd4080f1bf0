"""Files a note links to (``example.py``, a notebook): a download on the site, a name on paper.

The writer offers such a file with ``{download}``. The site links it, under its own name. An
EPUB holds no downloads and paper has no links: there the reader sees the link's words and the
file's name, ``示例代码（example.py）``, and the print builder's output (the PDF's) carries no
``_downloads/`` link that would print as a dead ``file:`` annotation.
"""

from __future__ import annotations

import posixpath

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

# The builders whose readers cannot follow a download: the EPUB and the PDF's source.
NO_DOWNLOADS = ("epub", "singlehtml", "print")


class DownloadsAsText(SphinxPostTransform):
    """Each download reference → its words, then the file's name in brackets."""

    default_priority = 5
    builders = NO_DOWNLOADS

    def run(self, **kwargs) -> None:
        for reference in list(self.document.findall(addnodes.download_reference)):
            name = posixpath.basename(reference.get("reftarget", ""))
            words = reference.astext()
            shown: list[nodes.Node] = [nodes.inline(words, words)]
            if name and name not in words:
                shown.append(nodes.Text(f"（{name}）"))
            reference.replace_self(shown)
