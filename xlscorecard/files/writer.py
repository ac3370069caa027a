"""Apply a report month's sheet image to a workbook file with openpyxl: values, styles, formats.

This module places and styles; it calculates nothing (see :mod:`sheet_image`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..calc.figures import polarity_marker
from ..errors import WorkbookError
from ..model import Dataset, Month, Polarity
from ..workbook import schema as sheets
from ..workbook.contents import Formula
from ..workbook.image import (
    InputRule,
    SheetImage,
    dataset_image,
    input_rules,
    subtitle,
    table_rows,
)
from ..workbook.layout import (
    HEADER_ROW,
    MONTH_WIDTH,
    NOTE_ROW,
    SHEET,
    TARGET_WIDTH,
    WIDTHS,
    DatasetLayout,
    Field,
    address,
    letter,
    span,
)
from .styles import ArrowFormat, style_name
from .template import PACKAGE_TEMPLATE


def build_workbook(dataset: Dataset, month: Month, template: Path | None = None) -> Workbook:
    """Fill the template with ``dataset`` as at report ``month``."""
    path = template or PACKAGE_TEMPLATE
    if not path.exists():
        raise WorkbookError(f"template not found: {path}")
    book = load_workbook(path)
    missing = [name for name in sheets.ORDER if name not in book.sheetnames]
    if missing:
        raise WorkbookError(f"{path} is not an xlscorecard template: no sheet {', '.join(missing)}")
    layout = layout_for(dataset)
    write_dataset_sheet(book[SHEET], dataset, month, layout)
    for name, rows in table_rows(dataset, month).items():
        write_table(book[name], rows)
    set_properties(book, dataset, month)
    book.active = 0
    return book


def set_properties(book: Workbook, dataset: Dataset, month: Month) -> None:
    """Title and subject name the report month (a PDF printed from the file carries them)."""
    book.properties.title = f"{dataset.settings.title} {subtitle(dataset, month)}"
    book.properties.subject = f"{dataset.settings.council}: {subtitle(dataset, month)}"
    book.properties.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def layout_for(dataset: Dataset) -> DatasetLayout:
    return DatasetLayout.for_catalogue(
        dataset.indicators, dataset.target_periods, dataset.settings.visible_months
    )


def write_dataset_sheet(
    sheet: Worksheet, dataset: Dataset, month: Month, layout: DatasetLayout
) -> None:
    """Write the image, then widths, the older months' group, arrows, panes and print area."""
    apply_image(sheet, dataset_image(dataset, month, layout))
    if dataset.settings.benchmark_note:
        first, final = layout.column(Field.SN), layout.column(Field.SE)
        sheet.merge_cells(span(NOTE_ROW, first, NOTE_ROW, final))
        sheet.cell(NOTE_ROW, first).alignment = Alignment(horizontal="center", wrap_text=True)
    _set_widths(sheet, layout)
    _add_conditional_formats(sheet, dataset, layout)
    add_input_validation(sheet, input_rules(dataset, layout))
    protect(sheet, dataset)
    sheet.freeze_panes = address(HEADER_ROW + 1, layout.column(Field.NAME) + 1)
    sheet.print_area = span(1, 1, layout.last_row, layout.last_column)
    sheet.sheet_view.zoomScale = 90


FORMULA_STARTS = ("=", "+", "-", "@")
"""What makes Excel read a typed entry as a formula: text starting so is quote-prefixed."""


def set_value(cell, value: object) -> None:
    """Put ``value`` in an openpyxl cell: a :class:`Formula` as a live formula, any other text
    as text (openpyxl would make ``=...`` a formula and ``#N/A`` an error), quote-prefixed
    where Excel would otherwise read it as a formula when the cell is edited."""
    if isinstance(value, Formula):
        cell.value = str(value)
        return
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if len(value) > 1 and value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def apply_image(sheet: Worksheet, image: SheetImage) -> None:
    for (row, column), content in image.cells.items():
        cell = sheet.cell(row, column)
        set_value(cell, content.value)
        cell.style = style_name(content.style)
        if content.number_format:
            cell.number_format = content.number_format
    for row, height in image.heights.items():
        sheet.row_dimensions[row].height = height


def _set_widths(sheet: Worksheet, layout: DatasetLayout) -> None:
    for name, width in WIDTHS.items():
        sheet.column_dimensions[letter(layout.column(name))].width = width
    for column in layout.month_columns:
        sheet.column_dimensions[letter(column)].width = MONTH_WIDTH
    for period in layout.target_periods:
        sheet.column_dimensions[letter(layout.target_column(period))].width = TARGET_WIDTH
    hidden = layout.hidden_month_columns
    if hidden:
        sheet.column_dimensions.group(
            letter(hidden[0]), letter(hidden[-1]), outline_level=1, hidden=True
        )
    sheet.sheet_properties.outlinePr.summaryRight = True


def _add_conditional_formats(sheet: Worksheet, dataset: Dataset, layout: DatasetLayout) -> None:
    arrows = ArrowFormat(dataset.settings.arrow_threshold)
    arrows.check()
    first_row = min(layout.rows.values())
    for name in (Field.CHANGE_PREVIOUS, Field.CHANGE_YEAR):
        column = layout.column(name)
        block = span(first_row, column, layout.last_row, column)
        marker = address(first_row, layout.column(Field.DOT), absolute_col=True)
        for rule in arrows.sense_rules(
            address(first_row, column),
            marker,
            up=polarity_marker(Polarity.UP),
            down=polarity_marker(Polarity.DOWN),
        ):
            sheet.conditional_formatting.add(block, rule)
        sheet.conditional_formatting.add(block, arrows.icon_rule())


def write_table(sheet: Worksheet, rows: list[list[object]], clear: bool = False) -> None:
    """Rows below the header of a supporting sheet, with a filter over them."""
    if clear and sheet.max_row > 1:
        sheet.delete_rows(2, sheet.max_row - 1)
    sheet.auto_filter.ref = None
    for row_index, row in enumerate(rows, start=2):
        for column_index, value in enumerate(row, start=1):
            set_value(sheet.cell(row_index, column_index), value)
    if rows:
        sheet.auto_filter.ref = span(1, 1, len(rows) + 1, len(rows[0]))


def add_input_validation(sheet: Worksheet, rules: list[InputRule]) -> None:
    """Excel refuses a wrong entry in an input cell (openpyxl's default would accept it)."""
    for rule in rules:
        validation = DataValidation(
            type="custom" if rule.formula else None,
            formula1=rule.formula,
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=bool(rule.formula),
            errorStyle="stop",
            promptTitle=rule.prompt_title,
            prompt=rule.prompt,
            errorTitle=rule.prompt_title if rule.formula else None,
            error=rule.error or None,
        )
        validation.add(rule.cell)
        sheet.add_data_validation(validation)


def protect(sheet: Worksheet, dataset: Dataset) -> None:
    """Lock formulas, labels and history; input cells (unlocked styles) stay typable.

    No password unless Settings has ``protection_password``. Columns and rows may still be
    formatted, so the grouped older months can be shown.
    """
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.autoFilter = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False
    password = dataset.settings.extra.get(sheets.PASSWORD_KEY)
    if password:
        protection.password = str(password)
