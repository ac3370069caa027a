"""A workbook made ready for its official return, as a person would make it."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from openpyxl import load_workbook

from xlscorecard.app import workbook_file
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET, Field

COMMENTED = {"LAC2": "Fewer new episodes in August.", "LAC3": "Several planned moves to SGO.",
             "LAC13": "Two young people turned 18."}  # fmt: skip
ANSWER = "Checked with the team: right."


def make_ready(source: Path, target: Path) -> Path:
    """The Aug-20 workbook with everything that blocks a return done by hand: commentary typed
    for the big changes, and a reason given for each query on Checks."""
    if Path(source) != Path(target):
        shutil.copy(source, target)
    _, book = workbook_file.open_book(target)
    workbook = load_workbook(target)
    for ref, text in COMMENTED.items():
        workbook[SHEET][book.layout.cell(ref, Field.COMMENTARY)] = text
    workbook.save(target)
    workbook_file.validate_file(target, backup=False)
    workbook = load_workbook(target)
    for row in workbook[sheets.CHECKS].iter_rows(min_row=2):
        if row[0].value == "query":
            row[9].value = ANSWER
    workbook.save(target)
    return target


def fake_pdf(xlsx: Path, pdf: Path) -> None:
    pdf.write_bytes(b"%PDF-1.4\n% stands in for LibreOffice in fast tests\n")


def set_in_package(source: Path, target: Path, sheet: str, cell: str, value: object) -> Path:
    """A copy of the return ``source`` at ``target`` with ``sheet``'s ``cell`` (which must
    be there) set to ``value`` (a number, text, or ``=formula``) in its package, with the
    standard library alone: every other byte as it was, as a tamperer would."""
    with zipfile.ZipFile(source) as package:
        parts = [(info, package.read(info)) for info in package.infolist()]
    found = dict((info.filename, data) for info, data in parts)
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ids = {
        item.get("Id"): item.get("Target", "").lstrip("/")
        for item in ElementTree.fromstring(found["xl/_rels/workbook.xml.rels"])
    }
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    part = next(
        ids[item.get(relation)]
        for item in ElementTree.fromstring(found["xl/workbook.xml"]).iter(f"{main}sheet")
        if item.get("name") == sheet
    )
    if isinstance(value, str) and value.startswith("="):
        kind, content = "", f"<f>{escape(value[1:])}</f>"
    elif isinstance(value, str):
        kind, content = ' t="inlineStr"', f"<is><t>{escape(value)}</t></is>"
    else:
        kind, content = ' t="n"', f"<v>{value}</v>"
    pattern = re.compile(rf'<c r="{cell}"( s="\d+")?[^>]*?(/>|>.*?</c>)', re.S)
    text = found[part].decode("utf-8")
    match = pattern.search(text)
    assert match, f"{sheet}!{cell} is not in {part}"
    text = (
        text[: match.start()]
        + f'<c r="{cell}"{match[1] or ""}{kind}>{content}</c>'
        + text[match.end() :]
    )
    target = Path(target)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts:
            package.writestr(info, text.encode("utf-8") if info.filename == part else data)
    return target
