"""The command line: translation only. Arguments go to `casefile.api`, exceptions come back
as messages and exit codes (0 ok, 1 invalid input or failed check, 2 wrong usage)."""

from __future__ import annotations

import json
import os
import sys
import traceback

import click

from casefile import __version__
from casefile.core.errors import CasefileError, one_line, safe_lines
from casefile.core.languages import CODES as LANGUAGE_CODES

EXAMPLES = {
    "validate": "casefile validate cases/\n  casefile validate cases/donetsk-pow-executions.yaml --format json\n"
                "  casefile validate cases/ --format github   # annotations in GitHub Actions",
    "render": "casefile render cases/donetsk-pow-executions.yaml\n"
              "  casefile render case.yaml --format html --edition public --output out/public.html\n"
              "  casefile render case.yaml --language uk   # Ukrainian labels and dates: out/<id>.uk.pdf",
    "new": "casefile new cases/UA-KHA-2025-002.yaml",
    "schema": "casefile schema --output schema/case.schema.json",
    "hash": "casefile hash cases/protected-witness/case.yaml",
    "verify": "casefile verify cases/protected-witness/case.yaml --json",
    "verify-dossier": "casefile verify-dossier out/TEST-KHE-2024-007.pdf --evidence cases/protected-witness",
    "check-leaks": "casefile check-leaks out/TEST-KHE-2024-007.public.pdf --case cases/protected-witness/case.yaml",
    "check": "casefile check cases/donetsk-pow-executions.yaml --for un-sr-executions",
    "packet": "casefile packet cases/protected-witness/case.yaml --to icc-otp\n  casefile packet case.yaml --all --draft",
    "init": "casefile init my-cases --name 'Example Documentation Unit'",
    "build": "casefile build\n  casefile build cases/ --shard 2/4",
    "diff": "casefile diff cases/protected-witness/case.yaml\n  casefile diff case.yaml main HEAD --format markdown",
    "register": "casefile register cases/ --edition public",
    "doctor": "casefile doctor\n  casefile doctor --json",
    "catalog": "casefile catalog provisions\n  casefile catalog provisions rome:8.2.a.i\n  casefile catalog bodies icrc",
}


def _epilog(name: str) -> str:
    return "\b\nExample:\n  " + EXAMPLES[name]


SIGN_PASSWORD_ENV = "CASEFILE_SIGN_PASSWORD"


def _sign_options(command):
    """--sign CERT.p12 and its companions (render, packet). Never a password on the command line."""
    for decorator in reversed([
        click.option("--sign", "sign_p12", type=click.Path(exists=True, dir_okay=False), default=None,
                     metavar="CERT.p12", help="Sign the PDF(s) (PAdES) with this PKCS#12 key and certificate. "
                     "Needs pyHanko: pip install 'casefile[sign]'."),
        click.option("--sign-password-env", metavar="VAR", default=None,
                     help=f"Environment variable holding the .p12 password [default: {SIGN_PASSWORD_ENV}; "
                     "unset: asked on a terminal]."),
        click.option("--sign-reason", default=None, help="Reason stated in the signature."),
        click.option("--sign-location", default=None, help="Location stated in the signature."),
    ]):
        command = decorator(command)
    return command


def _signer(sign_p12: str | None, sign_password_env: str | None, sign_reason: str | None,
            sign_location: str | None):
    """The loaded signing key for --sign, or None. The password comes from the environment, else
    from a prompt on a terminal (the key is opened before any rendering, so a wrong one fails fast)."""
    if sign_p12 is None:
        if sign_password_env or sign_reason or sign_location:
            raise click.UsageError("--sign-password-env, --sign-reason and --sign-location need --sign CERT.p12")
        return None
    from casefile.evidence import sign

    options = {"reason": sign_reason, "location": sign_location}
    variable = sign_password_env or SIGN_PASSWORD_ENV
    password = os.environ.get(variable)
    if password is None and sign_password_env:
        raise click.UsageError(f"--sign-password-env {variable}: the environment variable is not set")
    if password is not None:
        return sign.load_signer(sign_p12, password, **options)
    try:
        return sign.load_signer(sign_p12, None, **options)
    except sign.PasswordNeeded:
        if not _can_prompt():
            raise
    password = click.prompt(f"Password for {sign_p12}", hide_input=True, default="", show_default=False, err=True)
    return sign.load_signer(sign_p12, password, **options)


