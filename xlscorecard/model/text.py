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


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot go into a cell, or None: a control character (named by position),
    or more characters than a cell holds."""
    found = _CONTROL.search(text)
    if found:
        return (
            f"character {found.start() + 1} is a control character "
            f"(U+{ord(found.group()):04X}), which a workbook cannot hold: remove it"
        )
    if len(text) > CELL_LIMIT:
        return (
            f"the text is {len(text):,} characters long, but an Excel cell holds at most "
            f"{CELL_LIMIT:,}: shorten it (nothing was cut)"
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
