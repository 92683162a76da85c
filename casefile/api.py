"""casefile as a library: the functions the command line calls, taking what it takes.

A thin layer: each function checks its arguments (wrong usage raises `UsageError`, exit 2),
then calls the one function of a lower layer that does the work. The CLI only translates
arguments and exceptions. Nothing in casefile imports this module.

Data flows one way: case file -> case (loader, model, checks) -> protection (who is hidden,
validation) -> evidence (digests, exhibits) -> dossier (view, HTML, PDF) -> filing (packets)
-> repository (build, register, diff).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casefile.case.catalog import Body, Catalog
from casefile.case.checks import CheckOptions
from casefile.case.loader import Limits
from casefile.case.model import Case
from casefile.case.starter import starter_case
from casefile.core.errors import CasefileError, InvalidCase, Problem, UsageError, sort_problems
from casefile.core.languages import CODES as LANGUAGE_CODES
from casefile.core.outputs import EDITIONS, FORMATS
from casefile.protection.validation import Validation, load_case
from casefile.protection.validation import validate as validate_case
from casefile.repository.project import Project, find_cases, is_case_file, load_project

if TYPE_CHECKING:
    from casefile.core.doctor import Report
    from casefile.evidence.integrity import ItemCheck
    from casefile.evidence.record import HashReport
    from casefile.evidence.sign import Signer
    from casefile.evidence.verify import DossierCheck
    from casefile.protection.scan import Leak


__all__ = [
    "CasefileError", "DossierCheck", "HashReport", "InvalidCase", "Validation", "build", "check_for",
    "check_leaks", "default_output", "describe_catalog", "doctor", "find_cases", "hash_case", "init",
    "is_case_file", "json_schema", "load_case", "mark_submitted", "new_case", "packet", "register", "render",
    "starter_case", "validate", "verify_case", "verify_dossier",
]


def hash_case(path: str | Path, *, update: bool = False, use_cache: bool = True) -> HashReport:
    """`hash`: record the SHA-256 of every evidence file in the case file (evidence/record.py)."""
    from casefile.evidence.record import hash_case as record

    return record(path, update=update, use_cache=use_cache)


def verify_case(path: str | Path, *, use_cache: bool = False) -> list[ItemCheck]:
    """`verify`: re-hash every evidence file against the case (evidence/record.py)."""
    from casefile.evidence.record import verify_case as check

    return check(path, use_cache=use_cache)


def __getattr__(name: str) -> Any:
    # the result types, importable from here without loading the evidence modules at start-up
    if name == "HashReport":
        from casefile.evidence.record import HashReport

        return HashReport
    if name == "DossierCheck":
        from casefile.evidence.verify import DossierCheck

        return DossierCheck
    raise AttributeError(name)


def validate(path: str | Path, *, catalog: Catalog | None = None, limits: Limits | None = None,
             options: CheckOptions | None = None) -> Validation:
    """Validate one case file; every problem of the file is collected, none raised. A file
    named casefile.yaml is checked as a repository's project settings instead, and one of its
    `catalog:` files as a catalog file."""
    path = Path(path)
    if path.name == "casefile.yaml":
        from casefile.repository.project import check_config

        _, problems = check_config(path)
        return Validation(path, None, None, sort_problems(problems), kind="project")
    project = project_of(path)
    if project.is_catalog_file(path):
        from casefile.repository.project import read_catalog_file

        _, problems = read_catalog_file(path)
        return Validation(path, None, None, sort_problems(problems), kind="catalog")
    return validate_case(path, catalog=catalog or project.catalog(), limits=limits, options=options)


def project_of(path: str | Path) -> Project:
    """The repository a case (or folder) belongs to: the nearest casefile.yaml at or above it,
    whose `catalog:` files every command uses and whose `output:` folder `render` and `packet`
    write to by default. Outside a repository: the built-in catalog and `out/`."""
    return load_project(Path(path))


def describe_catalog(what: str | None = None, ident: str | None = None, *, catalog: Catalog | None = None,
                     where: str | Path = ".") -> str:
    """`casefile catalog`: the catalog of the repository `where` is in (its project catalog
    files with the built-in one), or the built-in catalog outside a repository."""
    from casefile.case.catalog.describe import describe_catalog as describe

    return describe(what, ident, catalog=catalog or project_of(where).catalog())


def _out_dir(project: Project) -> Path:
    return project.output if project.config_path is not None else Path("out")


def default_output(case: Case, fmt: str, edition: str, out_dir: Path = Path("out"),
                   language: str | None = None) -> Path:
    """Where `render` writes without --output: out/<case id>[.public][.<language>].<format>."""
    from casefile.dossier.document import output_name

    return out_dir / output_name(case, fmt, edition, language)


def _templates_dir(templates: str | Path | None, catalog: Catalog) -> Path | None:
    """The `--templates` folder, refused when it is missing or holds a file that would change
    nothing (a misspelt name: dossier/html.stray_templates)."""
    if templates is None:
        return None
    folder = Path(templates)
    if not folder.is_dir():
        raise UsageError(f"templates folder not found: {folder}")
    from casefile.dossier.html import stray_template_problems

    strays = stray_template_problems(folder, catalog)
    if strays:
        raise InvalidCase(strays)
    return folder


def _check_render_options(format: str, edition: str, pdf_variant: str | None, signer: object,
                          language: str | None, evidence_layout: str) -> None:
    from casefile.dossier.pdf import check_variant
    from casefile.dossier.view import EVIDENCE_LAYOUTS

    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}' (choose from {', '.join(FORMATS)})")
    if edition not in EDITIONS:
        raise UsageError(f"unknown edition '{edition}' (choose from {', '.join(EDITIONS)})")
    if pdf_variant is not None:  # a standard the PDF claims: pdf.PDF_VARIANTS (`pdf/a-3b`, `pdf/ua-1`)
        check_variant(pdf_variant)
        if format != "pdf":
            raise UsageError("--pdf-variant needs --format pdf")
    if signer is not None and format != "pdf":
        raise UsageError("only a PDF can be signed: --sign needs --format pdf")
    if language is not None and language not in LANGUAGE_CODES:
        raise UsageError(f"unknown language '{language}' (choose from {', '.join(LANGUAGE_CODES)})")
    if evidence_layout not in EVIDENCE_LAYOUTS:
        raise UsageError(f"unknown evidence layout '{evidence_layout}' (choose from {', '.join(EVIDENCE_LAYOUTS)})")


def render(case_path: str | Path, *, format: str = "pdf", edition: str = "internal",
           output: str | Path | None = None, catalog: Catalog | None = None,
           templates: str | Path | None = None, limits: Limits | None = None,
           allow_unverified: bool = False, use_cache: bool = True,
           on_warning: Callable[[Problem], None] | None = None, signer: Signer | None = None,
           language: str | None = None,
           pdf_variant: str | None = None, evidence_layout: str = "auto",
           stage: Callable[[str], None] | None = None) -> Path:
    """Validate a case, check its evidence files against their digests, and write its dossier
    atomically; returns the path written. `signer` (a loaded `casefile.evidence.sign.Signer`)
    signs the PDF (PAdES B-B) after the leak scan, before it is written. `language` (`en`, `uk`,
    `fr`, `es`) overrides the case's `language:`; the default output name then ends in
    `.<language>`. `evidence_layout`: `full` prints every evidence item with its details and
    custody, `register` one line per item; `auto` chooses `register` above
    view.REGISTER_THRESHOLD items.

    Evidence that does not match its recorded digest (or is missing, or has no digest) stops
    the render unless `allow_unverified`; then every page is marked "evidence not verified".
    """
    from casefile.case.localize import localize
    from casefile.core.output import write_atomic
    from casefile.dossier.document import render_dossier
    from casefile.evidence.integrity import refuse_output
    from casefile.protection.policy import Disclosure
    from casefile.repository.gitinfo import provenance

    _check_render_options(format, edition, pdf_variant, signer, language, evidence_layout)
    case_path = Path(case_path)
    project = project_of(case_path)
    catalog = catalog or project.catalog()
    user_templates = _templates_dir(templates, catalog)
    result = load_case(case_path, catalog=catalog, limits=limits)
    case, document = result.case, result.document
    assert case is not None and document is not None
    case = project.with_sender_defaults(case)
    # text fields written in several languages, but not in the dossier's; the case in the
    # dossier's language goes on to render_dossier, whose own localize then copies nothing
    localized = localize(case, language or case.language)
    case = localized.case
    for problem in [*result.warnings, *(document.locate(p) for p in localized.warnings())]:
        if on_warning is not None:
            on_warning(problem)
    # the loaded document (every node's position: about 13 KB per evidence item) is not needed
    # for the layout: let it go before the layout's own peak
    raw = document.raw
    del result, document
    target = Path(output) if output else default_output(case, format, edition, _out_dir(project), language=language)
    refuse_output(target, case_path, case)
    data, _ = render_dossier(case_path, case, raw, catalog, disclosure=Disclosure(edition=edition),
                             format=format, allow_unverified=allow_unverified, use_cache=use_cache,
                             user_templates=user_templates, language=language, pdf_variant=pdf_variant,
                             evidence_layout=evidence_layout, provenance=provenance(case_path), stage=stage)
    if signer is not None:
        from casefile.evidence.sign import sign_pdf

        if stage is not None:
            stage("signing")
        data = sign_pdf(data, signer)
    write_atomic(target, data)
    return target


def new_case(path: str | Path, *, force: bool = False, schema_url: str | None = None,
             on_schema: Callable[[Path], None] | None = None) -> Path:
    """Write the starter case. Its modeline points to `schema_url`, or else to the case
    repository's schema/case.schema.json, or else to case.schema.json beside it; a schema file
    it points to that does not exist yet is written (and passed to `on_schema`)."""
    from casefile.case.schema import schema_for, write_schema
    from casefile.core.output import write_atomic
    from casefile.repository.project import find_root

    target = Path(path)
    if target.is_dir():
        target = target / "case.yaml"
    if target.exists() and not force:
        raise UsageError(f"{target} already exists", "choose another path or pass --force")
    if schema_url is not None and (not schema_url.strip() or any(c in schema_url for c in "\r\n")):
        raise UsageError("--schema-url must be one line, not empty")
    reference, schema_file = (schema_url, None) if schema_url else schema_for(target, find_root(target))
    write_atomic(target, starter_case(reference).encode("utf-8"))
    if schema_file is not None and not schema_file.exists():
        write_schema(schema_file)
        if on_schema:
            on_schema(schema_file)
    return target


def json_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of the case format, with a description and examples for every field."""
    from casefile.case.schema import case_schema

    return case_schema()


