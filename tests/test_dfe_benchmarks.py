"""xlscorecard benchmarks: DfE's published tables become benchmarks.csv (issue 13).

The DfE tables are the trimmed copies in samples/dfe/ and tests/fixtures/dfe/ (see their
README.md); every test works on copies, so the sample keeps its printed benchmarks.
"""

from __future__ import annotations

import csv
import shutil
import statistics
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.editions import Printed, edition
from tests.support.paths import ROOT, SAMPLE
from xlscorecard.calc.dfe_benchmarks import (
    SUPPRESSED,
    Year,
    benchmark_note,
    model_label,
    round_half_up,
)
from xlscorecard.cli import cli
from xlscorecard.datadir.dfe_tables import read_neighbour_model
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.model import Benchmark

DFE = ROOT / "samples" / "dfe"
FIXTURES = Path(__file__).parent / "fixtures" / "dfe"
C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
CLA = "cla_number_and_rate_per_10k_children.csv"
SN_2021 = "New_Statistical_Neighbour_Groupings_April_2021.csv"
SN_2025 = "sn_model_2025_wide.csv"
SOUTHAMPTON_2021 = ("851", "373", "874", "879", "831", "801", "331", "861", "810", "355")
SOUTHAMPTON_2025 = ("331", "831", "851", "373", "312", "355", "874", "383", "350", "320")
MAPPED = {  # ref: (file, column) as in samples/southampton/benchmarks.toml
    "M2": (C1, "referral_count"),
    "M6-QL": (C1, "rereferral_percent"),
    "CP5-QL (val)": (D3, "CPP_subsequent"),
    "CP5-QL": (D3, "CPP_subsequent_percent"),
}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "southampton"
    shutil.copytree(SAMPLE, target)
    return target


@pytest.fixture
def dfe(tmp_path: Path) -> Path:
    target = tmp_path / "dfe"
    shutil.copytree(DFE, target)
    shutil.copy(FIXTURES / CLA, target / CLA)
    return target


def run(data_dir: Path, dfe: Path, *options: str, year: str = "2018-19", sn: str | None = SN_2021):
    args = ["benchmarks", str(data_dir), "--from", str(dfe), "--year", year]
    if sn:
        args += ["--neighbours", str(dfe / sn)]
    return CliRunner().invoke(cli, [*args, *options])


def written(data_dir: Path) -> dict[str, Benchmark]:
    return load_data_dir(data_dir).benchmarks


def published(path: Path, year: str = "2019") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["time_period"] == year]


def council_figures(path: Path, column: str, codes, year: str = "2019") -> list[Fraction]:
    rows = {r["old_la_code"]: r for r in published(path, year) if r["old_la_code"]}
    return [Fraction(rows[code][column]) for code in codes]