def _can_prompt() -> bool:
    return sys.stdin.isatty()


class CasefileGroup(click.Group):
    """Turns every exception into a message and an exit code; never a bare traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            sys.exit(result if isinstance(result, int) else 0)  # an exit code (ctx.exit), or done
        except click.ClickException as exc:  # usage errors quote arguments: shown escaped
            import io

            buffer = io.StringIO()
            exc.show(file=buffer)
            click.echo(safe_lines(buffer.getvalue().rstrip("\n")), err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)

    def invoke(self, ctx: click.Context):
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except CasefileError as exc:
            echo(exc.format(), err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # output piped into `head` and the like
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:  # anything unanticipated: one line, traceback only on request
            if debug:
                traceback.print_exc()
            else:
                summary = " ".join(str(exc).split())[:300]
                echo(f"error: internal error: {type(exc).__name__}: {summary}", err=True)
                echo("hint: rerun with --debug to see the traceback, and report it", err=True)
            ctx.exit(1)



def echo(message: object = "", err: bool = False, nl: bool = True) -> None:
    """Every line any command prints: case text in it (paths, titles, ids) can hold terminal
    escape sequences, so each control character is shown escaped and a line stays one line."""
    click.echo(safe_lines(str(message)), err=err, nl=nl)

@click.group(cls=CasefileGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="casefile")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
def cli(debug: bool) -> None:
    """Validate war-crimes case files and render dossiers and submission packets."""


@cli.command(epilog=_epilog("validate"))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="How to print problems: text lines, one JSON document, or GitHub "
              "Actions annotations (::error file=…,line=…::…).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--cases-only", is_flag=True,
              help="Skip YAML files that are not case files (casefile.yaml, other tools' YAML) instead "
                   "of reporting them; for pre-commit hooks, which pass every YAML file.")
@click.option("--max-file-size", "max_mb", type=click.FloatRange(min=0.001), default=50, show_default=True,
              help="Refuse case files larger than this many megabytes.")
@click.option("--custody-gap", "gap_days", type=click.IntRange(min=1), default=90, show_default=True,
              help="Warn when consecutive custody entries are more than this many days apart.")
def validate(paths: tuple[str, ...], fmt: str, strict: bool, cases_only: bool, max_mb: float,
             gap_days: int) -> None:
    """Validate case files (a folder means every case file under it).

    Prints every problem as FILE:LINE:COL: error: KEY.PATH: message.
    Exit 0 when valid (warnings allowed), 1 when any file has errors.
    """
    from casefile import api

    files = api.find_cases(list(paths))
    from casefile.case.checks import CheckOptions

    limits = _limits(max_mb)
    options = CheckOptions(custody_gap_days=gap_days)
    results = [api.validate(f, limits=limits, options=options) for f in files]
    skipped = [r.path for r in results if cases_only and not api.is_case_file(r)]
    results = [r for r in results if r.path not in skipped]
    problems = [p for r in results for p in r.problems]
    failed = [r for r in results if not r.ok or (strict and r.warnings)]
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    if fmt == "json":
        echo(json.dumps({
            "files": [{"path": str(r.path), "valid": r.ok, "problems": [p.as_dict() for p in r.problems]}
                      for r in results],
            "valid": not failed,
            "summary": {"checked": len(results), "valid": len(results) - len(failed), "errors": errors,
                        "warnings": warnings, "skipped": [str(path) for path in skipped]},
        }, indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            echo(problem.github() if fmt == "github" else problem.format())
        echo(f"{len(results)} case file(s) checked: {len(results) - len(failed)} valid, "
                   f"{errors} error(s), {warnings} warning(s)"
                   + (f", {len(skipped)} other YAML file(s) skipped" if skipped else ""), err=True)
    if failed or not (results or cases_only):
        if not files:
            echo("error: no case files (*.yaml, *.yml) found", err=True)
        sys.exit(1)


@cli.command(epilog=_epilog("render"))
@click.argument("case", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["pdf", "html"]), default="pdf", show_default=True)
@click.option("--edition", type=click.Choice(["internal", "public"]), default="internal", show_default=True,
              help="internal names everyone; public withholds protected persons, exact places and "
                   "confidential evidence.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Output file [default: out/<case id>.<format>].")
@click.option("--templates", type=click.Path(exists=True, file_okay=False), default=None,
              help="A folder of templates/CSS overriding the built-in ones (run sandboxed).")
@click.option("--max-file-size", "max_mb", type=click.FloatRange(min=0.001), default=50, show_default=True,
              help="Refuse case files larger than this many megabytes.")
@click.option("--allow-unverified", is_flag=True,
              help="Render even when evidence files do not match their digests; every page says so.")
@click.option("--no-cache", is_flag=True, help="Re-read every evidence file instead of trusting the digest cache.")
@click.option("--language", type=click.Choice(LANGUAGE_CODES), default=None,
              help="Language of the dossier's labels, headings and dates [default: the case's `language:`]; "
                   "the default output name then ends in .<language>.")
@click.option("--pdf-variant", type=click.Choice(["pdf/a-3b", "pdf/ua-1"]), default=None,  # pdf.PDF_VARIANTS
              help="A standard the PDF claims: pdf/a-3b (archival; the case file and manifest as associated "
                   "files) or pdf/ua-1 (accessibility). Every PDF is tagged either way.")
@click.option("--evidence-layout", type=click.Choice(["auto", "full", "register"]), default="auto",  # view.*
              show_default=True,
              help="full: every evidence item with its details and custody; register: one line per item; "
                   "auto: register above 200 items.")
@_sign_options
def render(case: str, fmt: str, edition: str, output: str | None, templates: str | None, max_mb: float,
           allow_unverified: bool, no_cache: bool, language: str | None, pdf_variant: str | None,
           evidence_layout: str, **signing) -> None:
    """Write the dossier of one case as PDF or HTML.

    Evidence files are checked against their recorded digests first; a mismatch, a missing
    file or a file without a digest stops the render (exit 1) unless --allow-unverified.
    --sign signs the PDF (PAdES); a signed PDF is not byte-reproducible (it carries the time).
    """
    from casefile import api

    if signing["sign_p12"] and fmt != "pdf":
        raise click.UsageError("only a PDF can be signed: --sign needs --format pdf")
    target = api.render(case, format=fmt, edition=edition, output=output, templates=templates,
                        limits=_limits(max_mb), allow_unverified=allow_unverified, use_cache=not no_cache,
                        on_warning=lambda problem: echo(problem.format(), err=True),
                        signer=_signer(**signing), language=language, pdf_variant=pdf_variant,
                        evidence_layout=evidence_layout)
    echo(str(target))


@cli.command(epilog=_epilog("new"))
@click.argument("path", type=click.Path(), default="case.yaml")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--schema-url", default=None, metavar="URL",
              help="Where the file's yaml-language-server modeline points [default: the repository's "
                   "schema/case.schema.json, else case.schema.json beside the case, written if missing].")
def new(path: str, force: bool, schema_url: str | None) -> None:
    """Write a commented starter case that validates. Its first line tells editors (YAML language
    server) where the case format's JSON Schema is, for completion and hover."""
    from casefile import api

    target = api.new_case(path, force=force, schema_url=schema_url,
                          on_schema=lambda written: echo(f"wrote the schema for editors: {written}", err=True))
    echo(str(target))


