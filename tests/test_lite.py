"""xlwings Lite: the workbook carries its buttons (main.py and a pinned requirements.txt, where
Lite keeps them), every command keeps what a workbook carries, and the buttons run in Pyodide
with Office.js actions only, giving what they give in CPython."""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from importlib import metadata
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from tests.support import pyodide
from tests.support.faults import cli
from tests.support.harness import Excel, ExcelError, payload, xw  # xw: with its licence key
from tests.support.paths import SAMPLE
from tests.support.returns import make_ready
from xlscorecard.app import workbook_file
from xlscorecard.app.lite_file import lite_file
from xlscorecard.app.return_file import save_return_file
from xlscorecard.excel import buttons
from xlscorecard.model import Month
from xlscorecard.returns.register import ORIGINALS, REGISTER
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET
from xlscorecard.xlsx import lite_code
from xlscorecard.xlsx.carry_over import carried

OFFICE_JS = frozenset(
    [
        "setValues",
        "addSheet",
        "setSheetName",
        "setAutofit",
        "setRangeColor",
        "activateSheet",
        "addHyperlink",
        "setNumberFormat",
        "setPictureName",
        "setPictureWidth",
        "setPictureHeight",
        "deletePicture",
        "addPicture",
        "updatePicture",
        "alert",
        "setRangeName",
        "namesAdd",
        "nameDelete",
        "runMacro",
        "rangeDelete",
        "rangeInsert",
        "rangeSelect",
        "rangeClearContents",
        "rangeClearFormats",
        "rangeGroup",
        "rangeUngroup",
        "rangeClear",
        "rangeAdjustIndent",
        "addTable",
        "setTableName",
        "resizeTable",
        "showAutofilterTable",
        "showHeadersTable",
        "showTotalsTable",
        "setTableStyle",
        "copyRange",
        "copyFromRange",
        "sheetDelete",
        "sheetClear",
        "sheetClearFormats",
        "sheetClearContents",
        "freezePaneAtRange",
        "freezePaneUnfreeze",
        "setFontProperty",
    ]
)
"""The actions xlwings' Office.js client implements (its ``funcs``); ``runMacro`` only runs a
JavaScript callback, and xlwings Lite registers none, so the buttons may not use it."""
SCRIPTS = ["show_help", "validate", "refresh_month", "save_return"]
WE = "{http://schemas.microsoft.com/office/webextensions/webextension/2010/11}"
SHA = re.compile(r"\b[0-9a-f]{64}\b")

FOREIGN = {
    "xl/webextensions/webextension1.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<we:webextension '
        b'xmlns:we="http://schemas.microsoft.com/office/webextensions/webextension/2010/11" '
        b'id="{45D4ACA5-1878-4B84-8566-0616DA86589C}"><we:reference id="wa104381504" '
        b'version="1.0.0.0" store="en-US" storeType="OMEX"/><we:alternateReferences/>'
        b'<we:properties><we:property name="token" value="&quot;kept&quot;"/></we:properties>'
        b"<we:bindings/><we:snapshot/></we:webextension>"
    ),
    "xl/webextensions/taskpanes.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<wetp:taskpanes '
        b'xmlns:wetp="http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11">'
        b'<wetp:taskpane dockstate="right" visibility="0" width="350" row="0">'
        b'<wetp:webextensionref xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships" r:id="rId1"/></wetp:taskpane></wetp:taskpanes>'
    ),
    "xl/webextensions/_rels/taskpanes.xml.rels": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://'
        b'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        b'Type="http://schemas.microsoft.com/office/2011/relationships/webextension" '
        b'Target="webextension1.xml"/></Relationships>'
    ),
    "customXml/item1.xml": b'<?xml version="1.0"?><records xmlns="urn:council">7</records>',
}
"""Another add-in's task pane and settings, and a custom XML part, as Excel saves them."""


def add_foreign_parts(path: Path) -> None:
    """Put :data:`FOREIGN` into the package, linked as Excel links them."""
    with zipfile.ZipFile(path) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    entries.update(FOREIGN)
    entries["_rels/.rels"] = entries["_rels/.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdTp" Type="http://schemas.microsoft.com/office/2011/relationships/'
        b'webextensiontaskpanes" Target="xl/webextensions/taskpanes.xml"/></Relationships>',
    )
    entries["xl/_rels/workbook.xml.rels"] = entries["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/customXml" Target="../customXml/item1.xml"/></Relationships>',
    )
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/webextensions/taskpanes.xml" '
        b'ContentType="application/vnd.ms-office.webextensiontaskpanes+xml"/>'
        b'<Override PartName="/xl/webextensions/webextension1.xml" '
        b'ContentType="application/vnd.ms-office.webextension+xml"/></Types>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries.items():
            target.writestr(name, data)


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {
            name: package.read(name)
            for name in package.namelist()
            if name.startswith(("xl/webextensions/", "customXml/"))
        }


