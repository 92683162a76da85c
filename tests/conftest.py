from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"
DONETSK = CASES / "donetsk-pow-executions.yaml"
WITNESS = CASES / "protected-witness" / "case.yaml"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpora" / "yaml-test-suite"
CORPUS_MISSING = "shared/corpora is not next to this checkout"


def unavailable(message: str):
    """A test input or tool is not on this machine. CI (env CI set) always has them (shared/
    beside the clone, and what scripts/install-system-deps installs), so there it is a
    failure; a developer's machine without it skips the test with this reason."""
    if os.environ.get("CI"):
        pytest.fail(message + ": CI must have it")
    pytest.skip(message)


def require_corpus() -> None:
    if not CORPUS.is_dir():
        unavailable(f"{CORPUS_MISSING} ({CORPUS})")


@pytest.fixture
def witness_case(tmp_path: Path) -> Path:
    """A writable copy of the protected-witness example with its evidence folder."""
    target = tmp_path / "protected-witness"
    shutil.copytree(WITNESS.parent, target)
    for path in target.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return target / "case.yaml"


@pytest.fixture
def write_case(tmp_path: Path):
    """Write YAML text to a case file in a fresh folder and return its path."""

    def write(text: str, name: str = "case.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def donetsk_text() -> str:
    return DONETSK.read_text(encoding="utf-8")


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def assert_no_warnings():
    """Fails the test on any warning WeasyPrint or casefile logs while rendering."""
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in ("weasyprint", "casefile")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)
    messages = [r.getMessage() for r in handler.records]
    assert not messages, f"unexpected warnings: {messages}"
