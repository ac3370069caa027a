"""The Excel add-in ``xlscorecard.xlam``: build it on any machine, install it where Excel runs.

The add-in is xlwings' own ribbon add-in (what ``xlwings quickstart NAME --addin --ribbon``
copies), given its own identity as xlwings documents for a custom add-in ("Renaming your add-in"
in xlwings' Custom Add-ins guide), with our ribbon and dispatcher, all from the sources in the
repository's top-level ``macros/`` folder (which the wheel ships in this package's folder):

- the VBA project is named ``xlscorecard`` (not ``MyAddin``), xlwings' ``PROJECT_NAME`` is
  ``xlscorecard`` (so its settings are ``xlscorecard.conf``, not ``myaddin.conf``, and the user
  file is ``~/.xlscorecard/xlscorecard.conf``), the module ``RibbonMyAddin`` is
  ``RibbonXlscorecard`` and the hidden settings sheet ``_xlscorecard.conf``: another unrenamed
  quickstart add-in no longer shares them;
- ``customUI/customUI.xml`` is replaced by ``customUI.xml``: the "Scorecard" tab, in the Office
  2010 namespace (2009/07) that the package's relationship type (xlwings' 2007 one) names;
- the standard module ``ScorecardRibbon.bas`` is added: its ``OnButton`` passes the id of the
  button pressed to ``xlscorecard.on_button``.

Everything else stays as xlwings ships it: the rest of the xlwings VBA module (stamped with the
xlwings version, which every user's Python xlwings must equal), styles, theme. Users' data
workbooks stay macro-free ``.xlsx``: the ribbon lives in the add-in only.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..errors import ScorecardError
from ..store.safe_write import atomic_write
from .cfb import read_compound_file, write_compound_file
from .ovba import VbaProject, VbaProjectError

ADDIN_NAME = "xlscorecard.xlam"
_PACKAGED = Path(__file__).resolve().parent
SOURCES = _PACKAGED if (_PACKAGED / ADDIN_NAME).exists() else _PACKAGED.parents[1] / "macros"
"""The add-in's sources and the built add-in: the repository's ``macros/`` folder, which the
wheel ships in this package's folder (``setup.py`` copies it there)."""
CUSTOM_UI_SOURCE = "customUI.xml"
DISPATCHER_SOURCE = "ScorecardRibbon.bas"
DISPATCHER_MODULE = "ScorecardRibbon"

CUSTOM_UI_PART = "customUI/customUI.xml"
VBA_PART = "xl/vbaProject.bin"
WORKBOOK_PART = "xl/workbook.xml"
ROOT_RELS = "_rels/.rels"
RIBBON_RELATIONSHIPS = {
    "http://schemas.microsoft.com/office/2009/07/customui": (
        "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
    ),
    "http://schemas.microsoft.com/office/2006/01/customui": (
        "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
    ),
}
"""The package relationship that makes Excel read a ribbon part, by the part's namespace: the
Office 2010 one (2009/07, Excel 2010 and later on Windows, 2016 and later on the Mac) and the
Office 2007 one (2006/01). A part whose relationship names the other kind is not the part Excel
looks for (xlwings' quickstart pairs its 2006/01 part with the 2010 type)."""
CUSTOM_UI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
"""The namespace our ribbon is written in: the relationship xlwings ships is of its type."""
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

PROJECT_NAME = "xlscorecard"
"""The add-in's identity: its VBA project's name and xlwings' ``PROJECT_NAME`` (settings)."""
STOCK_PROJECT = "MyAddin"
RIBBON_MODULE = ("RibbonMyAddin", "RibbonXlscorecard")
CONFIG_SHEET = ("_myaddin.conf", f"_{PROJECT_NAME}.conf")
PROJECT_NAME_LINE = 'Public Const PROJECT_NAME As String = "{}"'

# Zip entries get this fixed time stamp, so a build from the same sources gives the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class AddinError(ScorecardError):
    """The add-in cannot be built or installed."""


