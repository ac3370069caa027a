"""The checksum of an official return, and what verifying a return finds.

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
from dataclasses import dataclass, field
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


# -- verify ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CellChange:
    """One cell (or layout item) that differs from the return as saved."""

    where: str
    """``Dataset!R7``, or ``Dataset (rows)`` for a layout item, ``properties`` for the book."""
    what: str
    """``M1 Number of contacts..., Aug-20``: the indicator and month, where there are any."""
    old: str
    new: str

    def __str__(self) -> str:
        about = f" ({self.what})" if self.what else ""
        return f"{self.where}{about}: {self.old} -> {self.new}"


@dataclass
class Verification:
    """What verifying a return found: its own checksum, and each cross-check made."""

    name: str
    intact: bool
    found: str
    """The SHA-256 of what the file now shows."""
    recorded: str | None
    """The SHA-256 the file says it was saved with (None: the block is missing)."""
    sheets: int
    month: str = ""
    changed: list[str] = field(default_factory=list)
    """Sheets (and ``the document properties and parts``) that differ from the per-sheet
    checksums saved in the properties."""
    problems: list[str] = field(default_factory=list)
    cells: list[CellChange] = field(default_factory=list)
    """Each changed cell, when the return as saved is at hand to compare."""
    checked: list[str] = field(default_factory=list)
    """The cross-checks made that passed (register, Audit, PDF, signature)."""
    unchecked: list[str] = field(default_factory=list)
    """What could not be cross-checked, and why."""

    @property
    def message(self) -> str:
        lines = []
        if self.intact:
            what = f" (the {self.month} return)" if self.month else ""
            lines.append(
                f"{self.name} is intact: what each of its {self.sheets} sheets shows matches "
                f"the SHA-256 it was saved with{what}."
            )
        else:
            lines.append(f"{self.name} is not intact: " + " ".join(self.problems))
            if self.cells:
                lines.append(f"Changed since it was saved ({len(self.cells)}):")
                lines += [f"  {change}" for change in self.cells]
        lines += [f"Checked: {item}." for item in self.checked]
        lines += [f"Not checked: {item}." for item in self.unchecked]
        return "\n".join(lines)

    def fail(self, problem: str) -> None:
        self.intact = False
        self.problems.append(problem)


def check_view(name: str, view: BookView) -> Verification:
    """Recompute a return's checksum from its view and compare it with the one it holds,
    and with the per-sheet checksums in its properties, to say what changed."""
    found_cell = find_checksum(view)
    exclude = (SHEET, found_cell[0]) if found_cell else None
    sums = digests(view, exclude)
    result = Verification(
        name, intact=False, found=sums.total, recorded=found_cell[1] if found_cell else None,
        sheets=len(view.sheets), month=return_month(view),
    )  # fmt: skip
    if found_cell is None:
        result.problems.append(
            f"it has no Official return block with one {CHECKSUM_LABEL} cell on its {SHEET} "
            "sheet: it is not an xlscorecard return, or that block was changed."
        )
        return result
    custom = {
        key.removeprefix("custom "): value
        for key, value in view.properties.items()
        if key.startswith("custom ")
    }
    saved = {
        key.removeprefix(PROPERTY_SHEET.format(name="")): value
        for key, value in custom.items()
        if key.startswith(PROPERTY_SHEET.format(name=""))
    }
    result.changed = [sheet for sheet, digest in sums.sheets.items() if saved.get(sheet) != digest]
    if custom.get(PROPERTY_BOOK) not in (None, sums.book):
        result.changed.append("the document properties and parts")
    missing = [sheet for sheet in saved if sheet not in sums.sheets]
    if found_cell[1] == sums.total:
        result.intact = True
        return result
    recorded_text = found_cell[1] or "(none)"
    result.problems.append(
        f"the SHA-256 of what it shows is {sums.total}, but it was saved with {recorded_text}."
    )
    if saved and (result.changed or missing):
        same = len(sums.sheets) - len([c for c in result.changed if c in sums.sheets])
        parts = []
        if result.changed:
            parts.append(
                "Changed: " + ", ".join(
                    f"the {sheet} sheet" if sheet in sums.sheets else sheet
                    for sheet in result.changed
                )
                + f" ({same} other sheet{'s' if same != 1 else ''} match)."
            )  # fmt: skip
        if missing:
            parts.append("Missing: " + ", ".join(f"the {sheet} sheet" for sheet in missing) + ".")
        result.problems.extend(parts)
    elif saved:
        result.problems.append(f"The checksum cell ({SHEET}!{found_cell[0]}) was changed.")
    recorded = custom.get(PROPERTY_CHECKSUM)
    if recorded and recorded != found_cell[1]:
        result.problems.append(
            f"Its document properties record {recorded}, not what its {SHEET}!{found_cell[0]} says."
        )
    return result


def cell_changes(saved: BookView, now: BookView, exclude: set[tuple[str, str]]) -> list[CellChange]:
    """Every cell, layout item and property that differs between a return as saved and as it
    is now, named by sheet and cell, with the indicator and month where the sheet has them."""
    changes: list[CellChange] = []
    for old_sheet in saved.sheets:
        new_sheet = now.sheet(old_sheet.name)
        if new_sheet is None:
            changes.append(CellChange(f"the {old_sheet.name} sheet", "", "present", "missing"))
            continue
        changes += _sheet_changes(old_sheet, new_sheet, exclude)
    for sheet in now.sheets:
        if saved.sheet(sheet.name) is None:
            changes.append(CellChange(f"the {sheet.name} sheet", "", "absent", "added"))
    old_props = {k: v for k, v in saved.properties.items() if "SHA-256" not in k}
    new_props = {k: v for k, v in now.properties.items() if "SHA-256" not in k}
    for key in sorted(set(old_props) | set(new_props)):
        if old_props.get(key, "") != new_props.get(key, ""):
            old, new = old_props.get(key, ""), new_props.get(key, "")
            changes.append(CellChange(f"document property {key}", "", _show(old), _show(new)))
    for (what, old), (_, new) in zip(saved.layout, now.layout, strict=False):
        if old != new:
            changes.append(_layout_change(f"the workbook's {what}", old, new))
    return changes


def _sheet_changes(old: SheetView, new: SheetView, exclude: set[tuple[str, str]]) -> list:
    labels = _labels(old)
    before = {coordinate: (r, c, v, look) for r, c, coordinate, v, look in old.cells}
    after = {coordinate: (r, c, v, look) for r, c, coordinate, v, look in new.cells}
    changes = []
    for coordinate in sorted(set(before) | set(after), key=lambda k: _order(before, after, k)):
        if (old.name, coordinate) in exclude:
            continue
        a, b = before.get(coordinate), after.get(coordinate)
        old_value, new_value = (a[2] if a else None), (b[2] if b else None)
        old_look = a[3].parts if a else {}
        new_look = b[3].parts if b else {}
        row, column = (a or b)[0], (a or b)[1]  # type: ignore[index]
        where, what = f"{old.name}!{coordinate}", labels(row, column)
        if canonical(old_value) != canonical(new_value):
            changes.append(CellChange(where, what, _value(old_value), _value(new_value)))
        if a is None or b is None:
            if old_value is None and new_value is None:
                plain, styled = "an empty cell with no format", "an empty cell with a format"
                changes.append(
                    CellChange(where, what, *((styled, plain) if a else (plain, styled)))
                )
            continue
        for part in sorted(set(old_look) | set(new_look)):
            if old_look.get(part) != new_look.get(part):
                old_part, new_part = old_look.get(part, "none"), new_look.get(part, "none")
                changes.append(
                    CellChange(where, what, f"{part} {_show(old_part)}", _show(new_part))
                )
    for (what, old_text), (_, new_text) in zip(old.layout, new.layout, strict=False):
        if old_text != new_text:
            changes.append(_layout_change(f"{old.name} ({what})", old_text, new_text))
    return changes


def _layout_change(where: str, old: str, new: str) -> CellChange:
    """A layout item's change, as the parts that differ (a row now hidden, a rule added)."""
    split = "\n" if "\n" in old + new else "; "
    before, after = old.split(split), new.split(split)
    gone = [item for item in before if item not in after] or ["(nothing)"]
    added = [item for item in after if item not in before] or ["(nothing)"]
    return CellChange(where, "", _show("; ".join(gone)), _show("; ".join(added)))


