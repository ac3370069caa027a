"""The bundled invented council's figures (samples/caselevel) match a recount done another way:
pandas over the same files, numpy's working-day count, for 16 indicators over 12 months."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from tests.support.paths import ROOT
from xlscorecard.caselevel.workdays import bank_holidays
from xlscorecard.cli import cli

CASES = ROOT / "samples" / "caselevel"
MONTHS = pd.period_range("2019-09", "2020-08", freq="M")
FOSTER = [f"U{n}" for n in range(1, 7)]
SGO = ["E43", "E44", "E45", "E46", "E47", "E48"]


@pytest.fixture(scope="module")
def ours(tmp_path_factory) -> dict[tuple[str, str], float]:
    out = tmp_path_factory.mktemp("recount") / "extract.csv"
    args = ["figures", str(ROOT / "samples" / "southampton"), "--month", "2020-08", "--months",
            "12", "--from", str(CASES), "-o", str(out)]  # fmt: skip
    assert CliRunner().invoke(cli, args).exit_code == 0
    with out.open(encoding="utf-8", newline="") as handle:
        return {(row["ref"], row["month"]): float(row["value"]) for row in csv.DictReader(handle)}


def _frames():
    rows = {"ref": [], "ass": [], "s47": [], "plan": []}
    for child in ET.parse(CASES / "cin_census.xml").getroot().iter("Child"):
        who = child.findtext("ChildIdentifiers/LAchildID")
        for details in child.iter("CINdetails"):
            rows["ref"].append((who, details.findtext("CINreferralDate")))
            rows["ass"] += [(who, a.findtext("AssessmentActualStartDate"),
                             a.findtext("AssessmentAuthorisationDate"))
                            for a in details.iter("Assessments")]  # fmt: skip
            rows["s47"] += [(who, s.findtext("S47ActualStartDate"), s.findtext("DateOfInitialCPC"))
                            for s in details.iter("Section47")]  # fmt: skip
            rows["plan"] += [(who, p.findtext("CPPstartDate"), p.findtext("CPPendDate"),
                              int(p.findtext("NumberOfPreviousCPP")))
                             for p in details.iter("ChildProtectionPlans")]  # fmt: skip
    frames = {
        "ref": pd.DataFrame(rows["ref"], columns=["c", "date"]),
        "ass": pd.DataFrame(rows["ass"], columns=["c", "start", "end"]),
        "s47": pd.DataFrame(rows["s47"], columns=["c", "start", "end"]),
        "plan": pd.DataFrame(rows["plan"], columns=["c", "start", "end", "previous"]),
    }
    for frame in frames.values():
        for column in ("date", "start", "end"):
            if column in frame:
                frame[column] = pd.to_datetime(frame[column])
    holidays = [np.datetime64(day) for year in range(2015, 2022) for day in bank_holidays(year)]
    for name in ("ass", "s47"):
        frame, done = frames[name], frames[name].end.notna()
        frame["wd"] = np.nan
        frame.loc[done, "wd"] = np.busday_count(
            frame.loc[done, "start"].values.astype("datetime64[D]"),
            frame.loc[done, "end"].values.astype("datetime64[D]"),
            holidays=holidays,
        )
    episodes = pd.read_csv(CASES / "episodes.csv", dtype=str, keep_default_na=False)
    for column in ("DECOM", "DEC"):
        episodes[column] = pd.to_datetime(episodes[column], format="%d/%m/%Y", errors="coerce")
    frames["lac"] = episodes[~episodes.LS.isin(["V3", "V4"])]
    return frames


def recount(frames, month: pd.Period) -> dict[str, float]:
    ref, ass, s47, plan, lac = (frames[k] for k in ("ref", "ass", "s47", "plan", "lac"))
    end = month.end_time.normalize()

    def within(dates):
        return dates.dt.to_period("M") == month

    def open_at(start, stop):
        return (start <= end) & (stop.isna() | (stop > end))

    looked_after = lac[open_at(lac.DECOM, lac.DEC)]
    rereferrals = sum(
        ((ref.c == row.c) & (ref.date < row.date)
         & (ref.date >= row.date - pd.DateOffset(months=12))).any()
        for row in ref[within(ref.date)].itertuples()
    )  # fmt: skip
    return {
        "M2": within(ref.date).sum(),
        "M6-QL (val)": rereferrals,
        "EH3": within(ass.end).sum(),
        "EH4 (val)": (within(ass.end) & (ass.wd <= 45)).sum(),
        "CP1": within(s47.start).sum(),
        "CP2": s47[within(s47.end)].c.nunique(),
        "CP3-QL (val)": s47[within(s47.end) & (s47.wd <= 15)].c.nunique(),
        "CP6B": plan[open_at(plan.start, plan.end)].c.nunique(),
        "CP7": within(plan.end).sum(),
        "CP5-QL (val)": (within(plan.start) & (plan.previous > 0)).sum(),
        "LAC1": looked_after.CHILD.nunique(),
        "LAC2": (within(lac.DECOM) & (lac.RNE == "S")).sum(),
        "LAC3": (within(lac.DEC) & (lac.REC != "X1")).sum(),
        "LAC6 (val)": (within(lac.DEC) & lac.REC.isin(["E11", "E12"])).sum(),
        "LAC12 (val)": (within(lac.DEC) & lac.REC.isin(SGO)).sum(),
        "LAC9 (val)": looked_after[
            looked_after.PLACE.isin(FOSTER) & looked_after.PLACE_PROVIDER.isin(["PR4", "PR5"])
        ].CHILD.nunique(),
    }


REFS = [
    "M2",
    "M6-QL (val)",
    "EH3",
    "EH4 (val)",
    "CP1",
    "CP2",
    "CP3-QL (val)",
    "CP6B",
    "CP7",
    "CP5-QL (val)",
    "LAC1",
    "LAC2",
    "LAC3",
    "LAC6 (val)",
    "LAC12 (val)",
    "LAC9 (val)",
]


@pytest.fixture(scope="module")
def theirs():
    frames = _frames()
    return {(ref, str(m)): float(v) for m in MONTHS for ref, v in recount(frames, m).items()}


@pytest.mark.parametrize("ref", REFS)
def test_the_sample_figure_matches_a_pandas_recount_every_month(ours, theirs, ref):
    months = [str(m) for m in MONTHS]
    assert [ours[(ref, m)] for m in months] == [theirs[(ref, m)] for m in months]


def test_the_recount_counts_something_for_every_indicator(theirs):
    assert all(sum(theirs[(ref, str(m))] for m in MONTHS) > 0 for ref in REFS)