def _xlwings():
    """xlwings, imported when needed: the rest of the library never imports it."""
    import xlwings

    return xlwings


def stock_addin() -> Path:
    """xlwings' ribbon add-in template, as installed with the xlwings package."""
    xlwings = _xlwings()
    path = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
    if not path.is_file():
        raise AddinError(
            f"xlwings {xlwings.__version__} has no quickstart_addin_ribbon.xlam at {path}: "
            "reinstall xlwings"
        )
    return path


# --- Reading an add-in ------------------------------------------------------------------------


@dataclass
class AddinContents:
    """What matters in an add-in: its ribbon XML and its VBA modules' source."""

    custom_ui: str
    modules: dict[str, str]
    root_relationships: list[tuple[str, str]]  # (type, target)

    @property
    def xlwings_version(self) -> str | None:
        """The xlwings version the add-in's VBA is stamped with."""
        for source in self.modules.values():
            found = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', source)
            if found:
                return found.group(1)
        return None


def read_addin(path: Path) -> AddinContents:
    """Read an add-in's ribbon, VBA module sources and root relationships."""
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            custom_ui = (
                package.read(CUSTOM_UI_PART).decode("utf-8") if CUSTOM_UI_PART in names else ""
            )
            rels = package.read(ROOT_RELS) if ROOT_RELS in names else b""
            vba = package.read(VBA_PART) if VBA_PART in names else None
    except (OSError, zipfile.BadZipFile) as error:
        raise AddinError(f"cannot read the add-in {path}: {error}") from None
    if vba is None:
        raise AddinError(f"{path} has no VBA project ({VBA_PART})")
    streams, _ = read_compound_file(vba)
    project = VbaProject(streams)
    modules = {module.name: project.module_source(module.name) for module in project.modules}
    return AddinContents(custom_ui, modules, _relationships(rels))


def _relationships(xml: bytes) -> list[tuple[str, str]]:
    if not xml:
        return []
    root = ElementTree.fromstring(xml)
    return [
        (rel.get("Type", ""), rel.get("Target", ""))
        for rel in root.iter(f"{{{RELATIONSHIPS_NS}}}Relationship")
    ]


def ribbon_actions(custom_ui: str) -> dict[str, str]:
    """{control id: onAction} for every control of a customUI part that has an onAction."""
    try:
        root = ElementTree.fromstring(custom_ui)
    except ElementTree.ParseError as error:
        raise AddinError(f"the ribbon XML is not well-formed: {error}") from None
    return {
        element.get("id", "?"): element.get("onAction", "")
        for element in root.iter()
        if element.get("onAction") is not None
    }


_SUB = re.compile(
    r"^[ \t]*(?:(?:Public|Private|Friend)[ \t]+)?(?:Static[ \t]+)?Sub[ \t]+(\w+)",
    re.IGNORECASE | re.MULTILINE,
)


def subs(source: str) -> set[str]:
    """The names of the Subs a VBA module's source defines (private ones included)."""
    return set(_SUB.findall(source))


def missing_callbacks(contents: AddinContents) -> dict[str, str]:
    """{control id: onAction} for each onAction that names no Sub of the add-in's VBA.

    ``Module.Sub`` must be a Sub of that module; a bare ``Sub`` may be in any standard module.
    VBA names are case-insensitive."""
    by_module = {
        name.lower(): {sub.lower() for sub in subs(source)}
        for name, source in contents.modules.items()
    }
    everywhere = set().union(*by_module.values()) if by_module else set()
    missing = {}
    for control, action in ribbon_actions(contents.custom_ui).items():
        module, _, sub = action.rpartition(".")
        found = sub.lower() in (by_module.get(module.lower(), set()) if module else everywhere)
        if not found:
            missing[control] = action
    return missing


# --- Building ---------------------------------------------------------------------------------


