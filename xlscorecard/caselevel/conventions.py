"""The counting conventions: the DfE's by default, each a named setting where councils differ
(``[conventions]`` in a data directory's ``figures.toml``). :data:`CONVENTIONS` says each in
one line; docs/cli.md lists them."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Conventions:
    """How each rule counts. The defaults are the DfE's."""

    open_on_end_day: bool = False
    short_breaks: tuple[str, ...] = ("V3", "V4")
    started_rne: tuple[str, ...] = ("S",)
    not_a_leaver: tuple[str, ...] = ("X1",)
    adoption_codes: tuple[str, ...] = ("E11", "E12")
    sgo_codes: tuple[str, ...] = ("E43", "E44", "E45", "E46", "E47", "E48")
    foster_placements: tuple[str, ...] = ("U1", "U2", "U3", "U4", "U5", "U6")
    ifa_providers: tuple[str, ...] = ("PR4", "PR5")
    referrals_include_nfa: bool = True
    rereferral_basis: str = "referral"
    rereferral_months: int = 12
    bank_holidays: bool = True
    assessment_days: int = 45
    icpc_days: int = 15
    cse_factors: tuple[str, ...] = ("11A",)
    cse_age: int = 13
    plans_ended_count: str = "plans"


CONVENTIONS = {
    "open_on_end_day": "false: open at a date means start <= date and (no end or end > date); "
    "true counts a case that ends on the date as open too",
    "short_breaks": "903 legal statuses of short-break care, left out of every looked-after "
    'count: ["V3", "V4"]; some councils leave out V4 only',
    "started_rne": 'RNE codes of an episode that starts a period of care (LAC2): ["S"]',
    "not_a_leaver": "REC codes of an episode that ends with another starting (not a leaver, "
    'LAC3): ["X1"]',
    "adoption_codes": 'REC codes of an adoption: ["E11", "E12"]',
    "sgo_codes": "REC codes of a special guardianship order: E43, E44 (before 2018-19) and "
    "E45 to E48",
    "foster_placements": "PLACE codes of foster placements: U1 to U6",
    "ifa_providers": 'PLACE_PROVIDER codes of independent fostering agencies: ["PR4", "PR5"]',
    "referrals_include_nfa": "true: referrals count those with no further action (ReferralNFA)",
    "rereferral_basis": '"referral": a re-referral follows a previous referral within '
    'rereferral_months (DfE); "closure": it follows a previous case closure',
    "rereferral_months": "how far back a previous referral (or closure) makes a re-referral: 12",
    "bank_holidays": "true: working days are Monday to Friday less England and Wales bank "
    "holidays; false: Monday to Friday",
    "assessment_days": "working days within which an assessment is in time: 45",
    "icpc_days": "working days from the Section 47's start within which an initial "
    "conference is in time: 15",
    "cse_factors": 'assessment factor codes of child sexual exploitation: ["11A"]',
    "cse_age": "the age at referral from which a CSE referral counts: 13",
    "plans_ended_count": '"plans": CP7 counts plans ending in the month; "children" counts '
    "children whose plan ended",
}
CHOICES = {
    "rereferral_basis": ("referral", "closure"),
    "plans_ended_count": ("plans", "children"),
}


def conventions_from(settings: dict[str, object]) -> tuple[Conventions, list[tuple[str, str]]]:
    """The conventions a ``[conventions]`` table sets, and its problems (key, message):
    an unknown key, or a value of the wrong kind."""
    problems: list[tuple[str, str]] = []
    defaults = Conventions()
    changes: dict[str, object] = {}
    kinds = {f.name: getattr(defaults, f.name) for f in fields(Conventions)}
    for key, value in settings.items():
        if key not in kinds:
            problems.append((key, f"there is no convention {key!r}; they are {', '.join(kinds)}"))
            continue
        default = kinds[key]
        if isinstance(default, bool):
            ok = isinstance(value, bool)
            expected = "true or false"
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            expected = "a whole number"
        elif isinstance(default, tuple):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            expected = 'a list of codes, e.g. ["V3", "V4"]'
            if ok:
                value = tuple(v.strip().upper() for v in value)
        else:
            choices = CHOICES[key]
            ok = value in choices
            expected = " or ".join(f'"{c}"' for c in choices)
        if not ok:
            problems.append((key, f"expected {expected}, found {value!r}"))
        else:
            changes[key] = value
    return replace(defaults, **changes), problems
