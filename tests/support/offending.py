"""Workbooks holding what openpyxl would drop: each made from a built workbook as Excel would
have saved it, with openpyxl where it can write the thing (a chart, a validation list) and by
editing the package's XML where it cannot (a picture, a text box, VBA, a pivot cache, an
external link, a threaded comment)."""

from __future__ import annotations

import re
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.datavalidation import DataValidation

from tests.support.paths import ROOT
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def png(width: int = 4, height: int = 4) -> bytes:
    """A real (tiny, grey) PNG image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class Package:
    """A workbook's zip package, edited part by part, then written back."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with zipfile.ZipFile(self.path) as source:
            self.parts = {info.filename: source.read(info) for info in source.infolist()}

    def text(self, name: str) -> str:
        return self.parts[name].decode("utf-8")

    def put(self, name: str, data: bytes | str, content_type: str | None = None) -> None:
        self.parts[name] = data.encode("utf-8") if isinstance(data, str) else data
        if content_type:
            types = self.text("[Content_Types].xml")
            override = f'<Override PartName="/{name}" ContentType="{content_type}"/>'
            self.parts["[Content_Types].xml"] = types.replace(
                "</Types>", override + "</Types>"
            ).encode()

    def link(self, source: str, kind: str, target: str, external: bool = False) -> str:
        """Add a relationship from ``source`` (a part) and return its id."""
        folder, file = source.rsplit("/", 1) if "/" in source else ("", source)
        rels = f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels"
        xml = self.parts.get(rels, b"").decode() or (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            "</Relationships>"
        )
        number = 1
        while f'Id="rIdX{number}"' in xml:
            number += 1
        rid = f"rIdX{number}"
        mode = ' TargetMode="External"' if external else ""
        kind = kind if kind.startswith("http") else f"{REL}/{kind}"
        xml = xml.replace(
            "</Relationships>",
            f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/></Relationships>',
        )
        self.parts[rels] = xml.encode()
        return rid

    def sheet_part(self, name: str) -> str:
        workbook = self.text("xl/workbook.xml")
        rid = re.search(rf'<sheet [^>]*name="{re.escape(name)}"[^>]*r:id="([^"]+)"', workbook)
        rels = self.text("xl/_rels/workbook.xml.rels")
        target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
        )
        path = target.group(1)
        return path.lstrip("/") if path.startswith("/") else f"xl/{path}"

    def add_drawing(self, sheet: str, anchor_body: str, extra: dict[str, bytes] | None = None):
        """A drawing part on ``sheet`` holding one two-cell anchored object."""
        part = self.sheet_part(sheet)
        name = "xl/drawings/drawingX1.xml"
        xml = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<xdr:wsDr xmlns:xdr="{XDR}" xmlns:a="{A}" xmlns:r="{REL}">'
            "<xdr:twoCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff>"
            "<xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>3</xdr:col>"
            "<xdr:colOff>0</xdr:colOff><xdr:row>4</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
            f"{anchor_body}<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"
        )
        self.put(name, xml, "application/vnd.openxmlformats-officedocument.drawing+xml")
        rid = self.link(part, "drawing", "../drawings/drawingX1.xml")
        sheet_xml = self.text(part)
        element = f'<drawing xmlns:r="{REL}" r:id="{rid}"/>'
        for before in ("<legacyDrawing", "<tableParts", "<extLst", "</worksheet>"):
            if before in sheet_xml:
                sheet_xml = sheet_xml.replace(before, element + before, 1)
                break
        self.parts[part] = sheet_xml.encode()
        for extra_name, data in (extra or {}).items():
            self.parts[extra_name] = data
        return name

    def add_to_workbook(self, element: str, before: str) -> None:
        """Put ``element`` into the workbook part before its first ``before`` element."""
        workbook = self.text("xl/workbook.xml")
        if before not in workbook:
            before = "<calcPr"
        workbook = workbook.replace(before, element + before, 1)
        if 'xmlns:r="' not in workbook.split(">", 1)[0]:
            workbook = workbook.replace("<workbook ", f'<workbook xmlns:r="{REL}" ', 1)
        self.parts["xl/workbook.xml"] = workbook.encode()

    def save(self, path: Path | None = None) -> Path:
        target = Path(path or self.path)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in self.parts.items():
                out.writestr(name, data)
        return target


# -- the corpus ---------------------------------------------------------------------------------
def picture(path: Path) -> tuple[str, str]:
    package = Package(path)
    body = (
        '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="Logo"/><xdr:cNvPicPr/></xdr:nvPicPr>'
        '<xdr:blipFill><a:blip r:embed="rIdX1"/><a:stretch><a:fillRect/></a:stretch>'
        '</xdr:blipFill><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>'
        "</xdr:pic>"
    )
    drawing = package.add_drawing(SHEET, body)
    package.put("xl/media/imageX1.png", png())
    types = package.text("[Content_Types].xml")
    if 'Extension="png"' not in types:
        package.parts["[Content_Types].xml"] = types.replace(
            "<Override", '<Default Extension="png" ContentType="image/png"/><Override', 1
        ).encode()
    package.link(drawing, "image", "../media/imageX1.png")
    package.save()
    return "a picture on sheet Dataset", drawing


