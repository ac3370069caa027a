"""The checksum of an official return (what verifying finds: :mod:`.return_changes`).

The checksum is the SHA-256 of what a reader sees: every cell's value and look, each sheet's
layout and the parts it shows (drawings, charts, comments), and the book's properties, windows,
theme and parts (:class:`BookView`), except the cell holding the checksum and the properties
that repeat it. Each sheet is serialised as one JSON line (UTF-8) per cell, in row order, then
one per layout item; the book likewise, after the sheets in their order. Returns saved with
checksum form 2 (:data:`FORM`, in their properties) are read by
:mod:`xlscorecard.returns.canonical` from the package with the standard library alone; those
saved before, by :mod:`xlscorecard.returns.openpyxl_view` with openpyxl. The checksum is
written into the return, so it shows a change made by someone who did not recompute it;
the SHA-256 of the file's bytes, kept in the returns register and the working workbook's
Audit (and, with a key, a signature), shows any change at all.

Pure: readers hand over a return's view; nothing here opens a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property

from ..workbook.layout import SHEET, address
from ..workbook.schema import RETURN_CHECKSUM_LABEL

CHECKSUM_LABEL = RETURN_CHECKSUM_LABEL
PROPERTY_CHECKSUM = "SHA-256"
PROPERTY_SHEET = "SHA-256 of sheet {name}"
PROPERTY_BOOK = "SHA-256 of the properties and parts"
"""Custom document properties: the checksum, and one per sheet (and one for the rest) so
verify can say where."""
PROPERTY_FORM = "Checksum form"
FORM = "2"
"""The custom property naming the form a return's checksum was taken in: ``2``, the canonical
form; absent, the first form."""
CHECKSUM_PROPERTIES = "SHA-256"
"""Custom properties whose names start so repeat checksums: they are not part of one."""
SIGNIFICANT = 15
"""Excel keeps 15 significant digits of a number; a return's numbers are stored so."""


@dataclass(frozen=True)
class Look:
    """How a cell looks, by attribute (``number format``, ``font``, ``fill``... ``note``)."""

    parts: dict[str, str]

    @cached_property
    def digest(self) -> str:
        text = json.dumps(sorted(self.parts.items()), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def __hash__(self) -> int:
        return hash(self.digest)


@dataclass
class SheetView:
    name: str
    cells: list[tuple[int, int, str, object, Look]]
    """(row, column, coordinate, value, look), row by row."""
    layout: list[tuple[str, str]]
    """What the sheet shows besides its cells, as (what, text)."""


@dataclass
class BookView:
    sheets: list[SheetView]
    properties: dict[str, str]
    """Document properties, ``core title`` / ``custom Return month``: their text."""
    layout: list[tuple[str, str]]
    """The book's protection, names, sheets and package parts, as (what, text)."""

    def sheet(self, name: str) -> SheetView | None:
        return next((sheet for sheet in self.sheets if sheet.name == name), None)


def canonical(value: object) -> tuple[str, str] | None:
    """A cell's value as (type, text), the same however a reader returns it: whole numbers
    as integers, dates as datetimes, line ends as ``\\n``; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return ("b", "TRUE" if value else "FALSE")
    if isinstance(value, int | float):
        number = float(value)
        if number.is_integer() and abs(number) < 2**53:
            return ("n", str(int(number)))
        return ("n", f"{number:.{SIGNIFICANT}g}")
    if isinstance(value, dt.datetime | dt.date):
        if not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        return ("d", value.isoformat())
    if isinstance(value, dt.time):
        return ("t", value.isoformat())
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return ("s", text)


def sheet_serialisation(sheet: SheetView, skip: set[str]) -> bytes:
    """One JSON line per cell with a value or a look, then one per layout item."""
    lines = []
    for _, _, coordinate, value, look in sheet.cells:
        if coordinate in skip:
            continue
        form = canonical(value) or ("", "")
        lines.append(json.dumps([sheet.name, coordinate, *form, look.digest], ensure_ascii=False))
    for what, text in sheet.layout:
        lines.append(json.dumps([sheet.name, f"#{what}", text], ensure_ascii=False))
    return "".join(line + "\n" for line in lines).encode("utf-8")


def book_serialisation(view: BookView) -> bytes:
    items = [
        (f"property {key}", value)
        for key, value in sorted(view.properties.items())
        if not key.startswith(f"custom {CHECKSUM_PROPERTIES}")
    ]
    items += view.layout
    return "".join(json.dumps(["#book", k, v], ensure_ascii=False) + "\n" for k, v in items).encode(
        "utf-8"
    )


@dataclass(frozen=True)
class Digests:
    total: str
    """SHA-256 of every sheet's serialisation, in sheet order, then the book's."""
    sheets: dict[str, str]
    """SHA-256 of each sheet's serialisation."""
    book: str
    """SHA-256 of the book's properties, protection, names and parts."""


def digests(view: BookView, exclude: tuple[str, str] | None) -> Digests:
    """The checksum of a return: everything in ``view`` except ``exclude`` (sheet,
    coordinate), the cell that holds the checksum."""
    total = hashlib.sha256()
    per_sheet: dict[str, str] = {}
    for sheet in view.sheets:
        skip = {exclude[1]} if exclude and exclude[0] == sheet.name else set()
        data = sheet_serialisation(sheet, skip)
        total.update(data)
        per_sheet[sheet.name] = hashlib.sha256(data).hexdigest()
    book = book_serialisation(view)
    total.update(book)
    return Digests(total.hexdigest(), per_sheet, hashlib.sha256(book).hexdigest())


def find_checksum(view: BookView) -> tuple[str, str] | None:
    """The checksum cell of a return's Dataset sheet: (coordinate, its text), found by its
    label in column A; None when there is not exactly one."""
    sheet = view.sheet(SHEET)
    if sheet is None:
        return None
    grid = {(row, column): value for row, column, _, value, _ in sheet.cells}
    labels = [row for (row, column), v in grid.items() if column == 1 and v == CHECKSUM_LABEL]
    if len(labels) != 1:
        return None
    value = grid.get((labels[0], 2))
    return address(labels[0], 2), "" if value is None else str(value).strip()


def return_month(view: BookView) -> str:
    """The month a return's Official return block gives (``Aug-20``), or ``""``."""
    sheet = view.sheet(SHEET)
    if sheet is None:
        return ""
    grid = {(row, column): value for row, column, _, value, _ in sheet.cells}
    rows = [row for (row, column), value in grid.items() if column == 1 and value == "Month"]
    return str(grid.get((rows[0], 2)) or "") if rows else ""
