"""xlscorecard.spc, the MDC XmR core: one behaviour of the spec per test.

Most rule tests append months to STEADY, a quiet 16-month process whose mean (10) and
limits (4.68 and 15.32) are fixed by ``baseline=16``: one sigma is 2.66 / 3 x 2 = 1.7733, so
the two-sigma lines are 13.5467 and 6.4533. STEADY ends on its mean, so nothing appended
joins a run inside it. Reference cases from MDC, NHSRplotthedots and PowerBI-SPC are in
tests/fixtures/spc (see its README for provenance).
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlscorecard.spc import XmR, assurance_icon, xmr

FIXTURES = Path(__file__).parent / "fixtures" / "spc"

STEADY = [10, 10, 12, 9, 11, 12, 8, 10, 8, 10, 12, 10, 9, 11, 8, 10]
N = len(STEADY)


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def after_steady(extra: list, improvement: str = "up", **options) -> XmR:
    """The chart of STEADY then ``extra``, judged against STEADY's mean and limits."""
    return xmr(STEADY + extra, improvement, baseline=N, **options)


def flagged(chart: XmR, rule: str, side: str = "high", offset: int = N) -> list[int]:
    """Indexes (counted from ``offset``) of the months ``rule`` flags on ``side``."""
    return [i - offset for i, p in enumerate(chart.points) if rule in getattr(p, side)]


def variations(chart: XmR, offset: int = N) -> list[str | None]:
    return [p.variation for p in chart.points[offset:]]


# The reference cases ------------------------------------------------------------------------------

MDC = load("mdc_worked_example.json")
NHSR = load("nhsrplotthedots.json")
PBI = load("powerbi_spc.json")


def test_mdc_worked_example_gives_mean_23_20_and_limits_8_76_and_37_64():
    chart = xmr(MDC["values"], MDC["improvement"])
    want = MDC["expected"]
    got = {k: round(getattr(chart, k), want["decimals"]) for k in ("mean", "lower", "upper")}
    assert got == {"mean": 23.20, "lower": 8.76, "upper": 37.64}


def test_mdc_worked_example_mean_moving_range_is_the_mean_month_to_month_difference():
    chart = xmr(MDC["values"], MDC["improvement"])
    ranges = MDC["moving_ranges"]
    assert chart.segments[0].mean_moving_range == pytest.approx(sum(ranges) / len(ranges))


def test_mdc_worked_example_is_all_common_cause():
    chart = xmr(MDC["values"], MDC["improvement"])
    assert {p.variation for p in chart.points} == {"common"}
    assert chart.variation_icon == "common"


@pytest.mark.parametrize("case", NHSR["limits"], ids=[c["id"] for c in NHSR["limits"]])
def test_nhsrplotthedots_documented_limits_and_point_types(case):
    chart = xmr(case["values"], case["improvement"], **case["options"])
    want = case["expected"]
    for line in ("mean", "lower", "upper"):
        if line not in want:
            continue
        if "decimals" in want:
            assert round(getattr(chart, line), want["decimals"]) == want[line], line
        else:
            assert getattr(chart, line) == pytest.approx(want[line], abs=want["abs_tol"]), line
    if "side_of_mean_starts" in case:
        sides = [1 if p.value > chart.mean else -1 for p in chart.points]
        assert sides[: len(case["side_of_mean_starts"])] == case["side_of_mean_starts"]
    if "variation" in case:
        assert [p.variation for p in chart.points] == case["variation"]
    if "variation_ends" in case:
        ends = [p.variation for p in chart.points[-len(case["variation_ends"]) :]]
        assert ends == case["variation_ends"]


def nhsr_rule_chart(case: dict, **options) -> tuple[XmR, int]:
    prefix = case.get("prefix", [])
    settings_ = NHSR["rule_options"]
    kwargs = {"run_length": settings_["run_length"], "minimum_points": settings_["minimum_points"]}
    if prefix:
        kwargs["baseline"] = settings_["baseline_with_prefix"]
    return xmr(prefix + case["values"], "up", **kwargs, **options), len(prefix)


