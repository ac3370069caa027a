"""Ofsted's Annex A: list 1 (contacts) from a workbook (or a list saved as CSV), found by its
headers whatever their case, spacing, punctuation and ``a) `` prefixes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import DataFileError
from ..model.cells import column_letter
from .dates import parse_date
from .records import Contact

CHILD, CONTACT_DATE, CONTACT_SOURCE = "child unique id", "date of contact", "contact source"
LISTS = {
    # list: headers that say a sheet is it
    "list 1": {CHILD, CONTACT_DATE},
    "list 2": {CHILD, "organisation completing assessment"},
    "list 3": {CHILD, "date of referral"},
    "list 4": {CHILD, "continuous assessment start date"},
    "list 5": {CHILD, "strategy discussion initiating section 47 enquiry start date"},
    "list 6": {CHILD, "cin start date"},
    "list 7": {CHILD, "child protection plan start date"},
    "list 8": {CHILD, "date started to be looked after"},
    "list 9": {CHILD, "eligibility category"},
    "list 10": {CHILD, "date the child entered care"},
    "list 11": {"individual adopter identifier"},
}
HEADER_ROWS = 10
"""How far down a sheet its header row may be (some councils put a title above it)."""


def header_name(cell: object) -> str:
    """A header as compared: ``" a) Date of  Contact:"``, ``"a)Date of contact"`` and
    ``"1) DATE OF CONTACT"`` are ``date of contact``."""
    text = re.sub(r"^\s*\(?(?:[a-z]|[0-9]{1,2})\)\s*", "", str(cell or "").lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def which_list(header: Iterable[object]) -> str | None:
    """The Annex A list a header row is, if any."""
    names = {header_name(cell) for cell in header}
    return next((name for name, needs in LISTS.items() if needs <= names), None)


def find_header(rows: Sequence[Sequence[object]]) -> tuple[int, str] | None:
    """The first of ``rows`` (the top of a sheet) that is an Annex A header: (index, list)."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        found = which_list(row)
        if found:
            return index, found
    return None


def read_contacts(
    path: Path,
    rows: Iterable[tuple[int, Sequence[object]]],
    header: Sequence[object],
    sheet: str | None,
) -> list[Contact]:
    """List 1's rows (``rows``: each with its row or line number) as contacts."""
    names = [header_name(cell) for cell in header]
    at = {name: names.index(name) for name in (CHILD, CONTACT_DATE)}
    source = names.index(CONTACT_SOURCE) if CONTACT_SOURCE in names else None
    contacts = []
    for number, row in rows:
        cells = list(row) + [None] * (len(names) - len(row))
        child = cells[at[CHILD]]
        day = cells[at[CONTACT_DATE]]
        if (child is None or str(child).strip() == "") and day in (None, ""):
            continue
        where = _where(path, sheet, number, at[CONTACT_DATE])
        try:
            date = parse_date(day)
        except ValueError as exc:
            message = str(exc)
            raise _error(
                path, sheet, number, at[CONTACT_DATE], "Date of Contact", message
            ) from None
        if date is None:
            raise _error(path, sheet, number, at[CONTACT_DATE], "Date of Contact", "blank")
        if child is None or str(child).strip() == "":
            raise _error(path, sheet, number, at[CHILD], "Child Unique ID", "blank")
        if isinstance(child, float) and child.is_integer():
            child = int(child)
        text = str(cells[source]).strip() if source is not None and cells[source] else ""
        contacts.append(Contact(str(child).strip(), date, text, where))
    return contacts


def _where(path: Path, sheet: str | None, number: int, column: int) -> str:
    if sheet is None:
        return f"{path.name}, line {number}"
    return f"{path.name}!'{sheet}'!{column_letter(column + 1)}{number}"


def _error(
    path: Path, sheet: str | None, number: int, column: int, name: str, message: str
) -> DataFileError:
    if sheet is None:
        return DataFileError(path, number, name, message)
    return DataFileError(
        path, None, name, message, cell=f"'{sheet}'!{column_letter(column + 1)}{number}"
    )
