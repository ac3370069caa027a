"""A return nobody can alter unnoticed: each way of changing what a reader sees, its document
properties or its PDF is caught by ``verify``, which names each changed cell; each edit a
reader would see that is not in a cell (charts, drawings, rich text, theme, windows, app
properties), made in the package with the standard library, is caught by the return alone; a
forgery whose checksums were recomputed with xlscorecard's own functions is caught by the
returns register, the working workbook's Audit and, with a key, the signature, which names the
file and version it signs."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from tests.support.faults import TALLY
from tests.support.returns import fake_pdf, make_ready
from xlscorecard.app import return_file
from xlscorecard.cli import cli
from xlscorecard.jobs.checksum import find_checksum
from xlscorecard.returns import transaction
from xlscorecard.returns.openpyxl_view import book_view
from xlscorecard.returns.register import read_register, register_path, sha256_of
from xlscorecard.returns.signing import load_signer, make_key_pair, sign
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET

STEM = "Children and Families Aug-20"
M1 = "M1 Number of contacts received (includes contacts that become referrals), Aug-20"


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> tuple[Path, Path]:
    return make_key_pair(tmp_path_factory.mktemp("keys") / "council-key")


@pytest.fixture(scope="module")
def saved(built, keys, tmp_path_factory) -> Path:
    """A folder with the ready Aug-20 workbook and its signed return in returns/."""
    folder = tmp_path_factory.mktemp("saved")
    path = make_ready(built("2020-08"), folder / "dataset.xlsx")
    return_file.save_return_file(path, folder / "returns", pdf_maker=fake_pdf, sign_with=keys[0])
    return folder


@pytest.fixture
def folder(saved, tmp_path) -> Path:
    """A copy of the saved folder, its return writable for the tamperer."""
    copy = tmp_path / "council"
    shutil.copytree(saved, copy)
    for path in (copy / "returns").glob(f"{STEM}.*"):
        path.chmod(0o644)
    return copy


def the_return(folder: Path) -> Path:
    return folder / "returns" / f"{STEM}.xlsx"


def verify(path: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["verify", str(path), *options])
    return result.exit_code, result.output


def edit(change: Callable) -> Callable[[Path], None]:
    def alter(path: Path) -> None:
        book = load_workbook(path)
        change(book)
        book.save(path)

    return alter


def add_text_box(path: Path) -> None:
    """A text box over the first figure, as Excel's Insert > Text Box writes it."""
    drawing = (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>'
        "<xdr:from><xdr:col>17</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>6</xdr:row>"
        "<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>18</xdr:col><xdr:colOff>0"
        "</xdr:colOff><xdr:row>7</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
        '<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="TextBox 1"/>'
        '<xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr><a:prstGeom prst="rect"><a:avLst/>'
        '</a:prstGeom><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></xdr:spPr>'
        "<xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>1,500</a:t></a:r></a:p>"
        "</xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"
    )
    relation = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rIdBox" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" Target="../'
        'drawings/drawingBox1.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    link = ('<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships" r:id="rIdBox"/>')  # fmt: skip
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        "</worksheet>", link + "</worksheet>"
    ).encode()
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = relation.encode()
    parts["xl/drawings/drawingBox1.xml"] = drawing.encode()  # the Trends sheet has drawing1
    types = parts["[Content_Types].xml"].decode().replace(
        "</Types>", '<Override PartName="/xl/drawings/drawingBox1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.drawing+xml"/></Types>',
    )  # fmt: skip
    parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def _custom(book, name: str, value: str) -> None:
    for item in book.custom_doc_props.props:
        if item.name == name:
            item.value = value


def _figure(book) -> None:
    book[SHEET]["R7"] = 1500


def _number_format(book) -> None:
    book[SHEET]["R7"].number_format = '"1,500"'  # shows 1,500 over 1,343


def _white_font(book) -> None:
    book[SHEET]["R7"].font = Font(color="FFFFFFFF")


