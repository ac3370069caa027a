"""The counting rules: each measure a data directory's ``figures.toml`` may name, what it
counts (:data:`MEASURES`, one line each; docs/cli.md lists them) and, for every month, the
records it counted (the trail). Pure: records in, figures out.

A month is counted from its first to its last day; "at month end" means open on the last
day (:class:`Conventions` ``open_on_end_day``). Percentages are a count of the records their
denominator counted; a month with nothing to divide by has no figure.

Each rule is a function ``(context, months) -> {month: records counted}``, months as
:func:`dates.month_index` numbers; its :class:`Measure` says in one line what it counts.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .conventions import Conventions
from .dates import month_index
from .records import CaseFiles, Episode, Plan, Referral, Section47
from .workdays import WorkingDays

CIN, LAC, ANNEX_A = "cin", "903", "annexa"
SOURCES = {
    CIN: "a CIN census (XML)",
    LAC: "an SSDA903 episodes table (CSV)",
    ANNEX_A: "an Annex A workbook with list 1 (contacts)",
}
BINS = {"0_10": (0, 10), "11_25": (11, 25), "26_35": (26, 35), "36_45": (36, 45)}


@dataclass(frozen=True, slots=True)
class Counted:
    """One record a figure counted: the child, the dates and codes that decided it, where
    it is. For a percentage, every record of the denominator, ``included`` saying whether
    the numerator counted it too."""

    child: str
    facts: tuple[tuple[str, str], ...]
    where: str
    included: bool = True


@dataclass
class Figure:
    """A month's figure (``None``: nothing to count it from, e.g. a percentage of nothing)."""

    value: float | None = None
    counted: list[Counted] = field(default_factory=list)


@dataclass(frozen=True)
class Measure:
    """A measure ``figures.toml`` may name: its unit, the files it needs, what it counts."""

    name: str
    unit: str  # "count" or "percent"
    needs: tuple[str, ...]
    says: str
    rule: Callable[[Context, list[int]], dict[int, list[Counted]]]
    also: tuple[str, ...] = ()
    """Files it reads too when there (the UASC table)."""


