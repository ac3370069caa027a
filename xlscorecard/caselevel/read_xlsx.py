"""A fast, read-only look at a workbook's sheets: each row's cell values, straight from the
file's XML (the standard library's C parser), for the long lists of an Annex A workbook.
Numbers stay numbers (a date cell is its Excel serial, which :func:`dates.parse_date`
reads), text is text; styles, formulas and everything else are left alone."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
Cell = str | float | None


class NotAWorkbook(Exception):
    """The file is not a workbook this can read (the message says why)."""


class Workbook:
    """A workbook's sheets by name, read as rows of values on demand."""

    def __init__(self, path: Path):
        try:
            self.zip = zipfile.ZipFile(path)
            self.names = self._sheets()
            self.strings = self._strings()
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as exc:
            raise NotAWorkbook(f"not a workbook that can be read ({exc})") from None

    def close(self) -> None:
        self.zip.close()

    def _xml(self, name: str) -> ElementTree.Element:
        data = self.zip.read(name)
        if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
            raise NotAWorkbook(f"{name} declares entities, which a workbook never does")
        return ElementTree.fromstring(data)

    def _sheets(self) -> list[tuple[str, str]]:
        book = self._xml("xl/workbook.xml")
        rels = self._xml("xl/_rels/workbook.xml.rels")
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{RELS}Relationship")}
        sheets = []
        for sheet in book.iter(f"{MAIN}sheet"):
            target = targets.get(sheet.get(OFFICE_REL), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))  # fmt: skip
            sheets.append((sheet.get("name", ""), part))
        return sheets

    def _strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.zip.namelist():
            return []
        root = self._xml("xl/sharedStrings.xml")
        return ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in root]

    def rows(self, part: str) -> Iterator[tuple[int, list[Cell]]]:
        """Each row of a sheet that has cells: (row number, values by column from A)."""
        try:
            sheet = self._xml(part)
        except (KeyError, ElementTree.ParseError) as exc:
            raise NotAWorkbook(f"sheet {part} cannot be read ({exc})") from None
        for number, row in enumerate(sheet.iter(f"{MAIN}row"), start=1):
            try:
                values = self._values(row)
                number = int(row.get("r") or number)
            except (IndexError, ValueError) as exc:
                raise NotAWorkbook(f"sheet {part}, row {number}, cannot be read ({exc})") from None
            yield number, values

    def _values(self, row: ElementTree.Element) -> list[Cell]:
        values: list[Cell] = []
        for cell in row:
            ref = cell.get("r")
            column = _column(ref.rstrip("0123456789")) if ref else len(values)
            while len(values) <= column:
                values.append(None)
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                value: Cell = "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
            else:
                text = cell.findtext(f"{MAIN}v")
                if text is None:
                    value = None
                elif kind == "s":
                    value = self.strings[int(text)]
                elif kind == "n":
                    value = float(text)
                else:
                    value = text
            values[column] = value
        return values


@lru_cache(maxsize=1024)
def _column(letters: str) -> int:
    """``"B"`` -> 1 (columns from 0)."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number - 1
