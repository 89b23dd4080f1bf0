"""WeasyPrint's access to files: only the book's own, never the network."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher

# The print document's base URL. WeasyPrint names embedded images after their URL, so a URL
# that holds the build folder would make two builds in two folders differ byte for byte.
VIRTUAL_BASE = "file:///book/"


class ConfinedFetcher(URLFetcher):
    """A URL fetcher that refuses the network, devices and any file outside ``allowed``.

    WeasyPrint's default fetcher embeds any readable file and fetches ``http://``; a note could
    otherwise print /etc/passwd into the book.
    """

    def __init__(self, allowed: list[Path], virtual_root: Path | None = None) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self._allowed = [p.resolve() for p in allowed]
        self._virtual_root = virtual_root.resolve() if virtual_root else None

    def fetch(self, url, headers=None):
        if self._virtual_root is not None and url.startswith(VIRTUAL_BASE):
            relative = unquote(urlsplit(url).path).removeprefix("/book/")
            url = (self._virtual_root / relative).as_uri()
        if url.startswith("file:"):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self._allowed) or not path.is_file():
                raise ValueError(f"refused: {url} is not a file of the book")
        return super().fetch(url, headers)
