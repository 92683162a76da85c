"""The command line: translation only. Arguments go to `casefile.api`, exceptions come back
as messages and exit codes (0 ok, 1 invalid input or failed check, 2 wrong usage)."""

from __future__ import annotations

import json
import sys
import traceback

import click

from casefile import __version__
from casefile.errors import CasefileError

EXAMPLES = {
    "validate": "casefile validate cases/\n  casefile validate cases/donetsk-pow-executions.yaml --format json",
    "render": "casefile render cases/donetsk-pow-executions.yaml\n"
              "  casefile render case.yaml --format html --edition public --output out/public.html",
    "new": "casefile new cases/UA-KHA-2025-002.yaml",
    "schema": "casefile schema > case.schema.json",
    "catalog": "casefile catalog provisions\n  casefile catalog provisions rome:8.2.a.i\n  casefile catalog bodies icrc",
}


def _epilog(name: str) -> str:
    return "\b\nExample:\n  " + EXAMPLES[name]


class CasefileGroup(click.Group):
    """Turns every exception into a message and an exit code; never a bare traceback."""

    def invoke(self, ctx: click.Context):
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except CasefileError as exc:
            click.echo(exc.format(), err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # anything unanticipated: one line, traceback only on request
            if debug:
                traceback.print_exc()
            else:
                summary = " ".join(str(exc).split())[:300]
                click.echo(f"error: internal error: {type(exc).__name__}: {summary}", err=True)
                click.echo("hint: rerun with --debug to see the traceback, and report it", err=True)
            ctx.exit(1)


@click.group(cls=CasefileGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="casefile")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
def cli(debug: bool) -> None:
    """Validate war-crimes case files and render dossiers and submission packets."""


@cli.command(epilog=_epilog("validate"))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to print problems.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--max-file-size", "max_mb", type=click.FloatRange(min=0.001), default=50, show_default=True,
              help="Refuse case files larger than this many megabytes.")
def validate(paths: tuple[str, ...], fmt: str, strict: bool, max_mb: float) -> None:
    """Validate case files (a folder means every case file under it).

    Prints every problem as FILE:LINE:COL: error: KEY.PATH: message.
    Exit 0 when valid (warnings allowed), 1 when any file has errors.
    """
    from casefile import api

    files = api.find_cases(list(paths))
    limits = _limits(max_mb)
    results = [api.validate(f, limits=limits) for f in files]
    problems = [p for r in results for p in r.problems]
    failed = [r for r in results if not r.ok or (strict and r.warnings)]
    if fmt == "json":
        click.echo(json.dumps({
            "files": [{"path": str(r.path), "valid": r.ok, "problems": [p.as_dict() for p in r.problems]}
                      for r in results],
            "valid": not failed,
        }, indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(problem.format())
        errors = sum(1 for p in problems if p.is_error)
        warnings = len(problems) - errors
        click.echo(f"{len(files)} case file(s) checked: {len(files) - len(failed)} valid, "
                   f"{errors} error(s), {warnings} warning(s)", err=True)
    if failed or not files:
        if not files:
            click.echo("error: no case files (*.yaml, *.yml) found", err=True)
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
def render(case: str, fmt: str, edition: str, output: str | None, templates: str | None, max_mb: float) -> None:
    """Write the dossier of one case as PDF or HTML."""
    from casefile import api

    limits = _limits(max_mb)
    result = api.validate(case, limits=limits)
    for problem in result.warnings:
        click.echo(problem.format(), err=True)
    target = api.render(case, format=fmt, edition=edition, output=output, templates=templates, limits=limits)
    click.echo(str(target))


@cli.command(epilog=_epilog("new"))
@click.argument("path", type=click.Path(), default="case.yaml")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(path: str, force: bool) -> None:
    """Write a commented starter case that validates."""
    from casefile import api

    target = api.new_case(path, force=force)
    click.echo(str(target))


@cli.command(epilog=_epilog("schema"))
def schema() -> None:
    """Print the JSON Schema (2020-12) of the case format."""
    from casefile import api

    click.echo(json.dumps(api.json_schema(), indent=2, ensure_ascii=False))


@cli.command(epilog=_epilog("catalog"))
@click.argument("what", required=False)
@click.argument("ident", required=False)
def catalog(what: str | None, ident: str | None) -> None:
    """List the built-in legal provisions and filing bodies, or show one.

    WHAT is `provisions` or `bodies`; an id alone (e.g. `casefile catalog gc3:130`) shows it.
    """
    from casefile import api

    click.echo(api.describe_catalog(what, ident), nl=False)


def _limits(max_mb: float):
    from casefile.loader import Limits

    return Limits(max_file_bytes=int(max_mb * 1024 * 1024))


def main() -> None:
    cli(prog_name="casefile")


if __name__ == "__main__":  # pragma: no cover
    main()
