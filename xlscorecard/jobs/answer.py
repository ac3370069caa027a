"""Answer a query with a reason and write a month's comment, as typing them on Checks and on
Dataset does."""

from __future__ import annotations

from ..checks import Stage
from ..checks.answers import ANSWERED_BY_COMMENT, answerable
from ..checks.engine import rules_by_code, run_rules
from ..errors import Refused, ScorecardError
from ..model import Answer, Month, answer_key
from ..model.book import LiveBook
from ..model.text import did_you_mean, meaningful
from ..workbook.layout import Field
from .keep_typed import figure_changes, keep_typed, replace_answer
from .outcome import Outcome, refuse_unless_in_place, tally
from .validate import validate


def answer_query(
    book: LiveBook, code: str, ref: str, month: Month | None, reason: str, user: str, when: str
) -> Outcome:
    """Give ``reason`` for the query of check ``code`` on ``ref`` for ``month`` (as typing it
    on Checks does), then check. Refuses when there is no such query to answer."""
    if not meaningful(reason):
        raise Refused(
            "An answer needs a reason (spaces or invisible characters alone are none): give it "
            "in quotes (nothing was changed)."
        )
    code, ref = code.strip().upper(), _as_listed(book, ref)
    _refuse_unknown(book, ref)
    if code not in (known := rules_by_code()):
        raise Refused(
            f"There is no check {code}{did_you_mean(code, known)}: docs/checks.md lists them "
            "(nothing was changed)."
        )
    month = month or book.month
    keep = keep_typed(book, user, when)
    findings = run_rules(book, Stage.VALIDATE)
    key = answer_key(code, ref, month)
    finding = next((f for f in findings if f.key == key), None)
    if finding is None:
        raise Refused(
            f"There is no {code} query on {ref} for {month.label} to answer: xlscorecard "
            "validate lists the findings (nothing was changed)."
        )
    if not answerable(finding):
        how = (
            f"write a comment for {ref} on Dataset (xlscorecard comment)"
            if finding.code in ANSWERED_BY_COMMENT
            else f"fix it at {finding.cell}"
        )
        raise Refused(
            f"{code} on {ref} for {month.label} is not answered with a reason: {how} "
            "(nothing was changed)."
        )
    keep += replace_answer(
        book.dataset, Answer(code, ref, month, finding.found, reason.strip(), user, when)
    )
    keep += figure_changes(book, book.history, {}, user, when)
    return Outcome(
        book.dataset, book.month, findings, audit=keep,
        summary=f"Answered {code} on {ref} for {month.label}. "
        f"{book.month.label}: {tally(findings, book.answers)}",
    )  # fmt: skip


def type_comment(book: LiveBook, ref: str, text: str, user: str, when: str) -> Outcome:
    """Write the report month's comment on ``ref`` (as typing it on Dataset does), then check."""
    ref = _as_listed(book, ref)
    _refuse_unknown(book, ref)
    refuse_unless_in_place(book, "write a comment into")
    if text.strip() and not meaningful(text):
        raise Refused(
            f"The comment on {ref} holds only invisible characters, which are no comment: give "
            'its text in quotes, or "" to clear it (nothing was changed).'
        )
    text = text.strip()
    book.commentary_cells[ref] = text
    kept = book.dataset.commentary.get((ref, book.month))
    book.typed_comments.pop(ref, None)
    book.cleared_comments.discard(ref)
    if text and (kept is None or kept.text != text):
        book.typed_comments[ref] = text
    elif not text and kept is not None:
        book.cleared_comments.add(ref)
    outcome = validate(book, user, when)
    outcome.cells[book.layout.cell(ref, Field.COMMENTARY)] = text or None
    outcome.summary = f"Wrote the {book.month.label} comment on {ref}. {outcome.summary}"
    return outcome


def _refuse_unknown(book: LiveBook, ref: str) -> None:
    if ref not in book.layout.rows:
        raise ScorecardError(
            f"{book.name} has no indicator {ref!r}{did_you_mean(ref, book.layout.rows)}: give "
            "a ref from column A of its Dataset sheet (nothing was changed)."
        )


def _as_listed(book: LiveBook, ref: str) -> str:
    """``ref`` as the Dataset sheet spells it, whatever its case or surrounding spaces."""
    ref = ref.strip()
    same = [listed for listed in book.layout.rows if listed.casefold() == ref.casefold()]
    return ref if ref in book.layout.rows or len(same) != 1 else same[0]


__all__ = ["answer_query", "type_comment"]
