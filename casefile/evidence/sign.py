"""PAdES signatures on dossiers and packets, with pyHanko (an optional dependency).

Signing is PAdES baseline B-B: a CMS signature (ETSI.CAdES.detached, SHA-256) over the
whole PDF, added as an incremental update with an invisible field `casefile-signature`.
Nothing is fetched: no timestamp server, no OCSP or CRL. The signature carries the time of
signing, so a signed PDF is not byte-reproducible (the unsigned bytes before it are).

Checking (`check_signatures`) reports per signature: the signer, the claimed signing time,
whether the signed bytes are intact, whether the signature verifies against the signer's
certificate, whether it covers the whole file (nothing appended after signing), and, when
trust roots are given, whether the certificate chains to one of them.

pyHanko is imported only here, and only when signing or checking a signed PDF: it costs
start-up time every other command should not pay.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from casefile.core.errors import CasefileError, UsageError

if TYPE_CHECKING:  # pyHanko is optional and imported only when used (see above)
    from asn1crypto.x509 import Certificate
    from pyhanko.sign.signers import Signer as CMSSigner

FIELD_NAME = "casefile-signature"
INSTALL_HINT = "install it with: pip install 'casefile[sign]'"
# a signer certificate may carry either usage; pyHanko's default asks for non-repudiation only
KEY_USAGES = {"digital_signature", "non_repudiation"}
# pyHanko's AdES sub-indications, in words
TRUST_PROBLEMS = {
    "NO_CERTIFICATE_CHAIN_FOUND": "no chain of certificates leads to it",
    "CHAIN_CONSTRAINTS_FAILURE": "no valid chain of certificates leads to it",
    "OUT_OF_BOUNDS_NO_POE": "a certificate is expired or not yet valid now",
    "OUT_OF_BOUNDS_NOT_REVOKED": "a certificate is expired or not yet valid now",
    "EXPIRED": "a certificate is expired",
    "NOT_YET_VALID": "a certificate is not yet valid",
    "REVOKED": "a certificate is revoked",
    "REVOKED_NO_POE": "a certificate is revoked",
    "SIG_CONSTRAINTS_FAILURE": "the certificate is not allowed to sign documents (key usage)",
    "CRYPTO_CONSTRAINTS_FAILURE": "an algorithm or key size is too weak",
}


class SignError(CasefileError):
    """The signing key or a trust root cannot be used (exit 1)."""


class PasswordNeeded(SignError):
    """The PKCS#12 file is encrypted and no password (or a wrong one) was given."""


def _read(path: Path, what: str) -> bytes:
    """A key or certificate file's bytes; a missing file is a usage error (exit 2)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{what} not found: {path}") from None
    except OSError as exc:
        raise SignError(f"cannot read {what} {path}: {exc.strerror or exc}") from None


def _require_pyhanko(what: str) -> None:
    try:
        import pyhanko  # noqa: F401
    except ImportError:
        raise SignError(f"{what} needs pyHanko, which is not installed", INSTALL_HINT) from None
    _quiet_logs()


def _quiet_logs() -> None:
    """pyHanko logs every failed trust path with a traceback; casefile reports results itself."""
    import logging

    for name in ("pyhanko", "pyhanko_certvalidator"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
        logger.propagate = False


@dataclass
class Signer:
    """A loaded signing key: the PKCS#12 file decrypted, ready to sign many PDFs."""

    path: Path
    subject: str
    reason: str | None = None
    location: str | None = None
    timestamp_url: str | None = None  # an RFC 3161 authority: signatures become PAdES B-T
    _signer: CMSSigner | None = field(default=None, repr=False)  # set by `load_signer`


