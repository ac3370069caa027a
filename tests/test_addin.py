"""The Excel add-in: built on Linux, checked by readers that are not ours.

Excel is not here, so the add-in is checked by what can read it independently: olevba
(oletools) decodes its VBA, LibreOffice imports its VBA project, openxml-audit validates its
ribbon XML against the Office schema, olefile reads the compound file. What only Excel can tell
(the ribbon appears, the buttons run Python) is in docs/excel-smoke-test.md.
"""

from __future__ import annotations

import io
import os
import random
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from tests.support.paths import ROOT
from xlscorecard.addin import build as addin_module
from xlscorecard.addin.build import (
    ADDIN_NAME,
    AddinError,
    build_addin,
    has_ribbon_relationship,
    install_addin,
    read_addin,
    ribbon_actions,
    stock_addin,
    subs,
)
from xlscorecard.addin.cfb import read_compound_file, write_compound_file
from xlscorecard.addin.ovba import VbaProject, VbaProjectError, compress, decompress
from xlscorecard.returns.libreoffice import find_soffice

MACROS = ROOT / "macros"
CHECKED_IN = MACROS / ADDIN_NAME
DISPATCHER = MACROS / "ScorecardRibbon.bas"
CUSTOM_UI = MACROS / "customUI.xml"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The add-in, freshly built from macros/ into a scratch folder."""
    out = tmp_path_factory.mktemp("addin") / ADDIN_NAME
    build_addin(out)
    return out


def olevba_modules(path: Path) -> dict[str, str]:
    """{module name: source} as olevba decodes them."""
    parser = VBA_Parser(str(path))
    try:
        return {
            stream.split("/")[-1]: code if isinstance(code, str) else code.decode("cp1252")
            for _, stream, _, code in parser.extract_macros()
        }
    finally:
        parser.close()


def normalised(source: str) -> str:
    """Source without Attribute lines, with LF line ends and no trailing blank lines."""
    lines = source.replace("\r\n", "\n").split("\n")
    return "\n".join(line for line in lines if not line.startswith("Attribute ")).rstrip() + "\n"


# --- [MS-OVBA] 2.4.1 compression ---------------------------------------------------------------

# The examples of [MS-OVBA] section 3.2. Published copies of 3.2.2 differ in three copy tokens
# (0x3000 / 0x1000 / 0x3C00 against 0x2000 / 0x0000 / 0x2C00): both pick an earlier "aaa" of
# the same length, both decompress to the same text; the second is what the matching procedure
# of 2.4.1.3.19.4 (the longest match, the nearest on a tie) gives, and what compress() gives.
NO_COMPRESSION = (
    b"abcdefghijklmnopqrstuv.",
    "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E",
)
NORMAL_TEXT = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
NORMAL_PRINTED = (
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 "
    "6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"
)
NORMAL_BY_THE_PROCEDURE = (
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20 "
    "6D 6E 6F 70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C"
)
MAXIMUM_COMPRESSION = (b"a" * 73, "01 03 B0 02 61 45 00")


def test_the_specification_examples_decompress():
    assert decompress(bytes.fromhex(NO_COMPRESSION[1])) == NO_COMPRESSION[0]
    assert decompress(bytes.fromhex(NORMAL_PRINTED)) == NORMAL_TEXT
    assert decompress(bytes.fromhex(NORMAL_BY_THE_PROCEDURE)) == NORMAL_TEXT
    assert decompress(bytes.fromhex(MAXIMUM_COMPRESSION[1])) == MAXIMUM_COMPRESSION[0]


def test_the_specification_examples_compress_to_the_same_bytes():
    assert compress(NO_COMPRESSION[0]) == bytes.fromhex(NO_COMPRESSION[1])
    assert compress(NORMAL_TEXT) == bytes.fromhex(NORMAL_BY_THE_PROCEDURE)
    assert compress(MAXIMUM_COMPRESSION[0]) == bytes.fromhex(MAXIMUM_COMPRESSION[1])


def test_an_empty_buffer_is_the_signature_alone():
    assert compress(b"") == b"\x01"
    assert decompress(b"\x01") == b""


def check_round_trip(data: bytes) -> None:
    """compress() then decompress() (ours, and oletools') gives the data back. As the
    specification has it, a last chunk that does not compress is stored raw as 4096 bytes, so
    it comes back padded with zeros: only incompressible data does that."""
    packed = compress(data)
    for unpacked in (decompress(packed), decompress_stream(bytearray(packed))):
        assert unpacked[: len(data)] == data
        padding = unpacked[len(data) :]
        assert padding == bytes(len(padding)) and len(padding) < 4096
        if padding:
            assert len(data) % 4096 > 3000  # only a long incompressible tail is stored raw


TEXT = st.text(alphabet="ab \r\n'\"()=.,_ADIMSbdeglnoprstuxy0123456789", max_size=12000)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_text_round_trips_exactly(text):
    data = text.encode("cp1252")
    assert decompress(compress(data)) == data
    assert decompress_stream(bytearray(compress(data))) == data


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=12000))
def test_any_bytes_round_trip(data):
    check_round_trip(data)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 3 * 4096 + 5), st.integers(1, 255))
def test_runs_and_repeats_across_chunk_boundaries(seed, size, alphabet):
    rng = random.Random(seed)
    data = bytes(rng.randrange(alphabet) for _ in range(size))
    check_round_trip(data)


@pytest.mark.parametrize("size", [4095, 4096, 4097, 8192, 8193, 12288])
def test_incompressible_chunks_are_stored_raw(size):
    data = random.Random(size).randbytes(size)
    check_round_trip(data)
    if size % 4096 == 0:
        assert decompress(compress(data)) == data


def test_real_vba_round_trips_through_both_implementations():
    """Every stream of xlwings' own VBA project (compressed by Office): our decompression
    agrees with oletools', and what we compress oletools decompresses."""
    streams, _ = read_compound_file(zipped(stock_addin(), "xl/vbaProject.bin"))
    project = VbaProject(streams)
    sources = {"dir": streams["VBA/dir"]}
    for module in project.modules:
        sources[module.name] = streams[f"VBA/{module.stream_name}"][module.offset :]
    assert len(sources) == 6
    for name, container in sources.items():
        ours = decompress(container)
        assert ours == decompress_stream(bytearray(container)), name
        assert decompress_stream(bytearray(compress(ours))) == ours, name
        assert decompress(compress(ours)) == ours, name


def zipped(path: Path, part: str) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read(part)


# --- [MS-CFB] the compound file ----------------------------------------------------------------


RED = 0  # [MS-CFB] 2.6.1: a directory entry's colour flag


def red_black_problems(data: bytes) -> list[str]:
    """What breaks the red-black rules in each storage's tree of children."""
    problems = []
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        entries = ole.direntries

        def walk(sid: int, parent_red: bool) -> int:
            if sid == olefile.NOSTREAM:
                return 1
            entry = entries[sid]
            red = entry.color == RED
            if red and parent_red:
                problems.append(f"red {entry.name} under a red parent")
            left = walk(entry.sid_left, red)
            right = walk(entry.sid_right, red)
            if left != right:
                problems.append(f"black heights differ under {entry.name}")
            return left + (0 if red else 1)

        for entry in entries:
            storages = (olefile.STGTY_STORAGE, olefile.STGTY_ROOT)
            if entry is None or entry.entry_type not in storages:
                continue
            if entry.sid_child != olefile.NOSTREAM:
                if entries[entry.sid_child].color == RED:
                    problems.append(f"red root under {entry.name}")
                walk(entry.sid_child, False)
    return problems


STREAM_SIZES = [0, 1, 63, 64, 65, 4095, 4096, 4097, 70_000]


@pytest.mark.parametrize("count", [1, 3, 7, 12, 40])
def test_compound_files_read_back_with_olefile(count):
    rng = random.Random(count)
    streams = {}
    for index in range(count):
        folder = ["", "VBA/", "VBA/Sub/"][index % 3]
        size = STREAM_SIZES[index % len(STREAM_SIZES)]
        streams[f"{folder}Stream{index:02d}"] = rng.randbytes(size)
    data = write_compound_file(streams)
    assert olefile.isOleFile(io.BytesIO(data))
    with olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT) as ole:
        read = {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    assert read == streams
    assert red_black_problems(data) == []


def test_the_stock_vba_project_survives_a_rewrite_unchanged():
    original = zipped(stock_addin(), "xl/vbaProject.bin")
    streams, clsids = read_compound_file(original)
    assert read_compound_file(write_compound_file(streams, clsids)) == (streams, clsids)


def test_the_same_streams_give_the_same_bytes():
    streams = {"PROJECT": b"x" * 100, "VBA/dir": b"y" * 5000}
    assert write_compound_file(streams) == write_compound_file(dict(reversed(streams.items())))


def test_setting_a_module_twice_replaces_its_source(tmp_path):
    streams, clsids = read_compound_file(zipped(stock_addin(), "xl/vbaProject.bin"))
    project = VbaProject(streams)
    project.set_standard_module("Extra", "Sub One()\nEnd Sub\n")
    project.set_standard_module("Extra", "Sub Two()\nEnd Sub\n")
    project.set_standard_module(
        "RibbonMyAddin", "Sub RunMain(control As IRibbonControl)\nEnd Sub\n"
    )
    path = tmp_path / "vbaProject.bin"
    path.write_bytes(write_compound_file(project.stream_bytes(), clsids))
    modules = olevba_modules(path)
    assert normalised(modules["Extra"]) == "Sub Two()\nEnd Sub\n"
    assert (
        normalised(modules["RibbonMyAddin"]) == "Sub RunMain(control As IRibbonControl)\nEnd Sub\n"
    )
    assert [m.name for m in VbaProject(read_compound_file(path.read_bytes())[0]).modules].count(
        "Extra"
    ) == 1
    with pytest.raises(VbaProjectError):
        project.set_standard_module("Dictionary", "")  # a class module
    with pytest.raises(VbaProjectError):
        project.set_standard_module("not a name", "")


# --- The built add-in --------------------------------------------------------------------------


def test_olevba_decodes_the_dispatcher_as_written(built):
    modules = olevba_modules(built)
    assert normalised(modules["ScorecardRibbon"]) == normalised(DISPATCHER.read_text("utf-8"))
    # Stored as Office stores it: its name attribute first, CRLF line ends.
    assert modules["ScorecardRibbon"].startswith('Attribute VB_Name = "ScorecardRibbon"\r\n')


def test_xlwings_vba_is_still_there_unchanged_but_for_the_add_ins_name(built):
    """xlwings' documented renaming of a custom add-in: PROJECT_NAME and the ribbon module."""
    import xlwings

    stock = olevba_modules(stock_addin())
    ours = olevba_modules(built)
    assert set(ours) == set(stock) - {"RibbonMyAddin"} | {"RibbonXlscorecard", "ScorecardRibbon"}
    for name, source in stock.items():
        if name == "xlwings":
            source = source.replace(
                'PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "xlscorecard"'
            )
        if name == "RibbonMyAddin":
            name, source = "RibbonXlscorecard", source.replace("RibbonMyAddin", "RibbonXlscorecard")
        # a rewritten module is stored as Office stores one, with CRLF line ends
        assert ours[name].replace("\r\n", "\n") == source.replace("\r\n", "\n"), name
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in ours["xlwings"]
    assert 'Public Const PROJECT_NAME As String = "xlscorecard"' in ours["xlwings"]
    assert read_addin(built).xlwings_version == xlwings.__version__


def test_the_add_in_has_its_own_identity(built):
    """Not xlwings' quickstart one, which every unrenamed quickstart add-in shares: its VBA
    project, its settings' name (xlscorecard.conf) and its hidden settings sheet."""
    streams, _ = read_compound_file(zipped(built, "xl/vbaProject.bin"))
    project = VbaProject(streams)
    assert b'Name="xlscorecard"\r\n' in streams["PROJECT"]
    assert [r.data for r in project.records if r.id == 0x0004] == [b"xlscorecard"]
    assert "MyAddin" not in streams["PROJECT"].decode("cp1252")
    assert b"MyAddin" not in streams["PROJECTwm"] and "VBA/RibbonMyAddin" not in streams
    assert [m.name for m in project.modules if m.name.startswith("Ribbon")] == ["RibbonXlscorecard"]
    workbook = zipped(built, "xl/workbook.xml").decode()
    assert re.findall(r'<sheet name="([^"]+)"', workbook) == ["_xlscorecard.conf"]


def test_the_vba_project_makes_excel_compile_from_source(built):
    streams, _ = read_compound_file(zipped(built, "xl/vbaProject.bin"))
    header = streams["VBA/_VBA_PROJECT"]
    assert len(header) == 7 and header[:4] == b"\xcc\x61\xff\xff"
    assert not [p for p in streams if p.split("/")[-1].startswith("__SRP_")]
    project = VbaProject(streams)
    (dispatcher,) = [m for m in project.modules if m.name == "ScorecardRibbon"]
    assert dispatcher.offset == 0 and dispatcher.procedural
    assert b"Module=ScorecardRibbon\r\n" in streams["PROJECT"]
    assert b"ScorecardRibbon=0, 0, 0, 0, C\r\n" in streams["PROJECT"]
    wm = "ScorecardRibbon".encode("cp1252") + b"\0" + "ScorecardRibbon".encode("utf-16-le")
    assert streams["PROJECTwm"].endswith(wm + b"\0\0\0\0")
    assert red_black_problems(zipped(built, "xl/vbaProject.bin")) == []


def test_every_other_part_is_as_xlwings_ships_it(built):
    """Config sheet's contents, styles, content types, relationships: untouched (the workbook
    part only names the config sheet for the add-in)."""
    with zipfile.ZipFile(stock_addin()) as stock, zipfile.ZipFile(built) as ours:
        assert sorted(stock.namelist()) == sorted(ours.namelist())
        changed = {
            name for name in stock.namelist() if stock.read(name) != ours.read(name)
        }  # fmt: skip
        workbook = stock.read("xl/workbook.xml").replace(b"_myaddin.conf", b"_xlscorecard.conf")
        assert ours.read("xl/workbook.xml") == workbook
    assert changed == {"customUI/customUI.xml", "xl/vbaProject.bin", "xl/workbook.xml"}


def test_the_ribbon_part_is_ours_and_has_its_relationship(built):
    """An Office 2010 (2009/07) ribbon, linked with the Office 2010 relationship type."""
    assert zipped(built, "customUI/customUI.xml") == CUSTOM_UI.read_bytes()
    namespace = "http://schemas.microsoft.com/office/2009/07/customui"
    assert f'<customUI xmlns="{namespace}">' in CUSTOM_UI.read_text("utf-8")
    relationships = read_addin(built).root_relationships
    assert has_ribbon_relationship(relationships, namespace)
    assert (
        "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
        "customUI/customUI.xml",
    ) in relationships
    assert not has_ribbon_relationship(
        relationships, "http://schemas.microsoft.com/office/2006/01/customui"
    )
    types = zipped(built, "[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in types
    assert 'Extension="xml" ContentType="application/xml"' in types  # the customUI part's type


def test_the_ribbon_has_the_scorecard_buttons(built):
    actions = ribbon_actions(read_addin(built).custom_ui)
    assert actions == {
        "RefreshMonth": "ScorecardRibbon.OnButton",
        "Validate": "ScorecardRibbon.OnButton",
        "SaveReturn": "ScorecardRibbon.OnButton",
        "SendRequests": "ScorecardRibbon.OnButton",
        "CollectRequests": "ScorecardRibbon.OnButton",
        "Help": "ScorecardRibbon.OnButton",
    }
    tabs = re.findall(r'<tab id="[^"]+" label="([^"]+)"', CUSTOM_UI.read_text("utf-8"))
    assert tabs == ["Scorecard"]


def test_every_on_action_names_a_sub_of_the_add_in(built):
    """As olevba decodes the modules: Module.Sub must be a Sub of that module."""
    modules = {name.lower(): subs(source) for name, source in olevba_modules(built).items()}
    for control, action in ribbon_actions(read_addin(built).custom_ui).items():
        module, sub = action.split(".")
        assert sub.lower() in {s.lower() for s in modules.get(module.lower(), set())}, control


def test_every_macro_python_runs_is_a_sub_of_the_add_in(built):
    """xlwings_book runs the add-in's UnprotectSheet / ProtectSheet around its writes."""
    from xlscorecard.excel import blocks as xlwings_book

    modules = olevba_modules(built)
    for macro in (xlwings_book.UNPROTECT_MACRO, xlwings_book.PROTECT_MACRO):
        book, _, qualified = macro.partition("!")
        assert book.strip("'") == ADDIN_NAME
        module, sub = qualified.split(".")
        assert sub in subs(modules[module]), macro
        signature = re.search(
            rf"Sub {sub}\((.*?)\)\s*$", modules[module].replace(" _\r\n", ""), re.M
        )
        # the workbook's name (Windows, Mac) or the Workbook (the remote client) comes first
        assert signature and signature.group(1).startswith("ByVal book As Variant,"), macro


def test_subs_finds_public_and_private_subs_but_not_functions():
    source = "Sub A()\r\nPublic Sub B(x)\r\n  Private Sub C()\r\nFunction D()\r\n' Sub E\r\n"
    assert subs(source) == {"A", "B", "C"}


def test_openxml_audit_finds_nothing_wrong(built):
    from xlscorecard.lint import audit_file

    assert audit_file(built) == []


def test_openxml_audit_checks_the_ribbon(built, tmp_path):
    """The schema check really covers customUI: a bad attribute value fails it."""
    from openxml_audit import OpenXmlValidator

    broken = tmp_path / ADDIN_NAME
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "customUI/customUI.xml":
                data = data.replace(b'size="large"', b'size="huge"', 1)
            target.writestr(info, data)
    messages = [str(error) for error in OpenXmlValidator().validate(str(broken)).errors]
    assert any("huge" in message for message in messages), messages


def test_libreoffice_imports_the_vba(built, tmp_path):
    """LibreOffice reads the VBA project (dir stream, compression, compound file) on its own and
    keeps it as Basic when saving as .ods: the dispatcher's source must be there."""
    soffice = find_soffice()
    if soffice is None:
        pytest.fail("LibreOffice is required: apt-get install libreoffice-calc-nogui")
    ods = libreoffice_to_ods(soffice, built, tmp_path)
    with zipfile.ZipFile(ods) as package:
        names = package.namelist()
        library = [
            n for n in names if n.startswith("Basic/") and n.endswith("/ScorecardRibbon.xml")
        ]
        assert len(library) == 1, names
        module = package.read(library[0]).decode("utf-8")
        assert any(n.endswith("/xlwings.xml") for n in names)
    text = (
        module.replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")
        .replace("&lt;", "<").replace("&gt;", ">")
    )  # fmt: skip
    for line in normalised(DISPATCHER.read_text("utf-8")).splitlines():
        assert line in text


def libreoffice_to_ods(soffice: str, source: Path, out_dir: Path) -> Path:
    """LibreOffice does not recognise .xlam by itself: name the filter (.xlsm's)."""
    with tempfile.TemporaryDirectory(prefix="xlscorecard-lo-") as scratch:
        profile = Path(scratch) / "profile"
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--infilter=Calc MS Excel 2007 VBA XML",
                "--convert-to",
                "ods",
                "--outdir",
                str(out_dir),
                str(source),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "HOME": scratch},
            timeout=180,
            check=False,
        )
    produced = out_dir / f"{source.stem}.ods"
    assert produced.exists(), result.stderr + result.stdout
    return produced