def build_addin(out: Path, macros: Path = SOURCES, stock: Path | None = None) -> AddinContents:
    """Build the add-in at ``out`` (which must be named ``xlscorecard.xlam``) from xlwings'
    ribbon add-in and the sources in ``macros``; return what was written."""
    out = Path(out)
    if out.name != ADDIN_NAME:
        raise AddinError(
            f"the add-in must be named {ADDIN_NAME}, not {out.name}: its Refresh month button "
            f"runs the Python module named after the file"
        )
    custom_ui = _read_source(macros / CUSTOM_UI_SOURCE)
    dispatcher = _read_source(macros / DISPATCHER_SOURCE)
    _check_custom_ui(custom_ui)

    stock = stock or stock_addin()
    try:
        with zipfile.ZipFile(stock) as package:
            parts = [(info.filename, package.read(info)) for info in package.infolist()]
    except (OSError, zipfile.BadZipFile) as error:
        raise AddinError(f"cannot read xlwings' add-in {stock}: {error}") from None
    contents = dict(parts)
    if VBA_PART not in contents:
        raise AddinError(f"xlwings' add-in {stock} has no {VBA_PART}")

    try:
        streams, clsids = read_compound_file(contents[VBA_PART])
        project = VbaProject(streams)
        rename_project(project)
        project.set_standard_module(DISPATCHER_MODULE, dispatcher)
        vba = write_compound_file(project.stream_bytes(), clsids)
    except VbaProjectError as error:
        raise AddinError(
            f"cannot make xlwings' VBA project into the xlscorecard add-in: {error}"
        ) from None

    namespace = ElementTree.fromstring(custom_ui.encode("utf-8")).tag[1:].split("}")[0]
    rels = _with_ribbon_relationship(contents.get(ROOT_RELS, b""), RIBBON_RELATIONSHIPS[namespace])
    workbook = _renamed_config_sheet(contents.get(WORKBOOK_PART, b""))
    planned = AddinContents(
        custom_ui,
        {module.name: project.module_source(module.name) for module in project.modules},
        _relationships(rels),
    )
    missing = missing_callbacks(planned)
    if missing:
        listed = ", ".join(f"{control} -> {action}" for control, action in missing.items())
        raise AddinError(f"the ribbon calls macros the add-in does not have: {listed}")

    replaced = {
        CUSTOM_UI_PART: custom_ui.encode("utf-8"),
        VBA_PART: vba,
        ROOT_RELS: rels,
        WORKBOOK_PART: workbook,
    }
    names = [name for name, _ in parts] + [n for n in replaced if n not in contents]

    def write(path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                package.writestr(info, replaced.get(name, contents.get(name, b"")))

    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, write)
    return read_addin(out)


def _read_source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AddinError(
            f"{path} not found: build the add-in from a copy of the xlscorecard repository"
        ) from None


def _check_custom_ui(xml: str) -> None:
    try:
        root = ElementTree.fromstring(xml.encode("utf-8"))
    except ElementTree.ParseError as error:
        raise AddinError(f"{CUSTOM_UI_SOURCE} is not well-formed XML: {error}") from None
    if root.tag != f"{{{CUSTOM_UI_NS}}}customUI":
        raise AddinError(f"{CUSTOM_UI_SOURCE} must be a customUI element in {CUSTOM_UI_NS}")


def rename_project(project: VbaProject) -> None:
    """xlwings' documented steps for a custom add-in's identity ("Renaming your add-in"): the
    project's name, xlwings' PROJECT_NAME, the ribbon callbacks' module."""
    project.set_project_name(PROJECT_NAME)
    source = project.module_source("xlwings")
    stock_line = PROJECT_NAME_LINE.format(STOCK_PROJECT.lower())
    if source.count(stock_line) != 1:
        raise VbaProjectError(f"xlwings' VBA module does not say {stock_line} once")
    project.set_standard_module(
        "xlwings", source.replace(stock_line, PROJECT_NAME_LINE.format(PROJECT_NAME))
    )
    project.rename_standard_module(*RIBBON_MODULE)


