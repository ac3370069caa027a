"""Each indicator's SPC as the workbook shows it: its full history, its direction, its target,
the council's [spc] settings, and the words of the Variation and Assurance cells."""

from __future__ import annotations

import copy

import pytest

from xlscorecard.calc.figures import figure
from xlscorecard.calc.spc_report import (
    NO_FIGURE,
    VARIATION_WORDS,
    indicator_spc,
    series,
    spc_report,
    spc_table,
    target_for,
)
from xlscorecard.checks.testing import sample_dataset
from xlscorecard.model import NOT_APPLICABLE, Month
from xlscorecard.model.spc_config import read_spc
from xlscorecard.spc import xmr

AUG, APR = Month(2020, 8), Month(2020, 4)


@pytest.fixture
def dataset():
    return sample_dataset()


def with_spc(dataset, **table):
    changed = copy.deepcopy(dataset)
    changed.settings.spc = read_spc(table, set(changed.refs))
    return changed


def test_a_series_is_every_month_up_to_the_report_month_not_just_the_sheets_13(dataset):
    months, values = series(dataset, dataset.indicator("M1"), AUG)
    assert months[0] == Month(2019, 4) and months[-1] == AUG and len(months) == 17
    assert values == [dataset.values[("M1", each)] for each in months]
    months, _ = series(dataset, dataset.indicator("M1"), APR)
    assert months[-1] == APR and len(months) == 13  # later months in History are left out


def test_a_derived_indicators_series_is_its_calculated_figures(dataset):
    months, values = series(dataset, dataset.indicator("M3"), AUG)  # M2 / M1
    assert values == [pytest.approx(figure(dataset, "M3", each)) for each in months]
    assert values[-1] == pytest.approx(263 / 1343)


def test_a_blank_or_not_applicable_month_is_a_missing_point(dataset):
    del dataset.values[("M1", Month(2019, 12))]
    dataset.values[("M1", Month(2020, 1))] = NOT_APPLICABLE
    months, values = series(dataset, dataset.indicator("M1"), AUG)
    assert values[months.index(Month(2019, 12))] is None
    assert values[months.index(Month(2020, 1))] is None
    assert len(months) == 17


def test_the_analysis_is_xmr_of_the_series_with_the_indicators_polarity(dataset):
    for ref, improvement in (("M8-QL", "up"), ("EH2", "down"), ("M1", "none")):
        result = indicator_spc(dataset, dataset.indicator(ref), AUG)
        _, values = series(dataset, dataset.indicator(ref), AUG)
        assert result.chart == xmr(values, improvement, target=result.target), ref


def test_the_target_is_the_report_years_or_the_last_year_the_sheet_has(dataset):
    indicator = dataset.indicator
    assert target_for(dataset, indicator("LAC1"), Month(2019, 8)) == 420  # 2019-20
    assert target_for(dataset, indicator("LAC1"), Month(2018, 8)) == 495  # 2018-19
    assert target_for(dataset, indicator("LAC1"), AUG) == 420  # 2020-21 has none yet: 2019-20
    assert target_for(dataset, indicator("LAC9 (val)"), AUG) is None  # TBC
    assert target_for(dataset, indicator("LAC6 (val)"), AUG) is None  # only 2017-18's
    assert target_for(dataset, indicator("M1"), AUG) is None


def test_recalculation_months_in_the_settings_start_a_new_segment(dataset):
    changed = with_spc(dataset, minimum_points=3, recalculate={"LAC1": ["2020-01"]})
    result = spc_report(changed, AUG)["LAC1"]
    starts = [result.months[segment.start] for segment in result.chart.segments]
    assert starts == [Month(2019, 4), Month(2020, 1)]
    assert result.chart.mean == pytest.approx(
        sum(changed.values[("LAC1", Month(2020, m))] for m in range(1, 9)) / 8
    )


def test_a_recalculation_outside_the_series_is_left_out(dataset):
    changed = with_spc(dataset, recalculate={"LAC1": ["2015-01", "2021-01"]})
    assert len(spc_report(changed, AUG)["LAC1"].chart.segments) == 1


def test_a_baseline_in_the_settings_fixes_the_limits_from_the_first_months(dataset):
    result = spc_report(with_spc(dataset, baseline={"LAC1": 12}), AUG)["LAC1"]
    _, values = series(dataset, dataset.indicator("LAC1"), AUG)
    assert result.chart.segments[0].baseline == 12
    assert result.chart.mean == pytest.approx(sum(values[:12]) / 12)


def test_the_run_length_and_minimum_points_come_from_the_settings(dataset):
    result = spc_report(with_spc(dataset, minimum_points=20, run_length=7), AUG)["M1"]
    assert result.chart.mean is None and result.variation_text == "Too few months (17 of 20)"
    _, values = series(dataset, dataset.indicator("EH2"), AUG)
    seven = spc_report(with_spc(dataset, run_length=7), AUG)["EH2"].chart
    assert seven == xmr(values, "down", run_length=7)


def test_the_variation_cell_says_the_icon_in_words(dataset):
    report = spc_report(dataset, AUG)
    assert report["M8-QL"].variation_text == "● Improvement (high)"
    assert report["EH2"].variation_text == "● Improvement (low)"
    assert report["M3"].variation_text == "● Neither (low)"
    assert report["LAC11-QL (%)"].variation_text == "● Concern (low)"
    assert report["M1"].variation_text == "○ Common cause"
    assert report["CP2b %"].variation_text == "Too few months (11 of 13)"
    assert {result.variation_icon for result in report.values()} - {None} <= set(VARIATION_WORDS)


def test_a_report_month_without_a_figure_says_so_rather_than_last_months_icon(dataset):
    del dataset.values[("M8-QL", AUG)]
    result = spc_report(dataset, AUG)["M8-QL"]
    assert result.chart.variation_icon == "improvement-high"  # July's, the latest figure
    assert result.variation_icon is None and result.variation_text == NO_FIGURE


def test_the_assurance_cell_needs_a_target_and_a_direction(dataset):
    report = spc_report(dataset, AUG)
    assert report["LAC1"].assurance_text == "● Fail"  # lower is better; 420 below the limits
    assert report["NI147"].assurance_text == "● Fail"  # 94% above 78.6% to 87.3%
    assert report["M1"].assurance_text is None
    dataset.targets[("LAC1", "2020-21")] = 600
    assert spc_report(dataset, AUG)["LAC1"].assurance_text == "● Pass"
    dataset.targets[("LAC1", "2020-21")] = 500
    assert spc_report(dataset, AUG)["LAC1"].assurance_text == "○ Hit or miss"


def test_the_table_lists_latest_mean_limits_variation_and_assurance(dataset):
    report = spc_report(dataset, AUG)
    lines = spc_table({ref: report[ref] for ref in ("LAC1", "NI147")}, AUG)
    assert lines[1].split() == ["ref", "latest", "mean", "lower", "limit", "upper", "limit",
                                "variation", "assurance"]  # fmt: skip
    assert lines[2].split() == ["LAC1", "493", "499.1", "481.0", "517.2", "○", "Common",
                                "cause", "●", "Fail", "(target", "420)"]  # fmt: skip
    assert lines[3].split()[:5] == ["NI147", "84%", "82.9%", "78.6%", "87.3%"]
