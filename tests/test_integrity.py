"""Evidence integrity: hash, verify, the digest cache, path safety, the sealed dossier."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from casefile import api
from casefile.cli import cli
from casefile.evidence import integrity

from .conftest import DONETSK, WITNESS

ITEMS = {"E2": "evidence/E2-outbuilding.jpg", "E3": "evidence/E3-statement-W1.txt",
         "E4": "evidence/E4-forensic-note.pdf"}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_example_verifies(witness_case):
    result = run("verify", str(witness_case))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"{i}: ok ({f})" for i, f in ITEMS.items()]


@pytest.mark.parametrize("item", sorted(ITEMS))
def test_one_appended_byte_fails_naming_the_item(witness_case, item):
    with open(witness_case.parent / ITEMS[item], "ab") as fh:
        fh.write(b"\0")
    result = run("verify", str(witness_case))
    assert result.exit_code == 1
    [bad] = [line for line in result.stdout.splitlines() if "ok (" not in line]
    assert bad.startswith(f"{item}: MISMATCH {ITEMS[item]}: expected ")


@pytest.mark.parametrize("item", sorted(ITEMS))
def test_deleted_file_is_reported_missing(witness_case, item):
    (witness_case.parent / ITEMS[item]).unlink()
    result = run("verify", "--json", str(witness_case))
    assert result.exit_code == 1
    import json

    report = json.loads(result.stdout)
    assert [(i["id"], i["status"]) for i in report["items"]] == [
        (i, "missing" if i == item else "ok") for i in sorted(ITEMS)]


def test_file_without_digest_is_reported(witness_case):
    text = witness_case.read_text()
    witness_case.write_text(re.sub(r"    sha256: 02b8.*\n", "", text))
    result = run("verify", str(witness_case))
    assert result.exit_code == 1
    assert "E3: NO DIGEST recorded for evidence/E3-statement-W1.txt" in result.stdout


def test_hash_restores_removed_digests_with_no_other_change(witness_case):
    original = witness_case.read_bytes()
    witness_case.write_text("".join(line for line in original.decode().splitlines(keepends=True)
                                    if "sha256:" not in line))
    result = run("hash", str(witness_case))
    assert result.exit_code == 0, result.output
    assert witness_case.read_bytes() == original
    assert result.stdout.splitlines() == [
        f"{i}: recorded {hashlib.sha256((witness_case.parent / f).read_bytes()).hexdigest()}" for i, f in ITEMS.items()]
    again = run("hash", str(witness_case))
    assert again.exit_code == 0 and all(" unchanged " in line for line in again.stdout.splitlines())


def test_hash_keeps_comments_crlf_bom_and_flow_style(tmp_path):
    (tmp_path / "a.bin").write_bytes(b"a")
    (tmp_path / "b.bin").write_bytes(b"b")
    text = (
        "# top comment\r\n"
        "casefile: 1   # version\r\n"
        "id: T-2\r\ntitle: t\r\nstatus: draft\r\nprepared: {by: me, date: 2025-01-01}\r\nsummary: s\r\n"
        "incident: {date: 2025, description: d}\r\n"
        "allegations: [{id: A1, title: t}]\r\n"
        "evidence:\r\n"
        "  - id: E1\r\n"
        "    kind: document\r\n"
        "    title: 'one'   # quoted\r\n"
        "    file: a.bin\r\n"
        "\r\n"
        "    # a comment between keys\r\n"
        "    custody: [{at: 2025-01-01T00:00:00Z, by: me, action: collected}]\r\n"
        "  - {id: E2, kind: document, title: two, file: \"b.bin\", custody: []}\r\n"
    )
    case = tmp_path / "case.yaml"
    case.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert run("hash", str(case)).exit_code == 0
    da, db = (hashlib.sha256(x).hexdigest() for x in (b"a", b"b"))
    expected = (text.replace("    file: a.bin\r\n", f"    file: a.bin\r\n    sha256: {da}\r\n")
                .replace('file: "b.bin", ', f'file: "b.bin", sha256: {db}, '))
    assert case.read_bytes() == b"\xef\xbb\xbf" + expected.encode()
    assert api.validate(case).ok


def test_hash_refuses_to_overwrite_a_different_digest_without_update(witness_case):
    with open(witness_case.parent / ITEMS["E4"], "ab") as fh:
        fh.write(b"\0")
    before = witness_case.read_bytes()
    refused = run("hash", str(witness_case))
    assert refused.exit_code == 1
    assert "E4: CONFLICT evidence/E4-forensic-note.pdf: recorded 8054f81e" in refused.stdout
    assert "(use --update to replace the recorded digest)" in refused.stdout
    assert witness_case.read_bytes() == before
    new = hashlib.sha256((witness_case.parent / ITEMS["E4"]).read_bytes()).hexdigest()
    updated = run("hash", "--update", str(witness_case))
    assert updated.exit_code == 0
    assert witness_case.read_bytes() == before.replace(
        b"8054f81eb766ac587a5cbeca61d544e7f7984b84c08b59e0cfc5d7171858164b", new.encode())


def test_cache_avoids_rereading_unchanged_files_when_rendering(witness_case, monkeypatch):
    calls = []
    real = integrity.sha256_file
    monkeypatch.setattr(integrity, "sha256_file", lambda p: calls.append(p.name) or real(p))
    case = api.load_case(witness_case).case
    root = witness_case.parent
    integrity.check_evidence(case, root)
    assert len(calls) == 3
    cache_dir = witness_case.parent / ".casefile-cache"
    assert (cache_dir / ".gitignore").read_text().splitlines()[-1] == "*"
    calls.clear()
    integrity.check_evidence(case, root)
    assert calls == []
    target = witness_case.parent / ITEMS["E3"]
    target.write_bytes(target.read_bytes() + b"!")
    checks = {c.id: c.status for c in integrity.check_evidence(case, root)}
    assert calls == ["E3-statement-W1.txt"] and checks["E3"] == "mismatch"


def test_verify_and_hash_always_read_every_byte(witness_case, monkeypatch):
    calls = []
    real = integrity.sha256_file
    monkeypatch.setattr(integrity, "sha256_file", lambda p: calls.append(p.name) or real(p))
    integrity.check_evidence(api.load_case(witness_case).case, witness_case.parent)  # fills the cache
    calls.clear()
    api.verify_case(witness_case)
    assert len(calls) == 3
    calls.clear()
    api.hash_case(witness_case)
    assert len(calls) == 3


def test_large_files_stream_and_hash_in_parallel(tmp_path):
    blobs = {f"f{i}.bin": os.urandom(3 * integrity.CHUNK + i) for i in range(5)}
    for name, data in blobs.items():
        (tmp_path / name).write_bytes(data)
    found = integrity.digests(tmp_path, list(blobs), use_cache=False, workers=2)
    assert found == {name: hashlib.sha256(data).hexdigest() for name, data in blobs.items()}


def test_paths_must_stay_inside_the_case_folder(witness_case, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    link = witness_case.parent / "evidence" / "link.txt"
    link.symlink_to(outside)
    text = witness_case.read_text().replace("file: evidence/E3-statement-W1.txt", "file: evidence/link.txt")
    witness_case.write_text(text)
    messages = [p.format() for p in api.validate(witness_case).problems]
    assert any("evidence[1].file: 'evidence/link.txt' points outside the case folder" in m for m in messages)
    assert {c.id: c.status for c in api.verify_case(witness_case)}["E3"] == "unsafe"


def test_custody_gap_is_a_configurable_warning(witness_case):
    text = witness_case.read_text().replace("2024-03-19T09:00:00+02:00", "2024-09-19T09:00:00+02:00")
    witness_case.write_text(text)
    default = run("validate", str(witness_case))
    assert default.exit_code == 0
    assert "evidence[0].custody[1].at: 184 days since the previous custody entry (more than 90)" in default.stdout
    assert "custody" not in run("validate", "--custody-gap", "200", str(witness_case)).stdout


@pytest.fixture
def sealed(witness_case, rendered):
    """The example's internal PDF (the session's shared render), next to a writable copy of
    the case and its evidence, as `render --output <case folder>/dossier.pdf` leaves it."""
    target = witness_case.parent / "dossier.pdf"
    target.write_bytes(rendered(WITNESS).read_bytes())
    return target


def test_sealed_dossier_carries_case_and_manifest(witness_case, sealed):
    reader = PdfReader(sealed)
    attachments = reader.attachments
    assert sorted(attachments) == ["case.yaml", "manifest.sha256"]
    assert attachments["case.yaml"] == [witness_case.read_bytes()]
    manifest = attachments["manifest.sha256"][0].decode()
    case_digest = hashlib.sha256(witness_case.read_bytes()).hexdigest()
    assert manifest == (  # the seal: the case file it carries, then every evidence file
        f"# casefile seal: TEST-KHE-2024-007\n# case-file: {case_digest}  case.yaml\n"
        + "".join(f"{hashlib.sha256((witness_case.parent / f).read_bytes()).hexdigest()}  {f}\n"
                  for f in sorted(ITEMS.values())))
    digest = hashlib.sha256(manifest.encode()).hexdigest()
    cover = " ".join(reader.pages[0].extract_text().split())
    assert digest in cover


def test_manifest_passes_sha256sum(witness_case, sealed, tmp_path):
    (witness_case.parent / "manifest.sha256").write_bytes(PdfReader(sealed).attachments["manifest.sha256"][0])
    subprocess.run(["sha256sum", "-c", "--quiet", "manifest.sha256"], cwd=witness_case.parent, check=True)


def test_verify_dossier_passes_then_fails_after_one_byte(witness_case, sealed):
    ok = run("verify-dossier", str(sealed))  # evidence next to the dossier by default
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.splitlines()[0].endswith("(matches the cover)")
    assert ok.stdout.splitlines()[1:] == ["ok: case.yaml (case file, attached)",
                                          *[f"ok: {f}" for f in sorted(ITEMS.values())],
                                          "file: NOT CHECKED: unsigned, and no digest of it recorded elsewhere was "
                                          "given (see the warning)"]
    assert ok.stderr.startswith("warning: dossier.pdf: not checked: the PDF is not signed")
    with open(witness_case.parent / ITEMS["E2"], "ab") as fh:
        fh.write(b"x")
    bad = run("verify-dossier", str(sealed), "--evidence", str(witness_case.parent))
    assert bad.exit_code == 1
    assert "mismatch: evidence/E2-outbuilding.jpg: expected b2b83cb5" in bad.stdout


def test_a_dossier_without_evidence_files_is_sealed_and_verifies(rendered):
    """The Donetsk example records no evidence file: its seal is the case file alone."""
    dossier = rendered(DONETSK)
    result = run("verify-dossier", str(dossier))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "ok: donetsk-pow-executions.yaml (case file, attached)"
    public = run("verify-dossier", str(rendered(DONETSK, language="uk", edition="public")))  # shared with test_i18n
    assert public.exit_code == 0, public.output  # no case file, no evidence file: a seal of nothing, still a seal


def test_verify_dossier_refuses_an_unsealed_pdf(tmp_path):
    import weasyprint

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(weasyprint.HTML(string="<p>not a dossier</p>").write_pdf())
    result = run("verify-dossier", str(plain))
    assert result.exit_code == 1
    assert "no manifest.sha256 attachment" in result.stderr


def test_render_stops_on_unverified_evidence_unless_allowed(witness_case):
    with open(witness_case.parent / ITEMS["E4"], "ab") as fh:
        fh.write(b"\0")
    target = witness_case.parent / "d.pdf"
    refused = run("render", str(witness_case), "--output", str(target))
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: evidence files do not match the case: E4: MISMATCH")
    assert not target.exists()
    allowed = run("render", str(witness_case), "--output", str(target), "--allow-unverified")
    assert allowed.exit_code == 0
    for page in PdfReader(target).pages:
        assert "EVIDENCE NOT VERIFIED" in page.extract_text()


def test_photo_is_an_exhibit_and_public_copy_has_no_metadata(rendered):
    import base64

    original = (WITNESS.parent / ITEMS["E2"]).read_bytes()
    assert b"Olena Koval" in original  # the example photo carries a protected name in its EXIF

    def data_uris(html: str) -> list[bytes]:
        return [base64.b64decode(m) for m in re.findall(r'src="data:image/[a-z]+;base64,([A-Za-z0-9+/=]+)"', html)]

    internal_html = rendered(WITNESS, format="html").read_text()
    assert data_uris(internal_html) == [original]  # the internal edition shows the file itself
    public_html = rendered(WITNESS, format="html", edition="public").read_text()
    [placed] = data_uris(public_html)
    assert placed.startswith(b"\xff\xd8") and b"Exif" not in placed and b"Olena Koval" not in placed
    assert b"ExampleCam" not in placed
    for edition in ("internal", "public"):
        pdf = rendered(WITNESS, edition=edition)
        reader = PdfReader(pdf)
        assert len({image.data for page in reader.pages for image in page.images}) == 1, edition
        raw = pdf.read_bytes()
        assert b"Olena Koval" not in raw or edition == "internal"
        assert b"ExampleCam" not in raw  # WeasyPrint re-encodes JPEGs with EXIF; casefile strips them anyway
    pages = PdfReader(rendered(WITNESS, edition="public")).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "re-encoded without metadata for this edition" in text


# ------------------------------------------------------------------------------------------
# the seal as a receiver checks it: in a packet folder, and an unsigned PDF changed inside
# ------------------------------------------------------------------------------------------
def test_a_packet_dossier_verifies_in_its_packet_folder(witness_packets, tmp_path):
    """The ICRC packet carries E4 only: its dossier's seal lists exhibits/... as the packet
    holds them, names E2 and E3 as left out, and the dossier file matches the packet manifest."""
    folder = witness_packets["icrc"].folder
    result = run("verify-dossier", str(folder / "02-dossier.pdf"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "ok: exhibits/E4-forensic-note.pdf", "left out: E2: not in this packet", "left out: E3: not in this packet",
        f"file: ok: its SHA-256 matches the packet's {folder.name}/manifest.sha256"]
    assert result.stderr == ""
    # the print-ready PDF carries the same seal, and the dossier's cover after the letter
    printed = run("verify-dossier", str(folder / f"{folder.name}-print.pdf"))
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.splitlines()[0].endswith("(matches the cover)")
    # sha256sum checks the seal's files in the packet folder too (it skips the comment lines)
    seal = PdfReader(folder / "02-dossier.pdf").attachments["manifest.sha256"][0]
    work = tmp_path / "copy"
    shutil.copytree(folder, work)
    (work / "seal.sha256").write_bytes(seal)
    subprocess.run(["sha256sum", "-c", "--quiet", "seal.sha256"], cwd=work, check=True)


def _replace_attachment(source, target, name: str, data: bytes) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=source)
    del writer._root_object["/Names"]["/EmbeddedFiles"]
    for other, contents in PdfReader(source).attachments.items():
        writer.add_attachment(other, data if other == name else contents[0])
    writer.write(target)


def test_a_replaced_case_file_fails(sealed, tmp_path):
    forged = tmp_path / "forged.pdf"
    _replace_attachment(sealed, forged, "case.yaml", b"casefile: 1\nid: FORGED\n")
    result = run("verify-dossier", str(forged), "--evidence", str(sealed.parent))
    assert result.exit_code == 1
    assert "mismatch: case.yaml (case file): expected " in result.stdout


def _flip_a_byte_in_the_photo(data: bytes) -> bytes:
    """One byte changed inside the embedded JPEG's stream (same length: the PDF stays readable)."""
    start = data.index(b"\xff\xd8\xff")
    at = start + 2000
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def _without_three_pages(source, target) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=source)
    for _ in range(3):
        writer.remove_page(len(writer.pages) - 2)
    writer.write(target)


