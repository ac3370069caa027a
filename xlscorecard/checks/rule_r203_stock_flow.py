"""R203: this month's stock is last month's plus what came in minus what went out."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from ..calc.figures import HISTORY_MONTHS, figure, is_number
from ..model.months import window
from . import Context, Problem, Severity, rule


@rule(
    code="R203",
    severity=Severity.QUERY,
    message=(
        "The number at the end of the month does not follow from last month's number "
        "plus those who came in, minus those who left."
    ),
    fields=("value",),
)
def stock_follows_flows(context: Context) -> Iterator[Problem]:
    book = context.book
    months = window(book.month, HISTORY_MONTHS)
    for item in context.config.stock_flow:
        for before, month in pairwise(months):
            last = figure(book.dataset, item.stock, before)
            inflow = figure(book.dataset, item.inflow, month)
            outflow = figure(book.dataset, item.outflow, month)
            stock = figure(book.dataset, item.stock, month)
            if not all(is_number(value) for value in (last, inflow, outflow, stock)):
                continue
            follows = last + inflow - outflow  # type: ignore[operator]
            difference = stock - follows  # type: ignore[operator]
            if abs(difference) <= item.tolerance + 1e-9:
                continue
            yield Problem(
                item.stock, month,
                found=(
                    f"{item.stock} {stock:,.0f}, but {item.stock} {before.label} {last:,.0f} "
                    f"+ {item.inflow} {inflow:,.0f} - {item.outflow} {outflow:,.0f} "
                    f"= {follows:,.0f} (a difference of {abs(difference):,.0f})"
                ),
                expected=f"{item.stock} within {item.tolerance:g} of {follows:,.0f}",
            )  # fmt: skip


def test_a_stock_that_follows_its_flows_passes(check, sample_book):
    # Aug-20: 512 + 9 - 24 = 497, and 493 children were looked after (within 5)
    assert check(sample_book(), "R203") == []


def test_a_stock_that_does_not_follow_its_flows_is_queried(check, codes, sample_book, type_into):
    findings = check(type_into(sample_book(), "LAC3", "2020-08", 4), "R203")
    assert codes(findings) == ["R203"]
    assert findings[0].found == (
        "LAC1 493, but LAC1 Jul-20 512 + LAC2 9 - LAC3 4 = 517 (a difference of 24)"
    )
    assert findings[0].expected == "LAC1 within 5 of 517"


def test_a_wrong_stock_is_queried_in_both_months_it_touches(check, sample_book, type_into):
    findings = check(type_into(sample_book(), "LAC1", "2020-07", 600), "R203")
    assert [f.month.label for f in findings] == ["Jul-20", "Aug-20"]
