"""Every OS failure and every malformed input is an ``Error:`` naming the file, line and column
(or sheet and cell), with nothing changed: never a traceback, never a silent cut."""

from __future__ import annotations

import codecs
import contextlib
import csv
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.faults import TALLY, can_drop_privileges, cli, leftovers, snapshot
from tests.support.paths import SAMPLE
from xlscorecard.checks.testing import sample_book
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET, Field


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SAMPLE, target)
    return target


def refused(result: subprocess.CompletedProcess, *phrases: str) -> None:
    """An ``Error:`` (exit 2), no traceback, saying each of ``phrases``."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr
    TALLY["hostile input: refused with an error"] += 1


def build(data: Path, tmp_path: Path, month: str = "2020-08") -> subprocess.CompletedProcess:
    return cli("build", str(data), "--month", month, "-o", "out.xlsx", cwd=tmp_path)


def edit_csv(path: Path, line: int, column: str, value: str) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
        header = list(rows[0])
    rows[line - 2][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


# -- encodings ---------------------------------------------------------------------------------
def test_council_toml_with_a_byte_order_mark_is_read(data, tmp_path):
    toml = data / "council.toml"
    toml.write_bytes(codecs.BOM_UTF8 + toml.read_bytes())
    result = build(data, tmp_path)
    assert result.returncode == 0, result.stderr


def test_an_extract_with_a_byte_order_mark_is_read(workbook, tmp_path):
    extract = tmp_path / "extract.csv"
    extract.write_bytes(codecs.BOM_UTF8 + b"ref,month,value\nM1,2020-08,1500\n")
    assert cli("import", workbook.name, extract.name, cwd=tmp_path).returncode == 0


def test_council_toml_in_cp1252_names_the_line_and_the_encoding(data, tmp_path):
    toml = data / "council.toml"
    text = toml.read_text("utf-8").replace("Southampton City Council", "Southampton Café Council")
    toml.write_bytes(text.encode("cp1252"))
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if "Café" in t)
    refused(
        build(data, tmp_path), f"council.toml, line {line}: character 27 is byte 0xE9 ('é' in "
        "Windows-1252): the file is Windows-1252 (cp1252) text", "save it as UTF-8",
    )  # fmt: skip
    assert not (tmp_path / "out.xlsx").exists()


def test_a_csv_in_cp1252_names_the_line_and_the_encoding(data, tmp_path):
    path = data / "commentary.csv"
    text = path.read_text("utf-8-sig").replace("Jacqui Schofield", "Jacqui Schöfield", 1)
    path.write_bytes(text.encode("cp1252"))
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if "Schöfield" in t)
    refused(build(data, tmp_path), f"commentary.csv, line {line}: character", "cp1252")


def test_a_csv_in_utf16_is_named(data, tmp_path):
    path = data / "values.csv"
    path.write_bytes(path.read_text("utf-8").encode("utf-16"))
    refused(build(data, tmp_path), "values.csv: is UTF-16 text, not UTF-8")


# -- characters and lengths ---------------------------------------------------------------------
def test_a_nul_byte_in_values_csv_names_line_and_column(data, tmp_path):
    path = data / "values.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines[4] = lines[4].rstrip("\n") + "\x00\n"
    path.write_text("".join(lines), encoding="utf-8")
    refused(build(data, tmp_path), "values.csv, line 5, column 'source'", "U+0000")


def test_a_control_character_in_commentary_names_line_and_column(data, tmp_path):
    edit_csv(data / "commentary.csv", 3, "text", "Fewer contacts\x0bthis month.")
    refused(
        build(data, tmp_path), "commentary.csv, line 3, column 'text': character 15 is a "
        "control character (U+000B), which a workbook cannot hold",
    )  # fmt: skip


@pytest.mark.parametrize("length", [32_768, 40_000, 200_000])
def test_an_over_long_commentary_is_refused_not_cut(data, tmp_path, length):
    edit_csv(data / "commentary.csv", 2, "text", "x" * length)
    refused(
        build(data, tmp_path), f"commentary.csv, line 2, column 'text': the text is {length:,} "
        "characters long, but an Excel cell holds at most 32,767: shorten it (nothing was cut)",
    )  # fmt: skip
    assert not (tmp_path / "out.xlsx").exists()


TYPED = {
    "a comment": ("TEXT", lambda text: ["comment", "dataset.xlsx", "M1", text]),
    "an answer": ("REASON", lambda text: ["answer", "dataset.xlsx", "P302", "CP2", text]),
    "who": ("--by", lambda text: ["comment", "dataset.xlsx", "M1", "Fine.", "--by", text]),
    "a reason to force": ("--force", lambda text: ["save-return", "dataset.xlsx", "--force", text]),
}


@pytest.mark.parametrize("what", list(TYPED))
@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Fewer\x1bcontacts.", "character 6 is a control character (U+001B)"),
        ("y" * 40_000, "the text is 40,000 characters long, but an Excel cell holds at most"),
    ],
    ids=["a control character", "over a cell's length"],
)
def test_text_given_on_the_command_line_is_refused_not_cut(workbook, tmp_path, what, text, says):
    """What a cell cannot hold, given on the command line, is refused before anything is
    opened (never a traceback, never cut)."""
    name, arguments = TYPED[what]
    before = snapshot(tmp_path)
    refused(cli(*arguments(text), cwd=tmp_path), f"Error: {name}: {says}", "Nothing was changed.")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("sheet", "cell"),
    [(SHEET, sample_book().layout.cell("M1", Field.COMMENTARY)), (sheets.COMMENTARY, "C2")],
)
def test_an_over_long_text_in_the_workbook_is_refused(workbook, tmp_path, sheet, cell):
    """A file made by another program may hold more than a cell's limit (openpyxl and Excel
    would cut it): it is refused, not cut."""
    book = load_workbook(workbook)
    book[sheet][cell] = "PLACEHOLDER-FOR-A-LONG-TEXT"
    book.save(workbook)
    with zipfile.ZipFile(workbook) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data.replace(b"PLACEHOLDER-FOR-A-LONG-TEXT", b"z" * 40_000))
    before = snapshot(tmp_path)
    for command in ("validate", "refresh"):
        refused(cli(command, workbook.name, cwd=tmp_path), f"{sheet}!{cell}: ",
                "the text is 40,000 characters long")  # fmt: skip
    assert snapshot(tmp_path) == before


def test_a_commentary_of_exactly_a_cells_length_is_kept_whole(data, tmp_path):
    edit_csv(data / "commentary.csv", 2, "text", "y" * 32_767)
    assert build(data, tmp_path).returncode == 0
    texts = [row[2] for row in load_workbook(tmp_path / "out.xlsx")[sheets.COMMENTARY].iter_rows(
        min_row=2, values_only=True)]  # fmt: skip
    assert "y" * 32_767 in texts


def test_an_over_long_setting_is_refused(data, tmp_path):
    toml = data / "council.toml"
    long_title = f'title = "{"t" * 33000}"'
    text = toml.read_text("utf-8").replace('title = "Children and Families"', long_title)
    toml.write_text(text, encoding="utf-8")
    refused(build(data, tmp_path), "council.toml, column 'title': the text is 33,000 characters")


# -- months and counts ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("month", "says"), [("0000-05", "is before 2000-01"), ("1999-12", "is before 2000-01"),
                        ("2031-01", "is more than a year ahead")],
)  # fmt: skip
def test_a_month_out_of_range_in_a_data_file_is_refused(data, tmp_path, month, says):
    edit_csv(data / "values.csv", 2, "month", month)
    refused(build(data, tmp_path), "values.csv, line 2, column 'month'", says)


@pytest.mark.parametrize("month", ["1999-01", "2031-01"])
def test_a_month_out_of_range_on_the_command_line_is_refused(data, tmp_path, month):
    result = build(data, tmp_path, month)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Invalid value for '--month'" in result.stderr


@pytest.mark.parametrize("value", ["1e20", "100000000000000000000", "10000001"])
def test_a_count_beyond_the_ceiling_is_refused(data, tmp_path, value):
    edit_csv(data / "values.csv", 2, "value", value)
    refused(build(data, tmp_path), "values.csv, line 2, column 'value'")


def test_an_extract_with_a_count_of_1e20_is_refused_and_changes_nothing(workbook, tmp_path):
    extract = tmp_path / "extract.csv"
    extract.write_text("ref,month,value\nM1,2020-08,100000000000000000000\n", encoding="utf-8")
    before = workbook.read_bytes()
    refused(
        cli("import", workbook.name, extract.name, cwd=tmp_path),
        "extract.csv, line 2, column 'value'", "over 10,000,000",
    )  # fmt: skip
    assert workbook.read_bytes() == before


def test_a_count_of_1e20_typed_in_the_workbook_is_an_error_finding(workbook, tmp_path):
    book = load_workbook(workbook)
    book[SHEET]["R7"] = 1e20
    book.save(workbook)
    result = cli("validate", workbook.name, cwd=tmp_path)
    assert result.returncode == 1 and "ERROR E105 Dataset!R7" in result.stdout
    forced = cli("save-return", workbook.name, "--out", "r", "--force", "why", cwd=tmp_path,
                 env={**os.environ, "PATH": str(tmp_path)})  # fmt: skip
    assert forced.returncode == 0, forced.stderr


# -- the workbook's own sheets ------------------------------------------------------------------
@pytest.mark.parametrize("name", [sheets.CHECKS, sheets.AUDIT, sheets.ANSWERS, sheets.HISTORY])
def test_a_deleted_supporting_sheet_is_an_error(workbook, tmp_path, name):
    book = load_workbook(workbook)
    del book[name]
    book.save(workbook)
    before = snapshot(tmp_path)
    for command in ("validate", "refresh"):
        refused(cli(command, workbook.name, cwd=tmp_path), f"has no sheet '{name}'", "Put it back")
    assert snapshot(tmp_path) == before


def test_merged_commentary_cells_are_an_error(workbook, tmp_path):
    book = load_workbook(workbook)
    book[SHEET].merge_cells("AD7:AD8")
    book.save(workbook)
    before = snapshot(tmp_path)
    refused(cli("refresh", workbook.name, cwd=tmp_path), "Dataset!AD7:AD8 is merged cells",
            "Unmerge them")  # fmt: skip
    assert snapshot(tmp_path) == before


# -- the file system -----------------------------------------------------------------------------
def test_a_read_only_folder_is_an_error_for_a_normal_user(workbook, tmp_path):
    reason = can_drop_privileges()
    if reason:
        pytest.skip(reason)
    workbook.chmod(0o644)
    tmp_path.chmod(0o555)
    try:
        before = snapshot(tmp_path)
        for command in (["validate", workbook.name], ["export", workbook.name, "out"]):
            result = cli(*command, cwd=tmp_path, unprivileged=True)
            refused(result, "permission denied", "nothing was changed")
        assert snapshot(tmp_path) == before
    finally:
        tmp_path.chmod(0o755)


def test_export_reads_a_workbook_in_a_read_only_folder_for_a_normal_user(workbook, tmp_path):
    """Export only reads: a workbook on a read-only share exports to a folder of one's own."""
    reason = can_drop_privileges()
    if reason:
        pytest.skip(reason)
    share, mine = tmp_path / "share", tmp_path / "mine"
    share.mkdir()
    mine.mkdir(mode=0o777)
    mine.chmod(0o777)
    shutil.move(workbook, share / workbook.name)
    (share / workbook.name).chmod(0o644)
    share.chmod(0o555)
    try:
        before = snapshot(share)
        result = cli("export", str(share / workbook.name), str(mine / "data"), cwd=mine,
                     unprivileged=True)  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert (mine / "data" / "values.csv").exists()
        assert snapshot(share) == before and leftovers(share) == []
    finally:
        share.chmod(0o755)


