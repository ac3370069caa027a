"""xlwings Lite's code in a workbook: a ``main.py`` with one script per Scorecard button and a
fully pinned ``requirements.txt``, stored where and as xlwings Lite stores them.

xlwings Lite (the add-in ``WA200008175`` of the Office add-in store) keeps a workbook's code in
the document settings of its web extension, as Office.js keeps every add-in's settings:

- ``xl/webextensions/webextension1.xml`` (content type ``application/vnd.ms-office.webextension
  +xml``): a ``we:webextension`` whose ``we:reference`` names the store's add-in
  (``id="wa200008175" storeType="OMEX"``) and whose ``we:properties`` hold one ``we:property``
  per setting, ``main.py`` and ``requirements.txt`` among them, each value the text as JSON;
- ``xl/webextensions/taskpanes.xml`` (``...webextensiontaskpanes+xml``): the task pane that
  opens it, linked from the package's root relationships (type ``.../office/2011/relationships/
  webextensiontaskpanes``) and linking to the web extension (``.../2011/relationships/
  webextension``, in ``xl/webextensions/_rels/taskpanes.xml.rels``).

openpyxl drops these parts; every save puts them back (:mod:`xlscorecard.xlsx.carry_over`). xlwings'
Office.js client has no action that protects or unprotects a sheet and Lite runs no VBA, so a
workbook carrying the Lite code is saved with its Dataset sheet unprotected
(:func:`unguard_for_lite`): Validate's formula repair and the input cells' validation guard it.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, replace
from importlib import metadata
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from openpyxl.workbook.workbook import Workbook

from ..errors import WorkbookError
from ..version import __version__
from ..workbook.layout import SHEET
from .carry_over import Carried

STORE_ID = "WA200008175"
"""xlwings Lite in the Office add-in store (AppSource)."""
MAIN = "main.py"
REQUIREMENTS = "requirements.txt"
FOLDER = "xl/webextensions/"
TASKPANES = f"{FOLDER}taskpanes.xml"
TASKPANES_RELS = f"{FOLDER}_rels/taskpanes.xml.rels"
ROOT_RELS = "_rels/.rels"
WE = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"
WETP = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TASKPANES_LINK = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
WEBEXTENSION_LINK = "http://schemas.microsoft.com/office/2011/relationships/webextension"
TASKPANES_TYPE = "application/vnd.ms-office.webextensiontaskpanes+xml"
WEBEXTENSION_TYPE = "application/vnd.ms-office.webextension+xml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

BUTTONS = {
    "refresh_month": ("Refresh month", "refresh_month"),
    "validate": ("Validate", "validate"),
    "save_return": ("Save return", "save_return"),
    "show_help": ("Help", "show_help"),
}
"""Each script of ``main.py``: (the ribbon's name for it, the function of
:mod:`xlscorecard.excel.buttons` it calls)."""


@dataclass(frozen=True)
class LiteCode:
    """What xlwings Lite runs: its ``main.py`` and ``requirements.txt``."""

    main: str
    requirements: str

    @property
    def version(self) -> str | None:
        """The xlscorecard version ``requirements.txt`` pins, if any."""
        found = re.search(r"^xlscorecard==(\S+)", self.requirements, re.MULTILINE)
        return found.group(1) if found else None


def main_py(version: str = __version__) -> str:
    """The ``main.py``: one ``@script`` per button, each a thin call into
    :mod:`xlscorecard.excel.buttons` with ``lite=True``."""
    scripts = "".join(
        f'\n\n@script(name="{name}")\ndef {function}(book: xw.Book):\n'
        f"    buttons.{call}(book, lite=True)\n"
        for function, (name, call) in BUTTONS.items()
    )
    return (
        f'"""The Scorecard buttons for xlwings Lite, put here by xlscorecard {version}.\n\n'
        "Each runs the xlscorecard package that requirements.txt pins. To update both, run\n"
        "`xlscorecard lite WORKBOOK` with a newer xlscorecard: it replaces this code.\n"
        '"""\n\nimport xlwings as xw\nfrom xlwings import script\n\n'
        f"from xlscorecard.excel import buttons\n{scripts}"
    )