def text_box(path: Path) -> tuple[str, str]:
    package = Package(path)
    body = (
        '<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="3" name="Note"/>'
        '<xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></xdr:spPr><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>Draft: not for "
        "publication</a:t></a:r></a:p></xdr:txBody></xdr:sp>"
    )
    drawing = package.add_drawing(SHEET, body)
    package.save()
    return "a text box on sheet Dataset", drawing


def chart(path: Path, sheet_name: str = SHEET) -> tuple[str, str]:
    """A bar chart of the first indicator's figures, made with openpyxl on ``sheet_name``."""
    book = load_workbook(path)
    if sheet_name not in book.sheetnames:
        book.create_sheet(sheet_name)
    bars = BarChart()
    bars.add_data(
        Reference(book[SHEET], min_col=6, max_col=18, min_row=7, max_row=7), from_rows=True
    )
    book[sheet_name].add_chart(bars, "B2")
    book.save(path)
    return f"a chart on sheet {sheet_name}", "xl/drawings/drawing1.xml"


def vba(path: Path) -> tuple[str, str]:
    """The VBA project of the add-in, added to the package as Excel keeps a macro workbook's."""
    with zipfile.ZipFile(ROOT / "macros" / "xlscorecard.xlam") as addin:
        project = addin.read("xl/vbaProject.bin")
    package = Package(path)
    package.put("xl/vbaProject.bin", project, "application/vnd.ms-office.vbaProject")
    package.link("xl/workbook.xml", "vbaProject", "vbaProject.bin")
    package.parts["[Content_Types].xml"] = (
        package.text("[Content_Types].xml")
        .replace(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
        .encode()
    )
    package.save()
    return "VBA macros", "xl/vbaProject.bin"


def validation_list(path: Path) -> tuple[str, str]:
    """A Yes/No list someone added to the Checks sheet's reason column."""
    book = load_workbook(path)
    rule = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
    rule.add("J2:J50")
    book[sheets.CHECKS].add_data_validation(rule)
    book.save(path)
    return (
        "a data-validation rule someone added (J2:J50) on sheet Checks",
        f"xl/worksheets/sheet{book.sheetnames.index(sheets.CHECKS) + 1}.xml",
    )


def pivot_cache(path: Path) -> tuple[str, str]:
    package = Package(path)
    name = "xl/pivotCache/pivotCacheDefinition1.xml"
    package.put(
        name,
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{REL}" refreshOnLoad="1" recordCount="0"><cacheSource type="worksheet">'
        '<worksheetSource ref="A1:D10" sheet="History"/></cacheSource><cacheFields count="1">'
        '<cacheField name="ref" numFmtId="0"><sharedItems/></cacheField></cacheFields>'
        "</pivotCacheDefinition>",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheDefinition+xml",
    )
    rid = package.link(
        "xl/workbook.xml", "pivotCacheDefinition", "pivotCache/pivotCacheDefinition1.xml"
    )
    element = f'<pivotCaches><pivotCache cacheId="1" r:id="{rid}"/></pivotCaches>'
    package.add_to_workbook(element, "<calcPr")
    package.save()
    return "a pivot table's data (pivot cache)", name


def external_link(path: Path) -> tuple[str, str]:
    package = Package(path)
    name = "xl/externalLinks/externalLink1.xml"
    package.put(
        name,
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{REL}"><externalBook r:id="rId1"><sheetNames><sheetName val="Data"/>'
        "</sheetNames></externalBook></externalLink>",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml",
    )
    package.link(name, "externalLinkPath", "file:///C:/Finance/budget.xlsx", external=True)
    rels = package.parts["xl/externalLinks/_rels/externalLink1.xml.rels"].decode()
    package.parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = rels.replace(
        "rIdX1", "rId1"
    ).encode()
    rid = package.link("xl/workbook.xml", "externalLink", "externalLinks/externalLink1.xml")
    element = f'<externalReferences><externalReference r:id="{rid}"/></externalReferences>'
    package.add_to_workbook(element, "<definedNames")
    package.save()
    return "a link to another workbook", name


def threaded_comment(path: Path) -> tuple[str, str]:
    package = Package(path)
    name = "xl/threadedComments/threadedComment1.xml"
    package.put(
        name,
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
        'threadedcomments"><threadedComment ref="AB7" dT="2020-09-01T09:00:00.00" '
        'personId="{00000000-0000-0000-0000-000000000001}" id="{00000000-0000-0000-0000-'
        '000000000002}"><text>Is this right?</text></threadedComment></ThreadedComments>',
        "application/vnd.ms-excel.threadedcomments+xml",
    )
    kind = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
    package.link(package.sheet_part(SHEET), kind, "../threadedComments/threadedComment1.xml")
    package.save()
    return "a threaded comment on sheet Dataset", name


CORPUS: dict[str, Callable[[Path], tuple[str, str]]] = {
    "picture": picture,
    "text box": text_box,
    "chart": chart,
    "VBA": vba,
    "validation list": validation_list,
    "pivot cache": pivot_cache,
    "external link": external_link,
    "threaded comment": threaded_comment,
}
"""Each offender: (path of a copy to spoil) -> (what the refusal says, the part it names)."""


def spoiled(source: Path, folder: Path, kind: str) -> tuple[Path, str, str]:
    """A copy of ``source`` in ``folder`` holding ``kind``; (path, what, part)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "dataset.xlsx"
    shutil.copy(source, path)
    what, part = CORPUS[kind](path)
    return path, what, part
