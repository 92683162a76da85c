"""The case models' validators are built once per machine and kept in the user's cache, signed
with the user's key (casefile/case/schema_cache.py): a later run loads them instead of building;
a file that is not this user's or this code's is ignored."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import DONETSK

PROBE = """
import sys
from casefile import api
from casefile.case.model import Case
result = api.validate(sys.argv[1])
print(result.ok, Case.__pydantic_complete__)
"""


def run(cache) -> list[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    out = subprocess.run([sys.executable, "-c", PROBE, str(DONETSK)], capture_output=True, text=True, check=True,
                         env=env)
    return out.stdout.split()


def kept(cache) -> list:
    return sorted((cache / "casefile").glob("validator-casefile.case.model.Case-*.pickle"))


def test_the_first_run_builds_and_keeps_the_validator_the_next_loads_it(tmp_path):
    assert run(tmp_path) == ["True", "True"]  # valid; the model was built in this process
    [path] = kept(tmp_path)
    assert (path.stat().st_mode & 0o077) == 0  # this user's only
    assert run(tmp_path) == ["True", "False"]  # valid; loaded, never built


def test_a_file_not_signed_by_this_user_is_ignored(tmp_path):
    run(tmp_path)
    [path] = kept(tmp_path)
    blob = bytearray(path.read_bytes())
    blob[40] ^= 0x01  # one byte of the pickle changed: the signature no longer holds
    path.write_bytes(bytes(blob))
    assert run(tmp_path) == ["True", "True"]  # built again, not loaded
    other = tmp_path / "other"
    (other / "casefile").mkdir(parents=True)
    (other / "casefile" / path.name).write_bytes(path.read_bytes())  # another user's key: not theirs
    assert run(other)[1] == "True"
