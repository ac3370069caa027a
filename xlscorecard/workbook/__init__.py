"""What the workbook holds: its layout, sheets, formulas and cell contents, and reading it back.

Pure Python: the file writer (:mod:`xlscorecard.xlsx`) and the Excel writer
(:mod:`xlscorecard.excel`) both apply what this package works out.
"""
