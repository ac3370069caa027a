"""The checksum of an official return, and what :func:`check_cells` finds when it recomputes it.

Pure: readers hand over a return's cells; nothing here opens a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..workbook.layout import SHEET, address

CHECKSUM_LABEL = "SHA-256"
PROPERTY_CHECKSUM = "SHA-256"
PROPERTY_SHEET = "SHA-256 of sheet {name}"
"""Custom document properties: the checksum, and one per sheet so verify can say where."""
SIGNIFICANT = 15
"""Excel keeps 15 significant digits of a number; a return's numbers are stored so."""


SheetCells = tuple[str, Iterable[tuple[str, object]]]
"""A sheet's name and its cells as (coordinate, value), in row-major order."""


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


def sheet_serialisation(name: str, cells: Iterable[tuple[str, object]], skip: set[str]) -> bytes:
    """One JSON line per non-empty cell: ``["Dataset","B7","n","1493"]``."""
    lines = []
    for coordinate, value in cells:
        if coordinate in skip:
            continue
        form = canonical(value)
        if form is not None:
            lines.append(json.dumps([name, coordinate, *form], ensure_ascii=False))
    return "".join(line + "\n" for line in lines).encode("utf-8")


@dataclass(frozen=True)
class Digests:
    total: str
    """SHA-256 of every sheet's serialisation, in sheet order."""
    sheets: dict[str, str]
    """SHA-256 of each sheet's serialisation."""


def digests(workbook: Iterable[SheetCells], exclude: tuple[str, str] | None) -> Digests:
    """The checksum of a return's data: every cell of every sheet except ``exclude``
    (sheet, coordinate), the cell that holds the checksum."""
    total = hashlib.sha256()
    per_sheet: dict[str, str] = {}
    for name, cells in workbook:
        skip = {exclude[1]} if exclude and exclude[0] == name else set()
        data = sheet_serialisation(name, cells, skip)
        total.update(data)
        per_sheet[name] = hashlib.sha256(data).hexdigest()
    return Digests(total.hexdigest(), per_sheet)


# -- verify ------------------------------------------------------------------------------------
@dataclass
class Verification:
    """What :func:`check_cells` found in a return."""

    name: str
    intact: bool
    found: str
    """The SHA-256 of the data now in the file."""
    recorded: str | None
    """The SHA-256 the file says it was saved with (None: the block is missing)."""
    sheets: int
    month: str = ""
    changed: list[str] = field(default_factory=list)
    """Sheets whose data differs from the per-sheet checksums saved in the properties."""
    problems: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.intact:
            what = f" (the {self.month} return)" if self.month else ""
            return (
                f"{self.name} is intact: every cell of its {self.sheets} sheets matches the "
                f"SHA-256 it was saved with{what}."
            )
        return f"{self.name} is not intact: " + " ".join(self.problems)


def find_checksum(name: str, cells: Iterable[tuple[int, int, object]]) -> tuple[str, str] | None:
    """The checksum cell of a return's Dataset sheet: (coordinate, its text), found by its
    label in column A; None when there is not exactly one."""
    grid = {(row, column): value for row, column, value in cells}
    labels = [row for (row, column), value in grid.items() if column == 1 and value == name]
    if len(labels) != 1:
        return None
    row = labels[0]
    value = grid.get((row, 2))
    return address(row, 2), "" if value is None else str(value).strip()


def check_cells(
    name: str,
    workbook: list[tuple[str, list[tuple[int, int, str, object]]]],
    properties: dict[str, str],
) -> Verification:
    """Recompute a return's checksum from its cells (sheet name, then (row, column,
    coordinate, value) for each cell) and compare it with the one it holds, and with the
    per-sheet checksums in its document ``properties``, to say what changed."""
    dataset = next((cells for sheet, cells in workbook if sheet == SHEET), None)
    found_cell = None
    if dataset is not None:
        found_cell = find_checksum(CHECKSUM_LABEL, ((r, c, v) for r, c, _, v in dataset))
    exclude = (SHEET, found_cell[0]) if found_cell else None
    sums = digests(
        ((sheet, ((coordinate, v) for _, _, coordinate, v in cells)) for sheet, cells in workbook),
        exclude,
    )
    month = ""
    if dataset is not None:
        labels = {(r, c): v for r, c, _, v in dataset}
        month_row = next((r for (r, c), v in labels.items() if c == 1 and v == "Month"), None)
        month = str(labels.get((month_row, 2)) or "") if month_row else ""
    result = Verification(
        name, intact=False, found=sums.total, recorded=found_cell[1] if found_cell else None,
        sheets=len(workbook), month=month,
    )  # fmt: skip
    if found_cell is None:
        result.problems.append(
            f"it has no Official return block with one {CHECKSUM_LABEL} cell on its {SHEET} "
            "sheet: it is not an xlscorecard return, or that block was changed."
        )
        return result
    saved = {
        key.removeprefix(PROPERTY_SHEET.format(name="")): value
        for key, value in properties.items()
        if key.startswith(PROPERTY_SHEET.format(name=""))
    }
    result.changed = [sheet for sheet, digest in sums.sheets.items() if saved.get(sheet) != digest]
    missing = [sheet for sheet in saved if sheet not in sums.sheets]
    if found_cell[1] == sums.total:
        result.intact = True
        return result
    recorded_text = found_cell[1] or "(none)"
    result.problems.append(
        f"the SHA-256 of its data is {sums.total}, but it was saved with {recorded_text}."
    )
    if saved and (result.changed or missing):
        same = len(sums.sheets) - len(result.changed)
        parts = []
        if result.changed:
            parts.append(
                "Changed: " + ", ".join(f"the {sheet} sheet" for sheet in result.changed)
                + f" ({same} other sheet{'s' if same != 1 else ''} match)."
            )  # fmt: skip
        if missing:
            parts.append("Missing: " + ", ".join(f"the {sheet} sheet" for sheet in missing) + ".")
        result.problems.extend(parts)
    elif saved:
        result.problems.append(f"The checksum cell ({SHEET}!{found_cell[0]}) was changed.")
    recorded = properties.get(PROPERTY_CHECKSUM)
    if recorded and recorded != found_cell[1]:
        result.problems.append(
            f"Its document properties record {recorded}, not what its {SHEET}!{found_cell[0]} says."
        )
    return result
