"""The case format's JSON Schema for editors, and where a case file points to it.

The schema is generated from `model.py` (the one declaration of the format). It is written in
JSON Schema 2020-12 but uses only keywords that draft-07 tools read the same way (`$defs` is
reached through plain `$ref` pointers), because the YAML language server validates with
draft-07 semantics.

A case file names its schema in its first line, the yaml-language-server modeline:

    # yaml-language-server: $schema=../schema/case.schema.json

Where that points, so that it works offline and in git (`casefile new`, `casefile init`):

- `--schema-url URL` given: exactly that, and no schema file is written;
- the case is inside a case repository (a `casefile.yaml` above it): the repository's
  `schema/case.schema.json`, by a path relative to the case file (written when missing);
- otherwise: `case.schema.json` beside the case file (written when missing).

`casefile schema --output FILE` (re)writes a schema file, e.g. after upgrading casefile.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://casefile.invalid/schema/case-1.json"
PROJECT_SCHEMA = Path("schema") / "case.schema.json"  # inside a case repository
SIBLING_SCHEMA = "case.schema.json"  # beside a case outside any repository
MODELINE = "# yaml-language-server: $schema="

TITLE = "casefile case, format version 1"
DESCRIPTION = (
    "A war-crimes case file for casefile: the incident, the alleged violations, the bodies it goes "
    "to and the evidence. Check a file with `casefile validate`; it also checks what a schema "
    "cannot (ids that refer to nothing, the legal catalog, custody order, consent)."
)


def case_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of the case format, with a description and examples for every field.
    Generating it takes about 100 ms; it is kept in the user's cache (signed, core/usercache.py)
    under a digest of the model's sources and the pydantic version (schema_cache.key)."""
    from casefile.case import schema_cache
    from casefile.core import usercache

    schema: dict[str, Any] = usercache.parsed("case-schema", schema_cache.key().encode(), _generated)
    return schema


def _generated(_key: bytes) -> dict[str, Any]:
    from casefile.case.model import Case

    generated = Case.model_json_schema(mode="validation")
    generated.pop("title", None)
    generated.pop("description", None)
    return {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, "title": TITLE, "description": DESCRIPTION,
            **generated}


def schema_text() -> str:
    return json.dumps(case_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: str | Path) -> Path:
    """Write the schema to `path` atomically (replacing what is there)."""
    from casefile.core.output import write_atomic

    return write_atomic(Path(path), schema_text().encode("utf-8"))


def modeline(reference: str) -> str:
    """The first line of a case file that tells the YAML language server its schema."""
    return f"{MODELINE}{reference}\n"


def schema_for(case_path: Path, root: Path | None) -> tuple[str, Path]:
    """Where the modeline of a new case at `case_path` points, and the schema file it names;
    `root`: the case repository holding it (a folder with casefile.yaml), or None."""
    folder = case_path.resolve().parent
    schema_file = (root / PROJECT_SCHEMA) if root is not None else (folder / SIBLING_SCHEMA)
    reference = Path(os.path.relpath(schema_file, folder)).as_posix()
    return reference, schema_file
