"""Where the repository's own data lives."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "southampton"
OTHER_COUNCIL = ROOT / "tests" / "fixtures" / "other_council"
FIXTURES = ROOT / "tests" / "fixtures"
