"""Named cell styles, number formats and conditional formats, each from one table.

Friendly names (``"count"``, ``"good"``) map to OOXML here and nowhere else. The template
carries the named styles, so a council can restyle its template and every build follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat

from ..calc.figures import CHANGE_DECIMALS
from ..calc.spc_report import ASSURANCE_WORDS, VARIATION_WORDS
from ..model import Unit
from ..workbook.style_names import INPUT_STYLE, INPUT_TEXT, SPC_STYLE, UNIT_STYLE

FONT = "Arial"
SIZE = 9
INK = "1F1F1F"
HEADER_FILL = "1F3864"
BAND_FILL = "D9E1F2"
INPUT_FILL = "FFF2CC"
RULE = Side(style="thin", color="A6A6A6")
GRID = Border(left=RULE, right=RULE, top=RULE, bottom=RULE)

NUMBER_FORMATS = {
    Unit.COUNT: "#,##0",
    Unit.PERCENT: "0%",
    Unit.RATE: "#,##0",
    "change": '"→ "0%;"→ -"0%',
    "month": "mmm-yy",
    "population": "#,##0",
}


def _font(**kwargs: object) -> Font:
    return Font(name=FONT, size=kwargs.pop("size", SIZE), color=kwargs.pop("color", INK), **kwargs)


def _style(name: str, **parts: object) -> NamedStyle:
    style = NamedStyle(name=name)
    style.font = parts.get("font", _font())
    style.alignment = parts.get("alignment", Alignment(vertical="top"))
    style.border = parts.get("border", GRID)
    if "fill" in parts:
        style.fill = parts["fill"]
    if "number_format" in parts:
        style.number_format = parts["number_format"]
    if parts.get("unlocked"):
        style.protection = Protection(locked=False)
    return style


_CENTRE = Alignment(horizontal="center", vertical="center")
_WRAP = Alignment(vertical="top", wrap_text=True)
_NONE = Border()

NAMED_STYLES: dict[str, NamedStyle] = {
    "title": _style("Scorecard title", font=_font(size=16, bold=True), border=_NONE),
    "subtitle": _style("Scorecard subtitle", font=_font(size=13, bold=True), border=_NONE),
    "note": _style("Scorecard note", font=_font(italic=True, color="595959"), border=_NONE),
    "benchmark note": _style(
        "Scorecard benchmark note",
        font=_font(italic=True, color="595959"),
        alignment=Alignment(horizontal="center", vertical="top", wrap_text=True),
        border=_NONE,
    ),
    "header": _style(
        "Scorecard header",
        font=_font(bold=True, color="FFFFFF"),
        fill=PatternFill("solid", fgColor=HEADER_FILL),
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    ),
    "band": _style(
        "Scorecard band",
        font=_font(size=10, bold=True),
        fill=PatternFill("solid", fgColor=BAND_FILL),
    ),
    "ref": _style("Scorecard ref", font=_font(bold=True)),
    "text": _style("Scorecard text", alignment=_WRAP),
    "centre": _style("Scorecard centre", alignment=_CENTRE),
    "count": _style("Scorecard count", number_format=NUMBER_FORMATS[Unit.COUNT], alignment=_CENTRE),
    "percent": _style(
        "Scorecard percent", number_format=NUMBER_FORMATS[Unit.PERCENT], alignment=_CENTRE
    ),
    "rate": _style("Scorecard rate", number_format=NUMBER_FORMATS[Unit.RATE], alignment=_CENTRE),
    "change": _style("Scorecard change", number_format=NUMBER_FORMATS["change"], alignment=_CENTRE),
    "marker": _style("Scorecard marker", font=_font(size=11), alignment=_CENTRE),
    "population": _style(
        "Scorecard population",
        font=_font(italic=True, color="595959"),
        number_format=NUMBER_FORMATS["population"],
        alignment=_CENTRE,
        border=_NONE,
    ),
    "table header": _style(
        "Scorecard table header",
        font=_font(bold=True),
        fill=PatternFill("solid", fgColor=BAND_FILL),
    ),
    "cell": _style("Scorecard cell", border=_NONE),
    "table text": _style("Scorecard table text", alignment=_WRAP, border=_NONE),
}
_INPUT = PatternFill("solid", fgColor=INPUT_FILL)
for _unit, _friendly in UNIT_STYLE.items():
    NAMED_STYLES[INPUT_STYLE[_unit]] = _style(
        f"Scorecard input {_friendly}",
        number_format=NUMBER_FORMATS[_unit],
        alignment=_CENTRE,
        fill=_INPUT,
        unlocked=True,
    )
NAMED_STYLES[INPUT_TEXT] = _style(
    "Scorecard input text", alignment=_WRAP, fill=_INPUT, unlocked=True
)
_GAP = Side(style="thick", color="FFFFFF")
NAMED_STYLES[SPC_STYLE] = _style(
    "Scorecard SPC",
    alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    border=Border(left=_GAP, right=_GAP, top=_GAP, bottom=_GAP),
)
"""The Variation and Assurance cells: their words centred, a white gap around each so that
the colour blocks of neighbouring cells stay apart (they say their meaning in words too)."""
NAMED_STYLES["answer"] = _style(
    "Scorecard answer", alignment=_WRAP, fill=_INPUT, border=_NONE, unlocked=True
)


def style_name(friendly: str) -> str:
    """The workbook's name of a style, from its friendly name."""
    return NAMED_STYLES[friendly].name


