"""What a note links to, by kind (tests/hostile/linked, docs/notes-format.md "Links and
images"): another note, a README full of raw HTML, code and data files, types the book does not
offer, a folder, a missing file, images linked or misnamed, an animated image, a remote image.

The book is built as ``make all`` builds it (``--strict``), in a child process whose every
Python process carries an audit hook on ``socket.connect`` (``sitecustomize`` on
``PYTHONPATH``), while a canary web server on 127.0.0.1 waits for requests: no connection may
be attempted, no request may arrive.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from pypdf import PdfReader

from .conftest import REPO
from .epubcheck import run_epubcheck
from .test_hostile import Canary

CORPUS = Path(__file__).parent / "hostile" / "linked"
_WARNING = re.compile(r"^(?P<file>.+?):(?P<line>\d+): WARNING: .* \[(?P<type>[\w.]+)\]$")
# Every warning the build must print, and no other: each a documented kind.
EXPECTED_WARNINGS = sorted([
    ("notes/01-links.md", 24, "notes.local_link"),  # page.html, diagram.svg, a folder, missing
    ("notes/01-links.md", 24, "notes.local_link"),
    ("notes/01-links.md", 24, "notes.local_link"),
    ("notes/01-links.md", 24, "notes.local_link"),
    ("notes/01-links.md", 40, "notes.animated_image"),
    ("notes/01-links.md", 42, "notes.remote_image"),
])
# Written into every Python process of the build: any attempt to reach a network address is
# recorded in the file named by $NETWORK_LOG.
SITECUSTOMIZE = """
import os, sys

