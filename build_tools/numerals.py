"""Chinese and Arabic numerals as they appear in lesson, part and item titles."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}

#: Characters a numeral may be written with, for building patterns elsewhere.
NUMERAL_CHARS = "0-9０-９" + "".join(_DIGITS) + "".join(_UNITS)


def parse_numeral(text: str) -> int | None:
    """Read ``"12"``, ``"１２"``, ``"十二"``, ``"二十一"`` or ``"一百零五"``; None if it is none."""
    text = text.strip()
    if not text:
        return None
    ascii_digits = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if ascii_digits.isdigit():
        return int(ascii_digits)
    if any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    return _parse_chinese(text)


def _parse_chinese(text: str) -> int:
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            # A unit with no digit before it ("十二") counts once.
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + (digit or 0)
