"""A :class:`~xlscorecard.jobs.plan.Plan` written into a workbook file with openpyxl.

Every write of a plan that is not empty is made, styled as the file's sheets are (tables
through :func:`write_table`, the month's image with its styles and row heights, the Trends
sheet and its charts drawn again, xlscorecard's input rules), and the workbook is saved over
its file keeping the replaced version; an empty plan writes nothing (no save, no backup).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from ..jobs.plan import DraftsSheet, InputRules, MonthImage, Plan, Rect, SpcCells, Table, Trends
from ..store.backups import backups_kept
from ..workbook import schema as sheets
from ..workbook.layout import SHEET
from .cells import set_value
from .save import save_workbook
from .trends import write_trends
from .writer import (
    add_input_validation,
    apply_image,
    complete_header,
    set_properties,
    table_sheet,
    write_drafts,
    write_table,
)


def apply_plan(workbook: Workbook, plan: Plan) -> None:
    """Make every write of ``plan`` in the open workbook, in its order (nothing is saved)."""
    for write in plan.writes:
        if isinstance(write, MonthImage):
            set_properties(workbook, plan.dataset, plan.month)
            apply_image(workbook[SHEET], write.image)
        elif isinstance(write, SpcCells):
            apply_image(workbook[SHEET], write.image)
        elif isinstance(write, Rect):
            sheet = workbook[write.sheet]
            for row, values in enumerate(write.values, start=write.row):
                for column, value in enumerate(values, start=write.column):
                    set_value(sheet.cell(row, column), value)
        elif isinstance(write, Table):
            sheet = table_sheet(workbook, write.sheet)
            if write.header:
                complete_header(sheet, sheets.COLUMNS[write.sheet])
            write_table(sheet, write.rows, clear=True)
        elif isinstance(write, Trends):
            write_trends(workbook, write.dataset, write.month, write.report)
        elif isinstance(write, DraftsSheet):
            write_drafts(workbook, write.rows, plan.dataset)
        elif isinstance(write, InputRules):
            sheet = workbook[SHEET]
            sheet.data_validations.dataValidation = []
            add_input_validation(sheet, write.rules)


def save_plan(workbook: Workbook, plan: Plan, path: Path, backup: bool = True) -> bool:
    """Write ``plan`` into the workbook and save it over ``path`` (keeping the replaced
    version, as many as its Settings say); an empty plan writes nothing. Returns whether it
    saved."""
    if plan.empty:
        return False
    apply_plan(workbook, plan)
    where = f"{Path(path).name} {sheets.SETTINGS}"
    save_workbook(workbook, path, backup=backup, versions=backups_kept(plan.dataset, where))
    return True


__all__ = ["apply_plan", "save_plan"]
