Attribute VB_Name = "ScorecardRibbon"
' The ribbon dispatcher of the xlscorecard add-in. Every Scorecard button but "Refresh month"
' calls OnButton (customUI.xml: onAction="ScorecardRibbon.OnButton"), which hands the button's
' id to Python: xlscorecard.on_button("<id>"). RunPython (the xlwings module of this add-in)
' runs it with the active workbook as the caller. Keep this generic: a new button needs an id
' in customUI.xml and a branch in on_button, not new VBA.
' Source of truth: macros/ScorecardRibbon.bas; rebuild with "xlscorecard addin build".
Option Explicit

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
