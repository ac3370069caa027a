"""Helpers for the tests beside each rule (``conftest.py`` gives them to those tests as
fixtures: no rule imports this module) and for tests/: the bundled sample as a just-built
book, typing into it as a person would, running one rule.

Pure, like the rules: the sample is read from the package's own data with the model's parsers.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files

from ..model import Dataset, Month
from ..model.book import LiveBook
from ..model.tables import TABLE_COLUMNS, assemble, csv_table
from ..workbook.contents import Formula
from ..workbook.image import book_contents
from ..workbook.reading import enter, read_book
from . import Finding, Stage
from .engine import run_rules

SAMPLE = files("xlscorecard") / "samples" / "southampton"
"""The Southampton sample shipped with the package (``samples/southampton`` in the repository)."""


def sample_dataset() -> Dataset:
    """The bundled sample's data directory, read as ``xlscorecard build`` reads it."""
    settings = tomllib.loads((SAMPLE / "council.toml").read_text("utf-8"))
    tables = {}
    for name in TABLE_COLUMNS:
        source = SAMPLE / f"{name}.csv"
        if source.is_file():
            tables[name] = csv_table(source.read_text("utf-8-sig"), source.name)
    return assemble(settings, "council.toml", tables)


@cache
def _sample_book(month: str) -> LiveBook:
    return book_for(sample_dataset(), month)


def sample_book(month: str = "2020-08") -> LiveBook:
    """A fresh copy of the Southampton sample as a just-built workbook for ``month``."""
    return _sample_book(month).copy()


def book_for(dataset: Dataset, month: str) -> LiveBook:
    return read_book(book_contents(dataset, Month.parse(month), "test.xlsx"))


def type_into(book: LiveBook, ref: str, month: str, raw: object) -> LiveBook:
    """Type ``raw`` into an input cell, as a person would in Excel (``=...`` is a formula)."""
    if isinstance(raw, str) and raw.startswith("="):
        raw = Formula(raw)
    enter(book, ref, Month.parse(month), raw)
    return book


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def check(book: LiveBook, code: str, stage: Stage = Stage.VALIDATE) -> list[Finding]:
    """Run one rule on ``book`` and return its findings."""
    return run_rules(book, stage, [code])
