"""The check engine: runs the rules of :data:`.rules.RULES` on a book, each on its own copy,
turns their problems into :class:`~xlscorecard.checks.Finding` s that name sheet, cell,
indicator and month, and reports a rule that crashes as an error finding instead of stopping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..model import Month
from ..model.book import LiveBook
from ..model.cells import parse_address
from ..workbook.layout import SHEET
from . import Context, Finding, Problem, Rule, Severity, Stage
from .rules import RULES


def rules_by_code() -> dict[str, Rule]:
    """Every rule the engine runs, by its code, in the order of :data:`.rules.RULES`."""
    return {item.code: item for item in RULES}


CRASH_CODE = "X000"


COLUMNS_CODE = "I503"
"""The check of the Dataset sheet's columns: while it finds any, no other check runs."""


def run_rules(book: LiveBook, stage: Stage, codes: Iterable[str] | None = None) -> list[Finding]:
    """Run the rules that apply at ``stage`` (or just ``codes``) and return their findings;
    with a column out of place, only :data:`COLUMNS_CODE`'s."""
    rules = rules_by_code()
    if codes is None and book.header_problems:  # every cell read by its place is not what it
        codes = [COLUMNS_CODE]  # seems: only the columns out of place are reported
    selected = [rules[code] for code in codes] if codes is not None else list(rules.values())
    config = book.dataset.settings.checks
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