# -- conditional formats ------------------------------------------------------------------
SENSE_FORMATS = {
    "good": DifferentialStyle(
        font=Font(color="006100", bold=True), fill=PatternFill(bgColor="C6EFCE")
    ),
    "bad": DifferentialStyle(
        font=Font(color="9C0006", bold=True), fill=PatternFill(bgColor="FFC7CE")
    ),
}
MDC_COLOURS = {
    "improvement": "00B0F0",
    "concern": "E46C0A",
    "neither": "490092",
    "common": "A6A6A6",
}
"""Making Data Count's colours: blue improvement, orange concern, purple neither, grey common."""
MDC_TEXT = {"improvement": "000000", "concern": "000000", "neither": "FFFFFF", "common": "000000"}
"""The text on each colour: black or white, whichever reads (WCAG contrast of 4.5 or more)."""
SPC_KINDS = {
    **{icon: icon.split("-")[0] for icon in VARIATION_WORDS},
    "pass": "improvement",
    "fail": "concern",
    "hit-or-miss": "common",
}
"""The colour of each Variation and Assurance icon: a pass is blue, a fail orange."""
ARROW_FORMATS = {
    "up": '"↑ "0%;"↑ -"0%',
    "down": '"↓ "0%;"↓ -"0%',
}
"""The % change with its arrow beside it, for a rise or a fall of the threshold or more (the
cell's own format, ``→ 5%``, is the sideways arrow). Each is set by a conditional format, so
Excel and LibreOffice both show the arrow as a character beside the figure, in the figure's
font, where an icon set would be drawn apart from it (LibreOffice: small and grey, in the
corner). A fall keeps its minus sign: ``↓ -69%``."""
ARROW_FORMAT_IDS = {"up": 300, "down": 301}
"""Their number format ids in the workbook's differential formats (clear of the cells' own,
which openpyxl numbers from 164)."""


@dataclass(frozen=True)
class ArrowFormat:
    """Arrows on the % change cells: up at +threshold or more, down at -threshold or less,
    shaded green or red by the row's DoT marker."""

    threshold: float

    def check(self) -> None:
        """Raise ValueError for a spec Excel would reject or misread; nothing is written first."""
        if not 0 < self.threshold < 1 or round(self.threshold, CHANGE_DECIMALS) != self.threshold:
            raise ValueError(
                f"the arrow threshold must be a fraction in (0, 1) with at most "
                f"{CHANGE_DECIMALS} decimals (the precision of % changes), not {self.threshold}"
            )

    def rules(self, value_cell: str, marker_cell: str, up: str, down: str) -> list[Rule]:
        """The conditional formats of a % change range, by its top-left cell: the first that
        holds applies (each stops the others, as LibreOffice applies one anyway). A rise or
        fall of the threshold or more shows its arrow, shaded as good or bad news by the row's
        DoT marker (``up`` or ``down``; no shading for a volume with no good direction).

        % changes are rounded to :data:`CHANGE_DECIMALS`, so ``>=`` the threshold is what the
        Python calculation (:func:`~xlscorecard.calc.figures.arrow_for`) calls a rise."""
        self.check()
        t = f"{self.threshold:g}"
        moves = {
            "up": f"AND(ISNUMBER({value_cell}),{value_cell}>={t})",
            "down": f"AND(ISNUMBER({value_cell}),{value_cell}<=-{t})",
        }
        good = {"up": up, "down": down}
        bad = {"up": down, "down": up}
        rules = []
        for sense, markers in (("good", good), ("bad", bad)):
            for arrow, move in moves.items():
                formula = f'AND({marker_cell}="{markers[arrow]}",{move})'
                rules.append(_rule(formula, arrow, SENSE_FORMATS[sense]))
        rules += [_rule(move, arrow) for arrow, move in moves.items()]
        return rules


def _rule(formula: str, arrow: str, sense: DifferentialStyle | None = None) -> Rule:
    style = DifferentialStyle(
        font=sense.font if sense else None,
        fill=sense.fill if sense else None,
        numFmt=NumberFormat(numFmtId=ARROW_FORMAT_IDS[arrow], formatCode=ARROW_FORMATS[arrow]),
    )
    return Rule(type="expression", formula=[formula], dxf=style, stopIfTrue=True)


def spc_key(text: str) -> str:
    """The start of a Variation or Assurance cell's words that its colour rule looks for:
    ``● Improvement`` for ``● Improvement (high)``."""
    return text.split(" (")[0]


def spc_rules(top_left: str) -> list[Rule]:
    """ "Text that begins with" rules colouring Variation and Assurance cells by their words,
    one per kind of icon, for a range whose top-left cell is ``top_left``."""
    words = {**VARIATION_WORDS, **ASSURANCE_WORDS}
    keys = dict.fromkeys((spc_key(text), SPC_KINDS[icon]) for icon, text in words.items())
    rules = []
    for key, kind in keys:
        style = DifferentialStyle(
            font=Font(color=MDC_TEXT[kind], bold=True),
            fill=PatternFill(bgColor=MDC_COLOURS[kind]),
        )
        formula = f'LEFT({top_left},LEN("{key}"))="{key}"'
        rules.append(
            Rule(type="beginsWith", operator="beginsWith", text=key, formula=[formula], dxf=style)
        )
    return rules


__all__ = [
    "ARROW_FORMATS",
    "GRID",
    "INPUT_FILL",
    "MDC_COLOURS",
    "MDC_TEXT",
    "NAMED_STYLES",
    "NUMBER_FORMATS",
    "SENSE_FORMATS",
    "ArrowFormat",
    "spc_rules",
    "style_name",
]
