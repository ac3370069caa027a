"""``xlscorecard --help`` lists the commands in the order of the month, with an example of it
and the exit statuses."""

from __future__ import annotations

import shlex

from click.testing import CliRunner

from xlscorecard.cli import cli

MONTH = ["refresh", "import", "comment", "validate", "answer", "save-return", "verify"]
DEVELOPERS = ["lint", "template"]
"""Developers' tools: runnable, documented in docs/cli.md, not in the users' ``--help``."""


def help_text() -> str:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    return result.output


def test_help_lists_the_month_first_in_the_order_it_is_lived():
    commands = help_text().split("Commands:\n")[1].split("\n\n")[0]
    listed = [line.split()[0] for line in commands.splitlines()]
    assert listed[: len(MONTH)] == MONTH
    assert sorted(listed) == sorted(set(cli.commands) - set(DEVELOPERS))


def test_help_leaves_out_the_developers_tools_which_still_run():
    commands = help_text().split("Commands:\n")[1].split("\n\n")[0]
    listed = [line.split()[0] for line in commands.splitlines()]
    assert not set(DEVELOPERS) & set(listed)
    for name in DEVELOPERS:
        assert CliRunner().invoke(cli, [name, "--help"]).exit_code == 0, name


def test_addin_help_offers_install_and_hides_build():
    result = CliRunner().invoke(cli, ["addin", "--help"])
    listed = result.output.split("Commands:\n")[1].split()
    assert "install" in listed and "build" not in listed
    assert CliRunner().invoke(cli, ["addin", "build", "--help"]).exit_code == 0


def test_help_ends_with_the_month_as_commands_and_the_exit_statuses():
    text = help_text()
    example = [
        line.split()[1] for line in text.splitlines() if line.strip().startswith("xlscorecard ")
    ]
    assert example == MONTH
    assert "Exit status: 0 done; 1 refused" in text


def test_the_example_in_help_parses_as_commands():
    lines = [line.strip() for line in help_text().splitlines()]
    example = [shlex.split(line) for line in lines if line.startswith("xlscorecard ")]
    assert example and all(words[1] in cli.commands for words in example)
