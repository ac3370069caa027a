"""The monthly jobs on a workbook file (openpyxl): open it, call :mod:`xlscorecard.jobs`,
write what they return, and save it safely."""

from __future__ import annotations

from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from ..checks import Stage
from ..errors import ScorecardError, WorkbookError
from ..jobs import cycle
from ..model import Month
from ..model.values import cell_value
from ..workbook import schema as sheets
from ..workbook.image import checks_rows, dataset_image, input_rules, table_rows
from ..workbook.layout import NOTE_ROW, SHEET
from ..workbook.reading import LiveBook, read_book
from .datadir import load_data_dir, read_csv, write_data_dir
from .identity import now, os_user
from .reader import contents_of, open_workbook
from .safe_write import atomic_write, save_workbook
from .session import one_at_a_time
from .writer import (
    add_input_validation,
    apply_image,
    build_workbook,
    layout_for,
    set_properties,
    set_value,
    write_table,
)


def build_file(data_dir: Path, month: Month, out: Path, template: Path | None = None) -> int:
    """Build the workbook for report ``month`` from ``data_dir`` into ``out``.

    Returns the number of indicators written. Raises a :class:`ScorecardError` subclass.
    """
    dataset = load_data_dir(data_dir)
    if not any(when == month for _, when in dataset.values):
        raise ScorecardError(
            f"{data_dir} has no figures for {month.label} ({month.iso}); "
            f"its months run {dataset.months[0].iso} to {dataset.months[-1].iso}"
            if dataset.months
            else f"{data_dir} has no figures at all"
        )
    book = build_workbook(dataset, month, template)
    atomic_write(out, book.save)
    return len(dataset.indicators)


def open_book(path: Path) -> tuple[Workbook, LiveBook]:
    workbook = open_workbook(path)
    check_merges(workbook)
    return workbook, read_book(contents_of(workbook, Path(path).name))


def write_checks(workbook: Workbook, outcome: cycle.Outcome) -> None:
    write_table(workbook[sheets.CHECKS], checks_rows(outcome.findings, outcome.answers), clear=True)


def write_audit(workbook: Workbook, book: LiveBook, rows: list[list[object]]) -> None:
    if rows:
        write_table(workbook[sheets.AUDIT], [*book.audit, *rows], clear=True)


@one_at_a_time("validate")
def validate_file(path: Path, stage: Stage = Stage.VALIDATE, backup: bool = True) -> cycle.Outcome:
    """Check the workbook and write the findings to its Checks sheet."""
    workbook, book = open_book(path)
    outcome = cycle.validate(book, stage)
    write_checks(workbook, outcome)
    save_workbook(workbook, path, backup=backup)
    return outcome


@one_at_a_time("import")
def import_file(path: Path, extract: Path, backup: bool = True) -> cycle.Outcome:
    """Write an extract's figures into the workbook's input cells, then check it."""
    workbook, book = open_book(path)
    rows = cycle.read_extract(read_csv(extract), book)
    outcome = cycle.import_extract(book, rows, extract.name)
    sheet = workbook[SHEET]
    for (ref, month), value in outcome.inputs.items():
        set_value(sheet[book.entries[(ref, month)].cell], cell_value(value))
    write_checks(workbook, outcome)
    save_workbook(workbook, path, backup=backup)
    return outcome


@one_at_a_time("refresh")
def refresh_file(
    path: Path,
    target: Month | None = None,
    extract: Path | None = None,
    backup: bool = True,
    user: str | None = None,
    when: str | None = None,
) -> cycle.Outcome:
    """Roll the workbook forward (to ``target``, one month at a time), keeping everything."""
    workbook, book = open_book(path)
    rows = cycle.read_extract(read_csv(extract), book, target or book.month + 1) if extract else []
    outcome = cycle.roll_forward(book, user or os_user(), when or now(), target, rows)
    write_state(workbook, outcome)
    write_audit(workbook, book, outcome.audit)
    save_workbook(workbook, path, backup=backup)
    return outcome


def write_state(workbook: Workbook, outcome: cycle.Outcome) -> None:
    """The whole workbook for the outcome's month: Dataset cells, tidy tables and Checks."""
    layout = layout_for(outcome.dataset)
    set_properties(workbook, outcome.dataset, outcome.month)
    sheet = workbook[SHEET]
    apply_image(sheet, dataset_image(outcome.dataset, outcome.month, layout))
    sheet.data_validations.dataValidation = []
    add_input_validation(sheet, input_rules(outcome.dataset, layout))
    for name, rows in table_rows(outcome.dataset, outcome.month).items():
        write_table(workbook[name], rows, clear=True)
    write_checks(workbook, outcome)


@one_at_a_time("export")
def export_file(path: Path, directory: Path) -> list[Path]:
    """Write the workbook's data (History with the window's figures) as a data directory."""
    _, book = open_book(path)
    unreadable = [entry for entry in book.entries.values() if entry.problem]
    if unreadable:
        first = unreadable[0]
        raise WorkbookError(
            f"{len(unreadable)} figure(s) cannot be read, e.g. {SHEET}!{first.cell} "
            f"({first.ref} {first.month.label}): {first.problem}. Fix them (xlscorecard validate "
            "lists them all) before exporting, so that nothing is lost."
        )
    return write_data_dir(book.dataset, directory)


def check_merges(workbook: Workbook) -> None:
    """Merged cells on the Dataset sheet (other than the benchmark note's) would lose what
    is written into them: an error naming them, before anything is written."""
    if SHEET not in workbook.sheetnames:
        return
    merged = [
        str(block) for block in workbook[SHEET].merged_cells.ranges if block.min_row != NOTE_ROW
    ]
    if merged:
        raise WorkbookError(
            f"{SHEET}!{merged[0]} {'is' if len(merged) == 1 else f'and {len(merged) - 1} more are'}"
            " merged cells: xlscorecard writes each cell of the Dataset sheet on its own. Unmerge "
            "them (Home > Merge & Center) and try again; nothing was changed."
        )
