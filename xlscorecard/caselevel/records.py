"""The plain records the counting rules read, one class per kind of event, each with the
child it is about and where it came from (``where``: file and line or record), so that every
figure can list what it counted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Date = dt.date | None


@dataclass(frozen=True, slots=True)
class Contact:
    """An Annex A list 1 row: one child in one contact."""

    child: str
    date: dt.date
    source: str
    where: str


@dataclass(frozen=True, slots=True)
class Assessment:
    """A CIN census ``Assessments`` (the single assessment)."""

    child: str
    start: dt.date
    authorised: Date
    factors: tuple[str, ...]
    where: str


@dataclass(frozen=True, slots=True)
class Section47:
    """A CIN census ``Section47`` enquiry and the initial conference it led to, if any."""

    child: str
    start: dt.date
    icpc: Date
    where: str


@dataclass(frozen=True, slots=True)
class Plan:
    """A CIN census ``ChildProtectionPlans`` entry."""

    child: str
    start: dt.date
    end: Date
    previous: int
    reviews: tuple[dt.date, ...]
    where: str


@dataclass(frozen=True, slots=True)
class Referral:
    """A CIN census ``CINdetails``: the referral, the episode of need it opened and what
    happened in it. ``icpc`` is a conference held at this level (with no Section 47 here:
    a transfer-in)."""

    child: str
    date: dt.date
    closed: Date
    nfa: bool
    birth: Date
    icpc: Date
    assessments: tuple[Assessment, ...]
    enquiries: tuple[Section47, ...]
    plans: tuple[Plan, ...]
    where: str


@dataclass(frozen=True, slots=True)
class Episode:
    """An SSDA903 episode (one row of the episodes table)."""

    child: str
    start: dt.date
    rne: str
    legal_status: str
    place: str
    provider: str
    end: Date
    reason_ended: str
    where: str


@dataclass(frozen=True, slots=True)
class Uasc:
    """An SSDA903 UASC row: the date the child's UASC status ceased (blank: not ceased)."""

    child: str
    ceased: Date
    where: str


@dataclass
class CaseFiles:
    """Everything read from a folder of case-level files, and which files gave what
    (``files``: kind -> file names, e.g. ``"cin"`` -> ``["cin_2020.xml"]``)."""

    contacts: list[Contact] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    uasc: dict[str, Uasc] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)

    def add_file(self, kind: str, name: str) -> None:
        self.files.setdefault(kind, []).append(name)

    def spans(self) -> dict[str, tuple[dt.date, dt.date]]:
        """Each kind of file's first and last date, of any event its records hold."""
        dates: dict[str, list[dt.date]] = {}
        if self.contacts:
            days = [c.date for c in self.contacts]
            dates["annexa"] = [min(days), max(days)]
        if self.episodes:
            days = [e.start for e in self.episodes] + [e.end for e in self.episodes if e.end]
            dates["903"] = [min(days), max(days)]
        if self.referrals:
            dates["cin"] = [min(_cin_dates(r)) for r in self.referrals]
            dates["cin"] += [max(_cin_dates(r)) for r in self.referrals]
        return {kind: (min(days), max(days)) for kind, days in dates.items()}


def _cin_dates(r: Referral) -> list[dt.date]:
    days = [r.date, *(d for d in (r.closed, r.icpc) if d)]
    for a in r.assessments:
        days += [a.start, *([a.authorised] if a.authorised else [])]
    for s in r.enquiries:
        days += [s.start, *([s.icpc] if s.icpc else [])]
    for p in r.plans:
        days += [p.start, *([p.end] if p.end else []), *p.reviews]
    return days
