"""The Scorecard ribbon's buttons: entry points that take the calling workbook (an ``xw.Book``).

Each reads the workbook in a few bulk reads, runs the same cycle and checks as the command
line, works out every write before making the first, writes in a few bulk writes and ends with
one message box. A problem the user can fix (a :class:`ScorecardError`, e.g. a refused
refresh) is shown as a message and nothing is written.

xlwings' ribbon calls ``import xlscorecard; xlscorecard.main()`` (Refresh month); the add-in's
dispatcher calls ``xlscorecard.on_button("<control id>")`` for every button.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import xlwings as xw

from ..errors import Refused, ScorecardError
from ..files.identity import now, os_user
from ..files.return_file import libreoffice_pdf, write_return
from ..jobs import cycle
from ..jobs.official_return import plan_return, return_folder
from ..version import __version__
from ..workbook.layout import SHEET
from ..workbook.reading import read_book
from .blocks import (
    Block,
    alert,
    checks_blocks,
    contents_from_xlwings,
    prepare,
    protection_password,
    refresh_blocks,
    return_blocks,
    write_blocks,
)

MAX_LISTED = 10
"""Findings listed in a message box; the rest are counted (Validate lists them all)."""

HELP = (
    f"xlscorecard {__version__}\n\n"
    "Refresh month: keeps this month's figures and commentary (History and Commentary "
    "sheets) and moves the dataset on to the next month. It refuses while the month has "
    "errors.\n"
    "Validate: checks the month's figures and lists what to fix or explain on the Checks "
    "sheet (give a reason in its 'reason' column to answer a query).\n"
    "Save return: saves the month as the official return (values, not formulas, with a "
    "checksum) and its PDF in the workbook's folder (or Settings return_folder), and records "
    "it in Audit. It refuses while the month has errors, unanswered queries or big changes "
    "without commentary.\n\n"
    "The guide is in the xlscorecard README and its docs folder: docs/excel-addin.md "
    "(installing and setting up the Scorecard tab), docs/checks.md (what each check means) "
    "and docs/cli.md (the same jobs from the command line)."
)
HALF_WRITTEN = (
    "Excel stopped xlscorecard part-way through writing: {error}\n\n"
    "The workbook may now be half-changed. Close it WITHOUT saving to get back to the last "
    "saved version, then try again."
)

Plan = tuple[list[Block], str | None, str]
"""Prepared blocks, the protection password, and the message to show when written."""


def refresh_month(book: xw.Book) -> str:
    """Roll the workbook on a month: History and Commentary keep everything."""

    def plan() -> Plan:
        contents = contents_from_xlwings(book)
        live = read_book(contents)
        outcome = cycle.roll_forward(live, os_user(), now())
        blocks = prepare(refresh_blocks(contents, live, outcome))
        return blocks, protection_password(live), outcome.summary

    return _run(book, plan)


def validate(book: xw.Book) -> str:
    """Check the month's figures and write the findings to the Checks sheet."""

    def plan() -> Plan:
        contents = contents_from_xlwings(book)
        live = read_book(contents)
        outcome = cycle.validate(live)
        return prepare(checks_blocks(contents, outcome)), None, outcome.summary

    return _run(book, plan)


