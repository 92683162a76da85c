"""Commands for filing bodies: check, packet."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from casefile.cli.group import _epilog, _sign_options, _signer, cli, complete_body, complete_case, echo
from casefile.core.errors import one_line

if TYPE_CHECKING:
    from casefile.filing.packet import PacketResult


@cli.command(epilog=_epilog("check"))
@click.argument("case", type=click.Path(exists=True, dir_okay=False), shell_complete=complete_case)
@click.option("--for", "body", shell_complete=complete_body, required=True, metavar="BODY",
              help="The filing body, e.g. un-sr-executions.")
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
@click.argument("case", type=click.Path(exists=True, dir_okay=False), shell_complete=complete_case)
@click.option("--to", "to", shell_complete=complete_body, default=None, metavar="BODY",
              help="The filing body, e.g. icc-otp.")
@click.option("--all", "all_filings", is_flag=True, help="One packet per filing of the case.")
@click.option("--output", "-o", type=click.Path(file_okay=False), default=None,
              help="Folder for the packets [default: out/packets].")
@click.option("--draft", is_flag=True, help="Build even when requirements are missing; every page says DRAFT.")
@click.option("--allow-unverified", is_flag=True, help="Build even when evidence files do not match their digests.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False), default=None,
              help="A folder of templates overriding the built-in ones (run sandboxed).")
@_sign_options
def packet(case: str, to: str | None, all_filings: bool, output: str | None, draft: bool,
           allow_unverified: bool, templates: str | None, **signing: str | None) -> None:
    """Build the submission packet for a filing body: cover letter, dossier edition, exhibits,
    manifest, one print-ready PDF with every page numbered, and a zip; beside them, for the
    sender only, the requirements checklist (<CASE>-<BODY>.checklist.txt).
    --sign signs the letter, the dossier and the print-ready PDF (PAdES) before the manifest,
    and the manifest itself (manifest.sha256.p7s)."""
    from casefile import api
    from casefile.cli.progress import Status

    if bool(to) == all_filings:
        raise click.UsageError("give exactly one of --to BODY and --all")
    status = Status()

    def report(result: PacketResult) -> None:
        status.clear()
        for item in result.checklist:
            if item.status != "met":
                echo(one_line(f"{result.body}: {item.line()}"), err=True)
        for line in result.left_out:
            echo(one_line(f"{result.body}: left out {line}"), err=True)
        echo(one_line(f"{result.folder}  ({result.pages} pages{', DRAFT' if result.draft else ''}; "
                            f"exhibits: {', '.join(result.exhibits) or 'none'})"))
        echo(one_line(str(result.archive)))
        if result.checklist_file is not None:
            echo(one_line(f"{result.checklist_file}  (for the sender, not sent)"))

    with status:
        api.packet(case, to=to, all_filings=all_filings, output=output, draft=draft,
                   allow_unverified=allow_unverified, templates=templates, signer=_signer(**signing),
                   on_result=report, on_start=lambda body, n, total: status.stage(f"packet {n}/{total}: {body}"))
