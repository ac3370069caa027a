"""Copies of the bundled sample's data directory with other settings."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.paths import SAMPLE


def sample_with_spc(tmp_path: Path, table: str) -> Path:
    """The sample copied to ``tmp_path / "data"``, its ``[spc]`` settings (the last table of
    its council.toml) replaced by ``table``."""
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE, folder)
    settings = folder / "council.toml"
    text = settings.read_text("utf-8")
    kept = text[: text.index("\n[spc]\n")] if "\n[spc]\n" in text else text
    settings.write_text(kept + "\n" + table, "utf-8")
    return folder
