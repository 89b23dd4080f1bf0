"""Reading numbers and names out of heading text (already plain text, not Markdown)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..numerals import NUMERAL_CHARS, parse_numeral

_N = f"[{NUMERAL_CHARS}]+"
_CHAPTER = re.compile(rf"第\s*({_N})\s*章")
_SERIES = re.compile(r"^\s*([^：:（(]{1,12}?篇)\s*[：:]")
# 第二节课, 第 1 节, 第二课, 第三、四节课, 第3讲
_LESSON = re.compile(rf"第\s*({_N}(?:\s*[、,，和及至\-~～]\s*{_N})*)\s*(?:节课|节|课|讲)(?:笔记)?")
# A bare number opening a title is the lesson's number (``# 1 大模型的理论…``), not a word of it.
_BARE_NUMBER = re.compile(r"^\s*(\d{1,3})(?:\s+|\s*[.、．:：]\s*)(?=[^\d\s])")
# What turns a lesson's number into its companion's: 第二课作业, lesson2_homework.md.
COMPANION_WORDS = ("作业", "练习", "补充", "习题")
_ORDINAL_PART = re.compile(rf"^\s*第\s*({_N})\s*部分\s*[：:．.、]?\s*")
_REMARK = re.compile(r"【([^】]*)】\s*$")
_ITEM_NUMBER = re.compile(
    rf"^\s*(?:(\d+(?:\.\d+)*)(?:\s*[、．.:：)）]\s*|\s+)|第\s*({_N})\s*[、：:．.]\s*)"
)
_SEPARATORS = "：:-—–_ 　·|｜,，、"


@dataclass(frozen=True)
class LessonTitle:
    title: str
    chapter: int | None
    chapter_name: str
    numbers: tuple[int, ...]
    companion: bool = False  # 第二课作业: the homework of lesson 2, not lesson 2
    number_chars: int = 0  # leading characters of the heading that were a bare lesson number


def parse_lesson_title(text: str) -> LessonTitle:
    """``第一章：大模型基础--理论与技术的演进（第二节课）`` → chapter 1, lesson 2, the title."""
    chapter_match = _CHAPTER.search(text)
    series_match = None if chapter_match else _SERIES.search(text)
    lesson_match = _LESSON.search(text)
    numbers: tuple[int, ...] = ()
    companion = False
    if lesson_match:
        raw = re.split(r"\s*[、,，和及至\-~～]\s*", lesson_match.group(1))
        numbers = tuple(n for n in (parse_numeral(r) for r in raw) if n is not None)
        companion = text[lesson_match.end():].lstrip().startswith(COMPANION_WORDS)
    elif not chapter_match and (bare := _BARE_NUMBER.match(text)):
        return LessonTitle(text[bare.end():].strip(_SEPARATORS) or text.strip(), None, "",
                           (int(bare.group(1)),), number_chars=bare.end())
    title = text
    for match in (chapter_match, series_match, lesson_match):
        if match:
            title = title.replace(match.group(0), " ", 1)
    title = re.sub(r"[（(]\s*[）)]", " ", title)  # the brackets the lesson number sat in
    title = title.strip(_SEPARATORS) or text.strip()
    return LessonTitle(
        title=title,
        chapter=parse_numeral(chapter_match.group(1)) if chapter_match else None,
        chapter_name=(chapter_match or series_match).group(0).strip("：: ")
        if (chapter_match or series_match) else "",
        numbers=numbers,
        companion=companion,
    )


@dataclass(frozen=True)
class PartTitle:
    ordinal: int | None
    name: str
    remark: str


def parse_part_title(text: str) -> PartTitle:
    """``第三部分：一些问答【有些混乱，待整理】`` → 3, 一些问答, 有些混乱，待整理."""
    ordinal = None
    match = _ORDINAL_PART.match(text)
    if match:
        ordinal = parse_numeral(match.group(1))
        text = text[match.end() :]
    remark = ""
    remark_match = _REMARK.search(text)
    if remark_match:
        remark = remark_match.group(1).strip()
        text = text[: remark_match.start()]
    return PartTitle(ordinal, text.strip(_SEPARATORS), remark)


def looks_like_part(text: str) -> bool:
    """True for headings that name a part whatever their level."""
    return bool(_ORDINAL_PART.match(text)) or any(word in text for word in _PART_WORDS)


_PART_WORDS = ("课后习题", "名词解释", "一些问答", "Q&A问答", "项目简介")


@dataclass(frozen=True)
class ItemNumber:
    text: str  # "4", "2.1", "第一" → "1"
    number: int | None  # None for dotted numbers
    length: int  # characters of the heading the number took, to strip them


def parse_item_number(text: str) -> ItemNumber | None:
    """``4、请教…`` → 4; ``2.1 …`` → "2.1"; ``第一、…`` → 1; None when unnumbered."""
    match = _ITEM_NUMBER.match(text)
    if not match:
        return None
    dotted, chinese = match.group(1), match.group(2)
    if chinese:
        number = parse_numeral(chinese)
        return ItemNumber(str(number), number, match.end())
    if dotted is None:
        return None
    number = int(dotted) if dotted.isdigit() else None
    return ItemNumber(dotted, number, match.end())
