"""P302: a count that moves a lot from last month."""

from __future__ import annotations

from collections.abc import Iterator

from ..calc.figures import figure, is_number, pct_change
from ..model import Unit
from . import Context, Problem, Severity, rule


@rule(
    code="P302",
    severity=Severity.QUERY,
    message="This count has changed a lot since last month: check it is right.",
    fields=("value",),
)
def no_big_jumps(context: Context) -> Iterator[Problem]:
    book, config = context.book, context.config
    before = book.month - 1
    for indicator in book.dataset.indicators:
        if indicator.unit is not Unit.COUNT or indicator.ref not in book.layout.rows:
            continue
        new = figure(book.dataset, indicator.ref, book.month)
        old = figure(book.dataset, indicator.ref, before)
        if not (is_number(new) and is_number(old)):
            continue
        if max(new, old) < config.big_change_minimum:  # type: ignore[type-var, operator]
            continue
        change = pct_change(new, old)
        if change is None:  # from 0
            moved = f"up from 0 in {before.label}"
        elif abs(change) >= config.big_change - 1e-9:
            word = "a rise" if change > 0 else "a fall"
            moved = f"{word} of {abs(change):.0%} from {old:,.0f} in {before.label}"  # type: ignore[str-format]
        else:
            continue
        yield Problem(
            indicator.ref, book.month,
            found=f"{new:,.0f}, {moved}",  # type: ignore[str-format]
            expected=(
                f"a change of less than {config.big_change:.0%} from last month, "
                "or a reason for it"
            ),
        )  # fmt: skip


def test_a_steady_count_passes(check, sample_book):
    assert [f for f in check(sample_book(), "P302") if f.ref == "M1"] == []


def test_a_big_change_between_small_numbers_passes(check, sample_book):
    # M5: 13 in Jul-20 and 4 in Aug-20 is a fall of 69%, but neither month reaches 20
    assert [f for f in check(sample_book(), "P302") if f.ref == "M5"] == []


def test_a_big_change_is_queried(check, codes, sample_book):
    findings = [f for f in check(sample_book(), "P302") if f.ref == "LAC3"]
    assert codes(findings) == ["P302"]
    assert findings[0].found == "24, a rise of 300% from 6 in Jul-20"


def test_a_rise_from_zero_is_queried(check, codes, sample_book, type_into):
    book = type_into(sample_book(), "LAC14", "2020-08", 25)
    findings = [f for f in check(book, "P302") if f.ref == "LAC14"]
    assert codes(findings) == ["P302"] and findings[0].found == "25, up from 0 in Jul-20"