@pytest.mark.parametrize("case", NHSR["rules"], ids=[c["id"] for c in NHSR["rules"]])
def test_nhsrplotthedots_rule_cases_flag_the_same_points(case):
    chart, offset = nhsr_rule_chart(case)
    assert flagged(chart, case["rule"], "high", offset) == case["high"]
    assert flagged(chart, case["rule"], "low", offset) == case["low"]


ISSUE_153 = [c for c in NHSR["rules"] if "mdc_2023_change" in c]


@pytest.mark.parametrize("case", ISSUE_153, ids=[c["id"] for c in ISSUE_153])
def test_issue_153_cases_under_mdc_2023_change_where_nhsrplotthedots_disagrees(case):
    chart, offset = nhsr_rule_chart(case, two_of_three_counts_beyond_limits=True)
    assert flagged(chart, case["rule"], "high", offset) == case["mdc_2023_change"]["high"]


@pytest.mark.parametrize("case", NHSR["assurance"], ids=[c["id"] for c in NHSR["assurance"]])
def test_nhsrplotthedots_assurance_cases(case):
    icon = assurance_icon(case["target"], case["lower"], case["upper"], case["improvement"])
    assert icon == case["expected"]


@pytest.mark.parametrize("case", PBI["trend"], ids=[c["id"] for c in PBI["trend"]])
def test_powerbi_spc_trend_cases_flag_the_same_points(case):
    chart = xmr(case["values"], "up", trend_length=case["n"], minimum_points=2)
    assert flagged(chart, "trend", "high", 0) == case["high"]
    assert flagged(chart, "trend", "low", 0) == case["low"]


@pytest.mark.parametrize("case", PBI["assurance"], ids=[c["id"] for c in PBI["assurance"]])
def test_powerbi_spc_assurance_cases(case):
    icon = assurance_icon(case["target"], case["lower"], case["upper"], case["improvement"])
    assert icon == case["expected"]


# Limits -------------------------------------------------------------------------------------------


def test_limits_are_the_mean_plus_and_minus_2_66_mean_moving_ranges():
    chart = xmr(STEADY, "up")
    assert (chart.mean, chart.segments[0].mean_moving_range) == (10, 2)
    assert (chart.lower, chart.upper) == (pytest.approx(4.68), pytest.approx(15.32))


def test_sigma_is_a_third_of_the_distance_to_a_limit():
    segment = xmr(STEADY, "up").segments[0]
    assert segment.sigma == pytest.approx((segment.upper - segment.mean) / 3)
    assert segment.sigma == pytest.approx(2 / 1.128, rel=1e-3)


def test_every_point_carries_its_segments_mean_and_limits():
    chart = xmr(STEADY, "up")
    assert {(p.mean, p.lower, p.upper) for p in chart.points} == {
        (chart.mean, chart.lower, chart.upper)
    }


def test_a_constant_series_has_limits_on_its_mean_and_only_common_cause():
    chart = xmr([7] * 15, "up", target=7)
    assert (chart.mean, chart.lower, chart.upper) == (7, 7, 7)
    assert {p.variation for p in chart.points} == {"common"}
    assert chart.assurance_icon == "hit-or-miss"


# A point beyond a process limit -------------------------------------------------------------------


def test_a_point_above_the_upper_limit_is_improvement_when_up_is_better():
    chart = after_steady([16])
    assert (flagged(chart, "limit"), variations(chart)) == ([0], ["improvement"])


def test_a_point_below_the_lower_limit_is_concern_when_up_is_better():
    chart = after_steady([4])
    assert (flagged(chart, "limit", "low"), variations(chart)) == ([0], ["concern"])


def test_a_point_above_the_upper_limit_is_concern_when_down_is_better():
    assert variations(after_steady([16], "down")) == ["concern"]


def test_a_point_exactly_on_a_limit_is_not_beyond_it():
    chart = after_steady([15.32, 10, 4.68])
    assert variations(chart) == ["common", "common", "common"]


# A shift ------------------------------------------------------------------------------------------


