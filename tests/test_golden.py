"""Golden outputs: both examples, both editions, byte for byte as tests/golden/ holds them.

A refactoring must leave them as they are; a deliberate change regenerates them with
`python3 scripts/golden.py` and the diff is reviewed with the change.
"""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "golden.py"


@pytest.fixture(scope="module")
def golden():
    spec = importlib.util.spec_from_file_location("golden", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def golden_outputs(golden):
    """The four documents as scripts/golden.py renders them (not the session's shared renders:
    these are made from copies outside git, as the golden files were)."""
    return golden.render_all()


@pytest.mark.parametrize("name", ["donetsk.internal.html", "donetsk.public.html", "witness.internal.html",
                                  "witness.public.html"])
def test_output_is_the_golden_output(golden, golden_outputs, name):
    expected = (golden.GOLDEN / name).read_text(encoding="utf-8")
    actual = golden_outputs[name]
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "golden",
                                                 "rendered", n=1))[:60])
        pytest.fail(f"{name} differs from tests/golden (run `python3 scripts/golden.py` if intended):\n{diff}")


def test_the_golden_files_differ_by_edition(golden):
    """The four files are real renders, not one copied four times: the public editions name no
    protected person and say so."""
    internal = (golden.GOLDEN / "witness.internal.html").read_text(encoding="utf-8")
    public = (golden.GOLDEN / "witness.public.html").read_text(encoding="utf-8")
    assert "Olena Koval" in internal and "Olena Koval" not in public
    assert "Public edition — identities withheld" in public
