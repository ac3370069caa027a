"""Press the buttons of a workbook's xlwings Lite code as xlwings Lite does, in CPython or in
Pyodide (this module imports only the standard library, xlwings and xlscorecard).

xlwings Lite runs a script as its runtime's ``custom_scripts_call`` does: ``xw.Book(json=
payload)`` from what the Office.js client sends, then ``xlwings.server.custom_scripts_call``
on the workbook's ``main.py`` (made a module), then ``book.json()`` whose ``actions`` the
Office.js client applies. :func:`run_jobs` does that for a list of presses and returns, for
each, the actions and the seconds the press took.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ.setdefault("XLWINGS_ON_SERVER", "true")  # as Lite's runtime: xlwings' own @script

WHO = "Lite Tester"
"""Who presses (``XLSCORECARD_USER``), the same in CPython and Pyodide."""
WHEN = "2020-09-30 17:00:00"
"""When every press happens (the buttons' clock is pinned)."""


def module_from(source: str, name: str = "main"):
    """``main.py``'s text as a module, as xlwings Lite makes it."""
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)
    exec(source, module.__dict__)
    sys.modules[name] = module
    return module


async def press(main, script: str, payload: dict) -> dict:
    """One press of ``script`` (a function of ``main``) on ``payload``: its actions, seconds."""
    import xlwings as xw
    import xlwings.server

    start = time.perf_counter()
    book = xw.Book(json=payload)
    book = await xlwings.server.custom_scripts_call(
        module=main, script_name=script, typehint_to_value={xw.Book: book}
    )
    actions = book.json()["actions"]
    return {"actions": actions, "seconds": time.perf_counter() - start}


async def run_jobs(text: str) -> str:
    """``text``: JSON ``{"main": source, "jobs": [{"script", "payload"}...]}``; the results as
    JSON, one per job (a job that raised gives ``{"error": ...}``)."""
    import traceback

    from xlscorecard.excel import buttons

    os.environ["XLSCORECARD_USER"] = WHO
    buttons.now = lambda: WHEN
    files = os.environ.get("LITE_PRESS_FILES")  # CPython: a scratch folder stands for /data
    if files:
        buttons.LITE_FILES = type(buttons.LITE_FILES)(files)
    request = json.loads(text)
    main = module_from(request["main"])
    results = []
    for job in request["jobs"]:
        try:
            results.append(await press(main, job["script"], job["payload"]))
        except Exception:
            results.append({"error": traceback.format_exc()})
    text = json.dumps(results, default=str)
    return text.replace(files, str(LITE_FILES)) if files else text


LITE_FILES = "/data"