def _no_network(event, args):
    if event == "socket.connect" and isinstance(args[1], tuple):
        with open(os.environ["NETWORK_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {sys.argv[:3]} {args[1]!r}\\n")

sys.addaudithook(_no_network)
"""


@dataclass
class Built:
    root: Path
    out: Path
    code: int
    stderr: str
    requests: list[str]
    connections: str


def _make_corpus(root: Path, port: int) -> None:
    shutil.copytree(CORPUS, root)
    for path in root.rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("CANARY_PORT", str(port)),
                        encoding="utf-8")
    resource = root / "resource"
    resource.mkdir(exist_ok=True)
    Image.new("RGB", (40, 30), (200, 80, 40)).save(resource / "shot.png")
    Image.new("RGB", (40, 30), (40, 80, 200)).save(resource / "shot2.png")
    Image.new("RGB", (40, 30), (40, 160, 60)).save(resource / "webp-named.png", "WEBP")
    frames = [Image.new("RGB", (20, 20), color) for color in ((255, 0, 0), (0, 0, 255))]
    frames[0].save(resource / "anim.gif", save_all=True, append_images=frames[1:], loop=0)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    work = tmp_path_factory.mktemp("linked")
    Canary.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _make_corpus(work / "root", server.server_address[1])
        shutil.copytree(REPO / "book", work / "book",
                        ignore=shutil.ignore_patterns("lessons", "_build"))
        hook = work / "hook"
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
        log = work / "network.log"
        env = {**os.environ, "NETWORK_LOG": str(log),
               "PYTHONPATH": os.pathsep.join([str(hook), str(REPO)])}
        result = subprocess.run(
            [sys.executable, "-m", "build_tools", "build", "all", "--strict",
             "--notes", str(work / "root" / "notes"), "--root", str(work / "root"),
             "--out", str(work / "out"), "--book", str(work / "book")],
            capture_output=True, text=True, encoding="utf-8", env=env, cwd=work, timeout=600)
    finally:
        server.shutdown()
        server.server_close()
    connections = log.read_text(encoding="utf-8") if log.exists() else ""
    return Built(work / "root", work / "out", result.returncode, result.stderr,
                 list(Canary.requests), connections)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _page(built: Built, fmt: str, label: str) -> Path:
    suffix = ".html" if fmt == "html" else ".xhtml"
    return next((built.out / fmt / "lessons").glob(f"{label}{suffix}"))


def test_strict_fails_on_exactly_the_documented_warnings(built: Built):
    printed = sorted((m["file"], int(m["line"]), m["type"])
                     for line in built.stderr.splitlines() if (m := _WARNING.match(line)))
    assert printed == EXPECTED_WARNINGS, built.stderr
    assert built.code == 1, "--strict fails on them"
    assert (built.out / "html" / "index.html").is_file(), "and still builds the book"


def test_nothing_is_fetched_and_no_socket_is_opened(built: Built):
    assert built.requests == []
    assert built.connections == ""


def test_a_linked_readme_is_a_download_never_a_page(built: Built):
    html = built.out / "html"
    pages = sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html"))
    assert [p for p in pages if p.startswith("lessons/")] == ["lessons/l01.html",
                                                               "lessons/l02.html"]
    sources = sorted(p.name for p in (html / "_sources").rglob("*") if p.is_file())
    assert not [name for name in sources if "README" in name or "fig" in name], sources
    readme = list(html.glob("_downloads/*/README.md"))
    assert len(readme) == 1
    assert readme[0].read_bytes() == (built.root / "extra" / "README.md").read_bytes()
    with zipfile.ZipFile(next((built.out / "epub").glob("*.epub"))) as epub:
        spine = [n for n in epub.namelist() if n.endswith(".xhtml")]
    assert not [n for n in spine if "README" in n or "_files" in n or "images/" in n], spine


def test_no_script_from_a_linked_file_reaches_any_page(built: Built):
    # Not the downloads (byte for byte, by design) nor OUT/source, the Sphinx project the
    # build assembled: its lessons/_files hold the same copies, read by no builder as pages.
    texts = {str(p): p.read_text(encoding="utf-8", errors="replace")
             for p in built.out.rglob("*") if p.is_file()
             and p.suffix in (".html", ".xhtml", ".txt", ".md")
             and "_downloads" not in p.parts
             and not p.is_relative_to(built.out / "source")}
    with zipfile.ZipFile(next((built.out / "epub").glob("*.epub"))) as epub:
        texts.update({n: epub.read(n).decode("utf-8", "replace") for n in epub.namelist()
                      if n.endswith((".xhtml", ".html"))})
    for name, text in texts.items():
        # The payloads of the linked README and page.html, in any form.
        assert not re.search(r'alert\((?:"x"|2|"page")\)|onerror\s*=', text), name


def test_a_code_file_is_a_download_under_its_own_name_byte_for_byte(built: Built):
    source = built.root / "files" / "example_chat_completion.py"
    copies = list((built.out / "html" / "_downloads").glob("*/example_chat_completion.py"))
    assert len(copies) == 1 and copies[0].read_bytes() == source.read_bytes()
    links = _soup(_page(built, "html", "l01")).select("a.download")
    hrefs = [a["href"] for a in links]
    assert any(h.endswith("/example_chat_completion.py") for h in hrefs), hrefs
    assert any(h.endswith("/demo.ipynb") for h in hrefs) and any(h.endswith("/data.json")
                                                                 for h in hrefs)


def test_in_the_epub_and_the_pdf_a_download_is_its_words_and_file_name(built: Built):
    epub_text = _soup(_page(built, "epub", "l01")).get_text()
    assert "示例代码（example_chat_completion.py）" in epub_text
    pdf = next((built.out / "pdf").glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          encoding="utf-8", check=True).stdout
    assert "示例代码（example_chat_completion.py）" in re.sub(r"\s+", "", text)
    uris = [annot.get_object().get("/A", {}).get("/URI", "")
            for page in PdfReader(pdf).pages for annot in page.get("/Annots", []) or []]
    assert not [u for u in uris if u.startswith("file:") or "_downloads" in u], uris


def test_a_link_to_another_note_is_a_cross_reference_to_it(built: Built):
    links = _soup(_page(built, "html", "l01")).select("a.reference.internal")
    targets = {a.get_text(strip=True): a["href"] for a in links}
    assert targets["另一课"] == "l02.html#l02"
    assert targets["另一课的第二题"].startswith("l02.html#l02-h")
    target_id = targets["另一课的第二题"].split("#", 1)[1]
    assert _soup(_page(built, "html", "l02")).find(id=target_id) is not None


def test_linked_images_are_figures_and_the_rest_is_text(built: Built):
    page = _soup(_page(built, "html", "l01"))
    captions = [c.get_text(" ", strip=True) for c in page.select("figcaption")]
    assert any("课堂截图" in c for c in captions) and any("一张截图" in c for c in captions)
    text = page.get_text()
    for words in ("网页", "矢量图", "文件夹", "缺失的文件"):
        assert words in text
    hrefs = [a.get("href", "") for a in page.select("a")]
    assert not [h for h in hrefs if h.endswith((".html", ".svg")) and "lessons" in h
                and not h.startswith(("00", "#"))]


def test_images_are_declared_by_what_their_bytes_are(built: Built):
    epub = next((built.out / "epub").glob("*.epub"))
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("content.opf").decode("utf-8")
        declared = re.findall(r'href="([^"]+)" media-type="(image/[^"]+)"', opf)
        for href, media_type in declared:
            with Image.open(archive.open(href)) as image:
                assert f"image/{image.format.lower()}" == media_type.replace("jpeg", "jpeg"), href
    assert any(media == "image/webp" for _, media in declared)


def test_a_remote_image_is_a_placeholder_with_its_address(built: Built):
    page = _soup(_page(built, "html", "l01"))
    remote = [a for a in page.select("a") if "remote-image.png" in a.get("href", "")]
    assert remote and "网络图片" in remote[0].parent.get_text()
    assert not [img for img in page.select("img") if "127.0.0.1" in img.get("src", "")]


def test_the_epub_passes_epubcheck(built: Built):
    report = run_epubcheck(next((built.out / "epub").glob("*.epub")))
    assert report.fatal == 0 and report.errors == 0 and report.warnings == 0, report
