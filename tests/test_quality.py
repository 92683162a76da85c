"""The quality gates of CONTRIBUTING.md run as tests, so they share the machine's cores with
the rest of the suite: `ruff check` (the rule set in pyproject.toml) and `mypy --strict` with
the pydantic plugin on casefile/. Each has a control that shows the checker really reports
a problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import unavailable

ROOT = Path(__file__).resolve().parent.parent


def checker(tool: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`python3 -m tool args` in `cwd`; fails under CI (skips elsewhere) when it is not installed."""
    found = subprocess.run([sys.executable, "-m", tool, "--version"], capture_output=True, text=True)
    if found.returncode != 0:
        unavailable(f"{tool} is not installed (pip install -e '.[test]')")
    return subprocess.run([sys.executable, "-m", tool, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    result = checker("ruff", "check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_reports_a_problem(tmp_path):
    (tmp_path / "bad.py").write_text("import os\n")
    result = checker("ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), "bad.py", cwd=tmp_path)
    assert result.returncode == 1 and "F401" in result.stdout, result.stdout


def test_mypy_strict_finds_nothing():
    result = checker("mypy")  # files, strictness and the pydantic plugin: [tool.mypy] in pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found in ")


def test_mypy_reports_a_problem(tmp_path):
    (tmp_path / "bad.py").write_text("def f(x):\n    return x\n")  # strict: a function without annotations
    result = checker("mypy", "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path / "cache"),
                     "bad.py", cwd=tmp_path)
    assert result.returncode == 1 and "Function is missing a type annotation" in result.stdout, result.stdout
