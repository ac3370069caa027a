"""What schema validation cannot see in a workbook but makes Excel offer to repair it.

A schema validator (openxml-audit, see :func:`audit_file`) checks each part on its own. Excel
also checks that the parts agree with each other and that what they say makes sense: a table's
column names are its header cells, a style index points at a style, an icon set has as many
thresholds as icons, merged ranges do not overlap, formulas parse. When they do not, Excel says
"We found a problem with some content" and offers to repair the file, dropping what it cannot
read. :func:`lint_file` reads the package directly (zip + XML) and reports each of those, one
small function per check, naming the part, the cell or element and what is wrong.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from xml.etree import ElementTree

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from ..errors import ScorecardError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# The package relationship that makes Office load a ribbon, by the ribbon part's namespace: the
# 2006 type for a 2006/01 part (Office 2007's customUI.xml), the 2007 type for a 2009/07 part
# (Office 2010's customUI14.xml).
CUSTOM_UI_PAIRS = {
    "http://schemas.microsoft.com/office/2006/01/customui": (
        "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
    ),
    "http://schemas.microsoft.com/office/2009/07/customui": (
        "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
    ),
}
CUSTOM_UI_NAMESPACES = tuple(CUSTOM_UI_PAIRS)
CUSTOM_UI_RELATIONSHIPS = tuple(CUSTOM_UI_PAIRS.values())

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_SHEET_NAME = 31
SHEET_NAME_FORBIDDEN = set("\\/?*[]:")
FIRST_CUSTOM_NUMBER_FORMAT = 164  # ids below are built in
MAX_LIST_VALIDATION = 255  # characters of an in-cell list, "a,b,c"
ICON_SETS = {
    "3Arrows", "3ArrowsGray", "3Flags", "3TrafficLights1", "3TrafficLights2", "3Signs",
    "3Symbols", "3Symbols2", "3Stars", "3Triangles", "4Arrows", "4ArrowsGray", "4RedToBlack",
    "4Rating", "4TrafficLights", "5Arrows", "5ArrowsGray", "5Rating", "5Quarters", "5Boxes",
}  # fmt: skip
DEFAULT_ICON_SET = "3TrafficLights1"


class LintError(ScorecardError):
    """The file cannot be read as a workbook package at all."""


@dataclass(frozen=True)
class LintProblem:
    """One thing Excel would repair: the part, where in it, and what is wrong."""

    part: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.part} {self.where}: {self.message}"


def lint_file(path: Path | str) -> list[LintProblem]:
    """Every problem :data:`CHECKS` find in the workbook package at ``path``."""
    package = Package.open(Path(path))
    problems = [problem for check in CHECKS for problem in check(package)]
    return problems + package.problems  # parts that are not well-formed XML


# --- reading the package ---------------------------------------------------------------------


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _q(name: str) -> str:
    return f"{{{MAIN}}}{name}"


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str  # a part name ("xl/worksheets/sheet1.xml"), or the URI of an external target
    external: bool = False

    def is_a(self, kind: str) -> bool:
        """Whether the type ends with ``/kind`` (transitional and strict namespaces alike)."""
        return self.type.endswith("/" + kind)


@dataclass
class Sheet:
    name: str
    index: int  # 0-based position: what localSheetId counts
    part: str
    root: ElementTree.Element | None


@dataclass
class Package:
    """A workbook package: its parts, relationships and parsed XML, read once."""

    path: Path
    parts: dict[str, bytes]
    problems: list[LintProblem] = field(default_factory=list)
    _xml: dict[str, ElementTree.Element | None] = field(default_factory=dict)
    _cell_index: dict[str, dict[str, ElementTree.Element]] = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path) -> Package:
        if not path.is_file():
            raise LintError(f"{path} does not exist")
        try:
            with zipfile.ZipFile(path) as archive:
                parts = {
                    info.filename.lstrip("/"): archive.read(info) for info in archive.infolist()
                }
        except (zipfile.BadZipFile, OSError) as error:
            raise LintError(f"{path} is not an Excel file (not a zip package: {error})") from None
        return cls(path, parts)

    def xml(self, part: str) -> ElementTree.Element | None:
        """The part's root element; None when it is missing or not XML (noted as a problem)."""
        if part not in self._xml:
            root = None
            if part in self.parts:
                try:
                    root = ElementTree.fromstring(self.parts[part])
                except ElementTree.ParseError as error:
                    self.problems.append(LintProblem(part, "XML", f"not well-formed: {error}"))
            self._xml[part] = root
        return self._xml[part]

    def relationships(self, part: str) -> list[Relationship]:
        """The relationships of ``part`` ("" for the package itself), targets resolved."""
        folder, name = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", f"{name}.rels"))
        if root is None:
            return []
        found = []
        for element in root.iter(f"{{{PACKAGE_RELS}}}Relationship"):
            target = element.get("Target", "")
            external = element.get("TargetMode") == "External"
            if not external:
                joined = target[1:] if target.startswith("/") else posixpath.join(folder, target)
                target = posixpath.normpath(joined)
            found.append(
                Relationship(element.get("Id", ""), element.get("Type", ""), target, external)
            )
        return found

    def related(self, part: str, kind: str) -> list[str]:
        return [r.target for r in self.relationships(part) if r.is_a(kind) and not r.external]

    @cached_property
    def workbook_part(self) -> str | None:
        found = self.related("", "officeDocument")
        return found[0] if found else None

    @cached_property
    def workbook(self) -> ElementTree.Element | None:
        return self.xml(self.workbook_part) if self.workbook_part else None

    @cached_property
    def sheets(self) -> list[Sheet]:
        if self.workbook is None:
            return []
        by_id = {r.id: r.target for r in self.relationships(self.workbook_part or "")}
        found = []
        for index, element in enumerate(self.workbook.iter(_q("sheet"))):
            part = by_id.get(element.get(f"{{{DOCUMENT_RELS}}}id", ""), "")
            found.append(Sheet(element.get("name", ""), index, part, self.xml(part)))
        return found

    @property
    def worksheets(self) -> Iterator[Sheet]:
        """The sheets whose part could be read."""
        return (sheet for sheet in self.sheets if sheet.root is not None)

    @cached_property
    def defined_names(self) -> list[ElementTree.Element]:
        return [] if self.workbook is None else list(self.workbook.iter(_q("definedName")))

    @property
    def conditional_rules(self) -> Iterator[tuple[Sheet, ElementTree.Element, ElementTree.Element]]:
        """(sheet, conditionalFormatting, cfRule) for every conditional format rule."""
        for sheet in self.worksheets:
            for block in sheet.root.iter(_q("conditionalFormatting")):
                for rule in block.findall(_q("cfRule")):
                    yield sheet, block, rule

    @cached_property
    def styles(self) -> ElementTree.Element | None:
        found = self.related(self.workbook_part or "", "styles")
        return self.xml(found[0]) if found else None

    @cached_property
    def styles_part(self) -> str:
        found = self.related(self.workbook_part or "", "styles")
        return found[0] if found else "xl/styles.xml"

    def style_count(self, collection: str) -> int:
        """How many entries ``cellXfs``, ``dxfs``, ``fonts``... of the styles part hold."""
        if self.styles is None:
            return 0
        element = self.styles.find(_q(collection))
        return 0 if element is None else len(element)

    @cached_property
    def shared_strings(self) -> list[str]:
        found = self.related(self.workbook_part or "", "sharedStrings")
        root = self.xml(found[0]) if found else None
        if root is None:
            return []
        return [_text(item) for item in root.iter(_q("si"))]

    def cell_text(self, sheet: Sheet, reference: str) -> str | None:
        """The text of a cell holding a string or number; None when it is empty."""
        cell = self._cells(sheet).get(reference)
        if cell is None:
            return None
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(_q("is"))
            return None if inline is None else _text(inline)
        value = cell.findtext(_q("v"))
        if value is not None and kind == "s":
            index = int(value) if value.isdigit() else -1
            strings = self.shared_strings
            return strings[index] if 0 <= index < len(strings) else None
        return value

    def _cells(self, sheet: Sheet) -> dict[str, ElementTree.Element]:
        if sheet.part not in self._cell_index:
            cells = [] if sheet.root is None else sheet.root.iter(_q("c"))
            self._cell_index[sheet.part] = {cell.get("r", ""): cell for cell in cells}
        return self._cell_index[sheet.part]


