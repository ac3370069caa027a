"""Who runs a command and when, as the Audit sheet records it (the pure jobs are told both)."""

from __future__ import annotations

import datetime as dt
import getpass

from ..model.months import Month

MONTHS_AHEAD = 12
"""How far ahead of today a figure's month may be (a typo like 2030-08 is refused)."""


def os_user() -> str:
    """The login name of whoever runs the command (``unknown`` where there is none)."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some services
        return "unknown"


def now() -> str:
    """The local time to the second, ``2020-09-30 17:00:00``."""
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


def latest_month(today: dt.date | None = None) -> Month:
    """The latest month a figure may be for: a year after this one."""
    today = today or dt.date.today()
    return Month(today.year, today.month) + MONTHS_AHEAD
