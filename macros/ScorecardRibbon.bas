Attribute VB_Name = "ScorecardRibbon"
' VBA of the xlscorecard add-in (source of truth: xlscorecard/addin/ScorecardRibbon.bas in the
' xlscorecard repository; rebuild the add-in with "xlscorecard addin build" after any change,
' then go through docs/excel-smoke-test.md in Excel).
Option Explicit

' The ribbon dispatcher. Every Scorecard button calls OnButton (customUI.xml:
' onAction="ScorecardRibbon.OnButton"), which hands the button's id to Python,
' xlscorecard.on_button(id); RunPython (the add-in's xlwings module) runs it with the active
' workbook as the caller. Keep it generic: a new button needs an id in customUI.xml and a
' branch in on_button, not new VBA. With no workbook open (or only one in Protected View,
' which is not an active workbook either) RunPython would stop at run-time error 91: say
' what to do instead.
Public Sub OnButton(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open the dataset workbook first, then press the button again." & vbNewLine & _
            vbNewLine & "If it opened in Protected View, click Enable Editing first.", _
            vbInformation, "Scorecard"
        Exit Sub
    End If
    On Error GoTo Failed
    RunPython "import xlscorecard; xlscorecard.on_button('" & control.Id & "')"
    Exit Sub
Failed:
    MsgBox "The Scorecard button """ & control.Id & """ could not start Python." & vbNewLine & _
        vbNewLine & Err.Description & vbNewLine & vbNewLine & _
        "Check the add-in's Python settings (see the xlscorecard Excel add-in guide).", _
        vbCritical, "Scorecard"
End Sub

' Called from Python (xlscorecard/excel/blocks.py), not from the ribbon: xlwings has no API
' for sheet protection. The Dataset sheet is protected with only the month's input cells
' unlocked; Python unprotects it around its writes, then protects it again with the options
' the workbook was built with (xlscorecard/xlsx/writer.py protect). The first argument is the
' workbook's name (from Python on Windows and the Mac) or the Workbook itself (xlwings' remote
' client passes it).
Public Sub UnprotectSheet(ByVal book As Variant, ByVal sheetName As String, _
        Optional ByVal password As String = "")
    BookOf(book).Worksheets(sheetName).Unprotect password
End Sub

Public Sub ProtectSheet(ByVal book As Variant, ByVal sheetName As String, _
        Optional ByVal password As String = "")
    BookOf(book).Worksheets(sheetName).Protect Password:=password, DrawingObjects:=False, _
        Contents:=True, Scenarios:=False, AllowFormattingColumns:=True, _
        AllowFormattingRows:=True, AllowFiltering:=True
End Sub

Private Function BookOf(ByVal book As Variant) As Workbook
    If IsObject(book) Then
        Set BookOf = book
    Else
        Set BookOf = Workbooks(CStr(book))
    End If
End Function
