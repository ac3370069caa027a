"""The jobs of the month, pure: validate, import, roll forward, plan the official return.

Each takes a :class:`~xlscorecard.model.book.LiveBook` (and who and when) and returns
what to write; the adapters in :mod:`xlscorecard.xlsx` and :mod:`xlscorecard.excel` write it.
"""
