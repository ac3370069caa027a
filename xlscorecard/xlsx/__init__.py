"""Workbook files through openpyxl: reading one (damage becomes ``Error:``), rendering the
Dataset, supporting sheets, Trends and pages, the one save (cached values), the template, and
the parts openpyxl would drop that a save carries over."""
