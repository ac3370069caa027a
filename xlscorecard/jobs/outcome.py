"""What a job of the monthly cycle returns (:class:`Outcome`: the state to write, the findings,
a summary), what is left to do in words, and the guard of every job that writes by place."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..checks import KINDS, Finding, Severity, Stage
from ..checks.answers import answer_for
from ..checks.engine import COLUMNS_CODE, run_rules
from ..errors import Refused
from ..model import Answer, Dataset, Month, Value
from ..model.book import LiveBook, Overwrite
from ..model.values import counted

RESTORED = "I501"
"""Overwritten formulas are put back by validate and a refresh, so they do not block one."""
STRUCTURE = {"I502", COLUMNS_CODE}
"""Rows or columns not where they were built: nothing is written by place until they are."""
MISSING = "C401"
UNEXPLAINED = "C402"


@dataclass
class Outcome:
    """What a command did: the state to write, the findings and a one-line summary."""

    dataset: Dataset
    month: Month
    findings: list[Finding]
    audit: list[list[object]] = field(default_factory=list)
    summary: str = ""
    inputs: dict[tuple[str, Month], Value] = field(default_factory=dict)
    cells: dict[str, object] = field(default_factory=dict)
    """Dataset cells to write (A1 address: content): imported figures, formulas put back,
    a comment."""
    restored: list[Overwrite] = field(default_factory=list)

    @property
    def answers(self) -> dict[str, Answer]:
        return self.dataset.answers

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def open_queries(self) -> list[Finding]:
        return [
            f
            for f in self.findings
            if f.severity is Severity.QUERY and answer_for(f, self.answers) is None
        ]


# -- what is left to do ----------------------------------------------------------------------
def _open(findings: list[Finding], answers: dict[str, Answer]) -> tuple[list[str], list[str]]:
    """What is left to do on Dataset (figures, comments) and on Checks (errors, queries)."""
    open_ = [f.kind for f in findings if answer_for(f, answers) is None]
    on: dict[str, list[str]] = {"Dataset": [], "Checks": []}
    for kind in dict.fromkeys(KINDS.values()):
        if kind.todo and (number := open_.count(kind)):
            on[kind.sheet].append(f"{counted(number, kind.noun, kind.plural)} {kind.todo}")
    return on["Dataset"], on["Checks"]


def tally(findings: list[Finding], answers: dict[str, Answer]) -> str:
    """``3 figures to enter, 2 comments to write on Dataset; 1 error to fix, 2 queries to
    answer on Checks (1 query answered).``"""
    on_dataset, on_checks = _open(findings, answers)
    parts = []
    if on_dataset:
        parts.append(", ".join(on_dataset) + " on Dataset")
    if on_checks:
        parts.append(", ".join(on_checks) + " on Checks")
    text = "; ".join(parts) if parts else "No errors or open queries"
    answered = sum(answer_for(f, answers) is not None for f in findings)
    if answered:
        text += f" ({counted(answered, 'query', 'queries')} answered)"
    return text + "."


def counts(findings: list[Finding], answers: dict[str, Answer]) -> str:
    """``3 comments to write, 5 queries to answer``: what is left, wherever it is."""
    on_dataset, on_checks = _open(findings, answers)
    return ", ".join([*on_dataset, *on_checks])


def refuse_unless_in_place(book: LiveBook, doing: str) -> None:
    """Refuse ``doing`` (e.g. "import into") while rows or columns are out of place."""
    if not book.structure_intact:
        blocking = [f for f in run_rules(book, Stage.VALIDATE, sorted(STRUCTURE))]
        raise Refused(
            f"Cannot {doing} {book.name}: rows or columns of its Dataset sheet are not where "
            "they were built, so cells cannot be found by their place. Undo the change in "
            "Excel (nothing was changed).",
            blocking,
        )


__all__ = [
    "MISSING", "RESTORED", "STRUCTURE", "UNEXPLAINED", "Outcome", "counts",
    "refuse_unless_in_place", "tally",
]  # fmt: skip
