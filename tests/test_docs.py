"""docs/cli.md documents every command with an example, and every example's output and exit
status are true; so are the README's examples of the month."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.paths import ROOT
from xlscorecard.cli import cli

DOCS = ROOT / "docs" / "cli.md"
README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
STATUS = re.compile(r"^\[exit (\d)\]$")
"""The last line of a command's output in the docs when it exits other than 0: ``[exit 1]``."""


def examples(*documents: Path) -> list[list[tuple[str, str, int]]]:
    """Each console block as its commands, in order, with the output each one prints and its
    exit status (0 unless its output ends with ``[exit N]``)."""
    found = []
    for document in documents or (DOCS,):
        for block in BLOCK.findall(document.read_text(encoding="utf-8")):
            steps: list[tuple[str, list[str]]] = []
            for line in block.splitlines():
                if line.startswith("$ "):
                    assert line.startswith("$ xlscorecard "), line
                    steps.append((line[2:], []))
                else:
                    assert steps, f"output before any command in: {block}"
                    steps[-1][1].append(line)
            found.append([_step(command, output) for command, output in steps])
    return found


def _step(command: str, output: list[str]) -> tuple[str, str, int]:
    lines = [line for line in output if line.strip()]
    status = 0
    if lines and (match := STATUS.match(lines[-1].strip())):
        status = int(match.group(1))
        lines = lines[:-1]
    return command, "\n".join(lines).strip(), status


def test_every_command_has_an_example():
    documented = {
        " ".join(shlex.split(command)[1:3]) for block in examples() for command, _, _ in block
    }
    names = set()
    for name, command in cli.commands.items():
        if hasattr(command, "commands"):
            names |= {f"{name} {sub}" for sub in command.commands}
        else:
            names.add(name)
    missing = {n for n in names if not any(d == n or d.startswith(n + " ") for d in documented)}
    assert not missing, f"undocumented: {missing}"


ALL = examples(DOCS, README)


@pytest.mark.parametrize("block", ALL, ids=[b[-1][0] for b in ALL])
def test_example_output_and_exit_status_are_what_the_command_gives(block, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    for command, expected, status in block:
        result = CliRunner().invoke(cli, shlex.split(command)[1:])
        assert result.output.strip() == expected, command
        assert result.exit_code == status, f"{command}: exit {result.exit_code}, not {status}"


def test_an_error_in_the_docs_shows_its_exit_status():
    """Every documented ``Error:`` ends with the status it exits with."""
    for block in ALL:
        for command, output, status in block:
            if output.startswith("Error:") or "\nError:" in output:
                assert status != 0, command


def test_the_readme_lives_the_month_in_order():
    """refresh; import or type; validate; answer; save return; verify (build makes the
    workbook and figures an extract: neither is a step of the month's workbook)."""
    commands = [shlex.split(c)[1] for block in examples(README) for c, _, _ in block]
    month = [name for name in commands if name not in ("build", "figures")]
    order = ["refresh", "import", "comment", "validate", "answer", "save-return", "verify"]
    assert [name for name in order if name in month] == order
    assert month == sorted(month, key=order.index)


CHECKS = ROOT / "docs" / "checks.md"


def test_every_check_code_is_documented():
    from xlscorecard.checks.engine import CRASH_CODE, rules_by_code
    from xlscorecard.jobs.extract import DERIVED_MISMATCH

    documented = set(re.findall(r"^\| ([A-Z]\d{3}) \|", CHECKS.read_text("utf-8"), re.M))
    assert {*rules_by_code(), DERIVED_MISMATCH, CRASH_CODE} == documented


def test_the_api_example_runs_as_shown(workbook, monkeypatch):
    """docs/api.md's example, run on the built Aug-20 sample, prints what the page shows."""
    import doctest

    monkeypatch.chdir(workbook.parent)
    result = doctest.testfile(
        str(ROOT / "docs" / "api.md"),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert result.attempted > 10 and result.failed == 0


def test_the_differences_from_the_editions_page_lists_every_quirk_with_its_reason(sample):
    from tests.support.quirks import differences_table

    page = (ROOT / "docs" / "editions.md").read_text("utf-8")
    assert differences_table(sample) in page
