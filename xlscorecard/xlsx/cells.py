"""What goes into one openpyxl cell: a :class:`Formula` as a formula, any other text as text.

Every writer (the sheets, the tables, the Trends sheet, the return) puts values through
:func:`set_value`, so text from a data file or typed by a person is never run as a formula.
"""

from __future__ import annotations

from ..workbook.contents import Formula

FORMULA_STARTS = ("=", "+", "-", "@")
"""What makes Excel read a typed entry as a formula: text starting so is quote-prefixed."""


def set_value(cell, value: object, style: str | None = None) -> None:
    """Put ``value`` in an openpyxl cell: a :class:`Formula` as a live formula, any other text
    as text (openpyxl would make ``=...`` a formula and ``#N/A`` an error), quote-prefixed
    where Excel would otherwise read it as a formula when the cell is edited. ``style``: the
    cell's named style, given here because setting a style clears the quote prefix."""
    if isinstance(value, Formula):
        cell.value = str(value)
    else:
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    if style is not None:
        cell.style = style
    if _quoted(value):
        cell.quotePrefix = True


def _quoted(value: object) -> bool:
    return (
        isinstance(value, str)
        and not isinstance(value, Formula)
        and len(value) > 1
        and value.startswith(FORMULA_STARTS)
    )


__all__ = ["FORMULA_STARTS", "set_value"]
