"""What a reader sees of a workbook file as openpyxl reads it: what ``verify`` compares cell by
cell to name each change, and the view the first form of a return's checksum was taken over
(returns saved before checksum form 2, :mod:`xlscorecard.returns.canonical`).

Every cell's value and look (number format, font, fill, borders, alignment, protection, its
note and link), every sheet's layout (row heights and hidden rows, column widths and hidden
columns, merged cells, conditional formats, data validation, protection, headers and footers,
print set-up, tables, its state), and the book's document properties, protection, names and
package parts (a text box, picture or comment adds parts openpyxl would not show).

Read with openpyxl and :mod:`zipfile`; the hashing is pure (:mod:`xlscorecard.jobs.checksum`).
The first form holds some items as openpyxl serialises them, which lxml spells ``<x a="1"/>``
and the standard library ``<x a="1" />``: ``spelling`` gives either, whichever is installed.
"""

from __future__ import annotations

import re
import zipfile
from contextvars import ContextVar
from pathlib import Path

from openpyxl.cell.cell import MergedCell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from ..jobs.checksum import BookView, Look, SheetView
from ..xlsx.openpyxl_private import cells_of, charts_of, pictures_of, style_record

CORE_PROPERTIES = [
    "title", "subject", "creator", "keywords", "description", "category", "lastModifiedBy",
    "created", "language", "identifier", "version", "contentStatus", "revision",
]  # fmt: skip
"""Core properties a reader can see (``modified`` is left out: every save sets it)."""
SPELLINGS = ("lxml", "etree")
"""How the first form's serialised items may be spelt (with lxml, with the standard library)."""
_spelling: ContextVar[str] = ContextVar("spelling", default="")


def book_view(book: Workbook, path: Path | None = None, spelling: str = "") -> BookView:
    """The view of an openpyxl workbook (``path``: its file, for the package's parts), its
    serialised items spelt as ``spelling`` (one of :data:`SPELLINGS`; ``""``: as the XML
    library here spells them)."""
    token = _spelling.set(spelling)
    try:
        return _book_view(book, path)
    finally:
        _spelling.reset(token)


def _book_view(book: Workbook, path: Path | None) -> BookView:
    looks: dict[tuple[int, ...], Look] = {}
    sheets = [sheet_view(sheet, book, looks) for sheet in book.worksheets]
    properties = {
        f"core {name}": _text(getattr(book.properties, name, None)) for name in CORE_PROPERTIES
    }
    properties.update({f"custom {p.name}": _text(p.value) for p in book.custom_doc_props})
    layout = [
        ("workbook protection", _xml(book.security)),
        ("names", "; ".join(f"{n}={d.value}" for n, d in sorted(book.defined_names.items()))),
        ("sheets", "; ".join(f"{s.title}:{s.sheet_state}" for s in book.worksheets)),
    ]
    if path is not None:
        with zipfile.ZipFile(path) as package:
            layout.append(("parts", "; ".join(sorted(package.namelist()))))
    return BookView(sheets, properties, layout)


def sheet_view(sheet: Worksheet, book: Workbook, looks: dict) -> SheetView:
    cells = []
    for _, cell in sorted(cells_of(sheet).items()):  # the cells there are, row by row: iter_rows
        if isinstance(cell, MergedCell):  # would make one for every gap (the Trends charts)
            continue  # shown by its merged range (the layout)
        key = tuple(style_record(cell) or ())
        look = looks.get(key)
        if look is None:
            look = looks[key] = _look(cell)
        extra = _cell_extra(cell)
        if extra:
            look = Look({**look.parts, **extra})
        if cell.value in (None, "") and not any(key) and not extra:
            continue
        cells.append((cell.row, cell.column, cell.coordinate, cell.value, look))
    return SheetView(sheet.title, cells, _layout(sheet))


def _look(cell) -> Look:
    return Look(
        {
            "number format": cell.number_format,
            "font": _font(cell.font),
            "fill": _fill(cell.fill),
            "border": _xml(cell.border),
            "alignment": _xml(cell.alignment),
            "protection": _xml(cell.protection),
        }
    )


def _colour(colour) -> str:
    if colour is None:
        return "automatic"
    if colour.type == "theme":
        return f"theme {colour.theme} tint {colour.tint:g}"
    if colour.type == "indexed":
        return f"indexed {colour.indexed}"
    return f"#{colour.rgb}"


