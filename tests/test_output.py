"""Atomic output: a reader sees the old file or the new one, never a partial one."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time

import pytest

from casefile.core import output
from casefile.core.errors import CasefileError

from .conftest import DONETSK


def test_write_replaces_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "sub" / "d.pdf"
    output.write_atomic(target, b"one")
    output.write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["d.pdf"]
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def test_stale_partials_of_a_crashed_run_are_removed(tmp_path):
    target = tmp_path / "d.pdf"
    (tmp_path / ".d.pdf.abc123.partial").write_bytes(b"half")
    (tmp_path / ".other.pdf.abc123.partial").write_bytes(b"not ours")
    output.write_atomic(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.pdf.abc123.partial", "d.pdf"]


def test_named_fallback_cleans_up_on_failure(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "_write_unnamed", lambda target, data: None)

    def broken_replace(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "replace", broken_replace)
    with pytest.raises(CasefileError) as info:  # one line, exit 1: not wrong usage
        output.write_atomic(tmp_path / "d.pdf", b"x")
    assert info.value.exit_code == 1 and info.value.message.endswith("d.pdf: No space left on device")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_render_keeps_the_previous_file(tmp_path, sig):
    target = tmp_path / "d.pdf"
    target.write_bytes(b"previous dossier")
    with subprocess.Popen([sys.executable, "-m", "casefile", "render", str(DONETSK), "--output", str(target)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:  # closes the pipes
        time.sleep(1.2)  # importing WeasyPrint and laying out pages: well before the write
        assert proc.poll() is None, "render finished before it could be interrupted"
        os.kill(proc.pid, sig)
        _, stderr = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert target.read_bytes() == b"previous dossier"
    assert [p.name for p in tmp_path.iterdir()] == ["d.pdf"]
    if sig == signal.SIGINT:
        assert stderr.decode().strip().splitlines()[-1] == "interrupted"