def test_six_points_in_a_row_above_the_mean_are_a_shift_and_all_six_are_flagged():
    chart = after_steady([11, 11.5, 11, 12, 11, 11.5, 9])
    assert flagged(chart, "shift") == [0, 1, 2, 3, 4, 5]
    assert variations(chart) == ["improvement"] * 6 + ["common"]


def test_five_points_in_a_row_above_the_mean_are_not_a_shift():
    chart = after_steady([11, 11.5, 11, 12, 11, 9])
    assert variations(chart) == ["common"] * 6


def test_a_point_on_the_mean_breaks_a_shift():
    chart = after_steady([11, 11.5, 11, 10, 12, 11, 11.5])
    assert variations(chart) == ["common"] * 7


def test_a_shift_of_more_than_six_points_flags_every_point_of_it():
    chart = after_steady([11] * 9 + [9])
    assert flagged(chart, "shift") == list(range(9))


def test_a_shift_below_the_mean_is_concern_when_up_is_better():
    chart = after_steady([9, 8.5, 9, 8, 9, 8.5])
    assert flagged(chart, "shift", "low") == [0, 1, 2, 3, 4, 5]
    assert variations(chart) == ["concern"] * 6


def test_a_shift_below_the_mean_is_improvement_when_down_is_better():
    assert variations(after_steady([9, 8.5, 9, 8, 9, 8.5], "down")) == ["improvement"] * 6


def test_run_length_7_needs_seven_points_for_a_shift():
    six = after_steady([11, 11.5, 11, 12, 11, 11.5, 9], run_length=7)
    seven = after_steady([11, 11.5, 11, 12, 11, 11.5, 11, 9], run_length=7)
    assert flagged(six, "shift") == []
    assert flagged(seven, "shift") == [0, 1, 2, 3, 4, 5, 6]


# A trend ------------------------------------------------------------------------------------------


RISING_ACROSS_THE_MEAN = [9, 9.5, 10.5, 11, 11.5, 12, 11]  # STEADY's last 10 falls to 9


def test_six_points_each_higher_than_the_last_are_a_trend_and_all_six_are_flagged():
    chart = after_steady(RISING_ACROSS_THE_MEAN)
    assert flagged(chart, "trend") == [0, 1, 2, 3, 4, 5]
    assert variations(chart) == ["improvement"] * 6 + ["common"]


def test_a_trend_can_cross_the_mean():
    chart = after_steady(RISING_ACROSS_THE_MEAN)
    below = [p for p in chart.points[N:] if p.value < chart.mean]
    assert below and {p.variation for p in below} == {"improvement"}


def test_five_points_each_higher_than_the_last_are_not_a_trend():
    chart = after_steady([9, 9.5, 10.5, 11, 11.5, 9])
    assert variations(chart) == ["common"] * 6


def test_equal_consecutive_values_break_a_trend():
    chart = after_steady([9, 9.5, 10.5, 10.5, 11, 11.5, 12, 11])
    assert flagged(chart, "trend") == []


def test_a_falling_trend_is_concern_when_up_is_better():
    chart = after_steady([11, 10.5, 9.5, 9, 8.5, 8, 9])
    assert flagged(chart, "trend", "low") == [0, 1, 2, 3, 4, 5]
    assert variations(chart) == ["concern"] * 6 + ["common"]


def test_trend_length_defaults_to_run_length():
    six = after_steady(RISING_ACROSS_THE_MEAN, run_length=7)
    seven = after_steady([9, 9.5, 10, 10.5, 11, 11.5, 12, 11], run_length=7)
    assert (flagged(six, "trend"), flagged(seven, "trend")) == ([], list(range(7)))


def test_trend_length_5_as_powerbi_spc_flags_five_rising_points_while_shifts_stay_six():
    chart = after_steady([9, 9.5, 10.5, 11, 11.5, 9, 11, 11, 11, 11, 11], trend_length=5)
    assert flagged(chart, "trend") == [0, 1, 2, 3, 4]
    assert flagged(chart, "shift") == []


# Two of three beyond two sigma --------------------------------------------------------------------


def test_two_of_three_points_beyond_two_sigma_flag_just_those_two():
    chart = after_steady([14, 11, 14, 10])
    assert flagged(chart, "two_of_three") == [0, 2]
    assert variations(chart) == ["improvement", "common", "improvement", "common"]


