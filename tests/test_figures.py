"""``xlscorecard figures``: case-level files recognised by what they hold (not their names),
the extract ``import`` takes with a source for every figure, a trail of every record counted,
and bad input refused with an ``Error:`` naming file and line, exit 2 and nothing written."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.paths import ROOT
from xlscorecard.app import workbook_file
from xlscorecard.cli import cli
from xlscorecard.model import Month

SAMPLE = ROOT / "samples" / "southampton"
CASES = ROOT / "samples" / "caselevel"
EPISODES = """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,URN
G,01/06/2019,S,C2,N1,U1,PR1,31/12/2019,X1,,
G,31/12/2019,P,C2,N1,U4,PR5,31/01/2020,E11,,
H,06/12/2019,S,V3,N1,U1,PR1,08/12/2019,E13,,
J,10/12/2019,S,C2,N1,U4,PR1,29/02/2020,E45,,
"""
UASC = "CHILD,SEX,DOB,DUC\nJ,M,01/02/2002,15/01/2020\n"
CIN = """<?xml version="1.0" encoding="utf-8"?>
<Message xmlns="http://www.example.org/cin">
  <Header/>
  <Children>
    <Child>
      <ChildIdentifiers><LAchildID>A</LAchildID><PersonBirthDate>2006-01-20</PersonBirthDate></ChildIdentifiers>
      <CINdetails>
        <CINreferralDate>2020-01-06</CINreferralDate>
        <CINclosureDate>2020-01-06</CINclosureDate>
        <ReferralNFA>true</ReferralNFA>
      </CINdetails>
      <CINdetails>
        <CINreferralDate>2020-01-20</CINreferralDate>
        <Assessments>
          <AssessmentActualStartDate>2019-11-18</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2020-01-24</AssessmentAuthorisationDate>
        </Assessments>
        <Section47>
          <S47ActualStartDate>2020-01-20</S47ActualStartDate>
          <DateOfInitialCPC>2020-01-31</DateOfInitialCPC>
        </Section47>
        <ReferralNFA>false</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2020-01-31</CPPstartDate>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def annex_a(path: Path, header: list[str], rows: list[list[object]], title: str = "List 1"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(["Annex A: contacts"])  # a title above the header, as some councils have
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


@pytest.fixture
def folder(tmp_path) -> Path:
    """Case-level files under names that say nothing of what they hold."""
    files = tmp_path / "files"
    files.mkdir()
    (files / "export1.csv").write_text(EPISODES, encoding="utf-8")
    (files / "export2.txt").write_text(UASC, encoding="utf-8")
    (files / "census").write_text(CIN, encoding="utf-8")
    annex_a(
        files / "lists.xlsx",
        ["CHILD UNIQUE ID", "b) Gender", " a) Date of  contact ", "Contact source"],
        [
            ["A", "a) Male", dt.datetime(2020, 1, 31), "a) 1A"],  # a real date cell
            [101, "a) Male", "01/01/2020", "a) 1A"],  # DD/MM/YYYY text, a numeric ID
            ["C", "a) Male", "2020-01-15", "a) 6"],  # ISO text
            ["D", "a) Male", 43861, "a) 6"],  # an Excel serial: 31/01/2020
            ["E", "a) Male", "2019-12-31", "a) 6"],
        ],
    )
    (files / "notes.md").write_text("# What these files are\n", encoding="utf-8")
    return files


def run(*args: object):
    return CliRunner().invoke(cli, ["figures", *map(str, args)])


def extract_rows(path: Path) -> dict[tuple[str, str], str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(r["ref"], r["month"]): r["value"] for r in csv.DictReader(handle)}


def test_files_are_recognised_by_what_they_hold_and_counted(folder, tmp_path):
    out = tmp_path / "extract.csv"
    result = run(SAMPLE, "--month", "2020-01", "--months", "2", "--from", folder, "-o", out)
    assert result.exit_code == 0, result.output
    rows = extract_rows(out)
    assert rows[("M1", "2019-12")] == "1"
    assert rows[("M1", "2020-01")] == "4"  # a date cell, DD/MM/YYYY, ISO text, a serial
    assert rows[("M2", "2020-01")] == "2"
    assert rows[("M6-QL (val)", "2020-01")] == "1"
    assert rows[("LAC1", "2019-12")] == "2"  # G once across the move on 31 Dec, J
    assert rows[("LAC3", "2020-01")] == "1"  # G adopted, not G's placement move
    assert rows[("LAC13", "2019-12")] == "1"
    assert rows[("CP6B", "2020-01")] == "1"  # a plan starting on the last day
    assert rows[("EH3e%", "2020-01")] == "1"  # 46 working days over Christmas
    assert "export1.csv, census, export2.txt, lists.xlsx" in result.output or (
        "from census, export1.csv, export2.txt, lists.xlsx" in result.output
    )


def test_each_figure_names_its_files_and_rule_as_its_source(folder, tmp_path):
    out = tmp_path / "extract.csv"
    assert run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", out).exit_code == 0
    with out.open(encoding="utf-8", newline="") as handle:
        sources = {row["ref"]: row["source"] for row in csv.DictReader(handle)}
    assert (
        sources["LAC13"]
        == "figures from case-level files: export1.csv, export2.txt, rule uasc_at_month_end"
    )
    assert sources["M1"] == "figures from case-level files: lists.xlsx, rule contacts"


def test_a_file_it_cannot_recognise_is_named_in_a_note_and_left(folder, tmp_path):
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", tmp_path / "x.csv")
    assert result.exit_code == 0
    assert f"Note: {folder / 'notes.md'}: not a table this reads" in result.output


def test_indicators_with_no_measure_are_listed_as_hand_entered(folder, tmp_path):
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", tmp_path / "x.csv")
    assert "Hand-entered (no measure in figures.toml): M8-QL, M5, EH5-QL, CP8-QL, LAC7-QL, " in (
        result.output
    )


def test_a_measure_whose_file_is_missing_is_left_to_type_with_a_note(folder, tmp_path):
    (folder / "lists.xlsx").unlink()
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", tmp_path / "x.csv")
    assert result.exit_code == 0
    assert "Note: M1 needs an Annex A workbook with list 1 (contacts); none is in " in result.output
    assert not any(ref == "M1" for ref, _ in extract_rows(tmp_path / "x.csv"))


def test_the_trail_lists_each_child_counted_with_the_dates_and_codes(folder, tmp_path):
    trail = tmp_path / "trail"
    result = run(SAMPLE, "--month", "2020-01", "--months", "2", "--from", folder,
                 "-o", tmp_path / "x.csv", "--trail", trail)  # fmt: skip
    assert result.exit_code == 0, result.output
    with (trail / "LAC1.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    december = [(r["child"], r["decom"], r["rne"], r["record"]) for r in rows
                if r["month"] == "2019-12"]  # fmt: skip
    assert december == [("G", "2019-12-31", "P", "export1.csv, line 3"),
                        ("J", "2019-12-10", "S", "export1.csv, line 5")]  # fmt: skip
    with (trail / "figures.csv").open(encoding="utf-8", newline="") as handle:
        index = {(r["ref"], r["month"]): r for r in csv.DictReader(handle)}
    assert index[("LAC1", "2019-12")]["records"] == "2"
    assert index[("EH3e%", "2020-01")]["file"] == "EH3e%.csv"
    assert index[("M1", "2020-01")]["in extract"] == "Y"


def test_a_second_run_replaces_its_own_trail(folder, tmp_path):
    trail = tmp_path / "trail"
    for months in ("2", "1"):
        run(SAMPLE, "--month", "2020-01", "--months", months, "--from", folder,
            "-o", tmp_path / "x.csv", "--trail", trail)  # fmt: skip
    with (trail / "figures.csv").open(encoding="utf-8", newline="") as handle:
        assert {r["month"] for r in csv.DictReader(handle)} == {"2020-01"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_trail_folder_holding_other_files_is_refused(folder, tmp_path):
    trail = tmp_path / "mine"
    trail.mkdir()
    (trail / "keep.txt").write_text("mine", encoding="utf-8")
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", tmp_path / "x.csv",
                 "--trail", trail)  # fmt: skip
    assert result.exit_code == 2
    assert "holds files that are not a trail" in result.output
    assert not (tmp_path / "x.csv").exists()


def _refused(result, out: Path, trail: Path, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: "), result.output
    assert message in result.output
    assert ("Traceback" not in result.output and not isinstance(result.exception, Exception)) or (
        isinstance(result.exception, SystemExit)
    )
    assert not out.exists() and not trail.exists()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("export1.csv", EPISODES.replace("10/12/2019", "31/02/2020"),
         "export1.csv, line 5, column 'DECOM': '31/02/2020' is not a date that exists"),
        ("export1.csv", EPISODES.replace(",REC,", ",REASON,"),
         "export1.csv, line 1: the 903 episodes table has no column REC"),
        ("export1.csv", EPISODES.replace(",RNE,", ",RNX,"),
         "export1.csv, line 1: the 903 episodes table has no column RNE"),
        ("export1.csv", EPISODES.replace("E45", "E99"),
         "export1.csv, line 5, column 'REC': 'E99' is not a 903 REC code"),
        ("export1.csv", EPISODES.replace("29/02/2020,E45", "29/02/2020,"),
         "export1.csv, line 5, column 'REC': blank: an episode that ends (DEC) says why"),
        ("census", CIN.replace("</CINclosureDate>", "</CINclosure>"),
         "census, line 9: is not well-formed XML (column 37: mismatched tag)"),
        ("census", CIN.replace("2020-01-24", "2020-13-24"),
         "census, line 16, column 'AssessmentAuthorisationDate': '2020-13-24' is not a date"),
        ("census", CIN.replace("<Message", '<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Message'),
         "census, line 2: has a DOCTYPE (entity declarations), which a CIN census never has"),
        ("census", CIN.replace("<NumberOfPreviousCPP>0", "<NumberOfPreviousCPP>two"),
         "census, line 25, column 'NumberOfPreviousCPP': expected a whole number, found 'two'"),
    ],
    ids=["date-that-does-not-exist", "missing-column", "missing-rne", "unknown-code",
         "ending-without-reason", "xml-not-well-formed", "xml-bad-date", "xml-doctype",
         "xml-bad-number"],
)  # fmt: skip
def test_bad_input_is_an_error_naming_file_and_line_and_nothing_is_written(
    folder, tmp_path, name, text, message
):
    (folder / name).write_text(text, encoding="utf-8")
    out, trail = tmp_path / "x.csv", tmp_path / "trail"
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", out, "--trail", trail)
    _refused(result, out, trail, message)


