"""Generate a synthetic council's case-level files (never real children): a CIN census XML,
the SSDA903 episodes and UASC tables (CSV) and an Annex A workbook with list 1 (contacts),
the same every time for the same arguments. The bundled sample is made with

    python tools/caselevel_sample.py samples/caselevel

(120 children, April 2018 to August 2020); benchmarks/figures.py makes larger cohorts.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

FACTORS = ["1A", "2A", "3A", "4A", "11A", "18B", "21", "22A", "24A"]
ENDINGS = ["E11", "E12", "E13", "E41", "E45", "E46", "E48", "E4A", "E8", "E15", "E17"]
PLACES = ["U1", "U3", "U4", "U5", "U6", "K2", "R1", "P1", "H5"]
SOURCES = ["1A", "1B", "2A", "3A", "5A", "5B", "5C", "6", "8", "9"]
CHILDREN, FIRST, LAST = 120, dt.date(2018, 4, 1), dt.date(2020, 8, 31)
"""The bundled sample: 120 children, April 2018 to August 2020."""
README = """# A synthetic council's case-level files

Made by `python tools/caselevel_sample.py samples/caselevel` (deterministic): {children}
invented children, {first} to {last}. Never real children: identifiers, dates and codes are
drawn at random. The files are the three standard returns a council's case management system
exports, as `xlscorecard figures` reads them:

| file | what |
| --- | --- |
| `cin_census.xml` | the DfE's CIN census: referrals, assessments, Section 47s, conferences, plans |
| `episodes.csv` | the DfE's SSDA903 episodes table (looked-after children) |
| `uasc.csv` | the SSDA903 UASC table |
| `annex_a.xlsx` | Ofsted's Annex A, list 1 (contacts) |

    xlscorecard figures samples/southampton --month 2020-08 --months 12 \\
        --from samples/caselevel -o extract.csv --trail trail