def test_three_of_three_points_beyond_two_sigma_flag_all_three():
    chart = after_steady([14, 14.5, 14, 10])
    assert flagged(chart, "two_of_three") == [0, 1, 2]


def test_two_of_three_needs_all_three_on_one_side_of_the_mean_as_mdc_and_nhsr_not_powerbi_spc():
    chart = after_steady([14, 9, 14, 10])
    assert variations(chart) == ["common"] * 4


def test_a_point_on_the_mean_breaks_two_of_three():
    chart = after_steady([14, 10, 14, 10])
    assert variations(chart) == ["common"] * 4


def test_a_point_just_inside_two_sigma_does_not_count_towards_two_of_three():
    chart = after_steady([14, 13.5, 11, 10])
    assert variations(chart) == ["common"] * 4


def test_two_of_three_below_the_mean_is_concern_when_up_is_better():
    chart = after_steady([6, 9, 6, 10])
    assert flagged(chart, "two_of_three", "low") == [0, 2]
    assert variations(chart) == ["concern", "common", "concern", "common"]


def test_a_point_beyond_a_limit_does_not_count_towards_two_of_three_as_the_spec_and_nhsr_say():
    chart = after_steady([16, 14, 11, 10])
    assert flagged(chart, "two_of_three") == []
    assert variations(chart) == ["improvement", "common", "common", "common"]


def test_two_of_three_counts_beyond_limits_option_follows_mdc_announced_2023_change():
    chart = after_steady([16, 14, 11, 10], two_of_three_counts_beyond_limits=True)
    assert flagged(chart, "two_of_three") == [0, 1]
    assert variations(chart) == ["improvement", "improvement", "common", "common"]


# Improvement and concern at once ------------------------------------------------------------------

# Above the mean for six months (a shift up) while falling for six (a trend down).
HIGH_BUT_FALLING = [15, 14.5, 14, 13, 12, 11]


def test_both_improvement_and_concern_shows_improvement_as_mdc_not_by_nhsr_rule_order_when_up():
    chart = after_steady(HIGH_BUT_FALLING, "up")
    assert flagged(chart, "shift") == flagged(chart, "trend", "low") == list(range(6))
    assert variations(chart) == ["improvement"] * 6
    assert chart.variation_icon == "improvement-high"


def test_a_point_both_improvement_and_concern_shows_improvement_when_down_is_better():
    chart = after_steady(HIGH_BUT_FALLING, "down")
    assert variations(chart) == ["improvement"] * 6
    assert chart.variation_icon == "improvement-low"


def test_a_neither_point_flagged_both_ways_takes_the_side_of_its_trend_over_its_shift():
    # MDC does not say; NHSRplotthedots' order (limit, trend, two-of-three, shift) decides.
    chart = after_steady(HIGH_BUT_FALLING, "none")
    assert variations(chart) == ["neither"] * 6
    assert chart.variation_icon == "neither-low"


def test_a_neither_point_beyond_a_limit_takes_the_limits_side_over_its_trend():
    chart = after_steady([19, 18, 17.5, 17, 16.5, 16], "none")
    assert flagged(chart, "trend", "low") == list(range(6))
    assert chart.variation_icon == "neither-high"


# The Variation icon -------------------------------------------------------------------------------


def test_the_variation_icon_comes_from_the_latest_point():
    assert after_steady([16, 10]).variation_icon == "common"
    assert after_steady([10, 16]).variation_icon == "improvement-high"


def test_improvement_shows_high_when_up_is_better_and_low_when_down_is_better():
    assert after_steady([16], "up").variation_icon == "improvement-high"
    assert after_steady([4], "down").variation_icon == "improvement-low"


def test_concern_shows_low_when_up_is_better_and_high_when_down_is_better():
    assert after_steady([4], "up").variation_icon == "concern-low"
    assert after_steady([16], "down").variation_icon == "concern-high"


def test_a_neither_point_above_the_mean_shows_neither_high_and_below_neither_low():
    assert after_steady([16], "none").variation_icon == "neither-high"
    assert after_steady([4], "none").variation_icon == "neither-low"


