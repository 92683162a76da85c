"""Commands on a repository of cases: init, build, diff, register, doctor."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

import click

from casefile.cli.group import _epilog, cli, complete_case, complete_edition, echo
from casefile.core.errors import one_line
from casefile.core.outputs import EDITIONS

if TYPE_CHECKING:
    from casefile.repository.build import Outcome


@cli.command(epilog=_epilog("init"))
@click.argument("folder", type=click.Path(file_okay=False), default=".")
@click.option("--name", default="Your organisation", help="The organisation, for casefile.yaml.")
def init(folder: str, name: str) -> None:
    """Create a case repository: casefile.yaml, .gitignore, schema/case.schema.json for editors,
    cases/ with a first case, and git."""
    from casefile import api

    for path in api.init(folder, name=name):
        echo(str(path))


@cli.command(epilog=_epilog("build"))
@click.argument("path", type=click.Path(exists=True), default=".")
@click.option("--shard", default=None, metavar="K/N", help="Build only the K-th of N deterministic shares.")
@click.option("--jobs", "-j", "workers", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: one per core].")
@click.option("--force", is_flag=True, help="Rebuild every case, changed or not.")
@click.option("--output", "-o", default=None, type=click.Path(file_okay=False),
              help="Build into this folder [default: the folder named by output: in casefile.yaml].")
def build(path: str, shard: str | None, workers: int | None, force: bool, output: str | None) -> None:
    """Validate and render every case under PATH (dossiers and planned packets) into the
    project's output folder, rebuilding only what changed. Exit 1 if any case failed."""
    from casefile import api

    interactive = sys.stderr.isatty() and not os.environ.get("CI")

    def progress(outcome: Outcome, done: int, total: int) -> None:
        status = "ok" if outcome.ok else "FAILED"
        line = f"[{done}/{total}] {status} {outcome.relative} ({outcome.seconds:.1f} s)"
        if interactive:
            width = 30
            filled = int(width * done / total)
            bar = f"[{'#' * filled}{'.' * (width - filled)}]"
            click.echo(f"\r{bar} {done}/{total} {one_line(outcome.relative)[:40]:<40}", err=True, nl=done == total)
        else:
            echo(line, err=True)

    project, report = api.build(path, shard=shard, workers=workers, force=force, progress=progress, output=output)
    for outcome in report.failed:
        echo(f"FAILED {outcome.relative}:", err=True)
        for line in outcome.message.splitlines():
            echo(f"  {line}", err=True)
    echo(f"built {len(report.built)}, unchanged {len(report.skipped)}, failed {len(report.failed)} "
               f"in {report.seconds:.1f} s -> {project.output}")
    if not report.ok:
        sys.exit(1)


@cli.command(epilog=_epilog("diff"))
# not exists=True: a deleted file is a valid diff
@click.argument("case", type=click.Path(dir_okay=False), shell_complete=complete_case)
@click.argument("rev1", required=False)
@click.argument("rev2", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="markdown: tables for a pull-request comment.")
def diff(case: str, rev1: str | None, rev2: str | None, fmt: str) -> None:
    """What changed in a case, by meaning: added, removed and changed evidence, persons,
    allegations, filings and fields. No revision: HEAD against the working tree; REV1: REV1
    against the working tree; REV1 REV2: between two revisions. Protected names are never printed."""
    from pathlib import Path

    from casefile.repository import diff_report as semantic

    old, new, changes = semantic.diff_file(Path(case), rev1, rev2)
    echo((semantic.format_text if fmt == "text" else semantic.format_markdown)(old, new, changes), nl=False)


@cli.command(epilog=_epilog("register"))
@click.argument("path", type=click.Path(exists=True), default=".")
@click.option("--edition", type=click.Choice(EDITIONS), default="internal", show_default=True,
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


@cli.command(epilog=_epilog("serve"))
@click.argument("case", type=click.Path(exists=True, dir_okay=False), shell_complete=complete_case)
@click.option("--with", "others", multiple=True, metavar="EDITION", shell_complete=complete_edition,
              help="Show another edition beside the internal one: public, or a filing body's id (its packet's "
                   "dossier). Repeatable.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on. Anything but the loopback interface shows the internal edition, "
                   "with every protected name, to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: any free port.")
def serve(case: str, others: tuple[str, ...], host: str, port: int) -> None:
    """Preview a case while you edit it: a local web page that validates and renders the HTML
    edition each time the case file (or the repository's settings, catalog or templates) is
    saved, reloads itself, and lists the problems with their line and column."""
    from pathlib import Path

    from casefile import api
    from casefile.core.errors import UsageError
    from casefile.repository.preview import LOOPBACK, Preview
    from casefile.repository.preview import serve as run

    editions = ("internal", *dict.fromkeys(o for o in others if o != "internal"))
    catalog = api.project_of(case).catalog()
    for edition in editions:
        if edition not in ("internal", "public") and edition not in catalog.bodies:
            raise UsageError(f"unknown edition '{edition}'", "public, or a filing body's id (casefile catalog bodies)")
    if host not in LOOPBACK:
        echo(f"warning: listening on {host}: anyone who can reach it sees the internal edition, "
             "with every protected name", err=True)
    try:
        labels = {e: f"Edition for {catalog.bodies[e].short}" for e in editions if e in catalog.bodies}
        run(Preview(Path(case), editions, api.validate, api.preview_html, labels), host, port,
            ready=lambda url: echo(f"Previewing {case} at {url} (Ctrl+C to stop)"))
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        echo("stopped")
