"""The validators of the case models, built once per machine instead of at every start.

pydantic builds a model's validator from its fields when it is first used: for the case format
that is about 40 ms of the 0.3 s a `casefile validate` process took (a pre-commit hook and an
editor run it all the time). The built validator (pydantic-core's `SchemaValidator`) pickles
to about 45 KB and loads in about 1 ms. So the first run on a machine builds it and keeps it in
this user's cache (`~/.cache/casefile/validator-<model>-<key>.pickle`); later runs load it.

Loading a pickle runs code, so a kept validator is used only when it is this user's own and
this code's: the file is signed with the user's cache key (core/usercache.py: HMAC-SHA256, a
key readable by this user only), and named by a digest of the sources the models are defined
in and of the pydantic and Python versions. A file edited by hand, copied from elsewhere or
made by another version is ignored, and the validator is built as before. Nothing is shipped
in the package or the repository: no binary file for a reviewer to take on trust.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path
from typing import Any

from casefile.core import usercache

HERE = Path(__file__).resolve().parent
# the modules that define the models whose validators are kept (the case format; a repository's
# casefile.yaml and catalog files), relative to this folder
SOURCES = ("base.py", "values.py", "persons.py", "model.py", "catalog/format.py", "../core/languages.py",
           "../core/i18n.py", "../repository/project.py")
_done: set[str] = set()
_key: list[str] = []


def key() -> str:
    """A digest of the code the validators are built from (computed once per process)."""
    if not _key:
        import pydantic  # (each pydantic release pins its pydantic-core: its version names both)

        digest = hashlib.sha256()
        for name in SOURCES:
            digest.update((HERE / name).read_bytes())
        digest.update(f"{pydantic.VERSION}|{sys.version_info[:2]}".encode())
        _key.append(digest.hexdigest())
    return _key[0]


def _name(model: Any) -> str:
    return f"{model.__module__}.{model.__qualname__}"


def path_for(model: Any) -> Path | None:
    folder = usercache.cache_dir()
    return None if folder is None else folder / f"validator-{_name(model)}-{key()[:24]}.pickle"


def install(*models: Any) -> None:
    """Give these models (their build deferred: base.Strict) this user's kept validators; for a
    model without one, build it now and keep it. Once per model and process."""
    for model in models:
        if _name(model) in _done:
            continue
        _done.add(_name(model))
        path = path_for(model)
        if path is None:
            continue
        validator = _load(path)
        if validator is not None:
            model.__pydantic_validator__ = validator
        else:
            _keep(model, path)


def _load(path: Path) -> Any:
    try:
        data = usercache.verified(path.read_bytes())
    except OSError:
        return None
    if data is None:
        return None
    try:
        stored_key, validator = pickle.loads(data)  # noqa: S301 - signed by this user's key, see above
    except (pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError, EOFError):
        return None
    return validator if stored_key == key() else None


def _keep(model: Any, path: Path) -> None:
    """Build the model's validator and keep it, signed; any failure only means no cache."""
    try:
        model.model_rebuild()
        blob = usercache.sign(pickle.dumps((key(), model.__pydantic_validator__), protocol=pickle.HIGHEST_PROTOCOL))
        if blob is None:
            return
        usercache.write_private(path, blob)
        for old in path.parent.glob(f"validator-{_name(model)}-*.pickle"):  # other code's: never loaded again
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return