def _fill(book) -> None:
    book[SHEET]["R7"].fill = PatternFill("solid", "FF0000")


def _hidden_row(book) -> None:
    book[SHEET].row_dimensions[8].hidden = True


def _hidden_column(book) -> None:
    book[SHEET].column_dimensions["R"].hidden = True


def _note(book) -> None:
    book[SHEET]["R7"].comment = Comment("provisional", "x")


def _draft_header(book) -> None:
    book[SHEET].oddHeader.center.text = "DRAFT"


def _unprotected(book) -> None:
    book[SHEET].protection.sheet = False


def _no_conditional_formats(book) -> None:
    book[SHEET].conditional_formatting = type(book[SHEET].conditional_formatting)()


def _comment_elsewhere(book) -> None:
    book[sheets.COMMENTARY]["C2"] = "Edited."


def _title(book) -> None:
    book.properties.title = "Final figures"


def _saved_by(book) -> None:
    _custom(book, "Saved by", "someone else")


FILL_BEFORE = "none"  # the return shows its figures without the input shading
ALTERATIONS: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "a figure": (edit(_figure), [f"Dataset!R7 ({M1}): 1343 -> 1500"]),
    "a number format over the figure": (
        edit(_number_format), [f'Dataset!R7 ({M1}): number format #,##0 -> "1,500"'],
    ),
    "a white font": (edit(_white_font), [f"Dataset!R7 ({M1}): font ", "colour #FFFFFFFF"]),
    "a fill": (edit(_fill), [f"Dataset!R7 ({M1}): fill {FILL_BEFORE} -> solid, colour #00FF0000"]),
    "a hidden row": (edit(_hidden_row), ["Dataset (rows): row 8: height", ", hidden"]),
    "a hidden column": (
        edit(_hidden_column), ["Dataset (columns): columns 18-18: width", ", hidden"],
    ),
    "a text box": (
        add_text_box, ["the workbook's parts: (nothing) -> xl/drawings/drawingBox1.xml"],
    ),
    "a cell note": (edit(_note), [f"Dataset!R7 ({M1}): note none -> x: provisional"]),
    "a DRAFT page header": (
        edit(_draft_header),
        ["Dataset (headers and footers): (nothing) -> oddHeader center: DRAFT"],
    ),
    "protection removed": (edit(_unprotected), ["Dataset (protection): "]),
    "conditional formats removed": (
        edit(_no_conditional_formats), ["Dataset (conditional formats): "],
    ),
    "a comment in another sheet": (
        edit(_comment_elsewhere), ["Commentary!C2 (M1, 2020-04, text): "],
    ),
    "the title property": (
        edit(_title),
        ["document property core title: Children and Families Aug-20 Monthly dataset -> Final "
         "figures"],
    ),
    "the saved-by property": (edit(_saved_by), ["document property custom Saved by: "]),
}  # fmt: skip


@pytest.mark.parametrize("what", list(ALTERATIONS))
def test_verify_names_each_change_a_reader_would_see(folder, what):
    alter, expected = ALTERATIONS[what]
    alter(the_return(folder))
    code, output = verify(the_return(folder))
    assert code == 1, output
    assert output.startswith(f"Error: {the_return(folder)} is not intact: ")
    for phrase in expected:
        assert phrase in output, output
    assert "Its bytes are not those saved" in output
    TALLY["tamper: caught"] += 1


@pytest.mark.parametrize("what", list(ALTERATIONS))
def test_the_checksum_in_the_return_alone_catches_each_change(folder, tmp_path, what):
    """A return away from its register and workbook: its own checksum covers what a reader
    sees, so a change by someone who did not recompute it is caught."""
    alone = tmp_path / "inbox" / f"{STEM}.xlsx"
    alone.parent.mkdir()
    shutil.copy(the_return(folder), alone)
    ALTERATIONS[what][0](alone)
    check = return_file.verify_file(alone)
    assert not check.intact
    assert check.problems[0].startswith("the SHA-256 of what it shows is ")


