"""casefile as a library: the functions the command line calls, taking what it takes.

The CLI only translates arguments and exceptions; everything a command does happens here.
Data flows one way: file -> loader.Document -> model.Case -> checks -> view -> HTML -> PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from casefile.catalog import Catalog, load_catalog
from casefile.checks import CheckOptions, check_case, parse_case
from casefile.errors import CasefileError, CheckFailed, InvalidCase, Problem, UsageError, sort_problems
from casefile.i18n import DOSSIER_LANGUAGES
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
    kind: str = "case"  # or "project": a casefile.yaml, which has settings, not a case

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return (self.case is not None or self.kind == "project") and not self.errors


def validate(path: str | Path, *, catalog: Catalog | None = None, limits: Limits | None = None,
             options: CheckOptions | None = None) -> Validation:
    """Validate one case file; every problem of the file is collected, none raised. A file
    named casefile.yaml is checked as a repository's project settings instead."""
    path = Path(path)
    if path.name == "casefile.yaml":
        from casefile.project import check_config

        _, problems = check_config(path)
        return Validation(path, None, None, sort_problems(problems), kind="project")
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
        from casefile.protection.checks import check_names

        problems = check_case(case, catalog, path.parent, options or CheckOptions()) + check_names(case, catalog)
        problems = [document.locate(p) for p in problems]
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


_CASE_KEYS = {"id", "title", "prepared", "summary", "incident", "allegations", "evidence"}


def is_case_file(result: Validation) -> bool:
    """Whether a validated YAML file is meant as a case (for `validate --cases-only`, which a
    pre-commit hook runs over every YAML file of a repository): not the project settings or
    another tool's configuration. A file that cannot be read or parsed counts as a case (its
    problems are reported); so does a mapping with a `casefile:` key or two of a case's keys."""
    if result.path.name in NOT_CASES:
        return False
    if result.document is None:
        return True
    data = result.document.data
    if not isinstance(data, dict):
        return False
    return "casefile" in data or len(_CASE_KEYS & set(data)) >= 2


def default_output(case: Case, fmt: str, edition: str, out_dir: Path = Path("out"),
                   language: str | None = None) -> Path:
    suffix = "" if edition == "internal" else f".{edition}"
    if language and language != case.language:  # another language than the case's: its own file
        suffix += f".{language}"
    return out_dir / f"{case.id}{suffix}.{fmt}"


def render(case_path: str | Path, *, format: str = "pdf", edition: str = "internal",
           output: str | Path | None = None, catalog: Catalog | None = None,
           templates: str | Path | None = None, limits: Limits | None = None,
           allow_unverified: bool = False, use_cache: bool = True, on_warning=None,
           signer=None, language: str | None = None, pdf_variant: str | None = None,
           evidence_layout: str = "auto") -> Path:
    """Validate a case, check its evidence files against their digests, and write its dossier
    atomically; returns the path written. `signer` (a loaded `casefile.sign.Signer`) signs the
    PDF (PAdES B-B) after the leak scan, before it is written. `language` (`en`, `uk`, `fr`,
    `es`) overrides the case's `language:`; the default output name then ends in `.<language>`.
    `evidence_layout`: `full` prints every evidence item with its details and custody,
    `register` one line per item; `auto` chooses `register` above view.REGISTER_THRESHOLD items.

    Evidence that does not match its recorded digest (or is missing, or has no digest) stops
    the render unless `allow_unverified`; then every page is marked "evidence not verified".
    """
    from casefile import output as out
    from casefile.view import Disclosure

    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}' (choose from {', '.join(FORMATS)})")
    if edition not in EDITIONS:
        raise UsageError(f"unknown edition '{edition}' (choose from {', '.join(EDITIONS)})")
    if pdf_variant is not None:  # a standard the PDF claims: pdf.PDF_VARIANTS (`pdf/a-3b`, `pdf/ua-1`)
        from casefile.pdf import check_variant

        check_variant(pdf_variant)
        if format != "pdf":
            raise UsageError("--pdf-variant needs --format pdf")
    if signer is not None and format != "pdf":
        raise UsageError("only a PDF can be signed: --sign needs --format pdf")
    if language is not None and language not in DOSSIER_LANGUAGES:
        raise UsageError(f"unknown language '{language}' (choose from {', '.join(DOSSIER_LANGUAGES)})")
    from casefile.view import EVIDENCE_LAYOUTS

    if evidence_layout not in EVIDENCE_LAYOUTS:
        raise UsageError(f"unknown evidence layout '{evidence_layout}' (choose from {', '.join(EVIDENCE_LAYOUTS)})")
    user_templates = _templates_dir(templates)
    catalog = catalog or load_catalog()
    case_path = Path(case_path)
    result = load_case(case_path, catalog=catalog, limits=limits)
    case = result.case
    assert case is not None and result.document is not None
    for problem in result.warnings:
        if on_warning is not None:
            on_warning(problem)
    target = Path(output) if output else default_output(case, format, edition, language=language)
    from casefile.integrity import refuse_output

    refuse_output(target, case_path, case)
    data, _ = render_dossier_bytes(case_path, case, result.document.raw, catalog,
                                   disclosure=Disclosure(edition=edition), format=format,
                                   allow_unverified=allow_unverified, use_cache=use_cache,
                                   user_templates=user_templates, language=language, pdf_variant=pdf_variant,
                                   evidence_layout=evidence_layout)
    if signer is not None:
        from casefile.sign import sign_pdf

        data = sign_pdf(data, signer)
    out.write_atomic(target, data)
    return target


