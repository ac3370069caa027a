"""Apply a report month's sheet image to a workbook file with openpyxl: values, styles, formats.

This module places and styles; it calculates nothing (see :mod:`xlscorecard.workbook.image`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..calc.dfe_benchmarks import benchmark_note
from ..calc.figures import polarity_marker
from ..calc.spc_report import IndicatorSpc, spc_report
from ..errors import WorkbookError
from ..jobs.plan import DRAFT_COLUMNS, DRAFTS
from ..model import Dataset, Month, Polarity
from ..model.cells import column_letter
from ..workbook import schema as sheets
from ..workbook.image import (
    InputRule,
    SheetImage,
    dataset_image,
    input_rules,
    subtitle,
    table_heights,
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
from .carry_over import held, refuse_if_held, refuse_macro_workbook
from .cells import set_value
from .reader import read_workbook
from .styles import ArrowFormat, spc_rules, style_name
from .template import PACKAGE_TEMPLATE, set_table_layout, write_table_header
from .trends import write_trends


def build_workbook(dataset: Dataset, month: Month, template: Path | None = None) -> Workbook:
    """Fill the template with ``dataset`` as at report ``month``."""
    path = template or PACKAGE_TEMPLATE
    if not path.exists():
        raise WorkbookError(f"template not found: {path}")
    refuse_macro_workbook(path)
    book = read_workbook(path)  # a damaged template is an error naming it
    refuse_if_held(path, held(path))  # a council's restyled template: nothing of it is lost
    missing = [name for name in sheets.SUPPORTING if name not in book.sheetnames]
    if missing:
        raise WorkbookError(f"{path} is not an xlscorecard template: no sheet {', '.join(missing)}")
    layout = layout_for(dataset)
    report = spc_report(dataset, month)
    write_dataset_sheet(book[SHEET], dataset, month, layout, report)
    write_trends(book, dataset, month, report)
    for name, rows in table_rows(dataset, month).items():
        complete_header(book[name], sheets.COLUMNS[name])
        write_table(book[name], rows)
    set_properties(book, dataset, month)
    book.active = 0
    return book


def complete_header(sheet: Worksheet, columns: list[str]) -> None:
    """Name the columns an older template or workbook lacks (Benchmarks' ``source``,
    Answers' ``replaced``), styled as its others."""
    notes = sheets.NOTES.get(sheet.title, {})
    for index, name in enumerate(columns, start=1):
        cell = sheet.cell(1, index)
        if cell.value is None:
            cell.value = name
            cell.style = style_name("table header")
        if name in notes and (cell.comment is None or cell.comment.text != notes[name]):
            cell.comment = Comment(notes[name], "xlscorecard", width=360, height=120)


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
    sheet: Worksheet,
    dataset: Dataset,
    month: Month,
    layout: DatasetLayout,
    report: dict[str, IndicatorSpc] | None = None,
) -> None:
    """Write the image, then widths, the older months' group, arrows, panes and print area."""
    apply_image(sheet, dataset_image(dataset, month, layout, report))
    if benchmark_note(dataset.benchmarks, dataset.settings.benchmark_note):
        first, final = layout.column(Field.SN), layout.column(Field.SE)
        sheet.merge_cells(span(NOTE_ROW, first, NOTE_ROW, final))
    _set_widths(sheet, layout)
    _add_conditional_formats(sheet, dataset, layout)
    add_input_validation(sheet, input_rules(dataset, layout))
    protect(sheet, dataset)
    sheet.freeze_panes = address(HEADER_ROW + 1, layout.column(Field.NAME) + 1)
    sheet.print_area = span(1, 1, layout.last_row, layout.last_column)
    sheet.sheet_view.zoomScale = 90


def apply_image(sheet: Worksheet, image: SheetImage) -> None:
    for (row, column), content in image.cells.items():
        cell = sheet.cell(row, column)
        set_value(cell, content.value, style_name(content.style))
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
        # the column right of a group sums it up (summaryRight) and says it is collapsed
        sheet.column_dimensions[letter(hidden[-1] + 1)].collapsed = True
    sheet.sheet_properties.outlinePr.summaryRight = True