def doctor() -> Report:
    """The Python and system pieces the output depends on: a `doctor.Report` (ok when every
    required piece is present), each piece with what its absence costs and how to install it."""
    from casefile.core import doctor as checks

    return checks.run()


def init(folder: str | Path, *, name: str = "Your organisation") -> list[Path]:
    """Create a case repository (casefile.yaml, .gitignore, cases/ with a first case, git)."""
    from casefile.repository.project import init_project

    return init_project(Path(folder), name=name)


def build(path: str | Path = ".", *, shard: str | None = None, workers: int | None = None, force: bool = False,
          progress: Callable[..., None] | None = None, output: str | Path | None = None) -> tuple[Any, Any]:
    """Build every case under `path` (incrementally, in parallel): (project, `build.BuildReport`).
    `output`: the folder to build into instead of the repository's `output:`."""
    import dataclasses

    from casefile.repository import build as builder
    from casefile.repository.project import load_project

    path = Path(path)
    project = load_project(path)
    if output is not None:  # an absolute path: Project.output joins it to the root unchanged
        project = dataclasses.replace(project, config=project.config.model_copy(
            update={"output": str(Path(output).resolve())}))
    try:
        share = builder.parse_shard(shard)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    target = path if path.resolve() != project.root.resolve() else project.cases_dir
    return project, builder.run(project, [target], shard=share, workers=workers, force=force, progress=progress)


