"""The official return, as pure functions: what blocks it, what it holds, its checksum.

A return is the month's dataset frozen for readers that do not calculate (pandas, Power BI,
phone viewers): every cell that is a formula in the working workbook holds the figure the
tested Python calculation (:mod:`calc`) gives, with the same styles, formats and arrows. It
carries a visible "Official return" block (month, saved at, saved by, tool version and the
SHA-256 of its data) below the indicators of its Dataset sheet.

No file or Excel here: the front ends (:mod:`xlscorecard.app.return_file`, the buttons) make
the plan (:func:`plan_return`) and :mod:`xlscorecard.returns.transaction` writes it;
:mod:`xlscorecard.returns.verify` checks a saved return against what :func:`recorded_return`
finds recorded.
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import Finding, Severity, Stage
from ..checks.answers import answer_for, checks_rows
from ..checks.engine import run_rules
from ..errors import Refused, ScorecardError
from ..model import Answer, Dataset, Indicator, Month
from ..model.book import LiveBook
from ..model.rows import RETURN_SAVED, AuditRow, SavedReturn
from ..model.settings import FILE_NAME_KEY, FOLDER_KEY, PASSWORD_KEY
from ..model.text import name_problem
from ..model.values import cell_value
from ..version import __version__
from ..workbook import schema as sheets
from ..workbook.image import Cell, SheetImage, dataset_image, subtitle, table_rows
from ..workbook.layout import DatasetLayout
from ..workbook.row_results import formula_results
from ..workbook.style_names import AS_PRINTED
from .checksum import CHECKSUM_LABEL, SIGNIFICANT, canonical
from .keep_typed import figure_changes, keep_typed
from .outcome import counts, tally

FILE_NAME_FIELDS = {
    "title": "the dataset's title (Settings title)",
    "council": "the council's name",
    "report_name": "the report's name (Settings report_name)",
    "month": "the month as Mon-YY, like Aug-20",
    "month_iso": "the month as YYYY-MM, like 2020-08",
}
LEFT_OUT_SETTINGS = {sheets.FORMAT_KEY, PASSWORD_KEY, FOLDER_KEY, sheets.HISTORY_ROWS_KEY}
"""Settings rows a return does not repeat: without the format key xlscorecard's commands
refuse to treat a return as a working workbook, the password stays private, and the folder is
a path on one computer."""

FORCED = "return forced"

BLOCK_TITLE = "Official return"
CHECKSUM_NOTE = (
    "The SHA-256 is of what every sheet of this file shows (each cell and its format, hidden "
    "rows and columns, notes, drawings and charts, headers and footers, views and windows, "
    "theme, protection, properties) except the cell holding it; xlscorecard verify "
    "recomputes it."
)

_BAD_FILE_CHARACTERS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


# -- what blocks a return -------------------------------------------------------------------
def blocking(findings: list[Finding], answers: dict[str, Answer]) -> list[Finding]:
    """Errors (at the return stage a big change without commentary is one) and queries
    without a reason on Checks."""
    return [
        finding
        for finding in findings
        if finding.severity is Severity.ERROR
        or (finding.severity is Severity.QUERY and answer_for(finding, answers) is None)
    ]


# -- the file name ----------------------------------------------------------------------------
def file_stem(dataset: Dataset, month: Month) -> str:
    """The return's file name without its extension, from Settings ``return_file_name``."""
    settings = dataset.settings
    pattern = settings.return_file_name
    for key, text in ((FILE_NAME_KEY, pattern), ("council", settings.council)):
        problem = name_problem(text)
        if problem:
            raise ScorecardError(f"Settings {key} {problem}")
    values = {
        "title": settings.title,
        "council": settings.council,
        "report_name": settings.report_name,
        "month": month.label,
        "month_iso": month.iso,
    }
    for _, name, spec, conversion in string.Formatter().parse(pattern):
        if name is not None and (name not in values or spec or conversion):
            known = ", ".join("{" + key + "}" for key in FILE_NAME_FIELDS)
            raise ScorecardError(
                f"Settings {FILE_NAME_KEY} {pattern!r} uses {{{name}}}, which it cannot fill: "
                f"use {known}"
            )
    stem = _BAD_FILE_CHARACTERS.sub("-", pattern.format(**values))
    stem = " ".join(stem.split()).strip(" .")
    if not stem:
        raise ScorecardError(f"Settings {FILE_NAME_KEY} {pattern!r} gives an empty file name")
    return stem


def versioned(stem: str, version: int) -> str:
    """``stem`` for the first return of a month, ``stem v2``, ``stem v3``... after it."""
    return stem if version == 1 else f"{stem} v{version}"


