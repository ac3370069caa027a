"""What verifying an official return finds: its digests checked against what it says, and each
cell, layout item and part that changed since it was saved, in words a person can check.

Pure: readers hand over a return's view; nothing here opens a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..workbook.layout import SHEET
from .checksum import (
    CHECKSUM_LABEL,
    PROPERTY_BOOK,
    PROPERTY_CHECKSUM,
    PROPERTY_SHEET,
    BookView,
    SheetView,
    canonical,
    digests,
    find_checksum,
    return_month,
)


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
