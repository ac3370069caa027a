"""docs/cli.md documents every command with an example, and every example's output is true."""

from __future__ import annotations

import re
import shlex
import shutil

import pytest
from click.testing import CliRunner

from tests.support.paths import ROOT
from xlscorecard.cli import cli

DOCS = ROOT / "docs" / "cli.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def examples() -> list[list[tuple[str, str]]]:
    """Each console block as its commands, in order, with the output each one prints."""
    found = []
    for block in BLOCK.findall(DOCS.read_text(encoding="utf-8")):
        steps: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                assert line.startswith("$ xlscorecard "), line
                steps.append((line[2:], []))
            else:
                assert steps, f"output before any command in: {block}"
                steps[-1][1].append(line)
        found.append([(command, "\n".join(output).strip()) for command, output in steps])
    return found


def test_every_command_has_an_example():
    documented = {
        " ".join(shlex.split(command)[1:3]) for block in examples() for command, _ in block
    }
    names = set()
    for name, command in cli.commands.items():
        if hasattr(command, "commands"):
            names |= {f"{name} {sub}" for sub in command.commands}
        else:
            names.add(name)
    missing = {n for n in names if not any(d == n or d.startswith(n + " ") for d in documented)}
    assert not missing, f"undocumented: {missing}"


@pytest.mark.parametrize("block", examples(), ids=[b[-1][0] for b in examples()])
def test_example_output_is_what_the_command_prints(block, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    for command, expected in block:
        result = CliRunner().invoke(cli, shlex.split(command)[1:])
        assert result.output.strip() == expected, command
        failed = expected.startswith("Error:") or (result.exit_code == 1 and "ERROR" in expected)
        assert (result.exit_code == 0) == (not failed), command


CHECKS = ROOT / "docs" / "checks.md"


def test_every_check_code_is_documented():
    from xlscorecard.checks import CRASH_CODE, load_rules
    from xlscorecard.jobs.cycle import DERIVED_MISMATCH

    documented = set(re.findall(r"^\| ([A-Z]\d{3}) \|", CHECKS.read_text("utf-8"), re.M))
    assert {*load_rules(), DERIVED_MISMATCH, CRASH_CODE} == documented
