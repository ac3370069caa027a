"""Every derived figure the two editions print is reproduced from samples/, within rounding.

Where the published source is itself inconsistent, the case is named in KNOWN with the reason,
and the test checks that the reason really explains the printed figure. A listed case that
starts to agree with our calculation fails too, so the list cannot go stale.
"""

from __future__ import annotations

import pytest

from tests.support.editions import EDITIONS, Printed, edition, printed_months
from tests.support.paths import SAMPLE
from tests.support.quirks import FIGURES, KNOWN, agrees, computed
from xlscorecard.calc import figures as calc
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.model.months import Month

SAMPLE_DATA = load_data_dir(SAMPLE)


CASES = [(month, ref) for month in EDITIONS for ref in edition(month)]


@pytest.mark.parametrize(("month", "ref"), CASES, ids=[f"{m}-{r}" for m, r in CASES])
def test_derived_columns_match_the_edition(month, ref):
    printed_row = edition(month)[ref]
    figures = computed(SAMPLE_DATA, ref, Month.parse(month))
    wrong = []
    for figure in FIGURES:
        printed = Printed(printed_row[figure])
        ok = agrees(printed, figures[figure])
        if (ref, month, figure) in KNOWN:
            explain, reason = KNOWN[(ref, month, figure)]
            assert not ok, f"{ref} {month} {figure} is listed as a source quirk but now agrees"
            assert explain(SAMPLE_DATA, ref, Month.parse(month), figure, printed), (
                f"{ref} {month} {figure}: printed {printed.text}, ours {figures[figure]!r}; "
                f"the listed reason ({reason}) does not explain it"
            )
        elif not ok:
            wrong.append(f"{figure}: printed {printed.text}, computed {figures[figure]!r}")
    assert not wrong, f"{ref} ({month} edition): " + "; ".join(wrong)


def test_every_known_case_names_a_real_indicator_and_figure():
    for ref, month, figure in KNOWN:
        assert ref in edition(month) and figure in FIGURES


DERIVED_REFS = [item.ref for item in SAMPLE_DATA.indicators if item.is_derived]
DERIVED_CASES = [
    (month, ref, when.iso)
    for month in EDITIONS
    for ref in DERIVED_REFS
    for when in printed_months(month)
]


@pytest.mark.parametrize(
    ("month", "ref", "when"), DERIVED_CASES, ids=[f"{m}-{r}-{w}" for m, r, w in DERIVED_CASES]
)
def test_derived_monthly_figures_match_the_edition(month, ref, when):
    printed = Printed(edition(month)[ref][when])
    value = calc.figure(SAMPLE_DATA, ref, Month.parse(when))
    assert agrees(printed, value if isinstance(value, float) else None), (
        f"{ref} {when}: printed {printed.text}, calculated {value!r}"
    )