def _provenance(case_path: Path):
    from casefile.gitinfo import provenance

    return provenance(case_path)


def _templates_dir(templates: str | Path | None) -> Path | None:
    if templates is None:
        return None
    folder = Path(templates)
    if not folder.is_dir():
        raise UsageError(f"templates folder not found: {folder}")
    return folder


def render_dossier_bytes(case_path: Path, case: Case, raw: bytes | None, catalog: Catalog, *, disclosure,
                         format: str = "pdf", allow_unverified: bool = False, use_cache: bool = True,
                         user_templates: Path | None = None, draft: bool = False, provenance=None,
                         language: str | None = None, pdf_variant: str | None = None,
                         evidence_layout: str = "auto"):
    """The dossier of a validated case for one edition, as bytes, and the view it was built from.
    Checks evidence digests first and, for any edition that hides someone, scans the result.
    `language`: the dossier's language instead of the case's."""
    from casefile import exhibits, integrity
    from casefile.render import render_html
    from casefile.view import build_view

    root = case_path.parent
    failed = [c for c in integrity.check_evidence(case, root, use_cache=use_cache) if c.problem]
    if failed and not allow_unverified:
        raise CheckFailed("evidence files do not match the case: " + "; ".join(c.describe() for c in failed),
                          "run `casefile verify` for details and `casefile hash` to record digests, "
                          "or pass --allow-unverified to mark every page 'evidence not verified'")
    from casefile.protection import policy

    withheld = {e.id for e in case.evidence if disclosure.withholds(e)}
    depicts_withheld, blur = policy.images(case, disclosure)
    images = exhibits.prepare(case, root, strip_metadata=disclosure.hides_protected,
                              withheld=withheld | depicts_withheld, blur=blur)
    # an edition that hides someone must not carry the unredacted case file
    attach_case = not disclosure.hides_protected
    view = build_view(case, catalog, mode=format, base_dir=root, disclosure=disclosure, images=images,
                      unverified=bool(failed), attach_case=attach_case, draft=draft,
                      provenance=provenance if provenance is not None else _provenance(case_path),
                      language=language, evidence_layout=evidence_layout, depicts_withheld=depicts_withheld)
    html = render_html(view, user_dir=user_templates)
    scanner = policy.scanner(case, disclosure, user_templates) if disclosure.hides_protected else None
    if scanner:  # the page text of the PDF is this HTML's: scanned here, before layout
        refuse_leaks(scanner.html(html, "the HTML"), view.edition.label)
    if format == "html":
        data = html.encode("utf-8")
    else:
        from casefile.pdf import html_to_pdf, seal_attachments

        attachments = seal_attachments(view, case_path.name, raw if attach_case else None)
        variant = {"pdf_variant": pdf_variant} if pdf_variant else {}  # PDF/A-3b, PDF/UA-1: pdf.PDF_VARIANTS
        data = html_to_pdf(html, view=view, base_dir=root, images=images, attachments=attachments, **variant)
        if scanner:
            refuse_leaks(scanner.pdf(data, "the PDF"), view.edition.label)
    return data, view


