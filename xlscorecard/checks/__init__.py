"""The checks: what a rule is and what it finds. Each rule is in its own ``rule_*.py`` with its
tests, :mod:`.rules` lists them, and :mod:`.engine` runs them.

A rule is a generator decorated with :func:`rule`; it looks at a
:class:`~xlscorecard.model.book.LiveBook` and yields :class:`Problem` s (indicator, month,
column), which the engine turns into :class:`Finding` s that name sheet, cell, indicator and
month (the layout gives the cell: a rule never spells one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ..model import Month, answer_key
from ..model.book import LiveBook
from ..model.check_config import CheckConfig
from ..workbook.layout import Field


class Severity(StrEnum):
    ERROR = "error"
    """Blocks a refresh and a return until fixed."""
    QUERY = "query"
    """Must be confirmed or given a reason (in the Checks sheet's reason column)."""
    INFO = "info"
    """Reported and recorded, nothing to do (a correction to an earlier month)."""


@dataclass(frozen=True)
class Kind:
    """What a finding asks of someone, in the one set of words used everywhere: the word a
    finding is printed with (``QUERY``), on the Checks sheet (``query``), and counted in
    what is left to do (``2 queries to answer on Checks``)."""

    label: str
    noun: str
    plural: str
    todo: str
    """What to do about one, ``to answer``; none for a note (it is not counted)."""
    sheet: str

    @property
    def name(self) -> str:
        """The word on the Checks sheet: ``query``."""
        return self.label.lower()


KINDS: dict[str, Kind] = {
    "C401": Kind("MISSING", "figure", "figures", "to enter", "Dataset"),
    "C402": Kind("COMMENT", "comment", "comments", "to write", "Dataset"),
    Severity.ERROR: Kind("ERROR", "error", "errors", "to fix", "Checks"),
    Severity.QUERY: Kind("QUERY", "query", "queries", "to answer", "Checks"),
    Severity.INFO: Kind("INFO", "note", "notes", "", "Checks"),
}
"""Each kind of finding, by check code where the code says what to do (a figure to enter, a
comment to write), else by severity."""


class Stage(StrEnum):
    VALIDATE = "validate"
    REFRESH = "refresh"
    RETURN = "return"


@dataclass(frozen=True)
class Problem:
    """What a rule found: about what (indicator, month, column), what was found, what was
    expected. The engine asks the layout for its cell."""

    ref: str
    month: Month | None
    found: str
    expected: str
    field: Field | None = None
    """The column of ``ref``'s row it is about (the commentary, a % change); None for its
    figure for ``month``."""
    detail: str | None = None
    """A message for this case, when the rule's own message does not say enough."""
    severity: Severity | None = None
    heading: str | None = None
    """A heading of the sheet that is out of place (I503), as the reader found it: its cell,
    ``Dataset!R5`` (no indicator's row or column says where)."""


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    cell: str
    ref: str
    indicator: str
    month: Month | None
    found: str
    expected: str
    message: str
    field: Field | None = None
    """The column of ``ref``'s row it is about; None for the figure for ``month``."""

    @property
    def kind(self) -> Kind:
        """What it asks of someone, in the words used everywhere (:data:`KINDS`)."""
        return KINDS.get(self.code) or KINDS[self.severity]

    @property
    def key(self) -> str:
        """What the finding is about (check code, ref and month), not where its cell is: the
        same after a refresh moves the month a column left, so an answer stays with it."""
        return answer_key(self.code, self.ref, self.month)

    def __str__(self) -> str:
        month = f", {self.month.label}" if self.month else ""
        name = f" {self.indicator}" if self.indicator else ""
        about = f"{self.ref}{name}{month}".strip(", ")
        return (
            f"{self.kind.label} {self.code} {self.cell}: "
            f"{about + ': ' if about else ''}{self.message} Found {self.found}; expected "
            f"{self.expected}."
        )


@dataclass
class Context:
    """What a rule sees: its own copy of the book, the stage and the check settings."""

    book: LiveBook
    stage: Stage
    config: CheckConfig


Check = Callable[[Context], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    """A check as :func:`rule` makes it: its code, what its findings say, the fields it looks
    at, the stages it runs at, and the generator that looks."""

    code: str
    severity: Severity
    message: str
    fields: tuple[str, ...]
    check: Check
    stages: frozenset[Stage] = field(default_factory=lambda: frozenset(Stage))


def rule(
    code: str,
    severity: Severity,
    message: str,
    fields: Iterable[str] = ("value",),
    stages: Iterable[Stage] = tuple(Stage),
) -> Callable[[Check], Rule]:
    """Make a check the rule ``code``, with the plain-English ``message`` its findings carry
    (:data:`.rules.RULES` lists it for the engine)."""

    def make(check: Check) -> Rule:
        return Rule(code, severity, message, tuple(fields), check, frozenset(stages))

    return make
