"""The month's figures from a council's case-level files (CIN census, SSDA903, Annex A).

Pure parts (no file, spreadsheet or command-line library, no clock): :mod:`.records` the
plain records, :mod:`.dates` dates as councils write them, :mod:`.workdays` England and Wales
working days, :mod:`.conventions` the counting conventions and their settings, :mod:`.measures`
the counting rules. Adapters: :mod:`.recognise` what a file is by its content, :mod:`.read_903`,
:mod:`.read_cin`, :mod:`.read_annexa` the readers, :mod:`.mapping` a data directory's
``figures.toml``, :mod:`.job` the ``figures`` command's work (extract and trail).
"""
