"""Roll the book forward a month at a time, keeping everything that rolls out of view."""

from __future__ import annotations

from ..calc.figures import HISTORY_MONTHS
from ..checks import Severity, Stage
from ..checks.engine import run_rules
from ..errors import Refused
from ..model import POPULATION, Comment, Month
from ..model.book import Entry, LiveBook
from ..model.rows import AuditRow
from ..model.tables import missing_population
from ..model.values import counted
from .extract import Extract, ExtractRow, apply_inputs, figure_sources
from .keep_typed import IMPORT, figure_changes, keep_typed, restore_formulas
from .outcome import RESTORED, Outcome, tally

NOT_RETURNED = "not returned"
"""The Audit action of a month rolled on without a saved return."""


def roll_forward(
    book: LiveBook,
    user: str,
    when: str,
    target: Month | None = None,
    extract: Extract | None = None,
    source: str = "",
    origin: str = "",
) -> Outcome:
    """Move the book on to ``target`` (default: next month), one month at a time.

    Each step refuses (raising :class:`Refused`, nothing changed) while the current month has
    errors, or when the new month's reporting year has no population for the rates; before
    moving, the window's figures are kept in History and the month's commentary in the
    Commentary archive, formulas typed over are put back, and a month never returned is
    recorded in Audit. Returns the state to write.
    """
    target = target or book.month + 1
    if target == book.month:
        raise Refused(f"The workbook is already at {target.label}: nothing to do.")
    if target < book.month:
        raise Refused(
            f"The workbook is at {book.month.label}; it cannot go back to {target.label}."
        )
    audit = keep_typed(book, user, when)
    before, first = dict(book.history), book
    audit += figure_changes(book, before, {}, user, when)
    unreturned: list[Month] = []
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
        _check_population(current, current.month + 1)
        audit += restore_formulas(current, user, when)
        if current.month not in current.returned_months:
            unreturned.append(current.month)
            audit.append(
                AuditRow(when, user, NOT_RETURNED, "", current.month.iso, "", "",
                         f"{current.month.label} was rolled on without a saved return").to_row()
            )  # fmt: skip
        current = _step(current, user, (extract.rows if extract else []))
        audit.append(
            AuditRow(when, user, "refresh", "", current.month.iso, "", "",
                     f"rolled forward to {current.month.label}").to_row()
        )  # fmt: skip
    findings = run_rules(current, Stage.VALIDATE)
    if extract and extract.rows:
        imported = {
            key: text
            for key, text in figure_sources(extract, origin or "the extract").items()
            if key[1] > book.month
        }
        changes = figure_changes(first, before, imported, user, when, keys=set(imported))
        audit.append(
            AuditRow(when, user, IMPORT, "", current.month.iso, "", "",
                     f"{source or origin or 'the extract'}: {counted(len(imported), 'figure')}, "
                     f"{len(changes)} changed").to_row()
        )  # fmt: skip
        audit += changes
    note = ""
    if unreturned:
        labels = ", ".join(month.label for month in unreturned)
        note = f" {labels} {'was' if len(unreturned) == 1 else 'were'} rolled on without a "
        note += "return (recorded in Audit)."
    return Outcome(
        current.dataset, current.month, findings, audit=audit,
        summary=f"Rolled forward to {current.month.label}.{note}"
        + (extract.note() if extract else "")
        + f" {current.month.label}: {tally(findings, current.answers)}",
    )  # fmt: skip


def _check_population(book: LiveBook, month: Month) -> None:
    settings = book.dataset.settings
    rates = [item.ref for item in book.dataset.indicators if item.denominator == POPULATION]
    year = month.financial_year(settings.year_start_month)
    if rates and year not in settings.populations:
        raise Refused(
            f"Cannot move on to {month.label}: "
            + missing_population(year, rates, f"{month.label} and the rest of {year}")
            + "; then refresh again (nothing was changed)."
        )


def _step(book: LiveBook, user: str, extract: list[ExtractRow]) -> LiveBook:
    """The book one month on: same dataset (History keeps everything), new report month,
    its cells as the refreshed sheet will show them."""
    dataset = book.dataset
    month = book.month + 1
    for ref, text in book.commentary_cells.items():
        if text:
            old = dataset.commentary.get((ref, book.month))
            author = old.author if old and old.text == text else user
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
    comments = {ref: dataset.commentary.get((ref, month)) for ref in book.commentary_cells}
    moved = LiveBook(
        name=book.name,
        dataset=dataset,
        month=month,
        layout=layout,
        entries=entries,
        history=dict(dataset.values),
        commentary_cells={ref: c.text if c else "" for ref, c in comments.items()},
        audit=book.audit,
        formulas_known=True,
    )
    figures = {(row.ref, row.month): row.value for row in extract if row.month == month}
    derived = [r for r in figures if dataset.indicator(r[0]).is_derived]
    apply_inputs(moved, {key: value for key, value in figures.items() if key not in derived})
    return moved


__all__ = ["NOT_RETURNED", "roll_forward"]
