"""Save a workbook as every xlscorecard file is saved: each formula with its cached value.

openpyxl writes a formula cell as ``<f>`` with an empty ``<v>``. :func:`write_workbook` saves
with openpyxl, then puts into each formula cell's ``<v>`` the value the tested Python calculation
gives (:func:`xlscorecard.workbook.cached_values.formula_values`; ``t="str"`` for text), and
sets the workbook's calculation properties:

- ``calcId`` :data:`CALC_ID`: the values were calculated by the calculation engine of Excel
  2019, 2021, 2024 and Microsoft 365. Excel compares it with its own when it opens a file: a
  lower one (openpyxl's default 124519 is Excel 2007's) makes it recalculate every formula and
  mark the untouched file as changed, so that closing it asks to save;
- no ``fullCalcOnLoad`` when every formula cell has its value, so Excel trusts them; with it
  (``1``) when one cannot be vouched for (a typed-over formula, ``12a`` in an input cell), so
  that Excel recalculates everything rather than show a stale figure.

It puts back the parts openpyxl drops that xlscorecard carries over
(:func:`.carry_over.with_carried`: web extensions such as xlwings Lite's code, custom XML),
and saves the Dataset sheet of a workbook carrying xlwings Lite's code unprotected
(:mod:`xlscorecard.xlsx.lite_code`).

It also says how deep each sheet's column groups go (``sheetFormatPr outlineLevelCol``), which
Excel needs to draw the outline buttons: openpyxl works it out only while writing the columns,
after it has written ``sheetFormatPr``, so a workbook it opens and saves loses it.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.workbook.properties import CalcProperties
from openpyxl.workbook.workbook import Workbook

from ..model.cells import address
from ..model.settings import DEFAULT_BACKUPS
from ..store.safe_write import atomic_write
from ..workbook.cached_values import Shown, formula_values
from .carry_over import carried_by, sheet_parts, with_carried
from .charts import check_drawn
from .lite_code import unguard_for_lite
from .reader import contents_of

CALC_ID = 191029
"""The calculation engine id Excel 2019 and later (Microsoft 365 included) write."""

_FORMULA_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]{1,3}[0-9]+)"(?P<attrs>(?: [a-z]+="[^"]*")*)>'
    r"(?P<f><f>[^<]*</f>)<v(?:\s*/>|></v>)</c>"
)


def write_workbook(workbook: Workbook, target: Path) -> Path:
    """Save ``workbook`` at ``target`` with its formulas' cached values (see above)."""
    shown = formula_values(contents_of(workbook, Path(target).name))
    workbook.calculation = CalcProperties(
        calcId=CALC_ID, fullCalcOnLoad=True if not shown.complete else None
    )
    for sheet in workbook.worksheets:
        levels = [d.outline_level or 0 for d in sheet.column_dimensions.values()]
        sheet.column_dimensions.max_outline = max(levels, default=0) or None
    carried = carried_by(workbook)
    unguard_for_lite(workbook, carried)
    buffer = io.BytesIO()
    workbook.save(buffer)
    package = with_cached_values(buffer.getvalue(), shown)
    Path(target).write_bytes(with_carried(package, carried))
    return Path(target)


def with_cached_values(package: bytes, shown: Shown) -> bytes:
    """The package with each value of ``shown`` in its formula cell's ``<v>``. Raises
    AssertionError if a cell to fill is not an openpyxl formula cell (a fault in xlscorecard)."""
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        parts = {part: name for name, part in sheet_parts(source).items()}
        entries = [(info, source.read(info)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            sheet = parts.get(info.filename)
            if sheet is not None and shown.values.get(sheet):
                data = _fill(data, sheet, shown.values[sheet])
            target.writestr(info, data)
    return out.getvalue()


def _fill(xml: bytes, sheet: str, values: dict[tuple[int, int], object]) -> bytes:
    wanted = {address(row, column): value for (row, column), value in values.items()}
    done: set[str] = set()

    def fill(match: re.Match) -> str:
        ref = match.group("ref")
        if ref not in wanted:
            return match.group(0)
        done.add(ref)
        kind, text = _cached(wanted[ref])
        attrs = match.group("attrs") + (f' t="{kind}"' if kind else "")
        return f'<c r="{ref}"{attrs}>{match.group("f")}<v>{text}</v></c>'

    filled = _FORMULA_CELL.sub(fill, xml.decode("utf-8"))
    missing = sorted(set(wanted) - done)
    if missing:
        raise AssertionError(f"{sheet}: no openpyxl formula cell at {', '.join(missing[:5])}")
    return filled.encode("utf-8")


def _cached(value: object) -> tuple[str, str]:
    """(the cell's ``t``, the text of its ``<v>``) for a formula result."""
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, int):
        return "", str(value)
    if isinstance(value, float):
        return "", repr(value)
    return "str", escape(str(value))


def save_workbook(
    workbook: Workbook, path: Path, backup: bool = True, versions: int = DEFAULT_BACKUPS
) -> None:
    """Save an openpyxl workbook over ``path`` atomically, keeping the replaced version, with
    its formulas' cached values (:func:`write_workbook`) and its Trends charts drawn again."""
    check_drawn(workbook)
    atomic_write(Path(path), partial(write_workbook, workbook), backup=backup, versions=versions)