@cli.command(epilog=_epilog("schema"))
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the schema to this file (atomically) instead of printing it.")
def schema(output: str | None) -> None:
    """Print the JSON Schema (2020-12) of the case format, for editors (YAML language server)."""
    from casefile.case import schema as case_schema

    if output:
        echo(str(case_schema.write_schema(output)))
    else:
        echo(case_schema.schema_text(), nl=False)


@cli.command(epilog=_epilog("catalog"))
@click.argument("what", required=False)
@click.argument("ident", required=False)
def catalog(what: str | None, ident: str | None) -> None:
    """List the built-in legal provisions and filing bodies, or show one.

    WHAT is `provisions` or `bodies`; an id alone (e.g. `casefile catalog gc3:130`) shows it.
    """
    from casefile import api

    echo(api.describe_catalog(what, ident), nl=False)


@cli.command("hash", epilog=_epilog("hash"))
@click.argument("case", type=click.Path(exists=True, dir_okay=False))
@click.option("--update", is_flag=True, help="Replace recorded digests that differ from the files.")
@click.option("--no-cache", is_flag=True, help="Kept for scripts; has no effect: this command always reads "
              "every byte of every file.")
def hash_command(case: str, update: bool, no_cache: bool) -> None:
    """Compute the SHA-256 of every evidence file and record it in the case file.

    Only the `sha256:` lines are added or changed; comments and layout stay as written.
    A recorded digest that differs from its file is not replaced without --update (exit 1).
    """
    from casefile import api

    report = api.hash_case(case, update=update, use_cache=not no_cache)
    for line in report.lines:
        echo(line)
    if report.recorded:
        echo(f"{case}: recorded {len(report.recorded)} digest(s)", err=True)
    elif report.conflicts:
        echo(f"{case}: not changed: {len(report.conflicts)} conflict(s)", err=True)
    if not report.ok:
        sys.exit(1)