def _font(font) -> str:
    flags = [
        name
        for name, on in (
            ("bold", font.b), ("italic", font.i), ("strike", font.strike),
            ("shadow", font.shadow), ("outline", font.outline),
        )
        if on
    ]  # fmt: skip
    if font.u:
        flags.append(f"underline {font.u}")
    if font.vertAlign:
        flags.append(str(font.vertAlign))
    name = font.name or "no font name"
    size = f"{name} {font.sz:g}" if font.sz else name
    return ", ".join([size, *flags, f"colour {_colour(font.color)}"])


def _fill(fill) -> str:
    if getattr(fill, "patternType", None) is None and not hasattr(fill, "stop"):
        return "none"
    if hasattr(fill, "stop"):
        return "gradient " + _xml(fill)
    return f"{fill.patternType}, colour {_colour(fill.fgColor)} on {_colour(fill.bgColor)}"


def _cell_extra(cell) -> dict[str, str]:
    extra = {}
    if cell.comment is not None:
        extra["note"] = f"{cell.comment.author or ''}: {cell.comment.text}"
    if cell.hyperlink is not None:
        link = cell.hyperlink
        extra["link"] = f"{link.target or ''}#{link.location or ''}"
    return extra


def _layout(sheet: Worksheet) -> list[tuple[str, str]]:
    rows = [
        _dimension(f"row {index}", "height", d.height, d)
        for index, d in sorted(sheet.row_dimensions.items())
        if d.height is not None or d.hidden or d.outlineLevel
    ]
    columns = [
        _dimension(f"columns {d.min}-{d.max}", "width", d.width, d)
        for _, d in sorted(sheet.column_dimensions.items(), key=lambda item: item[1].min or 0)
    ]
    formats = []
    for block in sheet.conditional_formatting:
        for rule in block.rules:
            dxf = _xml(rule.dxf) if getattr(rule, "dxf", None) is not None else ""
            formats.append(f"{block.sqref} {_xml(rule)} {dxf}")
    return [
        ("state", sheet.sheet_state),
        ("rows", "; ".join(rows)),
        ("columns", "; ".join(columns)),
        ("merged cells", "; ".join(sorted(str(r) for r in sheet.merged_cells.ranges))),
        ("conditional formats", "\n".join(formats)),
        ("data validation", "\n".join(_xml(v) for v in sheet.data_validations.dataValidation)),
        ("protection", _xml(sheet.protection)),
        ("headers and footers", _headers(sheet)),
        ("print area", str(sheet.print_area or "")),
        ("print titles", f"{sheet.print_title_rows or ''} {sheet.print_title_cols or ''}"),
        ("page set-up", _xml(sheet.page_setup) + _xml(sheet.print_options)),
        ("margins", _xml(sheet.page_margins)),
        ("tables", "\n".join(sorted(_xml(t) for t in sheet.tables.values()))),
        ("filter", str(sheet.auto_filter.ref or "")),
        ("pictures and charts", f"{len(pictures_of(sheet))} {len(charts_of(sheet))}"),
    ]


def _dimension(name: str, size_name: str, size, dimension) -> str:
    parts = [f"{name}: {size_name} {size if size is not None else 'standard'}"]
    if dimension.hidden:
        parts.append("hidden")
    if dimension.outlineLevel:
        parts.append(f"outline level {dimension.outlineLevel}")
    return ", ".join(parts)


def _headers(sheet: Worksheet) -> str:
    """Each header and footer part's text and font, as a reader sees it printed."""
    shown = []
    for which in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader",
                  "firstFooter"):  # fmt: skip
        item = getattr(sheet.HeaderFooter, which)
        for place in ("left", "center", "right"):
            part = getattr(item, place)
            if part.text:
                font = " ".join(str(v) for v in (part.font, part.size, part.color) if v)
                shown.append(f"{which} {place}: {part.text}" + (f" ({font})" if font else ""))
    flags = _xml(sheet.HeaderFooter).split(">", 1)[0]
    return "; ".join([flags, *shown])


def _xml(item) -> str:
    if item is None:
        return ""
    tree = item.to_tree()
    if tree is None:
        return ""
    text = tostring(tree).decode("utf-8")
    spelling = _spelling.get()
    if spelling == "lxml":
        return text.replace(" />", "/>")
    if spelling == "etree":
        return re.sub(r"(?<! )/>", " />", text)
    return text


def _text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
