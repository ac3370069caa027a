"""Text a workbook can hold, and text a CSV file can carry without a spreadsheet running it.

Pure: the readers call :func:`text_problem` on every text they take in, and the CSV writer and
reader call :func:`neutralise` and :func:`restore`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

CELL_LIMIT = 32_767
"""The most characters an Excel cell holds; longer text is refused, never cut."""

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters a workbook cannot hold (XML 1.0 forbids them): all control characters but tab,
line feed and carriage return."""

CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet opening a CSV file run a cell as a formula (OWASP, CSV injection)."""
CSV_QUOTE = "'"
NOT_APPLICABLE_TEXT = "-"


INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
"""Characters that show nothing (zero-width space, word joiner, joiners, direction marks,
soft hyphen, byte order mark, variation selectors, ...): alone they are no comment or reason."""
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Bidirectional controls: they make text read in another order than it is held (U+202E
shows ``xslx.exe`` as ``exe.xlsx``)."""
FILE_UNSAFE = re.compile('[\\\\/:*?"<>|\x00-\x1f\x7f]')
"""Characters a file name cannot hold on Windows (or that name a folder)."""


def excel_length(text: str) -> int:
    """How long Excel counts ``text``: in UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def meaningful(text: str) -> str:
    """``text`` without surrounding spaces, or "" when nothing in it shows (spaces and
    invisible characters alone do not make a comment or a reason)."""
    text = text.strip()
    return text if INVISIBLE.sub("", text).strip() else ""


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot go into a cell, or None: a control character (named by position),
    or more than a cell holds (counted as Excel counts, in UTF-16 code units)."""
    found = _CONTROL.search(text)
    if found:
        return (
            f"character {found.start() + 1} is a control character "
            f"(U+{ord(found.group()):04X}), which a workbook cannot hold: remove it"
        )
    length = excel_length(text)
    if length > CELL_LIMIT:
        counted = "" if length == len(text) else f" as Excel counts them ({len(text):,} as written)"
        return (
            f"the text is {length:,} characters long{counted}, but an Excel cell holds at most "
            f"{CELL_LIMIT:,}: shorten it (nothing was cut)"
        )
    return None


def name_problem(text: str, file_name: bool = False) -> str | None:
    """Why ``text`` cannot be a title (or, ``file_name``, part of a file's name), or None:
    empty, a bidirectional control, or (``file_name``) a character a file name cannot hold."""
    if not meaningful(text):
        return "is empty: give it as text (it names the workbook and its returns)"
    found = BIDI.search(text)
    if found:
        return (
            f"character {found.start() + 1} is a bidirectional control "
            f"(U+{ord(found.group()):04X}), which shows the text in another order than it is "
            "held: remove it"
        )
    found = FILE_UNSAFE.search(text) if file_name else None
    if found:
        return (
            f"character {found.start() + 1} ({found.group()!r}) cannot be part of a file name, "
            "and this names the return's file: remove it"
        )
    return None


def _needs_quote(text: str) -> bool:
    first = text.lstrip(CSV_QUOTE)[:1]
    return bool(first) and first in CSV_FORMULA_STARTS


def neutralise(text: str) -> str:
    """A CSV cell's text that no spreadsheet runs: text starting with ``=``, ``+``, ``-``,
    ``@``, tab or carriage return gets a leading apostrophe (so does text that already starts
    with apostrophes before one of those, so that :func:`restore` gives it back exactly).
    ``-`` alone, the "not applicable" value, is left as it is: no spreadsheet runs it."""
    if text == NOT_APPLICABLE_TEXT or not _needs_quote(text):
        return text
    return CSV_QUOTE + text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given: one leading apostrophe taken off where it
    neutralised a formula start. Any other text (``'Tis``) is left as it is."""
    if text.startswith(CSV_QUOTE) and _needs_quote(text):
        return text[1:]
    return text


def nearest(word: str, choices: Iterable[str], count: int = 3) -> list[str]:
    """The ``choices`` spelt most like ``word``, best first: the one that is the same but for
    case and spaces (``CP4(val)`` -> ``CP4 (val)``) alone, else the closest by difflib."""
    choices = list(dict.fromkeys(choices))

    def squeeze(text: str) -> str:
        return "".join(text.split()).casefold()

    same = [choice for choice in choices if squeeze(choice) == squeeze(word)]
    if same:
        return same[:count]
    folded = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(word.casefold(), list(folded), n=count, cutoff=0.6)
    return [folded[choice] for choice in close]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean `CP4 (val)`?)`` for the nearest of ``choices``, or nothing."""
    found = nearest(word, choices)
    if not found:
        return ""
    return " (did you mean " + " or ".join(f"`{choice}`" for choice in found) + "?)"