@pytest.mark.parametrize("tamper", ["photo byte", "three pages removed"])
def test_an_unsigned_pdf_changed_inside_is_caught_against_a_recorded_digest(sealed, tmp_path, tamper):
    """What an unsigned PDF cannot show by itself: verify-dossier says it did not check the
    file, and fails it against the digest recorded elsewhere (--expect; in a packet folder,
    the packet's manifest.sha256)."""
    original = sealed.read_bytes()
    changed = tmp_path / "dossier.pdf"
    if tamper == "photo byte":
        changed.write_bytes(_flip_a_byte_in_the_photo(original))
    else:
        _without_three_pages(sealed, changed)
    assert changed.read_bytes() != original
    alone = run("verify-dossier", str(changed), "--evidence", str(sealed.parent))
    # the seal and the evidence still match: without a recorded digest the change cannot be
    # seen, and the output says the file itself was not checked
    assert alone.exit_code == 0, alone.output
    assert "file: NOT CHECKED: unsigned" in alone.stdout and "warning: dossier.pdf: not checked" in alone.stderr
    expected = hashlib.sha256(original).hexdigest()
    checked = run("verify-dossier", str(changed), "--evidence", str(sealed.parent), "--expect", expected)
    assert checked.exit_code == 1
    assert f"file: MISMATCH: its SHA-256 {hashlib.sha256(changed.read_bytes()).hexdigest()} is not {expected}" \
        in checked.stdout
    assert "error: dossier.pdf: the file is not the one recorded in the digest given with --expect" in checked.stderr
    # in a packet folder the packet's manifest is the recorded digest
    (tmp_path / "manifest.sha256").write_text(f"{expected}  dossier.pdf\n")
    in_packet = run("verify-dossier", str(changed), "--evidence", str(sealed.parent))
    assert in_packet.exit_code == 1
    assert "the file is not the one recorded in the packet's" in in_packet.stderr