"""


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _later(day: dt.date, low: int, high: int, rng: random.Random) -> dt.date:
    return day + dt.timedelta(days=rng.randint(low, high))


def _within(day: dt.date | None, last: dt.date) -> dt.date | None:
    return day if day is not None and day <= last else None


def cohort(children: int, seed: int, first: dt.date, last: dt.date) -> dict[str, list]:
    """Invented histories: each child's referrals (with assessments, enquiries, plans),
    periods of care and contacts, as plain tuples and dicts."""
    rng = random.Random(seed)
    cin, episodes, uasc, contacts = [], [], [], []
    for number in range(1, children + 1):
        child = f"C{seed % 100:02d}{number:06d}"
        birth = _day(rng, first - dt.timedelta(days=17 * 365), first + dt.timedelta(days=300))
        details = []
        day = _day(rng, first - dt.timedelta(days=200), last)
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
            if day > last:
                break
            contacts.append((child, birth, _later(day, -5, 0, rng), rng.choice(SOURCES)))
            nfa = rng.random() < 0.15
            closed = day if nfa else _within(_later(day, 20, 400, rng), last)
            ref = {"date": day, "closed": closed, "nfa": nfa, "assessments": [], "s47": [],
                   "plans": [], "icpc": None}  # fmt: skip
            if not nfa and day + dt.timedelta(days=10) <= last:
                start = _later(day, 0, 3, rng)
                authorised = _within(_later(start, 0, 80, rng), last)
                factors = rng.sample(FACTORS, rng.randint(0, 3)) if authorised else []
                ref["assessments"].append((start, authorised, factors))
                if rng.random() < 0.3:
                    s47 = _later(day, 0, 10, rng)
                    icpc = _within(_later(s47, 3, 30, rng), last) if rng.random() < 0.6 else None
                    ref["s47"].append((s47, icpc))
                    if icpc and rng.random() < 0.8:
                        ref["plans"].append(_plan(rng, icpc, last))
                elif rng.random() < 0.03:
                    icpc = _within(_later(day, 5, 20, rng), last)
                    ref["icpc"] = icpc
                    if icpc and rng.random() < 0.7:
                        ref["plans"].append(_plan(rng, icpc, last))
            if ref["plans"]:
                ends = [plan[1] for plan in ref["plans"]]
                ref["closed"] = None if None in ends or closed is None else max(closed, *ends)
            details.append(ref)
            day = _later(closed or day, 1, 500, rng)
        for _ in range(rng.choice([0, 0, 1])):
            contacts.append((child, birth, _day(rng, first, last), rng.choice(SOURCES)))
        if details:
            cin.append((child, birth, details))
        if rng.random() < 0.2:
            episodes += _care(rng, child, _day(rng, first - dt.timedelta(days=400), last), last)
            if rng.random() < 0.1:
                adult = dt.date(birth.year + 18, birth.month, min(birth.day, 28))
                uasc.append((child, birth, adult if adult <= last else None))
    return {"cin": cin, "episodes": episodes, "uasc": uasc, "contacts": contacts}


def _plan(rng: random.Random, start: dt.date, last: dt.date) -> tuple:
    end = _within(_later(start, 60, 700, rng), last)
    reviews, review = [], _later(start, 80, 95, rng)
    while review <= (end or last):
        reviews.append(review)
        review = _later(review, 150, 190, rng)
    return (start, end, rng.choice([0, 0, 1, 2]), reviews)


def _care(rng: random.Random, child: str, start: dt.date, last: dt.date) -> list[tuple]:
    """One period of care: episodes joined by placement moves (REC X1)."""
    status = rng.choice(["C2", "C2", "C1", "E1", "V2", "V3", "V4", "J2", "L2"])
    rows, day, rne = [], start, "S"
    for move in range(rng.choice([1, 1, 2, 3])):
        place = rng.choice(PLACES)
        provider = rng.choice(["PR1", "PR4", "PR5"]) if place.startswith("U") else "PR1"
        end = _within(_later(day, 10, 500, rng), last)
        final = end is None or move == 2 or rng.random() < 0.4
        reason = "" if end is None else ("X1" if not final else rng.choice(ENDINGS))
        rows.append((child, day, rne, status, place, provider, end, reason))
        if end is None or reason != "X1":
            break
        day, rne = end, rng.choice(["P", "L", "T"])
    return rows


def write_cin(path: Path, cin: list) -> None:
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<Message>", "  <Header><CollectionDetails>"
           "<Collection>CIN</Collection></CollectionDetails></Header>", "  <Children>"]  # fmt: skip
    for child, birth, details in cin:
        out += [
            "    <Child>",
            f"      <ChildIdentifiers><LAchildID>{escape(child)}</LAchildID>"
            f"<PersonBirthDate>{birth}</PersonBirthDate><Sex>U</Sex></ChildIdentifiers>",
            "      <ChildCharacteristics><Ethnicity>NOBT</Ethnicity></ChildCharacteristics>",
        ]
        for ref in details:
            out.append("      <CINdetails>")
            out.append(
                f"        <CINreferralDate>{ref['date']}</CINreferralDate>"
                "<ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>"
            )
            if ref["closed"]:
                out.append(f"        <CINclosureDate>{ref['closed']}</CINclosureDate>"
                           "<ReasonForClosure>RC8</ReasonForClosure>")  # fmt: skip
            if ref["icpc"]:
                out.append(f"        <DateOfInitialCPC>{ref['icpc']}</DateOfInitialCPC>")
            for start, authorised, factors in ref["assessments"]:
                out.append(f"        <Assessments><AssessmentActualStartDate>{start}"
                           "</AssessmentActualStartDate>")  # fmt: skip
                if authorised:
                    out.append(f"          <AssessmentAuthorisationDate>{authorised}"
                               "</AssessmentAuthorisationDate><FactorsIdentifiedAtAssessment>"
                               + "".join(f"<AssessmentFactors>{f}</AssessmentFactors>"
                                         for f in factors)
                               + "</FactorsIdentifiedAtAssessment>")  # fmt: skip
                out.append("        </Assessments>")
            for start, icpc in ref["s47"]:
                held = f"<DateOfInitialCPC>{icpc}</DateOfInitialCPC>" if icpc else ""
                out.append(f"        <Section47><S47ActualStartDate>{start}</S47ActualStartDate>"
                           f"{held}<ICPCnotRequired>{0 if icpc else 1}"
                           "</ICPCnotRequired></Section47>")  # fmt: skip
            out.append(f"        <ReferralNFA>{1 if ref['nfa'] else 0}</ReferralNFA>")
            for start, end, previous, reviews in ref["plans"]:
                out.append(f"        <ChildProtectionPlans><CPPstartDate>{start}</CPPstartDate>"
                           + (f"<CPPendDate>{end}</CPPendDate>" if end else "")
                           + "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>"
                           "<LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>"
                           f"<NumberOfPreviousCPP>{previous}</NumberOfPreviousCPP>"
                           + ("<Reviews>" + "".join(f"<CPPreviewDate>{r}</CPPreviewDate>"
                                                    for r in reviews) + "</Reviews>"
                              if reviews else "")
                           + "</ChildProtectionPlans>")  # fmt: skip
            out.append("      </CINdetails>")
        out.append("    </Child>")
    out += ["  </Children>", "</Message>", ""]
    path.write_text("\n".join(out), encoding="utf-8")


def _dmy(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def write_903(folder: Path, episodes: list, uasc: list) -> None:
    with (folder / "episodes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC",
                         "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"])  # fmt: skip
        for child, start, rne, status, place, provider, end, reason in episodes:
            writer.writerow([child, _dmy(start), rne, status, "N1", place, provider, _dmy(end),
                             reason, "", "", "", ""])  # fmt: skip
    with (folder / "uasc.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["CHILD", "SEX", "DOB", "DUC"])
        for child, birth, ceased in uasc:
            writer.writerow([child, "M", _dmy(birth), _dmy(ceased)])


LIST_1 = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)",
          "Date of Contact", "Contact Source"]  # fmt: skip


def write_annex_a(path: Path, contacts: list) -> None:
    """List 1 in a workbook, dates as real date cells (``.csv``: as DD/MM/YYYY text)."""
    rows = [[child, "c) Not stated/recorded", "s) NOBT", birth, None, day, f"a) {source}"]
            for child, birth, day, source in sorted(contacts, key=lambda c: c[2])]  # fmt: skip
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(LIST_1)
            writer.writerows([[r[0], r[1], r[2], _dmy(r[3]), "", _dmy(r[5]), r[6]] for r in rows])
        return
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("List 1")
    sheet.append(LIST_1)
    for row in rows:
        sheet.append(row)
    book.save(path)
    _fix_zip_times(path)


def _fix_zip_times(path: Path) -> None:
    """The same bytes every time: the workbook's parts dated 1 January 2000."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                    rb"\g<1>2000-01-01T00:00:00Z",
                    data,
                )
            info = zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)


def generate(
    folder: Path, children: int, seed: int = 1, first: dt.date = dt.date(2019, 4, 1),
    last: dt.date = dt.date(2020, 8, 31), annex: str = "annex_a.xlsx",
) -> dict[str, list]:  # fmt: skip
    """Write the case-level files of ``children`` invented children into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    made = cohort(children, seed, first, last)
    write_cin(folder / "cin_census.xml", made["cin"])
    write_903(folder, made["episodes"], made["uasc"])
    write_annex_a(folder / annex, made["contacts"])
    return made


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--children", type=int, default=CHILDREN)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    generate(args.folder, args.children, args.seed, FIRST, LAST)
    (args.folder / "README.md").write_text(
        README.format(children=args.children, first=f"{FIRST:%B %Y}", last=f"{LAST:%B %Y}"),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(sys.argv[1:])
