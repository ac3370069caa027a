"""xlscorecard: the monthly children's services performance dataset, in Excel and on Linux."""

__version__ = "0.1.0"


def __getattr__(name: str):
    # The Excel entry points (xlwings' ribbon runs ``import xlscorecard; xlscorecard.main()``),
    # imported on first use so that the library itself never imports xlwings.
    if name in ("main", "on_button"):
        from . import excel

        return getattr(excel, name)
    raise AttributeError(f"module 'xlscorecard' has no attribute {name!r}")
