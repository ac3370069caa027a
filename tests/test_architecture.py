"""The package's parts are what docs/architecture.md says: subpackages for the parts, few loose
modules, imports that only run one way, and pure parts free of Excel, file and CLI libraries."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

PACKAGE = ROOT / "xlscorecard"
PURE = ("model", "calc", "workbook", "checks", "jobs")
PURE_MODULES = {
    f"xlscorecard.caselevel.{name}"
    for name in ("records", "dates", "workdays", "conventions", "measures")
}
"""The pure modules of a part that also has adapters: caselevel's counting rules (its file
readers, mapping and job are adapters, above ``files``)."""
ADAPTER_LIBRARIES = {"openpyxl", "xlwings", "click", "tomli_w", "olefile", "pandas", "getpass"}
LAYERS = [
    "model", "calc", "workbook", "checks", "jobs", "store", "datadir", "caselevel", "xlsx",
    "returns", "app", "excel", "addin", "lint",
]  # fmt: skip
"""Lowest first: a part may import the parts before it, never one after it."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports(name: str) -> set[str]:
    """Every module ``name`` imports, anywhere in its file (package modules in full)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names} & MODULES.keys()
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


GRAPH = {name: imports(name) for name in MODULES}


def part_of(name: str) -> str:
    return name.split(".")[1] if name.count(".") >= 1 else ""


def test_the_parts_are_subpackages_with_few_modules_loose_at_the_top():
    subpackages = [p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()]
    loose = [p.name for p in PACKAGE.glob("*.py")]
    assert set(LAYERS) <= set(subpackages)
    assert len(loose) <= 6, loose


def test_no_module_imports_itself_round_a_cycle():
    def visit(name: str, trail: list[str]) -> None:
        for target in sorted(GRAPH[name] & MODULES.keys()):
            if target in trail:
                pytest.fail("import cycle: " + " -> ".join([*trail[trail.index(target) :], target]))
            visit(target, [*trail, target])

    sys.setrecursionlimit(10_000)
    for name in MODULES:
        visit(name, [name])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_part_imports_only_the_parts_below_it(name):
    mine = part_of(name)
    if mine not in LAYERS:
        return  # the top level (cli, errors, version) may use any part
    for target in GRAPH[name] & MODULES.keys():
        theirs = part_of(target)
        if theirs in LAYERS and theirs != mine:
            assert LAYERS.index(theirs) < LAYERS.index(mine), f"{name} imports {target}"


@pytest.mark.parametrize(
    "name",
    sorted(n for n in MODULES if part_of(n) in PURE or n == "xlscorecard.spc" or n in PURE_MODULES),
)
def test_a_pure_part_reaches_no_excel_file_or_command_line_library(name):
    seen, todo = set(), [name]
    while todo:
        for target in GRAPH[todo.pop()]:
            if target not in seen:
                seen.add(target)
                if target in MODULES:
                    todo.append(target)
    reached = {target.split(".")[0] for target in seen if target not in MODULES}
    assert not reached & ADAPTER_LIBRARIES, f"{name} reaches {reached & ADAPTER_LIBRARIES}"


@pytest.mark.parametrize("name", sorted(PURE_MODULES))
def test_caselevel_counting_rules_import_only_pure_modules(name):
    """The rules take records and give figures: no reader, file helper or writer under them."""
    ours = {target for target in GRAPH[name] if target in MODULES}
    allowed = PURE_MODULES | {m for m in MODULES if part_of(m) in PURE} | {"xlscorecard.errors"}
    assert ours <= allowed, f"{name} imports {sorted(ours - allowed)}"
