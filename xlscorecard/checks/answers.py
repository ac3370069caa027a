"""Answers to queries: when a reason answers a finding, and the Checks sheet's rows.

An answer is kept by what it answers (check code, ref and month), not by its cell, so it stays
with its query when a refresh moves the month a column left. It answers the query while the
query finds what it found when the answer was given (the figures it answered); when they change
the query is open again, and the answer is kept (Checks says why it is open again).
Errors are fixed, never answered; a big change without commentary (C402) is answered by a
comment on the Dataset sheet.
"""

from __future__ import annotations

from ..model import Answer
from ..model.rows import CheckRow
from ..model.text import CELL_LIMIT, excel_length
from ..workbook import schema as sheets
from ..workbook.contents import Formula
from . import Finding, Severity

ANSWERED_BY_COMMENT = {"C402"}


def answerable(finding: Finding) -> bool:
    """A query a reason on Checks can answer."""
    return finding.severity is not Severity.ERROR and finding.code not in ANSWERED_BY_COMMENT


def answer_for(finding: Finding, answers: dict[str, Answer]) -> Answer | None:
    """The answer that closes ``finding``, if any."""
    answer = answers.get(finding.key) if answerable(finding) else None
    return answer if answer is not None and answer.found == finding.found else None


def reopened(finding: Finding, answers: dict[str, Answer]) -> Answer | None:
    """An answer given for ``finding`` when it found other figures: kept, no longer closing it."""
    answer = answers.get(finding.key) if answerable(finding) else None
    return answer if answer is not None and answer.found != finding.found else None


def answer_note(finding: Finding, answers: dict[str, Answer]) -> str:
    """The Checks sheet's ``answered`` column: who answered and when, or why it is open
    again."""
    if (answer := answer_for(finding, answers)) is not None:
        return f"{sheets.ANSWERED} by {answer.by or 'someone'}, {answer.at}".rstrip(", ")
    if (answer := reopened(finding, answers)) is not None:
        return (
            f"open again: the figures have changed since {answer.by or 'someone'} answered it "
            f"for {answer.found} ({answer.reason})"
        )
    return ""


def checks_rows(findings: list[Finding], answers: dict[str, Answer], links: bool = True) -> list:
    """The Checks sheet's rows: each finding, the reason that answers it and who gave it, and
    its cell, as a link (a ``HYPERLINK`` formula) or, for a return, which holds no formula, as
    text."""
    rows = []
    for finding in findings:
        sheet, _, cell = finding.cell.partition("!")
        link = (
            Formula(f'=HYPERLINK("#\'{sheet}\'!{cell}","{finding.cell}")')
            if cell and links
            else finding.cell
        )
        answer = answer_for(finding, answers)
        rows.append(
            CheckRow(
                severity=finding.kind.name, code=finding.code, cell=link, ref=finding.ref,
                indicator=finding.indicator,
                month=finding.month.label if finding.month else "", found=_fit(finding.found),
                expected=_fit(finding.expected), message=_fit(finding.message),
                reason=answer.reason if answer else "",
                answered=_fit(answer_note(finding, answers)), key=finding.key,
            ).to_row()
        )  # fmt: skip
    return rows


def _fit(text: str) -> str:
    """A message quoting what was typed, shortened to fit a cell (what was typed is kept
    where it was typed)."""
    if excel_length(text) <= CELL_LIMIT:
        return text
    while excel_length(text) > CELL_LIMIT - 1:
        text = text[: len(text) - max(1, (excel_length(text) - CELL_LIMIT + 1) // 2)]
    return text + "…"
