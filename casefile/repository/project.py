"""A case repository: its optional `casefile.yaml`, and `casefile init`.

    casefile-project: 1
    organisation: {name: …, address: |, contact: …}   # the sender of letters
    language: en              # default dossier language
    output: out               # where `casefile build` writes
    templates: templates      # a folder overriding built-in templates (sandboxed)
    catalog: [catalog/bodies.yaml]     # extra provisions and filing bodies
    build: {editions: [internal, public], formats: [pdf], packets: planned}

Paths are resolved against the folder of `casefile.yaml`. The file is validated like a case:
unknown keys, wrong types and missing files are located errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from casefile.case import schema_cache
from casefile.case.catalog import Catalog, build_catalog, load_catalog
from casefile.case.loader import LoadError, load_file
from casefile.case.model import Case, Language, Signatory, Strict
from casefile.case.values import Inline, Str
from casefile.core.errors import CasefileError, InvalidCase, Problem, UsageError, error
from casefile.core.outputs import EDITIONS, Edition, Format

if TYPE_CHECKING:
    from casefile.protection.validation import Validation

CONFIG_NAME = "casefile.yaml"


class Organisation(Strict):
    """The sender of the repository's letters; a case's `prepared:` overrides each part."""

    name: Str
    address: Str | list[Str] | None = None  # one line, or one entry per line
    contact: Str | None = None
    signatory: Signatory | None = None

    def sender_defaults(self) -> dict[str, Any]:
        """What a case's `prepared:` takes from the organisation when it does not say."""
        lines = [self.address] if isinstance(self.address, str) else list(self.address or [])
        return {"address": lines, "contact": self.contact, "signatory": self.signatory}


def _pdf_only() -> list[Format]:
    return ["pdf"]


def _all_editions() -> list[Edition]:  # a function, not a lambda: the validator is pickled (schema_cache)
    return list(EDITIONS)


class BuildSettings(Strict):
    editions: list[Edition] = Field(default_factory=_all_editions)
    formats: list[Format] = Field(default_factory=_pdf_only)
    packets: Literal["none", "planned", "all"] = Field(
        "planned", description="Which filings get a packet: none, those with status planned, or all.")


class ProjectConfig(Strict):
    casefile_project: Literal[1, "1"] = Field(1, alias="casefile-project", description="Project format version: 1.")
    organisation: Organisation | None = None
    language: Language = "en"
    output: Str = "out"
    templates: Str | None = None
    catalog: list[Str] = Field(default_factory=list)
    build: BuildSettings = Field(default_factory=BuildSettings)
    title: Inline | None = None


@dataclass(frozen=True)
class Project:
    root: Path
    config: ProjectConfig
    config_path: Path | None

    @property
    def output(self) -> Path:
        return (self.root / self.config.output).resolve()

    @property
    def templates(self) -> Path | None:
        return (self.root / self.config.templates).resolve() if self.config.templates else None

    @property
    def cases_dir(self) -> Path:
        cases = self.root / "cases"
        return cases if cases.is_dir() else self.root

    def with_sender_defaults(self, case: Case) -> Case:
        """The case with what its `prepared:` leaves unsaid (address, contact, signatory) taken
        from the repository's `organisation:`: the sender block and signatory of its letters."""
        organisation = self.config.organisation
        if organisation is None:
            return case
        prepared = case.prepared
        update = {key: value for key, value in organisation.sender_defaults().items()
                  if value and not getattr(prepared, key)}
        return case.model_copy(update={"prepared": prepared.model_copy(update=update)}) if update else case

    @cached_property
    def catalog_files(self) -> tuple[str, ...]:
        """The repository's `catalog:` files, resolved, in order (resolved once, not for each
        file a build or a folder's validate looks at)."""
        return tuple(str((self.root / c).resolve()) for c in self.config.catalog)

    def is_catalog_file(self, path: Path) -> bool:
        """Whether `path` is one of the repository's `catalog:` files."""
        return bool(self.catalog_files) and str(path.resolve()) in self.catalog_files

    def catalog(self) -> Catalog:
        # keyed on each file's modification time and size too: an edited file is read again
        return _catalog(self.catalog_files, tuple(_stamp(f) for f in self.catalog_files))


