"""The package's parts are what docs/architecture.md says. Its table of parts (lowest first, and
what is pure) is read here, so that the doc and the tests cannot disagree: subpackages for the
parts, few loose modules, imports that only run one way, and pure parts free of Excel, file and
command-line libraries and of the clock."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

PACKAGE = ROOT / "xlscorecard"
DOC = ROOT / "docs" / "architecture.md"
HEADER = "| layer | part | pure | holds |"


def parts_table(text: str) -> dict[str, tuple[str, str, str]]:
    """The architecture doc's table of parts: part (``model``; ``""`` for the top level) ->
    (layer, pure, holds), as written."""
    lines = text.splitlines()
    table = {}
    for line in lines[lines.index(HEADER) + 2 :]:  # after the header and its rule
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 4, f"a row of the table of parts with {len(cells)} cells: {line}"
        layer, label, pure, holds = cells
        names = quoted(label)
        table[names[0].rstrip("/") if names else ""] = (layer, pure, holds)
    return table


def quoted(text: str) -> list[str]:
    """What ``text`` puts in backticks."""
    return re.findall(r"`([^`]+)`", text)


TABLE = parts_table(DOC.read_text("utf-8"))
LAYERS = sorted((part for part in TABLE if part), key=lambda part: int(TABLE[part][0]))
"""Lowest first, as the doc numbers them: a part may import the parts before it, never one
after it."""
PURE = tuple(part for part in LAYERS if TABLE[part][1] == "yes")
PURE_MODULES = {
    ".".join(["xlscorecard", *filter(None, [part]), name.removesuffix(".py")])
    for part, (_, pure, _) in TABLE.items()
    for name in quoted(pure)
}
"""The pure modules the doc names one by one: of a part that also has adapters (caselevel's
counting rules, whose readers, mapping and job are adapters) and at the top level (spc)."""
ADAPTER_LIBRARIES = {
    "openpyxl", "xlwings", "click", "tomli_w", "olefile", "pandas", "getpass", "lxml",
    "defusedxml", "zipfile", "subprocess",
}  # fmt: skip
CLOCK = re.compile(
    r"(^|\.)(datetime|date)\.(now|today|utcnow)$"
    r"|^time\.(time|time_ns)$|^os\.getlogin$|^getpass(\.|$)"
)
"""A name, or a name imported, that reads the clock or the login: ``dt.datetime.now``,
``date.today``, ``time.time``, ``os.getlogin``, ``getpass``."""


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


PURE_NAMES = sorted(name for name in MODULES if part_of(name) in PURE or name in PURE_MODULES)
"""Every pure module: of the pure parts, and those the doc names one by one."""


def test_the_parts_are_subpackages_with_few_modules_loose_at_the_top():
    subpackages = [p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()]
    loose = [p.name for p in PACKAGE.glob("*.py")]
    assert set(LAYERS) <= set(subpackages)
    assert len(loose) <= 6, loose


def test_the_doc_has_a_row_for_every_part_of_the_package():
    subpackages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    missing = sorted(subpackages - set(LAYERS))
    assert not missing, f"parts missing from {DOC.name}: {missing}"


@pytest.mark.parametrize("part", sorted(TABLE))
def test_every_module_the_doc_names_exists(part):
    _, pure, holds = TABLE[part]
    folder = PACKAGE / part if part else PACKAGE
    named = [name for name in quoted(pure) + quoted(holds) if name.endswith(".py")]
    missing = [name for name in named if not list(folder.glob(re.sub(r"<[^>]*>", "*", name)))]
    assert not missing, f"{DOC.name} names modules of {part or 'the top'} not there: {missing}"


def clock_reads(tree: ast.AST) -> list[str]:
    """Every name in ``tree`` that reads the clock or the login (:data:`CLOCK`)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts, value = [node.attr], node.value
            while isinstance(value, ast.Attribute):
                parts.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name):
                found.append(".".join([value.id, *reversed(parts)]))
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return [name for name in found if CLOCK.search(name)]


SHARED_TOP = {"xlscorecard.errors", "xlscorecard.version", "xlscorecard.spc"}
"""The top-level modules a part may import: the entry points (``cli``, ``api``, the package's
``__init__``) sit above every part."""


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_part_imports_from_the_top_level_only_errors_version_and_spc(name):
    if part_of(name) not in LAYERS:
        return
    top = {target for target in GRAPH[name] & MODULES.keys() if part_of(target) not in LAYERS}
    assert top <= SHARED_TOP, f"{name} imports {sorted(top - SHARED_TOP)}"


@pytest.mark.parametrize("name", PURE_NAMES)
def test_a_pure_part_reads_no_clock_or_login(name):
    """Who and when come from the adapters; pure code is told them."""
    assert not clock_reads(ast.parse(MODULES[name].read_text("utf-8"))), name


ADDRESS_MAKERS = {"cell", "month_cell", "sheet_cell", "address"}
"""What makes a cell's address: the layout's methods and ``address``."""


def addresses_made(function: ast.FunctionDef) -> set[str]:
    """The address makers ``function`` calls, and ``SHEET`` if it spells a sheet's cell."""
    called = {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
    }
    named = {node.id for node in ast.walk(function) if isinstance(node, ast.Name)}
    return (called & ADDRESS_MAKERS) | (named & {"SHEET"})


RULES = sorted(name for name in MODULES if name.startswith("xlscorecard.checks.rule_"))


@pytest.mark.parametrize("name", RULES)
def test_a_rule_says_what_it_found_about_and_the_layout_makes_the_address(name):
    """A rule's problem names ref, month and field; the engine asks the layout for the cell."""
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    for function in tree.body:
        if isinstance(function, ast.FunctionDef) and not function.name.startswith("test"):
            made = addresses_made(function)
            assert not made, f"{name}.{function.name} makes an address: {sorted(made)}"


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


@pytest.mark.parametrize("name", PURE_NAMES)
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


@pytest.mark.parametrize("name", sorted(n for n in PURE_MODULES if part_of(n) == "caselevel"))
def test_caselevel_counting_rules_import_only_pure_modules(name):
    """The rules take records and give figures: no reader, file helper or writer under them."""
    ours = {target for target in GRAPH[name] if target in MODULES}
    allowed = PURE_MODULES | {m for m in MODULES if part_of(m) in PURE} | {"xlscorecard.errors"}
    assert ours <= allowed, f"{name} imports {sorted(ours - allowed)}"