def read_lite_as_lite_does(path: Path) -> dict[str, str]:
    """The web extension's settings as Office.js reads them: the task pane from the root
    relationships, its web extension, each property's value parsed as JSON."""
    with zipfile.ZipFile(path) as package:
        root = ElementTree.fromstring(package.read("_rels/.rels"))
        (taskpanes,) = [
            link.get("Target").lstrip("/")
            for link in root
            if link.get("Type", "").endswith("/2011/relationships/webextensiontaskpanes")
        ]
        rels = ElementTree.fromstring(package.read("xl/webextensions/_rels/taskpanes.xml.rels"))
        found = {}
        for link in rels:
            part = ElementTree.fromstring(package.read(f"xl/webextensions/{link.get('Target')}"))
            (reference,) = [r for r in part.iter(f"{WE}reference")][:1]
            if reference.get("id").upper() == "WA200008175":
                found = {
                    p.get("name"): json.loads(p.get("value")) for p in part.iter(f"{WE}property")
                }
        types = package.read("[Content_Types].xml").decode()
    assert taskpanes == "xl/webextensions/taskpanes.xml"
    assert 'ContentType="application/vnd.ms-office.webextension+xml"' in types
    return found


@pytest.fixture(scope="module")
def ready(built, tmp_path_factory) -> Path:
    """The Aug-20 workbook ready to return, carrying the Lite code (copy it to change it)."""
    path = make_ready(built("2020-08"), tmp_path_factory.mktemp("ready") / "ready.xlsx")
    lite_file(path, backup=False)
    return path


@pytest.fixture
def lite_book(built, tmp_path) -> Path:
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    lite_file(path, backup=False)
    return path


# -- the workbook carries its buttons ---------------------------------------------------------
def test_lite_puts_main_py_and_requirements_where_xlwings_lite_reads_them(lite_book):
    settings = read_lite_as_lite_does(lite_book)
    assert settings["main.py"] == lite_code.main_py()
    assert settings["requirements.txt"] == lite_code.requirements()


def test_main_py_has_one_script_per_button_calling_the_buttons_module_for_lite():
    exec(compile(lite_code.main_py(), "main.py", "exec"), {"__name__": "main"})  # it runs
    text = lite_code.main_py()
    for name in ("Refresh month", "Validate", "Save return", "Help"):
        assert f'@script(name="{name}")' in text
    assert text.count("(book, lite=True)") == 4
    assert "runMacro" not in text


def test_requirements_pin_xlscorecard_and_each_dependency_at_the_version_installed():
    pins = dict(line.split("==") for line in lite_code.requirements().splitlines())
    assert pins.pop("xlscorecard") == metadata.version("xlscorecard")
    assert {"openpyxl", "xlwings", "click", "et_xmlfile"} <= set(pins)
    for name, version in pins.items():
        assert metadata.version(name) == version
    assert "pywin32" not in pins and "appscript" not in pins


