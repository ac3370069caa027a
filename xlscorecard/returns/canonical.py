"""What a return shows, read from its package with the standard library alone: the canonical
form its checksum is taken over (checksum form 2).

Nothing here depends on openpyxl, lxml or how a library spelt the XML: each part is parsed
(:mod:`xml.etree`, which drops namespace prefixes, quoting and spacing) and every element is
written back in one defined form, ``[name, [[attribute, value]...], text, [children...], tail]``
as compact UTF-8 JSON, names in ``{namespace}local`` form with the usual namespaces shortened.
What a reader sees is read as follows, in this order:

- each sheet in the workbook's order: every cell with a value, a formula or a style (its value
  as a number, text, or truth value; its look: the number format, font, fill, border and the
  cell format and cell style that refer to them, resolved; rich text and formulas); the rows'
  heights, hidden and outline levels; every other element of the sheet (sheet view: zoom,
  right-to-left, gridlines, panes; columns, merged cells, conditional formats, data validation,
  protection, headers and footers, print set-up...); then every part the sheet refers to,
  followed through their own references (drawings and their text boxes, charts, comments and
  their rich text, tables, pictures by SHA-256);
- the book: its document properties (core, app: Company and the rest, custom), every element of
  workbook.xml (windows, protection, names, sheets and their states), what of styles.xml no cell
  holds (named styles, conditional formats' styles, colours), the names of all parts, and every
  other part (the theme, content types...).

Anything unreadable as XML is taken by the SHA-256 of its bytes. The hashing is pure
(:mod:`xlscorecard.jobs.checksum`).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import zipfile
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from ..errors import WorkbookError
from ..jobs.checksum import BookView, Look, SheetView

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHORT = {
    MAIN: "x",
    OFFICE_RELATIONSHIPS: "r",
    RELATIONSHIPS: "rel",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "a",
    "http://schemas.openxmlformats.org/drawingml/2006/chart": "c",
    "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing": "xdr",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": "cp",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://www.w3.org/2001/XMLSchema-instance": "xsi",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": "ep",
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties": "cup",
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes": "vt",
    "http://www.w3.org/XML/1998/namespace": "xml",
}
"""Namespaces written shortly (a fixed table: part of the defined form)."""
RESOLVED_STYLES = ("numFmts", "fonts", "fills", "borders", "cellXfs", "cellStyleXfs")
"""Parts of styles.xml read into each cell's look (the rest of styles.xml is the book's)."""
CORE, APP, CUSTOM = "core-properties", "extended-properties", "custom-properties"


def package_view(path: Path) -> BookView:
    """The canonical view of the workbook file at ``path`` (a :class:`WorkbookError` when it
    is not a readable workbook package)."""
    try:
        with zipfile.ZipFile(path) as package:
            parts = {
                info.filename: package.read(info)
                for info in package.infolist()
                if not info.is_dir()
            }
        return _Package(parts).view()
    except (
        zipfile.BadZipFile, KeyError, ValueError, IndexError, ElementTree.ParseError,
        RecursionError,  # parts referring to parts thousands deep
    ) as exc:  # fmt: skip
        raise WorkbookError(f"{path} could not be read as a workbook: {exc}") from None
    except OSError as error:
        raise WorkbookError(f"cannot read {path}: {error.strerror}") from None


def name(tag: str) -> str:
    """``{namespace}local`` with the namespace shortened when it is a usual one."""
    if tag.startswith("{"):
        namespace, local = tag[1:].split("}", 1)
        short = SHORT.get(namespace)
        return f"{short}:{local}" if short else tag
    return tag


def form(element: ElementTree.Element) -> list:
    """An element in the defined form (see the module's docstring)."""
    return [
        name(element.tag),
        sorted([name(key), value] for key, value in element.attrib.items()),
        element.text or "",
        [form(child) for child in element],
        element.tail or "",
    ]


def text_of(element: ElementTree.Element) -> str:
    """An element in the defined form, as text."""
    return json.dumps(form(element), ensure_ascii=False, separators=(",", ":"))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _x(local: str) -> str:
    return f"{{{MAIN}}}{local}"


def column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter.upper()) - 64
    return index


def column_letters(index: int) -> str:
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _split(coordinate: str) -> tuple[int, int]:
    letters = coordinate.rstrip("0123456789")
    digits = coordinate[len(letters) :]
    if not letters.isalpha() or not letters.isascii() or not digits.isdigit():
        raise ValueError(f"a cell reference {coordinate!r} is not a cell reference")
    return int(digits), column_index(letters)


