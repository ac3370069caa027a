"""Calendar months: ISO keys ("2020-08") in data files, labels ("Aug-20") in the workbook."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ISO = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$")
"""A date as a spreadsheet writes one (``2020-09-01``, ``2020-09-01 00:00:00``): its month."""
_LABEL = re.compile(r"^([A-Za-z]{3,9})[- ]?(\d{2}|\d{4})$")
"""A month as the Dataset sheet heads it (``Sep-20``) or as a person writes it
(``September 2020``, ``Sept 20``)."""
EXPECTED = "a month written like 2020-08, Aug-20 or 2020-08-01"
_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; ``Month(2020, 8) + 1 == Month(2020, 9)``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, got {self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``YYYY-MM``, a date in the month (``2020-08-01``) or the month's label
        (``Aug-20``, ``August 2020``); raise ValueError with the expected forms otherwise."""
        stripped = text.strip()
        if match := _ISO.match(stripped) or _DATE.match(stripped):
            year, month = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12 and (match.re is _ISO or _is_date(stripped[:10])):
                return cls(year, month)
        elif (match := _LABEL.match(stripped)) and (number := _number(match.group(1))):
            year = int(match.group(2))
            return cls(year + 2000 if year < 100 else year, number)
        raise ValueError(f"expected {EXPECTED}, found {text!r}")

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """The workbook's label, e.g. ``Aug-20``."""
        return f"{_ABBR[self.month - 1]}-{self.year % 100:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __add__(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def __sub__(self, other: int) -> Month:
        return self + (-other)

    def months_since(self, other: Month) -> int:
        """Whole months from ``other`` to ``self`` (positive when self is later)."""
        return (self.year - other.year) * 12 + (self.month - other.month)

    def financial_year(self, start_month: int = 4) -> str:
        """The reporting year holding this month, like ``2019-20`` for Aug-19 (April start)."""
        first = self.year if self.month >= start_month else self.year - 1
        return f"{first}-{(first + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.iso


def window(end: Month, length: int) -> list[Month]:
    """The ``length`` months ending at ``end``, oldest first."""
    return [end - (length - 1 - i) for i in range(length)]


EARLIEST = Month(2000, 1)
"""The earliest month a figure may be for: an earlier one is a typo (0000-05)."""


def check_month(month: Month, latest: Month | None = None) -> Month:
    """``month``, or ValueError when it is before :data:`EARLIEST` or after ``latest`` (the
    adapter says which, from today's date)."""
    if month < EARLIEST:
        raise ValueError(
            f"{month.iso} is before {EARLIEST.iso}: check the year (months are written YYYY-MM)"
        )
    if latest is not None and month > latest:
        raise ValueError(
            f"{month.iso} is more than a year ahead (the latest month allowed now is "
            f"{latest.iso}): check the year"
        )
    return month


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _number(name: str) -> int | None:
    """A month's number from its name or its three letters (``Sept`` too), any case."""
    name = name.casefold()
    spellings = {"sept": 9}
    for number, full in enumerate(_NAMES, 1):
        spellings[full.casefold()] = spellings[full[:3].casefold()] = number
    return spellings.get(name)