def test_a_folder_with_no_case_level_file_is_an_error_and_nothing_is_written(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("# nothing here\n", encoding="utf-8")
    out, trail = tmp_path / "x.csv", tmp_path / "trail"
    result = run(SAMPLE, "--month", "2020-01", "--from", empty, "-o", out, "--trail", trail)
    assert result.exit_code == 2, result.output
    assert f"Note: {empty / 'notes.md'}: not a table this reads" in result.output
    assert f"Error: {empty} holds no case-level file that figures reads" in result.output
    assert not out.exists() and not trail.exists()


@pytest.mark.parametrize(
    "prefix", ["a)", "1) ", "(b) "], ids=["no-space", "numbered", "bracketed"]
)  # fmt: skip
def test_annex_a_headers_with_other_list_prefixes_are_recognised(folder, tmp_path, prefix):
    annex_a(
        folder / "lists.xlsx",
        [f"{prefix}Child Unique ID", f"{prefix}Date of Contact"],
        [["A", "31/01/2020"], ["B", "2020-01-02"]],
    )
    out = tmp_path / "x.csv"
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert extract_rows(out)[("M1", "2020-01")] == "2"


def test_annex_a_list_1_saved_as_csv_below_a_title_is_read_with_its_lines(folder, tmp_path):
    (folder / "lists.xlsx").unlink()
    (folder / "contacts.csv").write_text(
        "Annex A List 1: Contacts\n\nChild Unique ID,Gender,Date of Contact\n"
        "A,a) Male,03/01/2020\nB,a) Male,30/02/2020\n",
        encoding="utf-8",
    )
    out, trail = tmp_path / "x.csv", tmp_path / "trail"
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", out, "--trail", trail)
    _refused(result, out, trail, "contacts.csv, line 5, column 'Date of Contact': '30/02/2020'")


def test_a_date_with_a_time_of_day_is_read_as_its_day(folder, tmp_path):
    (folder / "export1.csv").write_text(
        EPISODES.replace("31/01/2020,E11", "31/01/2020 00:00,E11"), encoding="utf-8"
    )
    out = tmp_path / "x.csv"
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert extract_rows(out)[("LAC3", "2020-01")] == "1"


def test_a_bad_date_in_annex_a_names_the_sheet_and_cell(folder, tmp_path):
    annex_a(folder / "lists.xlsx", ["Child Unique ID", "Date of Contact"], [["A", "30/02/2020"]])
    out, trail = tmp_path / "x.csv", tmp_path / "trail"
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", out, "--trail", trail)
    _refused(result, out, trail, "lists.xlsx!'List 1'!B3: '30/02/2020' is not a date that exists")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[measures]\nM2 = "referral"\n',
         "figures.toml, line 2, column 'M2': 'referral' is not a measure (did you mean "
         "'referrals'?)"),
        ('[measures]\nM3 = "referrals"\n',
         "M3 is worked out by the workbook from M2 and M1: map its parts"),
        ('[measures]\nM1 = "assessments_over_45_days_percent"\n',
         "assessments_over_45_days_percent is a percent but M1 is a count"),
        ('[measures]\nM99 = "referrals"\n', "no indicator has this ref in indicators.csv"),
        ('[measures]\nM2 = "referrals"\n[conventions]\nshort_breaks = "V4"\n',
         "figures.toml, line 4, column 'short_breaks': expected a list of codes"),
    ],
    ids=["unknown-measure", "derived", "unit", "unknown-ref", "convention"],
)  # fmt: skip
def test_a_mapping_that_cannot_be_used_is_an_error_naming_its_line(folder, tmp_path, toml, message):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    (data / "figures.toml").write_text(toml, encoding="utf-8")
    out, trail = tmp_path / "x.csv", tmp_path / "trail"
    result = run(data, "--month", "2020-01", "--from", folder, "-o", out, "--trail", trail)
    _refused(result, out, trail, message)


