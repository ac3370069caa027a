"""Developers' checks of the files xlscorecard writes: what makes Excel offer to repair a
workbook that schema validation passes. The test suite runs them on every file written;
``xlscorecard lint``, a developers' tool left out of ``--help``, runs them on any file."""

from .repair_risks import LintError, LintProblem, audit_file, lint_file

__all__ = ["LintError", "LintProblem", "audit_file", "lint_file"]