# -- the plan ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stamp:
    """Who saved the return, when, with what, and any override."""

    month: Month
    saved_at: str
    saved_by: str
    version: str = __version__
    reason: str | None = None
    """The reason given with ``--force``; None when nothing blocked the return."""
    overridden: str = ""
    """What was open when it was forced, e.g. ``3 comments to write, 5 queries to answer``."""


@dataclass
class ReturnPlan:
    """Everything a return holds, worked out before anything is written."""

    dataset: Dataset
    month: Month
    layout: DatasetLayout
    stamp: Stamp
    stem: str
    findings: list[Finding]
    blockers: list[Finding]
    image: SheetImage
    """The Dataset sheet: figures as values, and the Official return block."""
    checksum_cell: tuple[int, int]
    tables: dict[str, list[list[object]]]
    """The supporting sheets' rows below their header, by sheet name."""
    audit: list[list[object]] = field(default_factory=list)
    """Rows the working workbook's Audit gets before the ``return saved`` row (an override, a
    comment or answer cleared since the last command)."""

    @property
    def kept(self) -> dict[str, list[list[object]]]:
        """The working workbook's archives as the return holds them (comments and answers
        typed since the last command are kept there too, with who saved the return)."""
        return {name: self.tables[name] for name in (sheets.COMMENTARY, sheets.ANSWERS)}

    @property
    def title(self) -> str:
        return f"{self.dataset.settings.title} {subtitle(self.dataset, self.month)}"

    @property
    def subject(self) -> str:
        return f"{self.dataset.settings.council}: official return for {self.month.label}"


def plan_return(book: LiveBook, user: str, when: str, force: str | None = None) -> ReturnPlan:
    """The return of the book's month, or :class:`Refused` listing what blocks it.

    ``force`` (a reason) saves it anyway; the reason and what was open are recorded.
    """
    if force is not None and not force.strip():
        raise ScorecardError(
            "--force needs a reason, which is recorded in Audit with who and when: "
            '--force "the reason"'
        )
    kept = keep_typed(book, user, when)
    month_keys = {(ref, book.month) for ref in returned_figures(book)}
    kept += figure_changes(book, book.history, {}, user, when, keys=month_keys)
    findings = run_rules(book, Stage.RETURN)
    blockers = blocking(findings, book.answers)
    label = book.month.label
    if blockers and force is None:
        raise Refused(
            f"Cannot save the {label} return until these are resolved (nothing was saved): "
            f"{tally(blockers, book.answers)}",
            blockers,
        )
    overridden = counts(blockers, book.answers) if blockers else ""
    reason = force.strip() if force is not None else None
    stamp = Stamp(book.month, when, user, reason=reason, overridden=overridden)
    dataset, month, layout = book.dataset, book.month, book.layout
    image, checksum_cell = return_image(dataset, month, layout, stamp)
    audit: list[list[object]] = list(kept)
    if reason is not None:
        note = f"{reason} (saved despite {overridden})" if overridden else reason
        audit.append(AuditRow(when, user, FORCED, "", month.iso, "", "", note).to_row())
    tables = {
        **table_rows(dataset, month),
        sheets.CHECKS: checks_rows(findings, book.answers, links=False),
        sheets.AUDIT: [list(row) for row in book.audit] + audit,
    }
    tables[sheets.SETTINGS] = [
        row for row in tables[sheets.SETTINGS] if row[0] not in LEFT_OUT_SETTINGS
    ]
    return ReturnPlan(
        dataset=dataset, month=month, layout=layout, stamp=stamp, stem=file_stem(dataset, month),
        findings=findings, blockers=blockers, image=image, checksum_cell=checksum_cell,
        tables=tables, audit=audit,
    )  # fmt: skip


def saved_row(stamp: Stamp, file_name: str, digest: str, files: Hashes, note: str) -> list:
    """The working workbook's Audit row that marks the month as returned: the SHA-256 of its
    data, of the file's bytes and of its PDF's (what ``verify`` cross-checks)."""
    record = SavedReturn(digest, files.sha256, files.pdf or "", files.pdf_sha256)
    return AuditRow(
        stamp.saved_at,
        stamp.saved_by,
        RETURN_SAVED,
        "",
        stamp.month.iso,
        "",
        file_name,
        record.note(note, files.key),
    ).to_row()


@dataclass(frozen=True)
class Hashes:
    """The SHA-256 of a return's file and of its PDF (and the key that signed them, if any)."""

    sha256: str
    pdf: str | None = None
    pdf_sha256: str = ""
    key: str = ""


# -- the return's Dataset sheet ----------------------------------------------------------------
def derived_values(dataset: Dataset, indicator: Indicator, month: Month, layout: DatasetLayout):
    """What each formula cell of an indicator's row shows, by column, as a return stores it."""
    return {
        column: stored(value)
        for column, value in formula_results(dataset, indicator, month, layout).items()
    }


