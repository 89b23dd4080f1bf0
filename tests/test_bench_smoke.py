"""The benchmark still runs: the course generator, and ``bench.py --quick`` on one lesson.

No timing is asserted (that is ``make bench``'s report, on a quiet machine); only that the
generated notes convert cleanly and the benchmark measures every stage and writes its results.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from build_tools.diagnostics import Reporter
from build_tools.notes_parser import parse_book

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import corpus  # noqa: E402


def test_same_seed_same_course_and_a_prefix_of_a_larger_one(tmp_path):
    corpus.write_corpus(2, 7, tmp_path / "a")
    corpus.write_corpus(3, 7, tmp_path / "b")

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}

    small, large = files(tmp_path / "a"), files(tmp_path / "b")
    assert small and all(large[name] == data for name, data in small.items())
    assert len(large) > len(small)


def test_generated_notes_parse_without_a_warning(tmp_path):
    corpus.write_corpus(3, 1, tmp_path)
    reporter = Reporter()
    book = parse_book(tmp_path / "notes", tmp_path, reporter)
    assert [str(d) for d in reporter.diagnostics] == []
    assert [lesson.number for lesson in book.lessons] == [1, 2, 3]
    assert list((tmp_path / "resource").glob("*.png"))


def test_chinese_numerals_read_back():
    from build_tools.numerals import parse_numeral

    assert all(parse_numeral(corpus.chinese_numeral(n)) == n for n in range(1, 300))


def test_bench_measures_every_stage_of_one_lesson(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench.py"), "--lessons", "1", "--quick",
         "--no-peer", "--out", str(tmp_path)],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert result["lessons"] == 1
    assert set(result["seconds"]) == {"convert", "html", "epub", "print", "pdf_layout",
                                      "pdf_write", "handouts"}
    # The PDF stage is timed through render_pdf's own phases (one lesson: one part).
    assert result["pdf_parts"] == 1
    assert {"print_document", "layout", "write"} <= set(result["pdf_phases"])
    assert result["peak_rss_mb"]["pdf"] > 0 and result["pages"] > 0
    assert "handouts_extra_fraction" in result["ratios"]
    assert "handouts_extra_fraction" in done.stdout
    assert not (tmp_path / "peer-venv").exists()
