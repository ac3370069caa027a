Attribute VB_Name = "ScorecardRibbon"
' VBA of the xlscorecard add-in (source of truth: macros/ScorecardRibbon.bas in the xlscorecard
' repository; rebuild the add-in with "xlscorecard addin build" after any change, then go
' through macros/SMOKE_TEST.md in Excel).
Option Explicit

' The ribbon dispatcher. Every Scorecard button but "Refresh month" calls OnButton
' (customUI.xml: onAction="ScorecardRibbon.OnButton"), which hands the button's id to Python,
' xlscorecard.on_button(id); RunPython (the add-in's xlwings module) runs it with the active
' workbook as the caller. Keep it generic: a new button needs an id in customUI.xml and a
' branch in on_button, not new VBA.
Public Sub OnButton(control As IRibbonControl)
    On Error GoTo Failed
    RunPython "import xlscorecard; xlscorecard.on_button('" & control.Id & "')"
    Exit Sub
Failed:
    MsgBox "The Scorecard button """ & control.Id & """ could not start Python." & vbNewLine & _
        vbNewLine & Err.Description & vbNewLine & vbNewLine & _
        "Check the add-in's Python settings (see the xlscorecard Excel add-in guide).", _
        vbCritical, "Scorecard"
End Sub

' Called from Python (xlscorecard/xlwings_book.py), not from the ribbon: xlwings has no API
' for sheet protection. The Dataset sheet is protected with only the month's input cells
' unlocked; Python unprotects it around its writes, then protects it again with the options
' the workbook was built with (xlsx_writer.protect).
Public Sub UnprotectSheet(ByVal wb As Workbook, ByVal sheetName As String, _
        Optional ByVal password As String = "")
    wb.Worksheets(sheetName).Unprotect password
End Sub

Public Sub ProtectSheet(ByVal wb As Workbook, ByVal sheetName As String, _
        Optional ByVal password As String = "")
    wb.Worksheets(sheetName).Protect Password:=password, DrawingObjects:=False, _
        Contents:=True, Scenarios:=False, AllowFormattingColumns:=True, _
        AllowFormattingRows:=True, AllowFiltering:=True
End Sub