class _Package:
    """One reading of a package: parts parsed once, each consumed part remembered."""

    def __init__(self, parts: dict[str, bytes]) -> None:
        self.parts = parts
        self.used: set[str] = set()

    def xml(self, part: str) -> ElementTree.Element:
        self.used.add(part)
        return ElementTree.fromstring(self.parts[part])

    def relations(self, part: str) -> list[tuple[str, str, str, bool]]:
        """(id, type, target part, external) of each relationship of ``part``, by id."""
        folder, file = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{file}.rels")
        if rels not in self.parts:
            return []
        found = []
        for item in self.xml(rels):
            target, external = item.get("Target", ""), item.get("TargetMode") == "External"
            if not external:
                target = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(folder, target))
                )
            kind = item.get("Type", "").rsplit("/", 1)[-1]
            found.append((item.get("Id", ""), kind, target, external))
        return sorted(found)

    def described(self, part: str) -> str:
        """A part in the defined form; by the SHA-256 of its bytes when it is not XML."""
        self.used.add(part)
        data = self.parts[part]
        try:
            return text_of(ElementTree.fromstring(data))
        except ElementTree.ParseError:
            return "sha256 " + hashlib.sha256(data).hexdigest()

    def referred(self, part: str, seen: set[str]) -> list[tuple[str, str]]:
        """Every part ``part`` refers to, followed through their own references."""
        items = []
        for rid, kind, target, external in self.relations(part):
            if external:
                items.append((f"link {rid} {kind}", target))
            elif target in self.parts and target not in seen:
                seen.add(target)
                items.append((f"{kind} {target}", self.described(target)))
                items += self.referred(target, seen)
            elif target not in self.parts:
                items.append((f"{kind} {target}", "missing"))
        return items

    def view(self) -> BookView:
        root = self.relations("")
        document = next((t for _, kind, t, ext in root if kind == "officeDocument" and not ext), "")
        if document not in self.parts:
            raise ValueError("it has no workbook part")
        workbook = self.xml(document)
        relations = {rid: (kind, target) for rid, kind, target, _ in self.relations(document)}
        styles = _Styles(self, relations)
        strings = self._strings(relations)
        sheets = []
        seen: set[str] = set()
        for sheet in workbook.iter(_x("sheet")):
            _, target = relations[sheet.get(f"{{{OFFICE_RELATIONSHIPS}}}id", "")]
            seen.add(target)
            sheets.append(self._sheet(sheet.get("name", ""), target, styles, strings, seen))
        layout = [(f"workbook {name(child.tag)}", text_of(child)) for child in workbook]
        layout += styles.rest()
        properties = {}
        for _, kind, target, external in root:
            if kind in (CORE, APP, CUSTOM) and not external and target in self.parts:
                properties.update(self._properties(kind, target))
        layout.append(("parts", "; ".join(sorted(self.parts))))
        for part in sorted(set(self.parts) - self.used):
            layout.append((f"part {part}", self.described(part)))
        return BookView(sheets, properties, layout)

    def _strings(self, relations: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
        part = next((t for kind, t in relations.values() if kind == "sharedStrings"), None)
        if part is None or part not in self.parts:
            return []
        return [_string(item) for item in self.xml(part) if _local(item.tag) == "si"]

    def _sheet(self, title: str, part: str, styles, strings, seen: set[str]) -> SheetView:
        root = self.xml(part)
        cells, rows, layout = [], [], []
        for child in root:
            if _local(child.tag) != "sheetData":
                layout.append((name(child.tag), text_of(child)))
                continue
            number = 0
            for row in child:  # a row or cell without its reference follows the one before
                number = int(row.get("r") or number + 1)
                extra = sorted((k, v) for k, v in row.attrib.items() if k not in ("r", "spans"))
                if extra:
                    rows.append(f"row {number}: {extra}")
                column = 0
                for cell in row:
                    if _local(cell.tag) != "c":
                        continue
                    column = _split(cell.get("r", ""))[1] if cell.get("r") else column + 1
                    cells.append(_cell(cell, number, column, styles, strings))
        cells = [cell for cell in cells if cell is not None]
        layout.insert(0, ("rows", "; ".join(rows)))
        layout += self.referred(part, seen)
        return SheetView(title, cells, layout)

    def _properties(self, kind: str, part: str) -> dict[str, str]:
        prefix = {CORE: "core", APP: "app", CUSTOM: "custom"}[kind]
        found = {}
        for item in self.xml(part):
            if kind == CUSTOM:
                value = next(iter(item), None)
                text = "" if value is None else (value.text or "")
                found[f"custom {item.get('name', '')}"] = text
            elif len(item):
                found[f"{prefix} {_local(item.tag)}"] = text_of(item)
            else:
                found[f"{prefix} {_local(item.tag)}"] = item.text or ""
        return found


def _string(item: ElementTree.Element) -> tuple[str, str]:
    """A string's text (its runs', not its phonetic guide's) and, when it has runs or a
    phonetic guide, its whole form."""
    texts = [node.text or "" for node in _without(item, "rPh").iter(_x("t"))]
    rich = any(_local(child.tag) != "t" for child in item)
    return "".join(texts), (text_of(item) if rich else "")


def _without(item: ElementTree.Element, local: str) -> ElementTree.Element:
    if not any(_local(child.tag) == local for child in item):
        return item
    copy = ElementTree.Element(item.tag, item.attrib)
    copy.extend(child for child in item if _local(child.tag) != local)
    return copy


def _cell(cell: ElementTree.Element, row: int, column: int, styles, strings) -> tuple | None:
    coordinate = f"{column_letters(column)}{row}"
    kind, style = cell.get("t", "n"), cell.get("s", "0")
    value_node, formula = cell.find(_x("v")), cell.find(_x("f"))
    raw = value_node.text if value_node is not None else None
    extra: dict[str, str] = {}
    value: object = None
    if kind == "s" and raw is not None:
        value, rich = strings[int(raw)]
        if rich:
            extra["rich text"] = rich
    elif kind == "inlineStr":
        inline = cell.find(_x("is"))
        if inline is not None:
            value, rich = _string(inline)
            if rich:
                extra["rich text"] = rich
    elif kind == "b" and raw is not None:
        value = raw.strip() in ("1", "true")
    elif kind == "n" and raw is not None:
        value = _number(raw)
    elif raw is not None:
        value = raw
    if kind not in ("s", "inlineStr", "b", "n"):
        extra["type"] = kind
    if formula is not None:
        extra["formula"] = text_of(formula)
    if value in (None, "") and not extra and style == "0":
        return None
    look = styles.look(style)
    if extra:
        look = Look({**look.parts, **extra})
    return (row, column, coordinate, value, look)


def _number(text: str) -> object:
    try:
        number = float(text)
    except ValueError:
        return text
    return number


def _children(root: ElementTree.Element, local: str) -> list[ElementTree.Element]:
    found = root.find(_x(local))
    return [] if found is None else list(found)


class _Styles:
    """styles.xml: each cell format's look, resolved; the rest of it, for the book."""

    def __init__(self, package: _Package, relations: dict[str, tuple[str, str]]) -> None:
        part = next((t for kind, t in relations.values() if kind == "styles"), None)
        self.root = (
            package.xml(part)
            if part is not None and part in package.parts
            else ElementTree.Element(_x("styleSheet"))
        )
        self.lists = {key: _children(self.root, key) for key in RESOLVED_STYLES}
        self.formats = {
            item.get("numFmtId", ""): item.get("formatCode", "") for item in self.lists["numFmts"]
        }
        self.look = lru_cache(maxsize=None)(self._look)

    def _item(self, key: str, index: str | None) -> str:
        if index is None:
            return "none"
        try:
            return text_of(self.lists[key][int(index)])
        except (ValueError, IndexError):
            return f"missing {index}"

    def _format(self, xf: ElementTree.Element) -> dict[str, str]:
        number = xf.get("numFmtId", "0")
        return {
            "number format": self.formats.get(number, f"built-in {number}"),
            "font": self._item("fonts", xf.get("fontId")),
            "fill": self._item("fills", xf.get("fillId")),
            "border": self._item("borders", xf.get("borderId")),
        }

    def _look(self, index: str) -> Look:
        try:
            xf = self.lists["cellXfs"][int(index)]
        except (ValueError, IndexError):
            return Look({"cell format": f"missing {index}"})
        parts = self._format(xf)
        parts["cell format"] = text_of(xf)
        try:
            named = self.lists["cellStyleXfs"][int(xf.get("xfId", "0"))]
        except (ValueError, IndexError):
            parts["cell style"] = "none"
        else:
            parts["cell style"] = json.dumps(
                [text_of(named), sorted(self._format(named).items())], ensure_ascii=False
            )
        return Look(parts)

    def rest(self) -> list[tuple[str, str]]:
        return [
            (f"styles {name(child.tag)}", text_of(child))
            for child in self.root
            if _local(child.tag) not in RESOLVED_STYLES
        ]
