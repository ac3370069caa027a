"""docs/commentary.md's story is true: its commands give the output it shows, with the requests
filled in as its table says between the first block and the rest; its table of templates is
the drafts' defaults; its picture is there."""

from __future__ import annotations

import shlex
import shutil

from click.testing import CliRunner

from tests.support.commentary import STORY, write_requests, written_in_requests
from tests.support.paths import ROOT
from tests.test_docs import examples
from xlscorecard.calc.drafts import TEMPLATES
from xlscorecard.cli import cli


def test_the_months_collection_gives_what_the_story_shows(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    blocks = examples(STORY)
    assert len(blocks) == 5 and len(written_in_requests()) == 7
    for number, block in enumerate(blocks):
        for command, expected, status in block:
            result = CliRunner().invoke(cli, shlex.split(command)[1:])
            assert result.output.strip() == expected, command
            assert result.exit_code == status, command
        if number == 0:
            assert len(write_requests(tmp_path)) == 2


def test_the_story_lists_every_template_with_its_default():
    text = STORY.read_text(encoding="utf-8")
    listed = [line for line in text.splitlines() if line.startswith("| `")]
    assert listed == [f"| `{key}` | {words} |" for key, words in TEMPLATES.items()]


def test_the_story_shows_a_request_as_libreoffice_prints_it():
    picture = ROOT / "docs" / "request-aug-20.png"
    assert "(request-aug-20.png)" in STORY.read_text(encoding="utf-8")
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
