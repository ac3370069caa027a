"""What a workbook holds that openpyxl would drop if xlscorecard saved it: found before anything is
written, so that the command can refuse and change nothing.

openpyxl keeps cells, styles, formats, comments, tables, names, validation and conditional
formats it knows, and the charts on :data:`schema.CHART_SHEETS` (which xlscorecard redraws on
every save). It drops, or rewrites so that they are no longer what the user made: pictures, text
boxes, shapes and other charts; VBA; pivot tables; links to other workbooks; threaded comments;
embedded objects, controls, slicers, data connections and pictures in cells; newer Excel features
held in extensions (it warns "... not supported"); and a data-validation rule someone added would
be lost or left on the wrong cells when xlscorecard rewrites the sheet. :func:`held` lists them,
with the sheet and the part of the file each is in.

Two kinds of part openpyxl drops are carried over instead (:func:`carried`, put back by
:func:`with_carried` on every save): web extensions (Office add-ins' task panes and the settings
they keep in the workbook, xlwings Lite's ``main.py`` among them) and custom XML parts, byte for
byte, with the relationships and content types that point at them.
"""

from __future__ import annotations

import io
import posixpath
import re
import weakref
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

from openpyxl.workbook.workbook import Workbook

from ..errors import WorkbookError
from ..model.book import LiveBook
from ..workbook import schema as sheets
from ..workbook.layout import SHEET, Field

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"

MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam", ".xlsb"}

PARTS = {
    "xl/vbaProject.bin": "VBA macros",
    "xl/pivotTables/": "a pivot table",
    "xl/pivotCache/": "a pivot table's data (pivot cache)",
    "xl/externalLinks/": "a link to another workbook",
    "xl/threadedComments/": "a threaded comment",
    "xl/persons/": "the people of threaded comments",
    "xl/embeddings/": "an embedded object",
    "xl/activeX/": "an ActiveX control",
    "xl/ctrlProps/": "a form control",
    "xl/slicers/": "a slicer",
    "xl/slicerCaches/": "a slicer",
    "xl/timelines/": "a timeline",
    "xl/timelineCaches/": "a timeline",
    "xl/connections.xml": "a data connection",
    "xl/queryTables/": "a query table",
    "xl/richData/": "a picture in a cell, or a data type",
    "xl/chartsheets/": "a chart sheet",
    "xl/dialogsheets/": "a dialog sheet",
    "xl/macrosheets/": "an Excel 4 macro sheet",
}
"""Parts of a package that openpyxl does not keep, by path or folder, and what they are."""

WHAT_TO_DO = (
    "Nothing was changed. Remove them in Excel, or keep them in a separate workbook that "
    "refers to this one, then try again."
)


@dataclass(frozen=True)
class Held:
    """One thing openpyxl would drop: what it is, the sheet it is on (if any), its part, and
    where on the sheet (cells, or a chart's name), if that is known."""

    what: str
    sheet: str
    part: str
    at: str = ""

    def __str__(self) -> str:
        at = f" ({self.at})" if self.at else ""
        on = f" on sheet {self.sheet}" if self.sheet else ""
        return f"{self.what}{at}{on} ({self.part})"


SHOWN = 3
"""How many places a refusal names for a kind of thing before it says how many more."""


def grouped(found: list[Held]) -> list[str]:
    """One line per kind of thing (what, sheet, part), with how many and the first few
    places: 55 rules are one line, not 55."""
    kinds: dict[tuple[str, str, str], list[str]] = {}
    for item in found:
        places = kinds.setdefault((item.what, item.sheet, item.part), [])
        if item.at not in places:
            places.append(item.at)
    lines = []
    for (what, sheet, part), places in kinds.items():
        places = [place for place in places if place]
        if len(places) <= 1:
            lines.append(str(Held(what, sheet, part, places[0] if places else "")))
            continue
        shown = ", ".join(places[:SHOWN])
        more = f" and {len(places) - SHOWN} more" if len(places) > SHOWN else ""
        on = f" on sheet {sheet}" if sheet else ""
        lines.append(f"{len(places)} times {what}{on} ({part}): {shown}{more}")
    return lines


def held(path: Path) -> list[Held]:
    """Everything in the package at ``path`` that openpyxl would drop (see above)."""
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        owners = _owners(package, names)
        found = []
        for name in names:
            for prefix, what in PARTS.items():
                if name == prefix or (prefix.endswith("/") and name.startswith(prefix)):
                    if "/_rels/" not in name:
                        found.append(Held(what, owners.get(name, ""), name))
                    break
            else:
                if (
                    name.startswith("xl/drawings/")
                    and name.endswith(".xml")
                    and "/_rels/" not in name
                ):
                    sheet = owners.get(name, "")
                    found += _drawing(package.read(name), sheet, name)
    return found


def sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """{sheet name: the part holding the sheet}, from the workbook part and its links."""
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    links = _links(package, "xl/workbook.xml", package.namelist())
    return {
        sheet.get("name", ""): links.get(sheet.get(_R_ID) or "", "")
        for sheet in workbook.iter(f"{_MAIN}sheet")
    }


