"""Each job gives one plan of what it changes; "nothing changed" is decided there, once, and
both appliers (openpyxl for files, xlwings for Excel and Lite) then write nothing."""

from __future__ import annotations

import ast

from tests.support.paths import ROOT
from xlscorecard.app import workbook_file
from xlscorecard.excel.blocks import plan_blocks, write_blocks
from xlscorecard.jobs.plan import Plan, Table, outcome_plan, refresh_plan
from xlscorecard.jobs.roll_forward import roll_forward
from xlscorecard.jobs.validate import validate
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.reading import read_book
from xlscorecard.xlsx.apply import save_plan
from xlscorecard.xlsx.reader import contents_of, open_workbook

WHO = ("a.officer", "2020-09-10T09:00:00")


def opened(path):
    workbook = open_workbook(path)
    contents = contents_of(workbook, path.name)
    return workbook, contents, read_book(contents)


class NoExcel:
    """A workbook that fails on any use: an applier that makes an Excel call touches it."""

    def __getattr__(self, name):
        raise AssertionError(f"an Excel call was made ({name})")


def test_the_plan_of_a_validate_that_changes_nothing_is_empty(workbook):
    workbook_file.validate_file(workbook, backup=False)
    _, contents, book = opened(workbook)
    assert outcome_plan(contents, book, validate(book, *WHO)).empty


def test_an_empty_plan_makes_no_excel_call():
    assert plan_blocks(Plan()) == []
    assert write_blocks(NoExcel(), plan_blocks(Plan())) == 0


def test_an_empty_plan_saves_nothing_and_keeps_no_backup(workbook):
    before = workbook.read_bytes()
    workbook_, _, _ = opened(workbook)
    assert save_plan(workbook_, Plan(), workbook) is False
    assert workbook.read_bytes() == before
    assert sorted(p.name for p in workbook.parent.iterdir()) == [workbook.name]


def test_a_validate_that_changes_a_table_plans_only_that_table_as_a_change(workbook):
    _, contents, book = opened(workbook)
    plan = outcome_plan(contents, book, validate(book, *WHO))
    changed = {write.sheet for write in plan.writes if isinstance(write, Table) and write.changed}
    assert changed == {sheets.CHECKS}  # the built book's Checks sheet is empty
    # Trends' data block follows whatever is written; it is never a change by itself
    assert [block.sheet for block in plan_blocks(plan)] == [sheets.CHECKS, sheets.TRENDS]


def test_a_refresh_plans_the_same_number_of_excel_writes_whatever_the_catalogue(workbook):
    _, contents, book = opened(workbook)
    plan = refresh_plan(contents, book, roll_forward(book, *WHO))
    sheets_written = [block.sheet for block in plan_blocks(plan)]
    assert len(sheets_written) == len(set(sheets_written)) <= 8  # one write per sheet


FRONT_ENDS = ("app/workbook_file.py", "returns/journal.py", "excel/buttons.py")
WRITERS = {
    "xlscorecard.xlsx.writer": {"write_table", "apply_image", "set_properties", "table_sheet"},
    "xlscorecard.xlsx.trends": {"write_trends"},
    "xlscorecard.xlsx.save": {"save_workbook"},
    "xlscorecard.xlsx.cells": {"set_value"},
}


def test_the_front_ends_write_only_through_a_plan_and_its_applier():
    """The file commands, save-return's record and the buttons import no sheet writer of
    their own: what they write is a plan, written by :mod:`xlscorecard.xlsx.apply` or
    :func:`plan_blocks`."""
    found = []
    for name in FRONT_ENDS:
        tree = ast.parse((ROOT / "xlscorecard" / name).read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = "xlscorecard." + node.module.lstrip(".") if node.level else node.module
                module = module.replace("xlscorecard.xlscorecard.", "xlscorecard.")
                for alias in node.names:
                    if alias.name in WRITERS.get(module, ()):
                        found.append(f"{name} imports {alias.name}")
    assert found == []
