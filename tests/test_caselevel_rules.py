"""The counting rules of ``figures`` on a small hand-built council, each month's answer worked
out by hand: the edge cases on purpose (an episode ending on a month end, a plan starting on
the last day, assessments of 45 and 46 working days across Christmas, two referrals of one
child in a month, short breaks, placement moves), the DfE's conventions by default and each
named setting that changes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from xlscorecard.caselevel.conventions import CONVENTIONS, Conventions, conventions_from
from xlscorecard.caselevel.dates import month_index, parse_date
from xlscorecard.caselevel.measures import MEASURES, Context, count
from xlscorecard.caselevel.records import (
    Assessment,
    CaseFiles,
    Contact,
    Episode,
    Plan,
    Referral,
    Section47,
    Uasc,
)
from xlscorecard.caselevel.workdays import WorkingDays, bank_holidays

D = dt.date
NOV, DEC, JAN, FEB = (
    month_index(D(y, m, 1)) for y, m in ((2019, 11), (2019, 12), (2020, 1), (2020, 2))
)
MONTHS = [NOV, DEC, JAN, FEB]


def referral(child, date, closed=None, nfa=False, birth=None, icpc=None, assessments=(),
             enquiries=(), plans=()) -> Referral:  # fmt: skip
    return Referral(child, date, closed, nfa, birth, icpc, tuple(assessments), tuple(enquiries),
                    tuple(plans), f"cin.xml, {child}")  # fmt: skip


def episode(child, start, rne="S", ls="C2", place="U1", provider="PR1", end=None, rec=""):
    return Episode(child, start, rne, ls, place, provider, end, rec, f"episodes.csv, {child}")


def assessment(child, start, authorised, factors=()) -> Assessment:
    return Assessment(child, start, authorised, tuple(factors), f"cin.xml, {child}")


def plan(child, start, end=None, previous=0, reviews=()) -> Plan:
    return Plan(child, start, end, previous, tuple(reviews), f"cin.xml, {child}")


def s47(child, start, icpc=None) -> Section47:
    return Section47(child, start, icpc, f"cin.xml, {child}")


def council() -> CaseFiles:
    """The hand-built council. Each child is there for a reason (said beside it)."""
    data = CaseFiles()
    data.contacts = [
        Contact("A", D(2019, 12, 31), "a) 1A", "annex, row 2"),  # the month's last day
        Contact("A", D(2020, 1, 1), "a) 1A", "annex, row 3"),
        Contact("B", D(2020, 1, 15), "a) 6", "annex, row 4"),
    ]
    data.referrals = [
        # A: two referrals in January; the second is a re-referral of the first
        referral("A", D(2020, 1, 6), closed=D(2020, 1, 6), nfa=True),
        referral(
            "A",
            D(2020, 1, 20),
            birth=D(2006, 1, 20),
            assessments=[
                assessment("A", D(2020, 1, 20), D(2020, 2, 10), ["11A"]),  # CSE, 14 on the day
            ],
        ),
        # B: referred in Nov-18 and again in Dec-19: more than 12 months apart, not a re-referral
        referral("B", D(2018, 11, 30), closed=D(2019, 3, 1)),
        referral(
            "B",
            D(2019, 12, 2),
            birth=D(2010, 5, 5),
            assessments=[
                assessment("B", D(2019, 11, 18), D(2020, 1, 23)),  # 45 working days over Christmas
                assessment("B", D(2019, 11, 18), D(2020, 1, 24)),  # 46
                assessment("B", D(2019, 12, 2), D(2019, 12, 2), ["11A"]),  # same day: 0; B is 9
            ],
        ),
        # C: S47 in Nov, conference 15 working days later, plan that day; plan ends Jan 31
        referral(
            "C",
            D(2019, 11, 1),
            enquiries=[s47("C", D(2019, 11, 4), D(2019, 11, 25))],
            plans=[
                plan("C", D(2019, 11, 25), D(2020, 1, 31), 1, [D(2019, 12, 20), D(2020, 1, 10)])
            ],
        ),
        # D: S47 in Dec, conference 16 working days later, no plan; plan later on the 31st
        referral(
            "D",
            D(2019, 12, 2),
            enquiries=[s47("D", D(2019, 12, 2), D(2019, 12, 24))],
            plans=[plan("D", D(2020, 1, 31))],
        ),
        # E: a transfer-in conference (CINdetails level) in Jan with a plan that day
        referral("E", D(2020, 1, 2), icpc=D(2020, 1, 9), plans=[plan("E", D(2020, 1, 9))]),
        # F: open CIN, looked after from Feb (left out of EH2 then)
        referral("F", D(2019, 10, 1)),
    ]
    data.episodes = [
        # F: in care from 3 Feb 2020, IFA placement
        episode("F", D(2020, 2, 3), place="U4", provider="PR4"),
        # G: in care, moves placement on 31 Dec (X1 then P), leaves on 31 Jan by adoption
        episode("G", D(2019, 6, 1), end=D(2019, 12, 31), rec="X1"),
        episode(
            "G", D(2019, 12, 31), rne="P", place="U4", provider="PR5", end=D(2020, 1, 31), rec="E11"
        ),
        # H: short breaks (V3) in December, and a V4 break in January: never counted
        episode("H", D(2019, 12, 6), ls="V3", end=D(2019, 12, 8), rec="E13"),
        episode("H", D(2020, 1, 10), ls="V4"),
        # J: UASC, starts in Dec, status ceases 15 Jan; leaves on an SGO (E45) in February
        episode("J", D(2019, 12, 10), place="U4", provider="PR1", end=D(2020, 2, 29), rec="E45"),
        # K: an old SGO code (E43) in January
        episode("K", D(2018, 1, 1), end=D(2020, 1, 15), rec="E43"),
    ]
    data.uasc = {"J": Uasc("J", D(2020, 1, 15), "uasc.csv, line 2")}
    data.files = {"cin": ["cin.xml"], "903": ["episodes.csv"], "annexa": ["annex.xlsx"]}
    return data


EXPECTED = {
    #                        Nov, Dec, Jan, Feb
    "contacts":             (0, 1, 2, 0),
    "referrals":            (1, 2, 3, 0),
    "rereferrals":          (0, 0, 1, 0),
    "cse_referrals":        (0, 0, 1, 0),
    "cin_excluding_cp_lac": (1, 3, 4, 3),
    "assessments_completed": (0, 1, 2, 1),
    "assessments_in_time":  (0, 1, 1, 1),
    "assessments_0_10_days_percent": (None, 1, 0, 0),
    "assessments_36_45_days_percent": (None, 0, 0.5, 0),
    "assessments_over_45_days_percent": (None, 0, 0.5, 0),
    "s47_started":          (1, 1, 0, 0),
    "icpc_children":        (1, 1, 0, 0),
    "icpc_children_with_plan": (1, 0, 0, 0),
    "icpc_children_in_time": (1, 0, 0, 0),
    "transfer_in_children": (0, 0, 1, 0),
    "transfer_in_plan_percent": (None, None, 1, None),
    "plans_at_month_end":   (1, 1, 2, 2),
    "repeat_plans":         (1, 0, 0, 0),
    "repeat_plans_percent": (1, None, 0, None),
    "review_children":      (0, 1, 1, 0),
    "plans_ended":          (0, 0, 1, 0),
    "lac_at_month_end":     (2, 3, 1, 1),
    "lac_started":          (0, 1, 0, 1),
    "lac_ceased":           (0, 0, 2, 1),
    "adoptions":            (0, 0, 1, 0),
    "sgos":                 (0, 0, 1, 1),
    "uasc_at_month_end":    (0, 1, 0, 0),
    "uasc_started":         (0, 1, 0, 0),
    "ifa_at_month_end":     (0, 1, 0, 1),
}  # fmt: skip
"""Each measure's figure for Nov-19 to Feb-20, worked out by hand from :func:`council`."""