def _text(element: ElementTree.Element) -> str:
    """The text of a string item: its ``t`` elements, outside phonetic runs."""
    own = element.find(_q("t"))
    if own is not None:
        return own.text or ""
    return "".join(run.findtext(_q("t")) or "" for run in element.findall(_q("r")))


# --- references --------------------------------------------------------------------------------

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


@dataclass(frozen=True)
class Area:
    """A rectangle of cells, 1-based and inclusive."""

    top: int
    left: int
    bottom: int
    right: int

    def overlaps(self, other: Area) -> bool:
        return not (
            other.left > self.right
            or other.right < self.left
            or other.top > self.bottom
            or other.bottom < self.top
        )

    @property
    def inside_sheet(self) -> bool:
        rows_inside = self.top >= 1 and self.bottom <= MAX_ROWS
        return rows_inside and self.left >= 1 and self.right <= MAX_COLUMNS


def area(reference: str) -> Area | None:
    """``B5`` or ``B5:D7`` as an :class:`Area`; None when it is not a cell reference."""
    corners = []
    for corner in reference.split(":"):
        match = _CELL.match(corner)
        if match is None:
            return None
        corners.append((int(match.group(2)), column_index_from_string(match.group(1).upper())))
    if len(corners) == 1:
        corners *= 2
    if len(corners) != 2:
        return None
    (top, left), (bottom, right) = corners
    return Area(min(top, bottom), min(left, right), max(top, bottom), max(left, right))