def load_signer(p12_path: str | Path, password: str | bytes | None = None, *,
                reason: str | None = None, location: str | None = None, timestamp_url: str | None = None) -> Signer:
    """Read and decrypt a PKCS#12 (.p12/.pfx) file. A missing file is a usage error (exit 2);
    a file that is not PKCS#12, a wrong password or a file without a key is `SignError`."""
    _require_pyhanko("signing")
    from asn1crypto import pkcs12 as asn1_pkcs12
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    path = Path(p12_path)
    data = _read(path, "signing key")
    try:  # the outer structure is readable without the password
        asn1_pkcs12.Pfx.load(data).native  # noqa: B018 (parses eagerly)
    except Exception:
        raise SignError(f"{path} is not a PKCS#12 (.p12/.pfx) file or is damaged",
                        "export the certificate with its private key as PKCS#12") from None
    secret = password.encode("utf-8") if isinstance(password, str) else password
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, secret)
    except Exception:
        if secret is None:
            raise PasswordNeeded(f"{path} is protected by a password",
                                 "set CASEFILE_SIGN_PASSWORD (or the variable named by --sign-password-env), "
                                 "or run on a terminal to be asked") from None
        raise PasswordNeeded(f"cannot open {path}: wrong password (or a damaged file)",
                             "check the password in CASEFILE_SIGN_PASSWORD or the variable named by "
                             "--sign-password-env") from None
    if key is None or cert is None:
        raise SignError(f"{path} holds no private key with its certificate",
                        "export the certificate together with its private key")
    try:
        asn1_cert = translate_pyca_cryptography_cert_to_asn1(cert)
        store = SimpleCertificateStore()  # type: ignore[no-untyped-call]  # its __init__ is not annotated
        store.register_multiple(translate_pyca_cryptography_cert_to_asn1(c) for c in extra)
        signer = SimpleSigner(signing_key=translate_pyca_cryptography_key_to_asn1(key),
                              signing_cert=asn1_cert, cert_registry=store)
    except Exception as exc:
        raise SignError(f"{path}: cannot use this key for signing ({exc})") from None
    if timestamp_url is not None and not timestamp_url.startswith(("http://", "https://")):
        raise UsageError(f"timestamp authority {timestamp_url!r}: an http:// or https:// URL is needed")
    return Signer(path, asn1_cert.subject.human_friendly, reason, location, timestamp_url, signer)


def sign_pdf(pdf_bytes: bytes, p12_path: str | Path | Signer, password: str | bytes | None = None, *,
             reason: str | None = None, location: str | None = None) -> bytes:
    """The PDF with a PAdES B-B signature over all of it, appended as an incremental update.
    `p12_path` may be an already loaded `Signer` (then `password`, `reason`, `location` come from it)."""
    signer = p12_path if isinstance(p12_path, Signer) else load_signer(p12_path, password, reason=reason,
                                                                       location=location)
    if signer._signer is None:
        raise SignError(f"{signer.path}: the signing key is not loaded", "load it with `load_signer`")
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256",
                                        subfilter=SigSeedSubFilter.PADES, reason=signer.reason,
                                        location=signer.location, signer_key_usage=KEY_USAGES)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
        stamper = _timestamper(signer.timestamp_url) if signer.timestamp_url else None
        out: io.BytesIO = signers.sign_pdf(writer, meta, signer=signer._signer,  # a BytesIO: no output given
                                           timestamper=stamper)
    except SignError:
        raise
    except Exception as exc:
        raise SignError(f"signing with {signer.path} failed: {type(exc).__name__}: {exc}") from None
    return out.getvalue()


def _timestamper(url: str) -> Any:
    """An RFC 3161 client over the standard library's HTTP (pyHanko's own needs aiohttp). The
    only network request casefile makes, and only to the authority the user names."""
    import asyncio
    import urllib.request

    from asn1crypto import tsp
    from pyhanko.sign.timestamps.api import TimeStamper

    class UrllibTimeStamper(TimeStamper):
        async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
            def post() -> bytes:
                # the scheme is checked (http or https) when the key is loaded
                request = urllib.request.Request(url, data=req.dump(), method="POST",  # noqa: S310
                                                 headers={"Content-Type": "application/timestamp-query"})
                with urllib.request.urlopen(request, timeout=TIMESTAMP_TIMEOUT) as response:  # noqa: S310
                    body: bytes = response.read(1 << 20)
                    return body

            try:
                return tsp.TimeStampResp.load(await asyncio.to_thread(post))
            except OSError as exc:
                raise SignError(f"timestamp authority {url}: no answer ({exc})",
                                "check the URL and the network, or sign without --timestamp-url") from None

    return UrllibTimeStamper()  # type: ignore[no-untyped-call]  # TimeStamper.__init__ is unannotated


TIMESTAMP_TIMEOUT = 20  # seconds


def sign_detached(data: bytes, signer: Signer) -> bytes:
    """A detached CMS (PKCS#7) signature of `data`, DER-encoded, SHA-256, with the signer's
    certificate in it: what a packet signs its manifest.sha256 with (manifest.sha256.p7s).
    Any CMS tool checks it, e.g. `openssl cms -verify -binary -inform DER -in
    manifest.sha256.p7s -content manifest.sha256 -CAfile SENDER.pem`."""
    import asyncio

    if signer._signer is None:
        raise SignError(f"{signer.path}: the signing key is not loaded", "load it with `load_signer`")
    try:
        stamper = _timestamper(signer.timestamp_url) if signer.timestamp_url else None
        info = asyncio.run(signer._signer.async_sign_general_data(data, "sha256", detached=True,
                                                                  timestamper=stamper))
    except SignError:
        raise
    except Exception as exc:
        raise SignError(f"signing with {signer.path} failed: {type(exc).__name__}: {exc}") from None
    signature: bytes = info.dump()
    return signature


