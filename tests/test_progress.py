"""The status line of long runs: drawn in place on a terminal, never in a pipe or under CI."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

import pytest

from casefile.cli.progress import Status

from .conftest import DONETSK


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_each_stage_is_drawn_in_place_and_cleared(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    with Status(stream, interval=0.01) as status:
        status.stage("packet 1/2: icrc")
        status.clear()
        stream.write("result line\n")
        status.stage("packet 2/2: icc-otp")
    text = stream.getvalue()
    assert "\rpacket 1/2: icrc… 0 s" in text and "\rpacket 2/2: icc-otp… 0 s" in text
    assert "\nresult line\n" in text.replace("\r", "\n")  # the result is printed on a line of its own
    assert text.endswith("\r")  # the status line is blanked at the end


@pytest.mark.parametrize("ci, stream", [(None, io.StringIO()), ("true", Terminal())], ids=["pipe", "ci"])
def test_nothing_is_drawn_in_a_pipe_or_under_ci(monkeypatch, ci, stream):
    if ci:
        monkeypatch.setenv("CI", ci)
    else:
        monkeypatch.delenv("CI", raising=False)
    with Status(stream, interval=0.01) as status:
        status.stage("laying out the PDF")
        status.clear()
    assert stream.getvalue() == ""


def test_render_in_a_terminal_shows_its_stages(tmp_path):
    """`casefile render` in a pseudo-terminal: the stages on stderr, the path on stdout."""
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    out = tmp_path / "d.html"
    process = subprocess.run([sys.executable, "-m", "casefile", "render", str(DONETSK), "--format", "html",
                              "-o", str(out)], stdout=subprocess.PIPE, stderr=secondary, env=env, timeout=120)
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(primary)
    assert process.returncode == 0 and process.stdout.decode().strip() == str(out)
    text = shown.decode()
    for stage in ("validating…", "checking 1 evidence item(s)…", "building the HTML…"):
        assert stage in text, text
