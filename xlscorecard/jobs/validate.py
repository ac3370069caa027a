"""Validate: keep what was typed, put back formulas typed over, and run every check."""

from __future__ import annotations

from ..checks import Stage
from ..checks.engine import run_rules
from ..model.book import LiveBook, Overwrite
from ..model.values import show_typed
from ..workbook.layout import SHEET
from .keep_typed import figure_changes, keep_typed, restore_formulas
from .outcome import Outcome, tally


def validate(
    book: LiveBook, user: str = "", when: str = "", stage: Stage = Stage.VALIDATE
) -> Outcome:
    """Keep what was typed, put back formulas typed over, and run every check."""
    audit = keep_typed(book, user, when)
    restored = list(book.overwritten) if book.structure_intact else []
    audit += restore_formulas(book, user, when)
    findings = run_rules(book, stage)
    audit += figure_changes(book, book.history, {}, user, when)
    return Outcome(
        book.dataset, book.month, findings, audit=audit, restored=restored,
        cells={item.cell: item.formula for item in restored},
        summary=f"{book.month.label}: {tally(findings, book.answers)}" + _restored_note(restored),
    )  # fmt: skip


def _restored_note(restored: list[Overwrite]) -> str:
    if not restored:
        return ""
    cells = ", ".join(f"{SHEET}!{item.cell} ({show_typed(item.typed)})" for item in restored)
    what = "the formula" if len(restored) == 1 else f"{len(restored)} formulas"
    return f" Put back {what} typed over in {cells}: Audit keeps what was typed."


__all__ = ["validate"]
