"""The case format's validator ships built (casefile/case/validator.pickle): it is this code's,
`validate` uses it instead of building one, and any mismatch falls back to building."""

from __future__ import annotations

import pickle
import subprocess
import sys

from casefile.case import schema_cache

from .conftest import DONETSK, ROOT


def test_the_shipped_validator_is_built_from_this_code():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "validator_cache.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + "\n(run python3 scripts/validator_cache.py)"
    stored_key, validators = pickle.loads(schema_cache.CACHE.read_bytes())
    assert stored_key == schema_cache.key()
    assert set(validators) == {"casefile.case.model.Case", "casefile.repository.project.ProjectConfig",
                               "casefile.repository.project.BuildSettings", "casefile.repository.project.Organisation"}


PROBE = """
import sys
from casefile import api
from casefile.case.model import Case
result = api.validate(sys.argv[1])
print(result.ok, Case.__pydantic_complete__, type(Case.__pydantic_validator__).__name__)
"""


def test_validate_uses_it_without_building_the_models():
    out = subprocess.run([sys.executable, "-c", PROBE, str(DONETSK)], capture_output=True, text=True, check=True)
    # valid, and the model was never built in this process (its validator came from the file)
    assert out.stdout.split() == ["True", "False", "SchemaValidator"]


def test_another_code_builds_its_own(tmp_path, monkeypatch):
    stale = tmp_path / "validator.pickle"
    stale.write_bytes(pickle.dumps(("not this code", {}), protocol=pickle.HIGHEST_PROTOCOL))
    probe = PROBE.replace("from casefile import api", "from casefile.case import schema_cache\n"
                          f"schema_cache.CACHE = __import__('pathlib').Path({str(stale)!r})\nfrom casefile import api")
    out = subprocess.run([sys.executable, "-c", probe, str(DONETSK)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "SchemaValidator"]  # built here, and valid all the same
