"""R202: percentages that share out one whole add up to 100%."""

from __future__ import annotations

from collections.abc import Iterator

from ..calc.figures import HISTORY_MONTHS, figure, is_number
from ..model import Unit
from ..model.months import window
from ..model.values import show_value
from . import Context, Problem, Severity, rule


@rule(
    code="R202",
    severity=Severity.ERROR,
    message="Percentages that share out one whole must add up to 100%.",
    fields=("value",),
)
def shares_add_up(context: Context) -> Iterator[Problem]:
    book = context.book
    for group in context.config.sum_to_100:
        for month in window(book.month, HISTORY_MONTHS):
            figures = [figure(book.dataset, ref, month) for ref in group.refs]
            if not group.refs or not all(is_number(value) for value in figures):
                continue
            total = sum(figures)  # type: ignore[arg-type]
            if abs(total - 1) <= group.tolerance + 1e-9:
                continue
            first = group.refs[0]
            yield Problem(
                first, month,
                found=f"{' + '.join(group.refs)} = {show_value(total, Unit.PERCENT)}",
                expected=(
                    f"100% (from {show_value(1 - group.tolerance, Unit.PERCENT)} to "
                    f"{show_value(1 + group.tolerance, Unit.PERCENT)} allowing for rounding)"
                ),
            )  # fmt: skip


def test_bands_adding_up_to_99_percent_pass(check, sample_book):
    # Aug-20: 4% + 32% + 28% + 24% + 11% = 99%, within the 2 points allowed for rounding
    assert check(sample_book(), "R202") == []


def test_bands_adding_up_to_more_than_102_percent_fail(check, codes, sample_book, type_into):
    findings = check(type_into(sample_book(), "EH3c%", "2020-08", "38%"), "R202")
    assert codes(findings) == ["R202"]
    assert findings[0].found == "EH3a% + EH3b% + EH3c% + EH3d% + EH3e% = 109%"
    assert findings[0].cell == "Dataset!R" + str(sample_book().layout.row("EH3a%"))


def test_a_month_with_a_band_missing_is_left_to_c401(check, sample_book, type_into):
    assert check(type_into(sample_book(), "EH3c%", "2020-08", None), "R202") == []
