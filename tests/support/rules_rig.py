"""What a spreadsheet *evaluates*: every validation and conditional-format rule of a file, judged
on a table of entries by a real engine, not read as text.

- A validation or expression rule is a formula relative to the top-left cell of its range.
  :func:`evaluate` places each rule's formula as a cell formula in a scratch workbook, against
  cells holding each entry with the same relative references, and lets LibreOffice recalculate
  it: TRUE accepts the entry (applies the format); FALSE or an error value refuses it (Excel
  refuses an entry whose validation formula is an error, and applies no format for one).
- An icon set is judged twice: :func:`excel_icon` implements Excel's reading of the rule (cfvo
  thresholds, ``gte`` honoured), and :func:`libreoffice_icons` renders the rule's cells with
  LibreOffice and looks at the arrow it draws in each.
"""

from __future__ import annotations

import itertools
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import FormatObject, IconSet, Rule
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries

from xlscorecard.returns.libreoffice import convert

RESULT_COLUMN = 300
"""Where each case's formula goes in the scratch sheet (far right of anything referenced)."""


@dataclass(frozen=True)
class FormulaRule:
    """A validation rule or an expression conditional format, as the file holds it."""

    kind: str  # "validation" or "format"
    sheet: str
    anchor: str  # the top-left cell of its range: relative references are relative to it
    formula: str
    dxf: object = None  # a format's differential style
    cells: str = ""  # a format's range
    priority: int = 0  # a format's place among the rules (the first that holds applies)


@dataclass(frozen=True)
class IconRule:
    sheet: str
    cells: str
    icon_set: str
    cfvo: tuple[tuple[str, float, bool], ...]  # (type, value, gte) from the lowest icon up
    reverse: bool = False


@dataclass(frozen=True)
class Rules:
    validations: list[FormulaRule]
    prompts_only: list[str]  # validations without a formula (input prompts): accept anything
    formats: list[FormulaRule]  # the arrows' good and bad shading (expressions)
    icons: list[IconRule]
    text_formats: list[FormulaRule]  # "text that begins with" (the SPC words' colours)

    @property
    def count(self) -> int:
        return (
            len(self.validations) + len(self.prompts_only) + len(self.formats) + len(self.icons)
            + len(self.text_formats)
        )  # fmt: skip


def rules_in(path: Path) -> Rules:
    """Every data-validation and conditional-format rule of every sheet of ``path``."""
    book = load_workbook(path)
    validations, prompts, formats, icons, texts = [], [], [], [], []
    for sheet in book.worksheets:
        for validation in sheet.data_validations.dataValidation:
            for cells in validation.sqref.ranges:
                anchor = cells.coord.split(":")[0]
                if validation.formula1 is None:
                    prompts.append(f"{sheet.title}!{cells.coord}")
                    continue
                if validation.type != "custom":
                    raise AssertionError(
                        f"the rig judges custom validations, not {validation.type}"
                    )
                formula = validation.formula1
                validations.append(FormulaRule("validation", sheet.title, anchor, formula))
        for formatting in sheet.conditional_formatting:
            anchor = str(formatting.sqref).split()[0].split(":")[0]
            for rule in formatting.rules:
                if rule.type == "expression":
                    formula = rule.formula[0]
                    cells = str(formatting.sqref)
                    formats.append(
                        FormulaRule(
                            "format", sheet.title, anchor, formula, rule.dxf, cells, rule.priority
                        )
                    )
                elif rule.type == "iconSet":
                    icons.append(_icon_rule(sheet.title, str(formatting.sqref), rule.iconSet))
                elif rule.type == "beginsWith":  # Excel applies it by its formula, as written
                    formula = rule.formula[0]
                    texts.append(FormulaRule("format", sheet.title, anchor, formula, rule.dxf))
                else:
                    raise AssertionError(f"the rig has no reading of {rule.type} rules")
    return Rules(validations, prompts, formats, icons, texts)


def _icon_rule(sheet: str, cells: str, icon_set: IconSet) -> IconRule:
    cfvo = tuple(
        (item.type, float(item.val), item.gte is None or bool(item.gte)) for item in icon_set.cfvo
    )
    return IconRule(sheet, cells, icon_set.iconSet, cfvo, bool(icon_set.reverse))


