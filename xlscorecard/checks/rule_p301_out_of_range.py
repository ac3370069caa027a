"""P301: a count or rate far outside its range over the previous 12 months."""

from __future__ import annotations

import math
from collections.abc import Iterator

from ..calc.figures import ROLLING_MONTHS, figure, is_number
from ..model import Unit
from ..model.months import Month
from ..model.values import show_value
from . import Context, Problem, Severity, rule

MINIMUM_HISTORY = 3
"""Fewer previous figures than this say too little about the usual range."""


@rule(
    code="P301",
    severity=Severity.QUERY,
    message="This figure is far outside its range over the previous 12 months: check it is right.",
    fields=("value",),
)
def within_usual_range(context: Context) -> Iterator[Problem]:
    book = context.book
    factor = context.config.range_factor
    for indicator in book.dataset.indicators:
        unit = indicator.unit
        if unit not in (Unit.COUNT, Unit.RATE) or indicator.ref not in book.layout.rows:
            continue
        value = figure(book.dataset, indicator.ref, book.month)
        previous = [
            figure(book.dataset, indicator.ref, book.month - back)
            for back in range(1, ROLLING_MONTHS + 1)
        ]
        numbers = [float(number) for number in previous if is_number(number)]  # type: ignore[arg-type]
        if not is_number(value) or len(numbers) < MINIMUM_HISTORY:
            continue
        new, high, low = float(value), max(numbers), min(numbers)  # type: ignore[arg-type]
        if unit is Unit.COUNT and max(new, high) < context.config.big_change_minimum:
            continue  # small counts (adoptions, orders) swing widely: not worth a query
        if new > high * factor:
            limit = high * factor
            limit = math.floor(limit) if unit is Unit.COUNT else limit
            expected = (
                f"no more than {factor:g} x the highest of the previous 12 months "
                f"({show_value(high, unit)}), that is {show_value(limit, unit)}"
            )
        elif low > 0 and new < low / factor:
            limit = low / factor
            limit = math.ceil(limit) if unit is Unit.COUNT else limit
            expected = (
                f"no less than the lowest of the previous 12 months ({show_value(low, unit)}) "
                f"divided by {factor:g}, that is {show_value(limit, unit)}"
            )
        else:
            continue
        yield Problem(indicator.ref, book.month, found=show_value(new, unit), expected=expected)


def test_a_figure_within_its_range_passes(check, sample_book):
    assert [f for f in check(sample_book(), "P301") if f.ref == "M1"] == []


def test_a_figure_far_above_its_range_is_queried(check, codes, sample_book, type_into):
    findings = check(type_into(sample_book(), "M1", "2020-08", 2500), "P301")
    m1 = [f for f in findings if f.ref == "M1"]
    assert codes(m1) == ["P301"] and m1[0].found == "2,500"
    assert m1[0].expected.endswith("(1,493), that is 2,239")


def test_a_figure_far_below_its_range_is_queried(check, codes, sample_book, type_into):
    findings = check(type_into(sample_book(), "EH2", "2020-08", 800), "P301")
    eh2 = [f for f in findings if f.ref == "EH2"]
    assert codes(eh2) == ["P301"]
    assert eh2[0].expected.endswith("(1,292) divided by 1.5, that is 862")  # a whole count


def test_a_rate_follows_its_count(check, sample_book, type_into):
    findings = check(type_into(sample_book(), "CP1", "2020-08", 300), "P301")
    assert sorted(f.ref for f in findings if f.ref.startswith("CP1")) == ["CP1", "CP1-NI"]


def test_too_little_history_is_not_queried(check, sample_book, type_into):
    book = sample_book("2020-04")
    for back in range(3, 13):  # leave only Feb-20 and Mar-20 before Apr-20
        type_into(book, "M1", (Month(2020, 4) - back).iso, None)
    book = type_into(book, "M1", "2020-04", 9000)
    assert [f for f in check(book, "P301") if f.ref == "M1"] == []


def test_small_counts_swinging_are_not_queried(check, sample_book, type_into):
    # LAC12 (val) went 0 -> 6 in Aug-20: below the big-change minimum of 20, so no query
    assert check(type_into(sample_book(), "LAC12 (val)", "2020-08", 7), "P301") == []
