"""What a receiver checks: a sealed dossier against its manifest, and its signatures.

`verify_dossier` reads the manifest a PDF dossier carries, checks that the digest printed on
its cover is the manifest's, checks the evidence files (in a folder) against it, and checks
every signature (intact, valid, covering the whole file, and chaining to a trust root when
one is given).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casefile.core.errors import CheckFailed
from casefile.core.paths import resolve_inside

if TYPE_CHECKING:
    from asn1crypto.x509 import Certificate

    from casefile.evidence.sign import SignatureResult


@dataclass
class DossierCheck:
    """What `verify-dossier` found: the sealed manifest, each file it lists, and what vouches
    for the PDF file itself (a signature, or a digest recorded outside it)."""

    manifest_digest: str | None
    cover_matches: bool | None  # the digest printed on the cover equals the attachment's
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (status, path, detail)
    problems: list[str] = field(default_factory=list)
    signatures: list[SignatureResult] = field(default_factory=list)  # when signed
    file_digest: str | None = None  # SHA-256 of the PDF file
    file_check: str | None = None  # how the PDF file itself was checked, for a person
    packet_check: str | None = None  # the packet's manifest against the submission record
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (not self.problems and all(status in ("ok", "left out", "not checked") for status, _, _ in self.items)
                and all(s.ok for s in self.signatures))


NOT_CHECKED = ("not checked: the PDF is not signed and no digest of it was given, so a change inside it "
               "(a page removed, an image altered, the manifest and cover replaced together) cannot be seen "
               "from the file alone")
NOT_CHECKED_HINT = ("check it against a digest recorded elsewhere: --expect SHA256 (from the packet's "
                    "manifest.sha256 or the case's submission record), or run it in the packet folder")


def verify_dossier(dossier: str | Path, evidence_dir: str | Path | None = None, *,
                   trust: list[str | Path] | None = None, expect: str | None = None,
                   recorded_manifest: tuple[str, str] | None = None, with_evidence: bool = True) -> DossierCheck:
    """Check a sealed PDF dossier (see `_verify_sealed`), then the PDF file itself: its
    signatures when it is signed (intact, valid, covering the whole file, chaining to one of
    `trust` if given), and its SHA-256 against `expect` or, in a packet folder, against the
    packet's manifest.sha256. An unsigned PDF checked against no digest is reported as such.
    `recorded_manifest`: (SHA-256, where it was recorded) of the packet's manifest.sha256 as
    sent (a case's submission record): the manifest beside the dossier must have it.
    `with_evidence=False`: the dossier was received alone; its evidence files are listed as not
    checked (everything else is checked as usual)."""
    import hashlib

    from casefile.evidence import sign

    dossier = Path(dossier)
    try:
        data = dossier.read_bytes()
    except OSError as exc:
        raise CheckFailed(f"{dossier}: cannot read ({exc.strerror or exc})") from None
    roots = sign.load_trust_roots(trust) if trust else None
    signatures = sign.check_signatures(data, roots)
    try:
        result = _verify_sealed(dossier, evidence_dir, with_evidence=with_evidence)
    except CheckFailed as exc:
        if not signatures:
            raise
        result = DossierCheck(None, None, problems=[exc.message])
    beside = _Beside.of(dossier)
    packet_signature = _packet_manifest_signature(beside, roots)
    result.signatures = signatures + ([packet_signature] if packet_signature else [])
    result.file_digest = hashlib.sha256(data).hexdigest()
    for check in result.signatures:
        result.problems += [f"signature {check.field}: {problem}" for problem in check.problems]
    if trust and not signatures and not packet_signature:
        result.problems.append(f"{dossier}: not signed, so it cannot chain to the trust root given with --trust")
    if recorded_manifest is not None:
        _check_packet_manifest(result, dossier, beside, *recorded_manifest)
    _check_file(result, dossier, beside, expect)
    return result


@dataclass(frozen=True)
class _Beside:
    """What a packet folder holds beside the dossier, read once: the folder's name, its
    manifest.sha256 and the manifest's detached signature (None where there is none)."""

    folder: str
    manifest: bytes | None
    signature: bytes | None

    @classmethod
    def of(cls, dossier: Path) -> _Beside:
        from casefile.evidence.seal import MANIFEST_SIGNATURE

        folder = dossier.resolve().parent

        def read(name: str) -> bytes | None:
            try:
                return (folder / name).read_bytes()
            except OSError:
                return None

        return cls(folder.name, read("manifest.sha256"), read(MANIFEST_SIGNATURE))


def _check_packet_manifest(result: DossierCheck, dossier: Path, beside: _Beside, recorded: str, where: str) -> None:
    import hashlib

    if beside.manifest is None:
        result.packet_check = f"MISSING: no manifest.sha256 beside {dossier.name} to compare with {where}"
        result.problems.append(f"{dossier.name} is not in a packet folder (no manifest.sha256 beside it)")
        return
    found = hashlib.sha256(beside.manifest).hexdigest()
    if found == recorded:
        result.packet_check = f"ok: manifest.sha256 is the one sent ({where})"
    else:
        result.packet_check = f"MISMATCH: manifest.sha256 has SHA-256 {found}, not {recorded} ({where})"
        result.problems.append(f"the packet's manifest.sha256 is not the one recorded as sent ({where})")


def _check_file(result: DossierCheck, dossier: Path, beside: _Beside, expect: str | None) -> None:
    """How the PDF file itself is vouched for: the digest given, the packet's manifest beside
    it, its signature; else say plainly that it was not checked."""
    recorded: list[tuple[str, str]] = []  # (digest, where it was recorded)
    if expect is not None:
        recorded.append((expect.strip().lower(), "the digest given with --expect"))
    listed = _packet_manifest_entry(dossier, beside)
    if listed is not None:
        recorded.append((listed, f"the packet's {beside.folder}/manifest.sha256"))
    for digest, where in recorded:
        if digest == result.file_digest:
            result.file_check = f"ok: its SHA-256 matches {where}"
        else:
            result.file_check = f"MISMATCH: its SHA-256 {result.file_digest} is not {digest}, from {where}"
            result.problems.append(f"{dossier.name}: the file is not the one recorded in {where}")
            return
    if recorded:
        return
    if result.signatures:
        whole = all(s.whole_file for s in result.signatures if not s.error)
        result.file_check = ("ok: its signature covers the whole file" if whole else
                             "NOT covered by its signature (see below)")
        return
    result.file_check = "NOT CHECKED: unsigned, and no digest of it recorded elsewhere was given (see the warning)"
    result.warnings.append(f"{dossier.name}: {NOT_CHECKED}; {NOT_CHECKED_HINT}")


def _packet_manifest_signature(beside: _Beside, roots: list[Certificate] | None) -> SignatureResult | None:
    """The check of the detached signature of the packet manifest beside the dossier (a packet
    built with --sign), or None when there is none."""
    from casefile.evidence import sign
    from casefile.evidence.seal import MANIFEST_SIGNATURE

    if beside.signature is None or beside.manifest is None:
        return None
    return sign.check_detached(beside.manifest, beside.signature, f"{beside.folder}/{MANIFEST_SIGNATURE}", roots)


def _packet_manifest_entry(dossier: Path, beside: _Beside) -> str | None:
    """The digest the packet manifest beside the dossier records for it (a packet lists every
    file it holds), or None."""
    from casefile.evidence.seal import parse_seal

    if beside.manifest is None:
        return None
    try:
        files = dict(parse_seal(beside.manifest.decode("utf-8")).files)
    except (UnicodeDecodeError, ValueError):
        return None
    return files.get(dossier.name)


COVER_PAGES = 12  # a print-ready PDF opens with its cover letter: the dossier's cover comes after it


def _printed_on_cover(reader: Any, digest: str) -> bool:
    """Whether the dossier's cover prints `digest`: the first page, or in a packet's print-ready
    PDF the first page after the cover letter (within the first COVER_PAGES)."""
    import re

    for page in reader.pages[:COVER_PAGES]:
        # the cover prints the digest in groups, maybe across lines: the groups are joined again
        if digest in re.sub(r"(?<=[0-9a-f])\s+(?=[0-9a-f])", "", page.extract_text()):
            return True
    return False


def _verify_sealed(dossier: str | Path, evidence_dir: str | Path | None = None, *,
                   with_evidence: bool = True) -> DossierCheck:
    """Check a sealed PDF dossier: its manifest attachment (the seal, evidence/seal.py), the
    digest printed on its cover, the case file it carries, and the files (in `evidence_dir`,
    default the dossier's folder) against the seal."""
    import hashlib

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from casefile.evidence import integrity
    from casefile.evidence.seal import parse_seal

    dossier = Path(dossier)
    root = Path(evidence_dir) if evidence_dir else dossier.parent
    try:
        reader = PdfReader(dossier)
        attachments = reader.attachments
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise CheckFailed(f"{dossier}: not a readable PDF ({exc})") from None
    if "manifest.sha256" not in attachments:
        return DossierCheck(None, None, problems=[f"{dossier}: no manifest.sha256 attachment: not a sealed dossier"])
    manifest_bytes = attachments["manifest.sha256"][0]
    digest = hashlib.sha256(manifest_bytes).hexdigest()
    printed_ok = _printed_on_cover(reader, digest)
    result = DossierCheck(digest, printed_ok)
    if not printed_ok:
        result.problems.append("the manifest digest printed on the cover does not match the attached manifest")
    try:
        seal = parse_seal(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        result.problems.append(f"manifest.sha256: {exc}")
        return result
    if seal.case_file is not None:
        name, expected = seal.case_file
        carried = attachments.get(name)
        found = hashlib.sha256(carried[0]).hexdigest() if carried else None
        if found is None:
            result.items.append(("missing", f"{name} (case file)", "not attached to the PDF"))
        elif found != expected:
            result.items.append(("mismatch", f"{name} (case file)", f"expected {expected}, attached {found}"))
        else:
            result.items.append(("ok", f"{name} (case file, attached)", expected))
    if not with_evidence:
        result.items += [("not checked", path, "the dossier was checked without its evidence files")
                         for path, _ in seal.files]
        result.items += [("left out", ident, "not in this packet") for ident in seal.left_out]
        return result
    paths = [path for path, _ in seal.files]
    actual = integrity.digests(root, [p for p in paths if resolve_inside(root, p)], use_cache=False)
    for path, expected in seal.files:
        found = actual.get(path) if resolve_inside(root, path) else None
        if resolve_inside(root, path) is None:
            result.items.append(("refused", path, "path leaves the evidence folder"))
        elif found is None:
            result.items.append(("missing", path, f"not found under {root}"))
        elif found != expected:
            result.items.append(("mismatch", path, f"expected {expected}, found {found}"))
        else:
            result.items.append(("ok", path, expected))
    for ident in seal.left_out:
        result.items.append(("left out", ident, "not in this packet"))
    return result
