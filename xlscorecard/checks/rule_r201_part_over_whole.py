"""R201: a numerator (a part) is never larger than its denominator (the whole)."""

from __future__ import annotations

from collections.abc import Iterator

from ..calc.figures import HISTORY_MONTHS, figure, is_number
from ..model import POPULATION
from ..model.months import window
from . import Context, Problem, Severity, rule


def _pairs(context: Context) -> list[tuple[tuple[str, ...], str]]:
    """(parts, whole): every derived indicator's numerator and denominator, then at_most."""
    pairs: list[tuple[tuple[str, ...], str]] = []
    for indicator in context.book.dataset.indicators:
        if indicator.is_derived and indicator.denominator not in (None, POPULATION):
            pairs.append((indicator.numerator, indicator.denominator))  # type: ignore[arg-type]
    for item in context.config.at_most:
        pairs.append(((item.part,), item.whole))
    return list(dict.fromkeys(pairs))


@rule(
    code="R201",
    severity=Severity.ERROR,
    message="A figure counted as part of another is larger than the figure it is part of.",
    fields=("value",),
)
def parts_within_wholes(context: Context) -> Iterator[Problem]:
    book = context.book
    for parts, whole in _pairs(context):
        for month in window(book.month, HISTORY_MONTHS):
            figures = [figure(book.dataset, ref, month) for ref in parts]
            base = figure(book.dataset, whole, month)
            if not all(is_number(value) for value in [*figures, base]):
                continue
            total = sum(figures)  # type: ignore[arg-type]
            if total <= base:  # type: ignore[operator]
                continue
            what = " + ".join(parts)
            first = parts[0]
            yield Problem(
                first, month,
                found=f"{what} is {total:,.0f}, more than {whole} ({base:,.0f})",
                expected=f"at most {whole} ({base:,.0f})",
            )  # fmt: skip


def test_parts_no_bigger_than_their_wholes_pass(check, sample_book, type_into):
    book = type_into(sample_book(), "M6-QL (val)", "2020-08", 263)  # all of M2's referrals
    assert check(book, "R201") == []


def test_a_numerator_over_its_denominator_fails(check, codes, sample_book, type_into):
    findings = check(type_into(sample_book(), "M6-QL (val)", "2020-07", 400), "R201")
    assert codes(findings) == ["R201"]
    assert findings[0].found == "M6-QL (val) is 400, more than M2 (388)"
    assert findings[0].expected == "at most M2 (388)"
    assert findings[0].cell == "Dataset!Q12"


def test_a_configured_part_over_its_whole_fails(check, codes, sample_book, type_into):
    # CP5-QL (val) <= CP4 (val) comes from council.toml, not from a derived indicator
    findings = check(type_into(sample_book(), "CP5-QL (val)", "2020-08", 18), "R201")
    assert codes(findings) == ["R201"] and findings[0].expected == "at most CP4 (val) (17)"
