"""A workbook made ready for its official return, as a person would make it."""

from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import load_workbook

from xlscorecard.files import workbook_file
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET, Field

COMMENTED = {"LAC2": "Fewer new episodes in August.", "LAC3": "Several planned moves to SGO.",
             "LAC13": "Two young people turned 18."}  # fmt: skip
ANSWER = "Checked with the team: right."


def make_ready(source: Path, target: Path) -> Path:
    """The Aug-20 workbook with everything that blocks a return done by hand: commentary typed
    for the big changes, and a reason given for each query on Checks."""
    if Path(source) != Path(target):
        shutil.copy(source, target)
    _, book = workbook_file.open_book(target)
    workbook = load_workbook(target)
    for ref, text in COMMENTED.items():
        workbook[SHEET][book.layout.cell(ref, Field.COMMENTARY)] = text
    workbook.save(target)
    workbook_file.validate_file(target, backup=False)
    workbook = load_workbook(target)
    for row in workbook[sheets.CHECKS].iter_rows(min_row=2):
        if row[0].value == "query":
            row[9].value = ANSWER
    workbook.save(target)
    return target


def fake_pdf(xlsx: Path, pdf: Path) -> None:
    pdf.write_bytes(b"%PDF-1.4\n% stands in for LibreOffice in fast tests\n")