# ------------------------------------------------------------------------------------------
# checking
# ------------------------------------------------------------------------------------------
class SignatureDict(TypedDict):
    """A signature's check as plain data, for JSON."""

    field: str
    ok: bool
    signer: str | None
    signing_time: str | None
    intact: bool
    valid: bool
    whole_file: bool
    self_signed: bool
    trusted: bool | None
    problems: list[str]


@dataclass
class SignatureResult:
    """What `check_signatures` found about one signature."""

    field: str
    signer: str | None = None
    signing_time: str | None = None  # ISO 8601, as the signer claims it (no timestamp authority)
    intact: bool = False             # the signed bytes hash to the digest that was signed
    valid: bool = False              # the signature verifies with the signer's certificate
    whole_file: bool = False         # covers the whole file: nothing was added after signing
    self_signed: bool = False
    trusted: bool | None = None      # None: no trust root given
    trust_detail: str | None = None
    error: str | None = None         # the signature could not be checked at all
    timestamp: str | None = None     # RFC 3161 time (ISO 8601), when the signature carries a token
    timestamp_by: str | None = None  # the timestamp authority
    timestamp_valid: bool | None = None
    timestamp_trusted: bool | None = None  # None: no trust root given

    @property
    def problems(self) -> list[str]:
        if self.error:
            return [self.error]
        found = []
        if not self.intact:
            found.append("the signed content was changed after signing (its digest does not match)")
        elif not self.valid:
            found.append("the signature does not verify against the signer's certificate")
        if not self.whole_file:
            found.append("the signature does not cover the whole file: something was added after signing "
                         "(a later revision or another signature; a dossier is signed once)")
        if self.trusted is False:
            found.append("the certificate does not chain to the given trust root"
                         + (f" ({self.trust_detail})" if self.trust_detail else ""))
        if self.timestamp_valid is False:
            found.append("the timestamp token does not verify")
        elif self.timestamp_trusted is False:
            found.append("the timestamp authority does not chain to the given trust root")
        return found

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> list[str]:
        """Lines for a person: the verdict, the signer, and what was (not) checked."""
        head = f"signature {self.field}: " + ("ok" if self.ok else "FAILED")
        if self.error:
            return [f"{head}: {self.error}"]
        lines = [head]
        lines.append(f"  signed by: {self.signer}")
        if self.timestamp:
            lines.append(f"  timestamp: {self.timestamp} by {self.timestamp_by} (RFC 3161; "
                         + ("valid" if self.timestamp_valid else "INVALID")
                         + {None: ", not checked against a trust root", True: ", chains to the given trust root",
                            False: ", does NOT chain to the given trust root"}[self.timestamp_trusted] + ")")
        else:
            claimed = f"{self.signing_time} (claimed by the signer, no timestamp)" if self.signing_time else None
            lines.append(f"  signing time: {claimed or 'not stated (no timestamp)'}")
        lines.append("  content: " + ("intact" if self.intact else "ALTERED after signing"))
        if self.intact:
            lines.append("  signature: " + ("valid" if self.valid else "INVALID"))
        lines.append("  coverage: " + ("the whole file" if self.whole_file else
                                       "NOT the whole file: changed after signing"))
        kind = "self-signed certificate" if self.self_signed else "certificate"
        if self.trusted is None:
            lines.append(f"  trust: {kind}, not checked against a trust root (pass --trust CERT.pem)")
        elif self.trusted:
            lines.append(f"  trust: {kind} chains to the given trust root")
        else:
            lines.append(f"  trust: {kind} does NOT chain to the given trust root"
                         + (f" ({self.trust_detail})" if self.trust_detail else ""))
        return lines

    def as_dict(self) -> SignatureDict:
        return {"field": self.field, "ok": self.ok, "signer": self.signer, "signing_time": self.signing_time,
                "intact": self.intact, "valid": self.valid, "whole_file": self.whole_file,
                "self_signed": self.self_signed, "trusted": self.trusted, "problems": self.problems}


def has_signatures(pdf_bytes: bytes) -> bool:
    """A cheap test without pyHanko: does the file contain a signature dictionary?"""
    return b"/ByteRange" in pdf_bytes and (b"/Sig" in pdf_bytes or b"/DocTimeStamp" in pdf_bytes)


