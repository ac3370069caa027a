"""Consecutive months lived as a performance officer lives them, through the command line and
through the ribbon's buttons (tests/support/journey.py): after every month nothing given is lost
(figures, comments, answers, Audit rows) and every return verifies. Four months on every run;
twelve, across a new reporting year, with ``XLSCORECARD_LONG_TESTS=1`` (tests/support/budget.py).
"""

from __future__ import annotations

import pytest

from tests.support.journey import (
    MONTHS,
    START,
    buttons_month,
    cli_month,
    fast_pdfs,
    first_month,
    journey,
    start,
)
from tests.support.paths import SAMPLE
from xlscorecard.app.workbook_file import open_book


@pytest.fixture
def quick_pdfs(monkeypatch):
    fast_pdfs(monkeypatch)


def test_months_through_the_command_line(tmp_path, quick_pdfs):
    life = start(tmp_path, SAMPLE, "Sam Jones")
    first_month(life, buttons=False)
    journey(life, cli_month)
    assert open_book(life.path)[1].month == START + MONTHS
    assert len(life.kept.returns) == MONTHS + 1


def test_months_through_the_buttons(tmp_path, quick_pdfs):
    from xlscorecard.store.identity import os_user

    life = start(tmp_path, SAMPLE, os_user())
    first_month(life, buttons=True)
    journey(life, buttons_month)
    assert open_book(life.path)[1].month == START + MONTHS
    assert len(life.kept.returns) == MONTHS + 1