# -- what a reader sees beyond the cells, edited in the package with the standard library ------
DATASET, TRENDS = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"
CHART, DRAWING = "xl/charts/chart1.xml", "xl/drawings/drawing1.xml"
DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006/main"


def rewrite(path: Path, part: str, change: Callable[[str], str]) -> None:
    """Change one part of the return's package, as text, keeping every other byte."""
    with zipfile.ZipFile(path) as package:
        parts = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts:
            if info.filename == part:
                text = data.decode("utf-8")
                data = change(text).encode("utf-8")
                assert data != text.encode("utf-8"), f"the edit left {part} as it was"
            package.writestr(info, data)


def swap(part: str, old: str, new: str) -> Callable[[Path], None]:
    """The first ``old`` in ``part`` replaced by ``new`` (which must be there)."""

    def change(text: str) -> str:
        assert old in text, f"{old!r} is not in {part}"
        return text.replace(old, new, 1)

    return lambda path: rewrite(path, part, change)


def _style_of(path: Path, cell: str = "R7") -> int:
    """The cell format index of a Dataset cell in the saved package."""
    with zipfile.ZipFile(path) as package:
        return int(re.search(rf'<c r="{cell}" s="(\d+)"', package.read(DATASET).decode())[1])


def _white_figure(path: Path) -> None:
    """Dataset!R7's font made white: a new font, a copy of its cell format using it."""
    styles: dict[str, int] = {}
    own = _style_of(path)

    def add_font(text: str) -> str:
        fonts = int(re.search(r'<fonts count="(\d+)"', text)[1])
        xfs = re.search(r'<cellXfs count="(\d+)">(.*?)</cellXfs>', text, re.S)
        formats = re.findall(r"<xf [^>]*/>|<xf [^>]*[^/]>.*?</xf>", xfs[2], re.S)
        copy = re.sub(r'fontId="\d+"', f'fontId="{fonts}"', formats[own])
        styles["xf"] = len(formats)
        text = text.replace(f'<fonts count="{fonts}">', f'<fonts count="{fonts + 1}">')
        text = text.replace(
            "</fonts>", '<font><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/></font>'
            "</fonts>",
        )  # fmt: skip
        return text.replace("</cellXfs>", copy + "</cellXfs>").replace(
            f'<cellXfs count="{len(formats)}">', f'<cellXfs count="{len(formats) + 1}">'
        )

    rewrite(path, "xl/styles.xml", add_font)
    swap(DATASET, f'<c r="R7" s="{own}"', f'<c r="R7" s="{styles["xf"]}"')(path)


