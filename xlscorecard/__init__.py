"""xlscorecard: the monthly children's services performance dataset, in Excel and on Linux."""

from .version import __version__

__all__ = ["__version__", "main", "on_button"]


def __getattr__(name: str):
    # The Excel entry points (xlwings' ribbon runs ``import xlscorecard; xlscorecard.main()``),
    # imported on first use so that the library itself never imports xlwings.
    if name in ("main", "on_button"):
        from .excel import buttons

        return getattr(buttons, name)
    raise AttributeError(f"module 'xlscorecard' has no attribute {name!r}")
