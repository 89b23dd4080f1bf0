"""The printed book, read back: the multi-lesson test book (tests/books/multi) as a PDF and
handouts, checked structurally with poppler and pypdf — not by looking, which we also did."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from build_tools.cli import run
from build_tools.pdf import PageOptions, PdfOptions, render_pdf

from .conftest import REPO, build_book, tiny_png
from .golden import GOLDEN, check_golden, pdf_facts

BOOK = Path(__file__).parent / "books" / "multi"
EPOCH = "1700000000"
MM = 72 / 25.4


def _book_root(work: Path) -> Path:
    root = work / "root"
    if not root.exists():
        shutil.copytree(BOOK, root)
        (root / "resource").mkdir()
        for name in ("权重.png", "显存.png"):
            (root / "resource" / name).write_bytes(tiny_png())
    return root


def _build(work: Path, target: str, *options: str) -> Path:
    root = _book_root(work)
    return build_book(work, target, root / "notes", root,
                      ("--suppress", "notes.number_gap", *options))


@pytest.fixture(scope="module")
def out(tmp_path_factory, monkeypatch_module) -> Path:
    monkeypatch_module.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return _build(tmp_path_factory.mktemp("print"), "handouts")


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def pdf(out: Path) -> Path:
    return out / "pdf" / "llm-course-notes.pdf"


@pytest.fixture(scope="module")
def pages(pdf: Path) -> list[str]:
    """The text of each page, as pdftotext lays it out."""
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, encoding="utf-8", check=True).stdout
    return text.split("\f")[:-1]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _printed_number(page: str) -> str:
    """The page number printed in the page's foot ("" on blank and cover pages)."""
    lines = [line.strip() for line in page.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    return last.split()[-1] if last and re.fullmatch(r"[0-9ivxlc]+", last.split()[-1]) else ""


def test_front_matter_is_roman_and_lessons_count_from_one_on_a_right_hand_page(pages):
    numbers = [_printed_number(p) for p in pages]
    first_lesson = next(i for i, p in enumerate(pages) if "第一章：大模型入门" in p
                        and "目录" not in p)
    assert numbers[first_lesson] == "1" and first_lesson % 2 == 0  # index 0 is page 1, a right
    assert all(re.fullmatch(r"[ivx]*", n) for n in numbers[:first_lesson])
    assert "目录" in pages[2] and "课程助教与学员" in pages[0]


def test_contents_give_the_page_each_lesson_starts_on(pages):
    contents = pages[2]
    entry = re.search(r"10\. 第二章：微调实践（第十节课）[ .]*(\d+)", contents)
    assert entry, contents
    start = next(i for i, p in enumerate(pages) if "10. 第二章：微调实践" in p and i > 2)
    assert _printed_number(pages[start]) == entry.group(1)


def test_every_internal_reference_prints_its_page(pages):
    body = "".join(pages[3:])
    references = re.findall(r"(查看答案|回到练习 \d+\.\d+|问题 \d+\.\d+)(（第 (\d+) 页）)?", body)
    assert len(references) > 8
    in_index = [r for r in references if r[0].startswith("问题")]
    assert in_index, "the Q&A index lists questions"
    missing = [r[0] for r in references if not r[0].startswith("问题") and not r[1]]
    assert not missing, f"references without a page: {missing}"


def test_a_printed_page_reference_points_at_the_right_page(pages):
    body = "\f".join(pages)
    number = re.search(r"回到练习 1\.1（第 (\d+) 页）", body).group(1)
    target = next(p for p in pages if "练习 1.1 下列哪个是大模型" in p)
    assert _printed_number(target) == number


def test_every_printed_page_reference_agrees_with_where_its_link_goes(pdf: Path, pages):
    """Page numbers are written in after the layout (pagerefs.py): each "（第 N 页）" is read
    inside its link's rectangle and compared with the printed number of the link's target."""
    reader = PdfReader(pdf)
    index_of = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    dests = {name: index_of[dest.page.idnum] for name, dest in reader.named_destinations.items()}
    words = _words(pdf)
    checked = 0
    for number, page in enumerate(reader.pages):
        height = float(page.mediabox.height)
        for annotation in (a.get_object() for a in page.get("/Annots", [])):
            if "/Dest" not in annotation:
                continue
            xa, ya, xb, yb = (float(v) for v in annotation["/Rect"])
            (x1, x2), (y1, y2) = sorted((xa, xb)), sorted((ya, yb))
            inside = "".join(w for (wx, wy, w) in words[number]
                             if x1 - 1 <= wx <= x2 + 1 and y1 - 1 <= height - wy <= y2 + 1)
            printed = re.search(r"第(\d+)页", inside)
            if printed:
                target = dests[str(annotation["/Dest"])]
                assert printed.group(1) == _printed_number(pages[target]), (number, inside)
                checked += 1
    assert checked > 8


def _words(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Each page's words with their centres (x from the left, y from the top)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, encoding="utf-8", check=True).stdout
    found = []
    for page in xml.split("<page ")[1:]:
        found.append([((float(a) + float(c)) / 2, (float(b) + float(d)) / 2, w)
                      for a, b, c, d, w in re.findall(
                          r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                          r'yMax="([\d.]+)">([^<]*)<', page)])
    return found


def test_questions_and_figures_are_all_in_the_text(pages):
    flat = _flat("".join(pages))
    for words in ("问题1.1什么是思维链提示", "问题2.2提示词越长越好吗", "问题10.3显存不够怎么办",
                  "图1.1", "图10.1", "练习10.1LoRA训练的是什么", "答案10.1"):
        assert words in flat


def test_no_word_runs_outside_the_text_block(pdf: Path):
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, encoding="utf-8", check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', xml).group(1))
    margin = 20 * MM - 1  # the narrower (outer) margin of A4
    outside = [w for w in re.findall(r'xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>([^<]*)<', xml)
               if float(w[0]) < margin or float(w[1]) > width - margin]
    assert not outside, outside[:10]


def test_bookmarks_follow_lessons_parts_and_questions(pdf: Path):
    outline = PdfReader(pdf).outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top[0] == "目录" and top[-1] == "问答索引"
    assert [t for t in top if "节课" in t] == ["1. 第一章：大模型入门（第一节课）",
                                               "2. 第一章：提示工程（第二节课）",
                                               "10. 第二章：微调实践（第十节课）"]
    lesson_one = outline[outline.index(next(i for i in outline if not isinstance(i, list)
                                            and "大模型入门" in i.title)) + 1]
    parts = [item.title for item in lesson_one if not isinstance(item, list)]
    assert parts[:3] == ["第一部分：课后习题", "第二部分：相关名词解释", "第三部分：一些问答"]
    qa_part = next(n for n, item in enumerate(lesson_one)
                   if not isinstance(item, list) and item.title == "第三部分：一些问答")
    questions = [q.title for q in lesson_one[qa_part + 1]]
    assert [q[:6] for q in questions] == ["问题 1.1", "问题 1.2"]


def test_metadata_names_the_book(pdf: Path):
    reader = PdfReader(pdf)
    assert reader.metadata.title == "大模型课程笔记"
    assert reader.metadata.author == "课程助教与学员"
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_handouts_are_the_lessons_pages_of_the_same_layout(out: Path, pages):
    handouts = {p.stem: PdfReader(p) for p in sorted((out / "handouts").glob("*.pdf"))}
    assert sorted(handouts) == ["l01", "l02", "l10"]
    first = next(i for i, p in enumerate(pages) if "第一章：大模型入门" in p and "目录" not in p)
    back = next(i for i, p in enumerate(pages) if "问答索引" in p and i > first)
    assert sum(len(h.pages) for h in handouts.values()) == back - first
    lesson_two = handouts["l02"].pages[0].extract_text()
    start = next(i for i, p in enumerate(pages) if "2. 第一章：提示工程" in p and i > 2)
    assert _printed_number(pages[start]) in lesson_two.split()
    assert handouts["l10"].metadata.title == "10. 第二章：微调实践（第十节课）"


def test_a_handout_links_only_within_itself_and_bookmarks_its_own_lesson(out: Path):
    for path in sorted((out / "handouts").glob("*.pdf")):
        handout = PdfReader(path)
        names = set(handout.named_destinations)
        links = [a.get_object() for page in handout.pages for a in page.get("/Annots", [])]
        assert {str(link["/Dest"]) for link in links if "/Dest" in link} <= names, path.name
        assert not [link for link in links if "pdfdest:" in str(link.get("/A", ""))]
        assert handout.trailer["/Root"]["/Lang"] == "zh-CN"
        titles = [item.title for item in handout.outline if not isinstance(item, list)]
        assert titles == [handout.metadata.title], (path.name, titles)


def test_two_builds_are_byte_identical(pdf: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = _build(tmp_path, "pdf") / "pdf" / "llm-course-notes.pdf"
    assert again.read_bytes() == pdf.read_bytes()


def test_a5_with_bleed_and_crop_marks(tmp_path: Path):
    out = _build(tmp_path, "pdf", "--paper", "A5", "--bleed", "3mm")
    pdf = out / "pdf" / "llm-course-notes.pdf"
    page = PdfReader(pdf).pages[0]
    trim, media = page.trimbox, page.mediabox
    assert round(float(trim.width) / MM) == 148 and round(float(trim.height) / MM) == 210
    assert float(media.width) > float(trim.width) + 2 * 3 * MM - 1  # bleed, room for marks


def test_pdf_ua_variant_is_tagged_with_language_and_title(tmp_path: Path):
    pdf = _build(tmp_path, "pdf", "--pdf-variant", "pdf/ua-1") / "pdf" / "llm-course-notes.pdf"
    root = PdfReader(pdf).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert root["/Lang"] == "zh-CN"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_an_image_too_big_to_decode_is_refused_at_its_note_and_the_rest_is_built(
        tmp_path: Path, monkeypatch, capsys):
    # A decompression bomb, cheaply: lower Pillow's limit below the test image's size.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    root = _book_root(tmp_path)
    (root / "resource" / "权重.png").write_bytes(_png(64, 64))
    shutil.copytree(REPO / "book", tmp_path / "book", ignore=shutil.ignore_patterns("lessons"))
    code = run(["build", "pdf", "--notes", str(root / "notes"), "--root", str(root),
                "--out", str(tmp_path / "out"), "--book", str(tmp_path / "book")])
    assert code == 0, "without --strict a warning does not fail the build"
    err = capsys.readouterr().err
    assert re.search(r"notes/笔记1-第一章第一节课\.md:\d+: WARNING: image not used, too large "
                     r"to decode safely .*: \.\./resource/权重\.png \[notes\.bad_image\]",
                     err), err
    text = subprocess.run(["pdftotext", str(tmp_path / "out" / "pdf" / "llm-course-notes.pdf"),
                           "-"], capture_output=True, text=True, encoding="utf-8").stdout
    assert "权重.png" in text and "注意力权重表示" in text


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_an_unchanged_book_is_not_laid_out_again(out: Path, tmp_path: Path):
    single = out / "print" / "print.json"
    first = render_pdf(single, tmp_path, [single.parent])
    stamp = first.pdf.stat().st_mtime_ns
    again = render_pdf(single, tmp_path, [single.parent])
    assert again.from_cache and again.pages == 0 and first.pages > 0
    assert first.pdf.stat().st_mtime_ns == stamp
    a5 = render_pdf(single, tmp_path, [single.parent], PdfOptions(PageOptions("A5")))
    assert not a5.from_cache, "other options, another layout"


def test_a_builder_whose_inputs_did_not_change_is_not_run_again(tmp_path: Path):
    out = _build(tmp_path, "html")
    page = out / "html" / "index.html"
    stamp = page.stat().st_mtime_ns
    _build(tmp_path, "html")
    assert page.stat().st_mtime_ns == stamp, "nothing changed, nothing rewritten"
    note = tmp_path / "root" / "notes" / "笔记2-第一章第二节课.md"
    note.write_text(note.read_text(encoding="utf-8").replace("明白了", "懂了"), encoding="utf-8")
    _build(tmp_path, "html")
    lesson = next((out / "html" / "lessons").glob("l02.html")).read_text(encoding="utf-8")
    assert "懂了" in lesson and "明白了" not in lesson


def _heads(pdf: Path) -> list[str]:
    """Each page's running head: the words in the band above the text block."""
    return ["".join(word for _, y, word in page if y < 15 * MM) for page in _words(pdf)]


def test_running_heads_book_title_left_lesson_title_right_none_on_a_lessons_first_page(
        pdf: Path, pages):
    heads = _heads(pdf)
    numbers = [_printed_number(p) for p in pages]
    body = [i for i, n in enumerate(numbers) if n.isdigit()]
    assert body
    for index in body:
        if int(numbers[index]) % 2 == 0:  # a left-hand page of the body: in every part
            assert heads[index] == "大模型课程笔记", (numbers[index], heads[index])
    first = next(i for i, p in enumerate(pages) if "第一章：大模型入门" in p and
                 numbers[i] == "1")
    assert heads[first] == "", "no head on the first page of a lesson"
    # This book's lessons are a page or two: its right-hand pages are all first pages. The
    # seed lesson is longer (test_pdf_seed checks its right-hand heads).
    assert all(heads[i] == "" for i in body if int(numbers[i]) % 2 == 1), heads


def test_the_book_and_its_handouts_match_their_golden_files(pdf: Path, out: Path):
    """Page texts and numbers, bookmarks and links as tests/golden/multi*.json record them
    (tests/golden.py: how to regenerate them after a deliberate change of the layout)."""
    check_golden("multi", pdf_facts(pdf))
    handouts = {path.stem: pdf_facts(path) for path in sorted((out / "handouts").glob("*.pdf"))}
    check_golden("multi-handouts", {
        "pages": [{"handout": name, **page} for name, facts in handouts.items()
                  for page in facts["pages"]],
        "bookmarks": [[name, facts["bookmarks"]] for name, facts in handouts.items()]})


def test_the_print_builder_says_what_the_book_is(out: Path):
    """The manifest (build_tools/print_manifest.py): facts from conf.py, contents from the
    toctree, each lesson with its anchor, number and title; figure and question numbers are
    the lesson's (the reason the stock single-page builder was once chosen)."""
    from build_tools.print_manifest import read_manifest

    manifest = read_manifest(out / "print" / "print.json")
    assert manifest.book.title == "大模型课程笔记" and manifest.book.author == "课程助教与学员"
    assert manifest.book.date == "2023-11-14", "SOURCE_DATE_EPOCH"
    lessons = [(d.anchor, d.number, d.title) for d in manifest.documents if d.kind == "lesson"]
    assert lessons == [("l01", "1", "1. 第一章：大模型入门（第一节课）"),
                       ("l02", "2", "2. 第一章：提示工程（第二节课）"),
                       ("l10", "10", "10. 第二章：微调实践（第十节课）")]
    assert [(d.anchor, d.kind) for d in manifest.documents][-1] == ("qa-index", "back")
    assert [e.text for e in manifest.contents if e.level == 0] == ["第一章", "第二章", "附录"]
    assert ("10. 第二章：微调实践（第十节课）", "l10") in {(e.text, e.target)
                                                     for e in manifest.contents}
    lesson_ten = manifest.documents[2]
    assert "图 10.1" in lesson_ten.html and "问题 10.3" in lesson_ten.html
    assert 'class="headerlink"' not in lesson_ten.html and "#document-" not in lesson_ten.html
    assert all(image.tag in "".join(d.html for d in manifest.documents) + manifest.front
               for image in manifest.images)


def test_a_weasyprint_whose_pages_we_do_not_edit_makes_the_same_book_in_one_piece(
        out: Path, tmp_path: Path, monkeypatch):
    """pdf/pagerefs.py edits WeasyPrint 70's laid-out pages; with another version the book is
    laid out in one piece and WeasyPrint counts the pages (target-counter): the same pages,
    numbers and references, and a pdf.engine note that says so."""
    from build_tools.pdf import pagerefs, render

    assert pagerefs.layout_editable("70.0") and not pagerefs.layout_editable("71.0")
    monkeypatch.setattr(render, "layout_editable", lambda: False)
    result = render_pdf(out / "print" / "print.json", tmp_path, [out / "print"], workers=2)
    assert result.parts == 1
    assert [d.kind.code for d in result.problems] == ["pdf.engine"]
    note = result.problems[0].message  # not its location: a temporary folder may hold "71"
    assert "71" not in note and "one piece" in note
    expected = json.loads((GOLDEN / "multi.json").read_text(encoding="utf-8"))
    got = pdf_facts(result.pdf)
    assert [(p["label"], _flat("".join(p["text"]))) for p in got["pages"]] == [
        (p["label"], _flat("".join(p["text"]))) for p in expected["pages"]]
    assert got["bookmarks"] == expected["bookmarks"]
