"""Helpers for the tests beside each rule: a sample book, typing into it, running a rule."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

from ..book import LiveBook, _entry, read_book
from ..datadir import load_data_dir
from ..model import Dataset
from ..months import Month
from ..sheet_image import book_contents
from . import Finding, Stage, run_rules

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "southampton"


@cache
def _sample_book(month: str) -> LiveBook:
    dataset = load_data_dir(SAMPLE)
    return read_book(book_contents(dataset, Month.parse(month), "sample.xlsx"))


def sample_book(month: str = "2020-08") -> LiveBook:
    """A fresh copy of the Southampton sample as a just-built workbook for ``month``."""
    return copy.deepcopy(_sample_book(month))


def book_for(dataset: Dataset, month: str) -> LiveBook:
    return read_book(book_contents(dataset, Month.parse(month), "test.xlsx"))


def type_into(book: LiveBook, ref: str, month: str, raw: object) -> LiveBook:
    """Type ``raw`` into an input cell, as a person would in Excel, and re-read it."""
    when = Month.parse(month)
    old = book.entries[(ref, when)]
    entry = _entry(book.dataset.indicator(ref), when, old.cell, raw)
    book.entries[(ref, when)] = entry
    if entry.problem is None and entry.value is not None:
        book.dataset.values[(ref, when)] = entry.value
    else:
        book.dataset.values.pop((ref, when), None)
    return book


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def check(book: LiveBook, code: str, stage: Stage = Stage.VALIDATE) -> list[Finding]:
    """Run one rule on ``book`` and return its findings."""
    return run_rules(book, stage, [code])
