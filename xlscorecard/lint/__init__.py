"""What makes Excel offer to repair a workbook that schema validation passes (a developer's
check of every file xlscorecard writes; ``xlscorecard lint`` runs it)."""

from .repair_risks import LintError, LintProblem, audit_file, lint_file

__all__ = ["LintError", "LintProblem", "audit_file", "lint_file"]
