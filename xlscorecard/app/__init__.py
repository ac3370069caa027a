"""The use cases: each command on a workbook file (and the return's, the requests', Lite's),
run under one session (lock, clean, recover) by the command line and the buttons alike."""
