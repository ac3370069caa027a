"""The wheel ships the Excel add-in: its sources and the built ``xlscorecard.xlam`` live in the
repository's top-level ``macros/`` folder and are copied into the package's ``addin`` folder,
where ``xlscorecard addin`` finds them once installed. Everything else is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MACROS = Path(__file__).resolve().parent / "macros"
SHIPPED = ("customUI.xml", "ScorecardRibbon.bas", "xlscorecard.xlam")


class BuildWithMacros(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "xlscorecard" / "addin"
        target.mkdir(parents=True, exist_ok=True)
        for name in SHIPPED:
            shutil.copy2(MACROS / name, target / name)


setup(cmdclass={"build_py": BuildWithMacros})
