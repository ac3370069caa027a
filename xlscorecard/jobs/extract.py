"""Import an extract (``ref,month,value``): read against the book's catalogue and window, its
figures put in the input cells, derived ones compared, never written."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..calc import figures as calc
from ..calc.figures import HISTORY_MONTHS
from ..checks import Finding, Severity, Stage
from ..checks.engine import run_rules
from ..model import Month, Unit, Value
from ..model.book import LiveBook
from ..model.rows import AuditRow
from ..model.tables import Table
from ..model.text import did_you_mean
from ..model.values import cell_value, counted, parse_value, show_value
from ..workbook.reading import enter
from .keep_typed import IMPORT, figure_changes, keep_typed
from .outcome import Outcome, refuse_unless_in_place, tally

DERIVED_MISMATCH = "M701"
"""An extract's figure for a calculated indicator that differs from the formula."""


@dataclass(frozen=True)
class ExtractRow:
    line: int
    ref: str
    month: Month
    value: Value
    source: str = ""
    """The extract's own ``source`` for the figure, if it has that column (``figures`` writes
    "figures from case-level files: ..."): Audit records it with the figure."""


@dataclass
class Extract:
    """An extract's figures, and the blank ones left out as not supplied."""

    rows: list[ExtractRow] = field(default_factory=list)
    blanks: list[ExtractRow] = field(default_factory=list)

    def note(self) -> str:
        """`` 2 blank values were left out as not supplied (line 3: M1 Jul-20; ...).``"""
        if not self.blanks:
            return ""
        listed = "; ".join(f"line {r.line}: {r.ref} {r.month.label}" for r in self.blanks[:5])
        more = f"; and {len(self.blanks) - 5} more" if len(self.blanks) > 5 else ""
        were = "was" if len(self.blanks) == 1 else "were"
        return (
            f" {counted(len(self.blanks), 'blank value')} {were} left out as not supplied "
            f"({listed}{more}): a blank never clears a figure unless --clear-blanks is given."
        )


def read_extract(
    table: Table, book: LiveBook, through: Month | None = None, clear_blanks: bool = False
) -> Extract:
    """Parse an extract (``ref,month,value``) against the book's catalogue and window
    (or, for a refresh, the months up to ``through``). A blank value is not supplied and
    left out, unless ``clear_blanks``; ``-`` is not applicable.

    Unknown refs, months outside the window and bad figures raise a :class:`DataFileError`.
    """
    table.require("ref", "month", "value")
    first = book.month - (HISTORY_MONTHS - 1)
    last = max(book.month, through or book.month)
    extract = Extract()
    seen: dict[tuple[str, Month], int] = {}
    for line, row in table.rows:
        ref = table.text(row, "ref")
        try:
            indicator = book.dataset.indicator(ref)
        except KeyError:
            known = book.dataset.refs
            raise table.error(
                line, "ref", f"unknown indicator ref {ref!r}{did_you_mean(ref, known)}"
            ) from None
        try:
            month = Month.parse(table.text(row, "month"))
        except ValueError as exc:
            raise table.error(line, "month", str(exc)) from None
        if month > last:
            hint = (
                f"the refresh goes to {last.label}"
                if through
                else "refresh the workbook first: xlscorecard refresh WORKBOOK --extract "
                "EXTRACT rolls it on and fills the new month in one step"
            )
            raise table.error(
                line, "month",
                f"{ref} {month.label} is after the workbook's months ({first.label} to "
                f"{last.label}): {hint}",
            )  # fmt: skip
        if month < first:
            raise table.error(
                line, "month",
                f"{ref} {month.label} is before the workbook's months ({first.label} to "
                f"{last.label}): a figure that old is corrected on the History sheet",
            )  # fmt: skip
        if (ref, month) in seen:
            raise table.error(
                line, "month", f"{ref} {month.label} is also on line {seen[ref, month]}"
            )
        seen[(ref, month)] = line
        try:
            value = parse_value(table.text(row, "value"), indicator.unit)
        except ValueError as exc:
            raise table.error(line, "value", f"{ref} {month.label}: {exc}") from None
        item = ExtractRow(line, ref, month, value, table.text(row, "source"))
        if value is None and not clear_blanks:
            extract.blanks.append(item)
        else:
            extract.rows.append(item)
    return extract