def test_a_rising_trend_ending_below_the_mean_shows_high():
    chart = after_steady([6.6, 7, 7.5, 8, 8.5, 9], "none")
    assert chart.points[-1].value < chart.mean
    assert chart.variation_icon == "neither-high"


def test_a_falling_trend_ending_above_the_mean_shows_concern_low_when_up_is_better():
    chart = after_steady([13.5, 13, 12.5, 12, 11.5, 11], "up", run_length=7, trend_length=6)
    assert flagged(chart, "shift") == []
    assert chart.variation_icon == "concern-low"


def test_common_cause_shows_common():
    assert xmr(STEADY, "up").variation_icon == "common"


# Direction of improvement -------------------------------------------------------------------------


def test_improvement_none_makes_every_special_cause_neither():
    chart = after_steady([16, 10, 4, 10, *HIGH_BUT_FALLING], "none")
    assert {p.variation for p in chart.points[N:]} == {"neither", "common"}
    assert variations(chart)[:3] == ["neither", "common", "neither"]


@pytest.mark.parametrize("improvement", ["Up", "higher", "", None, "increase"])
def test_an_unknown_improvement_raises_a_value_error_naming_the_choices(improvement):
    with pytest.raises(ValueError, match=r"'up'.*'down'.*'none'"):
        xmr(STEADY, improvement)


# The minimum of 13 points -------------------------------------------------------------------------


def test_under_thirteen_points_there_are_no_limits_and_no_icons():
    chart = xmr(STEADY[:12], "up", target=5)
    assert (chart.mean, chart.lower, chart.upper) == (None, None, None)
    assert {p.variation for p in chart.points} == {None}
    assert (chart.variation_icon, chart.assurance_icon) == (None, None)


def test_thirteen_points_are_enough_for_limits_and_icons():
    chart = xmr(STEADY[:13], "up", target=5)
    assert chart.mean is not None
    assert (chart.variation_icon, chart.assurance_icon) == ("common", "hit-or-miss")


def test_minimum_points_is_an_option():
    assert xmr(STEADY[:12], "up", minimum_points=12).mean is not None
    assert xmr(STEADY, "up", minimum_points=17).mean is None


def test_missing_months_do_not_count_towards_the_minimum():
    assert xmr([*STEADY[:12], None], "up").mean is None


# Missing months -----------------------------------------------------------------------------------


def test_a_missing_month_is_no_point_and_is_left_out_of_the_mean():
    chart = xmr([*STEADY[:8], None, *STEADY[8:]], "up")
    assert chart.points[8].value is None and chart.points[8].variation is None
    assert chart.mean == 10


def test_a_missing_month_breaks_the_moving_ranges_either_side_of_it():
    values = [10, 20, 10, 20, 10, 20, 10, 20, None, 12, 14, 12, 14, 12, 14, 12]
    ranges = [10] * 7 + [2] * 6  # no range from 20 to the gap, nor from the gap to 12
    chart = xmr(values, "up")
    assert chart.segments[0].mean_moving_range == pytest.approx(sum(ranges) / len(ranges))


def test_a_missing_month_breaks_a_shift():
    chart = after_steady([11, 11.5, 11, None, 12, 11, 11.5])
    assert flagged(chart, "shift") == []


def test_a_missing_month_breaks_a_trend():
    chart = after_steady([9, 9.5, 10.5, None, 11, 11.5, 12])
    assert flagged(chart, "trend") == []


def test_a_missing_month_breaks_two_of_three():
    chart = after_steady([14, None, 14, 11])
    assert flagged(chart, "two_of_three") == []


def test_a_missing_latest_month_leaves_the_icon_to_the_latest_figure():
    chart = after_steady([16, None])
    assert chart.points[-1].variation is None
    assert chart.variation_icon == "improvement-high"


def test_nan_is_a_missing_month():
    chart = xmr([*STEADY[:8], math.nan, *STEADY[8:]], "up")
    assert chart.points[8].value is None and chart.mean == 10


