"""Excel through xlwings: the Scorecard ribbon's buttons and the bulk reads and writes they make.

The only package that imports xlwings; the rest of xlscorecard runs without it.
"""
