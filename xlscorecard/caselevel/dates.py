"""Dates as case-level files hold them: ``DD/MM/YYYY`` text (the 903), ISO ``YYYY-MM-DD``
text (the CIN census), real date cells and Excel serial numbers (Annex A workbooks)."""

from __future__ import annotations

import datetime as dt
import re

EXCEL_EPOCH = dt.date(1899, 12, 30)
"""Day 0 of Excel's 1900 date system (serial 60, the 29 February 1900 that never was, is
before any date a case file holds)."""
SERIALS = (18264, 73051)
"""Excel serials read as dates: 1950-01-01 to 2099-12-31; other numbers are not dates."""


TIME_AFTER = re.compile(r"^(\S+)[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
"""A date followed by a time of day, which is left off."""


def parse_date(value: object) -> dt.date | None:
    """One date cell or text as a date; blank is ``None``.

    Raises ValueError saying what was found and the forms expected (``31/02/2020`` is not a
    date)."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        timed = len(text) > 10 and TIME_AFTER.match(text)  # ``05/08/2017 00:00``, as Excel
        if timed:  # saves a date as CSV
            text = timed.group(1)
        try:
            if len(text) == 10:
                if text[2] == "/" and text[5] == "/":
                    return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
                if text[4] == "-" and text[7] == "-":
                    return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
            elif len(text) > 10 and text[4] == "-" and text[7] == "-" and text[10] in "T Z+-":
                return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
            if text.count("/") == 2:
                day, month, year = text.split("/")
                if len(year) == 4:
                    return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"{text!r} is not a date that exists") from None
        try:
            number = float(text)
        except ValueError:
            raise ValueError(
                f"expected a date (DD/MM/YYYY, YYYY-MM-DD or an Excel date), found {text!r}"
            ) from None
        return _serial(number, text)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"expected a date, found {value!r}")
    if isinstance(value, int | float):
        return _serial(float(value), value)
    raise ValueError(f"expected a date, found {value!r}")


def _serial(number: float, shown: object) -> dt.date:
    if not SERIALS[0] <= number <= SERIALS[1]:
        raise ValueError(
            f"expected a date (DD/MM/YYYY, YYYY-MM-DD or an Excel date), found {shown!r}"
        )
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def month_index(day: dt.date) -> int:
    """The month a date falls in, as a number (``year * 12 + month - 1``)."""
    return day.year * 12 + day.month - 1
