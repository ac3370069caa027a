"""The monthly cycle as pure functions on a :class:`LiveBook`: validate, import, roll forward.

No file, Excel, clock or login here: adapters read a book, say who and when, call these, and
write what they return.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..calc import figures as calc
from ..calc.figures import HISTORY_MONTHS
from ..checks import Finding, Severity, Stage, run_rules
from ..errors import DataFileError, Refused
from ..model import Comment, Dataset, Month, Unit, Value
from ..model.tables import Table
from ..model.values import parse_value, show_value
from ..workbook.reading import Entry, LiveBook

DERIVED_MISMATCH = "M701"
"""An extract's figure for a calculated indicator that differs from the formula."""
RESTORED = "I501"
"""Overwritten formulas are restored by a refresh, so they do not block one."""


@dataclass
class Outcome:
    """What a command did: the state to write, the findings and a one-line summary."""

    dataset: Dataset
    month: Month
    findings: list[Finding]
    answers: dict[str, str]
    audit: list[list[object]] = field(default_factory=list)
    summary: str = ""
    inputs: dict[tuple[str, Month], Value] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def open_queries(self) -> list[Finding]:
        return [
            f for f in self.findings if f.severity is Severity.QUERY and f.key not in self.answers
        ]


MISSING = "C401"
UNEXPLAINED = "C402"


def tally(findings: list[Finding], answers: dict[str, str]) -> str:
    """``3 figures to enter, 2 comments to write, 1 error to fix, 2 queries to answer ...``"""

    def plural(count: int, word: str, words: str) -> str:
        return f"{count} {word if count == 1 else words}"

    open_ = [f for f in findings if f.key not in answers or f.severity is Severity.ERROR]
    missing = sum(f.code == MISSING for f in open_)
    comments = sum(f.code == UNEXPLAINED for f in open_)
    rest = [f for f in open_ if f.code not in {MISSING, UNEXPLAINED}]
    errors = sum(f.severity is Severity.ERROR for f in rest)
    queries = sum(f.severity is Severity.QUERY for f in rest)
    parts = []
    if missing:
        parts.append(plural(missing, "figure", "figures") + " to enter")
    if comments:
        parts.append(plural(comments, "comment", "comments") + " to write")
    if errors:
        parts.append(plural(errors, "error", "errors") + " to fix")
    if queries:
        parts.append(plural(queries, "query", "queries") + " to answer")
    return (", ".join(parts) + " on Checks.") if parts else "No errors or open queries."


def validate(book: LiveBook, stage: Stage = Stage.VALIDATE) -> Outcome:
    """Run every check; the book itself is unchanged."""
    findings = run_rules(book, stage)
    return Outcome(
        book.dataset, book.month, findings, book.answers,
        summary=f"{book.month.label}: {tally(findings, book.answers)}",
    )  # fmt: skip


# -- import -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExtractRow:
    line: int
    ref: str
    month: Month
    value: Value


def read_extract(table: Table, book: LiveBook, through: Month | None = None) -> list[ExtractRow]:
    """Parse an extract (``ref,month,value``) against the book's catalogue and window
    (or, for a refresh, the months up to ``through``).

    Unknown refs, months outside the window and bad figures raise a :class:`DataFileError`.
    """
    table.require("ref", "month", "value")
    first = book.month - (HISTORY_MONTHS - 1)
    last = max(book.month, through or book.month)
    rows: list[ExtractRow] = []
    seen: dict[tuple[str, Month], int] = {}
    for line, row in table.rows:
        ref = table.text(row, "ref")
        try:
            indicator = book.dataset.indicator(ref)
        except KeyError:
            raise table.error(line, "ref", f"unknown indicator ref {ref!r}") from None
        try:
            month = Month.parse(table.text(row, "month"))
        except ValueError as exc:
            raise table.error(line, "month", str(exc)) from None
        if not first <= month <= last:
            raise table.error(
                line, "month",
                f"{ref} {month.label} is outside the workbook's months "
                f"({first.label} to {last.label})",
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
        rows.append(ExtractRow(line, ref, month, value))
    return rows


def _close(a: Value, b: Value, unit: Unit) -> bool:
    if not (calc.is_number(a) and calc.is_number(b)):
        return a == b
    tolerance = {Unit.PERCENT: 0.005, Unit.RATE: 0.5, Unit.COUNT: 0.5}[unit]
    return abs(a - b) <= tolerance  # type: ignore[operator]


def import_extract(book: LiveBook, rows: list[ExtractRow], origin: str) -> Outcome:
    """Put an extract's figures in the input cells; derived ones are compared, never written."""
    inputs: dict[tuple[str, Month], Value] = {}
    for row in rows:
        if not book.dataset.indicator(row.ref).is_derived:
            inputs[(row.ref, row.month)] = row.value
    apply_inputs(book, inputs)
    findings = run_rules(book, Stage.VALIDATE)
    for row in rows:
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
                    DERIVED_MISMATCH, Severity.QUERY, book.cell_of(row.ref, row.month), row.ref,
                    indicator.name, row.month, f"{typed} in {origin}",
                    f"{calculated} (what the workbook's formula gives)",
                    "The extract's figure for a calculated indicator differs from the "
                    "workbook's calculation; the formula was kept.",
                )
            )  # fmt: skip
    return Outcome(
        book.dataset, book.month, findings, book.answers, inputs=inputs,
        summary=f"Imported {len(inputs)} figures into {book.month.label}. "
        + tally(findings, book.answers),
    )  # fmt: skip


