"""The Scorecard ribbon's buttons: entry points that take the calling workbook (an ``xw.Book``).

Each reads the workbook in a few bulk reads, runs the same cycle and checks as the command
line, works out every write before making the first, writes in a few bulk writes and ends with
one message box. A problem the user can fix (a :class:`ScorecardError`, e.g. a refused
refresh) is shown as a message and nothing is written.

xlwings' ribbon calls ``import xlscorecard; xlscorecard.main()`` (Refresh month); the add-in's
dispatcher calls ``xlscorecard.on_button("<control id>")`` for every button. In xlwings Lite the
workbook's own ``main.py`` (:mod:`xlscorecard.xlsx.lite_code`) calls each button with ``lite=True``:
xlwings' Office.js client runs no VBA, so nothing is unprotected around the writes (the Lite
workbook's Dataset sheet is not protected), Save return writes into Lite's files folder and
makes no PDF, and Audit's who comes from ``XLSCORECARD_USER`` or Settings ``user_name``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import xlwings as xw

from ..app.request_file import write_requests
from ..app.session import working_on
from ..errors import Refused, ScorecardError, WorkbookError
from ..jobs.official_return import plan_return, return_folder
from ..jobs.plan import Rect, outcome_plan, refresh_plan, return_record_plan
from ..jobs.requests import collect, plan_requests
from ..jobs.roll_forward import roll_forward
from ..jobs.validate import validate as validate_book
from ..model.book import LiveBook
from ..returns.journal import Journal
from ..returns.transaction import PdfMaker, libreoffice_pdf, save_transaction
from ..store.identity import now, os_user
from ..store.notices import listening
from ..store.safe_write import os_error
from ..version import __version__
from ..workbook.contents import BookContents
from ..workbook.reading import read_book
from ..xlsx.request_book import read_request
from .blocks import (
    alert,
    contents_from_xlwings,
    missing_sheets,
    plan_blocks,
    prepare,
    protection_password,
    user_name,
    write_blocks,
)

MAX_LISTED = 10
"""Findings listed in a message box; the rest are counted (Validate lists them all)."""

HELP = (
    f"xlscorecard {__version__}\n\n"
    "Refresh month: keeps this month's figures, commentary and answers (History, Commentary "
    "and Answers sheets) and moves the dataset on to the next month. It refuses while the "
    "month has errors, and says when the month it leaves was never returned.\n"
    "Validate: checks the month's figures and lists what to fix or explain on the Checks "
    "sheet (give a reason in its 'reason' column to answer a query: the answer is kept on the "
    "Answers sheet, and stays while the figures it answered stay the same). It puts back a "
    "formula typed over, keeping what was typed in Audit.\n"
    "Save return: saves the month as the official return (values, not formulas, with a "
    "checksum) and its PDF in the workbook's folder (or Settings return_folder), and records "
    "it in Audit. It refuses while the month has errors, unanswered queries or big changes "
    "without commentary. In xlwings Lite it saves them in Lite's files (xlwings Lite menu > "
    "Files > Import/Export, to download them), without the PDF.\n"
    "Send requests and Collect requests: a small workbook per reporter to write their "
    "commentary in, in the folder 'Requests <month>' beside the returns, and what they wrote "
    "taken back from there (docs/commentary.md).\n\n"
    "Older months: the months before those shown are hidden in a group to their left. The + "
    "button over the columns does not work while the sheet is protected: select the two "
    "columns either side of the hidden ones (Outcome and the first month shown), right-click "
    "a column heading and choose Unhide. Hide them again the same way, or leave them: the "
    "next Refresh month keeps what you see.\n\n"
    "The guide is in the xlscorecard README and its docs folder: docs/excel-addin.md "
    "(installing and setting up the Scorecard tab), docs/excel-lite.md (the buttons in xlwings "
    "Lite, with no Python to install), docs/checks.md (what each check means) "
    "and docs/cli.md (the same jobs from the command line)."
)
HALF_WRITTEN = (
    "Excel stopped xlscorecard part-way through writing: {error}\n\n"
    "The workbook may now be half-changed. Close it WITHOUT saving to get back to the last "
    "saved version, then try again."
)

LITE_FILES = Path("/data")
"""xlwings Lite's files folder (its menu > Files > Import/Export lists it for download)."""
USER_VARIABLE = "XLSCORECARD_USER"
"""The environment variable naming who presses a button where Excel gives no name (xlwings
Lite keeps environment variables per person: its menu > Settings > Environment Variables)."""
Press = tuple[list[Rect], str | None, str]
"""A press worked out before anything is written: its plan's prepared blocks, the protection
password, and the message to show when written."""