def _owners(package: zipfile.ZipFile, names: list[str]) -> dict[str, str]:
    """{part: the name of the sheet that links to it}, for the parts sheets link to."""
    owners = {}
    for sheet, part in sheet_parts(package).items():
        for target in _links(package, part, names).values():
            owners[target] = sheet
    return owners


def _links(package: zipfile.ZipFile, part: str, names: list[str]) -> dict[str, str]:
    """{relationship id: the part it points at} of one part of the package."""
    folder, file = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{file}.rels")
    if rels not in names:
        return {}
    found = {}
    for link in ElementTree.fromstring(package.read(rels)).iter(f"{_REL}Relationship"):
        if link.get("TargetMode") == "External":
            continue
        target = link.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found[link.get("Id", "")] = posixpath.normpath(resolved)
    return found


def _drawing(xml: bytes, sheet: str, part: str) -> list[Held]:
    """What a drawing part holds: charts pass on the sheets xlscorecard draws charts on."""
    found = []
    for anchor in ElementTree.fromstring(xml):
        for item in anchor:
            what = _drawn(item)
            if what is None:
                continue
            if what == "a chart" and sheet in sheets.CHART_SHEETS:
                continue
            found.append(Held(what, sheet, part))
    return found


def _drawn(item: ElementTree.Element) -> str | None:
    """What one drawing object is, or None for an anchor's position elements."""
    tag = item.tag
    if tag == f"{_XDR}pic":
        return "a picture"
    if tag == f"{_XDR}sp":
        return "a text box" if item.find(f"{_XDR}txBody") is not None else "a shape"
    if tag == f"{_XDR}grpSp":
        return "a group of shapes"
    if tag == f"{_XDR}cxnSp":
        return "a line or connector"
    if tag == f"{_XDR}contentPart":
        return "ink"
    if tag == f"{_MC}AlternateContent":
        return "an object of a newer Excel (a slicer, a control or a new kind of chart)"
    if tag == f"{_XDR}graphicFrame":
        data = item.find(f"{_A}graphic/{_A}graphicData")
        uri = data.get("uri", "") if data is not None else ""
        return "a chart" if uri == CHART_URI else "a SmartArt graphic or other object"
    return None


def refuse_if_held(path: Path, found: list[Held]) -> None:
    """Raise :class:`WorkbookError` naming each thing that would be lost, and what to do."""
    if found:
        lines = grouped(found)
        listed = lines[0] if len(lines) == 1 else "\n" + "\n".join(f"- {line}" for line in lines)
        raise WorkbookError(
            f"{path} holds what xlscorecard would lose if it saved it: {listed}"
            + ("\n" if len(lines) > 1 else ". ")
            + WHAT_TO_DO
        )


def refuse_macro_workbook(path: Path) -> None:
    """An ``.xlsm`` (or other macro-enabled or binary) workbook is never saved as ``.xlsx``."""
    suffix = Path(path).suffix.lower()
    if suffix in MACRO_SUFFIXES:
        raise WorkbookError(
            f"{path} is a macro-enabled or binary workbook ({suffix}): xlscorecard saves only "
            "Excel Workbooks (.xlsx), which hold no macros, so its VBA would be lost. Nothing "
            "was changed. Keep the macros in a separate workbook, save this one as an Excel "
            "Workbook (.xlsx) with File > Save As, and use that."
        )


def _prompt_only(rule) -> bool:
    """A rule that only shows a prompt, as xlscorecard writes it (no type, no formula) or as
    LibreOffice Calc saves it again (``type="none"``, ``formula1`` and ``formula2`` 0)."""
    blank = (None, "", "0")
    return rule.type in (None, "none") and rule.formula1 in blank and rule.formula2 in blank


def foreign_validations(path: Path, workbook: Workbook, book: LiveBook) -> list[Held]:
    """Data-validation rules xlscorecard did not write: anything but one rule on each input
    cell of the report month and a prompt on each commentary cell of the Dataset sheet (the
    writers replace those; any other would be lost, or left on the wrong cells)."""
    layout, indicators = book.layout, book.dataset.indicators
    inputs = {layout.month_cell(item.ref, 0) for item in indicators if not item.is_derived}
    prompts = {layout.cell(item.ref, Field.COMMENTARY) for item in indicators}
    with zipfile.ZipFile(path) as package:
        parts = sheet_parts(package)
    found = []
    for sheet in workbook.worksheets:
        for rule in sheet.data_validations.dataValidation:
            cells = str(rule.sqref)
            ours = sheet.title == SHEET and (
                (cells in inputs and rule.type == "custom")
                or (cells in prompts and _prompt_only(rule))
            )
            if not ours:
                what = "a data-validation rule someone added"
                found.append(Held(what, sheet.title, parts.get(sheet.title, ""), cells))
    return found


