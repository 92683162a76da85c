"""Commands on evidence and outputs: hash, verify, verify-dossier, check-leaks."""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime

import click

from casefile.cli.group import _epilog, cli, complete_body, complete_case, echo
from casefile.core.errors import one_line
from casefile.core.outputs import EDITIONS


@cli.command("hash", epilog=_epilog("hash"))
@click.argument("case", type=click.Path(exists=True, dir_okay=False), shell_complete=complete_case)
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
@click.argument("case", type=click.Path(exists=True, dir_okay=False), shell_complete=complete_case)
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


def _sha256_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", value.strip()):
        raise click.BadParameter("a SHA-256 is 64 hexadecimal digits", ctx, param)
    return value.strip().lower() if value is not None else None


@cli.command("verify-dossier", epilog=_epilog("verify-dossier"))
@click.argument("dossier", type=click.Path(exists=True, dir_okay=False))
@click.option("--evidence", "evidence_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder the manifest's paths are relative to [default: the dossier's folder].")
@click.option("--trust", "trust", type=click.Path(exists=True, dir_okay=False), multiple=True, metavar="CERT.pem",
              help="A trust root (PEM or DER; repeatable): a signed PDF must chain to one of them.")
@click.option("--expect", metavar="SHA256", default=None, callback=_sha256_option,
              help="The SHA-256 the PDF file must have, recorded elsewhere (the packet's manifest.sha256, "
                   "the case's submission record).")
@click.option("--case", "case_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="The case file with the submission record: the packet's manifest.sha256 must be the one "
                   "recorded as sent.")
@click.option("--for", "body", shell_complete=complete_body, metavar="BODY", default=None,
              help="With --case: the filing [default: the body the packet folder is named after].")
@click.option("--without-evidence", is_flag=True,
              help="The dossier was received alone: list its evidence files as not checked (the seal, the "
                   "cover, the case file and the PDF itself are checked as usual).")
def verify_dossier(dossier: str, evidence_dir: str | None, trust: tuple[str, ...], expect: str | None,
                   case_path: str | None, body: str | None, without_evidence: bool) -> None:
    """Check a sealed PDF dossier: its attached manifest (the seal), the digest on its cover,
    the case file it carries, and the files against the seal. A receiver needs nothing but
    casefile and the files.

    Then the PDF file itself: a signed PDF's signatures (intact, valid, covering the whole file,
    and with --trust chaining to a trust root); an unsigned PDF against a digest recorded
    elsewhere (--expect, or the manifest.sha256 of the packet folder it is in). An unsigned PDF
    with no such digest is reported as not checked. Exit 1 on any problem."""
    from casefile import api

    if without_evidence and evidence_dir:
        raise click.UsageError("--without-evidence and --evidence exclude each other")
    result = api.verify_dossier(dossier, evidence_dir, trust=list(trust) or None, expect=expect, case=case_path,
                                body=body, with_evidence=not without_evidence)
    if result.manifest_digest:
        echo(f"manifest digest {result.manifest_digest}"
                   + (" (matches the cover)" if result.cover_matches else " (NOT the one on the cover)"))
    for status, path, detail in result.items:
        echo(f"{status}: {path}" + (f": {detail}" if status != "ok" else ""))
    if result.file_check:
        echo(f"file: {result.file_check}")
    if result.packet_check:
        echo(f"packet: {result.packet_check}")
    for signature in result.signatures:
        for line in signature.describe():
            echo(line)
    for warning in result.warnings:
        echo(f"warning: {warning}", err=True)
    for problem in result.problems:
        echo(f"error: {problem}", err=True)
    if not result.ok:
        sys.exit(1)


@cli.command("mark-submitted", epilog=_epilog("mark-submitted"))
@click.argument("case", type=click.Path(exists=True, dir_okay=False), shell_complete=complete_case)
@click.option("--to", "body", shell_complete=complete_body, required=True, metavar="BODY",
              help="The filing body the packet went to.")
@click.option("--packet", "packet", required=True, type=click.Path(exists=True, file_okay=False),
              help="The packet folder that was sent (out/packets/<CASE>-<BODY>).")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="When it was sent [default: today].")
@click.option("--channel", default=None, help="How it was sent (portal, e-mail, post, by hand).")
def mark_submitted(case: str, body: str, packet: str, on: datetime | None, channel: str | None) -> None:
    """Record that a filing's packet was sent: on the case's filing, status submitted, the
    date, the channel and the SHA-256 of the packet's manifest.sha256 (which lists every file
    sent). Only those lines are added or changed; comments and layout stay as written.

    `verify-dossier --case CASE` later checks a packet against this record."""
    from casefile import api

    recorded = api.mark_submitted(case, body, packet, on=on.date().isoformat() if on else None, channel=channel)
    echo(f"{case}: {recorded.body}: submitted {recorded.date}, manifest {recorded.manifest_sha256}"
         + (f", via {recorded.channel}" if recorded.channel else ""))


@cli.command("check-leaks", epilog=_epilog("check-leaks"))
@click.argument("file", type=click.Path(exists=True))
@click.option("--case", "case_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The case the file was built from (it says who is protected).")
@click.option("--edition", type=click.Choice(EDITIONS), default="public", show_default=True,
              help="The edition the file is: the names it must not contain.")
@click.option("--for", "body", shell_complete=complete_body, metavar="BODY", default=None,
              help="Scan a packet edition for this filing body instead.")
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
