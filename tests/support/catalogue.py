"""A generated catalogue ten (or N) times the sample's size, for benchmarks and scale tests."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

TABLES = ["values.csv", "commentary.csv", "benchmarks.csv", "targets.csv"]


def generate_catalogue(source: Path, target: Path, copies: int) -> Path:
    """A data directory with ``copies`` copies of ``source``'s catalogue (refs suffixed -x2,
    -x3...; each copy in its own sections), every figure, comment, benchmark and target copied."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "council.toml", target / "council.toml")

    def renamed(ref: str, copy: int) -> str:
        return ref if copy == 1 or not ref or ref == "population" else f"{ref}-x{copy}"

    rows, header = read_table(source / "indicators.csv")
    out = []
    for copy in range(1, copies + 1):
        for row in rows:
            item = dict(row)
            item["ref"] = renamed(row["ref"], copy)
            if copy > 1:
                item["section"] = f"{row['section']} ({copy})"
            parts = [part.strip() for part in row["numerator"].split("+") if part.strip()]
            item["numerator"] = " + ".join(renamed(part, copy) for part in parts)
            item["denominator"] = renamed(row["denominator"], copy)
            out.append(item)
    write_table(target / "indicators.csv", header, out)
    for name in TABLES:
        if (source / name).exists():
            rows, header = read_table(source / name)
            out = [
                {**row, "ref": renamed(row["ref"], copy)}
                for copy in range(1, copies + 1)
                for row in rows
            ]
            write_table(target / name, header, out)
    return target


def read_table(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader), list(reader.fieldnames or [])


def write_table(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
