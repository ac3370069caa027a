"""The official return as an openpyxl workbook: the Dataset sheet as values, the supporting
sheets as real Excel tables, every sheet protected and locked, and its properties with the
checksum left unset (:mod:`xlscorecard.returns.digest` fills it in)."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ..jobs.checksum import (
    FORM,
    PROPERTY_BOOK,
    PROPERTY_CHECKSUM,
    PROPERTY_FORM,
    PROPERTY_SHEET,
)
from ..jobs.official_return import (
    ReturnPlan,
    stored,
)
from ..workbook import schema as sheets
from ..workbook.layout import SHEET, span
from ..workbook.trends import DATA_COLUMN
from .styles import NAMED_STYLES
from .template import PACKAGE_TEMPLATE
from .trends import write_trends
from .writer import apply_image, protect, write_dataset_sheet, write_table

TABLE_STYLE = "TableStyleLight1"
UNSET = "0" * 64
"""What a checksum property holds until the checksum is known."""


def build_return(plan: ReturnPlan) -> Workbook:
    """The return as an openpyxl workbook, checksum and properties included."""
    dataset, stamp = plan.dataset, plan.stamp
    book = load_workbook(PACKAGE_TEMPLATE)
    sheet = book[SHEET]
    write_dataset_sheet(sheet, dataset, plan.month, plan.layout)  # formats, arrows, print set-up
    apply_image(sheet, plan.image)  # ... and then the figures, as values
    sheet.data_validations.dataValidation = []
    for (row, column), content in plan.image.cells.items():
        cell = sheet.cell(row, column)
        _as_text(cell)
        if not NAMED_STYLES[content.style].protection.locked:
            cell.protection = Protection(locked=True)  # the input cells keep their shading
    last_row = max(row for row, _ in plan.image.cells)
    sheet.print_area = span(1, 1, last_row, plan.layout.last_column)
    trends = write_trends(book, dataset, plan.month)
    for row in trends.iter_rows(min_row=2, min_col=DATA_COLUMN):
        for cell in row:
            _as_text(cell)
    for name in sheets.SUPPORTING:
        _write_table_sheet(book[name], name, plan.tables.get(name, []))
    password = dataset.settings.protection_password
    for each in book.worksheets:
        protect(each, dataset)
    book.security = WorkbookProtection(lockStructure=True)
    if password:
        book.security.set_workbook_password(str(password))
    properties = book.properties
    properties.title = plan.title
    properties.subject = plan.subject
    properties.creator = properties.lastModifiedBy = stamp.saved_by
    properties.keywords = f"official return; {plan.month.iso}"
    properties.category = "Official return"
    saved = _datetime(stamp.saved_at)
    properties.created = properties.modified = saved
    book.active = 0
    properties.description = (
        f"Official return for {plan.month.label}: the SHA-256 of what it shows is in the "
        f"Official return block of its {SHEET} sheet"
    )
    custom = [
        ("Return month", plan.month.iso),
        ("Saved at", stamp.saved_at),
        ("Saved by", stamp.saved_by),
        ("Saved with", f"xlscorecard {stamp.version}"),
        (PROPERTY_FORM, FORM),
        (PROPERTY_CHECKSUM, UNSET),
        *((PROPERTY_SHEET.format(name=name), UNSET) for name in book.sheetnames),
        (PROPERTY_BOOK, UNSET),
    ]
    for name, value in custom:
        book.custom_doc_props.append(StringProperty(name=name, value=value))
    return book


def _write_table_sheet(sheet: Worksheet, name: str, rows: list[list[object]]) -> None:
    """A supporting sheet's rows as a real Excel table under the template's header row,
    every cell locked (the reasons on Checks are shaded as typed in, but a return is final)."""
    write_table(sheet, rows)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            _as_text(cell)
            if not cell.protection.locked:
                cell.protection = Protection(locked=True)
    if name == sheets.CHECKS:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
            where, _, address = str(cell.value or "").partition("!")
            if address:
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{where}'!{address}")
    if rows:
        sheet.auto_filter.ref = None  # the table has its own filter
        width = len(sheets.COLUMNS[name])
        table = Table(displayName=name, ref=span(1, 1, len(rows) + 1, width))
        table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
        sheet.add_table(table)


def _as_text(cell) -> None:
    """A return holds no formula (its text was written as text: this is the last guard);
    fractions are stored to Excel's 15 significant digits."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
    elif isinstance(cell.value, float):
        cell.value = stored(cell.value)


def _datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=None, microsecond=0)
    except ValueError:
        return dt.datetime.now().replace(microsecond=0)