def test_the_checked_in_add_in_is_up_to_date(built):
    """macros/xlscorecard.xlam is what `xlscorecard addin build` makes from its
    sources now."""
    checked_in, fresh = read_addin(CHECKED_IN), read_addin(built)
    message = "macros/ changed (or xlwings did): run `xlscorecard addin build`, commit"
    assert checked_in.custom_ui == fresh.custom_ui, message
    assert checked_in.modules == fresh.modules, message
    assert olevba_modules(CHECKED_IN) == olevba_modules(built), message


def test_building_twice_gives_the_same_file(built, tmp_path):
    again = tmp_path / ADDIN_NAME
    build_addin(again)
    assert again.read_bytes() == built.read_bytes()


# --- Build and install errors ------------------------------------------------------------------


def test_the_add_in_must_keep_its_name(tmp_path):
    with pytest.raises(AddinError, match=r"must be named xlscorecard\.xlam"):
        build_addin(tmp_path / "scorecard.xlam")


def test_a_button_calling_a_missing_sub_fails_the_build(tmp_path):
    macros = tmp_path / "macros"
    macros.mkdir()
    (macros / "ScorecardRibbon.bas").write_text(DISPATCHER.read_text("utf-8"), "utf-8")
    ui = CUSTOM_UI.read_text("utf-8").replace(
        'onAction="ScorecardRibbon.OnButton"', 'onAction="ScorecardRibbon.OnClick"', 1
    )
    (macros / "customUI.xml").write_text(ui, "utf-8")
    out = tmp_path / ADDIN_NAME
    out.write_bytes(b"the previous add-in")
    with pytest.raises(AddinError, match=r"RefreshMonth -> ScorecardRibbon\.OnClick"):
        build_addin(out, macros)
    assert out.read_bytes() == b"the previous add-in"  # left as it was


