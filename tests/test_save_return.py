"""Save the official return: refusals, the file of values, its PDF, verify, the Audit record."""

from __future__ import annotations

import copy
import math
import os
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.styles import PatternFill

from tests.support.returns import fake_pdf, make_ready, set_in_package
from xlscorecard import __version__
from xlscorecard.app import return_file, workbook_file
from xlscorecard.calc import figures as calc
from xlscorecard.cli import cli
from xlscorecard.errors import Refused, ScorecardError
from xlscorecard.jobs import official_return
from xlscorecard.model import NOT_APPLICABLE
from xlscorecard.model.months import Month
from xlscorecard.returns import transaction
from xlscorecard.store.backups import versions
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.formulas import NOT_AVAILABLE
from xlscorecard.workbook.layout import SHEET, Field
from xlscorecard.xlsx import apply as file_applier

USER, WHEN = "a.officer", "2020-09-10 09:30:00"
STEM = "Children and Families Aug-20"


def audit(path: Path) -> list[tuple]:
    return list(load_workbook(path)[sheets.AUDIT].iter_rows(min_row=2, values_only=True))


def pdf_info(path: Path) -> dict[str, str]:
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in output.stdout.splitlines())
    }


@pytest.fixture
def ready(built, tmp_path) -> Path:
    return make_ready(built("2020-08"), tmp_path / "dataset.xlsx")


@pytest.fixture(scope="module")
def saved(built, tmp_path_factory):
    """One real save of the ready Aug-20 workbook, PDF by LibreOffice: (workbook, result)."""
    folder = tmp_path_factory.mktemp("saved")
    path = make_ready(built("2020-08"), folder / "dataset.xlsx")
    before = workbook_file.open_book(path)[1]
    result = return_file.save_return_file(path, folder / "returns", user=USER, when=WHEN)
    return path, result, before


# -- refusing ----------------------------------------------------------------------------------
def test_a_refusal_lists_what_blocks_the_return_and_writes_nothing(workbook, tmp_path):
    before = workbook.read_bytes()
    with pytest.raises(Refused) as refused:
        return_file.save_return_file(workbook, tmp_path / "returns")
    message = str(refused.value)
    assert message.startswith(
        "Cannot save the Aug-20 return until these are resolved (nothing was saved): "
        "3 comments to write on Dataset; 6 queries to answer on Checks."
    )
    assert sorted(f.code for f in refused.value.findings) == ["C402"] * 3 + ["C403"] + ["P302"] * 5
    assert all(f.cell in message for f in refused.value.findings)
    assert not (tmp_path / "returns").exists()
    assert workbook.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset.xlsx"]


def test_an_answered_query_does_not_block_but_a_big_change_without_a_comment_does(ready):
    workbook = load_workbook(ready)
    _, book = workbook_file.open_book(ready)
    workbook[SHEET][book.layout.cell("LAC2", Field.COMMENTARY)] = None
    workbook.save(ready)
    with pytest.raises(Refused) as refused:
        return_file.save_return_file(ready, ready.parent / "returns")
    assert [(f.code, f.ref, f.severity.value) for f in refused.value.findings] == [
        ("C402", "LAC2", "query")
    ]