def test_the_untouched_pdf_matches_its_recorded_digest(sealed):
    result = run("verify-dossier", str(sealed), "--expect", hashlib.sha256(sealed.read_bytes()).hexdigest().upper())
    assert result.exit_code == 0, result.output
    assert "file: ok: its SHA-256 matches the digest given with --expect" in result.stdout
    assert result.stderr == ""


def test_expect_must_be_a_sha256(sealed):
    result = run("verify-dossier", str(sealed), "--expect", "abc")
    assert result.exit_code == 2
    assert "a SHA-256 is 64 hexadecimal digits" in result.stderr


def test_a_dossier_received_alone_checks_without_its_evidence(sealed, tmp_path):
    """A receiver with the PDF only: --without-evidence lists the evidence as not checked and
    checks everything else; with --expect the untouched file passes, a forged case file fails."""
    import hashlib

    alone = tmp_path / "alone" / "dossier.pdf"
    alone.parent.mkdir()
    alone.write_bytes(sealed.read_bytes())
    digest = hashlib.sha256(alone.read_bytes()).hexdigest()
    plain = run("verify-dossier", str(alone), "--expect", digest)
    assert plain.exit_code == 1 and "missing: evidence/E2-outbuilding.jpg" in plain.stdout  # looked for, not there
    result = run("verify-dossier", str(alone), "--expect", digest, "--without-evidence")
    assert result.exit_code == 0, result.output
    assert "not checked: evidence/E2-outbuilding.jpg: the dossier was checked without its evidence files" \
        in result.stdout
    assert "ok: case.yaml (case file, attached)" in result.stdout and "file: ok" in result.stdout
    forged = tmp_path / "alone" / "forged.pdf"
    _replace_attachment(alone, forged, "case.yaml", b"casefile: 1\nid: FORGED\n")
    assert run("verify-dossier", str(forged), "--without-evidence").exit_code == 1
    both = run("verify-dossier", str(alone), "--without-evidence", "--evidence", str(tmp_path))
    assert both.exit_code == 2