def requirements(version: str = __version__) -> str:
    """``requirements.txt``: xlscorecard at ``version`` and every package it needs, each at
    the version installed here (the ones it was tested with). Requirements with an
    environment marker are left out: xlscorecard's dependencies mark only what Windows or a
    Mac need (pywin32, appscript, psutil, colorama), never what Pyodide needs."""
    pins: dict[str, str] = {}
    waiting = ["xlscorecard"]
    while waiting:
        name = waiting.pop()
        for line in metadata.requires(name) or []:
            if ";" in line:
                continue
            wanted = re.split(r"[\s<>=!~\[(]", line.strip(), maxsplit=1)[0]
            key = _canonical(wanted)
            if key not in pins:
                pins[key] = f"{metadata.distribution(wanted).metadata['Name']}=={_version(wanted)}"
                waiting.append(wanted)
    lines = [f"xlscorecard=={version}", *(pins[key] for key in sorted(pins))]
    return "\n".join(lines) + "\n"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _version(name: str) -> str:
    return metadata.version(name)


def this_code() -> LiteCode:
    """This xlscorecard's Lite code."""
    return LiteCode(main_py(), requirements())


# -- reading ----------------------------------------------------------------------------------
def lite_part(parts: Carried) -> str | None:
    """The web extension part that is xlwings Lite's, if the workbook carries one."""
    for name in sorted(parts.parts):
        candidate = name.startswith(FOLDER) and name.endswith(".xml") and "/_rels/" not in name
        if candidate and name != TASKPANES and _is_lite(parts.parts[name]):
            return name
    return None


def _is_lite(xml: bytes) -> bool:
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return False
    return any(
        (item.get("id") or "").upper() == STORE_ID for item in root.iter(f"{{{WE}}}reference")
    )


def lite_code(parts: Carried) -> LiteCode | None:
    """The Lite code a workbook carries (None where it carries no Lite web extension)."""
    name = lite_part(parts)
    if name is None:
        return None
    settings = properties(parts.parts[name])
    return LiteCode(settings.get(MAIN, ""), settings.get(REQUIREMENTS, ""))


def properties(xml: bytes) -> dict[str, str]:
    """A web extension's settings, each decoded from its JSON (text as it is otherwise)."""
    found = {}
    for item in ElementTree.fromstring(xml).iter(f"{{{WE}}}property"):
        value = item.get("value", "")
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = value
        found[item.get("name", "")] = decoded if isinstance(decoded, str) else value
    return found


def carries_lite(parts: Carried) -> bool:
    return lite_part(parts) is not None


def unguard_for_lite(workbook: Workbook, parts: Carried) -> None:
    """A workbook carrying the Lite code is saved with its Dataset sheet unprotected (see the
    module's docstring)."""
    if carries_lite(parts) and SHEET in workbook.sheetnames:
        workbook[SHEET].protection.sheet = False


# -- writing ----------------------------------------------------------------------------------
def with_lite_code(parts: Carried, code: LiteCode) -> Carried:
    """``parts`` with ``code`` as the workbook's Lite code: put into its Lite web extension
    (its other settings kept), or a new web extension and task pane (beside any other
    add-in's)."""
    name = lite_part(parts)
    if name is not None:
        xml = _set_properties(parts.parts[name], {MAIN: code.main, REQUIREMENTS: code.requirements})
        return replace(parts, parts={**parts.parts, name: xml})
    numbers = [
        int(found.group(1))
        for part in parts.parts
        if (found := re.fullmatch(rf"{FOLDER}webextension(\d+)\.xml", part))
    ]
    number = max(numbers, default=0) + 1
    extension = f"webextension{number}.xml"
    new = dict(parts.parts)
    new[FOLDER + extension] = _webextension(code).encode("utf-8")
    if TASKPANES in new:
        link = _add_link(new, TASKPANES_RELS, WEBEXTENSION_LINK, extension)
        pane = _taskpane(link, row=number, declared=False).encode()
        new[TASKPANES], found = re.subn(
            rb"(</(?:[\w.-]+:)?taskpanes\s*>)", lambda end: pane + end.group(1), new[TASKPANES]
        )
        if found != 1:
            raise WorkbookError(
                f"{TASKPANES} is not a list of task panes xlscorecard can add to: nothing was "
                "changed. Remove the other add-in from the workbook, or add xlwings Lite's code "
                "in Excel."
            )
        links = parts.links
    else:
        link = _add_link(new, TASKPANES_RELS, WEBEXTENSION_LINK, extension)
        new[TASKPANES] = (
            f'{HEAD}<wetp:taskpanes xmlns:wetp="{WETP}">{_taskpane(link, row=0)}</wetp:taskpanes>'
        ).encode()
        root = [*parts.links.get(ROOT_RELS, [])]
        root.append({"Type": TASKPANES_LINK, "Target": TASKPANES, "Id": "rIdLite"})
        links = {**parts.links, ROOT_RELS: root}
    types = {
        **parts.types,
        f"/{TASKPANES}": TASKPANES_TYPE,
        f"/{FOLDER}{extension}": WEBEXTENSION_TYPE,
    }
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml"}
    return Carried(new, links, types, {**parts.defaults, **defaults})