# --- the checks: each yields LintProblem ---------------------------------------------------------

Problems = Iterator[LintProblem]


def check_well_formed(package: Package) -> Problems:
    """The package has a workbook, and each of its sheets has a part."""
    if package.workbook_part is None:
        yield LintProblem("_rels/.rels", "relationships", "no officeDocument (workbook) part")
    for sheet in package.sheets:
        if sheet.part not in package.parts:
            yield LintProblem(package.workbook_part or "", f"sheet '{sheet.name}'", "no part")


def check_sheet_names(package: Package) -> Problems:
    """Sheet names Excel refuses: empty, over 31 characters, with one of \\ / ? * [ ] :, with a
    leading or trailing apostrophe, or the same as another (case does not count)."""
    part, seen = package.workbook_part or "", set()
    for sheet in package.sheets:
        name, where = sheet.name, f"sheet '{sheet.name}'"
        if not name.strip():
            yield LintProblem(part, where, "the sheet name is empty")
        if len(name) > MAX_SHEET_NAME:
            yield LintProblem(part, where, f"the name has {len(name)} characters; Excel allows 31")
        if forbidden := sorted(SHEET_NAME_FORBIDDEN & set(name)):
            yield LintProblem(part, where, f"the name contains {' '.join(forbidden)}")
        if name.startswith("'") or name.endswith("'"):
            yield LintProblem(part, where, "the name begins or ends with an apostrophe")
        if name.casefold() in seen:
            yield LintProblem(part, where, "another sheet has the same name")
        seen.add(name.casefold())


def check_defined_names(package: Package) -> Problems:
    """A name defined twice in the same scope (case does not count), or scoped to a sheet that
    does not exist."""
    part, seen = package.workbook_part or "", set()
    for element in package.defined_names:
        name, scope = element.get("name", ""), element.get("localSheetId")
        where = f"definedName '{name}'" + (f" (localSheetId {scope})" if scope else "")
        if scope is not None and not (scope.isdigit() and int(scope) < len(package.sheets)):
            yield LintProblem(part, where, f"localSheetId {scope} is not a sheet of the workbook")
        if (name.casefold(), scope) in seen:
            yield LintProblem(part, where, "the name is defined twice in the same scope")
        seen.add((name.casefold(), scope))


def check_style_indexes(package: Package) -> Problems:
    """Cell, row and column styles are cellXfs entries; each xf's font, fill, border and parent
    style exist; its number format is built in or defined."""
    styles, part = package.styles, package.styles_part
    if styles is None:
        return
    count = {name: package.style_count(name) for name in STYLE_COLLECTIONS}
    defined = {n.get("numFmtId") for n in styles.iter(_q("numFmt"))}
    for collection in ("cellStyleXfs", "cellXfs"):
        for index, xf in enumerate(styles.iterfind(f"{_q(collection)}/{_q('xf')}")):
            where = f"{collection}/xf[{index}]"
            for attribute, target in XF_REFERENCES.items():
                if collection == "cellXfs" or attribute != "xfId":
                    yield from _out_of_range(part, where, xf.get(attribute), count[target], target)
            number_format = xf.get("numFmtId", "0")
            builtin = number_format.isdigit() and int(number_format) < FIRST_CUSTOM_NUMBER_FORMAT
            if not builtin and number_format not in defined:
                yield LintProblem(part, where, f"numFmtId {number_format} is not defined")
    cell_xfs = count["cellXfs"]
    for sheet in package.worksheets:
        for cell in sheet.root.iter(_q("c")):
            where = f"{sheet.name}!{cell.get('r')}"
            yield from _out_of_range(sheet.part, where, cell.get("s"), cell_xfs, "cellXfs")
        for row in sheet.root.iter(_q("row")):
            where = f"{sheet.name} row {row.get('r')}"
            yield from _out_of_range(sheet.part, where, row.get("s"), cell_xfs, "cellXfs")
        for column in sheet.root.iter(_q("col")):
            where = f"{sheet.name} columns {column.get('min')}-{column.get('max')}"
            yield from _out_of_range(sheet.part, where, column.get("style"), cell_xfs, "cellXfs")


