"""One exit-status convention for every command: 0 done, 1 refused (nothing changed) or
something found to deal with, 2 input that cannot be used. Each command is tried for each
status it can give."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.paths import ROOT, SAMPLE
from tests.support.returns import make_ready
from xlscorecard.cli import cli

DFE = ROOT / "samples" / "dfe"

Setup = Callable[[Path, Callable[[str], Path]], list[str]]


def workbook(folder: Path, built, month: str = "2020-08") -> str:
    path = folder / "dataset.xlsx"
    shutil.copy(built(month), path)
    return str(path)


def not_a_workbook(folder: Path) -> str:
    path = folder / "notes.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    return str(path)


def extract(folder: Path, text: str) -> str:
    path = folder / "extract.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def tampered_return(folder: Path, built) -> str:
    from openpyxl import load_workbook

    from tests.support.returns import fake_pdf
    from xlscorecard.app.return_file import save_return_file

    ready = make_ready(built("2020-08"), folder / "dataset.xlsx")
    saved = save_return_file(ready, folder / "returns", pdf_maker=fake_pdf, backup=False)
    path = folder / "tampered.xlsx"
    book = load_workbook(saved.placed.xlsx)
    book["Dataset"]["R7"] = 1289
    book.save(path)
    return str(path)


def unclean_file(folder: Path) -> str:
    """A workbook Excel would repair: a sheet name longer than Excel allows."""
    from openpyxl import Workbook

    plain = folder / "plain.xlsx"
    Workbook().save(plain)
    path = folder / "long name.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b'name="Sheet"', b'name="' + b"S" * 40 + b'"')
            target.writestr(info, data)
    return str(path)


CASES: dict[str, tuple[int, Setup]] = {
    "build, done": (
        0,
        lambda f, b: ["build", str(SAMPLE), "-m", "2020-08", "-o", str(f / "d.xlsx")],
    ),
    "build, over a workbook": (
        1,
        lambda f, b: ["build", str(SAMPLE), "-m", "2020-08", "-o", workbook(f, b)],
    ),
    "build, a month with no figures": (
        2,
        lambda f, b: ["build", str(SAMPLE), "-m", "2031-01", "-o", str(f / "d.xlsx")],
    ),
    "template, done": (0, lambda f, b: ["template", "-o", str(f / "t.xlsx")]),
    "template, no such folder": (2, lambda f, b: ["template", "-o", str(f / "nowhere" / "t.xlsx")]),
    "refresh, done": (0, lambda f, b: ["refresh", workbook(f, b)]),
    "refresh, already there": (1, lambda f, b: ["refresh", workbook(f, b), "--to", "2020-08"]),
    "refresh, not a workbook": (2, lambda f, b: ["refresh", not_a_workbook(f)]),
    "import, done": (
        0,
        lambda f, b: ["import", workbook(f, b), extract(f, "ref,month,value\nM1,2020-08,1350\n")],
    ),
    "import, errors in the figures": (
        1,
        lambda f, b: [
            "import",
            workbook(f, b),
            extract(f, "ref,month,value\nM6-QL (val),2020-08,300\n"),
        ],
    ),
    "import, a bad extract": (
        2,
        lambda f, b: ["import", workbook(f, b), extract(f, "ref,month,value\nZZ9,2020-08,1\n")],
    ),
    "comment, done": (0, lambda f, b: ["comment", workbook(f, b), "LAC2", "Fewer new episodes."]),
    "comment, no such indicator": (
        2,
        lambda f, b: ["comment", workbook(f, b), "ZZ9", "Text."],
    ),
    "comment, a column out of place": (
        1,
        lambda f, b: ["comment", with_a_heading_changed(f, b), "LAC2", "Text."],
    ),
    "comment, not a workbook": (2, lambda f, b: ["comment", not_a_workbook(f), "LAC2", "Text."]),
    "validate, no errors": (0, lambda f, b: ["validate", workbook(f, b)]),
    "validate, errors": (1, lambda f, b: ["validate", with_text_figure(f, b)]),
    "validate, not a workbook": (2, lambda f, b: ["validate", not_a_workbook(f)]),
    "spc, done": (0, lambda f, b: ["spc", workbook(f, b), "--ref", "LAC1"]),
    "spc, no such indicator": (2, lambda f, b: ["spc", workbook(f, b), "--ref", "LAC99"]),
    "spc, not a workbook": (2, lambda f, b: ["spc", not_a_workbook(f)]),
    "answer, done": (0, lambda f, b: ["answer", workbook(f, b), "P302", "CP2", "Fewer."]),
    "answer, no such query": (1, lambda f, b: ["answer", workbook(f, b), "P302", "M1", "Fewer."]),
    "answer, not a workbook": (2, lambda f, b: ["answer", not_a_workbook(f), "P302", "M1", "x"]),
    "save-return, done": (
        0,
        lambda f, b: ["save-return", str(make_ready(b("2020-08"), f / "d.xlsx")), "--out", str(f)],
    ),
    "save-return, refused": (1, lambda f, b: ["save-return", workbook(f, b), "--out", str(f)]),
    "save-return, force without a reason": (
        2,
        lambda f, b: ["save-return", workbook(f, b), "--force"],
    ),
    "verify, intact": (0, lambda f, b: ["verify", str(make_return(f, b))]),
    "verify, changed": (1, lambda f, b: ["verify", tampered_return(f, b)]),
    "verify, not a workbook": (2, lambda f, b: ["verify", not_a_workbook(f)]),
    "lite, done": (0, lambda f, b: ["lite", workbook(f, b)]),
    "lite, not a workbook": (2, lambda f, b: ["lite", not_a_workbook(f)]),
    "keygen, done": (0, lambda f, b: ["keygen", str(f / "council-key")]),
    "keygen, a key there already": (2, lambda f, b: ["keygen", str(existing(f))]),
    "export, done": (0, lambda f, b: ["export", workbook(f, b), str(f / "data")]),
    "export, figures that cannot be read": (
        1,
        lambda f, b: ["export", with_text_figure(f, b), str(f / "data")],
    ),
    "export, not a workbook": (2, lambda f, b: ["export", not_a_workbook(f), str(f / "data")]),
    "lint, clean": (0, lambda f, b: ["lint", workbook(f, b)]),
    "lint, something Excel would repair": (1, lambda f, b: ["lint", unclean_file(f)]),
    "lint, not a workbook": (2, lambda f, b: ["lint", not_a_workbook(f)]),
    "benchmarks, done": (
        0,
        lambda f, b: [
            "benchmarks",
            str(SAMPLE),
            "--from",
            str(DFE),
            "--year",
            "2018-19",
            "-o",
            str(f / "benchmarks.csv"),
        ],
    ),
    "benchmarks, a year the tables do not have": (
        2,
        lambda f, b: [
            "benchmarks",
            str(SAMPLE),
            "--from",
            str(DFE),
            "--year",
            "2019-20",
            "-o",
            str(f / "benchmarks.csv"),
        ],
    ),
    "figures, done": (
        0,
        lambda f, b: [
            "figures",
            str(SAMPLE),
            "--month",
            "2020-08",
            "--from",
            str(ROOT / "samples" / "caselevel"),
            "-o",
            str(f / "extract.csv"),
        ],
    ),
    "figures, a date that does not exist": (
        2,
        lambda f, b: [
            "figures",
            str(SAMPLE),
            "--month",
            "2020-08",
            "--from",
            bad_episodes(f),
            "-o",
            str(f / "extract.csv"),
        ],
    ),
    "requests, done": (0, lambda f, b: ["requests", workbook(f, b), "-o", str(f / "out")]),
    "requests, a request already there": (1, lambda f, b: requests_there(f, b)),
    "collect, done": (0, lambda f, b: ["collect", *collected(f, b, "2020-08")]),
    "collect, another month's request": (1, lambda f, b: ["collect", *collected(f, b, "2020-07")]),
    "collect, not a request": (2, lambda f, b: ["collect", workbook(f, b), not_a_workbook(f)]),
    "drafts, done": (0, lambda f, b: ["drafts", workbook(f, b), "--ref", "M1"]),
    "drafts, no such indicator": (2, lambda f, b: ["drafts", workbook(f, b), "--ref", "M99"]),
    "addin build, done": (0, lambda f, b: ["addin", "build", "-o", str(f / "xlscorecard.xlam")]),
    "addin build, a wrong name": (2, lambda f, b: ["addin", "build", "-o", str(f / "other.xlam")]),
    "addin install, no Excel here": (2, lambda f, b: ["addin", "install"]),
}


def bad_episodes(folder: Path) -> str:
    """A folder whose 903 episodes table has a date that does not exist."""
    files = folder / "files"
    files.mkdir()
    (files / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,DEC,REC\nA,31/02/2020,S,C2,U1,PR1,,\n",
        encoding="utf-8",
    )
    return str(files)


def requests_there(folder: Path, built) -> list[str]:
    (folder / "out").mkdir()
    (folder / "out" / "Mary Hardy Aug-20.xlsx").write_text("filled in already")
    return ["requests", workbook(folder, built), "-o", str(folder / "out")]


def collected(folder: Path, built, month: str) -> list[str]:
    """The Aug-20 workbook and a request made from the workbook of ``month``."""
    from xlscorecard.app.request_file import requests_file

    source = folder / "source" / "dataset.xlsx"
    source.parent.mkdir()
    shutil.copy(built(month), source)
    (_plan, request), *_ = requests_file(source, folder / "out")
    return [workbook(folder, built), str(request)]


def existing(folder: Path) -> Path:
    key = folder / "council-key"
    key.write_text("a key already")
    return key


def make_return(folder: Path, built) -> Path:
    from tests.support.returns import fake_pdf
    from xlscorecard.app.return_file import save_return_file

    ready = make_ready(built("2020-08"), folder / "dataset.xlsx")
    return save_return_file(ready, folder / "r", pdf_maker=fake_pdf, backup=False).placed.xlsx


def with_a_heading_changed(folder: Path, built) -> str:
    from tests.support.person import type_cells

    path = workbook(folder, built)
    type_cells(Path(path), {("Dataset", "A5"): "Reference"})
    return path


def with_text_figure(folder: Path, built) -> str:
    from tests.support.person import type_cells

    path = workbook(folder, built)
    type_cells(Path(path), {("Dataset", "R7"): "12a"})
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_each_command_exits_by_the_convention(case, built, tmp_path, monkeypatch):
    status, setup = CASES[case]
    arguments = setup(tmp_path, built)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == status, f"{case}: {result.output}"
    if status == 2 or (status == 1 and case.split(",")[0] not in {"validate", "import", "lint"}):
        assert "Error: " in result.output, result.output


def test_every_command_is_tried():
    names = set()
    for name, command in cli.commands.items():
        subcommands = getattr(command, "commands", None)
        names |= {f"{name} {sub}" for sub in subcommands} if subcommands else {name}
    tried = {case.split(",")[0] for case in CASES}
    assert names == tried