def _order(before: dict, after: dict, coordinate: str) -> tuple[int, int]:
    row, column, *_ = before.get(coordinate) or after[coordinate]
    return row, column


def _labels(sheet: SheetView):
    """A function naming the indicator and month of a cell of ``sheet`` as saved: on Dataset
    by its row's ref and name and its column's heading; on a table sheet by its row's ref and
    month columns."""
    grid = {(row, column): value for row, column, _, value, _ in sheet.cells}
    if sheet.name == SHEET:
        header_row = next(
            (r for (r, c), v in sorted(grid.items()) if c == 1 and str(v).strip() == "Ref."), 0
        )

        def dataset_label(row: int, column: int) -> str:
            ref, name = grid.get((row, 1)), grid.get((row, 2))
            heading = grid.get((header_row, column)) if header_row else None
            if isinstance(heading, dt.datetime | dt.date):
                heading = heading.strftime("%b-%y")
            if row <= header_row:
                return ""
            named = " ".join(str(p) for p in (ref, name) if p not in (None, ""))
            parts = [p for p in (named, heading) if p not in (None, "")]
            return ", ".join(str(p) for p in parts)

        return dataset_label
    header = {column: str(v) for (r, column), v in grid.items() if r == 1}
    columns = {name: column for column, name in header.items()}

    def table_label(row: int, column: int) -> str:
        ref = grid.get((row, columns.get("ref", 0)))
        month = grid.get((row, columns.get("month", 0)))
        named = [str(p) for p in (ref, month) if p not in (None, "")]
        if column in header:
            named.append(header[column])
        return ", ".join(named) if row > 1 else ""

    return table_label


