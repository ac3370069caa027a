"""A1 cell addresses from row and column numbers (pure: no spreadsheet library needed)."""

from __future__ import annotations


def column_letter(column: int) -> str:
    """``1 -> A``, ``28 -> AB``."""
    if column < 1:
        raise ValueError(f"columns are numbered from 1, not {column}")
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def address(row: int, column: int, absolute_row: bool = False, absolute_col: bool = False) -> str:
    """``address(7, 18) == "R7"``; ``$`` where asked."""
    return f"{'$' if absolute_col else ''}{column_letter(column)}{'$' if absolute_row else ''}{row}"


def span(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    """``span(1, 1, 3, 2) == "A1:B3"``."""
    return f"{address(first_row, first_col)}:{address(last_row, last_col)}"


def parse_address(text: str) -> tuple[int, int]:
    """``"R7" -> (7, 18)``; ``$`` and a ``Sheet!`` prefix are ignored."""
    cell = text.rpartition("!")[2].replace("$", "").upper()
    letters = cell.rstrip("0123456789")
    digits = cell[len(letters) :]
    if not letters.isalpha() or not digits.isdigit():
        raise ValueError(f"not a cell address: {text!r}")
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(digits), column