def _add_conditional_formats(sheet: Worksheet, dataset: Dataset, layout: DatasetLayout) -> None:
    arrows = ArrowFormat(dataset.settings.arrow_threshold)
    arrows.check()
    first_row = min(layout.rows.values())
    for name in (Field.CHANGE_PREVIOUS, Field.CHANGE_YEAR):
        column = layout.column(name)
        block = span(first_row, column, layout.last_row, column)
        marker = address(first_row, layout.column(Field.DOT), absolute_col=True)
        for rule in arrows.rules(
            address(first_row, column),
            marker,
            up=polarity_marker(Polarity.UP),
            down=polarity_marker(Polarity.DOWN),
        ):
            sheet.conditional_formatting.add(block, rule)
    first, final = layout.column(Field.VARIATION), layout.column(Field.ASSURANCE)
    block = span(first_row, first, layout.last_row, final)
    for rule in spc_rules(address(first_row, first)):
        sheet.conditional_formatting.add(block, rule)


def table_sheet(workbook: Workbook, name: str) -> Worksheet:
    """A supporting sheet, added (in its place, with its header) if the workbook was made by
    an earlier xlscorecard without it."""
    if name in workbook.sheetnames:
        return workbook[name]
    before = sheets.ORDER[: sheets.ORDER.index(name)]
    position = max(workbook.sheetnames.index(o) for o in before if o in workbook.sheetnames)
    sheet = workbook.create_sheet(name, position + 1)
    write_table_header(sheet, sheets.COLUMNS[name], sheets.WIDTHS[name])
    set_table_layout(sheet, name)
    return sheet


def write_table(sheet: Worksheet, rows: list[list[object]], clear: bool = False) -> None:
    """Rows below the header of a supporting sheet, with a filter over them; long texts wrap
    and the Checks sheet's reasons are shaded as typed in."""
    if clear and sheet.max_row > 1:
        sheet.delete_rows(2, sheet.max_row - 1)
        for number in [n for n in sheet.row_dimensions if n > 1]:
            del sheet.row_dimensions[number]
    sheet.auto_filter.ref = None
    for number, height in table_heights(sheet.title, rows).items():
        sheet.row_dimensions[number].height = height
    styles = table_styles(sheet.title)
    for row_index, row in enumerate(rows, start=2):
        for column_index, value in enumerate(row, start=1):
            cell = sheet.cell(row_index, column_index)
            set_value(cell, None if value == "" else value, styles.get(column_index))
    if rows:
        sheet.auto_filter.ref = span(1, 1, len(rows) + 1, len(rows[0]))


def table_styles(name: str) -> dict[int, str]:
    """The named style of each column of a supporting sheet that has long texts, by column
    index: those wrap, the others align with their tops (one-line tables are left as they
    are)."""
    columns = sheets.COLUMNS.get(name, [])
    wrapped = sheets.WRAPPED.get(name, set())
    if not wrapped:
        return {}
    styles = {
        index: style_name("table text" if column in wrapped else "cell")
        for index, column in enumerate(columns, start=1)
    }
    if name == sheets.CHECKS:
        styles[columns.index(sheets.REASON) + 1] = style_name("answer")
    return styles


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
    password = dataset.settings.protection_password
    if password:
        protection.password = str(password)


DRAFT_WIDTHS = (12, 42, 8, 110)
"""The Drafts sheet's column widths, in the order of :data:`DRAFT_COLUMNS`."""


def write_drafts(workbook: Workbook, rows: list[list[object]], dataset: Dataset) -> None:
    """The Drafts sheet made again: its header, a row a draft, protected as the others are."""
    if DRAFTS in workbook.sheetnames:
        del workbook[DRAFTS]
    sheet = workbook.create_sheet(DRAFTS)
    for index, (name, width) in enumerate(zip(DRAFT_COLUMNS, DRAFT_WIDTHS, strict=True), 1):
        set_value(sheet.cell(1, index), name, style_name("table header"))
        sheet.column_dimensions[column_letter(index)].width = width
    for number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            set_value(sheet.cell(number, index), value, style_name("table text"))
    protect(sheet, dataset)
