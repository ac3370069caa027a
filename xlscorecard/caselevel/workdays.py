"""Working days as the DfE's CIN validator counts them: Monday to Friday less England and
Wales bank holidays, the start day counted and the end day not (an assessment authorised the
day it started took 0 working days). Bank holidays are worked out here, offline: the regular
ones with their substitute days, and the one-off ones proclaimed since 1978."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

ONE_OFF = {
    dt.date(1981, 7, 29): "Royal wedding",
    dt.date(1999, 12, 31): "Millennium",
    dt.date(2002, 6, 3): "Golden Jubilee",
    dt.date(2011, 4, 29): "Royal wedding",
    dt.date(2012, 6, 5): "Diamond Jubilee",
    dt.date(2022, 6, 3): "Platinum Jubilee",
    dt.date(2022, 9, 19): "State funeral of Queen Elizabeth II",
    dt.date(2023, 5, 8): "Coronation of King Charles III",
}
MOVED = {
    # (year, which): the day it moved to
    (1995, "early May"): dt.date(1995, 5, 8),  # VE Day 50th anniversary
    (2020, "early May"): dt.date(2020, 5, 8),  # VE Day 75th anniversary
    (2002, "spring"): dt.date(2002, 6, 4),
    (2012, "spring"): dt.date(2012, 6, 4),
    (2022, "spring"): dt.date(2022, 6, 2),
}
MON, SAT, SUN = 0, 5, 6


def easter(year: int) -> dt.date:
    """Easter Sunday (the Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    r = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * r) // 451
    month, day = divmod(h + r - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(MON - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - MON) % 7)


@lru_cache(maxsize=256)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays in ``year`` (the days off, substitutes included)."""
    days = set()
    new_year = dt.date(year, 1, 1)
    days.add(new_year + dt.timedelta(days={SAT: 2, SUN: 1}.get(new_year.weekday(), 0)))
    sunday = easter(year)
    days |= {sunday - dt.timedelta(days=2), sunday + dt.timedelta(days=1)}
    if year >= 1978:
        days.add(MOVED.get((year, "early May"), _first_monday(year, 5)))
    days.add(MOVED.get((year, "spring"), _last_monday(year, 5)))
    days.add(_last_monday(year, 8))
    christmas = dt.date(year, 12, 25)
    weekday = christmas.weekday()
    if weekday == SAT:  # Christmas on Monday 27th, Boxing Day on Tuesday 28th
        days |= {dt.date(year, 12, 27), dt.date(year, 12, 28)}
    elif weekday == SUN:  # Boxing Day on Monday 26th, Christmas on Tuesday 27th
        days |= {dt.date(year, 12, 26), dt.date(year, 12, 27)}
    elif weekday == 4:  # Friday: Boxing Day (Saturday) on Monday 28th
        days |= {christmas, dt.date(year, 12, 28)}
    else:
        days |= {christmas, dt.date(year, 12, 26)}
    days |= {day for day in ONE_OFF if day.year == year}
    return frozenset(days)


class WorkingDays:
    """Counts working days between two dates in constant time (a running total per day).

    ``weekdays_only`` leaves bank holidays in (the convention of some regional tools)."""

    def __init__(self, weekdays_only: bool = False):
        self.weekdays_only = weekdays_only
        self._first = 0
        self._totals: list[int] = []

    def _cover(self, first_year: int, last_year: int) -> None:
        start = dt.date(first_year, 1, 1).toordinal()
        end = dt.date(last_year + 1, 1, 1).toordinal()
        holidays = set()
        if not self.weekdays_only:
            for year in range(first_year, last_year + 1):
                holidays |= {day.toordinal() for day in bank_holidays(year)}
        totals, running = [], 0
        for ordinal in range(start, end + 1):
            totals.append(running)
            if (ordinal - 1) % 7 < 5 and ordinal not in holidays:  # ordinal 1 is a Monday
                running += 1
        self._first, self._totals = start, totals

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days from ``start`` (counted) to ``end`` (not counted); negative when
        ``end`` is before ``start``; 0 on the same day."""
        a, b = start.toordinal(), end.toordinal()
        low, high = min(a, b), max(a, b)
        if not self._totals or low < self._first or high >= self._first + len(self._totals):
            years = [start.year, end.year]
            if self._totals:
                first = dt.date.fromordinal(self._first).year
                last = dt.date.fromordinal(self._first + len(self._totals) - 2).year
                years += [first, last]
            self._cover(min(min(years), 2000) - 1, max(max(years), 2030) + 1)
        return self._totals[b - self._first] - self._totals[a - self._first]