STYLE_COLLECTIONS = ("fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "dxfs")
XF_REFERENCES = {
    "fontId": "fonts",
    "fillId": "fills",
    "borderId": "borders",
    "xfId": "cellStyleXfs",
}


def _out_of_range(part: str, where: str, value: str | None, count: int, what: str) -> Problems:
    if value is not None and not (value.isdigit() and int(value) < count):
        yield LintProblem(part, where, f"index {value} is out of range: {what} has {count}")


def check_dxf_indexes(package: Package) -> Problems:
    """Every conditional format's dxfId is a differential format of the styles part."""
    dxfs = package.style_count("dxfs")
    for sheet, block, rule in package.conditional_rules:
        where = f"{sheet.name}!{block.get('sqref')} conditional format {rule.get('priority')}"
        yield from _out_of_range(sheet.part, where, rule.get("dxfId"), dxfs, "dxfs")


def check_icon_sets(package: Package) -> Problems:
    """An icon set has one threshold (cfvo) per icon: 3, 4 or 5, as its name says."""
    for sheet in package.worksheets:
        for element in sheet.root.iter():
            if local(element.tag) != "iconSet":
                continue
            name = element.get("iconSet", DEFAULT_ICON_SET)
            thresholds = sum(local(child.tag) == "cfvo" for child in element)
            where = f"{sheet.name} iconSet {name}"
            if name not in ICON_SETS:
                yield LintProblem(sheet.part, where, f"{name!r} is not an icon set")
            elif thresholds != int(name[0]):
                message = f"{thresholds} thresholds (cfvo) for {name[0]} icons"
                yield LintProblem(sheet.part, where, message)


def check_merges(package: Package) -> Problems:
    """Merged ranges are ranges on the sheet, and no two overlap."""
    for sheet in package.worksheets:
        merged: list[tuple[str, Area]] = []
        for merge in sheet.root.iter(_q("mergeCell")):
            reference = merge.get("ref", "")
            where, found = f"{sheet.name}!{reference} merged cells", area(reference)
            if found is None or not found.inside_sheet:
                yield LintProblem(sheet.part, where, "not a range on the sheet")
                continue
            for other, other_area in merged:
                if found.overlaps(other_area):
                    yield LintProblem(sheet.part, where, f"overlap the merged cells {other}")
            merged.append((reference, found))


def check_formulas(package: Package) -> Problems:
    """Every formula parses: in cells, conditional formats, data validations, defined names."""
    found = [
        (sheet.part, where, text) for sheet in package.sheets for where, text in _formulas(sheet)
    ]
    found += [
        (package.workbook_part or "", f"definedName '{name.get('name')}'", name.text or "")
        for name in package.defined_names
    ]
    for part, where, text in found:
        if problem := formula_problem(text):
            yield LintProblem(part, where, f"the formula {text!r} {problem}")


def _formulas(sheet: Sheet) -> Iterator[tuple[str, str]]:
    """(where, formula) for the formulas of a sheet (a shared formula once, at its master)."""
    if sheet.root is None:
        return
    for cell in sheet.root.iter(_q("c")):
        formula = cell.find(_q("f"))
        if formula is not None and (formula.text or formula.get("t") != "shared"):
            yield f"{sheet.name}!{cell.get('r')}", formula.text or ""
    for block in sheet.root.iter(_q("conditionalFormatting")):
        for rule in block.iter(_q("cfRule")):
            where = f"{sheet.name}!{block.get('sqref')} conditional format {rule.get('priority')}"
            for formula in rule.iter(_q("formula")):
                yield where, formula.text or ""
    for validation in sheet.root.iter(_q("dataValidation")):
        for name in ("formula1", "formula2"):
            if (text := validation.findtext(_q(name))) is not None:
                yield f"{sheet.name}!{validation.get('sqref')} data validation {name}", text


def formula_problem(text: str) -> str | None:
    """Why Excel could not parse ``text`` (a formula without its ``=``), or None."""
    try:
        tokens = Tokenizer("=" + text).items
    except IndexError:  # the tokenizer's stack of open brackets was empty
        return "does not parse: a closing bracket with nothing open"
    except TokenizerError as error:
        return f"does not parse: {error}"
    depth = sum(t.subtype == Token.OPEN for t in tokens) - sum(
        t.subtype == Token.CLOSE for t in tokens
    )
    if depth:
        return f"does not parse: {depth} bracket(s) left open"
    meaningful = [t for t in tokens if t.type != Token.WSPACE]
    if not meaningful:
        return "is empty"
    if meaningful[-1].type in (Token.OP_IN, Token.OP_PRE):
        return f"does not parse: it ends with the operator {meaningful[-1].value!r}"
    return None


def check_data_validations(package: Package) -> Problems:
    """Each data validation covers cells on the sheet, no cell has two, and an in-cell list has
    at most 255 characters. (Its formulas are parsed by :func:`check_formulas`.)"""
    for sheet in package.worksheets:
        covered: list[tuple[str, Area]] = []
        for validation in sheet.root.iter(_q("dataValidation")):
            sqref = validation.get("sqref", "")
            where = f"{sheet.name}!{sqref} data validation"
            if not sqref.split():
                yield LintProblem(sheet.part, where, "covers no cells (empty sqref)")
            for reference in sqref.split():
                found = area(reference)
                if found is None or not found.inside_sheet:
                    yield LintProblem(sheet.part, where, f"{reference} is not a range on the sheet")
                    continue
                clash = next((other for other, a in covered if found.overlaps(a)), None)
                if clash:
                    yield LintProblem(sheet.part, where, f"overlaps the data validation of {clash}")
                covered.append((sqref, found))
            listed = validation.findtext(_q("formula1")) or ""
            length = len(listed) - 2  # without the quotes
            if validation.get("type") == "list" and listed.startswith('"') and length > 255:
                yield LintProblem(sheet.part, where, f"a list of {length} characters; at most 255")


def check_table_headers(package: Package) -> Problems:
    """A table has one column per column of its range, each name once and equal to the text of
    its header cell; no two tables have the same name."""
    names: set[str] = set()
    for sheet in package.sheets:
        for part in package.related(sheet.part, "table"):
            table = package.xml(part)
            if table is None:
                continue
            name = table.get("displayName") or table.get("name") or ""
            where, found = f"table '{name}'", area(table.get("ref", ""))
            if name.casefold() in names:
                yield LintProblem(part, where, "another table has the same name")
            names.add(name.casefold())
            if found is None:
                yield LintProblem(part, where, f"ref {table.get('ref')!r} is not a range")
                continue
            columns = [column.get("name", "") for column in table.iter(_q("tableColumn"))]
            width = found.right - found.left + 1
            if len(columns) != width:
                yield LintProblem(part, where, f"{len(columns)} tableColumns for {width} columns")
            folded = [column.casefold() for column in columns]
            for column in sorted({c for c in columns if folded.count(c.casefold()) > 1}):
                yield LintProblem(part, where, f"the column name {column!r} appears twice")
            if table.get("headerRowCount", "1") == "0":
                continue
            for offset, column in enumerate(columns[:width]):
                cell = f"{get_column_letter(found.left + offset)}{found.top}"
                if (text := package.cell_text(sheet, cell)) != column:
                    message = f"its header cell {sheet.name}!{cell} holds {text!r}"
                    yield LintProblem(part, f"{where} column {column!r}", message)


def check_custom_ui(package: Package) -> Problems:
    """A ribbon (customUI) part is reached from the package by a ribbon relationship, and every
    ribbon relationship reaches a part: otherwise Excel silently shows no ribbon."""
    ribbons = [r for r in package.relationships("") if r.type in CUSTOM_UI_RELATIONSHIPS]
    for relationship in ribbons:
        if relationship.target not in package.parts:
            message = f"points at {relationship.target}, which is not in the package"
            yield LintProblem("_rels/.rels", f"ribbon relationship {relationship.id}", message)
    targets = {relationship.target: relationship for relationship in ribbons}
    for part, data in package.parts.items():
        namespace = _root_namespace(data) if part.endswith(".xml") else None
        if namespace not in CUSTOM_UI_PAIRS:
            continue
        if part not in targets:
            yield LintProblem(part, "customUI", "no ribbon relationship in _rels/.rels reaches it")
        elif targets[part].type != CUSTOM_UI_PAIRS[namespace]:
            message = (
                f"its relationship {targets[part].id} is of type {targets[part].type}, which "
                f"names a part in the other namespace; {namespace} needs "
                f"{CUSTOM_UI_PAIRS[namespace]}"
            )
            yield LintProblem(part, "customUI", message)


def _root_namespace(data: bytes) -> str | None:
    """The namespace of a part's root element, reading no further than that element."""
    try:
        for _, element in ElementTree.iterparse(io.BytesIO(data), events=("start",)):
            return element.tag[1:].split("}")[0] if element.tag.startswith("{") else ""
    except ElementTree.ParseError:
        return None
    return None


CHECKS: list[Callable[[Package], Problems]] = [
    check_well_formed,
    check_sheet_names,
    check_defined_names,
    check_style_indexes,
    check_dxf_indexes,
    check_icon_sets,
    check_merges,
    check_formulas,
    check_data_validations,
    check_table_headers,
    check_custom_ui,
]


# --- openxml-audit, with its one known false positive filtered ---------------------------------

# The children of a font in the order the Open XML SDK's schema data requires (a sequence).
# ECMA-376 makes them a choice in any order, openpyxl writes name first, and Excel opens that
# fine; the SDK reports the first child out of its order as "Unexpected element 'X' found".
SDK_FONT_ORDER = (
    "b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz",
    "color", "name", "family", "charset", "scheme",
)  # fmt: skip
_UNEXPECTED = re.compile(r"^Unexpected element '(\w+)' found$")
_STEP = re.compile(r"^(\w+)\[(\d+)\]$")


def audit_file(path: Path | str, warnings: bool = False) -> list:
    """openxml-audit's findings on ``path`` (errors; with ``warnings``, warnings too), without
    its one known false positive: a font in the styles part whose children are each a font
    property, each once, in another order than the SDK's (see :func:`is_font_order_only`)."""
    try:
        from openxml_audit import OpenXmlValidator, ValidationSeverity
    except ImportError:
        raise LintError("openxml-audit is not installed (pip install openxml-audit)") from None
    path = Path(path)
    if not path.is_file():
        raise LintError(f"{path} does not exist")
    result = OpenXmlValidator(max_errors=0).validate(str(path))
    kept = [e for e in result.errors if warnings or e.severity == ValidationSeverity.ERROR]
    if not kept:
        return []
    package = Package.open(path)
    return [error for error in kept if not is_font_order_only(error, package)]


def is_font_order_only(error, package: Package) -> bool:
    """Whether an openxml-audit finding is the SDK's complaint about the order of a font's
    children, and nothing else: the element it names is a font in a styles part, the child it
    names is a font property, and the font's children are distinct font properties that are out
    of the SDK's order (so that putting them in order would satisfy the SDK). A font with an
    unknown or a repeated child, or any other finding, is kept."""
    unexpected = _UNEXPECTED.match(error.description)
    if getattr(error.error_type, "value", None) != "schema" or unexpected is None:
        return False
    if unexpected.group(1) not in SDK_FONT_ORDER:
        return False
    root = package.xml(error.part_uri.lstrip("/"))
    if root is None or root.tag != _q("styleSheet"):
        return False
    element = _element_at(root, error.path)
    if element is None or element.tag != _q("font"):
        return False
    children = [child.tag for child in element]
    names = [local(tag) for tag in children]
    distinct_properties = all(tag == _q(name) for tag, name in zip(children, names, strict=True))
    distinct_properties &= len(set(names)) == len(names) and set(names) <= set(SDK_FONT_ORDER)
    in_order = names == sorted(names, key=SDK_FONT_ORDER.index) if distinct_properties else True
    return distinct_properties and not in_order


def _element_at(root: ElementTree.Element, path: str) -> ElementTree.Element | None:
    """The element at an openxml-audit path such as ``/styleSheet[1]/fonts[1]/font[2]``."""
    steps = path.strip("/").split("/")
    first = _STEP.match(steps[0]) if steps else None
    if first is None or first.group(1) != local(root.tag) or first.group(2) != "1":
        return None
    element = root
    for step in steps[1:]:
        match = _STEP.match(step)
        if match is None:
            return None
        same = [child for child in element if local(child.tag) == match.group(1)]
        index = int(match.group(2)) - 1
        if not 0 <= index < len(same):
            return None
        element = same[index]
    return element