def test_the_sample_maps_every_indicator_the_standard_files_can_give():
    from xlscorecard.caselevel.mapping import read_mapping
    from xlscorecard.datadir.folder import load_data_dir

    dataset = load_data_dir(SAMPLE)
    mapped = read_mapping(SAMPLE, dataset).measures
    typed = {i.ref for i in dataset.indicators if not i.is_derived}
    assert typed - set(mapped) == {"M8-QL", "M5", "EH5-QL", "CP8-QL", "LAC7-QL", "LAC10-QL",
                                   "LAC11-QL", "LAC11-QL (%)", "NI147", "LAC16"}  # fmt: skip


def test_the_extract_of_the_bundled_sample_imports_into_the_sample_workbook(workbook, tmp_path):
    out = tmp_path / "extract.csv"
    result = run(SAMPLE, "--month", "2020-08", "--months", "12", "--from", CASES, "-o", out)
    assert result.exit_code == 0, result.output
    rows = extract_rows(out)
    outcome = workbook_file.import_file(workbook, out)
    assert outcome.summary.startswith(f"Imported {len(rows)} figures: "), outcome.summary
    assert "into Aug-20" in outcome.summary and "into Sep-19." in outcome.summary
    values = workbook_file.open_book(workbook)[1].dataset.values
    for ref, month in [("LAC1", "2020-08"), ("M2", "2020-03"), ("EH3a%", "2020-08")]:
        assert values[(ref, Month.parse(month))] == pytest.approx(float(rows[(ref, month)]))


