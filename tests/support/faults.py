"""Running xlscorecard as a separate process, to kill it, run two at once, or starve it.

- :func:`cli` runs ``python -m xlscorecard.cli ...`` (optionally as a user without the
  powers of root, or with a file size limit) and returns the finished process;
- :func:`start` starts one and returns the :class:`subprocess.Popen`, for killing or pairing;
- :func:`fake_soffice` puts a ``soffice`` on PATH that makes a small PDF at once, so that a
  save-return killed a hundred times does not wait for LibreOffice each time;
- :data:`TALLY` counts what the fault corpus saw, for the test summary.
"""

from __future__ import annotations

import collections
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from xlscorecard.store.safe_write import PREFIX

TALLY: collections.Counter[str] = collections.Counter()
"""``"kill -9 refresh: old"`` -> how many times; printed at the end of the test run."""

UNPRIVILEGED = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner,-chown"]
"""Run as root but without the capabilities that let root write where others cannot: file
permissions then apply as they do to a normal user."""


def command(*arguments: str) -> list[str]:
    return [sys.executable, "-c", "from xlscorecard.cli import main; main()", *arguments]


def environment(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env.setdefault("XLSCORECARD_LOCK_WAIT", "60")
    return env


def cli(
    *arguments: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    unprivileged: bool = False,
    file_size_limit: int | None = None,
) -> subprocess.CompletedProcess:
    """Run one command to its end."""
    prefix = UNPRIVILEGED if unprivileged and os.geteuid() == 0 else []

    def limit() -> None:
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [*prefix, *command(*arguments)], cwd=cwd, env=env or environment(), capture_output=True,
        text=True, timeout=600, preexec_fn=limit if file_size_limit else None, check=False,
    )  # fmt: skip


def start(*arguments: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        command(*arguments), cwd=cwd, env=env or environment(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def fake_soffice(folder: Path) -> dict[str, str]:
    """An environment whose ``soffice`` writes a one-page PDF straight away (the conversion
    command line is LibreOffice's: ``... --convert-to pdf --outdir DIR FILE``)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "soffice"
    script.write_text(
        textwrap.dedent(
            f"""\
            #!{sys.executable}
            import sys
            from pathlib import Path
            args = sys.argv[1:]
            out = Path(args[args.index("--outdir") + 1])
            out.mkdir(parents=True, exist_ok=True)
            source = Path(args[-1])
            (out / (source.stem + ".pdf")).write_bytes(b"%PDF-1.4\\n% fake " + source.name.encode())
            """
        ),
        encoding="utf-8",
    )
    script.chmod(0o755)
    return environment(PATH=f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the SHA-256 of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(*folders: Path) -> list[str]:
    """Anything of xlscorecard's own left in ``folders``: temporary files and folders, locks,
    journals (the register and its copies of returns are kept on purpose)."""
    found = []
    for folder in folders:
        if not folder.exists():
            continue
        for entry in folder.iterdir():
            if entry.name.startswith(PREFIX) and not entry.name.endswith("originals"):
                found.append(str(entry))
    return found


def can_drop_privileges() -> str | None:
    """Why a permission test cannot run here, or None when it can."""
    if os.geteuid() != 0:
        return None
    if shutil.which("setpriv") is None:
        return "running as root without setpriv: root may write anywhere"
    probe = subprocess.run([*UNPRIVILEGED, "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        return f"setpriv cannot drop capabilities here: {probe.stderr.decode().strip()}"
    return None
