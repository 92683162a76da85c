from __future__ import annotations

import gc
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"
DONETSK = CASES / "donetsk-pow-executions.yaml"
WITNESS = CASES / "protected-witness" / "case.yaml"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpora" / "yaml-test-suite"
CORPUS_MISSING = "shared/corpora is not next to this checkout"


def unavailable(message: str) -> NoReturn:
    """A test input or tool is not on this machine. CI (env CI set) always has them (shared/
    beside the clone, and what scripts/install-system-deps installs), so there it is a
    failure; a developer's machine without it skips the test with this reason."""
    if os.environ.get("CI"):
        pytest.fail(message + ": CI must have it")
    pytest.skip(message)


def require_corpus() -> None:
    if not CORPUS.is_dir():
        unavailable(f"{CORPUS_MISSING} ({CORPUS})")


def copy_witness(target: Path) -> Path:
    """Copy the protected-witness example folder (case.yaml and evidence/) to `target` and
    return `target`. The digest cache that renders of the example in place leave next to it
    (.casefile-cache/, rewritten by whichever test or xdist worker renders it) is not copied:
    a copy never depends on another test's files."""
    shutil.copytree(WITNESS.parent, target, ignore=shutil.ignore_patterns(".casefile-cache"))
    return target


@pytest.fixture
def witness_case(tmp_path: Path) -> Path:
    """A writable copy of the protected-witness example with its evidence folder."""
    target = copy_witness(tmp_path / "protected-witness")
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


# ------------------------------------------------------------------------------------------
# documents rendered once per session and shared by every test that only reads them
# ------------------------------------------------------------------------------------------
# The environment variables that change what casefile writes: part of the key of a shared
# document, so a test that sets one never gets (or leaves) a document rendered without it.
OUTPUT_ENVIRONMENT = ("SOURCE_DATE_EPOCH", "CASEFILE_I18N_DEBUG", "GIT_CEILING_DIRECTORIES")


def _read_only(path: Path) -> None:
    """A shared output may not be changed by the tests that read it: make it read-only, so a
    test that writes to it fails at once instead of changing what later tests see."""
    for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
        if item.is_file():
            item.chmod(0o444)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> Callable[..., Path]:
    """`rendered(case, edition="internal", format="pdf", language=None, **options)`: the
    dossier `api.render` writes for these arguments (options: pdf_variant, evidence_layout,
    ...), rendered the first time a test asks for it and shared with every later test of the
    session (of the xdist worker) that asks for the same arguments. The case is rendered where
    it is (the examples in place, as a user renders them); the output goes to a session folder
    and is read-only. A test that changes the case renders its own copy instead."""
    from casefile import api

    folder = tmp_path_factory.mktemp("rendered")
    done: dict[tuple, Path] = {}

    def render(case: Path, edition: str = "internal", format: str = "pdf", language: str | None = None,
               **options: Any) -> Path:
        key = (Path(case).resolve(), edition, format, language, tuple(sorted(options.items())),
               tuple(os.environ.get(name) for name in OUTPUT_ENVIRONMENT))
        if key not in done:
            target = folder / f"{len(done):02d}-{Path(case).parent.name}-{Path(case).stem}.{format}"
            path = api.render(case, edition=edition, format=format, language=language, output=target, **options)
            _read_only(path)
            done[key] = path
        return done[key]

    return render


@pytest.fixture(scope="session")
def witness_packets(tmp_path_factory) -> dict[str, Any]:
    """The packet of every filing of the protected-witness example (`packet --all`), built
    once per session from a copy of the example: body id -> the packet's result (folder,
    archive, exhibits, left_out, pages). Read-only: a test that needs another packet builds it
    (from `folder.parent.parent / "protected-witness"`, the copy these were built from)."""
    from casefile import api

    work = tmp_path_factory.mktemp("packets")
    case = copy_witness(work / "protected-witness")
    results = api.packet(case / "case.yaml", all_filings=True, output=work / "out")
    _read_only(work / "out")
    return {r.body: r for r in results}


# ------------------------------------------------------------------------------------------
# pytest-xdist: expensive shared fixtures made once per run
# ------------------------------------------------------------------------------------------
# Tests that bound a time measure the CPU time of their own process (time.process_time), not
# the wall clock: the other worker's load does not change it, so they run in parallel with
# the rest instead of alone.
#
# Fixtures that take seconds to make and are shared (session or module scope). Each worker
# makes the ones its tests use, so under `--dist loadgroup` (pyproject.toml) every test that
# uses one is put in that fixture's group: the whole group runs on one worker, which makes the
# fixture once. The first fixture a test uses in this order decides its group.
XDIST_GROUPS = {
    "rendered": "documents",  # the examples' dossiers; test_standards' HTML and PDF checks use them
    "witness_packets": "witness-packets",
    "keys": "signing",  # test_sign: the signing keys and the signed dossier
    "exhibit_packets": "exhibit-packets",  # test_protection_corpus
    "big_pdf": "large-case",  # test_large
    "wheel": "wheel",  # test_install
    "golden": "golden",  # test_golden
}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        group = next((XDIST_GROUPS[name] for name in XDIST_GROUPS if name in item.fixturenames), None)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(autouse=True, scope="module")
def _collect_garbage_after_each_module() -> Iterator[None]:
    """An object in a reference cycle (a font file of fontTools, say) is freed whenever the
    garbage collector next runs, and one that warns when freed (an unclosed file:
    ResourceWarning, an error here) would fail whichever test runs then. Collecting at the end
    of each module reports it in the module that left it."""
    yield
    gc.collect()