def test_docs_list_every_measure_and_every_convention():
    from xlscorecard.caselevel.conventions import CONVENTIONS
    from xlscorecard.caselevel.measures import MEASURES

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = text[text.index("## figures") : text.index("## save-return")]
    assert all(f"| `{name}` |" in section for name in MEASURES)
    assert all(f"- `{name} = " in section for name in CONVENTIONS)


D2I = ROOT / "tests" / "fixtures" / "d2i_903"


def _recount(month: str) -> dict[str, int]:
    """LAC1, LAC2 and LAC3 of D2I's fake episodes, counted here by a plain loop."""
    first = dt.datetime.strptime(month + "-01", "%Y-%m-%d").date()
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)

    def day(text: str) -> dt.date | None:
        return dt.datetime.strptime(text, "%d/%m/%Y").date() if text else None

    looked_after, started, ceased = set(), 0, 0
    with (D2I / "episodes.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["LS"] in ("V3", "V4"):
                continue
            start, end = day(row["DECOM"]), day(row["DEC"])
            if start <= last and (end is None or end > last):
                looked_after.add(row["CHILD"])
            started += first <= start <= last and row["RNE"] == "S"
            ceased += end is not None and first <= end <= last and row["REC"] != "X1"
    return {"LAC1": len(looked_after), "LAC2": started, "LAC3": ceased}


def test_d2i_fake_903_data_is_read_and_counted_as_a_plain_recount_counts_it(tmp_path):
    out = tmp_path / "extract.csv"
    result = run(SAMPLE, "--month", "2018-03", "--months", "12", "--from", D2I, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"Note: {D2I / 'header.csv'}: the 903 header table, which no rule needs" in result.output
    rows = extract_rows(out)
    for month in ("2017-04", "2017-08", "2018-01"):
        assert {ref: int(rows[(ref, month)]) for ref in ("LAC1", "LAC2", "LAC3")} == _recount(month)


def test_a_record_in_two_files_counts_once_as_the_file_where_it_has_ended_has_it(folder, tmp_path):
    """Last year's census holds A's second referral and plan open; this year's ends them (and
    the episodes table appears twice, its copy with G's episodes still open)."""
    (folder / "census-2019.xml").write_text(CIN, encoding="utf-8")
    ended = CIN.replace(
        "<CPPstartDate>2020-01-31</CPPstartDate>",
        "<CPPstartDate>2020-01-31</CPPstartDate><CPPendDate>2020-02-10</CPPendDate>",
    )
    ended = ended.replace("<CINreferralDate>2020-01-20</CINreferralDate>",
                          "<CINreferralDate>2020-01-20</CINreferralDate>"
                          "<CINclosureDate>2020-02-20</CINclosureDate>")  # fmt: skip
    (folder / "census").write_text(ended, encoding="utf-8")
    (folder / "export0.csv").write_text(
        EPISODES.replace("31/01/2020,E11", ",").replace("31/12/2019,X1", ","), encoding="utf-8"
    )
    out = tmp_path / "x.csv"
    result = run(SAMPLE, "--month", "2020-02", "--months", "2", "--from", folder, "-o", out)
    assert result.exit_code == 0, result.output
    rows = extract_rows(out)
    assert rows[("M2", "2020-01")] == "2"  # not 4
    assert (rows[("CP7", "2020-02")], rows[("CP6B", "2020-02")]) == ("1", "0")
    assert rows[("LAC1", "2020-01")] == "1"  # J: G's episodes ended, as export1.csv says
    assert rows[("LAC3", "2020-01")] == "1"


def test_stacked_annex_a_lists_count_a_contact_once_and_a_list_its_own_rows(folder, tmp_path):
    header = ["Child Unique ID", "Date of Contact", "Contact Source"]
    annex_a(folder / "lists-feb.xlsx", header, [["A", "2020-01-31", "a) 1A"],
                                                 ["Z", "2020-02-03", "a) 1A"],
                                                 ["Z", "2020-02-03", "a) 1A"]])  # fmt: skip
    out = tmp_path / "x.csv"
    result = run(SAMPLE, "--month", "2020-02", "--months", "2", "--from", folder, "-o", out)
    assert result.exit_code == 0, result.output
    rows = extract_rows(out)
    assert rows[("M1", "2020-01")] == "4"  # A's contact on 31 Jan is in both workbooks
    assert rows[("M1", "2020-02")] == "2"  # two rows of one file: two contacts


def _hand_made_xlsx(path: Path, sheet_xml: str) -> None:
    """The smallest workbook a system might write: no styles, no shared strings."""
    import zipfile

    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", f'<workbook {main} {rel}><sheets><sheet name="Contacts" '
                   'sheetId="1" r:id="rId1"/></sheets></workbook>')  # fmt: skip
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet {main}><sheetData>{sheet_xml}"
                   "</sheetData></worksheet>")  # fmt: skip


