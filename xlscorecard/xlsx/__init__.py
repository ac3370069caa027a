"""Workbook files through openpyxl: reading one (damage becomes ``Error:``), rendering the
Dataset, supporting sheets, Trends and pages, the one save (cached values), the template, and
the parts openpyxl would drop that a save carries over; what reaches inside openpyxl is in
one module, ``openpyxl_private``, behind a check of its version."""
