"""End to end: the seed book as an EPUB, checked by EPUBCheck and read back from the zip."""

from __future__ import annotations

import io
import posixpath
import tomllib
import zipfile
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest
from PIL import Image

from build_tools.sphinx_ext.cover import TEXT_WIDTH, claim_cover, draw_cover, fit_title

from .conftest import build_book
from .epubcheck import EpubCheckReport, run_epubcheck

REPO = Path(__file__).resolve().parent.parent
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def seed_epub(tmp_path_factory) -> Path:
    out = build_book(tmp_path_factory.mktemp("epub"), "epub")
    return next((out / "epub").glob("*.epub"))


@pytest.fixture(scope="module")
def epubcheck_report(seed_epub: Path) -> EpubCheckReport:
    return run_epubcheck(seed_epub)


@pytest.fixture(scope="module")
def files(seed_epub: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(seed_epub) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def package(files: dict[str, bytes]) -> ElementTree.Element:
    return ElementTree.fromstring(files["content.opf"])


def book_value(name: str) -> str:
    """A value of this repository's book.toml."""
    return tomllib.loads((REPO / "book.toml").read_text(encoding="utf-8"))[name]


def pages(files: dict[str, bytes]) -> dict[str, ElementTree.Element]:
    """Every XHTML page and the NCX of the zip, parsed (EPUB content is XML)."""
    return {name: ElementTree.fromstring(data) for name, data in files.items()
            if name.endswith((".xhtml", ".ncx"))}


def test_epubcheck_reports_no_fatal_error_or_warning(epubcheck_report: EpubCheckReport):
    report = epubcheck_report
    assert (report.fatal, report.errors, report.warnings) == (0, 0, 0), str(report)


def test_zip_holds_the_seed_figures_our_css_and_a_cover(files, package):
    figures = [name for name in files if name.startswith("_images/")]
    assert sorted(figures) == ["_images/l02-q04-fig1.png", "_images/l02-q04-fig2.png"]
    for name in figures:
        assert files[name].startswith(b"\x89PNG\r\n\x1a\n")
    assert "_static/book.css" in files
    cover_id = package.find("opf:metadata/opf:meta[@name='cover']", OPF).get("content")
    cover = package.find(f"opf:manifest/opf:item[@id='{cover_id}']", OPF).get("href")
    with Image.open(io.BytesIO(files[cover])) as image:
        assert (image.format, image.size) == ("PNG", (1600, 2400))
    assert b"_static/cover.png" in files["epub-cover.xhtml"]


def test_package_says_zh_cn_and_the_title_and_author_of_book_toml(package):
    metadata = package.find("opf:metadata", OPF)
    assert metadata.findtext("dc:language", namespaces=OPF) == "zh-CN"
    assert metadata.findtext("dc:title", namespaces=OPF) == book_value("title")
    assert metadata.findtext("dc:creator", namespaces=OPF) == book_value("author")


def test_every_page_declares_zh_cn(files):
    for name, root in pages(files).items():
        if name.endswith(".xhtml"):
            assert (root.get("lang"), root.get(XML_LANG)) == ("zh-CN", "zh-CN"), name


def test_every_internal_link_and_source_reaches_a_file_and_id_in_the_zip(files):
    parsed = pages(files)
    ids = {name: {element.get("id") for element in root.iter()} for name, root in parsed.items()}
    targets = {}
    for name, root in parsed.items():
        for element in root.iter():
            for reference in (element.get("href"), element.get("src")):
                target = internal_target(name, reference)
                if target:
                    targets[f"{name}: {reference}"] = target
    missing = [where for where, (path, fragment) in targets.items()
               if path not in files or (fragment and fragment not in ids.get(path, ()))]
    assert not missing
    # Not vacuous: the figures, the lesson's parts (from the nav) and the questions (from the
    # Q&A index) were among the references checked.
    reached = {f"{path}#{fragment}" for path, fragment in targets.values()}
    for expected in ("_images/l02-q04-fig1.png#", "lessons/l02.xhtml#l02-p3",
                     "lessons/l02.xhtml#l02-q04"):
        assert expected in reached


def internal_target(page: str, reference: str | None) -> tuple[str, str] | None:
    """The zip entry and fragment a reference on ``page`` points to; None if it leaves the book."""
    if not reference:
        return None
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    return target, unquote(parts.fragment)


def test_cover_is_deterministic_and_breaks_titles_between_phrases(tmp_path: Path):
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    for path in (first, second):
        draw_cover(path, "大模型课程笔记", "课程助教与学员", "0.1", "课后习题、名词解释与直播问答")
    assert first.read_bytes() == second.read_bytes()
    _, lines = fit_title("大模型课程笔记：从注意力到智能体")
    assert lines == ["大模型课程笔记：", "从注意力到智能体"]
    font, lines = fit_title("第一章：大模型基础--理论与技术的演进（第二节课）")
    assert len(lines) <= 3
    assert all(font.getlength(line) <= TEXT_WIDTH for line in lines)


def test_a_cover_named_in_conf_py_is_kept():
    config = SimpleNamespace(epub_cover=("_static/mine.jpg", ""))
    claim_cover(None, config)
    assert config.epub_cover == ("_static/mine.jpg", "")
