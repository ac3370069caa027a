"""C403: a special cause of concern in the report month (the Variation column) needs a comment."""

from __future__ import annotations

from collections.abc import Iterator

from ..calc.spc_report import IndicatorSpc, spc_report
from ..model.spc_config import SpcConfig
from ..model.values import show_value
from ..spc import LIMIT, SHIFT, TREND, TWO_OF_THREE
from ..workbook.layout import SHEET, Field
from . import Context, Problem, Severity, rule


def _reasons(result: IndicatorSpc, config: SpcConfig) -> list[str]:
    """What makes the report month a concern, in words."""
    point, unit = result.chart.points[-1], result.indicator.unit
    high = result.chart.improvement == "down"  # a concern upwards when lower is better
    rules = point.high if high else point.low
    side = "above" if high else "below"
    limit = point.upper if high else point.lower
    trend = config.trend_length or config.run_length
    words = {
        LIMIT: f"{side} the {'upper' if high else 'lower'} process limit "
        f"({show_value(limit, unit)})",
        SHIFT: f"{config.run_length} or more months in a row {side} the mean "
        f"({show_value(point.mean, unit)})",
        TREND: f"{trend} or more months in a row each {'higher' if high else 'lower'} than the "
        "one before",
        TWO_OF_THREE: f"two of three months near the {'upper' if high else 'lower'} limit",
    }
    return [words[name] for name in (LIMIT, SHIFT, TREND, TWO_OF_THREE) if name in rules]


@rule(
    code="C403",
    severity=Severity.QUERY,
    message=(
        "The month shows a special cause of concern (SPC, the Variation column): say in the "
        "commentary what caused it, or give a reason on Checks."
    ),
    fields=("commentary",),
)
def special_cause_concerns_have_commentary(context: Context) -> Iterator[Problem]:
    book = context.book
    config = book.dataset.settings.spc
    for ref, result in spc_report(book.dataset, book.month).items():
        if ref not in book.commentary_cells or book.commentary_cells[ref]:
            continue  # a moved row (I502), or there is a comment
        if result.variation != "concern":
            continue
        yield Problem(
            ref, book.month,
            found=f"no comment, with {show_value(result.latest, result.indicator.unit)}: "
            + "; ".join(_reasons(result, config)),
            expected=f"a comment for {book.month.label} on what caused it",
            field=Field.COMMENTARY,
        )  # fmt: skip


def test_a_concern_with_a_comment_passes(check, sample_book):
    book = sample_book("2020-04")  # CP8-QL is below its lower limit in Apr-20, with a comment
    result = spc_report(book.dataset, book.month)["CP8-QL"]
    assert result.variation == "concern" and book.commentary_cells["CP8-QL"]
    assert [f for f in check(book, "C403") if f.ref == "CP8-QL"] == []


def test_common_cause_or_improvement_without_a_comment_passes(check, sample_book):
    book = sample_book()
    report = spc_report(book.dataset, book.month)
    assert report["M1"].variation == "common" and report["M8-QL"].variation == "improvement"
    book.commentary_cells["M1"] = book.commentary_cells["M8-QL"] = ""
    assert [f for f in check(book, "C403") if f.ref in ("M1", "M8-QL")] == []


def test_a_concern_without_a_comment_is_a_query_naming_the_rule(check, sample_book):
    book = sample_book("2020-04")
    book.commentary_cells["CP8-QL"] = ""
    (finding,) = [f for f in check(book, "C403") if f.ref == "CP8-QL"]
    assert finding.severity is Severity.QUERY
    assert finding.cell == f"{SHEET}!{book.layout.cell('CP8-QL', Field.COMMENTARY)}"
    assert finding.found.startswith("no comment, with ") and "below the lower process limit (" in (
        finding.found
    )


def test_a_figure_typed_below_the_lower_limit_is_queried_until_commented(
    check, codes, sample_book, type_into
):
    book = type_into(sample_book(), "M8-QL", "2020-08", "40%")  # higher is better
    book.commentary_cells["M8-QL"] = ""
    assert codes([f for f in check(book, "C403") if f.ref == "M8-QL"]) == ["C403"]
    book.commentary_cells["M8-QL"] = "A new case system went live this month."
    assert [f for f in check(book, "C403") if f.ref == "M8-QL"] == []


def test_a_shift_where_lower_is_better_is_described_upwards(check, sample_book, type_into):
    book = sample_book("2020-04")  # EH2 (lower is better): typed well above its mean
    result = spc_report(book.dataset, book.month)["EH2"]
    for offset in range(6):
        type_into(book, "EH2", (book.month - offset).iso, round(result.chart.mean * 1.2))
    book.commentary_cells["EH2"] = ""
    (finding,) = [f for f in check(book, "C403") if f.ref == "EH2"]
    assert "6 or more months in a row above the mean" in finding.found
