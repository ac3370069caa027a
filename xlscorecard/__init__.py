"""xlscorecard: the monthly children's services performance dataset, in Excel and on Linux."""

from .version import __version__

__all__ = ["__version__", "main", "on_button", "open"]


def open(path):
    """Read a workbook or an official return for analysis (docs/api.md): its figures as a
    pandas DataFrame (``.history()``), one indicator's SPC (``.spc(ref)``), the checks and
    the commentary. Changes nothing."""
    from .api import open_scorecard

    return open_scorecard(path)


def __getattr__(name: str):
    # The Excel entry points (xlwings' ribbon runs ``import xlscorecard; xlscorecard.main()``),
    # imported on first use so that the library itself never imports xlwings.
    if name in ("main", "on_button"):
        from .excel import buttons

        return getattr(buttons, name)
    raise AttributeError(f"module 'xlscorecard' has no attribute {name!r}")