WITHDRAWN = (
    "<twoCellAnchor><from><col>0</col><colOff>0</colOff><row>3</row><rowOff>0</rowOff></from>"
    "<to><col>8</col><colOff>0</colOff><row>20</row><rowOff>0</rowOff></to>"
    f'<sp macro="" textlink="" xmlns:a="{DRAWINGML}"><nvSpPr><cNvPr id="999" name="TextBox 1"/>'
    '<cNvSpPr txBox="1"/></nvSpPr><spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
    '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></spPr><txBody><a:bodyPr/><a:lstStyle/>'
    "<a:p><a:r><a:t>FIGURES WITHDRAWN</a:t></a:r></a:p></txBody></sp><clientData/>"
    "</twoCellAnchor></wsDr>"
)
COMMENT = "<is><t>Fewer new episodes in August.</t></is>"
WHITE_RUN = (
    '<is><r><t xml:space="preserve">Fewer new </t></r><r><rPr><color rgb="FFFFFFFF"/></rPr>'
    "<t>episodes in August.</t></r></is>"
)
TRENDS_ONLY, DATASET_ONLY = "the Trends sheet", "the Dataset sheet"
BOOK = "the document properties and parts"
UNSEEN: dict[str, tuple[Callable[[Path], None], str]] = {
    "a chart's title": (swap(CHART, "<a:t>M1 Number", "<a:t>M2 Number"), TRENDS_ONLY),
    "a chart re-pointed at another indicator's data": (
        swap(CHART, "'Trends'!$AB$2:$AB$25", "'Trends'!$AB$26:$AB$49"), TRENDS_ONLY,
    ),
    "a chart's line made white": (
        swap(CHART, '<a:srgbClr val="7F7F7F"/>', '<a:srgbClr val="FFFFFF"/>'), TRENDS_ONLY,
    ),
    "a chart's axis forced": (
        swap(CHART, '<orientation val="minMax"/></scaling><delete val="0"/><axPos val="l"/>',
             '<orientation val="minMax"/><max val="100000"/></scaling><delete val="0"/>'
             '<axPos val="l"/>'),
        TRENDS_ONLY,
    ),
    "a chart hidden": (swap(DRAWING, '<cNvPr id="1" ', '<cNvPr hidden="1" id="1" '), TRENDS_ONLY),
    "a text box added to the drawing": (swap(DRAWING, "</wsDr>", WITHDRAWN), TRENDS_ONLY),
    "part of a comment made white": (swap(DATASET, COMMENT, WHITE_RUN), DATASET_ONLY),
    "a cell written without its reference": (
        swap(DATASET, '</row><row r="8"',
             '<c t="inlineStr"><is><t>WITHDRAWN</t></is></c></row><row r="8"'),
        DATASET_ONLY,
    ),
    "a figure's font made white": (_white_figure, DATASET_ONLY),
    "right-to-left view": (
        swap(DATASET, '<sheetView zoomScale="90"', '<sheetView rightToLeft="1" zoomScale="90"'),
        DATASET_ONLY,
    ),
    "zoom": (swap(DATASET, 'zoomScale="90"', 'zoomScale="10"'), DATASET_ONLY),
    "gridlines": (
        swap(DATASET, '<sheetView zoomScale="90"', '<sheetView showGridLines="0" zoomScale="90"'),
        DATASET_ONLY,
    ),
    "a tab colour": (swap(DATASET, "<sheetPr>", '<sheetPr><tabColor rgb="FFFF0000"/>'),
                     DATASET_ONLY),
    "the theme's colours": (
        swap("xl/theme/theme1.xml", '<a:srgbClr val="4F81BD"/>', '<a:srgbClr val="FFFFFF"/>'),
        BOOK,
    ),
    "a hidden window": (swap("xl/workbook.xml", 'visibility="visible"', 'visibility="hidden"'),
                        BOOK),
    "another sheet shown first": (swap("xl/workbook.xml", 'activeTab="0"', 'activeTab="1"'), BOOK),
    "app.xml's Company": (
        swap("docProps/app.xml", "</Properties>", "<Company>Other</Company></Properties>"), BOOK,
    ),
}  # fmt: skip


@pytest.mark.parametrize("what", list(UNSEEN))
def test_the_return_alone_catches_each_edit_beyond_its_cells(folder, tmp_path, what):
    alone = tmp_path / "inbox" / f"{STEM}.xlsx"
    alone.parent.mkdir()
    shutil.copy(the_return(folder), alone)
    alter, changed = UNSEEN[what]
    alter(alone)
    code, output = verify(alone)
    assert code == 1, output
    assert output.startswith(f"Error: {alone} is not intact: the SHA-256 of what it shows is ")
    others = len(sheets.ORDER) - (changed != BOOK)
    assert f"Changed: {changed} ({others} other sheets match)." in output
    TALLY["tamper: caught alone"] += 1


def test_beside_its_register_verify_says_what_changed_beyond_the_cells(folder):
    UNSEEN["zoom"][0](the_return(folder))
    code, output = verify(the_return(folder))
    assert code == 1
    assert "Dataset (x:sheetViews): " in output, output
    assert '["zoomScale","90"]' in output and '["zoomScale","10"]' in output


