"""A live workbook as the model holds it: the dataset with the figures typed in the window, and
what the checks and jobs need besides (raw entries, formulas typed over, rows and columns out of
place, what was typed on the sheet since the last command).

``workbook.reading`` turns a workbook's grids into a :class:`LiveBook`; the sheet's layout (a
``workbook.layout.DatasetLayout``) travels in it for the layers above, unread here: a LiveBook is
generic in its layout, so the model names no workbook type.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, replace
from typing import Generic, TypeVar

from .dataset import Answer, Dataset, Value
from .months import Month
from .rows import returned_months

Layout = TypeVar("Layout")
"""The type of the sheet's layout a book carries (``workbook.layout.DatasetLayout``)."""


@dataclass(frozen=True)
class Entry:
    """One input cell of the window as found: what was typed and what it means."""

    ref: str
    month: Month
    cell: str
    raw: object
    value: Value
    problem: str | None = None


@dataclass(frozen=True)
class Overwrite:
    """A formula cell that now holds a typed constant."""

    ref: str
    cell: str
    what: str
    typed: object
    formula: str = ""
    """The formula that belongs in the cell."""
    month: Month | None = None
    """The month of a month column; None for the % change and 12-month columns."""
    field: str | None = None
    """The named column it is in (a ``workbook.layout.Field``); None for a month column."""


@dataclass(frozen=True)
class HeaderProblem:
    """A column heading that is not the one its column was built with (a column deleted,
    moved or inserted, or its heading typed over)."""

    cell: str
    expected: Month | str
    found: object
    column: str = ""
    """The column in words: ``the commentary column``, ``the month column for Aug-20``."""


@dataclass(frozen=True)
class RowProblem:
    """An indicator's row whose ref cell does not hold its ref (I502)."""

    row: int
    expected: str
    found: object


@dataclass
class LiveBook(Generic[Layout]):
    """The workbook as the model sees it, plus what the checks need."""

    name: str
    dataset: Dataset
    month: Month
    layout: Layout
    entries: dict[tuple[str, Month], Entry] = field(default_factory=dict)
    history: dict[tuple[str, Month], Value] = field(default_factory=dict)
    commentary_cells: dict[str, str] = field(default_factory=dict)
    overwritten: list[Overwrite] = field(default_factory=list)
    row_problems: list[RowProblem] = field(default_factory=list)
    header_problems: list[HeaderProblem] = field(default_factory=list)
    audit: list[list[object]] = field(default_factory=list)
    formulas_known: bool = True
    typed_comments: dict[str, str] = field(default_factory=dict)
    """The report month's comments typed since they were last kept (ref -> text): kept, with
    who typed them, by :func:`jobs.typed.keep_typed`."""
    cleared_comments: set[str] = field(default_factory=set)
    """Refs whose kept comment for the report month has been cleared from its cell."""
    typed_answers: dict[str, Answer] = field(default_factory=dict)
    """Reasons typed on Checks since they were last kept, by answer key (no who or when yet)."""
    withdrawn: set[str] = field(default_factory=set)
    """Answer keys whose reason has been cleared on Checks."""

    @property
    def answers(self) -> dict[str, Answer]:
        """The answers kept in the workbook (the Answers sheet), by answer key."""
        return self.dataset.answers

    @property
    def structure_intact(self) -> bool:
        """Every indicator row and every column where it was built (I502 and I503 find none):
        only then can cells be written by their place."""
        return not (self.row_problems or self.header_problems)

    def copy(self) -> LiveBook[Layout]:
        """An independent copy, much cheaper than ``copy.deepcopy`` (each check gets one):
        every container is copied, field by field, and their items are immutable."""
        return _copied(self)

    def put(self, entry: Entry, source: str = "entered") -> Entry:
        """Put ``entry`` (an input cell of the window, as read) in the book: the dataset
        follows, and a changed figure records its ``source``."""
        key = (entry.ref, entry.month)
        self.entries[key] = entry
        if entry.problem is not None or entry.value is None:
            self.dataset.values.pop(key, None)
            if entry.problem is None:
                self.dataset.sources.pop(key, None)
        else:
            if self.dataset.values.get(key) != entry.value:
                self.dataset.sources[key] = source
            self.dataset.values[key] = entry.value
        return entry

    @property
    def returned_months(self) -> set[Month]:
        return returned_months(self.audit)


def _copied(item):
    """``item`` with each container field copied one level down (settings in full)."""
    changes = {}
    for each in fields(item):
        if not each.init:
            continue  # derived state (an index), made again by the copy
        value = getattr(item, each.name)
        if isinstance(value, Dataset):
            value = _copied(value)
        elif each.name == "settings":
            value = copy.deepcopy(value)
        elif isinstance(value, dict | set):
            value = type(value)(value)
        elif isinstance(value, list):
            value = [list(row) if isinstance(row, list) else row for row in value]
        changes[each.name] = value
    return replace(item, **changes)