def _value(value: object) -> str:
    form = canonical(value)
    if form is None:
        return "blank"
    kind, text = form
    return _show(text) if kind != "s" else _show(repr(text))


def _show(text: str, limit: int = 120) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


UNSEEN_BY_CELLS = ("x:sheetViews", "x:sheetPr", "x:sheetFormatPr", "drawing ", "chart",
                   "comments ", "vmlDrawing ", "image ", "link ", "workbook x:bookViews",
                   "styles ", "part ")  # fmt: skip
"""Items of the canonical view that the cell-by-cell view does not hold (its windows, drawings,
charts, comments' rich text, theme): compared item by item."""


GROUPED = 3
"""More changed parts of one kind in a sheet than this are named on one line."""


def part_changes(saved: BookView, now: BookView) -> list[CellChange]:
    """Each item of the canonical view of :data:`UNSEEN_BY_CELLS` kinds, and each app
    property, that differs between a return as saved and now: where, and the text around what
    changed."""
    changes: list[CellChange] = []
    pairs = [(f"{s.name} ({{}})", s.layout, (now.sheet(s.name) or s).layout) for s in saved.sheets]
    pairs.append(("the workbook's {}", saved.layout, now.layout))
    for where, old_items, new_items in pairs:
        old, new = _items(old_items), _items(new_items)
        differ = [
            key
            for key in sorted(set(old) | set(new))
            if key[0].startswith(UNSEEN_BY_CELLS) and old.get(key) != new.get(key)
        ]
        kinds: dict[str, list[str]] = {}
        for what, _ in differ:
            kinds.setdefault(what.split(" ")[0], []).append(what)
        for key in differ:
            kind = kinds[key[0].split(" ")[0]]
            if len(kind) > GROUPED:  # 55 charts rewritten: one line, not 55
                if key[0] == kind[0]:
                    names = ", ".join(what.split(" ", 1)[-1] for what in kind[:GROUPED])
                    count = f"{len(kind)} {key[0].split(' ')[0]} parts"
                    changes.append(
                        CellChange(where.format(count), "", "as saved", f"changed: {names}, …")
                    )
                continue
            before, after = _excerpt(old.get(key, "(nothing)"), new.get(key, "(nothing)"))
            changes.append(CellChange(where.format(key[0]), "", before, after))
    for key in sorted(set(saved.properties) | set(now.properties)):
        old_value, new_value = saved.properties.get(key, ""), now.properties.get(key, "")
        if key.startswith("app ") and old_value != new_value:
            changes.append(
                CellChange(f"document property {key}", "", *_excerpt(old_value, new_value))
            )
    return changes


def _items(layout: list[tuple[str, str]]) -> dict[tuple[str, int], str]:
    counted: dict[str, int] = {}
    items = {}
    for what, text in layout:
        counted[what] = counted.get(what, 0) + 1
        items[(what, counted[what])] = text
    return items


def _excerpt(old: str, new: str, around: int = 40) -> tuple[str, str]:
    """The part of ``old`` and ``new`` that differs, with a little on either side."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    begin = max(0, start - around)

    def cut(text: str) -> str:
        stop = len(text) - max(0, end - around)
        return ("…" if begin else "") + text[begin:stop] + ("…" if stop < len(text) else "")

    return _show(cut(old), 160), _show(cut(new), 160)