def _xml_figure(path: Path) -> None:
    own = _style_of(path)
    swap(
        DATASET, f'<c r="R7" s="{own}" t="n"><v>1343</v>', f'<c r="R7" s="{own}" t="n"><v>1500</v>'
    )(path)


def test_an_altered_pdf_is_caught(folder):
    pdf = the_return(folder).with_suffix(".pdf")
    pdf.write_bytes(pdf.read_bytes().replace(b"fast tests", b"slow tests"))
    code, output = verify(the_return(folder))
    assert code == 1 and f"Its PDF {pdf} is not the one saved with it" in output
    TALLY["tamper: caught"] += 1


def test_a_missing_pdf_is_caught(folder):
    the_return(folder).with_suffix(".pdf").unlink()
    code, output = verify(the_return(folder))
    assert code == 1 and "is missing" in output


def forge(path: Path, change: Callable = _figure) -> None:
    """Change the return and recompute its checksums with xlscorecard's own functions."""
    book = load_workbook(path)
    change(book)
    book.save(path)
    row = int(re.sub(r"\D", "", find_checksum(book_view(load_workbook(path), path))[0]))
    transaction.save_checksummed(book, SimpleNamespace(checksum_cell=(row, 2)), path)


def test_a_forgery_with_recomputed_checksums_is_caught_by_the_register(folder):
    forge(the_return(folder))
    check = return_file.verify_file(the_return(folder), cross_check=False)
    assert check.intact  # the checksum alone cannot tell
    code, output = verify(the_return(folder))
    assert code == 1 and "Its bytes are not those saved" in output
    assert f"Dataset!R7 ({M1}): 1343 -> 1500" in output
    TALLY["tamper: forgeries caught"] += 1


def _register_says(folder: Path, sha: str) -> None:
    path = register_path(folder / "returns")
    rows = read_register(folder / "returns")
    text = path.read_text("utf-8").replace(rows[0].sha256, sha)
    path.chmod(0o644)
    path.write_text(text, "utf-8")


def test_a_forgery_with_the_register_rewritten_is_caught_by_the_workbooks_audit(folder):
    forge(the_return(folder))
    _register_says(folder, sha256_of(the_return(folder)))
    code, output = verify(the_return(folder))
    assert code == 1
    assert "Checked: its bytes are those registered in returns-register.csv." in output
    assert (
        "Its bytes are not those the working workbook's Audit (../dataset.xlsx) recorded" in output
    )
    TALLY["tamper: forgeries caught"] += 1


def test_a_forgery_with_every_record_rewritten_is_caught_by_the_signature(folder, keys):
    old = sha256_of(the_return(folder))
    forge(the_return(folder))
    new = sha256_of(the_return(folder))
    _register_says(folder, new)
    workbook = folder / "dataset.xlsx"
    book = load_workbook(workbook)
    for row in book[sheets.AUDIT].iter_rows(min_row=2):
        if row[7].value:
            row[7].value = row[7].value.replace(old, new)
    book.save(workbook)
    code, output = verify(the_return(folder))
    assert code == 0, output  # without the key, nothing is left to tell
    assert "Not checked: its signature Children and Families Aug-20.sig" in output
    code, output = verify(the_return(folder), "--key", str(keys[1]))
    assert code == 1
    assert "Its bytes are not those its signature Children and Families Aug-20.sig signs" in output
    TALLY["tamper: forgeries caught"] += 1


def test_a_signed_return_verifies_with_the_councils_key(folder, keys):
    code, output = verify(the_return(folder), "--key", str(keys[1]))
    assert code == 0, output
    assert (
        f"Checked: its signature {STEM}.sig holds for the key in council-key.pub and signs this "
        f"file, {STEM}.xlsx (version 1 of Southampton City Council's Aug-20 return), its bytes "
        "and its PDF's." in output
    )


def test_another_key_does_not_verify_the_signature(folder, tmp_path):
    _, other = make_key_pair(tmp_path / "other-key")
    code, output = verify(the_return(folder), "--key", str(other))
    assert code == 1 and "the signature does not verify with this key" in output


