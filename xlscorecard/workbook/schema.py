"""Names and columns of the workbook's supporting sheets (the tidy data behind ``Dataset``)."""

from __future__ import annotations

from ..model import tables
from .layout import SHEET as DATASET

TRENDS = "Trends"
"""The sheet of SPC charts, one per indicator, over a data block (see :mod:`.trends`); its
charts are made again by the file writer on every save."""
WRITTEN_ONLY = frozenset({TRENDS})
"""Sheets xlscorecard writes but never reads back: readers hand them over as empty grids."""
INDICATORS = "Indicators"
HISTORY = "History"
COMMENTARY = "Commentary"
BENCHMARKS = "Benchmarks"
TARGETS = "Targets"
SETTINGS = "Settings"
CHECKS = "Checks"
AUDIT = "Audit"

CHECK_COLUMNS = [
    "severity", "code", "cell", "ref", "indicator", "month", "found", "expected", "message",
    "reason", "key",
]  # fmt: skip
AUDIT_COLUMNS = ["when", "who", "action", "ref", "month", "old", "new", "note"]

COLUMNS: dict[str, list[str]] = {
    INDICATORS: tables.INDICATOR_COLUMNS,
    HISTORY: tables.VALUE_COLUMNS,
    COMMENTARY: tables.COMMENTARY_COLUMNS,
    BENCHMARKS: tables.BENCHMARK_COLUMNS,
    TARGETS: tables.TARGET_COLUMNS,
    SETTINGS: ["key", "value"],
    CHECKS: CHECK_COLUMNS,
    AUDIT: AUDIT_COLUMNS,
}
WIDTHS: dict[str, list[int]] = {
    INDICATORS: [12, 50, 30, 14, 10, 12, 18, 60, 24, 14],
    HISTORY: [14, 10, 12, 14],
    COMMENTARY: [14, 10, 100, 18],
    BENCHMARKS: [14, 10, 10, 10, 12],
    TARGETS: [14, 10, 10],
    SETTINGS: [24, 60],
    CHECKS: [9, 7, 12, 12, 40, 9, 16, 22, 70, 40, 30],
    AUDIT: [20, 16, 16, 12, 9, 12, 12, 60],
}
ORDER = [
    DATASET, TRENDS, CHECKS, INDICATORS, HISTORY, COMMENTARY, BENCHMARKS, TARGETS, SETTINGS,
    AUDIT,
]  # fmt: skip
SUPPORTING = [name for name in ORDER if name in COLUMNS]
"""The supporting sheets: a header row of :data:`COLUMNS` and a table below it."""

TABLE_SHEETS = {
    tables.INDICATORS: INDICATORS,
    tables.VALUES: HISTORY,
    tables.COMMENTARY: COMMENTARY,
    tables.BENCHMARKS: BENCHMARKS,
    tables.TARGETS: TARGETS,
}
"""The sheet holding each of the dataset's tidy tables."""

FORMAT_KEY = "xlscorecard_format"
FORMAT_VERSION = "2"
"""Written to Settings so a workbook can be recognised as an xlscorecard workbook. Format 2
added the Variation and Assurance columns after DoT (and the Trends sheet)."""

PASSWORD_KEY = "protection_password"
"""Settings key: the password of the sheets' protection (none by default)."""