def test_a_workbook_of_inline_strings_and_cells_without_references_is_read(folder, tmp_path):
    (folder / "lists.xlsx").unlink()
    _hand_made_xlsx(folder / "contacts.xlsx", (
        '<row r="1"><c t="inlineStr"><is><t>Child Unique ID</t></is></c>'
        '<c t="inlineStr"><is><t>Date Of Contact</t></is></c></row>'
        '<row r="2"><c><v>77</v></c><c t="d"><v>2020-01-31T00:00:00</v></c></row>'
        '<row r="3"><c r="A3" t="str"><v>B</v></c><c r="C3"><v>1</v></c>'
        '<c r="B3"><v>43862</v></c></row>'
    ))  # fmt: skip
    out = tmp_path / "x.csv"
    result = run(SAMPLE, "--month", "2020-02", "--months", "2", "--from", folder, "-o", out)
    assert result.exit_code == 0, result.output
    rows = extract_rows(out)
    assert (rows[("M1", "2020-01")], rows[("M1", "2020-02")]) == ("1", "1")


def test_a_broken_annex_a_list_is_an_error_and_a_broken_workbook_a_note(folder, tmp_path):
    (folder / "lists.xlsx").unlink()
    header = '<row r="1"><c t="inlineStr"><is><t>Child Unique ID</t></is></c>' + (
        '<c t="inlineStr"><is><t>Date of Contact</t></is></c></row>'
    )
    _hand_made_xlsx(folder / "contacts.xlsx", header + '<row r="2"><c t="s"><v>7</v></c></row>')
    out, trail = tmp_path / "x.csv", tmp_path / "trail"
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", out, "--trail", trail)
    _refused(result, out, trail, "contacts.xlsx: Annex A list 1: sheet xl/worksheets/sheet1.xml, "
             "row 2, cannot be read")  # fmt: skip
    (folder / "contacts.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", out)
    assert result.exit_code == 0
    assert f"Note: {folder / 'contacts.xlsx'}: not a workbook that can be read" in result.output


