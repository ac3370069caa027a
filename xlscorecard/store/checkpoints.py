"""Named steps of a transaction, where a test can kill the command as kill -9 would.

Tests set ``XLSCORECARD_TEST_KILL_AT`` to a step's name; the command then kills itself with
SIGKILL (nothing of its own clean-up runs) on reaching that step, so that every window of a
transaction is tried deterministically. Unset, :func:`reached` does nothing.
"""

from __future__ import annotations

import os
import signal

KILL_VARIABLE = "XLSCORECARD_TEST_KILL_AT"

SAVE_RETURN_STEPS = (
    "journal started",
    "return made",
    "journal placing",
    "register pending",
    "linked xlsx",
    "placed xlsx",
    "linked pdf",
    "placed pdf",
    "linked sig",
    "placed sig",
    "made read-only",
    "original kept",
    "recorded",
    "register saved",
)
"""The steps of a save-return, in order (a ``sig`` step only when the return is signed)."""


def reached(step: str) -> None:
    """Die here, as kill -9 would, when the test hook names ``step``."""
    if os.environ.get(KILL_VARIABLE) == step:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
