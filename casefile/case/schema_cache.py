"""The case format's validator, built once when casefile is released instead of at every start.

pydantic builds a model's validator from its fields when it is first used: for the case format
that is about 40 ms of the 0.3 s a `casefile validate` process takes (a pre-commit hook and an
editor run it all the time). The built validator (pydantic-core's `SchemaValidator`) pickles to
45 KB and loads in about 1 ms, so a copy of it ships with the package (`validator.pickle`,
written by `python3 scripts/validator_cache.py`, checked by tests/test_validator_cache.py).

It is used only when it was built from exactly this code: its key is a digest of the sources
the format is defined in and of the pydantic and Python versions. Any change
(an edited model, another pydantic) and the validator is built as before. The file is read
from the package itself, never from a place a user's files or a case could write to: loading
a pickle runs code, so it must be as trusted as the code beside it.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CACHE = HERE / "validator.pickle"
# the modules that define the models whose validators ship (the case format; a repository's
# casefile.yaml), relative to this folder
SOURCES = ("base.py", "values.py", "persons.py", "model.py", "../core/languages.py", "../core/i18n.py",
           "../repository/project.py")
_done: set[str] = set()


def key() -> str:
    import pydantic  # (each pydantic release pins its pydantic-core: its version names both)

    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((HERE / name).read_bytes())
    digest.update(f"{pydantic.VERSION}|{sys.version_info[:2]}".encode())
    return digest.hexdigest()


def _name(model: Any) -> str:
    return f"{model.__module__}.{model.__qualname__}"


def install(*models: Any) -> None:
    """Give these models (their build deferred: base.Strict) the shipped validators when those
    were built from this code. A model already given one, or not in the file, is left as is."""
    wanted = [m for m in models if _name(m) not in _done]
    if not wanted:
        return
    _done.update(_name(m) for m in wanted)
    validators = _load()
    for model in wanted:
        validator = validators.get(_name(model))
        if validator is not None:
            model.__pydantic_validator__ = validator


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    try:
        stored_key, validators = pickle.loads(CACHE.read_bytes())  # noqa: S301 - the package's own file
    except (OSError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError, EOFError):
        return {}
    return validators if stored_key == key() and isinstance(validators, dict) else {}


def write(models: list[Any], path: Path = CACHE) -> None:
    """Build these models' validators and store them with this code's key
    (scripts/validator_cache.py)."""
    validators = {}
    for model in models:
        model.model_rebuild(force=True)
        validators[_name(model)] = model.__pydantic_validator__
    path.write_bytes(pickle.dumps((key(), validators), protocol=pickle.HIGHEST_PROTOCOL))