def _close(a: Value, b: Value, unit: Unit) -> bool:
    if not (calc.is_number(a) and calc.is_number(b)):
        return a == b
    tolerance = {Unit.PERCENT: 0.005, Unit.RATE: 0.5, Unit.COUNT: 0.5}[unit]
    return abs(a - b) <= tolerance  # type: ignore[operator]


def import_extract(
    book: LiveBook,
    extract: Extract,
    origin: str,
    user: str = "",
    when: str = "",
    source: str = "",
) -> Outcome:
    """Put an extract's figures in the input cells; derived ones are compared, never written.

    Audit gets one row for the import (``source``: where its figures come from, e.g. the
    extract's file name and SHA-256, or "figures from case-level files"; default ``origin``)
    and one row per figure it changed, as for every figure typed since the last command."""
    refuse_unless_in_place(book, "import into")
    audit = keep_typed(book, user, when)
    before = dict(book.history)
    inputs: dict[tuple[str, Month], Value] = {}
    for row in extract.rows:
        if not book.dataset.indicator(row.ref).is_derived:
            inputs[(row.ref, row.month)] = row.value
    apply_inputs(book, inputs)
    findings = run_rules(book, Stage.VALIDATE)
    for row in extract.rows:
        indicator = book.dataset.indicator(row.ref)
        if not indicator.is_derived:
            continue
        formula = calc.figure(book.dataset, row.ref, row.month)
        if not _close(row.value, formula, indicator.unit):
            typed, calculated = (
                show_value(row.value, indicator.unit),
                show_value(formula, indicator.unit),
            )
            findings.append(
                Finding(
                    DERIVED_MISMATCH, Severity.QUERY,
                    book.layout.sheet_cell(row.ref, book.month, row.month), row.ref,
                    indicator.name, row.month, f"{typed} in {origin}",
                    f"{calculated} (what the workbook's formula gives)",
                    "The extract's figure for a calculated indicator differs from the "
                    "workbook's calculation; the formula was kept.",
                )
            )  # fmt: skip
    cells = {book.entries[key].cell: cell_value(value) for key, value in inputs.items()}
    sources = figure_sources(extract, origin)
    changes = figure_changes(book, before, sources, user, when)
    changed = sum((row.ref, row.month_of) in sources for row in map(AuditRow.from_row, changes))
    if changed:  # an extract that changes no figure is no change: nothing is written
        audit.append(
            AuditRow(when, user, IMPORT, "", book.month.iso, "", "",
                     f"{source or origin}: {counted(len(inputs), 'figure')}, {changed} changed"
                     ).to_row()
        )  # fmt: skip
    audit += changes
    return Outcome(
        book.dataset, book.month, findings, audit=audit, inputs=inputs, cells=cells,
        summary=f"Imported {_into(inputs, book.month)}."
        + extract.note() + f" {book.month.label}: {tally(findings, book.answers)}",
    )  # fmt: skip


def figure_sources(extract: Extract, origin: str) -> dict[tuple[str, Month], str]:
    """Where each figure of an extract comes from, for Audit: ``imported from 2020-08.csv``,
    with the extract's own source for it when it gives one."""
    return {
        (row.ref, row.month): f"imported from {origin}" + (f" ({row.source})" if row.source else "")
        for row in extract.rows
    }


def _into(inputs: dict[tuple[str, Month], Value], month: Month) -> str:
    """``41 figures into Aug-20``, or ``3 figures: 2 into Aug-20, 1 into Jul-20``: the months
    the figures went to, latest first."""
    months = sorted({when for _, when in inputs} or {month}, reverse=True)
    each = {when: sum(key[1] == when for key in inputs) for when in months}
    if len(months) == 1:
        return f"{counted(len(inputs), 'figure')} into {months[0].label}"
    parts = ", ".join(f"{number} into {when.label}" for when, number in each.items())
    return f"{counted(len(inputs), 'figure')}: {parts}"


def apply_inputs(book: LiveBook, inputs: dict[tuple[str, Month], Value]) -> None:
    """Set figures as if typed into the window (the book's entries and dataset follow)."""
    for (ref, month), value in inputs.items():
        enter(book, ref, month, value, source="imported")


__all__ = [
    "DERIVED_MISMATCH",
    "Extract",
    "ExtractRow",
    "apply_inputs",
    "figure_sources",
    "import_extract",
    "read_extract",
]  # fmt: skip
