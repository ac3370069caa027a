"""Commentary requests: one small workbook per reporter out (``requests``), their commentary and
reasons back in (``collect``), with the reporter as who, never over a comment typed since."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.support.commentary import fill_in
from tests.support.paths import SAMPLE
from xlscorecard.app.request_file import collect_file, requests_file
from xlscorecard.cli import cli
from xlscorecard.errors import Refused
from xlscorecard.jobs.requests import ABOUT, SHEET
from xlscorecard.returns.libreoffice import convert
from xlscorecard.workbook.layout import SHEET as DATASET

REPORTERS = {}
with (SAMPLE / "indicators.csv").open(encoding="utf-8") as file:
    for row in csv.DictReader(file):
        REPORTERS.setdefault(row["reporter"] or row["owner"], []).append(row["ref"])


@pytest.fixture(scope="module")
def sent(built, tmp_path_factory) -> Path:
    """The Aug-20 sample's requests, as ``requests`` writes them (a folder)."""
    folder = tmp_path_factory.mktemp("requests")
    shutil.copy(built("2020-08"), folder / "dataset.xlsx")
    requests_file(folder / "dataset.xlsx", folder / "requests", "Thu 10 Sep 2020")
    return folder / "requests"


@pytest.fixture
def request_for(sent, tmp_path):
    """A fresh copy of a reporter's request, beside the workbook fixture."""

    def copy(reporter: str) -> Path:
        target = tmp_path / f"{reporter} Aug-20.xlsx"
        shutil.copy(sent / f"{reporter} Aug-20.xlsx", target)
        return target

    return copy


def rows_of(path: Path) -> dict[str, int]:
    """The request's indicator rows (ref -> row), as a person reads column A."""
    sheet = load_workbook(path)[SHEET]
    header = header_row(sheet)
    found = {}
    for row in range(header + 1, sheet.max_row + 1):
        ref = sheet.cell(row, 1).value
        if ref is None:
            break
        found[ref] = row
    return found


def header_row(sheet) -> int:
    return next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Ref.")


def column(sheet, heading: str, row: int | None = None) -> int:
    row = row or header_row(sheet)
    return next(c for c in range(1, sheet.max_column + 1) if sheet.cell(row, c).value == heading)


def comment_on(path: Path, ref: str) -> object:
    """What the workbook's Dataset sheet shows in the Aug-20 commentary cell of ``ref``."""
    sheet = load_workbook(path)[DATASET]
    heading = next(
        c for c in range(1, sheet.max_column + 1) if sheet.cell(5, c).value == "Commentary (Aug-20)"
    )
    row = next(r for r in range(6, sheet.max_row + 1) if sheet.cell(r, 1).value == ref)
    return sheet.cell(row, heading).value


def run(*arguments: str):
    return CliRunner().invoke(cli, [str(a) for a in arguments])


# -- out ----------------------------------------------------------------------------------------
def test_requests_go_one_per_reporter_with_only_their_rows(sent):
    files = sorted(path.name for path in sent.iterdir())
    assert files == sorted(f"{reporter} Aug-20.xlsx" for reporter in REPORTERS)
    for reporter, refs in REPORTERS.items():
        path = sent / f"{reporter} Aug-20.xlsx"
        assert list(rows_of(path)) == refs, reporter
        book = load_workbook(path)
        assert reporter in book[SHEET]["A2"].value


def test_a_request_shows_the_figures_the_dataset_sheet_shows(sent, recalculated):
    """The request read by a reader that does not calculate (python-calamine, as a phone's
    preview), against the Dataset sheet as LibreOffice recalculates it."""
    from python_calamine import CalamineWorkbook

    dataset = recalculated("2020-08")[DATASET]
    headings = {dataset.cell(5, c).value: c for c in range(1, dataset.max_column + 1)}
    headings["Aug-20"] = next(
        c for h, c in headings.items() if getattr(h, "month", None) == 8 and h.year == 2020
    )
    rows = {dataset.cell(r, 1).value: r for r in range(6, dataset.max_row + 1)}
    path = sent / "Mary Hardy Aug-20.xlsx"
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
    top = next(k for k, row in enumerate(grid) if row[0] == "Ref.")
    names = ("Aug-20", "% change from Jul-20", "% change from Aug-19", "12-mnth avg", "SN", "DoT")
    compared = 0
    for name in names:
        where = grid[top].index(name)
        for ref, row in rows_of(path).items():
            shown = grid[row - 1][where]
            expected = dataset.cell(rows[ref], headings[name]).value
            if isinstance(expected, int | float):
                assert shown == pytest.approx(expected, rel=1e-9), (ref, name)
            else:
                assert (shown or None) == expected, (ref, name)
            compared += 1
    assert compared == len(names) * len(REPORTERS["Mary Hardy"])


