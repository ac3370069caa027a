"""Friendly names of the workbook's cell styles, by what a cell holds.

What each name looks like in a file (font, fill, number format, locking) is defined once, in
:mod:`xlscorecard.xlsx.styles`; the template carries them as named styles.
"""

from __future__ import annotations

from ..model import Unit

UNIT_STYLE = {Unit.COUNT: "count", Unit.PERCENT: "percent", Unit.RATE: "rate"}
"""A figure's style, by its unit."""
INPUT_STYLE = {unit: f"input {name}" for unit, name in UNIT_STYLE.items()}
"""The style of a cell a person types a figure into (shaded, unlocked), by unit."""
INPUT_TEXT = "input text"
"""A cell a person types words into (the month's commentary)."""
SPC_STYLE = "spc"
"""A Variation or Assurance cell (its colour comes from conditional formats on its words)."""
AS_PRINTED = {**{INPUT_STYLE[unit]: name for unit, name in UNIT_STYLE.items()}, INPUT_TEXT: "text"}
"""What a typed cell looks like where nobody types any more (the official return): the same
figure or text, without the input shading."""
