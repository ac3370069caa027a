"""The published editions' own inconsistencies, each with the explanation that must hold.

Where our figure differs from the printed one, :data:`KNOWN` names the case and a check that
the stated reason really explains the printed figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from xlscorecard.calc import figures as calc
from xlscorecard.calc.figures import ROLLING_MONTHS, pct_change, report_row
from xlscorecard.model import Dataset, Unit
from xlscorecard.model.months import Month, window

from .editions import Printed, edition, printed_months

FIGURES = ["pct_prev", "pct_yoy", "avg12", "max12"]


def computed(sample: Dataset, ref: str, month: Month) -> dict[str, float | None]:
    row = report_row(sample, sample.indicator(ref), month)
    return {
        "pct_prev": row.from_previous.value,
        "pct_yoy": row.from_last_year.value,
        "avg12": row.average,
        "max12": row.maximum,
    }


def agrees(printed: Printed, value: float | None) -> bool:
    if printed.text in {"n/a", "-"}:
        return value is None
    if value is None or printed.number is None:
        return False
    return abs(value - printed.number) <= printed.half_step + 1e-9


# -- the explanations -----------------------------------------------------------------------
def shown(sample: Dataset, ref: str, month: Month) -> float | None:
    """The figure as the edition shows it: rounded to whole numbers (percent: whole %)."""
    value = calc.figure(sample, ref, month)
    if not calc.is_number(value):
        return None
    step = 0.01 if sample.indicator(ref).unit is Unit.PERCENT else 1.0
    return math.floor(value / step + 0.5) * step  # type: ignore[operator]


def base_offset(figure: str) -> int:
    return 1 if figure == "pct_prev" else ROLLING_MONTHS


def on_rounded_figures(sample: Dataset, ref: str, month: Month, figure: str) -> float | None:
    """The figure computed as some source rows evidently were: on the rounded, shown figures."""
    if figure.startswith("pct"):
        return pct_change(
            shown(sample, ref, month), shown(sample, ref, month - base_offset(figure))
        )
    shown_months = [shown(sample, ref, m) for m in window(month, ROLLING_MONTHS)]
    numbers = [v for v in shown_months if v is not None]
    return (sum(numbers) / len(numbers)) if figure == "avg12" else max(numbers)


def rounded_basis(sample: Dataset, ref: str, month: Month, figure: str, printed: Printed) -> bool:
    return agrees(printed, on_rounded_figures(sample, ref, month, figure))


def within_rounding_of_inputs(
    sample: Dataset, ref: str, month: Month, figure: str, printed: Printed
) -> bool:
    """An input percentage is stored as printed (whole %); the source computed the change on
    its unrounded figures. The printed change must lie in the range the rounding allows."""
    new = calc.figure(sample, ref, month)
    old = calc.figure(sample, ref, month - base_offset(figure))
    half = 0.005
    low = (new - half) / (old + half) - 1  # type: ignore[operator]
    high = (new + half) / (old - half) - 1  # type: ignore[operator]
    return low - printed.half_step <= printed.number <= high + printed.half_step  # type: ignore[operator]


def older_denominator(
    sample: Dataset, ref: str, month: Month, figure: str, printed: Printed
) -> bool:
    """The source's rates for months before Oct-19 used a smaller 0-17 population than the one
    that reproduces every rate printed from Oct-19 on: the printed figure is higher than ours."""
    ours = computed(sample, ref, month)[figure]
    if figure == "pct_yoy":  # a higher year-ago rate gives a bigger fall
        return printed.number < ours  # type: ignore[operator]
    return printed.number > ours  # type: ignore[operator]


def printed_as_dash(sample: Dataset, ref: str, month: Month, figure: str, printed: Printed) -> bool:
    """The edition prints "-" although all 12 months are shown with figures."""
    return printed.text == "-" and all(
        calc.is_number(calc.figure(sample, ref, m)) for m in printed_months(month.iso)
    )


def impossible_average(
    sample: Dataset, ref: str, month: Month, figure: str, printed: Printed
) -> bool:
    """The edition's own commentary says 4 arrivals in 12 months: an average of 1 cannot be."""
    numbers = [calc.figure(sample, ref, m) for m in window(month, ROLLING_MONTHS)]
    return sum(n for n in numbers if calc.is_number(n)) <= 6 and printed.number == 1  # type: ignore[misc]


def contradicts_its_parts(
    sample: Dataset, ref: str, month: Month, figure: str, printed: Printed
) -> bool:
    """Our numerator and denominator reproduce their own printed figures, so the derived
    figure follows from them; the printed derived figure does not (the source disagrees
    with itself)."""
    indicator = sample.indicator(ref)
    parts = [*indicator.numerator]
    if indicator.denominator in sample.refs:
        parts.append(indicator.denominator)
    return all(
        agrees(Printed(edition(month.iso)[part][figure]), computed(sample, part, month)[figure])
        for part in parts
    )


Explanation = Callable[[Dataset, str, Month, str, Printed], bool]

ROUNDED = (rounded_basis, "computed by the source on the rounded figures it prints")
UNROUNDED = (within_rounding_of_inputs, "computed by the source on unrounded percentages")
OLDER = (older_denominator, "months before Oct-19 used an older, smaller 0-17 population")
PARTS = (contradicts_its_parts, "the source's figure disagrees with its own parts' figures")