def _webextension(code: LiteCode) -> str:
    instance = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "xlscorecard/xlwings-lite")).upper() + "}"
    settings = "".join(
        _property(name, text)
        for name, text in ((MAIN, code.main), (REQUIREMENTS, code.requirements))
    )
    return (
        f'{HEAD}<we:webextension xmlns:we="{WE}" id="{instance}">'
        f'<we:reference id="{STORE_ID.lower()}" version="1.0.0.0" store="en-US" '
        'storeType="OMEX"/><we:alternateReferences>'
        f'<we:reference id="{STORE_ID}" version="1.0.0.0" store="{STORE_ID}" storeType="OMEX"/>'
        f"</we:alternateReferences><we:properties>{settings}</we:properties><we:bindings/>"
        f'<we:snapshot xmlns:r="{R}"/></we:webextension>'
    )


def _property(name: str, text: str) -> str:
    value = escape(json.dumps(text, ensure_ascii=False), {'"': "&quot;"})
    return f'<we:property name="{escape(name)}" value="{value}"/>'


def _set_properties(xml: bytes, settings: dict[str, str]) -> bytes:
    text = xml.decode("utf-8")
    for name, value in settings.items():
        pattern = re.compile(rf'<we:property name="{re.escape(escape(name))}" value="[^"]*"\s*/>')
        new = _property(name, value)
        found = pattern.search(text)
        if found:
            text = text[: found.start()] + new + text[found.end() :]
        elif "<we:properties/>" in text:
            text = text.replace("<we:properties/>", f"<we:properties>{new}</we:properties>", 1)
        else:
            text = text.replace("</we:properties>", f"{new}</we:properties>", 1)
    return text.encode("utf-8")


def _taskpane(link: str, row: int, declared: bool = True) -> str:
    """A task pane element (``declared`` False: it declares its own namespace, to sit in
    another add-in's list whatever prefix that uses)."""
    own = "" if declared else f' xmlns:wetp="{WETP}"'
    return (
        f'<wetp:taskpane{own} dockstate="right" visibility="1" width="350" row="{row}">'
        f'<wetp:webextensionref xmlns:r="{R}" r:id="{link}"/></wetp:taskpane>'
    )


def _add_link(parts: dict[str, bytes], rels: str, kind: str, target: str) -> str:
    """Add a relationship to ``rels`` (made if missing); its id."""
    text = parts.get(rels, f'{HEAD}<Relationships xmlns="{PACKAGE_RELS}"></Relationships>'.encode())
    decoded = text.decode("utf-8")
    taken = set(re.findall(r'\bId="([^"]*)"', decoded))
    link = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
    element = f'<Relationship Id="{link}" Type="{kind}" Target="{target}"/>'
    if "</Relationships>" not in decoded:  # <Relationships .../>
        decoded = re.sub(
            r"<Relationships([^>]*?)\s*/>", r"<Relationships\1></Relationships>", decoded
        )
    decoded = decoded.replace("</Relationships>", f"{element}</Relationships>", 1)
    parts[rels] = decoded.encode("utf-8")
    return link