def test_lite_says_what_the_workbook_carried_and_does_nothing_the_second_time(built, tmp_path):
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    first = cli("lite", str(path), cwd=tmp_path)
    before = path.read_bytes()
    second = cli("lite", str(path), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "It carried no xlwings Lite code before" in first.stdout
    assert second.returncode == 0
    assert "already carries" in second.stdout
    assert path.read_bytes() == before


def test_lite_replaces_older_code_and_keeps_lites_other_settings(lite_book):
    with zipfile.ZipFile(lite_book) as package:
        entries = {info.filename: package.read(info) for info in package.infolist()}
    name = "xl/webextensions/webextension1.xml"
    entries[name] = (
        entries[name]
        .replace(b"xlscorecard==", b"xlscorecard==0.0.1 old==", 1)
        .replace(
            b"</we:properties>",
            b'<we:property name="pyodideVersion" value="&quot;0.27.5&quot;"/></we:properties>',
        )
    )
    with zipfile.ZipFile(lite_book, "w") as package:
        for part, data in entries.items():
            package.writestr(part, data)
    put = lite_file(lite_book, backup=False)
    settings = read_lite_as_lite_does(lite_book)
    assert "xlscorecard 0.0.1's" in put.summary
    assert settings["requirements.txt"] == lite_code.requirements()
    assert settings["pyodideVersion"] == "0.27.5"


def test_a_workbook_carrying_lite_code_is_saved_with_its_dataset_unprotected(lite_book, built):
    assert not load_workbook(lite_book)[SHEET].protection.sheet
    assert load_workbook(built("2020-08"))[SHEET].protection.sheet


def test_build_lite_carries_the_code_and_build_alone_does_not(tmp_path):
    with_code, without = tmp_path / "lite.xlsx", tmp_path / "plain.xlsx"
    workbook_file.build_file(SAMPLE, Month.parse("2020-08"), with_code, lite=True)
    workbook_file.build_file(SAMPLE, Month.parse("2020-08"), without)
    assert read_lite_as_lite_does(with_code)["main.py"] == lite_code.main_py()
    assert parts_of(without) == {}


# -- nothing a workbook carries is dropped ----------------------------------------------------
COMMANDS = {
    "validate": lambda path: workbook_file.validate_file(path, backup=False),
    "comment": lambda path: workbook_file.comment_file(path, "LAC2", "Kept.", backup=False),
    "refresh": lambda path: workbook_file.refresh_file(path, backup=False),
    "lite": lambda path: lite_file(path, backup=False),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_keeps_other_add_ins_parts_byte_for_byte(built, tmp_path, command):
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    add_foreign_parts(path)
    COMMANDS[command](path)
    kept = parts_of(path)
    own = {name: data for name, data in FOREIGN.items() if "taskpanes" not in name}
    assert {name: kept.get(name) for name in own} == own
    if command != "lite":
        panes = [name for name in FOREIGN if "taskpanes" in name]
        assert {name: kept[name] for name in panes} == {name: FOREIGN[name] for name in panes}
    else:  # lite adds its own task pane beside the other add-in's
        assert read_lite_as_lite_does(path)["main.py"] == lite_code.main_py()
        ElementTree.fromstring(kept["xl/webextensions/taskpanes.xml"])  # still well formed
    assert b'Target="webextension1.xml"' in kept["xl/webextensions/_rels/taskpanes.xml.rels"]
    assert carried(path).links  # still linked from the package
    with zipfile.ZipFile(path) as package:
        assert b"../customXml/item1.xml" in package.read("xl/_rels/workbook.xml.rels")
        assert b"/xl/webextensions/taskpanes.xml" in package.read("[Content_Types].xml")


def test_saving_a_return_keeps_the_working_workbooks_parts(ready, tmp_path):
    path = tmp_path / "dataset.xlsx"
    shutil.copy(ready, path)
    before = parts_of(path)
    save_return_file(path, backup=False, pdf_maker=lambda copy, pdf: pdf.write_bytes(b"%PDF"))
    assert parts_of(path) == before


# -- the buttons under Lite (CPython) ----------------------------------------------------------
def lite_payload(path: Path) -> dict:
    data = payload(load_workbook(path), path.name)
    data["client"] = "Office.js"
    return data


def test_save_return_in_lite_writes_into_lites_files_without_hard_links_or_pdf(
    ready, tmp_path, monkeypatch
):
    path = ready
    monkeypatch.setattr(buttons, "LITE_FILES", tmp_path / "data")
    monkeypatch.delattr(os, "link")  # as in Pyodide
    book = xw.Book(json=lite_payload(path))
    try:
        message = buttons.save_return(book, lite=True)
        funcs = [action["func"] for action in book.json()["actions"]]
    finally:
        book.close()
    files = sorted(p.name for p in (tmp_path / "data").iterdir())
    assert "Children and Families Aug-20.xlsx" in files and REGISTER in files
    assert not [name for name in files if name.endswith(".pdf")]
    assert "Import/Export" in message and "save its Dataset sheet as PDF" in message
    assert "runMacro" not in funcs


def test_who_in_lite_is_the_environments_name_else_settings_user_name(built, monkeypatch):
    book = xw.Book(json=lite_payload(built("2020-08")))
    try:
        _, live = buttons.read(book)
        live.dataset.settings.user_name = "Team Account"
        monkeypatch.delenv(buttons.USER_VARIABLE, raising=False)
        from_settings = buttons.who(book, live)
        monkeypatch.setenv(buttons.USER_VARIABLE, "Ann Officer")
        from_environment = buttons.who(book, live)
    finally:
        book.close()
    assert (from_settings, from_environment) == ("Team Account", "Ann Officer")


# -- the buttons in Pyodide ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def presses(built, ready, tmp_path_factory):
    """Each button pressed once in Pyodide and once in CPython on the sample's Lite workbook
    (Save return on one ready to return), in one node process."""
    folder = tmp_path_factory.mktemp("lite-presses")
    plain = folder / "dataset.xlsx"
    shutil.copy(built("2020-08"), plain)
    lite_file(plain, backup=False)
    code = lite_code.lite_code(carried(plain))
    jobs = [
        {"script": script, "payload": lite_payload(ready if script == "save_return" else plain)}
        for script in SCRIPTS
    ]
    try:
        in_pyodide = pyodide.run(code.main, jobs, code.requirements)
    except pyodide.Unavailable as reason:
        pytest.skip(str(reason))
    in_cpython = pyodide.run_cpython(code.main, jobs)
    return {"paths": {"plain": plain, "ready": ready}, "pyodide": in_pyodide, "cpython": in_cpython}


def masked(result: dict) -> str:
    """A press's actions with the SHA-256 of files written at different moments left out."""
    return SHA.sub("<sha256>", json.dumps(result["actions"], sort_keys=True))


def test_pyodide_is_what_xlwings_lite_runs(presses):
    facts = dict(presses["pyodide"]["facts"])
    facts.pop("files")
    assert facts == {"platform": "emscripten", "link": False, "login": "web_user"}


@pytest.mark.parametrize("index", range(len(SCRIPTS)), ids=SCRIPTS)
def test_each_button_gives_the_same_actions_in_pyodide_as_in_cpython(presses, index):
    in_pyodide = presses["pyodide"]["results"][index]
    in_cpython = presses["cpython"][index]
    assert "error" not in in_pyodide, in_pyodide.get("error")
    assert "error" not in in_cpython, in_cpython.get("error")
    assert masked(in_pyodide) == masked(in_cpython)


def test_every_action_is_one_xlwings_office_js_client_runs_and_none_a_macro(presses):
    funcs = {
        action["func"]
        for result in presses["pyodide"]["results"]
        for action in result.get("actions", [])
    }
    assert funcs <= OFFICE_JS - {"runMacro"}


def test_refresh_month_in_pyodide_reads_back_as_the_command_line_refresh(presses, tmp_path):
    source = presses["paths"]["plain"]
    excel_copy, cli_copy = tmp_path / "excel.xlsx", tmp_path / "cli.xlsx"
    shutil.copy(source, excel_copy)
    shutil.copy(source, cli_copy)
    workbook = load_workbook(excel_copy)
    Excel(workbook).apply(presses["pyodide"]["results"][SCRIPTS.index("refresh_month")]["actions"])
    outcome = workbook_file.refresh_file(cli_copy, backup=False, user="Lite Tester")
    cli = load_workbook(cli_copy)
    for name in (SHEET, sheets.HISTORY, sheets.CHECKS, sheets.COMMENTARY):
        shown = [[c.value for c in row] for row in workbook[name].iter_rows()]
        expected = [[c.value for c in row] for row in cli[name].iter_rows()]
        assert shown == expected, name
    audit = [row[1:5] for row in workbook[sheets.AUDIT].iter_rows(min_row=2, values_only=True)]
    assert [row[1:] for row in audit] == [
        row[2:5] for row in cli[sheets.AUDIT].iter_rows(min_row=2, values_only=True)
    ]
    assert {row[0] for row in audit} == {"Lite Tester"}
    assert (
        outcome.summary
        in presses["pyodide"]["results"][SCRIPTS.index("refresh_month")]["actions"][-1]["args"][0]
    )


def test_save_return_in_pyodide_records_the_return_saved_in_lites_files(presses):
    actions = presses["pyodide"]["results"][SCRIPTS.index("save_return")]["actions"]
    message = actions[-1]["args"][0]
    assert message.startswith("Saved the Aug-20 return in /data (download them from")
    assert "no PDF" in message
    files = presses["pyodide"]["facts"]["files"]
    assert "Children and Families Aug-20.xlsx" in files
    assert REGISTER in files
    assert any(name.startswith(f"{ORIGINALS}/") for name in files), files  # the copy as saved
    assert not [name for name in files if name.endswith(".pdf")]


def test_a_lite_press_on_a_protected_dataset_fails_before_writing_anything(presses, built):
    workbook = load_workbook(built("2020-08"))  # protected, as built without --lite
    actions = presses["pyodide"]["results"][SCRIPTS.index("refresh_month")]["actions"]
    excel = Excel(workbook)
    with pytest.raises(ExcelError):
        excel.apply(actions)
    assert excel.applied == 0