def figures(name: str, conventions: Conventions | None = None, data: CaseFiles | None = None):
    ctx = Context(data or council(), conventions or Conventions())
    found = count(MEASURES[name], ctx, MONTHS)
    return tuple(found[m].value for m in MONTHS), found


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_measure_gives_the_hand_worked_monthly_answers(name):
    values, _ = figures(name)
    assert values == pytest.approx(EXPECTED[name]), name


def test_every_measure_in_the_documented_list_has_hand_worked_answers_or_a_bin():
    untested = set(MEASURES) - set(EXPECTED)
    assert untested <= {"assessments_11_25_days_percent", "assessments_26_35_days_percent"}


def test_the_assessment_bins_add_up_to_every_assessment():
    bins = [n for n in MEASURES if n.startswith("assessments_") and n.endswith("_percent")]
    for month in range(1, 4):
        assert sum(figures(n)[0][month] for n in bins) == pytest.approx(1)


def test_45_and_46_working_days_across_christmas():
    days = WorkingDays()
    assert days.between(D(2019, 11, 18), D(2020, 1, 23)) == 45
    assert days.between(D(2019, 11, 18), D(2020, 1, 24)) == 46
    assert days.between(D(2019, 12, 2), D(2019, 12, 2)) == 0


def test_weekdays_only_counts_the_three_christmas_bank_holidays():
    assert WorkingDays(weekdays_only=True).between(D(2019, 11, 18), D(2020, 1, 23)) == 48
    values, _ = figures("assessments_in_time", replace(Conventions(), bank_holidays=False))
    assert values == (0, 1, 0, 1)


