"""Write samples/southampton/ (catalogue, printed values, commentary, benchmarks, targets)
from the two edition transcriptions in tests/fixtures/editions/.

Months before Oct-19 are added by tools/reconstruct_history.py. Run from the repo root:
    python tools/samples_from_editions.py && python tools/reconstruct_history.py
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ROOT / "tests" / "fixtures" / "editions"
OUT = ROOT / "samples" / "southampton"

SECTIONS = [
    (
        "Front door (MASH) and referrals",
        ["M1", "M2", "M3", "M2-NI", "M8-QL", "M6-QL (val)", "M6-QL", "M4", "M5"],
    ),
    ("Early help and children in need", ["EH2", "EH5-QL"]),
    (
        "Single assessments",
        ["EH3", "EH3a%", "EH3b%", "EH3c%", "EH3d%", "EH3e%", "EH4 (val)", "EH4-QL"],
    ),
    (
        "Child protection",
        [
            "CP1",
            "CP1-NI",
            "CP6B",
            "CP6B-NI",
            "CP2",
            "CP2-NI",
            "CP4 (val)",
            "CP4",
            "CP2b",
            "CP2b %",
            "CP3-QL (val)",
            "CP3-QL",
            "CP8-QL",
            "CP5-QL (val)",
            "CP5-QL",
            "CP9",
            "CP7",
        ],
    ),
    ("Looked-after children", ["LAC1", "LAC1-NI", "LAC2", "LAC3"]),
    (
        "Permanence: adoption and special guardianship",
        ["LAC6 (val)", "LAC6 (%)", "LAC12 (val)", "LAC12 (%)"],
    ),
    (
        "Looked-after children: visits, plans and UASC",
        ["LAC7-QL", "LAC10 (%)", "LAC10-QL", "LAC13", "LAC14"],
    ),
    ("Care leavers", ["LAC11-QL", "LAC11-QL (%)", "NI147"]),
    ("Fostering", ["LAC9 (val)", "LAC9", "LAC16"]),
]
RATES = {
    "M2-NI": "M2",
    "CP1-NI": "CP1",
    "CP6B-NI": "CP6B",
    "CP2-NI": "CP2 + CP2b",
    "LAC1-NI": "LAC1",
}
RATIOS = {
    "M3": ("M2", "M1"),
    "M6-QL": ("M6-QL (val)", "M2"),
    "EH4-QL": ("EH4 (val)", "EH3"),
    "CP4": ("CP4 (val)", "CP2"),
    "CP3-QL": ("CP3-QL (val)", "CP2"),
    "LAC6 (%)": ("LAC6 (val)", "LAC3"),
    "LAC12 (%)": ("LAC12 (val)", "LAC3"),
    "LAC10 (%)": ("LAC10-QL", "LAC1"),
    "LAC9": ("LAC9 (val)", "LAC1"),
}
PERCENT_INPUTS = {
    "M8-QL",
    "EH3a%",
    "EH3b%",
    "EH3c%",
    "EH3d%",
    "EH3e%",
    "CP2b %",
    "CP8-QL",
    "CP5-QL",
    "LAC7-QL",
    "LAC11-QL (%)",
    "NI147",
}


def read(name: str) -> dict[str, dict[str, str]]:
    with (EDITIONS / name).open(encoding="utf-8", newline="") as handle:
        return {row["ref"]: row for row in csv.DictReader(handle)}


def unit(ref: str) -> str:
    if ref in RATES:
        return "rate_per_10k"
    if ref in RATIOS or ref in PERCENT_INPUTS:
        return "percent"
    return "count"


def value(text: str) -> str:
    """The printed token as a data-file value: percentages as fractions, no separators."""
    text = text.strip()
    if text.endswith("%"):
        number = float(text[:-1].replace(",", "")) / 100
        return f"{number:.4f}".rstrip("0").rstrip(".") if number else "0"
    return text.replace(",", "")


def write(name: str, header: list[str], rows: list[list[str]]) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    apr, aug = read("2020-04.csv"), read("2020-08.csv")
    OUT.mkdir(parents=True, exist_ok=True)
    polarity = {"up": "up", "down": "down", "": "none"}
    indicators, values, commentary, benchmarks, targets = [], [], [], [], []
    for section, refs in SECTIONS:
        for ref in refs:
            new, old = aug[ref], apr[ref]
            numerator, denominator = RATIOS.get(ref, ("", ""))
            if ref in RATES:
                numerator, denominator = RATES[ref], "population"
            indicators.append(
                [
                    ref,
                    new["name"],
                    section,
                    unit(ref),
                    polarity[old["dot"]],
                    new["owner"] or old["owner"],
                    new["reporter"] or old["reporter"],
                    new["outcome"] or old["outcome"],
                    numerator,
                    denominator,
                ]
            )
            for month in [c for c in old if c[:2] == "20" and len(c) == 7]:
                values.append([ref, month, value(old[month]), "printed"])
            for month in [c for c in new if c[:2] == "20" and len(c) == 7]:
                if month not in old:
                    values.append([ref, month, value(new[month]), "printed"])
                elif value(new[month]) != value(old[month]):
                    raise SystemExit(f"{ref} {month}: editions disagree")
            for month, row in (("2020-04", old), ("2020-08", new)):
                if row["commentary"]:
                    author = row["reporter"] or old["reporter"]
                    commentary.append([ref, month, row["commentary"], author])
            benchmarks.append([ref, *(value(new[c]) for c in ("sn", "eng", "se")), "2018-19"])
            for column in [c for c in new if c.startswith("target_")]:
                if new[column]:
                    targets.append([ref, column.removeprefix("target_"), value(new[column])])
    write(
        "indicators.csv",
        [
            "ref",
            "name",
            "section",
            "unit",
            "polarity",
            "owner",
            "reporter",
            "outcome",
            "numerator",
            "denominator",
        ],
        indicators,
    )
    write("values.csv", ["ref", "month", "value", "source"], values)
    write(
        "commentary.csv",
        ["ref", "month", "text", "author"],
        sorted(commentary, key=lambda row: row[1]),
    )
    write("benchmarks.csv", ["ref", "sn", "eng", "se", "period"], benchmarks)
    write("targets.csv", ["ref", "period", "value"], targets)


if __name__ == "__main__":
    main()
