"""Recording a submission (`mark-submitted`) and checking a packet against the record later
(`verify-dossier --case`)."""

from __future__ import annotations

import difflib
import hashlib
import shutil

from click.testing import CliRunner

from casefile import api
from casefile.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_record_is_a_minimal_edit_and_validates(witness_case, witness_packets):
    folder = witness_packets["icrc"].folder
    before = witness_case.read_text()
    result = run("mark-submitted", str(witness_case), "--to", "icrc", "--packet", str(folder),
                 "--date", "2024-04-03", "--channel", "ICRC portal: upload #4")
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256((folder / "manifest.sha256").read_bytes()).hexdigest()
    assert result.stdout == (f"{witness_case}: icrc: submitted 2024-04-03, manifest {digest}, "
                             "via ICRC portal: upload #4\n")
    after = witness_case.read_text()
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        "-    status: planned", "+    status: submitted", "+    date: 2024-04-03", "+    submission:",
        f"+      manifest_sha256: {digest}", "+      packet: TEST-KHE-2024-007-icrc",
        '+      channel: "ICRC portal: upload #4"']
    case = api.validate(witness_case).case
    filing = next(f for f in case.filings if f.body == "icrc")
    assert filing.status == "submitted" and filing.submission.channel == "ICRC portal: upload #4"
    # a second record of the same filing is refused: the first is what was sent
    again = run("mark-submitted", str(witness_case), "--to", "icrc", "--packet", str(folder))
    assert again.exit_code == 1 and "filings[2].submission is already recorded" in again.stderr


def test_a_packet_is_checked_against_the_record(witness_case, witness_packets, tmp_path):
    sent = witness_packets["icrc"].folder
    assert run("mark-submitted", str(witness_case), "--to", "icrc", "--packet", str(sent),
               "--date", "2024-04-03").exit_code == 0
    received = tmp_path / sent.name
    shutil.copytree(sent, received)
    ok = run("verify-dossier", str(received / "02-dossier.pdf"), "--case", str(witness_case))
    assert ok.exit_code == 0, ok.output
    assert "packet: ok: manifest.sha256 is the one sent (recorded in case.yaml for icrc, 2024-04-03)" in ok.stdout
    # a file swapped and the packet manifest rewritten to match: the record still tells
    (received / "01-letter.pdf").write_bytes(b"%PDF-1.7 another letter\n")
    manifest = received / "manifest.sha256"
    manifest.write_text("".join(
        f"{hashlib.sha256((received / line[66:]).read_bytes()).hexdigest()}  {line[66:]}\n"
        for line in manifest.read_text().splitlines()))
    swapped = run("verify-dossier", str(received / "02-dossier.pdf"), "--case", str(witness_case))
    assert swapped.exit_code == 1
    assert "packet: MISMATCH: manifest.sha256 has SHA-256 " in swapped.stdout
    assert "error: the packet's manifest.sha256 is not the one recorded as sent" in swapped.stderr


def test_mistakes_are_refused_with_the_reason(witness_case, witness_packets):
    folder = witness_packets["icrc"].folder
    other = run("mark-submitted", str(witness_case), "--to", "ua-pgo", "--packet", str(folder))
    assert other.exit_code == 2
    assert "is not the packet of ua-pgo for TEST-KHE-2024-007 (its folder is named TEST-KHE-2024-007-ua-pgo)" \
        in other.stderr
    missing = run("mark-submitted", str(witness_case), "--to", "ecthr", "--packet", str(folder))
    assert missing.exit_code == 1 and "the case has no filing for ecthr" in missing.stderr
    unrecorded = run("verify-dossier", str(folder / "02-dossier.pdf"), "--case", str(witness_case))
    assert unrecorded.exit_code == 2 and "no submission recorded for icrc" in unrecorded.stderr
    assert run("verify-dossier", str(folder / "02-dossier.pdf"), "--for", "icrc").exit_code == 2


def test_a_flow_style_filing_is_not_rewritten(witness_case, witness_packets):
    block = "  - body: icrc\n    status: planned\n"
    text = witness_case.read_text().replace(block, "  - {body: icrc, status: planned}\n")
    witness_case.write_text(text)
    result = run("mark-submitted", str(witness_case), "--to", "icrc", "--packet", str(witness_packets["icrc"].folder))
    assert result.exit_code == 1
    assert "written in flow style" in result.stderr and witness_case.read_text() == text


def test_crlf_and_comments_are_kept(witness_case, witness_packets):
    text = witness_case.read_text().replace("  - body: icrc\n", "  - body: icrc   # the humanitarian channel\n")
    witness_case.write_bytes(text.replace("\n", "\r\n").encode())
    result = run("mark-submitted", str(witness_case), "--to", "icrc", "--packet", str(witness_packets["icrc"].folder),
                 "--date", "2024-04-03")
    assert result.exit_code == 0, result.output
    raw = witness_case.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"  - body: icrc   # the humanitarian channel\r\n    status: submitted\r\n" in raw
