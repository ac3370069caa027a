"""Data directories: CSV and TOML read and written (encodings, the export's folder swap),
and DfE's published tables into ``benchmarks.toml``."""
