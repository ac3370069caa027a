"""SSDA903 tables (CSV, one header row): the episodes and UASC tables the rules read, each
value checked where a rule needs it (dates that exist, codes the DfE's lists know)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from ..errors import DataFileError
from .dates import parse_date
from .records import Episode, Uasc

TABLES = {
    # table: (the columns that say it is this table, the columns the rules need)
    "episodes": (
        {"DECOM", "RNE"},
        ("CHILD", "DECOM", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "DEC", "REC"),
    ),
    "uasc": ({"DUC"}, ("CHILD", "DUC")),
    "header": ({"ETHNIC"}, ()),
    "reviews": ({"REVIEW_CODE"}, ()),
    "oc2": ({"SDQ_SCORE"}, ()),
    "oc3": ({"IN_TOUCH"}, ()),
    "ad1": ({"DATE_INT"}, ()),
    "placed for adoption": ({"DATE_PLACED"}, ()),
    "previous permanence": ({"PREV_PERM"}, ()),
    "missing": ({"MIS_START"}, ()),
    "social workers": ({"SW_ID"}, ()),
    "deprivation of liberty": ({"DOLO_START"}, ()),
}
"""The 903's tables by their header row (the DfE validator's names); only the first two are
read, the others are recognised and left."""
CODES = {
    "RNE": {"S", "L", "P", "T", "B", "U"},
    "LS": {"C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3"},
    "PLACE": {
        "A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3",
        "R5", "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
        "Z11", "Z12", "Z13", "Z14",
    },
    "PLACE_PROVIDER": {"", "PR0", "PR1", "PR2", "PR3", "PR4", "PR5"},
    "REC": {
        "", "X1", "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E43", "E44", "E45",
        "E46", "E47", "E48", "E5", "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17",
    },
}  # fmt: skip
"""The codes of every collection year from 2017 (SSDA903 schemas and their changes)."""
EPISODE_COLUMNS = {
    "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
}  # fmt: skip
"""The episodes table's columns: three of them (and CHILD) make an episodes table, so that one
without DECOM or RNE is an error naming the column, not a file left unread."""


def table_kind(header: list[str]) -> str | None:
    """Which 903 table a header row is, if any (names matched whatever their case)."""
    names = {name.strip().upper() for name in header}
    if "CHILD" not in names:
        return None
    for kind, (signature, _) in TABLES.items():
        if signature <= names:
            return kind
    if len(names & EPISODE_COLUMNS) >= 3:  # an episodes table short of a column: said so
        return "episodes"
    return None


def _rows(path: Path, text: str, kind: str, optional: tuple[str, ...] = ()):
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().upper() for name in next(reader)]
    missing = [name for name in TABLES[kind][1] if name not in header]
    if missing:
        raise DataFileError(
            path, 1, None,
            f"the 903 {kind} table has no column {', '.join(missing)}: its header row must "
            f"name {', '.join(TABLES[kind][1])}",
        )  # fmt: skip
    wanted = (*TABLES[kind][1], *(name for name in optional if name in header))
    at = {name: header.index(name) for name in wanted}
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            cells = {name: (values[i].strip() if i < len(values) else "") for name, i in at.items()}
            yield reader.line_num, cells
    except csv.Error as exc:
        raise DataFileError(path, reader.line_num, None, f"cannot be read as CSV: {exc}") from None


def _date(path: Path, line: int, cells: dict[str, str], column: str, required: bool):
    try:
        day = parse_date(cells[column])
    except ValueError as exc:
        raise DataFileError(path, line, column, str(exc)) from None
    if day is None and required:
        raise DataFileError(path, line, column, "blank: every row needs this date")
    return day


def _code(path: Path, line: int, cells: dict[str, str], column: str) -> str:
    code = cells[column].upper()
    if code not in CODES[column]:
        known = ", ".join(sorted(c for c in CODES[column] if c))
        shown = repr(cells[column]) if code else "blank"
        raise DataFileError(
            path, line, column, f"{shown} is not a 903 {column} code (known: {known})"
        )
    return code


def read_episodes(path: Path, text: str) -> list[Episode]:
    """The episodes table's rows."""
    episodes = []
    for line, cells in _rows(path, text, "episodes"):
        child = cells["CHILD"]
        if not child:
            raise DataFileError(path, line, "CHILD", "blank: every episode names its child")
        start = _date(path, line, cells, "DECOM", True)
        end = _date(path, line, cells, "DEC", False)
        codes = {c: _code(path, line, cells, c) for c in ("RNE", "LS", "PLACE", "REC")}
        provider = _code(path, line, cells, "PLACE_PROVIDER")
        if end is not None and not codes["REC"]:
            raise DataFileError(path, line, "REC", "blank: an episode that ends (DEC) says why")
        if end is not None and end < start:
            raise DataFileError(path, line, "DEC", f"{end:%d/%m/%Y} is before DECOM")
        episodes.append(Episode(
            child, start, codes["RNE"], codes["LS"], codes["PLACE"], provider, end,
            codes["REC"], f"{path.name}, line {line}",
        ))  # fmt: skip
    return episodes


def read_uasc(path: Path, text: str) -> list[Uasc]:
    """The UASC table's rows. A blank DUC is the 18th birthday (DOB), the day UASC status
    ceases at the latest; with no DOB either, the status has not ceased."""
    rows = []
    for line, cells in _rows(path, text, "uasc", ("DOB",)):
        if not cells["CHILD"]:
            raise DataFileError(path, line, "CHILD", "blank: every row names its child")
        ceased = _date(path, line, cells, "DUC", False)
        if ceased is None and "DOB" in cells:
            birth = _date(path, line, cells, "DOB", False)
            if birth is not None:
                ceased = _birthday(birth, 18)
        rows.append(Uasc(cells["CHILD"], ceased, f"{path.name}, line {line}"))
    return rows


def _birthday(birth: dt.date, age: int) -> dt.date:
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:  # born on 29 February
        return dt.date(birth.year + age, 3, 1)