def test_a_malformed_ribbon_fails_the_build(tmp_path):
    macros = tmp_path / "macros"
    macros.mkdir()
    (macros / "ScorecardRibbon.bas").write_text(DISPATCHER.read_text("utf-8"), "utf-8")
    (macros / "customUI.xml").write_text("<customUI><ribbon>", "utf-8")
    with pytest.raises(AddinError, match="not well-formed"):
        build_addin(tmp_path / ADDIN_NAME, macros)


def test_install_says_there_is_no_excel_on_linux():
    with pytest.raises(AddinError, match="no Excel on Linux"):
        install_addin(CHECKED_IN, platform="linux")


@pytest.fixture
def no_excel_to_ask(monkeypatch):
    """As on a machine where Excel cannot be asked for its start-up folder."""
    import xlwings.cli

    def refuse(*args, **kwargs):
        raise RuntimeError("no Excel here")

    monkeypatch.setattr(xlwings.cli, "get_addin_dir", refuse)


def test_install_on_windows_copies_into_xlstart(built, tmp_path, monkeypatch, no_excel_to_ask):
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData" / "Roaming"))
    installed = install_addin(built, platform="win32")
    target = tmp_path / "AppData/Roaming/Microsoft/Excel/XLSTART" / ADDIN_NAME
    assert installed.addin == target and installed.applescript is None
    assert target.read_bytes() == built.read_bytes()
    install_addin(built, platform="win32")  # again, over the installed copy
    assert target.read_bytes() == built.read_bytes()