def test_a_request_lets_its_reporter_write_only_the_commentary_and_reasons(sent):
    path = sent / "Stuart Webb Aug-20.xlsx"
    book = load_workbook(path)
    sheet = book[SHEET]
    assert sheet.protection.sheet and book.security.lockStructure
    assert book[ABOUT].sheet_state == "hidden" and book[ABOUT].protection.sheet
    writable = {column(sheet, "Commentary (Aug-20)")}
    unlocked = {
        (cell.row, cell.column) for row in sheet.iter_rows() for cell in row
        if not cell.protection.locked
    }  # fmt: skip
    rows = set(rows_of(path).values())
    commentary = {(r, c) for r, c in unlocked if c in writable and r in rows}
    reasons = unlocked - commentary
    assert len(commentary) == len(rows)
    assert len(reasons) == 3 and {c for _, c in reasons} == {
        3
    }  # the Reason column, as the commentary
    with zipfile.ZipFile(path) as package:
        assert not [name for name in package.namelist() if "vba" in name.lower()]
    assert "Thu 10 Sep 2020" in sheet["A3"].value


def test_requests_never_replace_a_file_already_there(built, tmp_path):
    workbook = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), workbook)
    (tmp_path / "out").mkdir()
    filled = tmp_path / "out" / "Mary Hardy Aug-20.xlsx"
    filled.write_bytes(b"filled in already")
    result = run("requests", workbook, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "Mary Hardy Aug-20.xlsx" in result.output and "--force" in result.output
    assert filled.read_bytes() == b"filled in already"
    assert [p.name for p in (tmp_path / "out").iterdir()] == [filled.name]


# -- back in ------------------------------------------------------------------------------------
def landed(workbook: Path, ref: str, text: str, reporter: str) -> None:
    """The comment is on the Dataset sheet and in the Commentary archive by its reporter."""
    assert comment_on(workbook, ref) == text
    book = load_workbook(workbook)
    archive = [
        r for r in book["Commentary"].iter_rows(values_only=True) if r[:2] == (ref, "2020-08")
    ]
    assert archive == [(ref, "2020-08", text, reporter)]


def test_a_filled_in_request_lands_with_the_reporter_as_who(workbook, request_for):
    path = request_for("Mary Hardy")
    fill_in(path, {"LAC2": "Fewer new episodes in August."}, {"LAC2": "Checked: right."})
    result = run("collect", workbook, path, "--by", "officer")
    assert result.exit_code == 0, result.output
    landed(workbook, "LAC2", "Fewer new episodes in August.", "Mary Hardy")
    book = load_workbook(workbook)
    answers = [r for r in book["Answers"].iter_rows(values_only=True) if r[1] == "LAC2"]
    assert [(a[0], a[4], a[5]) for a in answers] == [("P302", "Checked: right.", "Mary Hardy")]
    audit = [r for r in book["Audit"].iter_rows(values_only=True) if r[3] == "LAC2"]
    assert {(r[1], r[2]) for r in audit} == {
        ("Mary Hardy", "comment from request"),
        ("Mary Hardy", "reason from request"),
    }
    assert all("Mary Hardy Aug-20.xlsx" in r[7] and "officer" in r[7] for r in audit)
    assert "took Mary Hardy's comment on LAC2" in result.output
    assert "Mary Hardy: still missing for Aug-20" in result.output


def test_a_request_saved_through_libreoffice_lands_the_same(workbook, request_for, tmp_path):
    path = request_for("Martin Smith")
    ref = REPORTERS["Martin Smith"][0]
    fill_in(path, {ref: "Typed in a request, saved by LibreOffice."})
    saved = convert(path, "xlsx", tmp_path / "libreoffice")
    collected = collect_file(workbook, [saved], backup=False, user="officer")
    assert collected.problems == 0, collected.lines
    landed(workbook, ref, "Typed in a request, saved by LibreOffice.", "Martin Smith")


def test_collecting_twice_changes_nothing_the_second_time(workbook, request_for):
    mary, stuart = request_for("Mary Hardy"), request_for("Stuart Webb")
    fill_in(mary, {"LAC3": "Planned moves to special guardianship."})
    fill_in(stuart, {}, {"CP2": "The summer break."})
    first = run("collect", workbook, stuart, mary)
    assert first.exit_code == 0 and "Collected 1 comment and 1 reason" in first.output
    before = workbook.read_bytes()
    again = run("collect", workbook, mary, stuart)
    assert again.exit_code == 0
    assert workbook.read_bytes() == before
    assert "Nothing new to collect from 2 requests" in again.output
    assert "dataset.xlsx was not changed." in again.output


def test_a_figure_edited_in_a_request_is_not_taken(workbook, request_for):
    path = request_for("Mary Hardy")
    book = load_workbook(path)
    sheet = book[SHEET]
    cell = sheet.cell(rows_of(path)["LAC1"], column(sheet, "Aug-20"))
    cell.value = 999
    book.save(path)
    result = run("collect", workbook, path)
    assert result.exit_code == 0
    assert f"ignored Request!{cell.coordinate} (LAC1, Aug-20: 493 was changed to 999)" in (
        result.output
    )
    dataset = load_workbook(workbook)
    assert [r[2] for r in dataset["History"].iter_rows(values_only=True)
            if r[:2] == ("LAC1", "2020-08")] == [493]  # fmt: skip


def test_text_written_outside_the_requests_cells_is_said_not_silently_dropped(request_for):
    from xlscorecard.xlsx.request_book import read_request

    path = request_for("Stuart Webb")
    assert read_request(path).changed == []  # as sent: nothing to say
    book = load_workbook(path)
    sheet = book[SHEET]
    end = sheet.max_row
    query = next(r for r in range(1, end + 1) if sheet.cell(r, 1).value == "P302")
    sheet.cell(query, 4).value = "The reason, in the wrong column"
    sheet.cell(end + 2, 1).value = "CP7"
    sheet.cell(end + 2, 3).value = "A comment in a row of its own"
    sheet.cell(6, sheet.max_column + 1).value = "A note beside the table"
    book.save(path)
    changed = read_request(path).changed
    assert f"Request!D{query} (query P302 on CP2 was changed)" in changed
    assert f"Request!C{end + 2} ('A comment in a row of its own', outside the request's cells)" in (
        changed
    )
    assert len(changed) == 4, changed


def test_excels_lock_file_of_an_open_request_is_left_and_said(workbook, request_for):
    path = request_for("Sean Holehouse")
    lock = path.with_name(f"~${path.name}")
    lock.write_bytes(b"\x0bPat Officer" + b"\x00" * 40)  # as Excel writes it
    result = run("collect", workbook, path, lock)
    assert result.exit_code == 0, result.output
    assert f"{lock.name}: left, not a request: Excel's mark that {path.name} is open" in (
        result.output
    )


def test_a_request_for_another_month_is_refused_by_name(workbook, built, tmp_path):
    july = tmp_path / "july" / "dataset.xlsx"
    july.parent.mkdir()
    shutil.copy(built("2020-07"), july)
    (_, old), *_ = requests_file(july, tmp_path / "july requests")
    before = workbook.read_bytes()
    result = run("collect", workbook, old)
    assert result.exit_code == 1
    assert f"Error: {old.name} (the request to " in result.output
    assert "is for Jul-20, and dataset.xlsx is at Aug-20" in result.output
    assert workbook.read_bytes() == before


def test_a_request_from_another_workbook_is_refused_by_name(workbook, request_for, tmp_path):
    other = tmp_path / "other.xlsx"
    shutil.copy(workbook, other)
    before = other.read_bytes()
    with pytest.raises(Refused, match=r"is from dataset\.xlsx .* not from other\.xlsx"):
        collect_file(other, [request_for("Sarah Ward")], backup=False)
    assert other.read_bytes() == before


def test_a_comment_typed_since_the_request_went_out_is_kept_and_theirs_goes_to_audit(
    workbook, request_for
):
    path = request_for("Mary Hardy")
    fill_in(path, {"LAC13": "From the reporter."})
    assert run("comment", workbook, "LAC13", "From the officer.").exit_code == 0
    result = run("collect", workbook, path)
    assert result.exit_code == 0
    assert "Mary Hardy's comment on LAC13 was not taken" in result.output
    assert comment_on(workbook, "LAC13") == "From the officer."
    audit = [r for r in load_workbook(workbook)["Audit"].iter_rows(values_only=True)]
    assert [(r[1], r[5], r[6]) for r in audit if r[2] == "request comment not taken"] == [
        ("Mary Hardy", "From the officer.", "From the reporter.")
    ]
    before = workbook.read_bytes()
    assert "not taken" in run("collect", workbook, path).output
    assert workbook.read_bytes() == before  # said again, recorded once


def test_the_draft_is_beside_the_commentary_never_in_it(sent, sample):
    from xlscorecard.calc.drafts import drafts
    from xlscorecard.model import Month

    path = sent / "Mary Hardy Aug-20.xlsx"
    sheet = load_workbook(path)[SHEET]
    found = drafts(sample, Month(2020, 8))
    draft, commentary = (
        column(sheet, "Draft from the figures"),
        column(sheet, "Commentary (Aug-20)"),
    )
    assert draft == commentary + 1
    for ref, row in rows_of(path).items():
        assert sheet.cell(row, draft).value == found[ref].text
        assert sheet.cell(row, commentary).value != found[ref].text


def test_two_reporters_whose_names_make_one_file_name_get_two_files():
    from dataclasses import replace

    from xlscorecard.checks.testing import sample_book
    from xlscorecard.jobs.requests import plan_requests

    book = sample_book()
    dataset = book.dataset
    dataset.indicators = [
        replace(i, reporter="A/B" if k % 2 else "A B") for k, i in enumerate(dataset.indicators)
    ]
    plans = plan_requests(book, [])
    assert [p.reporter for p in plans] == ["A B", "A/B"]
    assert [p.file_name for p in plans] == ["A B Aug-20.xlsx", "A B Aug-20 (2).xlsx"]


def test_a_reporter_with_a_very_long_name_gets_a_file_name_a_file_system_takes(tmp_path):
    from dataclasses import replace

    from xlscorecard.app.request_file import write_requests
    from xlscorecard.checks.testing import sample_book
    from xlscorecard.jobs.requests import plan_requests

    book = sample_book()
    book.dataset.indicators = [
        replace(i, reporter="\u00fc" * 130 + ("" if k % 2 else "x"))
        for k, i in enumerate(book.dataset.indicators)
    ]
    plans = plan_requests(book, [])
    written = write_requests(plans, book.dataset, tmp_path)  # 260 bytes would be too long
    assert [path.name for _, path in written] == [
        "\u00fc" * 60 + " Aug-20.xlsx",
        "\u00fc" * 60 + " Aug-20 (2).xlsx",
    ]


def test_a_query_answered_since_the_request_went_out_keeps_its_answer(workbook, request_for):
    path = request_for("Stuart Webb")
    fill_in(path, {}, {"CP2": "From the reporter."})
    assert run("answer", workbook, "P302", "CP2", "From the officer.").exit_code == 0
    result = run("collect", workbook, path)
    assert result.exit_code == 0
    assert "Stuart Webb's reason for P302 on CP2 was not taken" in result.output
    book = load_workbook(workbook)
    answers = [r for r in book["Answers"].iter_rows(values_only=True) if r[1] == "CP2"]
    assert [a[4] for a in answers] == ["From the officer."]
    audit = [r for r in book["Audit"].iter_rows(values_only=True)]
    assert [(r[1], r[6]) for r in audit if r[2] == "request reason not taken"] == [
        ("Stuart Webb", "From the reporter.")
    ]


def test_a_reason_for_a_query_open_again_is_taken_over_the_answer_kept_from_before():
    """An answer given for earlier figures does not close the query: the reporter's reason,
    written for the figures the request showed, is taken (pure: no files)."""
    from xlscorecard.checks.testing import sample_book, type_into
    from xlscorecard.jobs.answer import answer_query
    from xlscorecard.jobs.requests import Returned, collect, plan_requests
    from xlscorecard.jobs.validate import validate

    book = sample_book()
    answer_query(book, "P302", "CP2", None, "For 22.", "officer", "t0")
    type_into(book, "CP2", "2020-08", 20)  # the query is open again, finding 20
    findings = validate(book, "officer", "t1").findings
    (plan,) = [p for p in plan_requests(book, findings) if p.reporter == "Stuart Webb"]
    (query,) = [q for q in plan.queries if q.ref == "CP2"]
    returned = Returned(
        plan.file_name, plan.identity, plan.digest,
        reasons={query.key: ("", "For 20.")}, found={query.key: query.found},
    )  # fmt: skip
    collected = collect(book, [returned], "officer", "t2")
    assert collected.problems == 0, collected.lines
    assert book.answers[query.key].reason == "For 20."
    assert book.answers[query.key].by == "Stuart Webb"


def test_a_request_whose_rows_were_sorted_is_read_row_by_row(request_for):
    from xlscorecard.xlsx.request_book import read_request

    path = request_for("Simon Dennison")
    fill_in(path, {"M4": "About M4.", "EH5-QL": "About EH5-QL."})
    book = load_workbook(path)
    sheet = book[SHEET]
    (first, second) = rows_of(path).values()
    for c in range(1, sheet.max_column + 1):  # sort the two rows the other way round
        a, b = sheet.cell(first, c), sheet.cell(second, c)
        a.value, b.value = b.value, a.value
    book.save(path)
    returned = read_request(path)
    assert returned.changed == []
    assert {ref: typed for ref, (_, typed) in returned.comments.items()} == {
        "M4": "About M4.",
        "EH5-QL": "About EH5-QL.",
    }