def stored(value: object) -> object:
    """A figure as a return stores it: a fraction to Excel's 15 significant digits, so that
    what is written is what every reader reads back (and the checksum sees)."""
    if isinstance(value, float) and not value.is_integer() and math.isfinite(value):
        return float(f"{value:.{SIGNIFICANT}g}")
    return value


def values_image(dataset: Dataset, month: Month, layout: DatasetLayout) -> SheetImage:
    """The Dataset sheet's image with every formula replaced by the figure it gives, and the
    input cells unshaded (nothing is typed into a return)."""
    image = dataset_image(dataset, month, layout)
    for where, cell in image.cells.items():
        if cell.style in AS_PRINTED:
            image.cells[where] = Cell(cell.value, AS_PRINTED[cell.style], cell.number_format)
    for indicator in dataset.indicators:
        row = layout.row(indicator.ref)
        for column, value in derived_values(dataset, indicator, month, layout).items():
            old = image.cells[(row, column)]
            image.cells[(row, column)] = Cell(value, old.style, old.number_format)
    return image


def return_image(
    dataset: Dataset, month: Month, layout: DatasetLayout, stamp: Stamp
) -> tuple[SheetImage, tuple[int, int]]:
    """The values image plus the Official return block below the last indicator; returns
    the image and the (row, column) of the checksum cell, left empty here."""
    image = values_image(dataset, month, layout)
    row = layout.last_row + 2
    image.put(row, 1, BLOCK_TITLE, "subtitle")
    lines = [
        ("Month", month.label),
        ("Saved at", stamp.saved_at),
        ("Saved by", stamp.saved_by),
        ("Saved with", f"xlscorecard {stamp.version}"),
    ]
    if stamp.reason is not None:
        despite = f"{stamp.overridden}. Reason: " if stamp.overridden else "Reason: "
        lines.append(("Saved despite", despite + stamp.reason))
    for label, value in lines:
        row += 1
        image.put(row, 1, label, "ref")
        image.put(row, 2, value, "cell")
    row += 1
    image.put(row, 1, CHECKSUM_LABEL, "ref")
    image.put(row, 2, None, "cell")  # the writer puts the checksum here
    checksum = (row, 2)
    image.put(row + 1, 1, CHECKSUM_NOTE, "note")
    return image, checksum


# -- the working workbook after a return ----------------------------------------------------
def returned_figures(book: LiveBook) -> dict[str, object]:
    """The report month's typed figures as the return holds them, by ref."""
    figures: dict[str, object] = {}
    for indicator in book.dataset.indicators:
        entry = book.entries.get((indicator.ref, book.month))
        if indicator.is_derived or entry is None or entry.problem or entry.value is None:
            continue
        figures[indicator.ref] = cell_value(entry.value)
    return figures


def history_with(
    rows: list[list[object]], refs: list[str], month: Month, figures: dict[str, object]
) -> list[list[object]] | None:
    """History's rows with ``figures`` (by ref) for ``month``; None when they are there."""
    order = {ref: index for index, ref in enumerate(refs)}
    kept = [list(row) for row in rows if any(v not in (None, "") for v in row)]
    at = {(str(row[0]).strip(), str(row[1]).strip()): row for row in kept if len(row) >= 3}
    changed = False
    for ref, value in figures.items():
        row = at.get((ref, month.iso))
        if row is None:
            kept.append([ref, month.iso, value, "entered"])
            changed = True
        elif canonical(row[2]) != canonical(value):
            row[2:4] = [value, "entered"]
            changed = True
    if not changed:
        return None
    return sorted(kept, key=lambda row: (order.get(str(row[0]).strip(), len(order)), str(row[1])))


def return_folder(dataset: Dataset, workbook_folder: Path | None) -> Path:
    """Where returns go: Settings ``return_folder`` (relative to the workbook's folder), or
    the workbook's own folder."""
    configured = dataset.settings.return_folder
    if configured:
        folder = Path(configured).expanduser()
        if folder.is_absolute():
            return folder
        if workbook_folder is not None:
            return workbook_folder / folder
    if workbook_folder is None:
        raise ScorecardError(
            "xlscorecard cannot tell which folder this workbook is in (it is not saved on this "
            f"computer): give the folder for returns as {FOLDER_KEY} on the Settings sheet"
        )
    return workbook_folder


__all__ = [
    "BLOCK_TITLE", "ReturnPlan", "Stamp", "blocking", "file_stem",
    "plan_return", "saved_row", "values_image", "versioned",
]  # fmt: skip