def test_a_blank_duc_is_the_18th_birthday(folder, tmp_path):
    """J turns 18 on 1 February 2020 with no DUC: UASC at the end of January, not of February."""
    (folder / "export2.txt").write_text("CHILD,SEX,DOB,DUC\nJ,M,01/02/2002,\n", encoding="utf-8")
    (folder / "export1.csv").write_text(
        EPISODES.replace("29/02/2020,E45", "31/03/2020,E45"), encoding="utf-8"
    )
    out = tmp_path / "x.csv"
    result = run(SAMPLE, "--month", "2020-02", "--months", "2", "--from", folder, "-o", out)
    assert result.exit_code == 0, result.output
    rows = extract_rows(out)
    assert (rows[("LAC13", "2020-01")], rows[("LAC13", "2020-02")]) == ("1", "0")


def test_a_month_after_a_files_last_date_is_left_to_type_not_written_as_0(folder, tmp_path):
    out, trail = tmp_path / "x.csv", tmp_path / "trail"
    result = run(SAMPLE, "--month", "2020-02", "--months", "2", "--from", folder, "-o", out,
                 "--trail", trail)  # fmt: skip
    assert result.exit_code == 0, result.output
    with (trail / "figures.csv").open(encoding="utf-8", newline="") as handle:
        index = {(r["ref"], r["month"]): r["in extract"] for r in csv.DictReader(handle)}
    assert (index[("M2", "2020-01")], index[("M2", "2020-02")]) == ("Y", "N")
    note = "census holds dates from 18/11/2019 to 31/01/2020: nothing is counted from it for Feb-20"
    assert f"Note: {note}, left to type" in result.output
    rows = extract_rows(out)
    assert ("M2", "2020-01") in rows and ("M2", "2020-02") not in rows
    assert ("LAC1", "2020-02") in rows  # the 903 runs to 29/02/2020


def test_months_a_file_cannot_speak_for_are_named_as_a_span(folder, tmp_path):
    out = tmp_path / "x.csv"
    result = run(SAMPLE, "--month", "2020-06", "--months", "10", "--from", folder, "-o", out)
    assert result.exit_code == 0, result.output
    note = "census holds dates from 18/11/2019 to 31/01/2020: nothing is counted from it for "
    assert f"Note: {note}Sep-19, Oct-19, Feb-20 to Jun-20, left to type" in result.output


def test_an_extract_named_as_a_file_it_reads_is_refused_and_the_file_kept(folder, tmp_path):
    before = (folder / "export1.csv").read_bytes()
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", folder / "export1.csv")
    assert result.exit_code == 2, result.output
    assert "is one of the case-level files it reads: name another file" in result.output
    assert (folder / "export1.csv").read_bytes() == before


def test_a_trail_named_as_the_extract_is_refused(folder, tmp_path):
    out = tmp_path / "x.csv"
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", out, "--trail", out)
    assert result.exit_code == 2, result.output
    assert f"Error: -o and --trail both name {out}" in result.output
    assert not out.exists()


def test_a_childs_id_that_reads_as_a_formula_is_text_in_the_trail(folder, tmp_path):
    (folder / "export1.csv").write_text(EPISODES.replace("J,", "=HYPERLINK(1),"), encoding="utf-8")
    trail = tmp_path / "trail"
    result = run(SAMPLE, "--month", "2020-01", "--from", folder, "-o", tmp_path / "x.csv",
                 "--trail", trail)  # fmt: skip
    assert result.exit_code == 0, result.output
    with (trail / "LAC1.csv").open(encoding="utf-8", newline="") as handle:
        children = {row["child"] for row in csv.DictReader(handle)}
    assert "'=HYPERLINK(1)" in children and "=HYPERLINK(1)" not in children
