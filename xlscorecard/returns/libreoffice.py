"""LibreOffice, headless, as a second real spreadsheet program: recalculate and render files.

LibreOffice only ever reads our files here; what it writes goes to a scratch folder and is never
shipped (its re-saved .xlsx is lossy).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from ..errors import ScorecardError
from ..store.safe_write import record_started

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
TIMEOUT_SECONDS = 180


class LibreOfficeMissing(ScorecardError):
    """LibreOffice (soffice) is not installed on this machine."""


def find_soffice() -> str | None:
    """The path of ``soffice``, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, target_format: str, out_dir: Path, scratch: Path | None = None) -> Path:
    """Open ``source`` in LibreOffice, recalculating every formula, and save it as
    ``target_format`` (``xlsx``, ``pdf``, ``csv``...) into ``out_dir``; return the new file.
    Its profile lives in a temporary folder in ``scratch`` (default: the system's)."""
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing(
            "LibreOffice is not installed (on Debian: apt-get install libreoffice-calc-nogui)"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlscorecard-lo-", dir=scratch) as folder:
        profile = Path(folder).resolve() / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        env = {**os.environ, "HOME": folder}
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target_format,
            "--outdir",
            str(out_dir),
            str(source),
        ]
        result = _run(command, env, scratch)
    produced = out_dir / f"{Path(source).stem}.{target_format.split(':')[0]}"
    if result.returncode != 0 or not produced.exists():
        raise ScorecardError(
            f"LibreOffice could not convert {source} to {target_format}: "
            f"{(result.stderr or result.stdout).strip() or 'no output'}"
        )
    return produced


def _run(command: list[str], env: dict[str, str], scratch: Path | None):
    """Run LibreOffice; the process is recorded in ``scratch`` (a temporary folder of ours)
    so that, should this command be killed, the next one can prove it is ours and stop it."""
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as process:
        if scratch is not None:
            record_started(scratch, process.pid)
        try:
            stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            raise ScorecardError(
                f"LibreOffice did not finish within {TIMEOUT_SECONDS} seconds: {command[-1]}"
            ) from None
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def one_sheet(workbook: Path, sheet: str) -> Workbook:
    """``workbook`` with only ``sheet`` left in it, and no structure lock (openpyxl)."""
    book = load_workbook(workbook)
    for other in [name for name in book.sheetnames if name != sheet]:
        del book[other]
    book.security = None
    return book


def sheet_pdf(workbook: Path, sheet: str, out_dir: Path, scratch: Path | None = None) -> Path:
    """Render one sheet of ``workbook`` to PDF (a scratch copy holding only that sheet, in a
    temporary folder in ``scratch``, default the system's)."""
    with tempfile.TemporaryDirectory(prefix="xlscorecard-pdf-", dir=scratch) as folder:
        copy = Path(folder) / f"{Path(workbook).stem}.xlsx"
        one_sheet(workbook, sheet).save(copy)
        pdf = convert(copy, "pdf", Path(folder) / "pdf", scratch=Path(folder))
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / pdf.name
        shutil.move(pdf, target)
    return target