def edit_cell(path: Path, level: str, who: str, column: str, value: str, year: str = "2019"):
    """Change one published figure (the row of ``who``: a region or LA name) in a copy."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    row = next(
        r
        for r in rows
        if r["time_period"] == year
        and r["geographic_level"] == level
        and (level == "National" or who in (r["region_name"], r["la_name"]))
        and (level != "Regional" or r["region_name"] == who)
        and (level != "Local authority" or r["la_name"] == who)
    )
    row[column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def snapshot(*folders: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for f in folders for p in sorted(f.rglob("*")) if p.is_file()}


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- the seeds' figures --------------------------------------------------------------------
@pytest.mark.parametrize("column", ["eng", "se"])
@pytest.mark.parametrize("ref", list(MAPPED))
def test_england_and_south_east_reproduce_the_printed_benchmarks(data_dir, dfe, ref, column):
    assert run(data_dir, dfe).exit_code == 0
    printed = Printed(edition("2020-08")[ref][column])
    assert abs(getattr(written(data_dir)[ref], column) - printed.number) <= printed.half_step


def test_a_monthly_count_is_the_average_council_s_annual_count_over_twelve(data_dir, dfe):
    run(data_dir, dfe)
    m2 = written(data_dir)["M2"]
    assert (m2.eng, m2.se) == (round(650930 / 152 / 12), round(104890 / 19 / 12))


def test_a_percentage_is_stored_as_published(data_dir, dfe):
    run(data_dir, dfe)
    cp5 = written(data_dir)["CP5-QL"]
    assert (cp5.eng, cp5.se) == (0.208, 0.211)


# -- statistical neighbours ----------------------------------------------------------------
@pytest.mark.parametrize("model", [SN_2021, SN_2025])
@pytest.mark.parametrize("ref", list(MAPPED))
def test_sn_is_the_mean_of_the_ten_neighbours_in_the_file_given(data_dir, dfe, ref, model):
    assert run(data_dir, dfe, sn=model).exit_code == 0
    codes = SOUTHAMPTON_2021 if model == SN_2021 else SOUTHAMPTON_2025
    file, column = MAPPED[ref]
    mean = statistics.mean(council_figures(dfe / file, column, codes))
    expected = mean / 100 if ref in ("M6-QL", "CP5-QL") else round(mean / 12)
    assert written(data_dir)[ref].sn == pytest.approx(float(expected), abs=1e-9)


@pytest.mark.parametrize("ref", list(MAPPED))
def test_sn_is_the_median_with_average_median(data_dir, dfe, ref):
    assert run(data_dir, dfe, "--average", "median").exit_code == 0
    file, column = MAPPED[ref]
    median = statistics.median(council_figures(dfe / file, column, SOUTHAMPTON_2021))
    expected = median / 100 if ref in ("M6-QL", "CP5-QL") else round_half_up(median / 12, 0)
    assert written(data_dir)[ref].sn == pytest.approx(float(expected), abs=1e-9)


@pytest.mark.parametrize(
    ("model", "codes"), [(SN_2021, SOUTHAMPTON_2021), (SN_2025, SOUTHAMPTON_2025)]
)
def test_both_neighbour_file_layouts_give_the_council_s_ten(model, codes):
    model_file = read_neighbour_model(DFE / model)
    assert model_file.councils["852"][1:] == ("Southampton", codes)


def test_without_neighbours_sn_keeps_what_it_had(data_dir, dfe):
    before = written(data_dir)
    assert run(data_dir, dfe, sn=None).exit_code == 0
    assert {ref: written(data_dir)[ref].sn for ref in MAPPED} == {
        ref: before[ref].sn for ref in MAPPED
    }


# -- held-out checks: a changed DfE figure moves the result --------------------------------
def test_a_changed_england_total_moves_the_england_benchmark(data_dir, dfe):
    edit_cell(dfe / C1, "National", "", "referral_count", "700000")
    run(data_dir, dfe)
    assert written(data_dir)["M2"].eng == round(700000 / 152 / 12)


def test_a_changed_regional_percentage_moves_the_region_benchmark(data_dir, dfe):
    edit_cell(dfe / D3, "Regional", "South East", "CPP_subsequent_percent", "30.4")
    run(data_dir, dfe)
    assert written(data_dir)["CP5-QL"].se == 0.304


def test_a_changed_neighbour_figure_moves_sn_and_another_council_s_does_not(data_dir, dfe):
    run(data_dir, dfe)
    before = written(data_dir)["M6-QL"].sn
    edit_cell(dfe / C1, "Local authority", "Kent", "rereferral_percent", "99.9")
    run(data_dir, dfe)
    assert written(data_dir)["M6-QL"].sn == before
    edit_cell(dfe / C1, "Local authority", "Portsmouth", "rereferral_percent", "35.5")
    run(data_dir, dfe)
    assert written(data_dir)["M6-QL"].sn == pytest.approx(before + (35.5 - 25.6) / 1000)


def test_another_year_gives_that_year_s_figures(data_dir, dfe):
    assert run(data_dir, dfe, year="2017-18").exit_code == 0
    national = next(r for r in published(dfe / C1, "2018") if r["geographic_level"] == "National")
    assert written(data_dir)["M6-QL"].eng == float(Fraction(national["rereferral_percent"]) / 100)
    assert written(data_dir)["M6-QL"].period == "2017-18"


# -- conventions for stocks, flows and rates (children looked after, 2020-21) ---------------
CLA_MAPPING = """
[indicators.LAC1]
file = "cla_number_and_rate_per_10k_children.csv"
column = "children_count"
filter = { population_type = "Children looked after on 31 March each year" }
kind = "stock"

[indicators."LAC1-NI"]
file = "cla_number_and_rate_per_10k_children.csv"
column = "rate_per_10000"
filter = { population_type = "Children looked after on 31 March each year" }
kind = "stock"