def test_an_unsigned_return_fails_when_a_key_is_given(folder, keys):
    the_return(folder).with_suffix(".sig").unlink()
    code, output = verify(the_return(folder), "--key", str(keys[1]))
    assert code == 1 and "It has no signature" in output


def test_a_working_workbook_is_not_a_return(folder):
    result = CliRunner().invoke(cli, ["verify", str(folder / "dataset.xlsx")])
    assert result.exit_code == 2
    assert "is a working workbook, not a return" in result.output


def test_a_return_on_its_own_says_what_could_not_be_cross_checked(folder, tmp_path):
    alone = tmp_path / "inbox" / f"{STEM}.xlsx"
    alone.parent.mkdir()
    shutil.copy(the_return(folder), alone)
    code, output = verify(alone)
    assert code == 0, output
    assert (
        "Not checked: the file's bytes against a register: there is no returns-register.csv"
        in output
    )
    assert "Not checked: the working workbook's Audit" in output


def test_without_the_copy_as_saved_verify_names_the_sheets(folder):
    shutil.rmtree(folder / "returns" / ".xlscorecard-originals", onerror=_writable)
    _xml_figure(the_return(folder))
    code, output = verify(the_return(folder))
    others = len(sheets.ORDER) - 1
    assert code == 1 and f"Changed: the Dataset sheet ({others} other sheets match)." in output
    assert "Not checked: which cells changed: the copy of the return as saved is gone" in output


def _writable(function, path, _info) -> None:
    os.chmod(path, stat.S_IWRITE | stat.S_IREAD | stat.S_IEXEC)
    function(path)


def test_keygen_makes_a_pair_and_never_replaces_a_key(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["keygen", str(tmp_path / "council")])
    assert result.exit_code == 0
    assert stat.S_IMODE((tmp_path / "council").stat().st_mode) == 0o600
    assert (tmp_path / "council.pub").read_text().startswith("-----BEGIN PUBLIC KEY-----")
    again = runner.invoke(cli, ["keygen", str(tmp_path / "council")])
    assert again.exit_code == 2 and "keygen never replaces a key" in again.output