class Context:
    """The case files, the conventions and the working-day clock the rules count with."""

    def __init__(self, data: CaseFiles, conventions: Conventions):
        self.data = data
        self.c = conventions
        self.days = WorkingDays(weekdays_only=not conventions.bank_holidays)
        self._ends: dict[int, dt.date] = {}
        self._by_child: dict[str, list[Referral]] | None = None
        self._memo: dict[tuple[str, tuple[int, ...]], object] = {}

    def memo(self, key: str, months: list[int], make: Callable[[], object]):
        """What ``make`` returns, made once for ``key`` and these months (several rules
        share who is looked after or on a plan at each month end)."""
        index = (key, tuple(months))
        if index not in self._memo:
            self._memo[index] = make()
        return self._memo[index]

    def month_end(self, index: int) -> dt.date:
        """The last day of month ``index``."""
        if index not in self._ends:
            year, month = divmod(index + 1, 12)
            self._ends[index] = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
        return self._ends[index]

    def open_on(self, start: dt.date, end: dt.date | None, day: dt.date) -> bool:
        """Open on ``day``: started by then and not ended (the convention says whether a case
        ending that day is open)."""
        if start > day:
            return False
        return end is None or end > day or (self.c.open_on_end_day and end == day)

    def open_months(self, start: dt.date, end: dt.date | None, months: list[int]) -> Iterator[int]:
        """The months (of ``months``, consecutive) at whose end a case is open."""
        first = max(month_index(start), months[0])
        for index in range(first, months[-1] + 1):
            if not self.open_on(start, end, self.month_end(index)):
                break
            yield index

    def episodes(self) -> Iterator[Episode]:
        """The 903 episodes, short breaks left out."""
        breaks = self.c.short_breaks
        return (e for e in self.data.episodes if e.legal_status not in breaks)

    def referrals(self) -> Iterable[Referral]:
        """The referrals the front-door rules count (NFA ones by the convention)."""
        if self.c.referrals_include_nfa:
            return self.data.referrals
        return (r for r in self.data.referrals if not r.nfa)

    def previous(self, referral: Referral) -> dt.date | None:
        """The latest earlier referral (or closure of an earlier referral, by
        ``rereferral_basis``) of the same child within ``rereferral_months`` before this
        referral, if any."""
        if self._by_child is None:
            self._by_child = {}
            for r in self.data.referrals:
                self._by_child.setdefault(r.child, []).append(r)
            for rows in self._by_child.values():
                rows.sort(key=lambda r: r.date)
        since = months_before(referral.date, self.c.rereferral_months)
        closure = self.c.rereferral_basis == "closure"
        found = None
        for other in self._by_child.get(referral.child, ()):
            if other.date >= referral.date:
                break
            when = other.closed if closure else other.date
            if when is not None and since <= when <= referral.date:
                found = when if found is None else max(found, when)
        return found


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day where it has fewer days)."""
    year, month = divmod(month_index(day) - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _bucket(months: list[int]) -> dict[int, list[Counted]]:
    return {m: [] for m in months}


def _in(buckets: dict[int, list[Counted]], day: dt.date | None) -> list[Counted] | None:
    return buckets.get(month_index(day)) if day is not None else None


def _children(rows: list[Counted]) -> list[Counted]:
    """One row per child (the first), for the rules that count children."""
    seen: dict[str, Counted] = {}
    for row in rows:
        seen.setdefault(row.child, row)
    return list(seen.values())


def _plans(ctx: Context) -> Iterator[Plan]:
    for referral in ctx.data.referrals:
        yield from referral.plans


def _enquiries(ctx: Context) -> Iterator[Section47]:
    for referral in ctx.data.referrals:
        yield from referral.enquiries


# --- front door -------------------------------------------------------------------------


def contacts(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    out = _bucket(months)
    for c in ctx.data.contacts:
        rows = _in(out, c.date)
        if rows is not None:
            facts = (("contact", _iso(c.date)), ("source", c.source))
            rows.append(Counted(c.child, facts, c.where))
    return out


def _referral_row(r: Referral, *more: tuple[str, str]) -> Counted:
    facts = (("referral", _iso(r.date)), ("nfa", "Y" if r.nfa else "N"), *more)
    return Counted(r.child, facts, r.where)


def referrals(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    out = _bucket(months)
    for r in ctx.referrals():
        rows = _in(out, r.date)
        if rows is not None:
            rows.append(_referral_row(r))
    return out


def rereferrals(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    out = _bucket(months)
    label = "previous closure" if ctx.c.rereferral_basis == "closure" else "previous referral"
    for r in ctx.referrals():
        rows = _in(out, r.date)
        if rows is not None:
            before = ctx.previous(r)
            if before is not None:
                rows.append(_referral_row(r, (label, _iso(before))))
    return out


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def cse_referrals(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    out = _bucket(months)
    factors = set(ctx.c.cse_factors)
    for r in ctx.referrals():
        rows = _in(out, r.date)
        if rows is None or r.birth is None or _age(r.birth, r.date) < ctx.c.cse_age:
            continue
        found = sorted({f for a in r.assessments for f in a.factors} & factors)
        if found:
            facts = (("birth", _iso(r.birth)), ("factors", " ".join(found)))
            rows.append(_referral_row(r, *facts))
    return out


# --- children in need and assessments -----------------------------------------------------


def _looked_after(ctx: Context, months: list[int]) -> dict[int, dict[str, Episode]]:
    """Each month's looked-after children at month end, with the episode open then."""
    return ctx.memo("looked after", months, lambda: _make_looked_after(ctx, months))


def _make_looked_after(ctx: Context, months: list[int]) -> dict[int, dict[str, Episode]]:
    out: dict[int, dict[str, Episode]] = {m: {} for m in months}
    for e in ctx.episodes():
        for m in ctx.open_months(e.start, e.end, months):
            out[m].setdefault(e.child, e)
    return out


def _plan_children(ctx: Context, months: list[int]) -> dict[int, dict[str, Plan]]:
    return ctx.memo("on plans", months, lambda: _make_plan_children(ctx, months))


def _make_plan_children(ctx: Context, months: list[int]) -> dict[int, dict[str, Plan]]:
    out: dict[int, dict[str, Plan]] = {m: {} for m in months}
    for p in _plans(ctx):
        for m in ctx.open_months(p.start, p.end, months):
            out[m].setdefault(p.child, p)
    return out