def register(path: str | Path = ".", *, edition: str = "internal", output: str | Path | None = None) -> list[Path]:
    """Write the register of every case under `path` (HTML, CSV, JSON); returns the files."""
    from casefile.repository.register import write_register

    if edition not in EDITIONS:
        raise UsageError(f"unknown edition '{edition}' (choose from {', '.join(EDITIONS)})")
    return write_register(Path(path), edition=edition, output=Path(output) if output else None)


def preview_html(case_path: str | Path, edition: str = "internal", *, loaded: Validation | None = None) -> bytes:
    """The HTML of one edition of a valid case, in memory (`casefile serve`): `internal`,
    `public`, or a filing body's id for the dossier that body receives (its disclosure, language
    and parts). Evidence files that do not match their digests are marked, not refused.
    `loaded`: the case's validation already made (`validate`), so that each edition of one
    save does not validate the file again."""
    from casefile.core import languages
    from casefile.dossier.document import render_dossier
    from casefile.filing.packet import disclosure_for, filing_for
    from casefile.protection.policy import Disclosure

    case_path = Path(case_path)
    project = project_of(case_path)
    catalog = project.catalog()
    if loaded is None or not loaded.ok:
        loaded = load_case(case_path, catalog=catalog)
    case, document = loaded.case, loaded.document
    assert case is not None and document is not None
    case = project.with_sender_defaults(case)
    language, carries = None, None
    if edition in ("internal", "public"):
        disclosure = Disclosure(edition=edition)
    else:
        body = _body(catalog, edition)
        filing = filing_for(case, body.id)
        disclosure = disclosure_for(filing, body)
        language = languages.written(languages.packet_language(filing.language, case.language, body.languages))
        carries = body.carries
    data, _ = render_dossier(case_path, case, document.raw, catalog, disclosure=disclosure, format="html",
                             allow_unverified=True, user_templates=project.templates, language=language,
                             carries=carries)
    return data