@pytest.mark.parametrize(
    ("year", "days"),
    [
        (2020, {D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13), D(2020, 5, 8), D(2020, 5, 25),
                D(2020, 8, 31), D(2020, 12, 25), D(2020, 12, 28)}),
        (2021, {D(2021, 1, 1), D(2021, 4, 2), D(2021, 4, 5), D(2021, 5, 3), D(2021, 5, 31),
                D(2021, 8, 30), D(2021, 12, 27), D(2021, 12, 28)}),
        (2022, {D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 6, 2),
                D(2022, 6, 3), D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26), D(2022, 12, 27)}),
        (2023, {D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 1), D(2023, 5, 8),
                D(2023, 5, 29), D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26)}),
    ],
)  # fmt: skip
def test_bank_holidays_are_england_and_wales_with_substitutes_and_one_offs(year, days):
    assert bank_holidays(year) == days


def test_open_on_end_day_counts_an_episode_ending_on_the_last_day():
    default, _ = figures("lac_at_month_end")
    inclusive, _ = figures("lac_at_month_end", replace(Conventions(), open_on_end_day=True))
    assert default[2] == 1  # J only: G left on 31 Jan
    assert inclusive[2] == 2  # G too


def test_a_plan_starting_on_the_last_day_is_open_at_month_end():
    _, found = figures("plans_at_month_end")
    assert {row.child for row in found[JAN].counted} == {"D", "E"}


def test_a_placement_move_is_not_a_leaver_nor_a_new_period_of_care():
    _, ceased = figures("lac_ceased")
    _, started = figures("lac_started")
    assert [row.child for row in ceased[DEC].counted] == []
    assert [row.child for row in started[DEC].counted] == ["J"]


def test_short_breaks_v3_and_v4_are_left_out_and_v4_only_is_a_setting():
    v4_only = replace(Conventions(), short_breaks=("V4",))
    assert figures("lac_started", v4_only)[0] == (0, 2, 0, 1)
    assert figures("lac_ceased", v4_only)[0] == (0, 1, 2, 1)
    assert figures("lac_at_month_end", replace(Conventions(), short_breaks=()))[0] == (2, 3, 2, 2)


def test_sgo_codes_before_and_after_2018_19_both_count():
    _, found = figures("sgos")
    assert [(row.child, dict(row.facts)["rec"]) for row in found[JAN].counted] == [("K", "E43")]
    assert [(row.child, dict(row.facts)["rec"]) for row in found[FEB].counted] == [("J", "E45")]


def test_two_referrals_of_one_child_in_a_month_are_two_referrals_and_one_rereferral():
    _, found = figures("rereferrals")
    (row,) = found[JAN].counted
    assert (row.child, dict(row.facts)["previous referral"]) == ("A", "2020-01-06")