def cin_excluding_cp_lac(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    looked_after, on_plans = _looked_after(ctx, months), _plan_children(ctx, months)
    seen: dict[int, dict[str, Counted]] = {m: {} for m in months}
    for r in ctx.data.referrals:
        for m in ctx.open_months(r.date, r.closed, months):
            if r.child not in looked_after[m] and r.child not in on_plans[m]:
                facts = (("referral", _iso(r.date)), ("closed", _iso(r.closed)))
                seen[m].setdefault(r.child, Counted(r.child, facts, r.where))
    return {m: list(rows.values()) for m, rows in seen.items()}


def _authorised(ctx: Context, months: list[int]) -> dict[int, list[tuple[Counted, int]]]:
    """Each month's authorised assessments, with the working days each took."""

    def make() -> dict[int, list[tuple[Counted, int]]]:
        out: dict[int, list[tuple[Counted, int]]] = {m: [] for m in months}
        for r in ctx.data.referrals:
            for a in r.assessments:
                rows = out.get(month_index(a.authorised)) if a.authorised else None
                if rows is not None:
                    assert a.authorised is not None
                    days = ctx.days.between(a.start, a.authorised)
                    facts = (
                        ("start", _iso(a.start)),
                        ("authorised", _iso(a.authorised)),
                        ("working days", str(days)),
                    )
                    rows.append((Counted(a.child, facts, a.where), days))
        return out

    return ctx.memo("authorised", months, make)


def _assessments(ctx: Context, months: list[int], within: Callable[[int], bool] | None):
    out = {}
    for m, rows in _authorised(ctx, months).items():
        if within is None:
            out[m] = [row for row, _ in rows]
        else:
            out[m] = [Counted(r.child, r.facts, r.where, within(days)) for r, days in rows]
    return out


def assessments_completed(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    return _assessments(ctx, months, None)


def assessments_in_time(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    out = _assessments(ctx, months, lambda days: days <= ctx.c.assessment_days)
    return {m: [row for row in rows if row.included] for m, rows in out.items()}


def _assessment_bin(low: int, high: int | None):
    def rule(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
        return _assessments(
            ctx, months, lambda days: days >= low and (high is None or days <= high)
        )

    return rule


# --- child protection ---------------------------------------------------------------------


def s47_started(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    out = _bucket(months)
    for s in _enquiries(ctx):
        rows = _in(out, s.start)
        if rows is not None:
            rows.append(Counted(s.child, (("s47 start", _iso(s.start)),), s.where))
    return out


def _plan_starts(ctx: Context) -> dict[str, set[dt.date]]:
    starts: dict[str, set[dt.date]] = {}
    for p in _plans(ctx):
        starts.setdefault(p.child, set()).add(p.start)
    return starts


def _icpcs(ctx: Context, months: list[int], test: str | None) -> dict[int, list[Counted]]:
    """Children with a Section 47-level initial conference in the month; ``test``: only those
    whose conference led to a plan that day ("plan") or was in time ("in time")."""
    starts = _plan_starts(ctx) if test == "plan" else {}
    out = _bucket(months)
    for s in _enquiries(ctx):
        rows = _in(out, s.icpc)
        if rows is None:
            continue
        assert s.icpc is not None
        facts = [("s47 start", _iso(s.start)), ("icpc", _iso(s.icpc))]
        if test == "plan":
            if s.icpc not in starts.get(s.child, ()):
                continue
            facts.append(("plan start", _iso(s.icpc)))
        elif test == "in time":
            days = ctx.days.between(s.start, s.icpc)
            if days > ctx.c.icpc_days:
                continue
            facts.append(("working days", str(days)))
        rows.append(Counted(s.child, tuple(facts), s.where))
    return {m: _children(rows) for m, rows in out.items()}


def icpc_children(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    return _icpcs(ctx, months, None)


def icpc_children_with_plan(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    return _icpcs(ctx, months, "plan")


def icpc_children_in_time(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    return _icpcs(ctx, months, "in time")


def _transfer_ins(ctx: Context, months: list[int], percent: bool) -> dict[int, list[Counted]]:
    starts = _plan_starts(ctx)
    out = _bucket(months)
    for r in ctx.data.referrals:
        rows = _in(out, r.icpc)
        if rows is not None:
            assert r.icpc is not None
            plan = r.icpc in starts.get(r.child, ())
            facts = (("transfer-in icpc", _iso(r.icpc)), ("plan that day", "Y" if plan else "N"))
            rows.append(Counted(r.child, facts, r.where, plan or not percent))
    return {m: _children(rows) for m, rows in out.items()}


def transfer_in_children(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    return _transfer_ins(ctx, months, False)


def transfer_in_plan_percent(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    return _transfer_ins(ctx, months, True)


def _plan_row(p: Plan, included: bool = True) -> Counted:
    facts = (("plan start", _iso(p.start)), ("plan end", _iso(p.end)),
             ("previous plans", str(p.previous)))  # fmt: skip
    return Counted(p.child, facts, p.where, included)


def plans_at_month_end(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    return {m: [_plan_row(p) for p in children.values()]
            for m, children in _plan_children(ctx, months).items()}  # fmt: skip


def _repeat_plans(ctx: Context, months: list[int], percent: bool) -> dict[int, list[Counted]]:
    out = _bucket(months)
    for p in _plans(ctx):
        rows = _in(out, p.start)
        if rows is not None and (percent or p.previous > 0):
            rows.append(_plan_row(p, p.previous > 0))
    return out


def repeat_plans(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    return _repeat_plans(ctx, months, False)


def repeat_plans_percent(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    return _repeat_plans(ctx, months, True)


def review_children(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    out = _bucket(months)
    for p in _plans(ctx):
        for review in p.reviews:
            rows = _in(out, review)
            if rows is not None:
                facts = (("plan start", _iso(p.start)), ("review", _iso(review)))
                rows.append(Counted(p.child, facts, p.where))
    return {m: _children(rows) for m, rows in out.items()}


def plans_ended(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    out = _bucket(months)
    for p in _plans(ctx):
        rows = _in(out, p.end)
        if rows is not None:
            rows.append(_plan_row(p))
    if ctx.c.plans_ended_count == "children":
        return {m: _children(rows) for m, rows in out.items()}
    return out


# --- looked-after children ------------------------------------------------------------------


def _episode_row(e: Episode, *more: tuple[str, str]) -> Counted:
    facts = (
        ("decom", _iso(e.start)), ("rne", e.rne), ("ls", e.legal_status), ("place", e.place),
        ("provider", e.provider), ("dec", _iso(e.end)), ("rec", e.reason_ended), *more,
    )  # fmt: skip
    return Counted(e.child, facts, e.where)


def lac_at_month_end(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    return {m: [_episode_row(e) for e in children.values()]
            for m, children in _looked_after(ctx, months).items()}  # fmt: skip


def _uasc_on(ctx: Context, child: str, day: dt.date) -> tuple[str, str] | None:
    row = ctx.data.uasc.get(child)
    if row is None or (row.ceased is not None and row.ceased <= day):
        return None
    return ("duc", _iso(row.ceased))


def uasc_at_month_end(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    out: dict[int, list[Counted]] = {}
    for m, children in _looked_after(ctx, months).items():
        day = ctx.month_end(m)
        out[m] = [
            _episode_row(e, uasc)
            for e in children.values()
            if (uasc := _uasc_on(ctx, e.child, day)) is not None
        ]
    return out


def ifa_at_month_end(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    places, providers = set(ctx.c.foster_placements), set(ctx.c.ifa_providers)
    out: dict[int, dict[str, Counted]] = {m: {} for m in months}
    for e in ctx.episodes():
        if e.place in places and e.provider in providers:
            for m in ctx.open_months(e.start, e.end, months):
                out[m].setdefault(e.child, _episode_row(e))
    return {m: list(rows.values()) for m, rows in out.items()}


def lac_started(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    out = _bucket(months)
    for e in ctx.episodes():
        rows = _in(out, e.start)
        if rows is not None and e.rne in ctx.c.started_rne:
            rows.append(_episode_row(e))
    return out


def uasc_started(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    out = _bucket(months)
    for e in ctx.episodes():
        rows = _in(out, e.start)
        if rows is not None and e.rne in ctx.c.started_rne:
            uasc = _uasc_on(ctx, e.child, e.start)
            if uasc is not None:
                rows.append(_episode_row(e, uasc))
    return out


def _ceased(ctx: Context, months: list[int], codes: Iterable[str] | None):
    wanted = set(codes) if codes is not None else None
    out = _bucket(months)
    for e in ctx.episodes():
        rows = _in(out, e.end)
        if rows is None or e.reason_ended in ctx.c.not_a_leaver:
            continue
        if wanted is None or e.reason_ended in wanted:
            rows.append(_episode_row(e))
    return out


def lac_ceased(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    return _ceased(ctx, months, None)


def adoptions(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    return _ceased(ctx, months, ctx.c.adoption_codes)


def sgos(ctx: Context, months: list[int]) -> dict[int, list[Counted]]:
    return _ceased(ctx, months, ctx.c.sgo_codes)


_MEASURES = [
    Measure("contacts", "count", (ANNEX_A,), "Annex A list 1 rows with the date of contact "
            "in the month (one child in one contact)", contacts),
    Measure("referrals", "count", (CIN,), "CIN referrals (CINdetails) with the referral date "
            "in the month, no further action included", referrals),
    Measure("rereferrals", "count", (CIN,), "referrals in the month of a child with an earlier "
            "referral within 12 months before it (rereferral_basis, rereferral_months)",
            rereferrals),
    Measure("cse_referrals", "count", (CIN,), "referrals in the month of children aged 13 or "
            "more then whose assessment found child sexual exploitation (factor 11A)",
            cse_referrals),
    Measure("cin_excluding_cp_lac", "count", (CIN, LAC), "children with a CIN episode open at "
            "month end, less those on a plan or looked after then", cin_excluding_cp_lac),
    Measure("assessments_completed", "count", (CIN,), "assessments authorised in the month",
            assessments_completed),
    Measure("assessments_in_time", "count", (CIN,), "assessments authorised in the month within "
            "45 working days of their start (assessment_days)", assessments_in_time),
    *[
        Measure(f"assessments_{name}_days_percent", "percent", (CIN,), f"the percentage of the "
                f"month's authorised assessments that took {low} to {high} working days",
                _assessment_bin(low, high))
        for name, (low, high) in BINS.items()
    ],
    Measure("assessments_over_45_days_percent", "percent", (CIN,), "the percentage of the "
            "month's authorised assessments that took more than 45 working days",
            _assessment_bin(46, None)),
    Measure("s47_started", "count", (CIN,), "Section 47 enquiries starting in the month",
            s47_started),
    Measure("icpc_children", "count", (CIN,), "children with a Section 47-level initial "
            "conference in the month (transfer-ins, at CINdetails level, left out)",
            icpc_children),
    Measure("icpc_children_with_plan", "count", (CIN,), "of those, children whose plan started "
            "on the conference's day", icpc_children_with_plan),
    Measure("icpc_children_in_time", "count", (CIN,), "of those, children whose conference was "
            "within 15 working days of the Section 47's start (icpc_days)", icpc_children_in_time),
    Measure("transfer_in_children", "count", (CIN,), "children with a transfer-in initial "
            "conference (at CINdetails level) in the month", transfer_in_children),
    Measure("transfer_in_plan_percent", "percent", (CIN,), "the percentage of those whose plan "
            "started on the conference's day", transfer_in_plan_percent),
    Measure("plans_at_month_end", "count", (CIN,), "children with a child protection plan open "
            "at month end", plans_at_month_end),
    Measure("repeat_plans", "count", (CIN,), "plans starting in the month of a child with a "
            "previous plan (NumberOfPreviousCPP > 0)", repeat_plans),
    Measure("repeat_plans_percent", "percent", (CIN,), "the percentage of the plans starting in "
            "the month that are repeat plans", repeat_plans_percent),
    Measure("review_children", "count", (CIN,), "children with a review conference in the "
            "month", review_children),
    Measure("plans_ended", "count", (CIN,), "plans ending in the month (plans_ended_count)",
            plans_ended),
    Measure("lac_at_month_end", "count", (LAC,), "children with a 903 episode open at month end, "
            "short breaks left out", lac_at_month_end),
    Measure("lac_started", "count", (LAC,), "episodes starting a period of care (RNE S) in the "
            "month, short breaks left out", lac_started),
    Measure("lac_ceased", "count", (LAC,), "episodes ending in the month with REC other than X1 "
            "(a leaver), short breaks left out", lac_ceased),
    Measure("adoptions", "count", (LAC,), "leavers in the month adopted (REC E11, E12)",
            adoptions),
    Measure("sgos", "count", (LAC,), "leavers in the month on a special guardianship order "
            "(REC E43 to E48)", sgos),
    Measure("uasc_at_month_end", "count", (LAC,), "looked-after children at month end in the "
            "UASC table whose UASC status had not ceased (DUC after the day; blank: the 18th "
            "birthday)",
            uasc_at_month_end, ("uasc",)),
    Measure("uasc_started", "count", (LAC,), "periods of care starting in the month of a child "
            "UASC on that day", uasc_started, ("uasc",)),
    Measure("ifa_at_month_end", "count", (LAC,), "looked-after children at month end placed in "
            "foster care (PLACE U1-U6) by an independent agency (PLACE_PROVIDER PR4, PR5)",
            ifa_at_month_end),
]  # fmt: skip
MEASURES = {measure.name: measure for measure in _MEASURES}
"""Every measure ``figures.toml`` may name, by name."""


def count(measure: Measure, ctx: Context, months: list[int]) -> dict[int, Figure]:
    """The measure's figure for each month (month indices, consecutive)."""
    figures = {}
    for month, rows in measure.rule(ctx, months).items():
        if measure.unit == "percent":
            top = sum(row.included for row in rows)
            value = top / len(rows) if rows else None
        else:
            value = float(len(rows))
        figures[month] = Figure(value, rows)
    return figures
