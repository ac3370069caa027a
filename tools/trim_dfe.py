"""Trim DfE's published tables (a copy of the folder described in samples/dfe/README.md) into
the repository's small copies: samples/dfe/ (the 2017-18 and 2018-19 tables behind the
Southampton sample's printed benchmarks, and both statistical neighbour models) and
tests/fixtures/dfe/ (children looked after in 2020-21, for the stock and rate conventions).

Every line kept is a line of the original file, byte for byte (header and BOM included); only
whole rows of other years are left out. Run from the repo root:
    python tools/trim_dfe.py ../shared/dfe
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRIMS = {
    ROOT / "samples" / "dfe": {
        "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv": ("2018", "2019"),
        "d3_cpps_subsequent_plan_2013_to_2025.csv": ("2018", "2019"),
        "New_Statistical_Neighbour_Groupings_April_2021.csv": None,
        "sn_model_2025_wide.csv": None,
    },
    ROOT / "tests" / "fixtures" / "dfe": {
        "cla_number_and_rate_per_10k_children.csv": ("2021",),
    },
}


def trim(source: Path, target: Path, years: tuple[str, ...] | None) -> int:
    """Copy ``source`` to ``target`` keeping the header and the rows of ``years`` (all if None)."""
    lines = source.read_bytes().splitlines(keepends=True)
    kept = (
        lines
        if years is None
        else [lines[0]] + [line for line in lines[1:] if line.split(b",", 1)[0].decode() in years]
    )
    target.write_bytes(b"".join(kept))
    return len(kept) - 1


def main(folder: Path) -> None:
    for directory, files in TRIMS.items():
        directory.mkdir(parents=True, exist_ok=True)
        for name, years in files.items():
            rows = trim(folder / name, directory / name, years)
            print(f"{directory.relative_to(ROOT) / name}: {rows} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/dfe"))