@cli.command(epilog=_epilog("verify"))
@click.argument("case", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--no-cache", is_flag=True, help="Kept for scripts; has no effect: this command always reads "
              "every byte of every file.")
def verify(case: str, as_json: bool, no_cache: bool) -> None:
    """Re-hash every evidence file and compare it with the recorded digest.

    Per item: ok, mismatch (expected and actual digest), missing file, or file present but
    no digest recorded. Exit 1 on any problem.
    """
    from casefile import api

    checks = api.verify_case(case, use_cache=not no_cache)
    failed = [c for c in checks if c.problem]
    if as_json:
        echo(json.dumps({"case": case, "ok": not failed, "items": [c.as_dict() for c in checks]}, indent=2))
    else:
        for check in checks:
            if check.status != "no-file":
                echo(check.describe())
        counted = [c for c in checks if c.status != "no-file"]
        echo(f"{case}: {len(counted) - len(failed)} of {len(counted)} evidence file(s) verified", err=True)
    if failed:
        sys.exit(1)


@cli.command("verify-dossier", epilog=_epilog("verify-dossier"))
@click.argument("dossier", type=click.Path(exists=True, dir_okay=False))
@click.option("--evidence", "evidence_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder the manifest's paths are relative to [default: the dossier's folder].")
@click.option("--trust", "trust", type=click.Path(exists=True, dir_okay=False), multiple=True, metavar="CERT.pem",
              help="A trust root (PEM or DER; repeatable): a signed PDF must chain to one of them.")
def verify_dossier(dossier: str, evidence_dir: str | None, trust: tuple[str, ...]) -> None:
    """Check a sealed PDF dossier: its attached manifest, the digest on its cover, and the
    evidence files against the manifest. A receiver needs nothing but casefile and the files.

    A signed PDF's signatures are checked too: intact, valid, covering the whole file, and
    (with --trust) chaining to a trust root. Exit 1 on any problem."""
    from casefile import api

    result = api.verify_dossier(dossier, evidence_dir, trust=list(trust) or None)
    if result.manifest_digest:
        echo(f"manifest digest {result.manifest_digest}"
                   + (" (matches the cover)" if result.cover_matches else " (NOT the one on the cover)"))
    for status, path, detail in result.items:
        echo(f"{status}: {path}" + (f": {detail}" if status != "ok" else ""))
    for signature in result.signatures:
        for line in signature.describe():
            echo(line)
    for problem in result.problems:
        echo(f"error: {problem}", err=True)
    if not result.ok:
        sys.exit(1)


