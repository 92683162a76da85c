"""Validating a case file: every check, the one place that runs them all.

A case is valid when its YAML reads (`case.loader`), its structure and field values hold
(`case.model`), its cross-field checks pass (`case.checks`: ids, references, catalog, files,
custody, consent) and no protected person's name is spelled out anywhere in it
(`protection.checks`). The last check is protection's, so this module sits in protection/,
above case/. Every problem of a file is collected and located; none is raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from casefile.case.catalog import Catalog, load_catalog
from casefile.case.checks import CheckOptions, check_case
from casefile.case.loader import Document, Limits, LoadError, load_file
from casefile.case.model import Case
from casefile.case.parse import read_case
from casefile.case.salvage import salvage
from casefile.core.errors import InvalidCase, Problem, sort_problems
from casefile.protection.checks import check_names


@dataclass
class Validation:
    """The outcome of validating one case file."""

    path: Path
    case: Case | None
    document: Document | None
    problems: list[Problem] = field(default_factory=list)
    kind: str = "case"  # or "project" (a casefile.yaml: settings) or "catalog" (one of its catalog files)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return (self.case is not None or self.kind != "case") and not self.errors


def validate(path: str | Path, *, catalog: Catalog | None = None, limits: Limits | None = None,
             options: CheckOptions | None = None) -> Validation:
    """Validate one case file; every problem of the file is collected, none raised."""
    path = Path(path)
    try:
        document = load_file(path, limits)
    except LoadError as exc:
        return Validation(path, None, None, sort_problems(exc.problems))
    except OSError as exc:
        problem = Problem("error", (), f"cannot read file: {exc.strerror or exc}", file=str(path), line=1, column=1)
        return Validation(path, None, None, [problem])
    case, problems, errors = read_case(document)
    catalog = catalog or load_catalog()
    if case is not None:
        problems = [document.locate(p) for p in _checks(case, catalog, path, options)]
    elif (salvaged := salvage(document.data, errors)) is not None and salvaged.case is not None:
        # the structure is wrong somewhere: the checks across fields still run, on a repaired
        # copy, so that every error of the file is reported in one run (case/salvage.py)
        found = salvaged.relocated(_checks(salvaged.case, catalog, path, options))
        problems += [document.locate(p) for p in found]
    return Validation(path, case, document, sort_problems(problems))


def _checks(case: Case, catalog: Catalog, path: Path, options: CheckOptions | None) -> list[Problem]:
    return check_case(case, catalog, path.parent, options or CheckOptions()) + check_names(case, catalog)


def load_case(path: str | Path, *, catalog: Catalog | None = None, limits: Limits | None = None) -> Validation:
    """Validate and raise `InvalidCase` on any error (warnings pass)."""
    result = validate(path, catalog=catalog, limits=limits)
    if not result.ok:
        raise InvalidCase(result.problems)
    return result
