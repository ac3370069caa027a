"""The CIN census (XML), read with the standard library's parsers. A DOCTYPE or entity
declaration is refused before parsing, so no entity, internal or external, is ever expanded.
Each record remembers its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

from ..errors import DataFileError
from .dates import parse_date
from .records import Assessment, Plan, Referral, Section47

Element = ElementTree.Element
LOCATED = ("Child", "CINdetails", "Assessments", "Section47", "ChildProtectionPlans")
"""Elements whose line each record and message names."""


YES, NO = {"1", "true", "y", "yes"}, {"0", "false", "n", "no", ""}
"""ReferralNFA as the schema writes it (1, 0) and as some exports do."""
DOCTYPE = "has a DOCTYPE (entity declarations), which a CIN census never has: not read"


class _Doctype(Exception):
    pass


class Census:
    """A parsed XML document: its root element and the lines of the :data:`LOCATED`
    elements, in document order."""

    def __init__(self, path: Path, data: bytes):
        self.path = path
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            at = data.find(b"<!DOCTYPE")
            at = at if at >= 0 else data.find(b"<!ENTITY")
            raise DataFileError(path, data.count(b"\n", 0, at) + 1, None, DOCTYPE)
        self.data = data
        self.lines: dict[str, list[int]] = {tag: [] for tag in LOCATED}
        self._seen = dict.fromkeys(LOCATED, 0)
        self._scan(data)
        self.root = _strip(ElementTree.fromstring(data))

    def _scan(self, data: bytes) -> None:
        """The located elements' lines; a DataFileError where the XML is not well formed."""
        parser = expat.ParserCreate()
        lines = self.lines

        def start(tag: str, _attributes: object) -> None:
            found = lines.get(tag.rpartition(":")[2])
            if found is not None:
                found.append(parser.CurrentLineNumber)

        def refuse(*_args: object) -> None:
            raise _Doctype(parser.CurrentLineNumber)

        parser.StartElementHandler = start
        parser.StartDoctypeDeclHandler = refuse  # in whatever encoding the file is
        parser.EntityDeclHandler = refuse
        try:
            parser.Parse(data, True)
        except _Doctype as found:
            raise DataFileError(self.path, found.args[0], None, DOCTYPE) from None
        except expat.ExpatError as exc:
            raise DataFileError(
                self.path, exc.lineno, None,
                f"is not well-formed XML (column {exc.offset + 1}: "
                f"{expat.ErrorString(exc.code)}); export the CIN census again",
            ) from None  # fmt: skip

    def field_line(self, line: int, tag: str) -> int:
        """The line, from ``line`` on, where element ``tag`` starts (for a message)."""
        text = self.data.decode("utf-8", errors="replace").splitlines()
        for number in range(line, len(text) + 1):
            if f"<{tag}" in text[number - 1] or f":{tag}" in text[number - 1]:
                return number
        return line

    def line(self, element: Element) -> int:
        """The line of the next located element of its kind (records are read in order)."""
        tag = element.tag
        number = self.lines[tag][self._seen[tag]]
        self._seen[tag] += 1
        return number


def _strip(root: Element) -> Element:
    """Namespaces dropped from every tag (``{urn:...}Child`` -> ``Child``)."""
    if any(e.tag[:1] == "{" or ":" in e.tag for e in root.iter()):
        for element in root.iter():
            element.tag = element.tag.rpartition("}")[2].rpartition(":")[2]
    return root


def is_cin_census(root: Element) -> bool:
    """A CIN census: a ``Message`` whose ``Children`` hold ``Child`` with ``CINdetails``."""
    children = root.find("Children")
    if root.tag != "Message" or children is None:
        return False
    return any(child.find("CINdetails") is not None for child in children.iter("Child"))


def read_cin(census: Census) -> list[Referral]:
    """Every CINdetails of every child, with its assessments, enquiries and plans."""
    path, referrals = census.path, []
    for child in census.root.iter("Child"):
        line = census.line(child)
        ids = child.find("ChildIdentifiers")
        who = (ids.findtext("LAchildID") or "").strip() if ids is not None else ""
        if not who:
            raise DataFileError(path, line, "LAchildID", "a Child with no LAchildID")
        birth = _date(census, line, ids, "PersonBirthDate", False) if ids is not None else None
        for details in child.iter("CINdetails"):
            referrals.append(_referral(census, who, birth, details))
    return referrals


def _date(census: Census, line: int, node: Element, tag: str, required: bool) -> dt.date | None:
    text = node.findtext(tag)
    path = census.path
    try:
        day = parse_date(text.strip() if text else None)
    except ValueError as exc:
        raise DataFileError(path, census.field_line(line, tag), tag, str(exc)) from None
    if day is None and required:
        raise DataFileError(path, line, tag, f"a {node.tag} with no {tag}")
    return day


def _referral(census: Census, who: str, birth: dt.date | None, node: Element) -> Referral:
    path = census.path
    line = census.line(node)
    where = f"{path.name}, line {line}"
    date = _date(census, line, node, "CINreferralDate", True)
    assert date is not None
    assessments = []
    for a in node.iter("Assessments"):
        at = census.line(a)
        start = _date(census, at, a, "AssessmentActualStartDate", True)
        assert start is not None
        codes = tuple((f.text or "").strip().upper() for f in a.iter("AssessmentFactors"))
        authorised = _date(census, at, a, "AssessmentAuthorisationDate", False)
        assessments.append(Assessment(who, start, authorised, codes, f"{path.name}, line {at}"))
    enquiries = []
    for s in node.iter("Section47"):
        at = census.line(s)
        start = _date(census, at, s, "S47ActualStartDate", True)
        assert start is not None
        icpc = _date(census, at, s, "DateOfInitialCPC", False)
        enquiries.append(Section47(who, start, icpc, f"{path.name}, line {at}"))
    plans = []
    for p in node.iter("ChildProtectionPlans"):
        at = census.line(p)
        start = _date(census, at, p, "CPPstartDate", True)
        assert start is not None
        previous = (p.findtext("NumberOfPreviousCPP") or "0").strip() or "0"
        if not previous.isdigit():
            at = census.field_line(at, "NumberOfPreviousCPP")
            raise DataFileError(path, at, "NumberOfPreviousCPP",
                                f"expected a whole number, found {previous!r}")  # fmt: skip
        reviews = []
        for review in p.iter("CPPreviewDate"):
            try:
                day = parse_date((review.text or "").strip())
            except ValueError as exc:
                at = census.field_line(at, "CPPreviewDate")
                raise DataFileError(path, at, "CPPreviewDate", str(exc)) from None
            if day is not None:
                reviews.append(day)
        end = _date(census, at, p, "CPPendDate", False)
        plans.append(
            Plan(who, start, end, int(previous), tuple(reviews), f"{path.name}, line {at}")
        )
    nfa = (node.findtext("ReferralNFA") or "").strip().lower()
    if nfa not in YES | NO:
        message = f"expected 1 (true) or 0 (false), found {nfa!r}"
        raise DataFileError(path, line, "ReferralNFA", message)
    closed = _date(census, line, node, "CINclosureDate", False)
    icpc = _date(census, line, node, "DateOfInitialCPC", False)
    return Referral(
        who, date, closed, nfa in YES, birth, icpc, tuple(assessments),
        tuple(enquiries), tuple(plans), where,
    )  # fmt: skip
