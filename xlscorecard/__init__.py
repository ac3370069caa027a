"""xlscorecard: the monthly children's services performance dataset, in Excel and on Linux."""

__version__ = "0.1.0"
