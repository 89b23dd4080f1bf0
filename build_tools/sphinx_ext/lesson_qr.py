"""A QR code to each lesson's page on the site, printed on the lesson's first page.

Only in the pages the PDF is made from (the print builder's), and only when the site's
address is known (``qa_print_site_url``, which the command line sets from ``--site-url`` or
book.toml's ``site_url``). The code is drawn as vector (an inline SVG of ``segno``'s
modules), with the address beside it in words, without its scheme, for those who type it. A
lesson's page is named by its label (``lessons/l02.html``), so a printed code keeps working
when lessons are added.
"""

from __future__ import annotations

import html

import segno
from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

LESSONS = "lessons/"


def lesson_url(site_url: str, docname: str) -> str:
    """The address of a document's page on the site: ``https://…/book/lessons/l02.html``."""
    return f"{site_url.rstrip('/')}/{docname}.html"


def short_url(url: str) -> str:
    """The address as printed: without ``https://``."""
    return url.split("://", 1)[-1]


def qr_html(url: str) -> str:
    """The code (error correction M: a smudge or a fold still reads) and the address."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(border=2, omitsize=True, dark="#000")
    return (f'<div class="lesson-qr" data-url="{html.escape(url)}">{svg}'
            f'<span class="lesson-url">{html.escape(short_url(url))}</span></div>')


class LessonQR(SphinxPostTransform):
    """Each lesson's section, in the pages for print, gets its code after its title."""

    default_priority = 800
    builders = ("print", "singlehtml")

    def run(self, **kwargs) -> None:
        site_url = self.config.qa_print_site_url
        if not site_url:
            return
        for docname, section in self._lessons():
            if not docname.startswith(LESSONS) or section is None:
                continue
            code = nodes.raw("", qr_html(lesson_url(site_url, docname)), format="html")
            section.insert(1 if isinstance(section[0], nodes.title) else 0, code)

    def _lessons(self):
        """(docname, first section) of each document here: the documents of an assembled
        single page, or the one document the print builder resolves."""
        starts = list(self.document.findall(addnodes.start_of_file))
        if not starts:
            yield self.env.docname, next(iter(self.document.findall(nodes.section)), None)
        for start in starts:
            yield start.get("docname", ""), next(iter(start.findall(nodes.section)), None)