# -- formulas, evaluated by LibreOffice -----------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """One rule judged on one entry: ``cells`` are the values of the cells its formula reads,
    addressed as at the rule's anchor (``{"R7": "-"}``); what is not given is blank."""

    rule: FormulaRule
    cells: dict[str, object]


def references(rule: FormulaRule) -> list[str]:
    """The cells a rule's formula reads, as written (``R7``, ``$P7``)."""
    tokens = Tokenizer("=" + rule.formula).items
    return [t.value for t in tokens if t.type == Token.OPERAND and t.subtype == Token.RANGE]


def _moved(reference: str, anchor: str, target: str) -> str:
    """``reference`` as it reads from ``target`` when written at ``anchor`` (Excel's rule for a
    relative reference; ``$`` parts stay)."""
    return Translator("=" + reference, origin=anchor).translate_formula(target)[1:]


def evaluate(cases: list[Case]) -> list[object]:
    """Each case's formula result as LibreOffice calculates it (True, False, or an error text
    such as ``#VALUE!``), one scratch workbook and one LibreOffice run for all of them."""
    book = Workbook()
    sheet = book.active
    for row, case in enumerate(cases, start=1):
        column = column_index_from_string(coordinate_from_string(case.rule.anchor)[0])
        target = f"{_letters(column)}{row}"
        for reference, value in case.cells.items():
            sheet[_moved(reference, case.rule.anchor, target).replace("$", "")] = value
        formula = Translator("=" + case.rule.formula, origin=case.rule.anchor).translate_formula(
            target
        )
        sheet.cell(row, RESULT_COLUMN, formula)
    with tempfile.TemporaryDirectory(prefix="rules-rig-") as folder:
        path = Path(folder) / "cases.xlsx"
        book.save(path)
        done = load_workbook(convert(path, "xlsx", Path(folder) / "out"), data_only=True).active
        return [done.cell(row, RESULT_COLUMN).value for row in range(1, len(cases) + 1)]