# -- a signature binds the council, month, version and file name -----------------------------
def inbox(tmp_path: Path, files: dict[Path, str]) -> Path:
    """Copies of ``files`` under the names given, in a folder with nothing else (an e-mail's
    attachments); the first is the return."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for source, name in files.items():
        shutil.copy(source, folder / name)
    return folder / next(iter(files.values()))


def signed_files(xlsx: Path) -> list[Path]:
    return [xlsx, xlsx.with_suffix(".pdf"), xlsx.with_suffix(".sig")]


def test_a_signed_return_alone_verifies_and_says_each_thing_once(folder, keys, tmp_path):
    alone = inbox(tmp_path, {path: path.name for path in signed_files(the_return(folder))})
    code, output = verify(alone, "--key", str(keys[1]))
    assert code == 0, output
    assert f"and signs this file, {STEM}.xlsx (version 1 of Southampton" in output
    assert "its bytes and its PDF's." in output
    assert "Not checked: its PDF" not in output  # the signature checked it


def test_a_signed_return_renamed_to_another_months_names_fails(folder, keys, tmp_path):
    july = "Children and Families Jul-20"
    files = signed_files(the_return(folder))
    alone = inbox(tmp_path, {path: f"{july}{path.suffix}" for path in files})
    code, output = verify(alone, "--key", str(keys[1]))
    assert code == 1, output
    assert (
        f"Its signature {july}.sig signs {STEM}.xlsx (version 1 of Southampton City Council's "
        f"Aug-20 return), not {july}.xlsx: the return was renamed or copied over another"
    ) in output


def test_a_superseded_return_copied_over_the_next_version_fails(folder, keys, tmp_path):
    """Version 1's files under version 2's names: what a reader of v2 would be sent."""
    files = signed_files(the_return(folder))
    alone = inbox(tmp_path, {path: f"{STEM} v2{path.suffix}" for path in files})
    code, output = verify(alone, "--key", str(keys[1]))
    assert code == 1, output
    assert (
        f"Its signature {STEM} v2.sig signs {STEM}.xlsx (version 1 of Southampton City "
        f"Council's Aug-20 return), not {STEM} v2.xlsx" in output
    )


def test_a_second_return_is_signed_under_its_own_name_and_version(folder, keys):
    (folder / "returns" / f"{STEM} v2.pdf").write_bytes(b"someone else's")  # v2 is taken
    third = return_file.save_return_file(
        folder / "dataset.xlsx", folder / "returns", force="Again.", pdf_maker=fake_pdf,
        sign_with=keys[0],
    ).placed  # fmt: skip
    code, output = verify(third.xlsx, "--key", str(keys[1]))
    assert code == 0, output
    assert (
        f"signs this file, {STEM} v3.xlsx (version 3 of Southampton City Council's Aug-20 "
        "return), its bytes and its PDF's." in output
    )


def test_a_signature_made_before_it_named_the_file_says_the_name_is_not_checked(
    folder, keys, tmp_path
):
    alone = inbox(tmp_path, {path: path.name for path in signed_files(the_return(folder))})
    signature = alone.with_suffix(".sig")
    fields = json.loads(signature.read_text("utf-8"))["signed"]
    older = {k: v for k, v in fields.items() if k not in ("format", "file", "pdf", "version")}
    signature.write_text(sign(load_signer(keys[0]), older), "utf-8")
    code, output = verify(alone, "--key", str(keys[1]))
    assert code == 0, output
    assert "signs its bytes and its PDF's." in output
    assert "Not checked: its file name and version: its signature was made before" in output


def test_verify_with_a_workbook_that_is_not_a_workbook_is_an_error(folder):
    text = folder / "not-a-zip.xlsx"
    text.write_text("figures, not a workbook\n")
    before = sha256_of(the_return(folder))
    code, output = verify(the_return(folder), "--workbook", str(text))
    assert code == 2, output
    assert output.startswith(f"Error: {text} (given with --workbook) is not an Excel workbook")
    assert sha256_of(the_return(folder)) == before


@pytest.mark.parametrize("column", ["pdf", "signature"])
def test_a_register_naming_no_file_beside_the_return_is_an_error(folder, column):
    path = register_path(folder / "returns")
    rows = read_register(folder / "returns")
    text = path.read_text("utf-8").replace(f",{getattr(rows[0], column)},", ",/,", 1)
    path.chmod(0o644)
    path.write_text(text, "utf-8")
    code, output = verify(the_return(folder))
    assert code == 2, output
    assert output.startswith(f"Error: {path}, line 2, column '{column}': '/'"), output
    assert "this is not a row xlscorecard wrote" in output


def test_a_signature_that_is_not_text_fails(folder, keys):
    signature = the_return(folder).with_suffix(".sig")
    signature.write_bytes(b"\xff\xfe not UTF-8")
    code, output = verify(the_return(folder), "--key", str(keys[1]))
    assert code == 1, output
    assert f"Its signature {STEM}.sig does not hold: the signature file is not UTF-8" in output


@pytest.mark.parametrize("named", ["a folder", "/dev/zero", "a text file"])
def test_a_register_naming_no_workbook_is_an_error(folder, named):
    where = {"a folder": str(folder / "returns"), "/dev/zero": "/dev/zero"}.get(named)
    if where is None:
        (folder / "notes.xlsx").write_text("not a workbook")
        where = "../notes.xlsx"
    path = register_path(folder / "returns")
    path.chmod(0o644)
    path.write_text(path.read_text("utf-8").replace(",../dataset.xlsx", f",{where}"), "utf-8")
    code, output = verify(the_return(folder))
    assert code == 2, output
    assert "(named in returns-register.csv) is not an Excel workbook (.xlsx)" in output
