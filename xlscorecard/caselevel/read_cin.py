"""The CIN census (XML), read with the standard library's expat parser: no DOCTYPE, so no
entities, internal or external, are ever expanded. Each record remembers its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.parsers import expat

from ..errors import DataFileError
from .dates import parse_date
from .records import Assessment, Plan, Referral, Section47


class _Node:
    __slots__ = ("children", "line", "tag", "text")

    def __init__(self, tag: str, line: int):
        self.tag, self.line = tag, line
        self.children: list[_Node] = []
        self.text = ""

    def all(self, tag: str) -> list[_Node]:
        return [child for child in self.children if child.tag == tag]

    def first(self, tag: str) -> _Node | None:
        return next((child for child in self.children if child.tag == tag), None)

    def value(self, tag: str) -> str:
        node = self.first(tag)
        return node.text.strip() if node is not None else ""


class _Refused(Exception):
    pass


def parse_xml(path: Path, data: bytes) -> _Node:
    """The document's element tree (namespace prefixes dropped), or a DataFileError naming
    the line and column where it stops being well-formed XML."""
    parser = expat.ParserCreate()
    root = _Node("", 0)
    stack = [root]

    def start(tag: str, _attributes: dict[str, str]) -> None:
        node = _Node(tag.rpartition(":")[2], parser.CurrentLineNumber)
        stack[-1].children.append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        stack[-1].text += data

    def doctype(*_args: object) -> None:
        raise _Refused

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise DataFileError(
            path, exc.lineno, None,
            f"is not well-formed XML (column {exc.offset + 1}: "
            f"{expat.ErrorString(exc.code)}); export the CIN census again",
        ) from None  # fmt: skip
    except _Refused:
        raise DataFileError(
            path, parser.CurrentLineNumber, None,
            "has a DOCTYPE (entity declarations), which a CIN census never has: not read",
        ) from None  # fmt: skip
    if not root.children:
        raise DataFileError(path, None, None, "holds no XML element")
    return root.children[0]


def is_cin_census(root: _Node) -> bool:
    """A CIN census: a ``Message`` whose ``Children`` hold ``Child`` with ``CINdetails``."""
    children = root.first("Children")
    if root.tag != "Message" or children is None:
        return False
    return any(child.first("CINdetails") is not None for child in children.all("Child"))


def read_cin(path: Path, root: _Node) -> list[Referral]:
    """Every CINdetails of every child, with its assessments, enquiries and plans."""
    referrals = []
    for child in root.first("Children").all("Child"):  # type: ignore[union-attr]
        ids = child.first("ChildIdentifiers")
        who = ids.value("LAchildID") if ids is not None else ""
        if not who:
            raise DataFileError(path, child.line, "LAchildID", "a Child with no LAchildID")
        birth = _date(path, ids, "PersonBirthDate", False) if ids is not None else None
        for details in child.all("CINdetails"):
            referrals.append(_referral(path, who, birth, details))
    return referrals


def _where(path: Path, node: _Node) -> str:
    return f"{path.name}, line {node.line}"


def _date(path: Path, node: _Node, tag: str, required: bool) -> dt.date | None:
    element = node.first(tag)
    text = element.text.strip() if element is not None else ""
    line = element.line if element is not None else node.line
    try:
        day = parse_date(text)
    except ValueError as exc:
        raise DataFileError(path, line, tag, str(exc)) from None
    if day is None and required:
        raise DataFileError(path, line, tag, f"a {node.tag} with no {tag}")
    return day


def _referral(path: Path, who: str, birth: dt.date | None, node: _Node) -> Referral:
    date = _date(path, node, "CINreferralDate", True)
    assert date is not None
    assessments = []
    for a in node.all("Assessments"):
        start = _date(path, a, "AssessmentActualStartDate", True)
        assert start is not None
        factors = a.first("FactorsIdentifiedAtAssessment")
        codes = tuple(f.text.strip().upper() for f in factors.children) if factors else ()
        authorised = _date(path, a, "AssessmentAuthorisationDate", False)
        assessments.append(Assessment(who, start, authorised, codes, _where(path, a)))
    enquiries = []
    for s in node.all("Section47"):
        start = _date(path, s, "S47ActualStartDate", True)
        assert start is not None
        icpc = _date(path, s, "DateOfInitialCPC", False)
        enquiries.append(Section47(who, start, icpc, _where(path, s)))
    plans = []
    for p in node.all("ChildProtectionPlans"):
        start = _date(path, p, "CPPstartDate", True)
        assert start is not None
        previous = p.value("NumberOfPreviousCPP") or "0"
        if not previous.isdigit():
            raise DataFileError(path, p.line, "NumberOfPreviousCPP",
                                f"expected a whole number, found {previous!r}")  # fmt: skip
        reviews_node = p.first("Reviews")
        reviews = tuple(
            day for r in (reviews_node.all("CPPreviewDate") if reviews_node else [])
            if (day := _review(path, r)) is not None
        )  # fmt: skip
        end = _date(path, p, "CPPendDate", False)
        plans.append(Plan(who, start, end, int(previous), reviews, _where(path, p)))
    nfa = node.value("ReferralNFA").lower()
    if nfa not in {"true", "false", "1", "0", ""}:
        raise DataFileError(
            path, node.line, "ReferralNFA", f"expected true or false, found {nfa!r}"
        )
    return Referral(
        who, date, _date(path, node, "CINclosureDate", False), nfa in {"true", "1"}, birth,
        _date(path, node, "DateOfInitialCPC", False), tuple(assessments), tuple(enquiries),
        tuple(plans), _where(path, node),
    )  # fmt: skip


def _review(path: Path, node: _Node) -> dt.date | None:
    try:
        return parse_date(node.text.strip())
    except ValueError as exc:
        raise DataFileError(path, node.line, "CPPreviewDate", str(exc)) from None
