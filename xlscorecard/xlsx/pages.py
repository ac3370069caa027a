"""How the workbook's sheets print: A3 landscape, one page wide, page numbers in the footer."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

A3 = "8"


def a3_landscape(sheet: Worksheet, footer: str = "Page &P of &N", margin: float = 0.3) -> None:
    """A3 landscape, one page wide (as many pages down as it needs), centred, ``margin``
    inches left and right, ``footer`` (Excel's codes: ``&P`` page, ``&N`` pages) at the foot."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = margin
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = footer
    sheet.oddFooter.center.size = 10
    sheet.oddFooter.center.font = "Arial"