@cli.command("check-leaks", epilog=_epilog("check-leaks"))
@click.argument("file", type=click.Path(exists=True))
@click.option("--case", "case_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The case the file was built from (it says who is protected).")
@click.option("--edition", type=click.Choice(["public", "internal"]), default="public", show_default=True)
@click.option("--for", "body", default=None, help="Scan a packet edition for this filing body instead.")
def check_leaks(file: str, case_path: str, edition: str, body: str | None) -> None:
    """Scan a produced file, archive or folder for every person the edition must hide.

    Finds a name in any form casefile matches (declined, in either script and any
    romanisation, with look-alike or invisible characters, run together, by alias): in PDF
    strings, metadata, attachments and page text, HTML text, attributes, stylesheet strings and
    data: URIs, text in any encoding, archives and e-mails, image and media metadata, and file
    names. Exit 1 on any hit. Hits are reported by person id and rule, never by name.
    """
    from casefile import api

    hidden, leaks = api.check_leaks(file, case_path, edition=edition, body=body)
    for line in sorted({f"LEAK: {leak.describe()}" for leak in leaks}):
        echo(one_line(line))
    echo(f"{one_line(file)}: {len(hidden)} hidden person(s) looked for, {len(leaks)} hit(s)", err=True)
    if leaks:
        sys.exit(1)


@cli.command(epilog=_epilog("check"))
@click.argument("case", type=click.Path(exists=True, dir_okay=False))
@click.option("--for", "body", required=True, help="The filing body, e.g. un-sr-executions.")
@click.option("--json", "as_json", is_flag=True, help="Print the checklist as JSON.")
def check(case: str, body: str, as_json: bool) -> None:
    """Check a case against what one filing body requires: met / missing / warning.

    Exit 1 when anything required is missing (warnings pass).
    """
    from casefile import api

    found, items = api.check_for(case, body)
    if as_json:
        echo(json.dumps({"case": case, "body": found.id, "items": [i.as_dict() for i in items]}, indent=2))
    else:
        echo(f"{found.name} ({found.id}), {found.kind}")
        for item in items:
            echo(item.line())
    if any(i.status == "missing" for i in items):
        sys.exit(1)


@cli.command(epilog=_epilog("packet"))
@click.argument("case", type=click.Path(exists=True, dir_okay=False))
@click.option("--to", "to", default=None, help="The filing body, e.g. icc-otp.")
@click.option("--all", "all_filings", is_flag=True, help="One packet per filing of the case.")
@click.option("--output", "-o", type=click.Path(file_okay=False), default=None,
              help="Folder for the packets [default: out/packets].")
@click.option("--draft", is_flag=True, help="Build even when requirements are missing; every page says DRAFT.")
@click.option("--allow-unverified", is_flag=True, help="Build even when evidence files do not match their digests.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False), default=None,
              help="A folder of templates overriding the built-in ones (run sandboxed).")
@_sign_options
def packet(case: str, to: str | None, all_filings: bool, output: str | None, draft: bool,
           allow_unverified: bool, templates: str | None, **signing) -> None:
    """Build the submission packet for a filing body: cover letter, dossier edition, exhibits,
    checklist, manifest, one print-ready PDF with every page numbered, and a zip.
    --sign signs the letter, the dossier and the print-ready PDF (PAdES) before the manifest."""
    from casefile import api

    if bool(to) == all_filings:
        raise click.UsageError("give exactly one of --to BODY and --all")
    def report(result) -> None:
        for item in result.checklist:
            if item.status != "met":
                echo(one_line(f"{result.body}: {item.line()}"), err=True)
        for line in result.left_out:
            echo(one_line(f"{result.body}: left out {line}"), err=True)
        echo(one_line(f"{result.folder}  ({result.pages} pages{', DRAFT' if result.draft else ''}; "
                            f"exhibits: {', '.join(result.exhibits) or 'none'})"))
        echo(one_line(str(result.archive)))

    api.packet(case, to=to, all_filings=all_filings, output=output, draft=draft, allow_unverified=allow_unverified,
               templates=templates, signer=_signer(**signing), on_result=report)


@cli.command(epilog=_epilog("init"))
@click.argument("folder", type=click.Path(file_okay=False), default=".")
@click.option("--name", default="Your organisation", help="The organisation, for casefile.yaml.")
def init(folder: str, name: str) -> None:
    """Create a case repository: casefile.yaml, .gitignore, cases/ with a first case, and git."""
    from casefile import api

    for path in api.init(folder, name=name):
        echo(str(path))