def _body(catalog: Catalog, body_id: str) -> Body:
    body = catalog.bodies.get(body_id)
    if body is None:
        guess = catalog.suggest_body(body_id)
        raise CasefileError(f"unknown filing body '{body_id}'", f"did you mean '{guess}'?" if guess
                            else "list them with `casefile catalog bodies`")
    return body


def check_for(case_path: str | Path, body_id: str, *, catalog: Catalog | None = None) -> tuple[Any, list[Any]]:
    """The requirement checklist of one filing body for a case: (body, requirements)."""
    from casefile.filing.packet import filing_for
    from casefile.filing.requirements import check_body

    catalog = catalog or project_of(case_path).catalog()
    case = load_case(case_path, catalog=catalog).case
    assert case is not None
    body = _body(catalog, body_id)
    return body, check_body(case, filing_for(case, body.id), body, catalog)


def packet(case_path: str | Path, *, to: str | None = None, all_filings: bool = False,
           output: str | Path | None = None, draft: bool = False, allow_unverified: bool = False,
           use_cache: bool = True, templates: str | Path | None = None, catalog: Catalog | None = None,
           signer: Signer | None = None, on_result: Callable[[Any], None] | None = None,
           on_start: Callable[[str, int, int], None] | None = None) -> list[Any]:
    """Build the submission packet for one body (`to`) or for every filing of the case.
    `signer` (a loaded `casefile.evidence.sign.Signer`) signs the packet's letter, dossier and
    print-ready PDF. With `all_filings`, a body whose packet fails does not stop the others:
    each packet built is passed to `on_result` as it is done, and `CheckFailed` names the
    failed ones at the end."""
    from casefile.evidence.integrity import refuse_output
    from casefile.filing.packet import build_packets
    from casefile.repository.gitinfo import provenance

    case_path = Path(case_path)
    project = project_of(case_path)
    catalog = catalog or project.catalog()
    loaded = load_case(case_path, catalog=catalog)
    case, document = loaded.case, loaded.document
    assert case is not None and document is not None
    case = project.with_sender_defaults(case)
    raw = document.raw  # the positions of every node are not needed for the layout
    del loaded, document
    if all_filings:
        bodies = [_body(catalog, f.body) for f in case.filings]
        if not bodies:
            raise CasefileError("the case has no filings", "add filings, or name a body with --to")
    elif to:
        bodies = [_body(catalog, to)]
    else:
        raise UsageError("name a body with --to BODY, or pass --all")
    out_dir = Path(output) if output else _out_dir(project) / "packets"
    refuse_output(out_dir, case_path, case, folder=True)
    return build_packets(case_path, case, raw, bodies, catalog, out_dir=out_dir, keep_going=all_filings,
                         provenance=provenance(case_path), on_result=on_result, draft=draft,
                         allow_unverified=allow_unverified, use_cache=use_cache,
                         user_templates=_templates_dir(templates, catalog), signer=signer, on_start=on_start)


