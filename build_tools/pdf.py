"""Sphinx single-page HTML → our lean print document → WeasyPrint → PDF.

WeasyPrint never sees the sphinx-book-theme page (its layout of that page did not finish in ten
minutes): the single-page build uses Sphinx's ``basic`` theme, its body is lifted into a short
document with our ``print.css``, and WeasyPrint renders that. Its URL fetcher serves only files
inside the allowed folders and ``data:`` URIs; every ERROR it logs fails the build.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

PRINT_CSS = Path(__file__).with_name("print.css")


class ConfinedFetcher(URLFetcher):
    """A URL fetcher that refuses the network, devices and any file outside ``allowed``."""

    def __init__(self, allowed: list[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self._allowed = [p.resolve() for p in allowed]

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self._allowed) or not path.is_file():
                raise ValueError(f"refused: {url} is not a file of the book")
        return super().fetch(url, headers)


class _Problems(logging.Handler):
    """Collects WeasyPrint's warnings and errors so that none is only a log line."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.levelname}: {record.getMessage()}")


def print_document(singlehtml: Path, title: str) -> str:
    """Lift the body of Sphinx's single page into a lean HTML document for print."""
    soup = BeautifulSoup(singlehtml.read_text(encoding="utf-8"), "html.parser")
    body = soup.select_one('div[role="main"]') or soup.body
    for anchor in body.select('a[href*="#document-"]'):
        # singlehtml writes cross-document links as #document-x#id: keep only the target id.
        anchor["href"] = "#" + anchor["href"].rsplit("#", 1)[-1]
    for headerlink in body.select("a.headerlink"):
        headerlink.decompose()
    _drop_duplicate_ids(body)
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{_escape(title)}</title></head><body>{body.decode_contents()}</body></html>"
    )


def _drop_duplicate_ids(body) -> None:
    """Each page of the single-page build numbers its anonymous ids from ``id1``; keep the
    first of each, so anchors (and the page numbers found from them) are unambiguous."""
    seen: set[str] = set()
    for element in body.select("[id]"):
        if element["id"] in seen:
            del element["id"]
        seen.add(element.get("id", ""))


def render_pdf(singlehtml: Path, target: Path, title: str, allowed: list[Path]) -> list[str]:
    """Render the print PDF; return WeasyPrint's problems (empty when clean)."""
    document = print_document(singlehtml, title)
    problems = _Problems()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(problems)
    try:
        html = HTML(string=document, base_url=str(singlehtml), url_fetcher=ConfinedFetcher(allowed))
        target.parent.mkdir(parents=True, exist_ok=True)
        html.write_pdf(target, stylesheets=[CSS(filename=str(PRINT_CSS))])
    finally:
        logger.removeHandler(problems)
    return problems.records


def _escape(text: str) -> str:
    return re.sub(r"[&<>]", lambda m: {"&": "&amp;", "<": "&lt;", ">": "&gt;"}[m.group()], text)
