"""A council's settings: one typed model, parsed once where council.toml or the Settings sheet
is read (:func:`xlscorecard.model.tables.parse_settings`, the core keys' messages beside the
other tables'). Each other key is defined here with its type, its default and the message for
a bad value; the ``[checks]`` and ``[spc]`` tables are typed sections (:mod:`.check_config`,
:mod:`.spc_config`). Keys xlscorecard does not read are the council's own: kept, and written
back as given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ..errors import DataFileError
from .check_config import CheckConfig, read_checks
from .months import Month
from .spc_config import KEY as SPC_KEY
from .spc_config import SpcConfig, SpcSettingError, read_spc

SETTING_KEYS = {
    "council", "title", "report_name", "population", "arrow_threshold", "visible_months",
    "benchmark_note", "year_start_month",
}  # fmt: skip
"""The core keys: fields of :class:`Settings` written back from their typed values."""
BOOK_KEYS = {"report_month", "xlscorecard_format", "history_rows"}
"""Settings-sheet keys that describe the workbook, not the council: never kept as settings."""
CHECKS_KEY = "checks"
"""The table of check settings (``[checks]``): :class:`.check_config.CheckConfig`."""
DRAFTS_KEY = "drafts"
"""The table of commentary draft templates (``[drafts]``), checked by
:func:`xlscorecard.calc.drafts.templates` when drafting."""
LA_CODE_KEY, REGION_KEY = "la_code", "region"
"""Who the council is in DfE's tables (for ``benchmarks``)."""
REGION_LABEL_KEY = "region_label"
"""The heading of the region's benchmark column (``SE region``); by default the region's name
and "region" (``North West region``), or ``Region`` when no region is given."""
FILE_NAME_KEY = "return_file_name"
"""The official return's file name, a pattern of :data:`FILE_NAME_FIELDS`."""
DEFAULT_FILE_NAME = "{title} {month}"
FOLDER_KEY = "return_folder"
"""Where returns are saved: a folder, relative to the workbook's; its own folder when blank."""
BACKUPS_KEY = "backups"
"""How many earlier versions of the workbook to keep beside it (0 for none), in the folder
``<name> backups``."""
DEFAULT_BACKUPS = 10
PASSWORD_KEY = "protection_password"
"""The password of the sheets' protection (none by default)."""
USER_KEY = "user_name"
"""Who presses a button where Excel and the environment give no name."""
KNOWN_SETTINGS = SETTING_KEYS | BOOK_KEYS | {
    CHECKS_KEY, SPC_KEY, LA_CODE_KEY, REGION_KEY, REGION_LABEL_KEY, FILE_NAME_KEY, FOLDER_KEY,
    BACKUPS_KEY, PASSWORD_KEY,
}  # fmt: skip
"""The settings a key spelt nearly like is taken for a misspelling (a council may keep others
of its own)."""


@dataclass
class Settings:
    """What a council sets once: names, populations, thresholds, how many months show, and the
    typed sections and keys below. Read a setting from its attribute."""

    council: str
    title: str = ""
    """The workbook's title; the council's name when not given."""
    report_name: str = "Monthly dataset"
    populations: dict[str, float] = field(default_factory=dict)
    arrow_threshold: float = 0.10
    visible_months: int = 7
    benchmark_note: str = ""
    year_start_month: int = 4
    checks: CheckConfig = field(default_factory=CheckConfig)
    spc: SpcConfig = field(default_factory=SpcConfig)
    drafts: Mapping[str, object] = field(default_factory=dict)
    """The ``[drafts]`` table: template name -> its text (checked when drafting)."""
    la_code: str = ""
    """The council's LA number as given (blank when not a number or text)."""
    region: str = ""
    region_label: str = ""
    return_file_name: str = DEFAULT_FILE_NAME
    return_folder: str = ""
    backups: int = DEFAULT_BACKUPS
    protection_password: str = ""
    user_name: str = ""
    refused: dict[str, str] = field(default_factory=dict)
    """Keys whose value cannot be used, with the message: reported by the command that uses
    the setting (``backups`` by a command that keeps versions, ``drafts`` by one that
    drafts), not by every command that reads the settings."""
    as_given: dict[str, object] = field(default_factory=dict)
    """Every key beyond the core ones (the council's own too), exactly as given and in order:
    what council.toml and the Settings sheet write back. Never read a setting from here."""

    def __post_init__(self) -> None:
        if not self.title.strip():
            self.title = self.council

    def population(self, month: Month) -> float | None:
        """The 0-17 population used for ``month``'s rates (by reporting year), if known."""
        return self.populations.get(month.financial_year(self.year_start_month))


def keys_beyond_the_core(data: Mapping[str, object]) -> dict[str, object]:
    """The typed fields of :class:`Settings` for the keys beyond the core ones, read from
    ``data`` (council.toml, or the Settings sheet's rows), with ``refused`` (by key, the
    message) for a value that cannot be used and ``as_given``."""
    refused: dict[str, str] = {}
    backups = _backups(data.get(BACKUPS_KEY, DEFAULT_BACKUPS))
    if isinstance(backups, str):
        refused[BACKUPS_KEY], backups = backups, DEFAULT_BACKUPS
    drafts = data.get(DRAFTS_KEY) or {}
    if not isinstance(drafts, Mapping):
        refused[DRAFTS_KEY], drafts = f"the {DRAFTS_KEY} setting must be a table of templates", {}
    return {
        "drafts": drafts,
        "la_code": _la_code(data.get(LA_CODE_KEY)),
        "region": _stripped(data.get(REGION_KEY)),
        "region_label": _stripped(data.get(REGION_LABEL_KEY)),
        "return_file_name": str(data.get(FILE_NAME_KEY) or DEFAULT_FILE_NAME),
        "return_folder": str(data.get(FOLDER_KEY) or "").strip(),
        "backups": backups,
        "protection_password": str(data.get(PASSWORD_KEY) or ""),
        "user_name": str(data.get(USER_KEY) or "").strip(),
        "refused": refused,
        "as_given": {
            key: value for key, value in data.items() if key not in SETTING_KEYS | BOOK_KEYS
        },
    }


def with_sections(
    settings: Settings, data: Mapping[str, object], refs: set[str], where: str
) -> Settings:
    """``settings`` with its ``[checks]`` and ``[spc]`` sections read from ``data``; raises
    :class:`DataFileError` naming where and the key when one is unreadable or names a ref not
    in ``refs``."""
    try:
        checks = read_checks(data.get(CHECKS_KEY), refs)
    except ValueError as error:
        raise DataFileError(where, None, CHECKS_KEY, str(error)) from None
    try:
        spc = read_spc(data.get(SPC_KEY), refs)
    except SpcSettingError as error:
        raise DataFileError(where, None, error.key, str(error)) from None
    return replace(settings, checks=checks, spc=spc)


def _backups(value: object) -> int | str:
    """The ``backups`` setting as a whole number, or the message saying why it cannot be."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return (
            f"expected how many earlier versions to keep, a whole number like 10 (0 keeps "
            f"none), found {value!r}"
        )
    return value


def _la_code(value: object) -> str:
    """The LA number as text (``852``), or blank when it is neither a number nor text."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | str) and not isinstance(value, bool):
        return str(value).strip()
    return ""


def _stripped(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
