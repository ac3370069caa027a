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

import xlwings as xw

from . import __version__, cycle
from .book import read_book
from .errors import ScorecardError
from .xlwings_book import (
    Block,
    alert,
    checks_blocks,
    contents_from_xlwings,
    prepare,
    protection_password,
    refresh_blocks,
    write_blocks,
)

MAX_LISTED = 10
"""Findings listed in a message box; the rest are counted (Validate lists them all)."""

NOT_YET = (
    "Saving the official return is not available yet in this version of xlscorecard "
    f"({__version__}): nothing was saved or changed.\n\n"
    "Until it is, press Validate to check the month's figures, then save the workbook as usual."
)
HELP = (
    f"xlscorecard {__version__}\n\n"
    "Refresh month: keeps this month's figures and commentary (History and Commentary "
    "sheets) and moves the dataset on to the next month. It refuses while the month has "
    "errors.\n"
    "Validate: checks the month's figures and lists what to fix or explain on the Checks "
    "sheet (give a reason in its 'reason' column to answer a query).\n"
    "Save return: not available yet.\n\n"
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
        outcome = cycle.roll_forward(live)
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
    """The official return arrives in a later version: say so plainly."""
    alert(book, NOT_YET)
    return NOT_YET


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
    if isinstance(error, cycle.Refused):
        head = str(error).splitlines()[0]
        lines = [str(finding) for finding in error.findings[:MAX_LISTED]]
        rest = len(error.findings) - len(lines)
        if rest > 0:
            lines.append(f"... and {rest} more: press Validate to list them all on Checks.")
        return "\n\n".join([head, *lines]) if lines else head
    return f"Nothing was changed.\n\n{error}"
