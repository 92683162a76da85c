"""Commands on a repository of cases: init, build, diff, register, doctor."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

import click

from casefile.cli.group import _epilog, cli, echo
from casefile.core.errors import one_line
from casefile.core.outputs import EDITIONS

if TYPE_CHECKING:
    from casefile.repository.build import Outcome


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