@cli.command(epilog=_epilog("build"))
@click.argument("path", type=click.Path(exists=True), default=".")
@click.option("--shard", default=None, metavar="K/N", help="Build only the K-th of N deterministic shares.")
@click.option("--jobs", "-j", "workers", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: one per core].")
@click.option("--force", is_flag=True, help="Rebuild every case, changed or not.")
def build(path: str, shard: str | None, workers: int | None, force: bool) -> None:
    """Validate and render every case under PATH (dossiers and planned packets) into the
    project's output folder, rebuilding only what changed. Exit 1 if any case failed."""
    from casefile import api

    interactive = sys.stderr.isatty() and not os.environ.get("CI")

    def progress(outcome, done, total):
        status = "ok" if outcome.ok else "FAILED"
        line = f"[{done}/{total}] {status} {outcome.relative} ({outcome.seconds:.1f} s)"
        if interactive:
            width = 30
            filled = int(width * done / total)
            click.echo(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {one_line(outcome.relative)[:40]:<40}",
                       err=True, nl=done == total)
        else:
            echo(line, err=True)

    project, report = api.build(path, shard=shard, workers=workers, force=force, progress=progress)
    for outcome in report.failed:
        echo(f"FAILED {outcome.relative}:", err=True)
        for line in outcome.message.splitlines():
            echo(f"  {line}", err=True)
    echo(f"built {len(report.built)}, unchanged {len(report.skipped)}, failed {len(report.failed)} "
               f"in {report.seconds:.1f} s -> {project.output}")
    if not report.ok:
        sys.exit(1)


@cli.command(epilog=_epilog("diff"))
@click.argument("case", type=click.Path(dir_okay=False))  # not exists=True: a deleted file is a valid diff
@click.argument("rev1", required=False)
@click.argument("rev2", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="markdown: tables for a pull-request comment.")
def diff(case: str, rev1: str | None, rev2: str | None, fmt: str) -> None:
    """What changed in a case, by meaning: added, removed and changed evidence, persons,
    allegations, filings and fields. No revision: HEAD against the working tree; REV1: REV1
    against the working tree; REV1 REV2: between two revisions. Protected names are never printed."""
    from pathlib import Path

    from casefile.repository import diff as semantic

    old, new, changes = semantic.diff_file(Path(case), rev1, rev2)
    echo((semantic.format_text if fmt == "text" else semantic.format_markdown)(old, new, changes), nl=False)


@cli.command(epilog=_epilog("register"))
@click.argument("path", type=click.Path(exists=True), default=".")
@click.option("--edition", type=click.Choice(["internal", "public"]), default="internal", show_default=True,
              help="public: no protected name anywhere.")
@click.option("--output", "-o", type=click.Path(file_okay=False), default=None,
              help="Folder [default: <project output>/register].")
def register(path: str, edition: str, output: str | None) -> None:
    """Write an overview of every case under PATH: register.html (sortable, with a chart of
    incidents per month), register.csv and register.json."""
    from casefile import api

    for written in api.register(path, edition=edition, output=output):
        echo(str(written))


@cli.command(epilog=_epilog("doctor"))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def doctor(as_json: bool) -> None:
    """Report the Python and system pieces casefile's output depends on (Python, WeasyPrint,
    Pango, harfbuzz-subset, fonts for each dossier language, git and optional tools): ok or
    missing, what a missing one costs, and the command that installs it.
    Exit 0 when every required piece is present, 1 otherwise."""
    from casefile import api

    report = api.doctor()
    if as_json:
        echo(json.dumps(report.as_dict(), indent=2))
    else:
        echo(report.text(), nl=False)
    if not report.ok:
        sys.exit(1)


def _limits(max_mb: float):
    from casefile.case.loader import Limits

    return Limits(max_file_bytes=int(max_mb * 1024 * 1024))


def main() -> None:
    # casefile uses no pydantic plugins; looking them up scans every installed package's entry
    # points (~10 ms of each start). Only the command line sets this: a program that imports
    # casefile as a library keeps its own plugins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    cli(prog_name="casefile")


if __name__ == "__main__":  # pragma: no cover
    main()
