"""How much repetition a test run does.

Every run tests every behaviour, with repetition bounded so that the README's test command fits
CI: a few kill -9s per command, a four-month journey. Before a release, the long campaigns run
with ``XLSCORECARD_LONG_TESTS=1``: 30 kills per command and twelve-month journeys (about half an
hour more on two cores).
"""

from __future__ import annotations

import os

LONG = os.environ.get("XLSCORECARD_LONG_TESTS", "").strip() not in ("", "0")
"""The long campaigns (before a release)."""

KILLS = int(os.environ.get("XLSCORECARD_FAULT_RUNS", "30" if LONG else "4"))
"""kill -9s per command in tests/test_faults.py (``XLSCORECARD_FAULT_RUNS`` overrides)."""

JOURNEY_MONTHS = 12 if LONG else 4
"""Months lived in tests/test_journeys.py (four reach every step of a month at least once:
an import and typing, the commands' own comment and answer, a correction after a return)."""
