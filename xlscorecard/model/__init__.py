"""The plain data model: indicators, months, values and the tables they are kept in.

Pure Python: nothing here imports a spreadsheet, file-format or command-line library.
"""

from .dataset import (
    NOT_APPLICABLE,
    POPULATION,
    Answer,
    Benchmark,
    Comment,
    Dataset,
    Indicator,
    Polarity,
    Unit,
    Value,
    answer_key,
)
from .months import Month, window
from .settings import Settings

__all__ = [
    "NOT_APPLICABLE",
    "POPULATION",
    "Answer",
    "Benchmark",
    "Comment",
    "Dataset",
    "Indicator",
    "Month",
    "Polarity",
    "Settings",
    "Unit",
    "Value",
    "answer_key",
    "window",
]
