"""The check rules as a whole: each is documented and tested, the sample is clean, crashes show."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re
from pathlib import Path

import pytest

from xlscorecard.checks import CRASH_CODE, REGISTRY, Severity, Stage, load_rules, rule, run_rules
from xlscorecard.checks.testing import codes, sample_book, type_into

RULES = load_rules()


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


def test_a_rule_that_crashes_is_reported_and_the_others_still_run():
    @rule("X999", Severity.ERROR, "A check that always breaks.")
    def broken(context):
        raise RuntimeError("broken on purpose")
        yield  # pragma: no cover

    try:
        book = type_into(sample_book(), "LAC2", "2020-08", None)
        findings = run_rules(book, Stage.VALIDATE)
        crashes = [f for f in findings if f.code == CRASH_CODE]
        assert len(crashes) == 1 and crashes[0].severity is Severity.ERROR
        assert "X999" in crashes[0].message and "broken on purpose" in crashes[0].found
        assert "C401" in codes(findings)
    finally:
        REGISTRY.pop("X999", None)
    assert "X999" not in load_rules()


def test_each_rule_gets_its_own_copy_of_the_book():
    @rule(code="X998", severity=Severity.INFO, message="Scribbles on its book.")
    def scribbles(context):
        context.book.dataset.values.clear()
        context.book.entries.clear()
        context.book.dataset.settings.populations.clear()
        return []

    book = sample_book()
    values, entries = dict(book.dataset.values), dict(book.entries)
    try:
        findings = run_rules(book, Stage.VALIDATE)
    finally:
        REGISTRY.pop("X998", None)
    assert book.dataset.values == values and book.entries == entries
    assert book.dataset.settings.populations
    assert not [f for f in findings if f.severity is Severity.ERROR]