def test_rereferrals_after_a_closure_is_the_labels_alternative():
    closure = replace(Conventions(), rereferral_basis="closure")
    values, found = figures("rereferrals", closure)
    assert values == (0, 1, 1, 0)  # B's Dec-19 referral: a closure on 1 Mar 2019
    assert dict(found[JAN].counted[0].facts)["previous closure"] == "2020-01-06"
    data = council()
    data.referrals = [r for r in data.referrals if r.child != "A"] + [
        referral("A", D(2019, 1, 10), closed=D(2019, 2, 10)),
        referral("A", D(2020, 1, 20)),
    ]
    assert figures("rereferrals", closure, data)[0] == (0, 1, 1, 0)  # closed 11 months before
    assert figures("rereferrals", None, data)[0] == (0, 0, 0, 0)  # referred 12+ months before


def test_referrals_without_nfa_is_a_setting():
    assert figures("referrals", replace(Conventions(), referrals_include_nfa=False))[0] == (
        1, 2, 2, 0,
    )  # fmt: skip


def test_transfer_in_conferences_are_not_in_cp2():
    _, found = figures("icpc_children")
    assert "E" not in {row.child for m in MONTHS for row in found[m].counted}


def test_plans_ended_can_count_children():
    data = council()
    extra = plan("C", D(2020, 1, 5), D(2020, 1, 20))
    data.referrals.append(referral("C", D(2020, 1, 3), plans=[extra]))
    assert figures("plans_ended", None, data)[0] == (0, 0, 2, 0)
    children = replace(Conventions(), plans_ended_count="children")
    assert figures("plans_ended", children, data)[0] == (0, 0, 1, 0)


def test_the_trail_names_each_counted_record_with_the_dates_and_codes_that_decided_it():
    _, found = figures("assessments_over_45_days_percent")
    rows = {(r.child, dict(r.facts)["working days"], r.included) for r in found[JAN].counted}
    assert rows == {("B", "45", False), ("B", "46", True)}


def test_every_convention_is_documented_in_one_line():
    names = {name for name in Conventions.__dataclass_fields__}
    assert names == set(CONVENTIONS)
    assert all("\n" not in text for text in CONVENTIONS.values())


def test_a_convention_of_the_wrong_kind_or_name_is_a_problem_named_by_key():
    _, problems = conventions_from({"short_breaks": "V4", "open_on_end": True})
    assert [key for key, _ in problems] == ["short_breaks", "open_on_end"]
    conventions, problems = conventions_from({"rereferral_basis": "closure"})
    assert not problems and conventions.rereferral_basis == "closure"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/01/2020", D(2020, 1, 31)),
        ("2020-01-31", D(2020, 1, 31)),
        ("2020-01-31T00:00:00", D(2020, 1, 31)),
        ("2020-01-31Z", D(2020, 1, 31)),  # xs:date may carry its time zone
        ("2020-01-31+01:00", D(2020, 1, 31)),
        ("31/01/2020 00:00", D(2020, 1, 31)),  # as Excel saves a date cell as CSV
        ("31/01/2020 09:30:00", D(2020, 1, 31)),
        (dt.datetime(2020, 1, 31, 9, 30), D(2020, 1, 31)),
        (43861, D(2020, 1, 31)),
        (43861.0, D(2020, 1, 31)),
        ("43861", D(2020, 1, 31)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_as_text_iso_real_dates_or_excel_serials(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    ["31/02/2020", "2020-02-30", "tomorrow", "12", True, "31/02/2020 00:00", "31/01/2020 x"],
)
def test_a_date_that_does_not_exist_is_refused_saying_what_was_found(value):
    with pytest.raises(ValueError, match="date"):
        parse_date(value)


def test_a_referral_on_the_same_day_a_year_later_is_a_rereferral_and_a_day_more_is_not():
    data = CaseFiles()
    data.referrals = [referral("A", D(2019, 1, 20)), referral("A", D(2020, 1, 20)),
                      referral("B", D(2019, 1, 19)), referral("B", D(2020, 1, 20))]  # fmt: skip
    _, found = figures("rereferrals", None, data)
    assert [row.child for row in found[JAN].counted] == ["A"]