def refuse_leaks(leaks: list, edition: str) -> None:
    """Stop (nothing written) when a scan found a hidden person's name."""
    if leaks:
        where = sorted({leak.describe() for leak in leaks})
        raise CheckFailed(f"the {edition.lower()} would contain the name of a person it must hide "
                          f"({'; '.join(where[:5])}{'; …' if len(where) > 5 else ''}); nothing was written",
                          "write the person as @id everywhere, and protect relatives who share the name")


def starter_case(schema: str | None = None) -> str:
    """The commented starter case `casefile new` writes (it validates); with `schema`, its first
    line is the yaml-language-server modeline pointing there."""
    from casefile.resources import template_path
    from casefile.schema import modeline

    text = template_path("starter-case.yaml").read_text(encoding="utf-8")
    return (modeline(schema) if schema else "") + text


def new_case(path: str | Path, *, force: bool = False, schema_url: str | None = None,
             on_schema=None) -> Path:
    """Write the starter case. Its modeline points to `schema_url`, or else to the case
    repository's schema/case.schema.json, or else to case.schema.json beside it; a schema file
    it points to that does not exist yet is written (and passed to `on_schema`)."""
    from casefile import output as out
    from casefile.schema import schema_for, write_schema

    target = Path(path)
    if target.is_dir():
        target = target / "case.yaml"
    if target.exists() and not force:
        raise UsageError(f"{target} already exists", "choose another path or pass --force")
    if schema_url is not None and (not schema_url.strip() or any(c in schema_url for c in "\r\n")):
        raise UsageError("--schema-url must be one line, not empty")
    reference, schema_file = (schema_url, None) if schema_url else schema_for(target)
    out.write_atomic(target, starter_case(reference).encode("utf-8"))
    if schema_file is not None and not schema_file.exists():
        write_schema(schema_file)
        if on_schema:
            on_schema(schema_file)
    return target


def json_schema() -> dict:
    """JSON Schema (2020-12) of the case format, with a description and examples for every field."""
    from casefile.schema import case_schema

    return case_schema()


def doctor():
    """The Python and system pieces the output depends on: a `doctor.Report` (ok when every
    required piece is present), each piece with what its absence costs and how to install it."""
    from casefile import doctor as checks

    return checks.run()


# ------------------------------------------------------------------------------------------
# evidence integrity
# ------------------------------------------------------------------------------------------
@dataclass
class HashReport:
    path: Path
    lines: list[str]
    recorded: list[str] = field(default_factory=list)  # ids whose digest was added or changed
    conflicts: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.missing


def _parsed(path: Path, limits: Limits | None = None) -> tuple[Case, Document]:
    """A case whose structure is valid (cross-field problems do not stop integrity commands)."""
    try:
        document = load_file(path, limits)
    except LoadError as exc:
        raise InvalidCase(exc.problems) from None
    case, problems = parse_case(document)
    if case is None:
        raise InvalidCase(problems)
    return case, document


