"""Checks on PDF files shared by the tests: `assert_qpdf_ok(path)` runs `qpdf --check`.

qpdf is a test dependency installed by `scripts/install-system-deps` (Debian package `qpdf`).
Under CI (env CI set) a missing qpdf fails the test; on a developer machine it skips.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def require_tool(name: str, install_hint: str = "run `bash scripts/install-system-deps`") -> str:
    """The path of an external program; fails under CI and skips elsewhere when it is missing."""
    found = shutil.which(name)
    if found:
        return found
    message = f"`{name}` is not installed ({install_hint})"
    if os.environ.get("CI"):
        pytest.fail(message + ": CI must have it")
    pytest.skip(message)


def qpdf_check(path: str | Path) -> subprocess.CompletedProcess:
    """Run `qpdf --check` on a file; the completed process (exit 0 = no errors, no warnings)."""
    qpdf = require_tool("qpdf")
    return subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True, timeout=120)


def assert_qpdf_ok(path: str | Path) -> None:
    """`qpdf --check` finds no error and no warning in the PDF at `path`."""
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF-"), f"{path} is not a PDF"
    result = qpdf_check(path)
    assert result.returncode == 0, (
        f"qpdf --check {path} exited {result.returncode} (2 = errors, 3 = warnings):\n"
        f"{result.stdout[-3000:]}{result.stderr[-3000:]}")
    assert "No syntax or stream encoding errors found" in result.stdout, result.stdout[-3000:]
