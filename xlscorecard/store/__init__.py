"""Disk safety, whatever the file: atomic writes beside their target, backups, one command per
workbook (the lock), who and when, notices, and the named steps where tests aim kills."""
