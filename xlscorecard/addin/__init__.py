"""The Excel add-in ``xlscorecard.xlam``: its sources, the built add-in, and how to build
(MS-OVBA VBA, a compound file) and install it."""