def test_the_command_refuses_with_the_list_and_exit_1(workbook, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["save-return", "dataset.xlsx", "--out", "returns"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot save the Aug-20 return")
    assert result.output.count("\n  COMMENT C402 ") == 3 and result.output.count("\n  QUERY ") == 6
    assert not (tmp_path / "returns").exists()


@pytest.mark.parametrize("arguments", [["--force"], ["--force", ""], ["--force", "  "]])
def test_force_needs_a_reason(workbook, tmp_path, monkeypatch, arguments):
    monkeypatch.chdir(tmp_path)
    before = workbook.read_bytes()
    result = CliRunner().invoke(cli, ["save-return", "dataset.xlsx", *arguments])
    assert result.exit_code == 2
    assert result.output.startswith("Error: --force needs a reason")
    assert workbook.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset.xlsx"]


def test_reason_without_force_is_a_usage_error(workbook, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["save-return", "dataset.xlsx", "--reason", "why"])
    assert result.exit_code == 2 and "--reason goes with --force" in result.output


# -- forcing -----------------------------------------------------------------------------------
def test_force_records_the_override_and_its_reason_in_audit(workbook, tmp_path):
    reason = "Management team meets today; comments follow."
    result = return_file.save_return_file(
        workbook, tmp_path / "returns", force=reason, pdf_maker=fake_pdf, user=USER, when=WHEN
    )
    rows = audit(workbook)
    assert rows[0] == (
        WHEN, USER, "return forced", None, "2020-08", None, None,
        f"{reason} (saved despite 3 comments to write, 6 queries to answer)",
    )  # fmt: skip
    assert rows[1][:5] == (WHEN, USER, "return saved", None, "2020-08")
    assert rows[1][6] == f"{STEM}.xlsx"
    assert "Saved despite 3 comments to write, 6 queries to answer" in result.summary
    block = return_block(result.placed.xlsx)
    assert block["Saved despite"] == (f"3 comments to write, 6 queries to answer. Reason: {reason}")
    checks = load_workbook(result.placed.xlsx)[sheets.CHECKS]
    assert [row[1] for row in checks.iter_rows(min_row=2, values_only=True)].count("C402") == 3


def test_force_and_reason_on_the_command_line(workbook, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def rendered(
        xlsx: Path, target_format: str, out_dir: Path, scratch: Path | None = None
    ) -> Path:
        fake_pdf(xlsx, out_dir / f"{xlsx.stem}.pdf")
        return out_dir / f"{xlsx.stem}.pdf"

    monkeypatch.setattr(transaction, "convert", rendered)
    result = CliRunner().invoke(
        cli, ["save-return", "dataset.xlsx", "--force", "--reason", "Deadline today."]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f"Saved the Aug-20 return: {STEM}.xlsx and its PDF {STEM}.pdf."
    )
    assert audit(workbook)[0][7].startswith("Deadline today. (saved despite")


# -- the return --------------------------------------------------------------------------------
def return_block(path: Path) -> dict[str, object]:
    sheet = load_workbook(path)[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == official_return.BLOCK_TITLE)
    return {row[0]: row[1] for row in rows[start + 1 :] if row[0]}


def every_cell(path: Path):
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell


def test_the_return_is_named_from_settings_and_sits_beside_its_pdf(saved):
    _, result, _ = saved
    assert result.placed.xlsx.name == f"{STEM}.xlsx"
    assert result.placed.pdf.name == f"{STEM}.pdf"
    assert result.placed.xlsx.parent == result.placed.pdf.parent
    assert sorted(p.name for p in result.placed.xlsx.parent.iterdir()) == [
        ".xlscorecard-originals",
        f"{STEM}.pdf",
        f"{STEM}.xlsx",
        "returns-register.csv",
    ]  # no scratch folder left behind


def test_the_return_holds_values_and_no_formula_or_macro(saved):
    _, result, _ = saved
    formulas = [f"{title}!{cell.coordinate}" for title, cell in every_cell(result.placed.xlsx)
                if isinstance(cell.value, str) and cell.value.startswith("=")]  # fmt: skip
    assert formulas == []
    with zipfile.ZipFile(result.placed.xlsx) as package:
        names = package.namelist()
        types = package.read("[Content_Types].xml").decode()
    assert not [name for name in names if "vba" in name.lower()]
    assert "macroEnabled" not in types


def test_every_derived_cell_holds_the_python_calculation(saved):
    _, result, book = saved
    sheet = load_workbook(result.placed.xlsx)[SHEET]
    layout, dataset, month = book.layout, book.dataset, book.month
    wrong, compared = [], 0
    for row in calc.report(dataset, month):
        line = layout.row(row.indicator.ref)
        expected = {
            layout.column(Field.CHANGE_PREVIOUS): row.from_previous.value,
            layout.column(Field.CHANGE_YEAR): row.from_last_year.value,
            layout.column(Field.AVERAGE): row.average,
            layout.column(Field.MAXIMUM): row.maximum,
        }
        for offset in range(13):
            expected[layout.month_column(offset)] = row.figures[12 - offset]
        for column, python in expected.items():
            got = sheet.cell(line, column).value
            compared += 1
            if not _same(got, python, column in _changes(layout)):
                wrong.append(f"{row.indicator.ref} column {column}: {got!r} != {python!r}")
    assert compared == 55 * 17
    assert not wrong, "\n".join(wrong)


def _changes(layout) -> set[int]:
    return {layout.column(Field.CHANGE_PREVIOUS), layout.column(Field.CHANGE_YEAR)}


def _same(cell: object, python: object, change: bool) -> bool:
    if python is None:
        return cell == (NOT_AVAILABLE if change else None) or (cell == NOT_APPLICABLE)
    if isinstance(python, str):
        return cell == python
    return isinstance(cell, int | float) and math.isclose(cell, python, rel_tol=1e-14)


def test_formats_arrows_and_markers_are_those_of_the_workbook(saved, built):
    _, result, book = saved
    made = load_workbook(result.placed.xlsx)[SHEET]
    working = load_workbook(built("2020-08"))[SHEET]
    layout = book.layout
    for ref in ("M1", "M3", "M2-NI"):
        for column in [*layout.month_columns, *_changes(layout),
                       layout.column(Field.AVERAGE), layout.column(Field.DOT)]:  # fmt: skip
            a, b = made.cell(layout.row(ref), column), working.cell(layout.row(ref), column)
            # a cell typed into is the same but for its input shading, which the return drops
            style = b.style.replace("Scorecard input ", "Scorecard ")
            fill = PatternFill() if style != b.style else copy.copy(b.fill)
            assert (a.number_format, a.style, copy.copy(a.fill), copy.copy(a.font)) == (
                b.number_format, style, fill, copy.copy(b.font)
            ), (ref, column)  # fmt: skip

    def rules(sheet):
        return sorted(
            (str(cf.sqref), rule.type, rule.formula[0] if rule.formula else "",
             rule.dxf.numFmt.formatCode if rule.dxf and rule.dxf.numFmt else "")
            for cf in sheet.conditional_formatting for rule in cf.rules
        )  # fmt: skip

    arrows = [r for r in rules(made) if r[3].startswith('"↑') or r[3].startswith('"↓')]
    assert rules(made) == rules(working) and len(arrows) == 12
    markers = {made.cell(layout.row(i.ref), layout.column(Field.DOT)).value
               for i in book.dataset.indicators}  # fmt: skip
    assert {"▲", "▼"} <= markers  # not colour alone: the direction marker stays


def test_every_sheet_is_protected_and_no_cell_is_open_to_typing(saved):
    _, result, _ = saved
    workbook = load_workbook(result.placed.xlsx)
    assert [s.title for s in workbook.worksheets if not s.protection.sheet] == []
    assert workbook.security.lockStructure
    unlocked = [cell.coordinate for _, cell in every_cell(result.placed.xlsx)
                if not cell.protection.locked]  # fmt: skip
    assert unlocked == []
    assert workbook[SHEET].data_validations.dataValidation == []


def test_document_properties_and_the_return_block(saved):
    _, result, _ = saved
    workbook = load_workbook(result.placed.xlsx)
    properties = workbook.properties
    assert properties.title == "Children and Families Aug-20 Monthly dataset"
    assert properties.subject == "Southampton City Council: official return for Aug-20"
    assert properties.creator == USER
    custom = {p.name: p.value for p in workbook.custom_doc_props}
    digest = return_file.verify_file(result.placed.xlsx).found
    assert custom["Return month"] == "2020-08" and custom["Saved at"] == WHEN
    assert custom["SHA-256"] == digest
    assert return_block(result.placed.xlsx) == {
        "Month": "Aug-20", "Saved at": WHEN, "Saved by": USER,
        "Saved with": f"xlscorecard {__version__}", "SHA-256": digest,
        official_return.CHECKSUM_NOTE: None,
    }  # fmt: skip
    assert result.placed.digest == digest


def test_the_supporting_sheets_are_excel_tables_headed_by_their_column_names(saved):
    _, result, _ = saved
    workbook = load_workbook(result.placed.xlsx)
    for name in sheets.SUPPORTING:
        sheet = workbook[name]
        tables = list(sheet.tables.values())
        if sheet.max_row == 1:
            assert tables == [], name
            continue
        (table,) = tables
        header = [cell.value for cell in sheet[1]][: len(sheets.COLUMNS[name])]
        assert header == sheets.COLUMNS[name] == [c.name for c in table.tableColumns], name
        assert table.ref == f"A1:{sheet.cell(sheet.max_row, len(header)).coordinate}", name
        assert sheet.auto_filter.ref is None


def test_settings_leave_out_the_password_and_the_working_workbook_mark(saved):
    _, result, _ = saved
    keys = [row[0] for row in load_workbook(result.placed.xlsx)[sheets.SETTINGS].values]
    assert "report_month" in keys
    assert sheets.FORMAT_KEY not in keys and "protection_password" not in keys
    with pytest.raises(ScorecardError, match=r"is an official return .*, not a working workbook"):
        workbook_file.validate_file(result.placed.xlsx)  # a return is not a working workbook


def test_the_files_are_read_only(saved):
    _, result, _ = saved
    for path in (result.placed.xlsx, result.placed.pdf):
        assert not stat.S_IMODE(path.stat().st_mode) & 0o222


def test_the_pdf_has_the_title_and_month_in_its_metadata_and_prints_the_block(saved):
    _, result, _ = saved
    info = pdf_info(result.placed.pdf)
    assert info["Title"] == "Children and Families Aug-20 Monthly dataset"
    assert info["Subject"] == "Southampton City Council: official return for Aug-20"
    assert "2020-08" in info["Keywords"]
    assert info["Page size"].startswith("1190.55 x 841.89")  # A3 landscape, as the workbook
    text = subprocess.run(
        ["pdftotext", "-layout", str(result.placed.pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Aug-20 Monthly dataset" in text and "Official return" in text
    assert result.placed.digest in text


def test_pandas_reads_every_number_of_the_dataset_and_history(saved):
    _, result, book = saved
    history = pd.read_excel(result.placed.xlsx, sheet_name=sheets.HISTORY)
    assert list(history.columns) == sheets.COLUMNS[sheets.HISTORY]
    read = {(r.ref, r.month): r.value for r in history.itertuples()}
    expected = {(ref, month.iso): value for (ref, month), value in book.dataset.values.items()}
    assert read.keys() == expected.keys()
    assert all(
        read[key] == value if isinstance(value, str) else math.isclose(read[key], value)
        for key, value in expected.items()
    )
    frame = pd.read_excel(result.placed.xlsx, sheet_name=SHEET, header=None)
    layout, missing = book.layout, []
    for row in calc.report(book.dataset, book.month):
        line = layout.row(row.indicator.ref) - 1
        for name, python in (
            (Field.CHANGE_PREVIOUS, row.from_previous.value),
            (Field.AVERAGE, row.average),
            (Field.MAXIMUM, row.maximum),
        ):
            got = frame.iat[line, layout.column(name) - 1]
            if python is not None and not math.isclose(got, python, rel_tol=1e-14):
                missing.append((row.indicator.ref, name, got, python))
        for offset in range(13):
            python, got = row.figures[12 - offset], frame.iat[line, layout.month_column(offset) - 1]
            if calc.is_number(python) and not math.isclose(got, python, rel_tol=1e-14):
                missing.append((row.indicator.ref, offset, got, python))
    assert missing == []


# -- verify ------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["validate", "spc", "refresh"])
def test_a_working_command_on_the_return_says_it_is_the_return(saved, command):
    _, result, _ = saved
    before = result.placed.xlsx.read_bytes()
    cli_result = CliRunner().invoke(cli, [command, str(result.placed.xlsx)])
    assert cli_result.exit_code == 2
    says = "is an official return (saved by xlscorecard save-return), not a working workbook"
    assert f"{result.placed.xlsx.name} {says}: run this on the workbook it was" in cli_result.output
    assert result.placed.xlsx.read_bytes() == before


def test_verify_passes_on_a_fresh_return(saved):
    _, result, _ = saved
    check = return_file.verify_file(result.placed.xlsx)
    assert check.intact and check.sheets == len(sheets.ORDER) and check.month == "Aug-20"
    cli_result = CliRunner().invoke(cli, ["verify", str(result.placed.xlsx)])
    assert cli_result.exit_code == 0
    assert cli_result.output == (
        f"{result.placed.xlsx} is intact: what each of its {len(sheets.ORDER)} sheets shows "
        "matches the SHA-256 it was saved with (the Aug-20 return).\n"
        "Checked: its bytes are those registered in returns-register.csv.\n"
        f"Checked: its PDF {STEM}.pdf is the one saved with it.\n"
        "Checked: its bytes are those recorded in the working workbook's Audit "
        "(../dataset.xlsx).\n"
        "Not checked: a signature: it was not signed, so nothing proves who made it (see verify "
        "in docs/cli.md).\n"
    )


def tampered(source: Path, target: Path, sheet: str, cell: str, value: object) -> Path:
    return set_in_package(source, target, sheet, cell, value)


@pytest.mark.parametrize(
    ("what", "sheet", "cell", "value", "changed"),
    [
        ("a figure", SHEET, "R7", 1289, "Dataset"),
        ("a derived figure", SHEET, "V7", 0.5, "Dataset"),
        ("a comment", sheets.COMMENTARY, "C2", "Edited.", "Commentary"),
        ("a label", SHEET, "B7", "Contacts", "Dataset"),
        ("a history value", sheets.HISTORY, "C2", 1, "History"),
        ("a formula typed in", sheets.TARGETS, "C2", "=1+1", "Targets"),
    ],
)
def test_verify_fails_on_a_tampered_return_and_says_where(
    saved, tmp_path, what, sheet, cell, value, changed
):
    _, result, _ = saved
    path = tampered(result.placed.xlsx, tmp_path / "tampered.xlsx", sheet, cell, value)
    check = return_file.verify_file(path)
    assert not check.intact, what
    assert check.changed == [changed]
    others = len(sheets.ORDER) - 1
    assert f"Changed: the {changed} sheet ({others} other sheets match)." in check.message
    cli_result = CliRunner().invoke(cli, ["verify", str(path)])
    assert cli_result.exit_code == 1
    assert cli_result.output.startswith(
        f"Error: {path} is not intact: the SHA-256 of what it shows"
    )


def test_verify_notices_a_changed_checksum_and_a_missing_block(saved, tmp_path):
    _, result, _ = saved
    row = next(
        cell.row for title, cell in every_cell(result.placed.xlsx)
        if title == SHEET and cell.value == official_return.CHECKSUM_LABEL
    )  # fmt: skip
    path = tampered(result.placed.xlsx, tmp_path / "a.xlsx", SHEET, f"B{row}", "0" * 64)
    check = return_file.verify_file(path)
    assert not check.intact and "The checksum cell (Dataset!B" in check.message
    path = tampered(result.placed.xlsx, tmp_path / "b.xlsx", SHEET, f"A{row}", "Checksum")
    check = return_file.verify_file(path)
    assert not check.intact and "no Official return block" in check.message


def test_verify_cannot_check_what_is_not_a_workbook(tmp_path):
    (tmp_path / "x.xlsx").write_text("not a workbook")
    result = CliRunner().invoke(cli, ["verify", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "is not an Excel workbook" in result.output


def test_the_checksum_is_the_same_however_a_reader_gives_the_value():
    canonical = official_return.canonical
    assert canonical(1493) == canonical(1493.0) == ("n", "1493")
    assert canonical(0.023255813953488372) == canonical(0.02325581395348837)
    import datetime as dt

    assert canonical(dt.date(2020, 8, 1)) == canonical(dt.datetime(2020, 8, 1))
    assert canonical("a\r\nb") == canonical("a\nb")
    assert canonical(None) is None and canonical("") is None
    assert canonical("1493") != canonical(1493)


# -- the working workbook ----------------------------------------------------------------------
def test_the_return_is_recorded_and_the_month_marked_as_returned(saved):
    path, result, _ = saved
    rows = audit(path)
    assert [row[2] for row in rows] == ["return saved"]
    assert rows[0][:7] == (WHEN, USER, "return saved", None, "2020-08", None, f"{STEM}.xlsx")
    sha, pdf_sha = result.placed.hashes.sha256, result.placed.hashes.pdf_sha256
    assert rows[0][7] == (
        f"SHA-256 {result.placed.digest}; file SHA-256 {sha}; PDF {STEM}.pdf SHA-256 {pdf_sha}"
    )
    _, book = workbook_file.open_book(path)
    assert book.returned_months == {Month(2020, 8)}
    assert len(versions(path)) == 1  # the workbook as it was before, in its backups folder


def _saved_copy(saved, tmp_path) -> tuple[Path, object]:
    path = tmp_path / "dataset.xlsx"
    shutil.copy(saved[0], path)
    _, book = workbook_file.open_book(path)
    return path, book


def test_a_later_change_to_the_returned_month_is_queried(saved, tmp_path):
    path, book = _saved_copy(saved, tmp_path)
    workbook = load_workbook(path)
    workbook[SHEET][book.layout.month_cell("M1", 0)] = 1300
    workbook.save(path)
    outcome = workbook_file.validate_file(path, backup=False)
    found = [f for f in outcome.findings if f.code == "A602"]
    assert [(f.ref, f.month, f.found) for f in found] == [("M1", Month(2020, 8), "1,343 -> 1,300")]


def test_after_a_refresh_a_change_to_the_returned_month_is_still_queried(saved, tmp_path):
    path, _ = _saved_copy(saved, tmp_path)
    workbook_file.refresh_file(path, backup=False)
    _, book = workbook_file.open_book(path)
    workbook = load_workbook(path)
    workbook[SHEET][book.layout.month_cell("M1", 1)] = 1300  # Aug-20, now last month
    workbook.save(path)
    outcome = workbook_file.validate_file(path, backup=False)
    assert [(f.code, f.month) for f in outcome.findings if f.ref == "M1" and f.code[0] == "A"] == [
        ("A602", Month(2020, 8))
    ]


def test_a_figure_typed_since_the_last_refresh_is_kept_in_history_when_returned(ready, tmp_path):
    _, book = workbook_file.open_book(ready)
    workbook = load_workbook(ready)
    workbook[SHEET][book.layout.month_cell("LAC16", 0)] = 160  # History still says 161
    workbook.save(ready)
    return_file.save_return_file(ready, tmp_path / "returns", pdf_maker=fake_pdf)
    history = {
        (ref, month): (value, source)
        for ref, month, value, source in load_workbook(ready)[sheets.HISTORY].iter_rows(
            min_row=2, values_only=True
        )
    }
    assert history[("LAC16", "2020-08")] == (160, "entered")
    assert history[("LAC16", "2020-07")][0] == 165


# -- never overwriting, never half-written -----------------------------------------------------
def test_a_second_save_gets_a_version_suffix_and_the_first_is_untouched(ready, tmp_path):
    folder = tmp_path / "returns"
    first = return_file.save_return_file(ready, folder, pdf_maker=fake_pdf)
    before = first.placed.xlsx.read_bytes()
    second = return_file.save_return_file(ready, folder, pdf_maker=fake_pdf)
    (folder / f"{STEM} v3.pdf").write_bytes(b"someone else's")  # a PDF alone blocks its name
    third = return_file.save_return_file(ready, folder, pdf_maker=fake_pdf)
    assert [r.placed.xlsx.name for r in (first, second, third)] == [
        f"{STEM}.xlsx",
        f"{STEM} v2.xlsx",
        f"{STEM} v4.xlsx",
    ]
    assert first.placed.xlsx.read_bytes() == before
    assert (folder / f"{STEM} v3.pdf").read_bytes() == b"someone else's"
    assert [row[6] for row in audit(ready) if row[2] == "return saved"] == [
        f"{STEM}.xlsx",
        f"{STEM} v2.xlsx",
        f"{STEM} v4.xlsx",
    ]


def test_a_name_taken_while_saving_moves_the_pair_to_the_next_version(ready, tmp_path, monkeypatch):
    folder = tmp_path / "returns"
    move = transaction._move_new

    def racing(source: Path, target: Path, *step: str) -> bool:
        if target.name == f"{STEM}.pdf":  # another save got there between check and move
            target.write_bytes(b"the other PDF")
        return move(source, target, *step)

    monkeypatch.setattr(transaction, "_move_new", racing)
    result = return_file.save_return_file(ready, folder, pdf_maker=fake_pdf)
    assert (result.placed.xlsx.name, result.placed.pdf.name) == (
        f"{STEM} v2.xlsx",
        f"{STEM} v2.pdf",
    )
    assert sorted(p.name for p in folder.iterdir()) == [
        ".xlscorecard-originals",
        f"{STEM} v2.pdf",
        f"{STEM} v2.xlsx",
        f"{STEM}.pdf",
        "returns-register.csv",
    ]
    assert return_file.verify_file(result.placed.xlsx).intact


def test_a_failed_pdf_leaves_nothing_behind(ready, tmp_path):
    before = ready.read_bytes()

    def broken(xlsx: Path, pdf: Path) -> None:
        pdf.write_bytes(b"half a PDF")
        raise ScorecardError("the printer caught fire")

    with pytest.raises(ScorecardError, match="caught fire"):
        return_file.save_return_file(ready, tmp_path / "returns", pdf_maker=broken)
    assert list((tmp_path / "returns").iterdir()) == []
    assert ready.read_bytes() == before


def test_if_the_audit_cannot_be_written_the_return_is_taken_back(ready, tmp_path, monkeypatch):
    before = ready.read_bytes()

    def fail(*args, **kwargs):
        raise ScorecardError("cannot replace dataset.xlsx: it is open in another program")

    monkeypatch.setattr(file_applier, "save_workbook", fail)  # the one save of every plan
    with pytest.raises(ScorecardError, match="open in another program"):
        return_file.save_return_file(ready, tmp_path / "returns", pdf_maker=fake_pdf)
    assert list((tmp_path / "returns").iterdir()) == []
    assert ready.read_bytes() == before


def test_a_read_only_workbook_is_refused_before_anything_is_written(ready, tmp_path):
    os.chmod(ready, 0o444)
    with pytest.raises(ScorecardError, match="read-only"):
        return_file.save_return_file(ready, tmp_path / "returns", pdf_maker=fake_pdf)
    assert not (tmp_path / "returns").exists()


def test_without_libreoffice_the_return_is_saved_with_a_clear_note(ready, tmp_path, monkeypatch):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # soffice is not found
    result = return_file.save_return_file(ready, tmp_path / "returns")
    assert result.placed.pdf is None
    assert sorted(p.name for p in (tmp_path / "returns").iterdir()) == [
        ".xlscorecard-originals", f"{STEM}.xlsx", "returns-register.csv",
    ]  # fmt: skip
    assert "LibreOffice is not installed here, so no PDF was made" in result.summary
    assert audit(ready)[-1][7].endswith(f"no PDF: {transaction.NO_LIBREOFFICE}")
    assert return_file.verify_file(result.placed.xlsx).intact


# -- the file name and folder ------------------------------------------------------------------
def test_the_file_name_follows_the_settings_pattern(sample):
    sample, month = copy.deepcopy(sample), Month(2020, 8)
    assert official_return.file_stem(sample, month) == STEM
    sample.settings.return_file_name = "{council} {report_name} {month_iso}"
    assert official_return.file_stem(sample, month) == (
        "Southampton City Council Monthly dataset 2020-08"
    )
    sample.settings.return_file_name = "{title}: {month}/final"
    assert official_return.file_stem(sample, month) == "Children and Families- Aug-20-final"
    sample.settings.return_file_name = "{title} {year}"
    with pytest.raises(ScorecardError, match=r"uses \{year\}, which it cannot fill"):
        official_return.file_stem(sample, month)


def test_the_folder_comes_from_settings_relative_to_the_workbook(sample, tmp_path):
    sample = copy.deepcopy(sample)
    assert official_return.return_folder(sample, tmp_path) == tmp_path
    sample.settings.return_folder = "returns"
    assert official_return.return_folder(sample, tmp_path) == tmp_path / "returns"
    with pytest.raises(ScorecardError, match="return_folder on the Settings sheet"):
        official_return.return_folder(sample, None)
    sample.settings.return_folder = str(tmp_path / "abs")
    assert official_return.return_folder(sample, None) == tmp_path / "abs"
    sample.settings.return_folder = ""
    with pytest.raises(ScorecardError, match="return_folder on the Settings sheet"):
        official_return.return_folder(sample, None)


def test_the_returns_figures_and_comments_are_not_shaded_for_typing(official_return, sample):
    from xlscorecard.xlsx.styles import INPUT_FILL
    from xlscorecard.xlsx.writer import layout_for

    layout, sheet = layout_for(sample), load_workbook(official_return)[SHEET]
    for ref in ("M1", "LAC2"):
        for cell in (layout.month_cell(ref, 0), layout.cell(ref, Field.COMMENTARY)):
            assert not sheet[cell].style.startswith("Scorecard input"), cell
            assert INPUT_FILL not in str(sheet[cell].fill.fgColor.rgb), cell
