"""Signed dossiers (PAdES with pyHanko): render --sign, packet --sign, verify-dossier.

Keys are made at test time with `cryptography`: a self-signed certificate in a .p12 with a
password, and a second, unrelated certificate as a wrong trust root. Two PDF builds in all:
one `render --sign`, one `packet --sign`.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from casefile.cli import cli
from casefile.evidence import sign

from .conftest import WITNESS, copy_witness
from .pdfcheck import assert_qpdf_ok

PASSWORD = "correct horse"
SUBJECT = "Example Legal Aid Clinic (signing test)"


def run(*args: str, env: dict | None = None, input: str | None = None):
    return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)


def _certificate(common_name: str):
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "casefile tests")])
    return key, _self_signed(key, name, x509.BasicConstraints(ca=True, path_length=None), key_cert_sign=True)


def _self_signed(key, name, extension, *, key_cert_sign: bool):
    """A certificate for `key` signed by itself, valid from yesterday for 30 days, with
    `extension` (what it is for) and the key usages of a signer."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = datetime.datetime.now(datetime.UTC)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(extension, critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=key_cert_sign,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    folder = tmp_path_factory.mktemp("keys")
    key, cert = _certificate(SUBJECT)
    (folder / "signer.p12").write_bytes(pkcs12.serialize_key_and_certificates(
        b"signer", key, cert, None, serialization.BestAvailableEncryption(PASSWORD.encode())))
    (folder / "signer.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _, other = _certificate("Somebody else")
    (folder / "other.pem").write_bytes(other.public_bytes(serialization.Encoding.PEM))
    (folder / "broken.p12").write_bytes(b"this is not a PKCS#12 file\n")
    return folder


@pytest.fixture(scope="module")
def signed(tmp_path_factory, keys):
    """The protected-witness dossier rendered with --sign (the evidence next to it)."""
    work = tmp_path_factory.mktemp("signed")
    case = work / "protected-witness"
    copy_witness(case)
    target = case / "dossier.pdf"
    result = run("render", str(case / "case.yaml"), "--sign", str(keys / "signer.p12"),
                 "--sign-reason", "Submission", "--output", str(target),
                 env={"CASEFILE_SIGN_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    return target


def _byte_range(data: bytes) -> list[int]:
    found = re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    assert len(found) == 1, found
    return [int(x) for x in found[0]]


# ------------------------------------------------------------------------------------------
# render --sign and verify-dossier
# ------------------------------------------------------------------------------------------
def test_signed_dossier_verifies_and_names_the_signer(signed, keys):
    data = signed.read_bytes()
    assert b"/SubFilter /ETSI.CAdES.detached" in data  # PAdES, not adbe.pkcs7.detached
    start, _first, second, rest = _byte_range(data)
    assert start == 0 and second + rest == len(data)  # covers everything but its own /Contents
    result = run("verify-dossier", str(signed))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("(matches the cover)")  # the sealed-dossier checks still run
    assert "signature casefile-signature: ok" in lines
    assert f"  signed by: Organization: casefile tests, Common Name: {SUBJECT}" in lines
    assert "  content: intact" in lines and "  coverage: the whole file" in lines
    assert ("  trust: self-signed certificate, not checked against a trust root (pass --trust CERT.pem)"
            in lines)
    [when] = [line for line in lines if line.startswith("  signing time: ")]
    assert re.match(r"  signing time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", when)


def test_trust_root_is_checked_when_given(signed, keys):
    good = run("verify-dossier", str(signed), "--trust", str(keys / "signer.pem"))
    assert good.exit_code == 0, good.output
    assert "  trust: self-signed certificate chains to the given trust root" in good.stdout.splitlines()
    bad = run("verify-dossier", str(signed), "--trust", str(keys / "other.pem"))
    assert bad.exit_code == 1
    assert "does NOT chain to the given trust root" in bad.stdout
    assert "error: signature casefile-signature: the certificate does not chain to the given trust root" in bad.stderr


def test_signed_pdf_passes_qpdf_and_keeps_its_attachments(signed):
    assert_qpdf_ok(signed)
    attachments = PdfReader(signed).attachments
    assert {"manifest.sha256", "case.yaml"} <= set(attachments)


def test_one_changed_byte_inside_the_signed_range_fails(signed, tmp_path):
    data = bytearray(signed.read_bytes())
    _, first, _, _ = _byte_range(bytes(data))
    # a byte inside a stream near the middle of the file: the PDF still parses, the digest breaks
    middle = data.rfind(b"stream\n", 0, len(data) // 2) + len(b"stream\n") + 20
    assert 0 < middle < first
    data[middle] ^= 0x01
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(bytes(data))
    result = run("verify-dossier", str(altered), "--evidence", str(signed.parent))
    assert result.exit_code == 1
    assert "signature casefile-signature: FAILED" in result.stdout
    assert "  content: ALTERED after signing" in result.stdout
    assert ("error: signature casefile-signature: the signed content was changed after signing "
            "(its digest does not match)") in result.stderr
    assert "Traceback" not in result.output


def test_bytes_appended_after_eof_are_not_covered(signed, tmp_path):
    appended = tmp_path / "appended.pdf"
    appended.write_bytes(signed.read_bytes() + b"\n% added after signing\n")
    result = run("verify-dossier", str(appended), "--evidence", str(signed.parent))
    assert result.exit_code == 1
    assert "  content: intact" in result.stdout  # what was signed is untouched ...
    assert "  coverage: NOT the whole file: changed after signing" in result.stdout  # ... but more was added
    assert "the signature does not cover the whole file" in result.stderr


def test_an_incremental_update_after_signing_is_not_covered(signed, tmp_path):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    info = writer.trailer["/Info"]
    info["/Title"] = generic.TextStringObject("A different title")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    updated = tmp_path / "updated.pdf"
    updated.write_bytes(out.getvalue())
    assert updated.read_bytes().startswith(signed.read_bytes())
    result = run("verify-dossier", str(updated), "--evidence", str(signed.parent))
    assert result.exit_code == 1
    assert "  coverage: NOT the whole file: changed after signing" in result.stdout
    assert "the signature does not cover the whole file" in result.stderr


def test_a_second_signature_fails_with_or_without_trust(signed, keys, tmp_path):
    """A second signer's revision may carry a visible stamp painted over the cover: the first
    signature then no longer covers the file, which fails whether or not --trust is given."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    second = signers.SimpleSigner.load_pkcs12(str(keys / "signer.p12"), passphrase=PASSWORD.encode())
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    append_signature_field(writer, SigFieldSpec("Stamp", on_page=0, box=(50, 400, 550, 700)))
    out = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Stamp"), signer=second)
    twice = tmp_path / "twice.pdf"
    twice.write_bytes(out.getvalue())
    for trust in ((), ("--trust", str(keys / "signer.pem"))):
        result = run("verify-dossier", str(twice), "--evidence", str(signed.parent), *trust)
        assert result.exit_code == 1, result.output
        assert "  coverage: NOT the whole file: changed after signing" in result.stdout
        assert "the signature does not cover the whole file" in result.stderr


def test_trust_given_for_an_unsigned_pdf_fails(keys, tmp_path):
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(_blank_pdf())
    result = run("verify-dossier", str(plain), "--trust", str(keys / "signer.pem"))
    assert result.exit_code == 1
    assert "not signed" in result.stderr


# ------------------------------------------------------------------------------------------
# the signing key: passwords, broken files, pyHanko missing (no rendering: the key is opened first)
# ------------------------------------------------------------------------------------------
def test_wrong_password_is_a_clear_error_and_nothing_is_written(keys, tmp_path):
    target = tmp_path / "never.pdf"
    result = run("render", str(WITNESS), "--sign", str(keys / "signer.p12"), "--output", str(target),
                 env={"CASEFILE_SIGN_PASSWORD": "wrong"})
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot open {keys / 'signer.p12'}: wrong password")
    assert "Traceback" not in result.output and not target.exists()


def test_password_from_a_named_variable(keys, tmp_path):
    result = run("render", str(WITNESS), "--sign", str(keys / "signer.p12"), "--sign-password-env", "MY_P12",
                 "--output", str(tmp_path / "x.pdf"), env={"MY_P12": "wrong", "CASEFILE_SIGN_PASSWORD": PASSWORD})
    assert result.exit_code == 1 and "wrong password" in result.stderr  # MY_P12 was used, not the default
    unset = run("render", str(WITNESS), "--sign", str(keys / "signer.p12"), "--sign-password-env", "NOT_SET_X",
                "--output", str(tmp_path / "x.pdf"))
    assert unset.exit_code == 2 and "NOT_SET_X" in unset.stderr


def test_no_password_and_no_terminal_says_how_to_give_one(keys, tmp_path):
    result = run("render", str(WITNESS), "--sign", str(keys / "signer.p12"), "--output", str(tmp_path / "x.pdf"),
                 env={"CASEFILE_SIGN_PASSWORD": None})
    assert result.exit_code == 1
    assert "is protected by a password" in result.stderr and "CASEFILE_SIGN_PASSWORD" in result.stderr


def test_password_is_asked_on_a_terminal(keys, tmp_path, monkeypatch):
    import casefile.cli.group

    monkeypatch.setattr(casefile.cli.group, "_can_prompt", lambda: True)
    result = run("render", str(WITNESS), "--sign", str(keys / "signer.p12"), "--output", str(tmp_path / "x.pdf"),
                 env={"CASEFILE_SIGN_PASSWORD": None}, input="not it\n")
    assert f"Password for {keys / 'signer.p12'}" in result.stderr
    assert "not it" not in result.output  # hidden input is not echoed
    assert result.exit_code == 1 and "wrong password" in result.stderr


def test_broken_and_missing_key_files(keys, tmp_path):
    broken = run("render", str(WITNESS), "--sign", str(keys / "broken.p12"), "--output", str(tmp_path / "x.pdf"),
                 env={"CASEFILE_SIGN_PASSWORD": PASSWORD})
    assert broken.exit_code == 1
    assert "is not a PKCS#12 (.p12/.pfx) file" in broken.stderr and "Traceback" not in broken.output
    missing = run("render", str(WITNESS), "--sign", str(tmp_path / "nope.p12"))
    assert missing.exit_code == 2


def test_sign_with_html_is_a_usage_error(keys, tmp_path):
    result = run("render", str(WITNESS), "--format", "html", "--sign", str(keys / "signer.p12"),
                 "--output", str(tmp_path / "x.html"), env={"CASEFILE_SIGN_PASSWORD": PASSWORD})
    assert result.exit_code == 2
    assert "--sign needs --format pdf" in result.stderr
    assert not (tmp_path / "x.html").exists()


def test_without_pyhanko_signing_names_the_extra(keys, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyhanko", None)  # `import pyhanko` raises ImportError
    result = run("render", str(WITNESS), "--sign", str(keys / "signer.p12"), "--output", str(tmp_path / "x.pdf"),
                 env={"CASEFILE_SIGN_PASSWORD": PASSWORD})
    assert result.exit_code == 1
    assert "pip install 'casefile[sign]'" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_help_and_unsigned_checks_do_not_import_pyhanko():
    code = ("import sys; from casefile.cli import cli; from casefile.evidence import sign; "
            "from pypdf import PdfWriter; import io; w = PdfWriter(); w.add_blank_page(100, 100); "
            "b = io.BytesIO(); w.write(b); assert sign.check_signatures(b.getvalue()) == []; "
            "print(any(m == 'pyhanko' or m.startswith('pyhanko.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_signing_appends_and_keeps_the_unsigned_bytes(keys):
    """The signature is an incremental update: the unsigned (reproducible) PDF is its prefix."""
    plain = _blank_pdf()
    signed = sign.sign_pdf(plain, keys / "signer.p12", PASSWORD, location="Kyiv")
    assert signed.startswith(plain) and len(signed) > len(plain)
    [check] = sign.check_signatures(signed, [keys / "signer.pem"])
    assert check.ok and check.intact and check.valid and check.whole_file and check.trusted


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------
# packet --sign
# ------------------------------------------------------------------------------------------
def test_packet_pdfs_are_signed_and_the_manifest_matches_them(keys, tmp_path, monkeypatch):
    import casefile.cli.group

    case = tmp_path / "protected-witness"
    copy_witness(case)
    monkeypatch.setattr(casefile.cli.group, "_can_prompt", lambda: True)  # the password typed at the prompt
    result = run("packet", str(case / "case.yaml"), "--to", "icc-otp", "--sign", str(keys / "signer.p12"),
                 "--output", str(tmp_path / "out"), env={"CASEFILE_SIGN_PASSWORD": None}, input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "TEST-KHE-2024-007-icc-otp"
    pdfs = ["01-letter.pdf", "02-dossier.pdf", "TEST-KHE-2024-007-icc-otp-print.pdf"]
    for name in pdfs:
        [check] = sign.check_signatures((folder / name).read_bytes(), [keys / "signer.pem"])
        assert check.ok and check.whole_file and check.trusted, (name, check.problems)
    assert_qpdf_ok(folder / pdfs[-1])
    subprocess.run(["sha256sum", "-c", "--quiet", "manifest.sha256"], cwd=folder, check=True)
    manifest = (folder / "manifest.sha256").read_text()
    for name in pdfs:
        assert f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}\n" in manifest
    with zipfile.ZipFile(tmp_path / "out" / "TEST-KHE-2024-007-icc-otp.zip") as archive:
        assert archive.read(f"TEST-KHE-2024-007-icc-otp/{pdfs[1]}") == (folder / pdfs[1]).read_bytes()
    verified = run("verify-dossier", str(folder / "02-dossier.pdf"), "--trust", str(keys / "signer.pem"))
    assert verified.exit_code == 0, verified.output
    assert "  trust: self-signed certificate chains to the given trust root" in verified.stdout
    # the packet manifest is signed too (detached CMS), and checked beside the dossier
    assert f"signature {folder.name}/manifest.sha256.p7s: ok" in verified.stdout
    assert (folder / "manifest.sha256.p7s").is_file() and "manifest.sha256.p7s" not in manifest  # not its own
    # the detached signature is plain CMS: openssl checks it without casefile; a manifest changed
    # after signing fails both openssl and verify-dossier
    openssl = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "manifest.sha256.p7s",
               "-content", "manifest.sha256", "-CAfile", str(keys / "signer.pem"), "-purpose", "any", "-out",
               "/dev/null"]
    assert subprocess.run(openssl, cwd=folder, capture_output=True).returncode == 0
    (folder / "manifest.sha256").write_text(manifest + f"{'0' * 64}  exhibits/added.pdf\n")
    assert subprocess.run(openssl, cwd=folder, capture_output=True).returncode != 0
    checked = run("verify-dossier", str(folder / "02-dossier.pdf"))
    assert checked.exit_code == 1
    assert f"signature {folder.name}/manifest.sha256.p7s: FAILED" in checked.stdout
    assert "the signed content was changed after signing" in checked.stderr


# ------------------------------------------------------------------------------------------
# RFC 3161 timestamps (PAdES B-T) from a timestamp authority running on this machine
# ------------------------------------------------------------------------------------------
def _tsa_certificate():
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test TSA signs with RSA only
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "casefile test TSA")])
    return key, _self_signed(key, name, x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                             key_cert_sign=False)


@pytest.fixture(scope="module")
def tsa(keys):
    """A timestamp authority on 127.0.0.1 (pyHanko's test TSA behind the standard library's HTTP
    server): (its URL, its certificate's PEM file, the number of requests it answered)."""
    import asyncio
    import http.server
    import threading

    from asn1crypto import tsp
    from cryptography.hazmat.primitives import serialization
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
    from pyhanko.sign.timestamps import DummyTimeStamper

    key, cert = _tsa_certificate()
    stamper = DummyTimeStamper(tsa_cert=translate_pyca_cryptography_cert_to_asn1(cert),
                               tsa_key=translate_pyca_cryptography_key_to_asn1(key))
    answered = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            answered.append(1)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    pem = keys / "tsa.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    yield f"http://127.0.0.1:{server.server_address[1]}/", pem, answered
    server.shutdown()
    server.server_close()


def test_a_timestamped_signature_verifies_offline(keys, tsa, tmp_path):
    url, tsa_pem, answered = tsa
    target = tmp_path / "stamped.pdf"
    result = run("render", str(WITNESS), "--sign", str(keys / "signer.p12"), "--timestamp-url", url,
                 "--output", str(target), env={"CASEFILE_SIGN_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert answered  # the authority was asked, and only for the signing
    asked = len(answered)
    checked = run("verify-dossier", str(target), "--evidence", str(WITNESS.parent),
                  "--trust", str(keys / "signer.pem"), "--trust", str(tsa_pem))
    assert checked.exit_code == 0, checked.output
    line = next(line for line in checked.stdout.splitlines() if line.startswith("  timestamp: "))
    assert line.endswith("by Common Name: casefile test TSA (RFC 3161; valid, chains to the given trust root)")
    assert len(answered) == asked  # verification asks no one
    # without the authority's certificate among the trust roots the timestamp is not trusted
    untrusted = run("verify-dossier", str(target), "--evidence", str(WITNESS.parent),
                    "--trust", str(keys / "signer.pem"))
    assert untrusted.exit_code == 1
    assert "the timestamp authority does not chain to the given trust root" in untrusted.stderr


def test_an_unreachable_timestamp_authority_is_a_clear_error(keys, tmp_path):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    signer = sign.load_signer(keys / "signer.p12", PASSWORD, timestamp_url=url)
    with pytest.raises(sign.SignError) as info:
        sign.sign_pdf(_blank_pdf(), signer)
    assert info.value.message.startswith(f"timestamp authority {url}: no answer")
    target = tmp_path / "never.pdf"
    bad = run("render", str(WITNESS), "--sign", str(keys / "signer.p12"), "--timestamp-url", "file:///etc/passwd",
              "--output", str(target), env={"CASEFILE_SIGN_PASSWORD": PASSWORD})
    assert bad.exit_code == 2 and "an http:// or https:// URL is needed" in bad.stderr
    assert not target.exists()