# -- parts carried over -----------------------------------------------------------------------
CARRIED_FOLDERS = ("xl/webextensions/", "customXml/")
"""Parts openpyxl drops that every save puts back as they were (see the module's docstring)."""
LINKING_PARTS = ("_rels/.rels", "xl/_rels/workbook.xml.rels")
"""The relationship parts openpyxl writes anew, which may point at a carried part."""
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@dataclass(frozen=True)
class Carried:
    """Parts carried over a save: their bytes, the relationships pointing at them from the
    parts openpyxl rewrites (by relationship part, each an attribute dict), and their content
    types (by part name, ``/xl/...``; by extension for those without their own)."""

    parts: dict[str, bytes] = field(default_factory=dict)
    links: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.parts)


_CARRIED: weakref.WeakKeyDictionary[Workbook, Carried] = weakref.WeakKeyDictionary()


def is_carried(name: str) -> bool:
    return name.startswith(CARRIED_FOLDERS)


def carried(path: Path) -> Carried:
    """The parts of the package at ``path`` that a save carries over (none: an empty one)."""
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        parts = {name: package.read(name) for name in names if is_carried(name)}
        if not parts:
            return Carried()
        links: dict[str, list[dict[str, str]]] = {}
        for rels in LINKING_PARTS:
            if rels not in names:
                continue
            owner = posixpath.dirname(posixpath.dirname(rels))
            for link in ElementTree.fromstring(package.read(rels)).iter(f"{_REL}Relationship"):
                if link.get("TargetMode") == "External":
                    continue
                if is_carried(_resolve(owner, link.get("Target", ""))):
                    links.setdefault(rels, []).append(dict(link.attrib))
        types: dict[str, str] = {}
        defaults: dict[str, str] = {}
        if "[Content_Types].xml" in names:
            root = ElementTree.fromstring(package.read("[Content_Types].xml"))
            overrides = {item.get("PartName", ""): item for item in root.iter(f"{_CT}Override")}
            known = {
                item.get("Extension", "").lower(): item.get("ContentType", "")
                for item in root.iter(f"{_CT}Default")
            }
            for name in parts:
                override = overrides.get(f"/{name}")
                if override is not None:
                    types[f"/{name}"] = override.get("ContentType", "")
                else:
                    extension = name.rsplit(".", 1)[-1].lower()
                    if extension in known:
                        defaults[extension] = known[extension]
    return Carried(parts, links, types, defaults)


def _resolve(owner: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(owner, target))


def carry(workbook: Workbook, parts: Carried) -> None:
    """Have every save of ``workbook`` put ``parts`` into the package."""
    _CARRIED[workbook] = parts


def carried_by(workbook: Workbook) -> Carried:
    """What a save of ``workbook`` carries over (an empty :class:`Carried` for none)."""
    return _CARRIED.get(workbook, Carried())


def with_carried(package: bytes, parts: Carried) -> bytes:
    """The package saved by openpyxl with ``parts`` put back: each part as it was, each
    relationship to one (a fresh id where openpyxl's ids took its own), each content type."""
    if not parts:
        return package
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        present = set()
        for info, data in entries:
            present.add(info.filename)
            if info.filename in parts.links:
                data = _add_links(data, parts.links[info.filename])
            elif info.filename == "[Content_Types].xml":
                data = _add_types(data, parts)
            elif is_carried(info.filename):
                continue  # never two parts of a name: the carried one wins
            target.writestr(info, data)
        for rels, links in parts.links.items():
            if rels not in present:  # openpyxl always writes both; kept for safety
                empty = f'<Relationships xmlns="{_REL[1:-1]}"></Relationships>'.encode()
                target.writestr(rels, _add_links(empty, links))
        for name, data in parts.parts.items():
            target.writestr(name, data)
    return out.getvalue()


def _add_links(xml: bytes, links: list[dict[str, str]]) -> bytes:
    text = xml.decode("utf-8")
    taken = set(re.findall(r'\bId="([^"]*)"', text))
    added = []
    fresh = (f"rIdCarried{n}" for n in range(1, len(taken) + len(links) + 2))
    for link in links:
        attrs = dict(link)
        if not attrs.get("Id") or attrs["Id"] in taken:
            attrs["Id"] = next(name for name in fresh if name not in taken)
        taken.add(attrs["Id"])
        added.append(
            "<Relationship " + " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items()) + "/>"
        )
    return text.replace("</Relationships>", "".join(added) + "</Relationships>", 1).encode()


def _add_types(xml: bytes, parts: Carried) -> bytes:
    text = xml.decode("utf-8")
    root = ElementTree.fromstring(xml)
    overrides = {item.get("PartName") for item in root.iter(f"{_CT}Override")}
    extensions = {(item.get("Extension") or "").lower() for item in root.iter(f"{_CT}Default")}
    added = [
        f"<Default Extension={quoteattr(ext)} ContentType={quoteattr(kind)}/>"
        for ext, kind in parts.defaults.items()
        if ext not in extensions
    ] + [
        f"<Override PartName={quoteattr(name)} ContentType={quoteattr(kind)}/>"
        for name, kind in parts.types.items()
        if name not in overrides
    ]
    return text.replace("</Types>", "".join(added) + "</Types>", 1).encode()