# Segments (recalculate_at) ------------------------------------------------------------------------

HIGHER = [x + 10 for x in STEADY]


def test_recalculating_starts_a_segment_with_its_own_mean_and_limits():
    chart = xmr(STEADY + HIGHER, "up", recalculate_at=(N,))
    assert [s.mean for s in chart.segments] == [10, 20]
    assert (chart.points[0].mean, chart.points[-1].mean, chart.mean) == (10, 20, 20)
    assert {p.variation for p in chart.points} == {"common"}


def test_without_recalculating_the_step_is_special_cause():
    chart = xmr(STEADY + HIGHER, "up")
    assert chart.variation_icon == "improvement-high"


def test_a_moving_range_does_not_span_a_recalculation():
    chart = xmr(STEADY + [x + 100 for x in STEADY], "up", recalculate_at=(N,))
    assert chart.segments[1].mean_moving_range == 2


def test_rules_do_not_run_across_a_recalculation():
    first = [*STEADY, 11, 11, 11]
    second = [11, 11, 11, *STEADY]
    assert flagged(xmr(first + second, "up"), "shift", offset=0) == list(range(16, 22))
    split = xmr(first + second, "up", recalculate_at=(len(first),), baseline=(N, None))
    assert flagged(split, "shift", offset=0) == []


def test_assurance_uses_the_latest_segments_limits():
    chart = xmr(STEADY + HIGHER, "up", recalculate_at=(N,), target=18)
    assert (chart.lower, chart.upper) == (pytest.approx(14.68), pytest.approx(25.32))
    assert chart.assurance_icon == "hit-or-miss"
    assert xmr(STEADY, "up", target=18).assurance_icon == "fail"


def test_a_segment_with_fewer_than_the_minimum_points_has_no_limits_or_icons():
    chart = xmr([*STEADY, 16, 16, 16, 16, 16], "up", recalculate_at=(N,), target=12)
    assert chart.segments[0].mean == 10 and chart.segments[1].mean is None
    assert {p.variation for p in chart.points[N:]} == {None}
    assert (chart.mean, chart.variation_icon, chart.assurance_icon) == (None, None, None)


@pytest.mark.parametrize("index", [-1, N, 3.0, "3", True])
def test_recalculate_at_must_hold_indexes_of_the_values(index):
    with pytest.raises(ValueError, match="recalculate_at"):
        xmr(STEADY, "up", recalculate_at=(index,))


def test_recalculating_at_zero_changes_nothing():
    assert xmr(STEADY, "up", recalculate_at=(0,)) == xmr(STEADY, "up")


# Baseline -----------------------------------------------------------------------------------------


def test_baseline_points_fix_the_mean_and_limits_that_later_points_are_judged_against():
    chart = after_steady([20, 20, 20])
    assert (chart.mean, chart.segments[0].baseline) == (10, N)
    assert variations(chart) == ["improvement"] * 3
    assert xmr([*STEADY, 20, 20, 20], "up").mean == pytest.approx(220 / 19)


def test_an_int_baseline_applies_to_every_segment():
    chart = xmr([*STEADY, 20, 20, *HIGHER, 30, 30], "up", recalculate_at=(N + 2,), baseline=N)
    assert [s.mean for s in chart.segments] == [10, 20]
    assert variations(chart, 0)[-2:] == ["improvement", "improvement"]


def test_a_baseline_sequence_gives_each_segment_its_own_and_none_means_all_points():
    values = [*STEADY, 20, 20, *HIGHER, 30, 30]
    chart = xmr(values, "up", recalculate_at=(N + 2,), baseline=(N, None))
    assert chart.segments[0].mean == 10
    assert chart.segments[1].mean == pytest.approx((sum(HIGHER) + 60) / (N + 2))


def test_a_baseline_longer_than_a_segment_uses_all_its_points():
    assert xmr(STEADY, "up", baseline=100).segments[0].baseline == N


@pytest.mark.parametrize("baseline", [1, 0, (N, N), "12", 2.5])
def test_a_baseline_must_be_two_or_more_points_and_one_per_segment(baseline):
    with pytest.raises(ValueError, match="baseline"):
        xmr(STEADY, "up", baseline=baseline)