def test_install_takes_the_checked_in_add_in_by_default(tmp_path, monkeypatch, no_excel_to_ask):
    monkeypatch.setenv("APPDATA", str(tmp_path))
    installed = install_addin(platform="win32")
    assert installed.addin.read_bytes() == CHECKED_IN.read_bytes()


def test_install_on_a_mac_also_enables_runpython(built, tmp_path, monkeypatch, no_excel_to_ask):
    import xlwings

    monkeypatch.setenv("HOME", str(tmp_path))
    installed = install_addin(built, platform="darwin")
    assert installed.addin == tmp_path.joinpath(*addin_module.MAC_STARTUP, ADDIN_NAME)
    assert installed.addin.read_bytes() == built.read_bytes()
    script = f"xlwings-{xlwings.__version__}.applescript"
    assert (
        installed.applescript
        == tmp_path / "Library/Application Scripts/com.microsoft.Excel" / script
    )


def test_install_refuses_an_add_in_for_another_xlwings(built, monkeypatch, no_excel_to_ask):
    import xlwings

    monkeypatch.setattr(xlwings, "__version__", "0.0.1")
    with pytest.raises(
        AddinError, match=r"built for xlwings .* but this Python has xlwings 0\.0\.1"
    ):
        install_addin(built, platform="win32")