def save_return(book: xw.Book) -> str:
    """Save the month as the official return beside the workbook and record it in Audit.

    The return and its PDF are written (and checked) before the one write to this workbook;
    if that write fails they are removed again.
    """
    try:
        contents = contents_from_xlwings(book)
        live = read_book(contents)
        plan = plan_return(live, os_user(), now())
        folder = return_folder(plan.dataset, _folder_of(book))
        placed = write_return(plan, folder, _pdf_maker(book), workbook=_path_of(book))
    except ScorecardError as error:
        message = explain(error)
        alert(book, message, critical=True)
        return message
    try:
        blocks = prepare(return_blocks(contents, live, plan, placed))
        write_blocks(book, blocks)
    except Exception as error:
        placed.remove()
        alert(book, HALF_WRITTEN.format(error=error), critical=True)
        raise
    try:
        placed.confirm()
        registered = ""
    except ScorecardError as error:  # the return is saved and recorded: say so, and why not
        registered = f"\n\nThe returns register could not be updated ({error}): verify will say so."
    message = (
        f"Saved the {plan.month.label} return in {folder}:\n\n{placed.xlsx.name}\n"
        + (f"{placed.pdf.name}" if placed.pdf else f"(no PDF: {placed.note})")
        + f"\n\n{plan.month.label} is recorded as returned in Audit: save this workbook to keep "
        "that record. A later change to its figures will be queried." + registered
    )
    alert(book, message)
    return message


def _folder_of(book: xw.Book) -> Path | None:
    """The folder of the workbook's file, if it is a file on this computer (not a new book,
    not on the remote engine, not a OneDrive/SharePoint address)."""
    try:
        path = Path(book.fullname)
    except Exception:
        return None
    return path.parent if path.is_absolute() and path.parent.is_dir() else None


def _path_of(book: xw.Book) -> Path | None:
    folder = _folder_of(book)
    return folder / book.name if folder is not None else None


def _pdf_maker(book: xw.Book):
    """Excel prints the return's Dataset sheet (``to_pdf``); on the remote engine, which has
    no PDF export, LibreOffice does (or the message says there is no PDF)."""
    if book.app.engine.name == "remote":
        return libreoffice_pdf

    def excel_pdf(xlsx: Path, pdf: Path) -> None:
        try:
            opened = book.app.books.open(str(xlsx), read_only=True)
            try:
                opened.sheets[SHEET].to_pdf(str(pdf))
            finally:
                opened.close()
        except Exception as error:  # e.g. an earlier return of the same name is open
            raise ScorecardError(
                f"Excel could not print the return to PDF ({error}). Close any earlier return "
                "of this month that is open in Excel and try again."
            ) from None

    return excel_pdf


def show_help(book: xw.Book) -> str:
    alert(book, HELP)
    return HELP


BUTTONS: dict[str, Callable[[xw.Book], str]] = {
    "RefreshMonth": refresh_month,
    "Validate": validate,
    "SaveReturn": save_return,
    "Help": show_help,
}


def main() -> str:
    """What xlwings' ribbon ``RunMain`` calls: Refresh month on the calling workbook."""
    return refresh_month(xw.Book.caller())


def on_button(button_id: str) -> str:
    """The add-in's dispatcher: run the button with this ribbon control id."""
    book = xw.Book.caller()
    handler = BUTTONS.get(button_id)
    if handler is None:
        message = (
            f"xlscorecard {__version__} has no button {button_id!r} (it knows "
            f"{', '.join(BUTTONS)}): the add-in and the Python package do not match. "
            "Nothing was changed."
        )
        alert(book, message, critical=True)
        return message
    return handler(book)


def _run(book: xw.Book, plan: Callable[[], Plan]) -> str:
    try:
        blocks, password, message = plan()
    except ScorecardError as error:
        message = explain(error)
        alert(book, message, critical=True)
        return message
    try:
        write_blocks(book, blocks, password)
    except Exception as error:
        alert(book, HALF_WRITTEN.format(error=error), critical=True)
        raise
    alert(book, message)
    return message


def explain(error: ScorecardError) -> str:
    """Why nothing happened, short enough for a message box."""
    if isinstance(error, Refused):
        head = str(error).splitlines()[0]
        lines = [str(finding) for finding in error.findings[:MAX_LISTED]]
        rest = len(error.findings) - len(lines)
        if rest > 0:
            lines.append(f"... and {rest} more: press Validate to list them all on Checks.")
        return "\n\n".join([head, *lines]) if lines else head
    return f"Nothing was changed.\n\n{error}"
