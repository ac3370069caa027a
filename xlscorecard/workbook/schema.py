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
ANSWERS = "Answers"
BENCHMARKS = "Benchmarks"
TARGETS = "Targets"
SETTINGS = "Settings"
CHECKS = "Checks"
AUDIT = "Audit"

CHECK_COLUMNS = [
    "severity", "code", "cell", "ref", "indicator", "month", "found", "expected", "message",
    "reason", "answered", "key",
]  # fmt: skip
REASON = "reason"
"""The Checks column where a query is answered."""
ANSWERED = "answered"
"""The Checks column saying who answered a query and when (or why it is open again); its
text starts with this word while the query is answered."""
KEY = "key"
"""The Checks column (hidden) saying what each row is about: check code, ref and month."""
AUDIT_COLUMNS = ["when", "who", "action", "ref", "month", "old", "new", "note"]

COLUMNS: dict[str, list[str]] = {
    INDICATORS: tables.INDICATOR_COLUMNS,
    HISTORY: tables.VALUE_COLUMNS,
    COMMENTARY: tables.COMMENTARY_COLUMNS,
    ANSWERS: tables.ANSWER_COLUMNS,
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
    ANSWERS: [7, 14, 9, 50, 60, 16, 20, 30],
    BENCHMARKS: [14, 10, 10, 10, 12, 80],
    TARGETS: [14, 10, 10],
    SETTINGS: [24, 60],
    CHECKS: [8, 6, 12, 11, 30, 8, 26, 26, 44, 34, 24, 20],
    AUDIT: [18, 16, 16, 12, 9, 30, 30, 60],
}
ORDER = [
    DATASET, TRENDS, CHECKS, INDICATORS, HISTORY, COMMENTARY, ANSWERS, BENCHMARKS, TARGETS,
    SETTINGS, AUDIT,
]  # fmt: skip
SUPPORTING = [name for name in ORDER if name in COLUMNS]
"""The supporting sheets: a header row of :data:`COLUMNS` and a table below it."""
OPTIONAL = {ANSWERS}
"""Sheets a workbook made by an earlier xlscorecard may lack; commands that write add them."""
WRAPPED: dict[str, set[str]] = {
    CHECKS: {"indicator", "found", "expected", "message", "reason", "answered"},
    INDICATORS: {"name", "section", "outcome"},
    COMMENTARY: {"text"},
    ANSWERS: {"found", "reason", "replaced"},
    SETTINGS: {"value"},
    AUDIT: {"old", "new", "note"},
}
"""Columns of the supporting sheets whose text wraps (on screen and printed)."""
NOTES: dict[str, dict[str, str]] = {
    HISTORY: {
        "source": (
            "Where each figure came from: entered (typed), imported, printed, reconstructed... "
            "Every command keeps this sheet as the Dataset sheet shows it. A derived indicator "
            "(a numerator over a denominator, such as M3 or LAC1-NI) is 'calculated': worked "
            "out from its parts for every month, the series the Dataset sheet and the Trends "
            "charts show, and the one export writes."
        )
    },
    ANSWERS: {
        "replaced": (
            "Blank while the answer stands. An answer replaced by another, or withdrawn, is "
            "kept here, saying when and by whom; Audit says so too."
        )
    },
}
"""Notes on header cells of the supporting sheets (what a column holds), by sheet and column."""
PORTRAIT = {HISTORY, BENCHMARKS, TARGETS, SETTINGS}
"""Supporting sheets narrow enough to print portrait; the others print landscape."""
HIDDEN: dict[str, set[str]] = {CHECKS: {KEY}}
"""Columns kept for xlscorecard itself, hidden on screen and in print."""
TABLE_SHEETS = {
    tables.INDICATORS: INDICATORS,
    tables.VALUES: HISTORY,
    tables.COMMENTARY: COMMENTARY,
    tables.ANSWERS: ANSWERS,
    tables.BENCHMARKS: BENCHMARKS,
    tables.TARGETS: TARGETS,
}
"""The sheet holding each of the dataset's tidy tables."""

RETURN_CHECKSUM_LABEL = "SHA-256"
"""The label in column A of a return's Dataset sheet beside its checksum (a return, not a
working workbook)."""
HISTORY_ROWS_KEY = "history_rows"
"""Settings key: how many figures (not calculated ones) History held when xlscorecard last
wrote it; fewer found means rows were deleted by hand (:func:`reading.read_book` refuses)."""
FORMAT_KEY = "xlscorecard_format"
FORMAT_VERSION = "2"
"""Written to Settings so a workbook can be recognised as an xlscorecard workbook. Format 2
added the Variation and Assurance columns after DoT (and the Trends sheet)."""

TRENDS = "Trends"
CHART_SHEETS = frozenset({TRENDS})
"""Sheets whose charts xlscorecard itself draws, and redraws on every save (the statistical
process control charts, one per indicator): a chart there is the project's own and passes
:func:`xlscorecard.xlsx.carry_over.held`; a chart on any other sheet is a user's, which openpyxl
would not keep, and the workbook is refused."""