def _letters(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def verdict(result: object) -> bool:
    """A validation accepts (a format applies) only when its formula gives TRUE."""
    return result is True


# -- icon sets -----------------------------------------------------------------------------------
ARROWS = {"3ArrowsGray": ("down", "side", "up"), "3Arrows": ("down", "side", "up")}


def excel_icon(rule: IconRule, value: object) -> str | None:
    """The icon Excel shows for ``value``: the highest icon whose threshold the value reaches
    (``>=``, or ``>`` where ``gte`` is 0); none for text. Thresholds of type ``num`` only."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    chosen = 0
    for index, (kind, threshold, gte) in enumerate(rule.cfvo[1:], start=1):
        if kind != "num":
            raise AssertionError(f"the rig reads num thresholds, not {kind}")
        if value > threshold or (gte and value == threshold):
            chosen = index
    names = ARROWS[rule.icon_set]
    return (names[::-1] if rule.reverse else names)[chosen]


def libreoffice_icons(rule: IconRule, values: list[object]) -> list[str | None]:
    """The icon LibreOffice draws in a cell holding each value, under ``rule``: the cells are
    rendered to a PDF and a grey image, and each cell's drawing is matched to the drawings of
    cells whose icon no reading can doubt (far below, between and far above the thresholds)."""
    thresholds = [threshold for _, threshold, _ in rule.cfvo[1:]]
    plain = [thresholds[0] - 1, *((a + b) / 2 for a, b in itertools.pairwise(thresholds)),
             thresholds[-1] + 1]  # fmt: skip
    names = ARROWS[rule.icon_set]
    references = dict(zip(names[::-1] if rule.reverse else names, plain, strict=True))
    drawn = _render([*references.values(), *values], rule)
    known = dict(zip(references, drawn[: len(references)], strict=True))
    if any(image is None for image in known.values()) or len(set(known.values())) < len(known):
        raise AssertionError(f"LibreOffice did not draw three different icons: {known}")
    return [_nearest(image, known) for image in drawn[len(references) :]]


def _render(values: list[object], rule: IconRule) -> list[Image | None]:
    """Each value's cell under the rule, drawn by LibreOffice (its text hidden): where the ink
    of what is drawn there lies (:func:`_crop`), or None where nothing is."""
    book = Workbook()
    sheet = book.active
    for row, value in enumerate(values, start=1):
        cell = sheet.cell(row, 1, value)
        cell.number_format = ";;;"  # the icon alone
        sheet.cell(row, 3, f"row{row}")
        sheet.row_dimensions[row].height = 24
    cfvo = [FormatObject(type=kind, val=value, gte=gte) for kind, value, gte in rule.cfvo]
    icons = IconSet(iconSet=rule.icon_set, cfvo=cfvo, reverse=rule.reverse or None)
    sheet.conditional_formatting.add(f"A1:A{len(values)}", Rule(type="iconSet", iconSet=icons))
    with tempfile.TemporaryDirectory(prefix="rules-rig-icons-") as folder:
        path = Path(folder) / "icons.xlsx"
        book.save(path)
        pdf = convert(path, "pdf", Path(folder) / "out")
        dpi = 150
        words = _labels(pdf)
        subprocess.run(
            ["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", str(pdf),
             str(Path(folder) / "page")],
            check=True, capture_output=True,
        )  # fmt: skip
        width, height, pixels = _pgm(next(Path(folder).glob("page*.pgm")))
    scale = dpi / 72
    crops = []
    for row in range(1, len(values) + 1):
        left, top, bottom = words[f"row{row}"]
        y0, y1 = int((top - 6) * scale), int((bottom + 6) * scale)
        x1 = int((left - 4) * scale)
        crops.append(_crop(pixels, width, max(y0, 0), min(y1, height), x1))
    return crops


def _labels(pdf: Path) -> dict[str, tuple[float, float, float]]:
    """{word: (x min, y min, y max)} of the words on the PDF's first page, in points."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("<word "):
            attributes = dict(part.split("=", 1) for part in line[6:].split(">")[0].split())
            word = line.split(">", 1)[1].rsplit("<", 1)[0]
            numbers = {key: float(value.strip('"')) for key, value in attributes.items()}
            found[word] = (numbers["xMin"], numbers["yMin"], numbers["yMax"])
    return found


def _pgm(path: Path) -> tuple[int, int, bytes]:
    """(width, height, grey pixels) of a binary PGM, as pdftoppm -gray writes it."""
    data = path.read_bytes()
    fields, position = [], 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    assert fields[0] == b"P5" and fields[3] == b"255", fields
    return int(fields[1]), int(fields[2]), data[position + 1 :]


Image = tuple[int, int, bytes]
"""A cropped drawing: width, height and its grey pixels, row by row."""


def _crop(pixels: bytes, width: int, y0: int, y1: int, x1: int) -> Image | None:
    """The ink (grey below 230) in rows y0..y1 left of x1, trimmed to its bounding box; None if
    there is none."""
    ink = [(x, y) for y in range(y0, y1) for x in range(0, x1) if pixels[y * width + x] < 230]
    if not ink:
        return None
    xs, ys = [x for x, _ in ink], [y for _, y in ink]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    rows = (pixels[y * width + left : y * width + right + 1] for y in range(top, bottom + 1))
    return right - left + 1, bottom - top + 1, b"".join(rows)


def _difference(a: Image, b: Image) -> float:
    """Mean grey difference of two drawings, at the best of the shifts of up to a pixel that a
    sub-pixel position in the page can cause."""
    (wa, ha, pa), (wb, hb, pb) = a, b
    best = float("inf")
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            total = count = 0
            for y in range(ha):
                for x in range(wa):
                    xb, yb = x + dx, y + dy
                    other = pb[yb * wb + xb] if 0 <= xb < wb and 0 <= yb < hb else 255
                    total += abs(pa[y * wa + x] - other)
                    count += 1
            best = min(best, total / count)
    return best


def _nearest(image: Image | None, known: dict[str, Image]) -> str | None:
    """The reference icon ``image`` is, clearly (much nearer to it than to any other)."""
    if image is None:
        return None
    distances = sorted((_difference(image, other), name) for name, other in known.items())
    (best, name), (second, _) = distances[0], distances[1]
    if best > second / 3:
        raise AssertionError(f"LibreOffice drew an icon like none of the three: {distances}")
    return name


def cell_range(cells: str) -> list[str]:
    """Every cell of an A1 range (``N7:N70``)."""
    from openpyxl.utils import get_column_letter

    min_col, min_row, max_col, max_row = range_boundaries(cells)
    return [
        f"{get_column_letter(c)}{r}"
        for r in range(min_row, max_row + 1)
        for c in range(min_col, max_col + 1)
    ]
