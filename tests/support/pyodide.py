"""Pyodide under node, set up once per session, to press the xlwings Lite buttons as Lite does.

Everything is fetched once into a cache folder (``XLSCORECARD_PYODIDE_CACHE``, else
``~/.cache/xlscorecard-pyodide``): the npm package ``pyodide`` at :data:`VERSION` (what xlwings
Lite runs), and the pure wheels that the workbook's ``requirements.txt`` pins, downloaded with
pip for any platform. The project's own wheel is built from the working tree each session.
:func:`run` then presses every job in one node process (Pyodide's cold start is paid once).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.paths import ROOT

VERSION = "0.27.7"
PYTHON = "3.12"
"""Pyodide 0.27's Python."""
HERE = Path(__file__).parent
RUNNER = HERE / "pyodide_runner.mjs"
PRESS = HERE / "lite_press.py"


class Unavailable(Exception):
    """What Pyodide needs is not here (no node or npm): the reason, for a skip."""


def cache() -> Path:
    folder = os.environ.get("XLSCORECARD_PYODIDE_CACHE")
    return Path(folder) if folder else Path.home() / ".cache" / "xlscorecard-pyodide"


def pyodide_dir() -> Path:
    """The npm package ``pyodide``, installed into the cache if it is not there yet."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise Unavailable("node and npm are needed to run Pyodide (apt-get install nodejs npm)")
    prefix = cache() / f"npm-{VERSION}"
    folder = prefix / "node_modules" / "pyodide"
    if not (folder / "pyodide.mjs").exists():
        prefix.mkdir(parents=True, exist_ok=True)
        _run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(prefix),
              f"pyodide@{VERSION}"])  # fmt: skip
    return folder


def wheels(requirements: str, folder: Path) -> Path:
    """Every pin of ``requirements`` but xlscorecard, as pure wheels (cached), and this tree's
    xlscorecard wheel, in ``folder``."""
    store = cache() / "wheels"
    store.mkdir(parents=True, exist_ok=True)
    pins = [line.strip() for line in requirements.splitlines() if line.strip()]
    for pin in pins:
        name, _, version = pin.partition("==")
        if name == "xlscorecard":
            continue
        stem = f"{name.replace('-', '_').lower()}-{version}-"
        found = [w for w in store.glob("*.whl") if w.name.lower().startswith(stem)]
        if not found:
            _run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                  "--only-binary=:all:", "--platform", "any", "--python-version", PYTHON,
                  "--implementation", "py", "-d", str(store), pin])  # fmt: skip
            found = [w for w in store.glob("*.whl") if w.name.lower().startswith(stem)]
        shutil.copy(found[0], folder)
    with tempfile.TemporaryDirectory(prefix="xlscorecard-wheel-") as scratch:
        source = Path(scratch) / "source"
        junk = shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*cache", "tests", "samples",
            "benchmarks", "docs",
        )  # fmt: skip
        shutil.copytree(ROOT, source, ignore=junk)
        shutil.copytree(ROOT / "samples", source / "samples")  # package data
        _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
              "-w", str(folder), str(source)])  # fmt: skip
    return folder


def run(main: str, jobs: list[dict], requirements: str) -> dict:
    """Press each job (``{"script", "payload"}``) with ``main.py`` in one Pyodide: the
    results (as :func:`lite_press.run_jobs`), Pyodide's facts and its cold start in seconds."""
    pyodide = pyodide_dir()
    with tempfile.TemporaryDirectory(prefix="xlscorecard-pyodide-") as scratch:
        folder = Path(scratch)
        (folder / "wheels").mkdir()
        wheels(requirements, folder / "wheels")
        request, result = folder / "request.json", folder / "result.json"
        request.write_text(json.dumps({"main": main, "jobs": jobs}, default=str), "utf-8")
        _run(["node", str(RUNNER), str(pyodide), str(folder / "wheels"), str(PRESS),
              str(request), str(result)], timeout=900)  # fmt: skip
        return json.loads(result.read_text("utf-8"))


def run_cpython(main: str, jobs: list[dict]) -> list[dict]:
    """The same presses in CPython (a fresh process, set up as xlwings Lite's runtime is)."""
    with tempfile.TemporaryDirectory(prefix="xlscorecard-cpython-") as scratch:
        request, result = Path(scratch) / "request.json", Path(scratch) / "result.json"
        request.write_text(json.dumps({"main": main, "jobs": jobs}, default=str), "utf-8")
        code = (
            "import asyncio, pathlib, sys; sys.path.insert(0, sys.argv[1]); import lite_press; "
            "text = pathlib.Path(sys.argv[2]).read_text('utf-8'); "
            "pathlib.Path(sys.argv[3]).write_text(asyncio.run(lite_press.run_jobs(text)))"
        )
        files = Path(scratch) / "data"
        env = {**os.environ, "XLWINGS_ON_SERVER": "true", "PYTHONPATH": str(ROOT),
               "LITE_PRESS_FILES": str(files)}  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-c", code, str(HERE), str(request), str(result)],
            capture_output=True, text=True, timeout=900, env=env,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"the CPython presses failed:\n{done.stderr[-3000:]}")
        return json.loads(result.read_text("utf-8"))


def _run(command: list[str], timeout: float = 600) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout)[-3000:]
        raise RuntimeError(f"{' '.join(command[:3])} ... failed ({done.returncode}):\n{tail}")
