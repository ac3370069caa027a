"""Keep what was typed since the last command (comments, reasons) with who ran this one, put
back formulas typed over, and record each figure changed since History was last written (old
-> new, source) and each answer replaced: the Audit rows every job of the cycle starts with."""

from __future__ import annotations

from dataclasses import replace

from ..calc import figures as calc
from ..model import Answer, Comment, Dataset, Month, Unit, Value
from ..model.book import LiveBook
from ..model.rows import AuditRow
from ..model.values import show_typed, show_value
from ..workbook.layout import SHEET, Field


def keep_typed(book: LiveBook, user: str, when: str) -> list[list[object]]:
    """Keep what was typed since the last command, with who ran this one: the report month's
    comments (in the Commentary archive) and the reasons given on Checks (on Answers). A
    comment or reason cleared since is recorded in Audit. Returns the Audit rows.

    Comments are left alone while a column is not where it was built (I503): the commentary
    read from its place could be another column's."""
    rows: list[list[object]] = []
    month = book.month
    if not book.header_problems:
        for ref, text in book.typed_comments.items():
            book.dataset.commentary[(ref, month)] = Comment(text, user)
        for ref in sorted(book.cleared_comments):
            old = book.dataset.commentary.pop((ref, month), None)
            if old is not None:
                cell = f"{SHEET}!{book.layout.cell(ref, Field.COMMENTARY)}"
                rows.append(
                    AuditRow(when, user, "comment cleared", ref, month.iso, old.text, "",
                             f"{cell}; written by {old.author or 'someone'}").to_row()
                )  # fmt: skip
        book.typed_comments.clear()
        book.cleared_comments.clear()
    for answer in book.typed_answers.values():
        rows += replace_answer(book.dataset, replace(answer, by=user, at=when))
    for key in sorted(book.withdrawn):
        old = book.dataset.answers.pop(key)
        book.dataset.replaced_answers.append(replace(old, replaced=f"withdrawn by {user}, {when}"))
        rows.append(
            AuditRow(when, user, "answer withdrawn", old.ref, old.month.iso if old.month else "",
                     old.reason, "",
                     f"{old.code}, answered by {old.by or 'someone'} {old.at}".strip()).to_row()
        )  # fmt: skip
    book.typed_answers.clear()
    book.withdrawn.clear()
    return rows


def replace_answer(dataset: Dataset, answer: Answer) -> list[list[object]]:
    """Keep ``answer`` (given by ``answer.by`` at ``answer.at``); an answer it replaces stays
    on the Answers sheet, marked replaced, and Audit says so; the same reason for the same
    figures again changes nothing (the first answer stays, with who gave it and when).
    Returns the Audit rows."""
    old = dataset.answers.get(answer.key)
    if old is not None and old.reason == answer.reason and old.found == answer.found:
        return []
    dataset.answers[answer.key] = answer
    if old is None:
        return []
    dataset.replaced_answers.append(replace(old, replaced=f"by {answer.by}, {answer.at}"))
    return [
        AuditRow(answer.at, answer.by, "answer replaced", old.ref,
                 old.month.iso if old.month else "", old.reason, answer.reason,
                 f"{old.code}, answered by {old.by or 'someone'} {old.at} for {old.found}".strip(),
                 ).to_row()
    ]  # fmt: skip


def restore_formulas(book: LiveBook, user: str, when: str) -> list[list[object]]:
    """Put back every formula typed over (the book forgets them) and return the Audit rows
    keeping what was typed. Nothing is put back while a row or column is out of place."""
    if not book.structure_intact:
        return []
    rows = [
        AuditRow(when, user, "formula restored", item.ref, (item.month or book.month).iso,
                 show_typed(item.typed), "formula", f"{SHEET}!{item.cell} ({item.what})").to_row()
        for item in book.overwritten
    ]  # fmt: skip
    book.overwritten = []
    return rows


# -- figures changed --------------------------------------------------------------------------
FIGURE = "figure"
"""The Audit action of a report month's figure entered or changed (not yet returned)."""
CORRECTION = "correction"
"""The Audit action of a figure changed for an earlier month, or for a month returned."""
IMPORT = "import"
"""The Audit action summing up one import: its source, how many figures it held and changed."""
TYPED = "typed on Dataset"
"""The source of a figure typed into the sheet (found by the next command)."""


def figure_changes(
    book: LiveBook, before: dict[tuple[str, Month], Value], sources: dict[tuple[str, Month], str],
    user: str, when: str, keys: set[tuple[str, Month]] | None = None,
) -> list[list[object]]:  # fmt: skip
    """One Audit row per figure that differs from History as the command found it
    (``before``): old -> new, who and when, and where it came from (``sources``, by figure;
    anything else was typed on the sheet since the last command, which kept History in step).
    ``keys``: only these figures (the others are left for the next command)."""
    dataset = book.dataset
    returned = book.returned_months
    rows: list[list[object]] = []
    changed = {*before, *dataset.values} if keys is None else keys
    order = {ref: index for index, ref in enumerate(dataset.refs)}
    for ref, month in sorted(changed, key=lambda key: (key[1], order.get(key[0], len(order)))):
        if ref not in order or dataset.indicator(ref).is_derived:
            continue
        old, new = before.get((ref, month)), dataset.values.get((ref, month))
        entry = book.entries.get((ref, month))
        if _same_figure(old, new) or (entry is not None and entry.problem is not None):
            continue
        unit = dataset.indicator(ref).unit
        action = CORRECTION if month < book.month or month in returned else FIGURE
        source = sources.get((ref, month))
        if source is None:
            source = f"{TYPED}!{entry.cell}" if entry is not None else TYPED
        rows.append(
            AuditRow(
                when, user, action, ref, month.iso, _shown(old, unit), _shown(new, unit), source
            ).to_row()
        )
    return rows


def as_kept(book: LiveBook) -> Dataset:
    """The book's dataset as History keeps it: a figure that cannot be read where it was
    typed (``12a``, a date; an error to fix) keeps its last figure there until it is fixed."""
    values = dict(book.dataset.values)
    for key, entry in book.entries.items():
        if entry.problem is not None and key in book.history:
            values[key] = book.history[key]
    return replace(book.dataset, values=values)


def _same_figure(a: Value, b: Value) -> bool:
    if calc.is_number(a) and calc.is_number(b):
        return abs(float(a) - float(b)) <= 1e-9  # type: ignore[arg-type]
    return a == b


def _shown(value: Value, unit: Unit) -> str:
    return "" if value is None else show_value(value, unit)


__all__ = [
    "CORRECTION", "FIGURE", "IMPORT", "TYPED", "as_kept", "figure_changes", "keep_typed",
    "replace_answer", "restore_formulas",
]  # fmt: skip