def _stamp(path: str) -> tuple[int, int]:
    try:
        stat = Path(path).stat()
    except OSError:
        return (0, -1)  # missing: _catalog_file reports it
    return (stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _catalog(extra: tuple[str, ...], stamps: tuple[tuple[int, int], ...] = ()) -> Catalog:
    """The built-in catalog with the project's catalog files added, in order. A file that
    cannot be read, has keys a catalog file does not have, lists a provision without
    `applies_to`, or clashes with the built-in catalog or an earlier file is an error naming
    the file (and the entry)."""
    if not extra:
        return load_catalog()
    files = [(name, _catalog_file(name)) for name in extra]
    try:
        return _merged(files)
    except (KeyError, ValueError, TypeError):
        pass
    # name the file that brought the error: the first prefix of the files that fails to build
    for count in range(1, len(files) + 1):
        try:
            _merged(files[:count])
        except (KeyError, ValueError, TypeError) as exc:
            raise CasefileError(f"{files[count - 1][0]}: {str(exc).removeprefix('catalog: ')}",
                                "the format of catalog files is in the README (A case repository)") from None
    raise AssertionError("a catalog that fails to build has a first file that breaks it")


def _merged(files: list[tuple[str, dict[str, Any]]]) -> Catalog:
    """The built-in catalog with these catalog files' entries added, in order."""
    from casefile.case.catalog import shipped_data

    provisions, bodies = shipped_data()
    for _, data in files:
        provisions["instruments"].update(data.get("instruments") or {})
        provisions["provisions"] += data.get("provisions") or []
        bodies["bodies"] += data.get("bodies") or []
    return build_catalog(provisions, bodies)


def _catalog_file(name: str) -> dict[str, Any]:
    """A project's catalog file, read as strictly as a case (case/catalog/format.py): any
    problem is an `InvalidCase` with every problem of the file, located."""
    data, problems = read_catalog_file(Path(name))
    if data is None:
        raise InvalidCase(problems)
    return data


def read_catalog_file(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A catalog file's entries as `build_catalog` reads them (numbers as numbers, booleans as
    booleans: the model's values, not the file's text; keys not written left out), or None,
    and every problem of the file."""
    from casefile.case.catalog.format import CatalogFile
    from casefile.case.parse import parse_model

    try:
        document = load_file(path)
    except LoadError as exc:
        return None, list(exc.problems)
    except OSError as exc:
        return None, [error((), f"cannot read catalog file: {exc.strerror or exc}").at(str(path), 1, 1)]
    if document.data is None:
        return {}, []  # an empty file adds nothing
    checked, problems = parse_model(document, CatalogFile, "a catalog file",
                                    "the format is in the README (A case repository, Catalog files)")
    if checked is None:
        return None, problems
    data: dict[str, Any] = checked.model_dump(exclude_unset=True)
    return data, problems


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding casefile.yaml."""
    start = start.resolve()
    for folder in [start if start.is_dir() else start.parent, *(start if start.is_dir() else start.parent).parents]:
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def load_project(start: Path) -> Project:
    root = find_root(start)
    if root is None:
        folder = start.resolve() if start.is_dir() else start.resolve().parent
        schema_cache.install(ProjectConfig, BuildSettings, Organisation)
        return Project(folder, ProjectConfig(), None)
    path = root / CONFIG_NAME
    config, problems = check_config(path)
    if problems or config is None:
        raise InvalidCase(problems)
    return Project(root, config, path)


def check_config(path: Path) -> tuple[ProjectConfig | None, list[Problem]]:
    """Read and check a casefile.yaml: the settings, or None, and every problem, located."""
    try:
        document = load_file(path)
    except LoadError as exc:
        return None, list(exc.problems)
    from casefile.case.parse import parse_model

    root = path.parent
    config, problems = parse_model(document, ProjectConfig, "casefile.yaml", "see `casefile init`")
    if config is not None:
        for i, name in enumerate(config.catalog):
            if not (root / name).is_file():
                problems.append(document.locate(error(("catalog", i), f"catalog file '{name}' not found")))
        if config.templates and not (root / config.templates).is_dir():
            problems.append(document.locate(error(("templates",), f"templates folder '{config.templates}' not found")))
        elif config.templates:
            problems += _stray_templates(Project(root, config, path))
    return config, problems


def _stray_templates(project: Project) -> list[Problem]:
    """The files of the templates folder that would change nothing, each an error at the file."""
    from casefile.dossier.html import stray_template_problems

    try:
        catalog = project.catalog()
    except CasefileError:  # a broken catalog file: its own errors come with the case
        catalog = load_catalog()
    assert project.templates is not None
    return stray_template_problems(project.templates, catalog)


CONFIG_TEMPLATE = """\
# casefile project settings. Paths are relative to this file.
casefile-project: 1
organisation:
  name: {name}
  contact: cases@example.org
  # address: |
  #   Street
  #   City
language: en
output: out              # where `casefile build` writes dossiers and packets
# templates: templates   # your own templates/CSS overriding the built-in ones
# catalog: [catalog/bodies.yaml]   # extra filing bodies and provisions
build:
  editions: [internal, public]
  formats: [pdf]
  packets: planned       # none, planned or all filings
"""

GITIGNORE = """\
# casefile outputs and caches
/out/
.casefile-cache/
*.partial
"""


def init_project(folder: Path, *, name: str = "Your organisation", git: bool = True) -> list[Path]:
    """Create a case repository: casefile.yaml, .gitignore, schema/case.schema.json (for editors),
    cases/ with a first case, git."""
    from casefile.case.starter import starter_case
    from casefile.core.output import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    if (folder / CONFIG_NAME).exists():
        raise UsageError(f"{folder / CONFIG_NAME} already exists", "this folder is already a casefile project")
    written = [write_atomic(folder / CONFIG_NAME, CONFIG_TEMPLATE.format(name=name).encode("utf-8"))]
    ignore = folder / ".gitignore"
    if not ignore.exists():
        written.append(write_atomic(ignore, GITIGNORE.encode("utf-8")))
    # The JSON Schema for editors, in the repository so that it works offline and in git;
    # every case's first line points to it by a relative path (see casefile/schema.py).
    from casefile.case.schema import schema_for, write_schema

    first = folder / "cases" / "XX-REG-2025-001.yaml"
    reference, schema_file = schema_for(first, folder.resolve())
    if not schema_file.exists():
        written.append(write_schema(schema_file))
    if not first.exists():
        written.append(write_atomic(first, starter_case(reference).encode("utf-8")))
    if git and not (folder / ".git").exists():
        from casefile.repository import gitinfo

        if gitinfo.toplevel(folder) is None:
            gitinfo.init(folder)
    return written


# ------------------------------------------------------------------------------------------
# which files of a folder are cases
# ------------------------------------------------------------------------------------------
CASE_SUFFIXES = (".yaml", ".yml")
# Files a folder scan does not treat as cases (project config, not case files).
NOT_CASES = {"casefile.yaml", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml"}


def find_cases(paths: Sequence[str | Path]) -> list[Path]:
    """Expand folders into the case files under them (sorted, hidden folders and out/ skipped)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for candidate in sorted(path.rglob("*")):
                rel = candidate.relative_to(path).parts
                if any(part.startswith(".") or part in ("out", "node_modules") for part in rel[:-1]):
                    continue
                if candidate.is_file() and candidate.suffix in CASE_SUFFIXES and candidate.name not in NOT_CASES:
                    found.append(candidate)
        elif path.exists():
            found.append(path)
        else:
            raise UsageError(f"no such file or folder: {path}")
    return found


_CASE_KEYS = {"id", "title", "prepared", "summary", "incident", "allegations", "evidence"}


def is_case_file(result: Validation) -> bool:
    """Whether a validated YAML file is meant as a case (for `validate --cases-only`, which a
    pre-commit hook runs over every YAML file of a repository): not the project settings or
    another tool's configuration. A file that cannot be read or parsed counts as a case (its
    problems are reported); so does a mapping with a `casefile:` key or two of a case's keys."""
    if result.kind == "catalog":
        return True  # one of the repository's catalog files: checked as one, never skipped
    if result.path.name in NOT_CASES:
        return False
    if result.document is None:
        return True
    data = result.document.data
    if not isinstance(data, dict):
        return False
    return "casefile" in data or len(_CASE_KEYS & set(data)) >= 2