[indicators.LAC2]
file = "cla_number_and_rate_per_10k_children.csv"
column = "children_count"
filter = { population_type = "Children starting to be looked after each year" }
kind = "flow"

[indicators."CP1-NI"]
file = "cla_number_and_rate_per_10k_children.csv"
column = "rate_per_10000"
filter = { population_type = "Children starting to be looked after each year" }
kind = "flow"
"""


def cla_rows(kind: str) -> list[dict[str, str]]:
    return [r for r in published(FIXTURES / CLA, "2021") if r["population_type"].startswith(kind)]


@pytest.fixture
def cla(data_dir, dfe):
    (data_dir / "benchmarks.toml").write_text(CLA_MAPPING, encoding="utf-8")
    assert run(data_dir, dfe, year="2020-21").exit_code == 0
    return written(data_dir)


def figure(rows, level: str, column: str, region: str = "") -> float:
    row = next(r for r in rows if r["geographic_level"] == level and r["region_name"] == region)
    return float(row[column])


def test_a_stock_count_is_the_average_council_s_count(cla):
    rows = cla_rows("Children looked after")
    councils = [r for r in rows if r["geographic_level"] == "Local authority"]
    in_region = [r for r in councils if r["region_name"] == "South East"]
    assert cla["LAC1"].eng == round(figure(rows, "National", "children_count") / len(councils))
    regional = figure(rows, "Regional", "children_count", "South East")
    assert cla["LAC1"].se == round(regional / len(in_region))


def test_a_flow_count_is_a_twelfth_of_the_average_council_s(cla):
    rows = cla_rows("Children starting")
    councils = [r for r in rows if r["geographic_level"] == "Local authority"]
    expected = figure(rows, "National", "children_count") / len(councils) / 12
    assert cla["LAC2"].eng == round(expected)


def test_a_stock_rate_is_as_published(cla):
    rows = cla_rows("Children looked after")
    national, regional = (
        figure(rows, "National", "rate_per_10000"),
        figure(rows, "Regional", "rate_per_10000", "South East"),
    )
    assert (cla["LAC1-NI"].eng, cla["LAC1-NI"].se) == (national, regional)


def test_a_flow_rate_is_a_twelfth_of_the_published_rate(cla):
    rows = cla_rows("Children starting")
    national = figure(rows, "National", "rate_per_10000")
    assert cla["CP1-NI"].eng == round(national / 12, 2)


# -- provenance and the Dataset sheet's note -------------------------------------------------
def test_each_benchmark_names_file_column_year_and_sn_model(data_dir, dfe):
    run(data_dir, dfe, "--average", "median")
    assert written(data_dir)["M2"].source == (
        f"DfE {C1}, column referral_count, time_period 2019, per council / 12 (England 152 "
        f"councils, South East 19); SN model April 2021 ({SN_2021}), median of 10"
    )


def test_unmapped_indicators_keep_their_benchmarks(data_dir, dfe):
    before = written(data_dir)
    run(data_dir, dfe)
    after = written(data_dir)
    assert list(after) == list(before)
    assert {r: b for r, b in after.items() if r not in MAPPED} == {
        r: b for r, b in before.items() if r not in MAPPED
    }


def test_the_note_is_built_from_the_benchmarks_sources(data_dir, dfe):
    run(data_dir, dfe)
    assert benchmark_note(written(data_dir), "typed") == (
        "Benchmarks: DfE 2018-19; SN model April 2021, mean of 10; others 2018-19 as entered"
    )


def test_the_note_names_the_median_and_the_model(data_dir, dfe):
    run(data_dir, dfe, "--average", "median", sn=SN_2025)
    assert "SN model 2025, median of 10" in benchmark_note(written(data_dir))


def test_without_sources_the_typed_note_stays(sample):
    assert benchmark_note(sample.benchmarks, sample.settings.benchmark_note) == (
        "Benchmarking (Updated Mar-19 using 18-19 data)"
    )


def test_the_command_prints_the_figures_and_the_note(data_dir, dfe):
    result = run(data_dir, dfe)
    assert "  M6-QL: SN 26.8%, ENG 22.6%, South East 25.1%" in result.output
    assert result.output.endswith(
        "Dataset note: Benchmarks: DfE 2018-19; SN model April 2021, mean of 10; others "
        "2018-19 as entered\n"
    )


@pytest.mark.parametrize(
    ("name", "expected"), [(SN_2021, "April 2021"), (SN_2025, "2025"), ("my_sns.csv", "my_sns")]
)
def test_the_sn_model_is_named_from_its_file(name, expected):
    assert model_label(name) == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(5, 2), 0, 3.0),
        (Fraction(650930, 152 * 12), 0, 357.0),
        (Fraction(449, 20000), 4, 0.0225),
    ],
)
def test_halves_round_up(value, places, expected):
    assert round_half_up(value, places) == expected


@pytest.mark.parametrize("text", ["2018/19", "2018-20", "18-19", "2019"])
def test_a_year_must_be_written_like_2018_19(data_dir, dfe, text):
    result = run(data_dir, dfe, year=text)
    assert result.exit_code == 2
    assert "expected a reporting year like 2018-19" in result.output


def test_financial_year_time_periods_match_too():
    assert Year.parse("2018-19").matches("201819") and Year.parse("2018-19").matches("2019")


# -- bad input: a message naming file, line and council; nothing changes ---------------------
def fails(data_dir: Path, dfe: Path, *options: str, **keywords) -> str:
    """Run the command expecting an error; every file stays byte-identical."""
    before = snapshot(data_dir, dfe)
    result = run(data_dir, dfe, *options, **keywords)
    assert result.exit_code == 2, result.output  # input that cannot be used
    assert result.output.startswith("Error: ")
    assert snapshot(data_dir, dfe) == before
    return result.output.removeprefix("Error: ").strip()


def test_a_missing_dfe_file_names_the_mapping_line_and_folder(data_dir, dfe):
    (dfe / D3).unlink()
    message = fails(data_dir, dfe)
    assert message.startswith(
        f"{data_dir / 'benchmarks.toml'}, line 21, column 'file': CP5-QL (val): no file {D3} "
        f"in {dfe} (its CSV files: "
    )


def test_a_missing_neighbour_file_is_named(data_dir, dfe):
    (dfe / SN_2025).unlink()
    assert fails(data_dir, dfe, sn=SN_2025).startswith(f"{dfe / SN_2025}: file not found")


def test_average_needs_neighbours(data_dir, dfe):
    result = run(data_dir, dfe, "--average", "median", sn=None)
    assert result.exit_code == 2
    assert "--average goes with --neighbours" in result.output


def test_a_missing_column_names_the_mapping_and_the_file_s_columns(data_dir, dfe):
    replace(data_dir / "benchmarks.toml", '"referral_count"', '"referrals"')
    message = fails(data_dir, dfe)
    assert message.startswith(
        f"{data_dir / 'benchmarks.toml'}, line 13, column 'column': M2: {dfe / C1} has no "
        "column 'referrals'; its other columns are category, referral_count, rereferral_count, "
    )


def test_a_missing_year_names_the_file_and_the_years_it_has(data_dir, dfe):
    assert fails(data_dir, dfe, year="2019-20") == (
        f"{dfe / C1}, column 'time_period': no rows for 2019-20 (time_period 2020); the file "
        "has time_period 2018 and 2019: choose a year it has with --year"
    )


def test_a_missing_council_code_says_what_to_put_in_council_toml(data_dir, dfe):
    replace(data_dir / "council.toml", "la_code = 852\n", "")
    assert fails(data_dir, dfe) == (
        f"{data_dir / 'council.toml'}, column 'la_code': xlscorecard benchmarks needs the "
        "council's three-digit LA number as DfE's tables give it in old_la_code (beside its "
        "la_name), e.g. la_code = 852"
    )


def test_an_unknown_council_code_names_the_table_and_the_code(data_dir, dfe):
    replace(data_dir / "council.toml", "la_code = 852", "la_code = 999")
    assert fails(data_dir, dfe, sn=None).startswith(
        f"{dfe / C1}, column 'old_la_code': no 2018-19 row (time_period 2019) for council 999, "
        f"the la_code in {data_dir / 'council.toml'}"
    )


def test_a_council_missing_from_the_neighbour_file_is_named(data_dir, dfe):
    replace(dfe / SN_2025, "\n852,Southampton,", "\n8520,Southampton,")
    assert fails(data_dir, dfe, sn=SN_2025).startswith(
        f"{dfe / SN_2025}: no row for council 852 (la_code in {data_dir / 'council.toml'})"
    )


def test_a_region_unlike_the_council_s_in_the_tables_is_named(data_dir, dfe):
    replace(data_dir / "council.toml", 'region = "South East"', 'region = "South West"')
    message = fails(data_dir, dfe)
    assert message.startswith(f"{dfe / C1}, line ")
    assert message.endswith(
        f"column 'region_name': Southampton (852) is in 'South East', but "
        f"{data_dir / 'council.toml'} has region = 'South West': correct one of them"
    )


def test_fewer_than_ten_neighbours_listed_names_the_line(data_dir, dfe):
    replace(dfe / SN_2025, "852,Southampton,6,South East,331,", "852,Southampton,6,South East,,")
    assert fails(data_dir, dfe, sn=SN_2025) == (
        f"{dfe / SN_2025}, line 117: council 852 has 9 statistical neighbours listed, not 10: "
        "is this a DfE SN model file?"
    )


def test_fewer_than_ten_neighbours_found_in_the_year_names_them(data_dir, dfe):
    replace(
        dfe / SN_2021,
        "852,Southampton,852,6,South East,851,",
        "852,Southampton,852,6,South East,940,",
    )
    assert fails(data_dir, dfe) == (
        f"{dfe / C1}, column 'old_la_code': only 9 of council 852's 10 statistical neighbours "
        f"({SN_2021}, line 101) have a 2018-19 row: none for 940. Use a neighbour model of the "
        "same period as the year, or another year"
    )


def test_a_figure_that_is_not_a_number_names_file_line_column_and_council(data_dir, dfe):
    edit_cell(dfe / C1, "Local authority", "Portsmouth", "rereferral_percent", "25,6")
    message = fails(data_dir, dfe)
    assert message.endswith(
        "column 'rereferral_percent': Portsmouth (851) 2018-19: expected a number or one of "
        "DfE's suppression codes (c, x, z, :, low), found '25,6'"
    )


def test_rows_a_filter_must_tell_apart_are_named(data_dir, dfe):
    (data_dir / "benchmarks.toml").write_text(
        f'[indicators.LAC1]\nfile = "{CLA}"\ncolumn = "children_count"\nkind = "stock"\n', "utf-8"
    )
    message = fails(data_dir, dfe, year="2020-21")
    assert message.startswith(f"{data_dir / 'benchmarks.toml'}, line 1, column 'filter': LAC1: ")
    assert "has 3 2020-21 rows for England (geographic_level National) (lines 2, 3, 4)" in message
    assert message.endswith(
        "add a filter to say which, e.g. filter = { population_type = 'Children ceasing to be "
        "looked after each year' }"
    )


NEEDS_KIND = "M2: a count needs kind = 'flow' or 'stock'"
BAD_ENTRIES = {  # what is changed in benchmarks.toml -> (into what, the message's line and text)
    "unknown ref": (
        "[indicators.M2]",
        "[indicators.M99]",
        "line 11: M99: no indicator has this ref in indicators.csv",
    ),
    "no kind": (
        '"referral_count"\nkind = "flow"',
        '"referral_count"',
        f"line 11, column 'kind': {NEEDS_KIND}",
    ),
    "bad kind": ('kind = "flow"', 'kind = "monthly"', f"line 14, column 'kind': {NEEDS_KIND}"),
    "kind on a percent": (
        'column = "rereferral_percent"',
        'column = "rereferral_percent"\nkind = "flow"',
        "line 19, column 'kind': M6-QL: a percentage is taken as published: leave out kind",
    ),
    "unknown key": (
        'kind = "flow"',
        'kind = "flow"\ncolum = "x"',
        "line 15, column 'colum': M2: unknown key; an entry has file, column, kind, filter",
    ),
    "file not text": (
        'file = "c1_',
        'file = 12\n# "c1_',
        "line 12, column 'file': M2: expected the file name as text",
    ),
    "not TOML": ("[indicators.M2]", "[indicators.M2", "not valid TOML"),
}


@pytest.mark.parametrize("case", list(BAD_ENTRIES))
def test_a_bad_mapping_entry_names_its_line_and_key(data_dir, dfe, case):
    old, new, expected = BAD_ENTRIES[case]
    replace(data_dir / "benchmarks.toml", old, new)
    message = fails(data_dir, dfe)
    assert message.startswith(str(data_dir / "benchmarks.toml"))
    assert expected in message


def test_a_missing_mapping_file_says_what_it_is_for(data_dir, dfe):
    (data_dir / "benchmarks.toml").unlink()
    assert "benchmarks.toml: file not found: it says where each indicator's" in fails(data_dir, dfe)


# -- suppressed figures: the cell says so, and the message names file, line and council -------
def test_a_suppressed_neighbour_makes_sn_say_suppressed(data_dir, dfe):
    edit_cell(dfe / C1, "Local authority", "Portsmouth", "rereferral_percent", "c")
    result = run(data_dir, dfe)
    assert result.exit_code == 0
    assert written(data_dir)["M6-QL"].sn == SUPPRESSED
    lines = (dfe / C1).read_text().splitlines()
    line = next(
        n for n, text in enumerate(lines, 1) if text.startswith("2019,") and ",851," in text
    )
    assert (
        f"Suppressed: {dfe / C1}, line {line}, column 'rereferral_percent': Portsmouth (851) "
        "2018-19 is 'c' (suppressed to protect confidentiality), so M6-QL's SN benchmark is "
        "'suppressed'"
    ) in result.output


def test_a_suppressed_england_figure_makes_eng_say_suppressed(data_dir, dfe):
    edit_cell(dfe / D3, "National", "", "CPP_subsequent", "x")
    result = run(data_dir, dfe)
    assert result.exit_code == 0
    cp5 = written(data_dir)["CP5-QL (val)"]
    assert (cp5.eng, cp5.se) == (SUPPRESSED, 9)
    assert "England 2018-19 is 'x' (not available), so CP5-QL (val)'s England" in result.output


# -- the source column in files and workbooks -----------------------------------------------
def test_a_benchmarks_csv_without_a_source_column_still_loads(sample):
    assert (SAMPLE / "benchmarks.csv").read_text().startswith("ref,sn,eng,se,period\n")
    assert sample.benchmarks["M2"] == Benchmark(399, 357, 460, "2018-19", "")


def test_build_and_export_keep_the_source_and_the_note_shows_it(data_dir, dfe, tmp_path):
    from openpyxl import load_workbook

    from xlscorecard.app.workbook_file import build_file as build
    from xlscorecard.app.workbook_file import export_file
    from xlscorecard.model.months import Month
    from xlscorecard.workbook.layout import NOTE_ROW, SHEET

    run(data_dir, dfe)
    book = tmp_path / "dataset.xlsx"
    build(data_dir, Month(2020, 8), book)
    note = [c.value for c in load_workbook(book)[SHEET][NOTE_ROW] if c.value]
    assert note[-1] == benchmark_note(written(data_dir))
    export_file(book, tmp_path / "exported")
    assert written(tmp_path / "exported") == written(data_dir)


def test_a_template_without_the_source_header_gets_it(data_dir, dfe, tmp_path):
    from openpyxl import load_workbook

    from xlscorecard.app.workbook_file import build_file as build
    from xlscorecard.model.months import Month
    from xlscorecard.xlsx.template import PACKAGE_TEMPLATE

    old = load_workbook(PACKAGE_TEMPLATE)
    old["Benchmarks"]["F1"] = None
    old.save(tmp_path / "old_template.xlsx")
    run(data_dir, dfe)
    build(data_dir, Month(2020, 8), tmp_path / "dataset.xlsx", tmp_path / "old_template.xlsx")
    assert load_workbook(tmp_path / "dataset.xlsx")["Benchmarks"]["F1"].value == "source"


def test_a_table_without_the_year_is_skipped_saying_why_and_the_rest_written(data_dir, dfe):
    lines = (dfe / D3).read_text("utf-8").splitlines(keepends=True)
    (dfe / D3).write_text("".join(line for line in lines if not line.startswith("2019")), "utf-8")
    before = written(data_dir)
    result = run(data_dir, dfe)
    assert result.exit_code == 1, result.output
    assert f"Skipped CP5-QL: {dfe / D3}, column 'time_period': no rows for 2018-19" in (
        result.output
    )
    assert "its benchmarks are kept as they were." in result.output
    after = written(data_dir)
    assert after["CP5-QL"] == before["CP5-QL"] and after["M2"] != before["M2"]