# Assurance ----------------------------------------------------------------------------------------


def test_assurance_passes_when_the_target_is_beyond_the_worse_limit():
    assert xmr(STEADY, "up", target=4).assurance_icon == "pass"
    assert xmr(STEADY, "down", target=16).assurance_icon == "pass"


def test_assurance_fails_when_the_target_is_beyond_the_better_limit():
    assert xmr(STEADY, "up", target=16).assurance_icon == "fail"
    assert xmr(STEADY, "down", target=4).assurance_icon == "fail"


def test_assurance_is_hit_or_miss_when_the_target_is_between_the_limits():
    assert xmr(STEADY, "up", target=12).assurance_icon == "hit-or-miss"
    assert xmr(STEADY, "down", target=12).assurance_icon == "hit-or-miss"


def test_target_on_a_limit_is_hit_or_miss_as_in_nhsr_and_powerbi_not_fail_as_issue_116_says():
    for improvement in ("up", "down"):
        for target in (15.32, 4.68):
            assert xmr(STEADY, improvement, target=target).assurance_icon == "hit-or-miss"


def test_no_assurance_without_a_target_or_a_direction():
    assert xmr(STEADY, "up").assurance_icon is None
    assert xmr(STEADY, "none", target=16).assurance_icon is None


# Options and the exact API ------------------------------------------------------------------------


def test_screen_outliers_is_off_by_default_as_in_mdcs_excel_tools():
    dev = NHSR["limits"][3]["values"]
    assert round(xmr(dev, "up").upper, 2) == 6.95
    assert round(xmr(dev, "up", screen_outliers=True).upper, 2) == 4.6


def test_screening_keeps_a_moving_range_under_3_267_mean_moving_ranges():
    # Fourteen moving ranges of 1 and one of 3.5: the mean is 17.5 / 15, and 3.5 is 3.0 of it.
    values = [10, 11] * 7 + [10, 13.5]
    assert xmr(values, "up", screen_outliers=True).upper == xmr(values, "up").upper


def test_the_exact_api_works_unchanged():
    chart = xmr(
        STEADY,
        "up",
        run_length=6,
        minimum_points=13,
        recalculate_at=(),
        baseline=None,
        target=None,
    )
    point = chart.points[0]
    assert (point.value, point.variation, point.mean, point.lower, point.upper) == (
        10,
        "common",
        10,
        chart.lower,
        chart.upper,
    )
    assert (chart.variation_icon, chart.assurance_icon) == ("common", None)


def test_results_are_frozen():
    chart = xmr(STEADY, "up")
    with pytest.raises(dataclasses.FrozenInstanceError):
        chart.mean = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        chart.points[0].variation = "concern"  # type: ignore[misc]


@pytest.mark.parametrize("bad", ["12", b"1", True, [1, 2]])
def test_values_must_be_numbers_or_none(bad):
    with pytest.raises(TypeError, match=r"values\[2\]"):
        xmr([1, 2, bad, 4], "up")


def test_an_infinite_value_is_refused():
    with pytest.raises(ValueError, match="infinite"):
        xmr([1, 2, math.inf], "up")


@pytest.mark.parametrize("option", ["run_length", "trend_length", "minimum_points"])
def test_counts_must_be_whole_numbers(option):
    with pytest.raises(ValueError, match=option):
        xmr(STEADY, "up", **{option: 0})


# Properties ---------------------------------------------------------------------------------------

figures = st.lists(
    st.one_of(st.none(), st.integers(min_value=0, max_value=40)), min_size=13, max_size=40
)


@settings(max_examples=200, deadline=None)
@given(figures)
def test_swapping_up_and_down_swaps_improvement_and_concern_except_points_flagged_both_ways(values):
    up, down = xmr(values, "up"), xmr(values, "down")
    swap = {"improvement": "concern", "concern": "improvement"}
    for a, b in zip(up.points, down.points, strict=True):
        if a.high and a.low:
            assert a.variation == b.variation == "improvement"
        else:
            assert b.variation == swap.get(a.variation, a.variation)