def who(book: xw.Book, live: LiveBook | None = None) -> str:
    """Who pressed the button: Excel's user name; else :data:`USER_VARIABLE`; else Settings
    ``user_name``; else the login running Python (``web_user`` in xlwings Lite)."""
    name = user_name(book) or os.environ.get(USER_VARIABLE, "").strip()
    if not name and live is not None:
        name = live.dataset.settings.user_name
    return name or os_user()


def read(book: xw.Book) -> tuple[BookContents, LiveBook]:
    """The workbook's sheets in a few bulk reads, as a book; refuses one made by an earlier
    xlscorecard that lacks a sheet the buttons write."""
    contents = contents_from_xlwings(book)
    live = read_book(contents)
    missing = missing_sheets(contents)
    if missing:
        raise WorkbookError(
            f"{book.name} has no sheet {', '.join(missing)} (it was made by an earlier "
            "xlscorecard): close it, run xlscorecard validate on the file once to add it, and "
            "open it again."
        )
    return contents, live


def refresh_month(book: xw.Book, lite: bool = False) -> str:
    """Roll the workbook on a month: History, Commentary and Answers keep everything."""

    def press() -> Press:
        contents, live = read(book)
        outcome = roll_forward(live, who(book, live), now())
        blocks = prepare(plan_blocks(refresh_plan(contents, live, outcome)))
        return blocks, protection_password(live), outcome.summary

    return _run(book, press, lite)


def validate(book: xw.Book, lite: bool = False) -> str:
    """Check the month's figures and write the findings to the Checks sheet; put back
    formulas typed over and keep what was typed."""

    def press() -> Press:
        contents, live = read(book)
        outcome = validate_book(live, who(book, live), now())
        blocks = prepare(plan_blocks(outcome_plan(contents, live, outcome)))
        return blocks, protection_password(live), outcome.summary

    return _run(book, press, lite)


def save_return(book: xw.Book, lite: bool = False) -> str:
    """Save the month as the official return beside the workbook and record it in Audit.

    The same transaction as the command line's (:func:`save_transaction`): under the
    workbook's lock, journaled beside it (or, for a book that is no file here, in the returns
    folder), an interrupted earlier save finished or taken back first. The return and its
    PDF are written (and checked) before the one write to this workbook; if that write fails
    they are removed again. In xlwings Lite (``lite``) they go into Settings ``return_folder``
    if it is a folder Lite can reach (a mounted folder), else Lite's files folder
    (:data:`LITE_FILES`), with no PDF.
    """
    notes: list[str] = []
    try:
        with listening(notes.append):
            return _save_return(book, notes, lite)
    except ScorecardError as error:
        message = "\n\n".join([explain(error), *notes])
        alert(book, message, critical=True)
        return message


def _save_return(book: xw.Book, notes: list[str], lite: bool) -> str:
    contents, live = read(book)
    user = who(book, live)
    plan = plan_return(live, user, now())  # a refusal: nothing is written anywhere
    if lite:
        folder, pdf_maker = _lite_folder(plan.dataset), None
    else:
        folder, pdf_maker = return_folder(plan.dataset, _folder_of(book)), _pdf_maker(book)
    path = _path_of(book)
    anchor = path if path is not None else folder / book.name
    if path is None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise os_error(error, folder, "make the folder") from None
    recorder = ExcelRecorder(book, contents, live, macros=not lite)
    with working_on(anchor, "Save return (button)", user, recorder=recorder):
        if recorder.wrote:  # an interrupted save of this workbook was recorded: that was it
            message = "\n\n".join([*(f"Note: {note}" for note in notes), "Nothing else was saved."])
            alert(book, message)
            return message
        placed = save_transaction(plan, live, folder, pdf_maker, None, anchor, path, recorder)
    where = f"{folder}" + (
        " (download them from the xlwings Lite menu > Files > Import/Export)"
        if lite and folder == LITE_FILES
        else ""
    )
    message = (
        f"Saved the {plan.month.label} return in {where}:\n\n{placed.xlsx.name}\n"
        + (f"{placed.pdf.name}" if placed.pdf else f"(no PDF: {placed.note})")
        + f"\n\n{plan.month.label} is recorded as returned in Audit: save this workbook to keep "
        "that record. A later change to its figures will be queried."
    )
    message = "\n\n".join([message, *(f"Note: {note}" for note in notes)])
    alert(book, message)
    return message


class ExcelRecorder:
    """How a save-return records itself in the open workbook: the journal's plan
    (:func:`return_record_plan`: History figures, archives and Audit rows), one write per
    sheet."""

    def __init__(
        self, book: xw.Book, contents: BookContents, live: LiveBook, macros: bool = True
    ) -> None:
        self.book, self.contents, self.live = book, contents, live
        self.macros = macros  # False in xlwings Lite, which runs no VBA
        self.wrote = False

    def audit(self) -> list[list[object]]:
        return self.live.audit

    def record(self, journal: Journal) -> None:
        blocks = prepare(plan_blocks(return_record_plan(self.contents, self.live, journal)))
        try:
            write_blocks(self.book, blocks, macros=self.macros)
        except Exception as error:
            alert(self.book, HALF_WRITTEN.format(error=error), critical=True)
            raise
        self.wrote = True


