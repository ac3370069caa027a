"""The check engine: small registered rules, each in its own ``rule_*.py`` with its tests.

A rule is a generator decorated with :func:`rule`; it looks at a
:class:`~xlscorecard.model.book.LiveBook` and yields :class:`Problem` s. The engine gives
each rule its own copy of the book, turns problems (indicator, month, column) into
:class:`Finding` s that name sheet, cell, indicator and month (the layout gives the cell: a rule
never spells one), and reports a rule that crashes as an error finding instead of
stopping.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ..model import Month, answer_key
from ..model.book import LiveBook
from ..model.cells import parse_address
from ..model.check_config import CheckConfig
from ..workbook.layout import SHEET, Field


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
    code: str
    severity: Severity
    message: str
    fields: tuple[str, ...]
    check: Check
    stages: frozenset[Stage] = field(default_factory=lambda: frozenset(Stage))


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    severity: Severity,
    message: str,
    fields: Iterable[str] = ("value",),
    stages: Iterable[Stage] = tuple(Stage),
) -> Callable[[Check], Check]:
    """Register a check under ``code``, with the plain-English ``message`` its findings carry."""

    def register(check: Check) -> Check:
        if code in REGISTRY and REGISTRY[code].check.__qualname__ != check.__qualname__:
            raise ValueError(f"rule code {code} is used twice")
        REGISTRY[code] = Rule(code, severity, message, tuple(fields), check, frozenset(stages))
        return check

    return register


def load_rules() -> dict[str, Rule]:
    """Import every ``rule_*`` module in this package so that it registers itself."""
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("rule_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return dict(sorted(REGISTRY.items()))


CRASH_CODE = "X000"


COLUMNS_CODE = "I503"
"""The check of the Dataset sheet's columns: while it finds any, no other check runs."""


def run_rules(book: LiveBook, stage: Stage, codes: Iterable[str] | None = None) -> list[Finding]:
    """Run the rules that apply at ``stage`` (or just ``codes``) and return their findings;
    with a column out of place, only :data:`COLUMNS_CODE`'s."""
    rules = load_rules()
    if codes is None and book.header_problems:  # every cell read by its place is not what it
        codes = [COLUMNS_CODE]  # seems: only the columns out of place are reported
    selected = [rules[code] for code in codes] if codes is not None else list(rules.values())
    config = CheckConfig.from_settings(book.dataset.settings)
    findings: list[Finding] = []
    for item in selected:
        if stage not in item.stages:
            continue
        context = Context(book.copy(), stage, config)
        try:
            problems = list(item.check(context))
        except Exception as exc:  # a broken rule must not hide the others' findings
            findings.append(
                Finding(
                    CRASH_CODE, Severity.ERROR, f"{SHEET}!A1", "", "", None,
                    f"{type(exc).__name__}: {exc}", "the check to run",
                    f"The check {item.code} ({item.message}) could not run: please report this.",
                )
            )  # fmt: skip
            continue
        findings.extend(_finding(book, item, problem) for problem in problems)
    return sorted(findings, key=_order(book))


def _finding(book: LiveBook, item: Rule, problem: Problem) -> Finding:
    indicator = ""
    if problem.ref:
        try:
            indicator = book.dataset.indicator(problem.ref).name
        except KeyError:
            indicator = ""
    cell = problem.heading or book.layout.sheet_cell(
        problem.ref, book.month, problem.month, problem.field
    )
    return Finding(
        code=item.code,
        severity=problem.severity or item.severity,
        cell=cell or f"{SHEET}!A1",
        ref=problem.ref,
        indicator=indicator,
        month=problem.month,
        found=problem.found,
        expected=problem.expected,
        message=problem.detail or item.message,
        field=problem.field,
    )


def _order(book: LiveBook) -> Callable[[Finding], tuple]:
    rank = {severity: index for index, severity in enumerate(Severity)}
    rows = book.layout.rows

    def place(cell: str) -> tuple[int, int]:
        try:
            return parse_address(cell)
        except ValueError:
            return (0, 0)

    def key(finding: Finding) -> tuple:
        return (
            rank[finding.severity],
            rows.get(finding.ref, 0),
            finding.month or Month(1, 1),
            finding.code,
            place(finding.cell),  # a sheet's own findings (I503) from left to right
        )

    return key