def apply_inputs(book: LiveBook, inputs: dict[tuple[str, Month], Value]) -> None:
    """Set figures as if typed into the window (the book's entries and dataset follow)."""
    for (ref, month), value in inputs.items():
        book.enter(ref, month, value, source="imported")


# -- roll forward -------------------------------------------------------------------------
def roll_forward(
    book: LiveBook,
    user: str,
    when: str,
    target: Month | None = None,
    extract: list[ExtractRow] | None = None,
) -> Outcome:
    """Move the book on to ``target`` (default: next month), one month at a time.

    Each step refuses (raising :class:`Refused`, nothing changed) while the current month has
    errors; before moving, the window's figures are kept in History and the month's commentary
    in the Commentary archive. Returns the state to write.
    """
    target = target or book.month + 1
    if target == book.month:
        raise Refused(f"The workbook is already at {target.label}: nothing to do.")
    if target < book.month:
        raise Refused(
            f"The workbook is at {book.month.label}; it cannot go back to {target.label}."
        )
    audit: list[list[object]] = []
    current = book
    while current.month < target:
        findings = run_rules(current, Stage.REFRESH)
        blocking = [f for f in findings if f.severity is Severity.ERROR and f.code != RESTORED]
        if blocking:
            raise Refused(
                f"Cannot move on from {current.month.label}: fix these errors first "
                "(nothing was changed).",
                blocking,
            )
        audit += _sync_audit(current, findings, user, when)
        current = _step(current, user, when, extract or [])
        audit.append(
            [
                when,
                user,
                "refresh",
                "",
                current.month.iso,
                "",
                "",
                f"rolled forward to {current.month.label}",
            ]
        )
    findings = run_rules(current, Stage.VALIDATE)
    return Outcome(
        current.dataset, current.month, findings, current.answers, audit=audit,
        summary=f"Rolled forward to {current.month.label}. {tally(findings, current.answers)}",
    )  # fmt: skip


def _sync_audit(
    book: LiveBook, findings: list[Finding], user: str, when: str
) -> list[list[object]]:
    """Audit rows for corrections kept in History and formulas restored."""
    rows: list[list[object]] = []
    for finding in findings:
        month = finding.month.iso if finding.month else ""
        if finding.code in {"A601", "A602"}:
            old, _, new = finding.found.partition(" -> ")
            rows.append([when, user, "correction", finding.ref, month, old, new, finding.cell])
        elif finding.code == RESTORED:
            rows.append(
                [when, user, "formula restored", finding.ref, month, finding.found, "formula",
                 finding.cell]
            )  # fmt: skip
    return rows


def _step(book: LiveBook, user: str, when: str, extract: list[ExtractRow]) -> LiveBook:
    """The book one month on: same dataset (History keeps everything), new report month."""
    dataset = book.dataset
    month = book.month + 1
    for ref, text in book.commentary_cells.items():
        if text:
            old = dataset.commentary.get((ref, book.month))
            author = old.author if old else dataset.indicator(ref).reporter
            dataset.commentary[(ref, book.month)] = Comment(text, author)
    layout = book.layout
    entries: dict[tuple[str, Month], Entry] = {}
    for indicator in dataset.indicators:
        if indicator.is_derived:
            continue
        for offset in range(HISTORY_MONTHS):
            when_month = month - offset
            value = dataset.values.get((indicator.ref, when_month))
            cell = layout.month_cell(indicator.ref, offset)
            entries[(indicator.ref, when_month)] = Entry(
                indicator.ref, when_month, cell, value, value
            )
    moved = LiveBook(
        name=book.name,
        dataset=dataset,
        month=month,
        layout=layout,
        entries=entries,
        history=dict(dataset.values),
        commentary_cells={ref: "" for ref in book.commentary_cells},
        answers=dict(book.answers),
        audit=book.audit,
        formulas_known=True,
    )
    figures = {(row.ref, row.month): row.value for row in extract if row.month == month}
    derived = [r for r in figures if dataset.indicator(r[0]).is_derived]
    apply_inputs(moved, {key: value for key, value in figures.items() if key not in derived})
    return moved


__all__ = [
    "DataFileError", "ExtractRow", "Outcome", "import_extract", "read_extract", "roll_forward",
    "tally", "validate",
]  # fmt: skip
