"""casefile as a library: the functions the command line calls, taking what it takes.

The CLI only translates arguments and exceptions; everything a command does happens here.
Data flows one way: file -> loader.Document -> model.Case -> checks -> view -> HTML -> PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from casefile.catalog import Catalog, load_catalog
from casefile.checks import check_case, parse_case
from casefile.errors import CasefileError, InvalidCase, Problem, UsageError, sort_problems
from casefile.loader import Document, Limits, LoadError, load_file
from casefile.model import Case

Format = Literal["pdf", "html"]
Edition = Literal["internal", "public"]
FORMATS: tuple[str, ...] = ("pdf", "html")
EDITIONS: tuple[str, ...] = ("internal", "public")
CASE_SUFFIXES = (".yaml", ".yml")
# Files a folder scan does not treat as cases (project config, not case files).
NOT_CASES = {"casefile.yaml", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml"}


@dataclass
class Validation:
    """The outcome of validating one case file."""

    path: Path
    case: Case | None
    document: Document | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.case is not None and not self.errors


def validate(path: str | Path, *, catalog: Catalog | None = None, limits: Limits | None = None) -> Validation:
    """Validate one case file; every problem of the file is collected, none raised."""
    path = Path(path)
    try:
        document = load_file(path, limits)
    except LoadError as exc:
        return Validation(path, None, None, sort_problems(exc.problems))
    except OSError as exc:
        problem = Problem("error", (), f"cannot read file: {exc.strerror or exc}", file=str(path), line=1, column=1)
        return Validation(path, None, None, [problem])
    case, problems = parse_case(document)
    if case is not None:
        catalog = catalog or load_catalog()
        problems = [document.locate(p) for p in check_case(case, catalog, path.parent)]
    return Validation(path, case, document, sort_problems(problems))


def load_case(path: str | Path, *, catalog: Catalog | None = None, limits: Limits | None = None) -> Validation:
    """Validate and raise `InvalidCase` on any error (warnings pass)."""
    result = validate(path, catalog=catalog, limits=limits)
    if not result.ok:
        raise InvalidCase(result.problems)
    return result


def find_cases(paths: list[str | Path]) -> list[Path]:
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


def default_output(case: Case, fmt: str, edition: str, out_dir: Path = Path("out")) -> Path:
    suffix = "" if edition == "internal" else f".{edition}"
    return out_dir / f"{case.id}{suffix}.{fmt}"


def render(case_path: str | Path, *, format: str = "pdf", edition: str = "internal",
           output: str | Path | None = None, catalog: Catalog | None = None,
           templates: str | Path | None = None, limits: Limits | None = None) -> Path:
    """Validate a case and write its dossier atomically; returns the path written."""
    from casefile import output as out
    from casefile.render import render_html
    from casefile.view import build_view

    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}' (choose from {', '.join(FORMATS)})")
    if edition not in EDITIONS:
        raise UsageError(f"unknown edition '{edition}' (choose from {', '.join(EDITIONS)})")
    catalog = catalog or load_catalog()
    result = load_case(case_path, catalog=catalog, limits=limits)
    case = result.case
    assert case is not None
    target = Path(output) if output else default_output(case, format, edition)
    view = build_view(case, catalog, edition=edition, mode=format, base_dir=Path(case_path).parent)
    user_templates = Path(templates) if templates else None
    if user_templates is not None and not user_templates.is_dir():
        raise UsageError(f"templates folder not found: {user_templates}")
    html = render_html(view, user_dir=user_templates)
    if format == "html":
        data = html.encode("utf-8")
    else:
        from casefile.pdf import html_to_pdf

        data = html_to_pdf(html, view=view, base_dir=Path(case_path).parent)
    out.write_atomic(target, data)
    return target


def starter_case() -> str:
    """The commented starter case `casefile new` writes (it validates)."""
    from casefile.resources import template_path

    return template_path("starter-case.yaml").read_text(encoding="utf-8")


def new_case(path: str | Path, *, force: bool = False) -> Path:
    from casefile import output as out

    target = Path(path)
    if target.is_dir():
        target = target / "case.yaml"
    if target.exists() and not force:
        raise UsageError(f"{target} already exists", "choose another path or pass --force")
    out.write_atomic(target, starter_case().encode("utf-8"))
    return target


def json_schema() -> dict:
    """JSON Schema (2020-12) of the case format."""
    schema = Case.model_json_schema(mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://casefile.invalid/schema/case-1.json", **schema}
    return schema


def describe_catalog(what: str | None = None, ident: str | None = None, *,
                     catalog: Catalog | None = None) -> str:
    """Text for `casefile catalog [provisions|bodies] [ID]`."""
    catalog = catalog or load_catalog()
    if what not in (None, "provisions", "bodies"):
        what, ident = None, what  # `casefile catalog gc3:130`
    if ident is not None:
        if what != "bodies" and ident in catalog.provisions:
            return _describe_provision(catalog.provisions[ident])
        if what != "provisions" and ident in catalog.bodies:
            return _describe_body(catalog.bodies[ident])
        guess = catalog.suggest_provision(ident) or catalog.suggest_body(ident)
        raise CasefileError(f"'{ident}' is not in the catalog", f"did you mean '{guess}'?" if guess else
                            "list them with `casefile catalog provisions` or `casefile catalog bodies`")
    lines: list[str] = []
    if what in (None, "provisions"):
        lines.append(f"Provisions ({len(catalog.provisions)})")
        width = max(len(p) for p in catalog.provisions)
        for p in catalog.provisions.values():
            lines.append(f"  {p.id:<{width}}  {p.label} — {p.title}")
    if what in (None, "bodies"):
        if lines:
            lines.append("")
        lines.append(f"Filing bodies ({len(catalog.bodies)})")
        width = max(len(b) for b in catalog.bodies)
        for b in catalog.bodies.values():
            lines.append(f"  {b.id:<{width}}  {b.name} [{', '.join(b.languages)}]")
    return "\n".join(lines) + "\n"


def _describe_provision(p) -> str:
    lines = [f"{p.id}: {p.label} — {p.title}", f"instrument: {p.instrument.name}",
             f"applies to: {', '.join(p.applies_to)}"]
    if p.grave_breach:
        lines.append("grave breach: yes")
    if p.url:
        lines.append(f"source: {p.url}")
    lines += ["", _wrap(p.summary)]
    if p.elements:
        lines += ["", "Elements of Crimes:"]
        lines += [f"  {e.id}  {e.text}" for e in p.elements]
    return "\n".join(lines) + "\n"


def _describe_body(b) -> str:
    lines = [f"{b.id}: {b.name}", f"kind: {b.kind}", f"languages: {', '.join(b.languages)}"]
    lines += [f"{c.type}: {', '.join(c.value.splitlines())}" + (f" ({c.label})" if c.label else "")
              for c in b.channels]
    if b.address:
        lines += ["address:", *("  " + line for line in b.address.splitlines())]
    if b.requires:
        lines.append(f"a submission must contain: {', '.join(b.requires)}")
    if b.confidentiality:
        lines += ["", _wrap("confidentiality: " + b.confidentiality)]
    if b.notes:
        lines += ["", *(_wrap("- " + n) for n in b.notes)]
    if not b.confirmed:
        lines += ["", "note: some facts of this entry are not confirmed against an official source"]
    if b.source:
        lines.append(f"source: {b.source}")
    return "\n".join(lines) + "\n"


def _wrap(text: str) -> str:
    import textwrap

    return textwrap.fill(text, width=92, subsequent_indent="  " if text.startswith("- ") else "")


__all__ = [
    "CasefileError", "InvalidCase", "Validation", "validate", "load_case", "find_cases", "render",
    "new_case", "json_schema", "starter_case",
]