def hash_case(path: str | Path, *, update: bool = False, use_cache: bool = True) -> HashReport:
    """Record the SHA-256 of every evidence file in the case file, editing only digest lines.

    A recorded digest that differs from the file is not overwritten unless `update`; then the
    file is left untouched and the conflicts are reported.
    """
    from casefile import edit, integrity, loader, output

    path = Path(path)
    case, document = _parsed(path)
    root = path.parent
    # the digests recorded here are what every later check compares with: read from the bytes
    actual = integrity.digests(root, [e.file for e in case.evidence
                                      if e.file and integrity.resolve_inside(root, e.file)], use_cache=False)
    report = HashReport(path, [])
    edits: list[edit.DigestEdit] = []
    for index, item in enumerate(case.evidence):
        if not item.file:
            continue
        refused = integrity.refusal(root, item.file)
        if refused is not None:
            report.lines.append(f"{item.id}: REFUSED {item.file}: {refused}")
            report.missing.append(item.id)
            continue
        digest = actual.get(item.file)
        if digest is None:
            report.lines.append(f"{item.id}: MISSING file {item.file}")
            report.missing.append(item.id)
        elif item.sha256 == digest:
            report.lines.append(f"{item.id}: unchanged {digest}")
        elif item.sha256 is None:
            report.lines.append(f"{item.id}: recorded {digest}")
            report.recorded.append(item.id)
            edits.append(edit.DigestEdit(index, digest))
        elif update:
            report.lines.append(f"{item.id}: UPDATED {item.sha256} -> {digest}")
            report.recorded.append(item.id)
            edits.append(edit.DigestEdit(index, digest))
        else:
            report.lines.append(f"{item.id}: CONFLICT {item.file}: recorded {item.sha256}, file has {digest} "
                                "(use --update to replace the recorded digest)")
            report.conflicts.append(item.id)
    if edits and not report.conflicts:
        raw_bytes = path.read_bytes()
        bom = raw_bytes.startswith(b"\xef\xbb\xbf")
        raw = raw_bytes[3 if bom else 0:].decode("utf-8")
        try:
            new = edit.set_digests(raw, document, edits)
        except edit.EditError as exc:
            raise CasefileError(f"{path}: {exc}") from None
        # the edit must leave a file that reads back with the new digests and nothing else changed
        check = loader.load_text(new.replace("\r\n", "\n"), path)
        recorded = {i.index: i.digest for i in edits}
        for index, item in enumerate(check.data.get("evidence", [])):
            if index in recorded and item.get("sha256") != recorded[index]:
                raise CasefileError(f"{path}: internal error: digest edit of evidence[{index}] did not read back")
        output.write_atomic(path, (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8"))
    elif edits:
        report.recorded.clear()
    return report


def verify_case(path: str | Path, *, use_cache: bool = False):
    """Re-hash every evidence file: a list of `integrity.ItemCheck` (ok, mismatch, missing, ...).
    The audit command reads every byte: no cache is consulted (`use_cache` is kept for callers
    and ignored)."""
    from casefile import integrity

    path = Path(path)
    case, _ = _parsed(path)
    return integrity.check_evidence(case, path.parent, use_cache=False)


@dataclass
class DossierCheck:
    """What `verify-dossier` found: the sealed manifest and each file it lists."""

    manifest_digest: str | None
    cover_matches: bool | None  # the digest printed on the cover equals the attachment's
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (status, path, detail)
    problems: list[str] = field(default_factory=list)
    signatures: list = field(default_factory=list)  # casefile.sign.SignatureResult, when signed

    @property
    def ok(self) -> bool:
        return (not self.problems and all(status == "ok" for status, _, _ in self.items)
                and all(s.ok for s in self.signatures))


def verify_dossier(dossier: str | Path, evidence_dir: str | Path | None = None, *,
                   trust: list[str | Path] | None = None) -> DossierCheck:
    """Check a sealed PDF dossier (see `_verify_sealed`) and, when it is signed, every signature:
    intact, valid, covering the whole file, and chaining to one of `trust` (certificate files) if given."""
    from casefile import sign

    dossier = Path(dossier)
    try:
        data = dossier.read_bytes()
    except OSError as exc:
        raise CheckFailed(f"{dossier}: cannot read ({exc.strerror or exc})") from None
    roots = sign.load_trust_roots(trust) if trust else None
    signatures = sign.check_signatures(data, roots)
    try:
        result = _verify_sealed(dossier, evidence_dir)
    except CheckFailed as exc:
        if not signatures:
            raise
        result = DossierCheck(None, None, problems=[exc.message])
    result.signatures = signatures
    for check in signatures:
        result.problems += [f"signature {check.field}: {problem}" for problem in check.problems]
    if trust and not signatures:
        result.problems.append(f"{dossier}: not signed, so it cannot chain to the trust root given with --trust")
    return result


def _verify_sealed(dossier: str | Path, evidence_dir: str | Path | None = None) -> DossierCheck:
    """Check a sealed PDF dossier: its manifest attachment, the digest printed on its cover,
    and the evidence files (in `evidence_dir`, default the dossier's folder) against the manifest."""
    import hashlib
    import re

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from casefile import integrity

    dossier = Path(dossier)
    root = Path(evidence_dir) if evidence_dir else dossier.parent
    try:
        reader = PdfReader(dossier)
        attachments = reader.attachments
        cover = reader.pages[0].extract_text() if reader.pages else ""
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise CheckFailed(f"{dossier}: not a readable PDF ({exc})") from None
    if "manifest.sha256" not in attachments:
        return DossierCheck(None, None, problems=[f"{dossier}: no manifest.sha256 attachment: not a sealed dossier"])
    manifest_bytes = attachments["manifest.sha256"][0]
    digest = hashlib.sha256(manifest_bytes).hexdigest()
    printed = " ".join(re.findall(r"\b[0-9a-f]{8}\b", cover))  # the cover prints digests in groups of 8
    printed_ok = " ".join(digest[i:i + 8] for i in range(0, 64, 8)) in printed
    result = DossierCheck(digest, printed_ok)
    if not printed_ok:
        result.problems.append("the manifest digest printed on the cover does not match the attached manifest")
    try:
        entries = integrity.parse_manifest(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        result.problems.append(f"manifest.sha256: {exc}")
        return result
    actual = integrity.digests(root, [path for _, path in entries if integrity.resolve_inside(root, path)],
                               use_cache=False)
    for expected, path in entries:
        found = actual.get(path) if integrity.resolve_inside(root, path) else None
        if integrity.resolve_inside(root, path) is None:
            result.items.append(("refused", path, "path leaves the evidence folder"))
        elif found is None:
            result.items.append(("missing", path, f"not found under {root}"))
        elif found != expected:
            result.items.append(("mismatch", path, f"expected {expected}, found {found}"))
        else:
            result.items.append(("ok", path, expected))
    return result


def init(folder: str | Path, *, name: str = "Your organisation") -> list[Path]:
    """Create a case repository (casefile.yaml, .gitignore, cases/ with a first case, git)."""
    from casefile.project import init_project

    return init_project(Path(folder), name=name)


def build(path: str | Path = ".", *, shard: str | None = None, workers: int | None = None, force: bool = False,
          progress=None):
    """Build every case under `path` (incrementally, in parallel); a `build.BuildReport`."""
    from casefile import build as builder
    from casefile.project import load_project

    path = Path(path)
    project = load_project(path)
    try:
        share = builder.parse_shard(shard)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    target = path if path.resolve() != project.root.resolve() else project.cases_dir
    return project, builder.run(project, [target], shard=share, workers=workers, force=force, progress=progress)


def register(path: str | Path = ".", *, edition: str = "internal", output: str | Path | None = None) -> list[Path]:
    """Write the register of every case under `path` (HTML, CSV, JSON); returns the files."""
    from casefile import output as out
    from casefile import register as reg
    from casefile.project import load_project
    if edition not in EDITIONS:
        raise UsageError(f"unknown edition '{edition}' (choose from {', '.join(EDITIONS)})")
    path = Path(path)
    project = load_project(path)
    target = path if path.resolve() != project.root.resolve() else project.cases_dir
    catalog = project.catalog()
    rows, invalid = reg.rows_for(find_cases([target]), edition=edition, catalog=catalog, base=project.root)
    # no clock time unless SOURCE_DATE_EPOCH asks for one: the same cases give the same bytes
    from casefile.view import source_date_epoch

    epoch = source_date_epoch()
    generated = f"on {epoch.date().isoformat()}" if epoch is not None else f"from {len(rows)} case file(s)"
    files = reg.render_register(rows, invalid, edition=edition, generated=generated, catalog=catalog)
    folder = Path(output) if output else project.output / "register"
    suffix = "" if edition == "internal" else f".{edition}"
    written = []
    for name, data in sorted(files.items()):
        stem, ext = name.rsplit(".", 1)
        written.append(out.write_atomic(folder / f"{stem}{suffix}.{ext}", data))
    return written


def check_for(case_path: str | Path, body_id: str, *, catalog: Catalog | None = None):
    """The requirement checklist of one filing body for a case."""
    from casefile.packet import filing_for
    from casefile.requirements import check_body

    catalog = catalog or load_catalog()
    case = load_case(case_path, catalog=catalog).case
    assert case is not None
    body = _body(catalog, body_id)
    return body, check_body(case, filing_for(case, body.id), body, catalog)


def _body(catalog: Catalog, body_id: str):
    body = catalog.bodies.get(body_id)
    if body is None:
        guess = catalog.suggest_body(body_id)
        raise CasefileError(f"unknown filing body '{body_id}'", f"did you mean '{guess}'?" if guess
                            else "list them with `casefile catalog bodies`")
    return body


def packet(case_path: str | Path, *, to: str | None = None, all_filings: bool = False,
           output: str | Path | None = None, draft: bool = False, allow_unverified: bool = False,
           use_cache: bool = True, templates: str | Path | None = None, catalog: Catalog | None = None,
           signer=None, on_result=None):
    """Build the submission packet for one body (`to`) or for every filing of the case.
    `signer` (a loaded `casefile.sign.Signer`) signs the packet's letter, dossier and print-ready PDF.
    With `all_filings`, a body whose packet fails does not stop the others: each packet built is
    passed to `on_result` as it is done, and `CheckFailed` names the failed ones at the end."""
    from casefile import packet as packets

    catalog = catalog or load_catalog()
    case_path = Path(case_path)
    loaded = load_case(case_path, catalog=catalog)
    case, document = loaded.case, loaded.document
    assert case is not None and document is not None
    if all_filings:
        bodies = [_body(catalog, f.body) for f in case.filings]
        if not bodies:
            raise CasefileError("the case has no filings", "add filings, or name a body with --to")
    elif to:
        bodies = [_body(catalog, to)]
    else:
        raise UsageError("name a body with --to BODY, or pass --all")
    out_dir = Path(output) if output else Path("out") / "packets"
    from casefile.integrity import refuse_output

    refuse_output(out_dir, case_path, case, folder=True)
    built, failed = [], []
    for body in bodies:  # one body's failure does not stop the others; it fails the run at the end
        try:
            built_one = packets.build(case_path, case, document.raw, body, catalog, out_dir=out_dir,
                                   draft=draft, allow_unverified=allow_unverified, use_cache=use_cache,
                                   user_templates=_templates_dir(templates), signer=signer)
        except CasefileError as exc:
            if not all_filings:
                raise
            failed.append((body.id, exc))
            continue
        built.append(built_one)
        if on_result is not None:
            on_result(built_one)
    if failed:
        raise CheckFailed(f"{len(failed)} of {len(bodies)} packet(s) failed: "
                          + "; ".join(f"{body}: {exc.message}" for body, exc in failed),
                          "the other packets were built; fix these and run again")
    return built


def check_leaks(file: str | Path, case_path: str | Path, *, edition: str = "public", body: str | None = None):
    """Scan a produced file (PDF, HTML, text, an archive such as a packet's zip) or a folder
    (every file in it, and every file name) for every person the edition must hide:
    (ids of the persons looked for, leaks). Leaks name the person by id, never by name."""
    from casefile.protection import policy
    from casefile.protection.policy import Disclosure

    case = load_case(case_path).case
    assert case is not None
    if body is not None:
        filing = next((f for f in case.filings if f.body == body), None)
        if filing is None:
            raise UsageError(f"the case has no filing for '{body}'")
        disclosure = Disclosure(edition=f"body:{body}", body=body, disclose=frozenset(filing.disclose),
                                include=frozenset(filing.include))
    else:
        if edition not in EDITIONS:
            raise UsageError(f"unknown edition '{edition}' (choose from {', '.join(EDITIONS)})")
        disclosure = Disclosure(edition=edition)
    scanner = policy.scanner(case, disclosure)
    hidden = [p.id for p in policy.hidden(case, disclosure)]
    path = Path(file)
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    leaks = []
    for number, one in enumerate(files, start=1):
        # a path may itself be the leak: files are reported by their place in sorted order
        where = f"file {number} of {len(files)} (sorted)" if path.is_dir() else "the file"
        leaks += scanner.text(one.relative_to(path).as_posix() if path.is_dir() else one.name, f"name of {where}")
        try:
            data = one.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {one}: {exc.strerror or exc}") from None
        leaks += scanner.document(data, where, thorough=True)
    return hidden, list(dict.fromkeys(leaks))


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
    "new_case", "json_schema", "starter_case", "is_case_file", "doctor",
]