M2_NI = (
    OLDER[0],
    OLDER[1] + ": M2-NI's 2019 rates do not come from M2 / 50,832 (they imply another denominator)",
)


def _because(kind: tuple[Explanation, str], detail: str) -> tuple[Explanation, str]:
    return kind[0], f"{kind[1]}: {detail}"


KNOWN: dict[tuple[str, str, str], tuple[Explanation, str]] = {
    ("M6-QL", "2020-04", "pct_prev"): ROUNDED,
    ("M6-QL", "2020-04", "pct_yoy"): _because(
        PARTS,
        "M6-QL (val)'s -75% and M2's -29% put Apr-19 at 40/400-405 = 10%, giving -65% "
        "(-70% on rounded figures); the printed -63% needs 418-429 referrals",
    ),
    ("M6-QL", "2020-08", "pct_prev"): ROUNDED,
    ("M6-QL", "2020-08", "pct_yoy"): _because(ROUNDED, "7% against 2% = +250%; unrounded +211%"),
    ("CP1-NI", "2020-04", "pct_prev"): ROUNDED,
    ("CP1-NI", "2020-04", "pct_yoy"): _because(ROUNDED, "20 against 20; CP1 itself rose 3%"),
    ("CP6B-NI", "2020-04", "pct_prev"): ROUNDED,
    ("CP6B-NI", "2020-04", "pct_yoy"): _because(ROUNDED, "78 against 65; CP6B itself rose 22%"),
    ("CP6B-NI", "2020-04", "avg12"): _because(
        PARTS, "CP6B's printed average 429 caps the rate's average at 84.49 at 50,832"
    ),
    ("CP6B-NI", "2020-08", "pct_prev"): ROUNDED,
    ("LAC1-NI", "2020-04", "pct_prev"): ROUNDED,
    ("EH3a%", "2020-04", "pct_prev"): UNROUNDED,
    ("EH3b%", "2020-04", "pct_prev"): UNROUNDED,
    ("EH3c%", "2020-04", "pct_prev"): UNROUNDED,
    ("EH3d%", "2020-04", "pct_prev"): UNROUNDED,
    ("EH3e%", "2020-04", "pct_prev"): UNROUNDED,
    ("NI147", "2020-04", "pct_prev"): UNROUNDED,
    ("EH3a%", "2020-08", "pct_prev"): UNROUNDED,
    ("EH3d%", "2020-08", "pct_prev"): UNROUNDED,
    ("EH3e%", "2020-08", "pct_prev"): UNROUNDED,
    ("CP5-QL", "2020-08", "pct_prev"): UNROUNDED,
    ("NI147", "2020-08", "pct_prev"): UNROUNDED,
    ("M2-NI", "2020-04", "pct_yoy"): M2_NI,
    ("M2-NI", "2020-04", "avg12"): M2_NI,
    ("M2-NI", "2020-04", "max12"): M2_NI,
    ("M2-NI", "2020-08", "pct_yoy"): M2_NI,
    ("M2-NI", "2020-08", "avg12"): M2_NI,
    ("M2-NI", "2020-08", "max12"): M2_NI,
    ("LAC16", "2020-04", "avg12"): (printed_as_dash, "the source printed '-' with 12 months shown"),
    ("LAC16", "2020-04", "max12"): (printed_as_dash, "the source printed '-' with 12 months shown"),
    ("LAC14", "2020-04", "avg12"): (
        impossible_average,
        "the source printed an impossible average: the Apr-20 commentary says only 4 new UASC "
        "since May 2019, all in printed months, so the average is 4/12",
    ),
    ("CP2-NI", "2020-04", "pct_yoy"): _because(
        PARTS,
        "no whole number of Apr-19 ICPCs gives -42%: CP2's -41% allows only 46 (-41.3%), "
        "and 47 would give -42.6%",
    ),
}
"""Every printed figure of the editions that our figures do not reproduce, with why; the one
list of the source's quirks (the reconstructed months' tests and the printed-figure tests both
read it)."""


FIGURE_WORDS = {
    "pct_prev": "% change from last month",
    "pct_yoy": "% change from a year earlier",
    "avg12": "12-month average",
    "max12": "12-month maximum",
}


def _ours(sample: Dataset, ref: str, month: Month, figure: str) -> str:
    value = computed(sample, ref, month)[figure]
    if value is None:
        return "n/a"
    if figure.startswith("pct") or sample.indicator(ref).unit is Unit.PERCENT:
        return f"{value:.1%}"
    return f"{value:,.2f}"


def differences_table(sample: Dataset) -> str:
    """docs/editions.md's table: each of :data:`KNOWN`, what is printed, ours, and why."""
    lines = [
        "| ref | edition | figure | printed | xlscorecard | why |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for (ref, iso, figure), (_, why) in KNOWN.items():
        month = Month.parse(iso)
        printed = edition(iso)[ref][figure].strip() or "(blank)"
        ours = _ours(sample, ref, month, figure)
        lines.append(
            f"| {ref} | {month.label} | {FIGURE_WORDS[figure]} | {printed} | {ours} | {why} |"
        )
    return "\n".join(lines)