def send_requests(book: xw.Book) -> str:
    """Write a commentary request per reporter into the folder "Requests <Mon-YY>" beside the
    returns (docs/commentary.md); the workbook is not changed."""

    def press() -> Press:
        _, live = read(book)
        folder = requests_folder(live, _folder_of(book))
        user, when = who(book, live), now()
        findings = validate_book(live, user, when).findings  # in memory: nothing is written
        written = write_requests(
            plan_requests(live, findings, "", when, user), live.dataset, folder
        )
        names = "\n".join(path.name for _, path in written)
        message = (
            f"Wrote {len(written)} requests for {live.month.label} into {folder}:\n\n{names}\n\n"
            "Send each to its reporter; save the ones that come back into the same folder "
            "(over the ones sent) and press Collect requests."
        )
        return [], None, message

    return _run(book, press)


def collect_requests(book: xw.Book) -> str:
    """Take the commentary and reasons of the requests in "Requests <Mon-YY>" into the
    workbook, with each reporter as who (as xlscorecard collect does)."""

    def press() -> Press:
        contents, live = read(book)
        folder = requests_folder(live, _folder_of(book))
        files = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
        if not files:
            raise Refused(
                f"There are no requests in {folder}: press Send requests first, and save the "
                "ones that come back there (nothing was changed)."
            )
        collected = collect(live, [read_request(path) for path in files], who(book, live), now())
        outcome = collected.outcome
        blocks = prepare(plan_blocks(outcome_plan(contents, live, outcome)))
        lines = collected.lines[:MAX_LISTED]
        more = len(collected.lines) - len(lines)
        listed = "\n".join(lines) + (f"\n... and {more} more" if more > 0 else "")
        return blocks, protection_password(live), f"{outcome.summary}\n\n{listed}"

    return _run(book, press)


def requests_folder(live: LiveBook, workbook_folder: Path | None) -> Path:
    """Where a month's requests go and come back: "Requests <Mon-YY>" in the returns' folder
    (Settings return_folder, else the workbook's own)."""
    return return_folder(live.dataset, workbook_folder) / f"Requests {live.month.label}"


def _lite_folder(dataset) -> Path:
    """Where xlwings Lite saves a return: Settings ``return_folder`` when it names a folder
    Lite can reach (an absolute path: a mounted folder), else Lite's files folder."""
    configured = dataset.settings.return_folder
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return LITE_FILES


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


def _pdf_maker(book: xw.Book) -> PdfMaker:
    """Excel prints the return's PDF (:func:`excel_pdf`); on the remote engine, which has no
    PDF export, LibreOffice does (or the message says there is no PDF)."""
    if book.app.engine.name == "remote":
        return libreoffice_pdf
    return excel_pdf(book.app)


def excel_pdf(app: xw.App):
    """Print the return's PDF in Excel from its print copy (:func:`print_copy`: the Dataset
    sheet alone, in a book without the return's structure lock), as a whole book.

    Printing one sheet of the return itself would not do: xlwings prints a sheet by hiding
    every other one, and Excel refuses to hide a sheet of a structure-locked book. A book of
    one sheet prints with nothing hidden, the same way on Windows (``ExportAsFixedFormat``)
    and on the Mac (save as PDF), and from the same copy LibreOffice prints."""

    def make(copy: Path, pdf: Path) -> None:
        try:
            opened = app.books.open(str(copy), read_only=True)
            try:
                opened.to_pdf(str(pdf))
            finally:
                opened.close()
        except Exception as error:  # Excel's own message: a full disk, a folder it may not use
            raise ScorecardError(f"Excel could not print the return to PDF ({error}).") from None

    return make


def show_help(book: xw.Book, lite: bool = False) -> str:
    alert(book, HELP)
    return HELP


BUTTONS: dict[str, Callable[[xw.Book], str]] = {
    "RefreshMonth": refresh_month,
    "Validate": validate,
    "SaveReturn": save_return,
    "SendRequests": send_requests,
    "CollectRequests": collect_requests,
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


def _run(book: xw.Book, press: Callable[[], Press], lite: bool = False) -> str:
    try:
        blocks, password, message = press()
    except ScorecardError as error:
        message = explain(error)
        alert(book, message, critical=True)
        return message
    try:
        write_blocks(book, blocks, password, macros=not lite)
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
