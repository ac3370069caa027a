"""openpyxl's private API is reached in one module, ``xlsx/openpyxl_private.py``, and only with
the openpyxl it was written for: with another, a command stops with an ``Error:`` naming it."""

from __future__ import annotations

import ast
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from tests.support.paths import ROOT
from xlscorecard.cli import cli
from xlscorecard.xlsx import openpyxl_private

PACKAGE = ROOT / "xlscorecard"
HOME = Path(openpyxl_private.__file__)
NAMED_TUPLE = {"_replace", "_asdict", "_fields", "_make"}
"""Underscored names that are public API (of a named tuple), not anyone's insides."""


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in NAMED_TUPLE


def private_reaches(source: str) -> list[str]:
    """Where ``source`` reaches a private name: of another object (``sheet._cells``,
    ``super()._write()``, ``getattr(x, "_from")``), a keyword of an openpyxl class
    (``TwoCellAnchor(_from=...)``), or a method with a private name in a class made from an
    openpyxl one (an override of its insides); or replaces a function of an openpyxl module."""
    tree = ast.parse(source)
    openpyxl_names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"))
        or isinstance(node, ast.Import)
        for alias in node.names
        if isinstance(node, ast.ImportFrom) or alias.name.startswith("openpyxl")
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Assign):  # openpyxl's own functions replaced: a monkeypatch
            found += [
                f"line {node.lineno}: {ast.unparse(target)} ="
                for target in node.targets
                if isinstance(target, ast.Attribute)
                and getattr(target.value, "id", "") in openpyxl_names
            ]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in openpyxl_names:
            found += [
                f"line {node.lineno}: {keyword.arg}="
                for keyword in node.keywords
                if keyword.arg and _private(keyword.arg)
            ]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in (
            "getattr", "setattr", "hasattr", "delattr",
        ):  # fmt: skip
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.Constant) and _private(str(name.value)):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif (
            isinstance(node, ast.ClassDef) and {ast.unparse(b) for b in node.bases} & openpyxl_names
        ):
            found += [
                f"line {item.lineno}: {node.name}.{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef) and _private(item.name)
            ]
    return found


def test_only_openpyxl_private_reaches_inside_openpyxl():
    found = {
        str(path.relative_to(ROOT)): reaches
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != HOME and (reaches := private_reaches(path.read_text("utf-8")))
    }
    assert found == {}


def test_the_search_finds_each_kind_of_private_reach():
    source = """
from openpyxl.chart import LineChart
from openpyxl.drawing.spreadsheet_drawing import TwoCellAnchor as Anchor
from openpyxl.reader import excel
excel.find_images = skipping
sheet._cells[(1, 1)] = cell
anchor = Anchor(_from=marker)
start = getattr(anchor, "_from", None)
class Chart(LineChart):
    def _write(self):
        return super()._write()
"""
    assert len(private_reaches(source)) == 6
    assert private_reaches(HOME.read_text("utf-8"))


def test_another_openpyxl_is_refused_naming_its_version(tmp_path, monkeypatch):
    monkeypatch.setattr(openpyxl, "__version__", "3.2.0")
    output = tmp_path / "dataset.xlsx"
    result = CliRunner().invoke(
        cli,
        ["build", str(ROOT / "samples" / "southampton"), "--month", "2020-08", "-o", str(output)],
    )
    assert result.exit_code == 2
    assert result.output.startswith("Error: openpyxl 3.2.0 is installed, but xlscorecard works")
    assert "openpyxl 3.1 only" in result.output and "nothing was changed" in result.output
    assert not output.exists()


def test_the_openpyxl_installed_is_the_one_written_for():
    openpyxl_private.check_version()
    assert openpyxl.__version__.startswith("3.1.")
