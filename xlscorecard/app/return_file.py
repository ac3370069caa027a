"""The official return's commands on a workbook file: save it (one transaction,
:mod:`xlscorecard.returns.transaction`) and verify it (:mod:`xlscorecard.returns.verify`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import WorkbookError
from ..jobs.official_return import ReturnPlan, plan_return, return_folder
from ..returns.journal import FileRecorder
from ..returns.signing import load_signer
from ..returns.transaction import PdfMaker, Placed, libreoffice_pdf, save_transaction
from ..returns.verify import verify_file
from ..store.identity import now, os_user
from ..store.safe_write import is_read_only
from .session import one_at_a_time
from .workbook_file import open_for_change


@dataclass
class ReturnSaved:
    plan: ReturnPlan
    placed: Placed

    @property
    def summary(self) -> str:
        plan, placed = self.plan, self.placed
        label = plan.month.label
        made = f" and its PDF {placed.pdf}" if placed.pdf else ""
        lines = [f"Saved the {label} return: {placed.xlsx}{made}."]
        if placed.pdf is None:
            lines.append(f"{placed.note}.")
        if placed.signature is not None:
            lines.append(f"Signed: {placed.signature}.")
        if plan.stamp.reason is not None:
            despite = f"despite {plan.stamp.overridden}" if plan.stamp.overridden else "by force"
            lines.append(f"Saved {despite}: the reason is recorded in Audit.")
        lines.append(
            f"{label} is marked as returned in Audit: a later change to its figures is queried."
        )
        return "\n".join(lines)


@one_at_a_time("save-return")
def save_return_file(
    path: Path,
    out_dir: Path | None = None,
    force: str | None = None,
    backup: bool = True,
    pdf_maker: PdfMaker = libreoffice_pdf,
    user: str | None = None,
    when: str | None = None,
    sign_with: Path | None = None,
) -> ReturnSaved:
    """Save the official return of the workbook at ``path`` and record it in its Audit, as
    one transaction (see the module's docstring).

    Refuses (:class:`~xlscorecard.errors.Refused`, nothing written) while anything blocks the
    return, unless ``force`` gives a reason. ``sign_with``: an Ed25519 private key file.
    """
    path = Path(path)
    workbook, book, contents = open_for_change(path)
    if is_read_only(path):
        raise WorkbookError(f"cannot record the return in {path}: the file is read-only")
    plan = plan_return(book, user or os_user(), when or now(), force)
    folder = Path(out_dir) if out_dir is not None else return_folder(plan.dataset, path.parent)
    signer = load_signer(sign_with) if sign_with is not None else None
    recorder = FileRecorder(path, opened=(workbook, book, contents), backup=backup)
    placed = save_transaction(plan, book, folder, pdf_maker, signer, path, path, recorder)
    return ReturnSaved(plan, placed)


__all__ = ["ReturnSaved", "save_return_file", "verify_file"]
