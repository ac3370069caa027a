"""The check rules as a whole: each is documented and tested, the sample is clean, crashes show."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from xlscorecard import checks
from xlscorecard.checks import Severity, Stage, engine, rule, rules
from xlscorecard.checks.engine import CRASH_CODE, rules_by_code, run_rules
from xlscorecard.checks.testing import codes, sample_book, type_into

RULES = rules_by_code()


@pytest.mark.parametrize("code", sorted(RULES))
def test_each_rule_has_its_own_file_message_and_tests(code):
    item = RULES[code]
    assert re.fullmatch(r"[A-Z]\d{3}", code)
    module = importlib.import_module(item.check.__module__)
    assert Path(module.__file__).name.startswith(f"rule_{code.lower()}_")
    assert item.message.strip() and item.message.endswith("."), item.message
    tests = [name for name, value in vars(module).items() if name.startswith("test_")]
    assert len([n for n in tests if inspect.isfunction(vars(module)[n])]) >= 2, tests


def test_the_rules_asked_for_are_all_registered():
    wanted = "E101 E102 E103 E104 C401 C402 R201 R202 R203 P301 P302 I501 I502 I503 A601 A602"
    assert set(wanted.split()) <= set(RULES)


@pytest.mark.parametrize("month", ["2020-08", "2020-04"])
def test_the_sample_as_built_has_no_errors(month):
    findings = run_rules(sample_book(month), Stage.VALIDATE)
    errors = [str(f) for f in findings if f.severity is Severity.ERROR]
    queries = [str(f) for f in findings if f.severity is Severity.QUERY]
    print(f"{month}: {len(queries)} queries", *queries, sep="\n  ")  # shown by pytest -rP
    report = "\n  ".join(["errors:", *errors, "queries (for information):", *queries])
    assert errors == [], report
    assert all(f.severity is not Severity.INFO for f in findings), report


@pytest.mark.parametrize(
    ("ref", "raw", "code"),
    [
        ("M1", "lots", "E101"),
        ("M1", "=M2*3", "E101"),
        ("M1", dt.datetime(2020, 8, 1), "E101"),
        ("M1", True, "E101"),
        ("M1", "12.5", "E101"),  # a count stored as text
        ("M1", -5, "E102"),
        ("M1", 12.5, "E102"),
        ("M8-QL", 45, "E103"),
        ("M8-QL", "101%", "E103"),
        ("M8-QL", -0.1, "E103"),
        ("M8-QL", "about half", "E101"),
    ],
)
def test_every_unreadable_figure_is_reported_once(ref, raw, code):
    book = type_into(sample_book(), ref, "2020-08", raw)
    assert book.entries[(ref, book.month)].problem is not None
    findings = run_rules(book, Stage.VALIDATE, ["E101", "E102", "E103", "E104"])
    assert codes(findings) == [code]


def test_every_rule_module_is_listed_once():
    modules = [item.check.__module__.rsplit(".", 1)[-1] for item in rules.RULES]
    files = sorted(path.stem for path in Path(checks.__file__).parent.glob("rule_*.py"))
    assert sorted(modules) == files
    assert len({item.code for item in rules.RULES}) == len(rules.RULES)


def test_the_rules_run_in_the_order_of_their_codes():
    assert list(RULES) == sorted(RULES)


def test_running_the_checks_imports_no_test_scaffolding(workbook):
    """``validate`` imports every rule, and nothing they need only for their own tests."""
    command = Path(sys.executable).with_name("xlscorecard")
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}  # every import, on stderr
    run = subprocess.run([command, "validate", workbook], env=env, capture_output=True, text=True)
    assert "xlscorecard.checks.rule_e101_text_in_figure" in run.stderr, run.stderr[-2000:]
    assert "xlscorecard.checks.testing" not in run.stderr


def test_a_rule_that_crashes_is_reported_and_the_others_still_run(monkeypatch):
    @rule("X999", Severity.ERROR, "A check that always breaks.")
    def broken(context):
        raise RuntimeError("broken on purpose")
        yield  # pragma: no cover

    monkeypatch.setattr(engine, "RULES", (*rules.RULES, broken))
    book = type_into(sample_book(), "LAC2", "2020-08", None)
    findings = run_rules(book, Stage.VALIDATE)
    crashes = [f for f in findings if f.code == CRASH_CODE]
    assert len(crashes) == 1 and crashes[0].severity is Severity.ERROR
    assert "X999" in crashes[0].message and "broken on purpose" in crashes[0].found
    assert "C401" in codes(findings)


def test_each_rule_gets_its_own_copy_of_the_book(monkeypatch):
    @rule(code="X998", severity=Severity.INFO, message="Scribbles on its book.")
    def scribbles(context):
        context.book.dataset.values.clear()
        context.book.entries.clear()
        context.book.dataset.settings.populations.clear()
        return []

    monkeypatch.setattr(engine, "RULES", (*rules.RULES, scribbles))
    book = sample_book()
    values, entries = dict(book.dataset.values), dict(book.entries)
    findings = run_rules(book, Stage.VALIDATE)
    assert book.dataset.values == values and book.entries == entries
    assert book.dataset.settings.populations
    assert not [f for f in findings if f.severity is Severity.ERROR]