def verify_dossier(dossier: str | Path, evidence_dir: str | Path | None = None, *,
                   trust: list[str | Path] | None = None, expect: str | None = None,
                   case: str | Path | None = None, body: str | None = None,
                   with_evidence: bool = True) -> DossierCheck:
    """`verify-dossier`: the seal, the files and the PDF itself (evidence/verify.py); with
    `case`, also the packet's manifest against the submission recorded on the case's filing for
    `body` (default: the body the packet folder is named after, `<CASE>-<BODY>`)."""
    from casefile.evidence import verify

    recorded = None
    if case is not None:
        recorded = _submission_record(Path(dossier), Path(case), body)
    elif body is not None:
        raise UsageError("--for needs --case: the submission record is read from the case file")
    return verify.verify_dossier(dossier, evidence_dir, trust=trust, expect=expect, recorded_manifest=recorded,
                                 with_evidence=with_evidence)


def _submission_record(dossier: Path, case_path: Path, body: str | None) -> tuple[str, str]:
    from casefile.evidence.record import _parsed
    from casefile.filing.submission import filing_index

    case, _ = _parsed(case_path)
    if body is None:
        folder = dossier.resolve().parent.name
        if not folder.startswith(f"{case.id}-"):
            raise UsageError(f"cannot tell which filing {dossier} belongs to (its folder is not {case.id}-<BODY>)",
                             "name the body with --for BODY")
        body = folder.removeprefix(f"{case.id}-")
    filing = case.filings[filing_index(case, body)]
    if filing.submission is None:
        raise UsageError(f"{case_path}: no submission recorded for {body}",
                         f"record it when the packet is sent: casefile mark-submitted {case_path} --to {body} "
                         "--packet FOLDER")
    return filing.submission.manifest_sha256, f"recorded in {case_path.name} for {body}, {filing.date or 'no date'}"


def import_victims(csv_path: str | Path, case_path: str | Path, *, dry_run: bool = False) -> Any:
    """`import victims`: add the victims of a CSV file to a case file (case/victims_csv.py)."""
    from casefile.case.victims_csv import import_victims as add

    return add(Path(csv_path), Path(case_path), dry_run=dry_run)


def mark_submitted(case_path: str | Path, body: str, packet: str | Path, *, on: str | None = None,
                   channel: str | None = None) -> Any:
    """`mark-submitted`: record on the filing that its packet was sent (filing/submission.py)."""
    from casefile.filing.submission import mark_submitted as record

    return record(case_path, body, packet, on=on, channel=channel)


def check_leaks(file: str | Path, case_path: str | Path, *, edition: str = "public",
                body: str | None = None) -> tuple[list[str], list[Leak]]:
    """Scan a produced file (PDF, HTML, text, an archive such as a packet's zip) or a folder
    (every file in it, and every file name) for every person the edition must hide:
    (ids of the persons looked for, leaks). Leaks name the person by id, never by name."""
    from casefile.protection import policy
    from casefile.protection.policy import Disclosure
    from casefile.protection.scan import scan_path

    case = load_case(case_path).case
    assert case is not None
    if body is not None:
        filing = next((f for f in case.filings if f.body == body), None)
        if filing is None:
            raise UsageError(f"the case has no filing for '{body}'")
        disclosure = Disclosure.for_filing(filing, f"body:{body}")
    else:
        if edition not in EDITIONS:
            raise UsageError(f"unknown edition '{edition}' (choose from {', '.join(EDITIONS)})")
        disclosure = Disclosure(edition=edition)
    hidden = [p.id for p in policy.hidden(case, disclosure)]
    return hidden, scan_path(policy.scanner(case, disclosure), Path(file))