def load_trust_roots(paths: Iterable[str | Path]) -> list[Certificate]:
    """Certificates (PEM, possibly several in one file, or DER) to check signers against."""
    _require_pyhanko("checking signatures")
    from asn1crypto import pem, x509

    roots: list[Certificate] = []
    for raw in paths:
        path = Path(raw)
        data = _read(path, "trust root")
        try:
            blobs = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
            found = [x509.Certificate.load(der) for der in blobs]
            for cert in found:
                cert.native  # noqa: B018 (parses eagerly)
        except Exception:
            raise SignError(f"{path} is not a certificate (PEM or DER)") from None
        if not found:
            raise SignError(f"{path} holds no certificate")
        roots.extend(found)
    return roots


def check_signatures(pdf_bytes: bytes,
                     trust: Sequence[Certificate | str | Path] | None = None) -> list[SignatureResult]:
    """Check every signature of a PDF; an empty list when it has none. `trust`: certificates
    (from `load_trust_roots`) or paths; without it, trust is reported as not checked."""
    if not has_signatures(pdf_bytes):
        return []
    _require_pyhanko("checking the signature of a signed PDF")
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    if trust and not all(hasattr(t, "subject") for t in trust):
        trust = load_trust_roots(trust)
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception as exc:
        return [SignatureResult("?", error=f"the PDF's signatures cannot be read ({_one_line(exc)})")]
    usage = KeyUsageConstraints(key_usage=KEY_USAGES, match_all_key_usages=False)
    results = []
    for sig in embedded:
        name = sig.field_name or "?"
        # no trust roots at all unless given: never the system store, never the network
        context = ValidationContext(trust_roots=list(trust or []), allow_fetching=False,
                                    revocation_mode="soft-fail")
        try:
            # Any byte after the signed range fails (see SignatureResult.problems), whatever it
            # holds, so pyHanko's analysis of what a later revision changed is not needed: it
            # took 27-45 s on a dossier changed after signing.
            status = validate_pdf_signature(sig, context, ts_validation_context=context, key_usage_settings=usage,
                                            skip_diff=True)
        except Exception as exc:
            results.append(SignatureResult(name, error=f"cannot be checked ({_one_line(exc)})"))
            continue
        result = _result_of(name, status, status.coverage == SignatureCoverageLevel.ENTIRE_FILE, bool(trust))
        _timestamp_of(status, result, bool(trust))
        if result.trusted is False and status.trust_problem_indic is not None:
            indication: str = status.trust_problem_indic.standard_name  # the enum member's name
            result.trust_detail = TRUST_PROBLEMS.get(indication, indication.lower().replace("_", " "))
        results.append(result)
    return results


def _timestamp_of(status: Any, result: SignatureResult, trust_given: bool) -> None:
    """The RFC 3161 token of a signature (PAdES B-T), as pyHanko checked it."""
    stamp = getattr(status, "timestamp_validity", None)
    if stamp is None:
        return
    result.timestamp = _utc(stamp.timestamp)
    result.timestamp_by = stamp.signing_cert.subject.human_friendly
    result.timestamp_valid = bool(stamp.intact and stamp.valid)
    if trust_given:
        result.timestamp_trusted = bool(stamp.trusted)


def check_detached(data: bytes, signature: bytes, name: str,
                   trust: Sequence[Certificate] | None = None) -> SignatureResult:
    """Check a detached CMS signature (`sign_detached`) of `data`; `name`: the signature file's
    name, for the report. A detached signature covers its file whole by construction."""
    _require_pyhanko("checking a detached signature")
    import asyncio

    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    try:
        signed_data = cms.ContentInfo.load(signature)["content"]
        context = ValidationContext(trust_roots=list(trust or []), allow_fetching=False, revocation_mode="soft-fail")
        usage = KeyUsageConstraints(key_usage=KEY_USAGES, match_all_key_usages=False)
        status = asyncio.run(async_validate_detached_cms(data, signed_data, context, key_usage_settings=usage))
    except Exception as exc:
        return SignatureResult(name, error=f"cannot be checked ({_one_line(exc)})")
    return _result_of(name, status, True, bool(trust))  # a detached signature covers its file whole


def _result_of(name: str, status: Any, whole_file: bool, trust_given: bool) -> SignatureResult:
    """What pyHanko's status of one signature (embedded in a PDF, or detached) says, for a person."""
    cert = status.signing_cert
    when = status.signer_reported_dt
    return SignatureResult(name, signer=cert.subject.human_friendly,
                           signing_time=_utc(when) if isinstance(when, datetime) else None,
                           intact=bool(status.intact), valid=bool(status.valid), whole_file=whole_file,
                           self_signed=bool(cert.self_issued), trusted=bool(status.trusted) if trust_given else None)


def _utc(when: datetime) -> str:
    """ISO 8601 in UTC, with Z."""
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _one_line(exc: Exception) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
