"""The ribbon's Send requests and Collect requests, pressed through xlwings' remote engine
(tests/support/harness.py): the same requests and the same workbook as the command line."""

from __future__ import annotations

from openpyxl import load_workbook

from tests.support.commentary import fill_in
from tests.support.harness import press
from tests.test_excel_buttons import WHEN, differences, pair, set_return_folder  # noqa: F401
from xlscorecard.app.request_file import collect_file
from xlscorecard.excel import buttons


def test_the_request_buttons_send_and_collect_as_the_command_line(pair, tmp_path, monkeypatch):  # noqa: F811
    excel_copy, cli_copy = pair
    monkeypatch.setattr(buttons, "now", lambda: WHEN)
    monkeypatch.setattr(buttons, "who", lambda book, live=None: "officer")
    folder = tmp_path / "returns"
    for path in pair:
        set_return_folder(path, folder)
    before = excel_copy.read_bytes()
    sent = press(excel_copy, "SendRequests")
    assert excel_copy.read_bytes() == before  # sending changes nothing in the workbook
    requests = folder / "Requests Aug-20"
    assert sent.message.startswith(f"Wrote 7 requests for Aug-20 into {requests}")
    mary = requests / "Mary Hardy Aug-20.xlsx"
    fill_in(mary, {"LAC2": "Fewer new episodes."}, {"LAC3": "Planned moves."})
    pressed = press(excel_copy, "CollectRequests")
    every = sorted(requests.glob("*.xlsx"))
    collected = collect_file(cli_copy, every, backup=False, user="officer", when=WHEN)
    assert differences(excel_copy, cli_copy) == []
    assert pressed.message.startswith(collected.outcome.summary)
    assert "took Mary Hardy's comment on LAC2" in pressed.message
    authors = {
        r[0]: r[3] for r in load_workbook(excel_copy)["Commentary"].values if r[1] == "2020-08"
    }
    assert authors["LAC2"] == "Mary Hardy"


def test_collect_requests_without_any_says_to_send_them_first(pair, tmp_path):  # noqa: F811
    set_return_folder(pair[0], tmp_path / "returns")
    before = pair[0].read_bytes()
    pressed = press(pair[0], "CollectRequests")
    assert "There are no requests in" in pressed.message and "Send requests" in pressed.message
    assert pair[0].read_bytes() == before
