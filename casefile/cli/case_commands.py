"""Commands on one case file: validate, render, new, schema, catalog."""

from __future__ import annotations

import json
import sys

import click

from casefile.cli.group import _epilog, _limits, _sign_options, _signer, cli, complete_case, complete_catalog_id, echo
from casefile.core.errors import Problem
from casefile.core.languages import CODES as LANGUAGE_CODES
from casefile.core.outputs import EDITIONS, EVIDENCE_LAYOUTS, FORMATS, PDF_VARIANTS


@cli.command(epilog=_epilog("validate"))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True), shell_complete=complete_case)
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
@click.argument("case", type=click.Path(exists=True, dir_okay=False), shell_complete=complete_case)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="pdf", show_default=True,
              help="pdf: the print-grade dossier; html: the edition for a browser, one self-contained file.")
@click.option("--edition", type=click.Choice(EDITIONS), default="internal", show_default=True,
              help="internal names everyone; public withholds protected persons, exact places and "
                   "confidential evidence.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Output file [default: out/<case id>[.public][.<language>].<format>, in a repository its "
                   "output: folder].")
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
@click.option("--pdf-variant", type=click.Choice(PDF_VARIANTS), default=None,
              help="A standard the PDF claims: pdf/a-3b (archival; the case file and manifest as associated "
                   "files) or pdf/ua-1 (accessibility). Every PDF is tagged either way.")
@click.option("--evidence-layout", type=click.Choice(EVIDENCE_LAYOUTS), default="auto",
              show_default=True,
              help="full: every evidence item with its details and custody; register: one line per item; "
                   "auto: register above 200 items.")
@_sign_options
def render(case: str, fmt: str, edition: str, output: str | None, templates: str | None, max_mb: float,
           allow_unverified: bool, no_cache: bool, language: str | None, pdf_variant: str | None,
           evidence_layout: str, **signing: str | None) -> None:
    """Write the dossier of one case as PDF or HTML.

    Evidence files are checked against their recorded digests first; a mismatch, a missing
    file or a file without a digest stops the render (exit 1) unless --allow-unverified.
    --sign signs the PDF (PAdES); a signed PDF is not byte-reproducible (it carries the time).
    """
    from casefile import api

    if signing["sign_p12"] and fmt != "pdf":
        raise click.UsageError("only a PDF can be signed: --sign needs --format pdf")
    from casefile.cli.progress import Status

    status = Status()

    def warn(problem: Problem) -> None:
        status.clear()
        echo(problem.format(), err=True)

    with status:
        status.stage("validating")
        target = api.render(case, format=fmt, edition=edition, output=output, templates=templates,
                            limits=_limits(max_mb), allow_unverified=allow_unverified, use_cache=not no_cache,
                            on_warning=warn, signer=_signer(**signing), language=language,
                            pdf_variant=pdf_variant, evidence_layout=evidence_layout, stage=status.stage)
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
@click.argument("ident", required=False, shell_complete=complete_catalog_id)
def catalog(what: str | None, ident: str | None) -> None:
    """List the built-in legal provisions and filing bodies, or show one.

    WHAT is `provisions` or `bodies`; an id alone (e.g. `casefile catalog gc3:130`) shows it.
    """
    from casefile import api

    echo(api.describe_catalog(what, ident), nl=False)


@cli.group("import")
def import_group() -> None:
    """Add data kept elsewhere to a case file (a minimal edit: comments and layout kept)."""


@import_group.command("victims", epilog=_epilog("import victims"))
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False))
@click.argument("case", type=click.Path(exists=True, dir_okay=False), shell_complete=complete_case)
@click.option("--dry-run", is_flag=True, help="Check the file and show the entries; write nothing.")
def import_victims(csv_file: str, case: str, dry_run: bool) -> None:
    """Add the victims listed in a CSV file to the case's incident.victims.

    The header row names the columns: id, name, category, affiliation, harm, protected, born,
    age, sex, citizenship, rank, unit, service_number, captured_date, captured_place, died_date,
    died_place, next_of_kin_name, next_of_kin_relation, next_of_kin_contact, aliases and
    consent_share_with (lists separated by ';'). Every row is checked as a victim written in
    the case file would be; problems are reported at their row and column, and nothing is
    written unless every row is right."""
    from casefile import api

    imported = api.import_victims(csv_file, case, dry_run=dry_run)
    if dry_run:
        echo(imported.text, nl=False)
    echo(f"{case}: {len(imported.ids)} victim(s) {'to add' if dry_run else 'added'}: "
         f"{', '.join(imported.ids[:10])}{', …' if len(imported.ids) > 10 else ''}",
         err=dry_run)
