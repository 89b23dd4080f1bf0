"""The writer's file handling: deterministic output, only changed files written, ASCII names."""

from __future__ import annotations

from pathlib import Path

from build_tools.diagnostics import Reporter
from build_tools.myst_writer import render_book, write_book
from build_tools.notes_parser import parse_book

NOTE = """## 第二章：注意力（第三节课）
### 第三部分：一些问答
#### 1、图在哪里
![avatar](../resource/笔记1-3-1.1.png)
```text
答案
```
"""


def _book(root: Path):
    (root / "notes" / "第三课.md").write_text(NOTE, encoding="utf-8")
    return parse_book(root / "notes", root, Reporter())


def test_output_is_deterministic(book_root: Path):
    first = [(name, out.text) for name, out in render_book(_book(book_root))]
    second = [(name, out.text) for name, out in render_book(_book(book_root))]
    assert first == second


def test_cjk_image_names_are_copied_under_ascii_labels(book_root: Path, tmp_path: Path):
    out = tmp_path / "out"
    write_book(_book(book_root), out)
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == [".sourcemap.json", "images/l03-q01-fig1.png", "l03.md", "toctree.inc"]
    assert all(name.isascii() for name in names)
    assert "```{figure} images/l03-q01-fig1.png" in (out / "l03.md").read_text("utf-8")


def test_a_second_write_with_nothing_changed_touches_no_file(book_root: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert write_book(_book(book_root), out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert write_book(_book(book_root), out) == []
    assert stamps == {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def test_files_of_a_removed_lesson_are_removed(book_root: Path, tmp_path: Path):
    out = tmp_path / "out"
    write_book(_book(book_root), out)
    (out / "000-stale.md").write_text("old", encoding="utf-8")
    write_book(_book(book_root), out)
    assert not (out / "000-stale.md").exists()


def test_prose_in_a_python_fence_is_shown_as_text_so_sphinx_does_not_warn():
    from build_tools.myst_writer.lesson import fence_language

    assert fence_language("python", "import os\nprint(os.sep)\n") == "python"
    assert fence_language("python", "这是一段说明，不是代码？\n") == "text"
    assert fence_language("{eval-rst}", ".. include:: /etc/passwd\n") == "text"
    assert fence_language("plaintext  ", "x") == "text"


def test_images_are_published_as_their_bytes_are(book_root: Path, tmp_path: Path):
    """WebP bytes named .png are written as .webp, unchanged; a BMP named .png, which no EPUB
    holds, is written as a PNG."""
    from PIL import Image
    resource = book_root / "resource"
    Image.new("RGB", (8, 8), "red").save(resource / "webp.png", "WEBP")
    Image.new("RGB", (8, 8), "blue").save(resource / "bmp.png", "BMP")
    (book_root / "notes" / "图片.md").write_text(
        "## 第一章：图（第一节课）\n![一](../resource/webp.png)\n\n![二](../resource/bmp.png)\n",
        encoding="utf-8")
    out = tmp_path / "out"
    write_book(parse_book(book_root / "notes", book_root, Reporter()), out)
    images = {p.suffix: p for p in (out / "images").iterdir()}
    assert sorted(images) == [".png", ".webp"]
    assert images[".webp"].read_bytes() == (resource / "webp.png").read_bytes()
    with Image.open(images[".png"]) as converted:
        assert converted.format == "PNG" and converted.getpixel((0, 0))[:3] == (0, 0, 255)