def _renamed_config_sheet(xml: bytes) -> bytes:
    """The workbook part with xlwings' hidden settings sheet named for the add-in."""
    old, new = (f'name="{name}"'.encode() for name in CONFIG_SHEET)
    if xml.count(old) != 1:
        raise AddinError(f"xlwings' add-in has no single sheet {CONFIG_SHEET[0]}")
    return xml.replace(old, new)


def has_ribbon_relationship(relationships: list[tuple[str, str]], namespace: str) -> bool:
    """Whether the root relationships point Excel at ``customUI/customUI.xml`` with the type
    its namespace calls for."""
    targets = {CUSTOM_UI_PART, "/" + CUSTOM_UI_PART}
    wanted = RIBBON_RELATIONSHIPS.get(namespace)
    return any(kind == wanted and target in targets for kind, target in relationships)


def _with_ribbon_relationship(rels: bytes, kind: str) -> bytes:
    """The package's root relationships, with the one of type ``kind`` that makes Excel load
    the ribbon: Excel ignores, silently, a customUI part it has no relationship of the right
    type for. A relationship to the part of another type is given this one."""
    if not rels:
        rels = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="' + RELATIONSHIPS_NS.encode() + b'"></Relationships>'
        )
    for other in RIBBON_RELATIONSHIPS.values():
        pattern = (
            rb'Type="'
            + re.escape(other.encode())
            + rb'" Target="/?'
            + re.escape(CUSTOM_UI_PART.encode())
            + b'"'
        )
        rels = re.sub(pattern, f'Type="{kind}" Target="{CUSTOM_UI_PART}"'.encode(), rels)
    if any(k == kind and t.lstrip("/") == CUSTOM_UI_PART for k, t in _relationships(rels)):
        return rels
    ids = set(re.findall(rb'Id="([^"]+)"', rels))
    number = 1
    while f"rId{number}".encode() in ids:
        number += 1
    relationship = (
        f'<Relationship Id="rId{number}" Type="{kind}" Target="{CUSTOM_UI_PART}" />'
    ).encode()
    return rels.replace(b"</Relationships>", relationship + b"</Relationships>")


# --- Installing -------------------------------------------------------------------------------

# Where Excel opens add-ins from at start-up when it cannot be asked (see xlstart_folder).
WINDOWS_XLSTART = ("Microsoft", "Excel", "XLSTART")  # under %APPDATA%
MAC_STARTUP = (
    "Library",
    "Group Containers",
    "UBF8T346G9.Office",
    "User Content.localized",
    "Startup.localized",
    "Excel",
)
MAC_APPLESCRIPTS = ("Library", "Application Scripts", "com.microsoft.Excel")


MAC_CONTAINER = ("Library", "Containers", "com.microsoft.Excel", "Data")


@dataclass
class Installed:
    addin: Path
    applescript: Path | None = None
    settings: Path | None = None
    """The user settings file copied from the add-in's old (xlwings quickstart) name, if any."""


def settings_file(name: str, platform: str = sys.platform) -> Path:
    """Where xlwings' VBA reads the user settings of an add-in whose PROJECT_NAME is ``name``:
    ``%USERPROFILE%\\.name\\name.conf`` on Windows, Excel's container on the Mac."""
    if platform.startswith("win"):
        profile = os.environ.get("USERPROFILE") or str(Path.home())
        return Path(profile, f".{name}", f"{name}.conf")
    return Path.home().joinpath(*MAC_CONTAINER, f"{name}.conf")


def migrate_settings(platform: str = sys.platform) -> Path | None:
    """Copy the settings of the add-in's old name (``myaddin.conf``) to its own
    (``xlscorecard.conf``) when only the old file exists; the old one stays, for any other
    quickstart add-in that may still read it. Returns the new file if it copied one."""
    old = settings_file(STOCK_PROJECT.lower(), platform)
    new = settings_file(PROJECT_NAME, platform)
    if new.exists() or not old.is_file():
        return None
    try:
        new.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(old, new)
    except OSError as error:
        raise AddinError(
            f"installed the add-in, but could not copy its settings {old} to {new}: {error}. "
            "Copy that file there by hand"
        ) from None
    return new