def test_a_read_only_workbook_is_an_error_for_a_normal_user(workbook, tmp_path):
    reason = can_drop_privileges()
    if reason:
        pytest.skip(reason)
    workbook.chmod(0o444)
    before = snapshot(tmp_path)
    refused(cli("refresh", workbook.name, cwd=tmp_path, unprivileged=True), "read-only")
    assert snapshot(tmp_path) == before


def test_a_file_size_limit_efbig_is_an_error_and_changes_nothing(workbook, tmp_path):
    before = snapshot(tmp_path)
    result = cli("refresh", workbook.name, cwd=tmp_path, file_size_limit=20_000)
    refused(result, f"cannot write {workbook.name}: the file would be bigger than this computer "
            "allows", "nothing was changed")  # fmt: skip
    assert snapshot(tmp_path) == before
    assert leftovers(tmp_path) == []


@contextlib.contextmanager
def small_disk(folder: Path, kilobytes: int):
    """A file system of ``kilobytes`` mounted at ``folder`` (root only), or a skip saying why."""
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small file system needs root (mount -t tmpfs) here")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs",
                           str(folder)], capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` but ``leave`` bytes."""
    free = shutil.disk_usage(folder).free - leave
    if free > 0:
        (folder / "ballast").write_bytes(b"\0" * free)


def test_a_full_disk_enospc_is_an_error_and_changes_nothing(workbook, tmp_path):
    with small_disk(tmp_path / "disk", 2048) as disk:
        shutil.copy(workbook, disk / "dataset.xlsx")
        fill(disk, 30_000)
        before = snapshot(disk)
        result = cli("refresh", "dataset.xlsx", cwd=disk)
        refused(result, "cannot write dataset.xlsx: the disk is full", "nothing was changed")
        assert snapshot(disk) == before
        assert leftovers(disk) == []


def test_an_export_onto_a_full_disk_leaves_the_old_folder_whole(workbook, tmp_path):
    with small_disk(tmp_path / "disk", 2048) as disk:
        assert cli("export", str(workbook), str(disk / "data"), cwd=tmp_path).returncode == 0
        book = load_workbook(workbook)
        book[SHEET]["R7"] = 1500  # the new export would differ
        book.save(workbook)
        fill(disk, 20_000)
        before = snapshot(disk / "data")
        result = cli("export", str(workbook), str(disk / "data"), cwd=tmp_path)
        refused(result, "the disk is full", "nothing was changed")
        assert snapshot(disk / "data") == before
        assert leftovers(disk) == []