def test_install_refuses_a_renamed_add_in(built, tmp_path):
    renamed = tmp_path / "scorecard.xlam"
    renamed.write_bytes(built.read_bytes())
    with pytest.raises(AddinError, match=r"must be named xlscorecard\.xlam"):
        install_addin(renamed, platform="win32")


def test_install_copies_the_settings_of_the_old_name_once(
    built, tmp_path, monkeypatch, no_excel_to_ask
):
    """Anyone who set the interpreter in myaddin.conf (the quickstart name the add-in had)
    keeps it: the file is copied to xlscorecard.conf; the old one stays for other add-ins."""
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData" / "Roaming"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    old = tmp_path / ".myaddin" / "myaddin.conf"
    old.parent.mkdir()
    old.write_text('"INTERPRETER_WIN","C:\\Scorecard\\.venv\\Scripts\\pythonw.exe"\n', "utf-8")
    installed = install_addin(built, platform="win32")
    assert installed.settings == tmp_path / ".xlscorecard" / "xlscorecard.conf"
    assert installed.settings.read_text("utf-8") == old.read_text("utf-8") and old.exists()
    installed.settings.write_text("edited since", "utf-8")
    assert install_addin(built, platform="win32").settings is None
    assert installed.settings.read_text("utf-8") == "edited since"