def xlstart_folder(platform: str = sys.platform) -> Path:
    """The user's start-up folder of Excel. Like ``xlwings addin install``, ask Excel
    (``Application.StartupPath``, starting a hidden Excel if none is running); when that fails,
    use the usual place."""
    try:
        from xlwings.cli import get_addin_dir

        return Path(get_addin_dir())
    except Exception:  # no Excel to ask: Excel missing, automation refused, ...
        pass
    if platform.startswith("win"):
        appdata = os.environ.get("APPDATA")
        if not appdata:
            raise AddinError("cannot find the XLSTART folder: %APPDATA% is not set")
        return Path(appdata, *WINDOWS_XLSTART)
    return Path.home().joinpath(*MAC_STARTUP)


def install_addin(source: Path | None = None, platform: str = sys.platform) -> Installed:
    """Copy the add-in into Excel's start-up folder (XLSTART), as ``xlwings addin install``
    does; on a Mac also put xlwings' AppleScript where Excel lets RunPython call it (what
    ``xlwings runpython install`` does). Excel loads the add-in the next time it starts."""
    if not platform.startswith(("win", "darwin")):
        system = "Linux" if platform.startswith("linux") else platform
        raise AddinError(
            f"there is no Excel on {system}: copy {ADDIN_NAME} (from macros/) to a "
            "Windows or Mac computer and install it there (see docs/excel-addin.md)"
        )
    source = Path(source) if source else _checked_in_addin()
    if not source.is_file():
        raise AddinError(
            f"{source} not found: give the add-in's path with --file, or build it with "
            "'xlscorecard addin build'"
        )
    if source.name != ADDIN_NAME:
        raise AddinError(
            f"the add-in must be named {ADDIN_NAME}, not {source.name}: its Refresh month "
            "button runs the Python module named after the file"
        )
    xlwings = _xlwings()
    stamped = read_addin(source).xlwings_version
    if stamped != xlwings.__version__:
        raise AddinError(
            f"{source} was built for xlwings {stamped}, but this Python has xlwings "
            f"{xlwings.__version__}: the two must be the same. Rebuild it with "
            "'xlscorecard addin build', or install the xlwings version it was built for"
        )

    folder = xlstart_folder(platform)
    _close_in_excel(ADDIN_NAME)
    target = folder / ADDIN_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # A plain copy: the file's contents only, so no "downloaded from the internet" mark.
        atomic_write(target, lambda temporary: shutil.copyfile(source, temporary))
    except (OSError, ScorecardError) as error:
        raise AddinError(
            f"cannot copy the add-in to {target}: {error}. If Excel is running, quit it "
            "and try again"
        ) from None

    applescript = None
    if platform.startswith("darwin"):
        script = Path(xlwings.__file__).parent / f"xlwings-{xlwings.__version__}.applescript"
        folder = Path.home().joinpath(*MAC_APPLESCRIPTS)
        applescript = folder / script.name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(script, applescript)
        except OSError as error:
            raise AddinError(
                f"installed the add-in, but could not copy {script.name} to {folder}: {error}. "
                "Run 'xlwings runpython install' instead"
            ) from None
    return Installed(target, applescript, migrate_settings(platform))


def _checked_in_addin() -> Path:
    """The add-in shipped with the package."""
    return SOURCES / ADDIN_NAME


def _close_in_excel(name: str) -> None:
    """Close the add-in in every running Excel so it can be replaced (as xlwings does)."""
    with contextlib.suppress(Exception):  # no Excel, or none that can be reached
        for app in _xlwings().apps:
            with contextlib.suppress(Exception):  # not open in this one
                app.books[name].close()
