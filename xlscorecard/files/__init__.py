"""Files on disk: data directories, workbook files (openpyxl), the template, safe writes,
LibreOffice, and the monthly jobs on a workbook file."""
