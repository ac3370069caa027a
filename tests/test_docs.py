"""docs/cli.md documents every command with an example, and every example's output is true."""

from __future__ import annotations

import re
import shlex
import shutil

import pytest
from click.testing import CliRunner
from conftest import ROOT

from xlscorecard.cli import cli

DOCS = ROOT / "docs" / "cli.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def examples() -> list[tuple[str, str]]:
    """(command line, expected output) for each ``$ xlscorecard ...`` in the docs."""
    found = []
    for block in BLOCK.findall(DOCS.read_text(encoding="utf-8")):
        lines = block.splitlines()
        assert lines[0].startswith("$ xlscorecard "), block
        found.append((lines[0][2:], "\n".join(lines[1:]).strip()))
    return found


def test_every_command_has_an_example():
    documented = {shlex.split(line)[1] for line, _ in examples()}
    assert set(cli.commands) <= documented, f"undocumented: {set(cli.commands) - documented}"


@pytest.mark.parametrize(("line", "expected"), examples(), ids=[e[0] for e in examples()])
def test_example_output_is_what_the_command_prints(line, expected, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, shlex.split(line)[1:])
    assert result.output.strip() == expected
    assert (result.exit_code == 0) == (not expected.startswith("Error:"))
