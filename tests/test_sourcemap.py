"""Sphinx's messages about generated files point back at the notes, once per build."""

from __future__ import annotations

from pathlib import Path

from build_tools.cli import run
from build_tools.sourcemap import SourceMap

NOTE = """## 第一章：测试（第二节课）
### 第三部分：一些问答
#### 1、第一个问题
```text
回答一
```
#### 2、第二个问题
正文一段。

```text
回答二
```
### 第二部分：相关名词解释
#### 1、Transformer
一种基于注意力的网络结构。
#### 2、Embedding
把词变成向量：
```text
词 → 向量
```
"""


def _converted(book_root: Path) -> Path:
    (book_root / "notes" / "笔记2.md").write_text(NOTE, encoding="utf-8")
    lessons = book_root / "book" / "lessons"
    assert run(["convert", "--notes", str(book_root / "notes"), "--root", str(book_root),
                "--out", str(lessons)]) == 0
    return lessons


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_message_about_a_generated_line_names_the_note_line(book_root: Path):
    lessons = _converted(book_root)
    generated = lessons / "l02.md"
    text = generated.read_text(encoding="utf-8")
    inside_second = _line_of(text, "回答二")  # within the second question's directive
    message = f"{generated}:{inside_second}: WARNING: something odd [misc.thing]\n"
    rewritten = SourceMap(lessons).rewrite(message, set())
    # The answer's own line (its fence), not its question's title: a question is one directive,
    # and each block inside it is located.
    assert rewritten == "notes/笔记2.md:10: WARNING: something odd [misc.thing]\n"
    for needle, line in (("正文一段", 8), ("第二个问题", 7)):
        at = _line_of(text, needle)
        rewritten = SourceMap(lessons).rewrite(f"{generated}:{at}: WARNING: x [a.b]\n", set())
        assert rewritten.startswith(f"notes/笔记2.md:{line}: "), (needle, rewritten)
    # A glossary is one directive too: each term and each block of its definition located.
    for needle, line in (("Transformer", 14), ("一种基于注意力", 15), ("把词变成向量", 17),
                         ("词 → 向量", 18)):
        at = _line_of(text, needle)
        rewritten = SourceMap(lessons).rewrite(f"{generated}:{at}: WARNING: x [a.b]\n", set())
        assert rewritten.startswith(f"notes/笔记2.md:{line}: "), (needle, rewritten)
    heading = _line_of(text, "## 第三部分")
    rewritten = SourceMap(lessons).rewrite(f"{generated}:{heading}: WARNING: x [a.b]\n", set())
    assert rewritten.startswith("notes/笔记2.md:2: ")


def test_each_message_is_printed_once_however_many_builders_report_it(book_root: Path):
    lessons = _converted(book_root)
    message = f"{lessons / 'l02.md'}:9: WARNING: twice [a.b]\n"
    seen: set[str] = set()
    sourcemap = SourceMap(lessons)
    first = sourcemap.rewrite(message, seen)
    assert first and sourcemap.rewrite(message, seen) == ""


def test_messages_about_other_files_pass_unchanged(book_root: Path):
    lessons = _converted(book_root)
    message = f"{book_root / 'book' / 'index.md'}:3: WARNING: not ours [a.b]\nplain line\n"
    assert SourceMap(lessons).rewrite(message, set()) == message