def test_on_a_mac_the_settings_are_copied_within_excels_container(
    built, tmp_path, monkeypatch, no_excel_to_ask
):
    monkeypatch.setenv("HOME", str(tmp_path))
    container = tmp_path / "Library/Containers/com.microsoft.Excel/Data"
    container.mkdir(parents=True)
    (container / "myaddin.conf").write_text('"INTERPRETER_MAC","/usr/bin/python3"\n', "utf-8")
    installed = install_addin(built, platform="darwin")
    assert installed.settings == container / "xlscorecard.conf"


def test_a_ribbon_in_the_office_2007_namespace_fails_the_build(tmp_path):
    """The package's ribbon relationship is of the Office 2010 type, which names a 2009/07
    part: a 2006/01 part would not be the one Excel looks for."""
    macros = tmp_path / "macros"
    macros.mkdir()
    (macros / "ScorecardRibbon.bas").write_text(DISPATCHER.read_text("utf-8"), "utf-8")
    ui = CUSTOM_UI.read_text("utf-8").replace("2009/07/customui", "2006/01/customui")
    (macros / "customUI.xml").write_text(ui, "utf-8")
    with pytest.raises(AddinError, match=r"must be a customUI element in .*2009/07/customui"):
        build_addin(tmp_path / ADDIN_NAME, macros)


def test_every_button_first_says_what_to_do_when_no_workbook_is_open():
    """RunPython with no active workbook stops at VBA run-time error 91 (with a Debug button):
    OnButton, which every button calls, shows a plain message instead."""
    source = DISPATCHER.read_text("utf-8")
    body = source.split("Public Sub OnButton(control As IRibbonControl)", 1)[1]
    body = body.split("End Sub", 1)[0]
    guard, run = body.index("If ActiveWorkbook Is Nothing Then"), body.index("RunPython")
    assert guard < run
    assert "MsgBox" in body[guard:run] and "Exit Sub" in body[guard:run]
    assert set(ribbon_actions(CUSTOM_UI.read_text("utf-8")).values()) == {
        "ScorecardRibbon.OnButton"
    }
