"""JSON documents: plain text for pipes and files, rich's coloured layout for a terminal."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from vpcwire.cli import _app

DOCUMENT = {"name": "café", "ports": [80, 443], "nested": {"ok": True}}


def test_a_pipe_gets_the_document_as_plain_indented_json(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.StringIO()
    monkeypatch.setattr(_app, "out", Console(file=buffer, force_terminal=False))
    _app.print_document(DOCUMENT)
    text = buffer.getvalue()
    assert json.loads(text) == DOCUMENT
    assert text == json.dumps(DOCUMENT, indent=2, ensure_ascii=False) + "\n"
    assert "\x1b[" not in text


def test_a_terminal_gets_the_same_document_in_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard", width=200)
    monkeypatch.setattr(_app, "out", console)
    _app.print_document(DOCUMENT)
    text = buffer.getvalue()
    assert "\x1b[" in text
    assert json.loads(_strip(text)) == DOCUMENT


def _strip(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)
