"""A return's checksum in its file: saving it in, and checking it from what the file shows.

A return saved now holds checksum form 2 (:data:`~xlscorecard.jobs.checksum.FORM` in its
properties): the SHA-256 of the canonical view of its package (:mod:`.canonical`, the standard
library alone), the same on any install. A return saved before holds the first form, taken
over openpyxl's view (:mod:`.openpyxl_view`) as lxml or the standard library spelt it: both
spellings are tried.
"""

from __future__ import annotations

import re
import secrets
import zipfile
from pathlib import Path

from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.workbook import Workbook

from ..errors import WorkbookError
from ..jobs.checksum import (
    CHECKSUM_PROPERTIES,
    FORM,
    PROPERTY_BOOK,
    PROPERTY_CHECKSUM,
    PROPERTY_FORM,
    PROPERTY_SHEET,
    BookView,
    digests,
)
from ..jobs.return_changes import Verification, check_view
from ..workbook import schema as sheets
from ..workbook.layout import SHEET
from ..xlsx.reader import read_workbook
from ..xlsx.save import write_workbook
from .canonical import package_view
from .openpyxl_view import SPELLINGS, book_view

CORE_PART = "docProps/core.xml"


def save_checksummed(book: Workbook, plan, path: Path) -> str:
    """Save the return ``book`` at ``path`` with its checksum (``plan.checksum_cell``: its
    (row, column)). It is saved with a unique placeholder in the checksum cell and properties;
    what the file shows is hashed; the placeholders in the saved package are replaced by the
    checksums (the in-memory book gets them too)."""
    nonce = secrets.token_hex(12)
    checksum = book[SHEET].cell(*plan.checksum_cell)
    placeholders = {f"unset-{nonce}-cell": ""}
    checksum.value = next(iter(placeholders))
    props = book.custom_doc_props
    if PROPERTY_FORM not in props.names:  # a book made before form 2 (a forgery's, a test's)
        props.append(StringProperty(name=PROPERTY_FORM, value=FORM))
    for index, item in enumerate(props.props):
        if item.name.startswith(CHECKSUM_PROPERTIES):
            item.value = f"unset-{nonce}-{index}"
            placeholders[item.value] = item.name
    write_workbook(book, path)
    _modified_when_created(path)
    sums = digests(package_view(path), (SHEET, checksum.coordinate))
    values = {PROPERTY_CHECKSUM: sums.total, PROPERTY_BOOK: sums.book}
    values.update({PROPERTY_SHEET.format(name=n): digest for n, digest in sums.sheets.items()})
    final = {token: values.get(name, sums.total) for token, name in placeholders.items()}
    checksum.value = sums.total
    for item in props.props:
        item.value = final.get(item.value, item.value)
    _replace_in_package(path, final)
    return sums.total


def _modified_when_created(path: Path) -> None:
    """The return's "last modified" property set to when it was made (its "created": the
    save's own time) rather than the moment openpyxl wrote it, so that the same return saved
    a second later, or by another front end, shows and digests the same."""
    with zipfile.ZipFile(path) as package:
        core = package.read(CORE_PART).decode("utf-8")
    created = re.search(r"<dcterms:created[^>]*>([^<]*)</dcterms:created>", core)
    modified = re.search(r"(<dcterms:modified[^>]*>)([^<]*)(</dcterms:modified>)", core)
    if created and modified and created.group(1) != modified.group(2):
        opening, _, closing = modified.groups()
        _replace_in_package(path, {modified.group(0): opening + created.group(1) + closing})


def _replace_in_package(path: Path, replacements: dict[str, str]) -> None:
    with zipfile.ZipFile(path) as package:
        parts = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts:
            for old, new in replacements.items():
                if old.encode() in data:
                    data = data.replace(old.encode(), new.encode())
            package.writestr(info, data)


def read_return(path: Path) -> BookView:
    """The canonical view of the return at ``path``; an error when it is not a workbook or
    is a working workbook."""
    path = Path(path)
    if not path.exists():
        raise WorkbookError(f"{path} does not exist")
    if not zipfile.is_zipfile(path):
        raise WorkbookError(f"{path} is not an Excel workbook (.xlsx)")
    view = package_view(path)
    settings = view.sheet(sheets.SETTINGS)
    if settings is not None and any(
        column == 1 and row > 1 and value == sheets.FORMAT_KEY
        for row, column, _, value, _ in settings.cells
    ):
        raise WorkbookError(
            f"{path} is a working workbook, not a return: verify checks an official return "
            f"saved by xlscorecard save-return (it is the return that readers are sent)"
        )
    return view


def is_canonical(view: BookView) -> bool:
    """Whether the return's checksum was taken in form 2 (the canonical form)."""
    return view.properties.get(f"custom {PROPERTY_FORM}") == FORM


def check_file(path: Path, view: BookView) -> Verification:
    """The return's own checksum recomputed from what it shows (``view``: its canonical view),
    in the form it was saved with."""
    if is_canonical(view):
        return check_view(str(path), view)
    book = load_return(path)
    results = []
    for spelling in SPELLINGS:
        results.append(check_view(str(path), book_view(book, path, spelling)))
        if results[-1].intact:
            return results[-1]
    return min(results, key=lambda result: len(result.changed))


def load_return(path: Path) -> Workbook:
    """The return at ``path`` as openpyxl reads it (an error for a damaged file)."""
    return read_workbook(path)
