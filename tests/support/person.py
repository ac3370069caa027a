"""What a person does in Excel between two commands, done to the workbook file with openpyxl
and saved as Excel saves: type figures and comments on Dataset, read Checks, give reasons
there, add a row to Settings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from xlscorecard.model import Month
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET, DatasetLayout

LINK = re.compile(r'"([^"!]+![A-Z]+\d+)"\)$')


def type_cells(path: Path, values: dict[tuple[str, str], object]) -> None:
    """Type into cells (sheet, A1) as a person would, saving as Excel does."""
    book = load_workbook(path)
    for (sheet, cell), value in values.items():
        book[sheet][cell] = value
    book.save(path)


def type_figures(path: Path, layout: DatasetLayout, month: Month, report: Month, figures):
    """Type ``month``'s figures (ref -> value) into their cells of the Dataset sheet."""
    offset = report.months_since(month)
    type_cells(path, {(SHEET, layout.month_cell(ref, offset)): v for ref, v in figures.items()})


def add_setting(path: Path, key: str, value: object) -> None:
    """A row added at the foot of the Settings sheet."""
    book = load_workbook(path)
    book[sheets.SETTINGS].append([key, value])
    book.save(path)


@dataclass(frozen=True)
class CheckRow:
    """One row of the Checks sheet as a person reads it."""

    number: int
    severity: str
    code: str
    cell: str
    ref: str
    month: str
    found: str
    reason: str
    key: str


def read_checks(path: Path, book=None) -> list[CheckRow]:
    """The Checks sheet's rows (of the workbook at ``path``, or of ``book`` already open)."""
    sheet = (book or load_workbook(path))[sheets.CHECKS]
    header = [cell.value for cell in sheet[1]]
    rows = []
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        row = dict(zip(header, values, strict=False))
        if not row.get("code"):
            continue
        link = str(row["cell"] or "")
        match = LINK.search(link)
        rows.append(
            CheckRow(
                number, str(row["severity"]), str(row["code"]),
                match.group(1) if match else link, str(row["ref"] or ""),
                str(row["month"] or ""), str(row["found"] or ""), str(row["reason"] or ""),
                str(row["key"] or ""),
            )
        )  # fmt: skip
    return rows


def respond_to_checks(path: Path, comment_for, reason_for) -> tuple[dict, dict]:
    """Do what the Checks sheet asks: a comment in the cell of each big change without one
    (C402), a reason beside each open query. ``comment_for(row)`` and ``reason_for(row)``
    give the words (None: leave it). Returns the comments typed by their cell, and the
    reasons by the row's key."""
    book = load_workbook(path)
    rows = read_checks(path, book)
    comments, reasons = {}, {}
    reason_column = sheets.CHECK_COLUMNS.index(sheets.REASON) + 1
    for row in rows:
        if row.code == "C402":
            text = comment_for(row)
            if text:
                cell = row.cell.partition("!")[2]
                book[SHEET][cell] = text
                comments[cell] = text
        elif row.severity == "query" and not row.reason:
            text = reason_for(row)
            if text:
                book[sheets.CHECKS].cell(row.number, reason_column).value = text
                reasons[row.key] = text
    book.save(path)
    return comments, reasons
