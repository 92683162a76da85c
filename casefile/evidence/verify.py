"""What a receiver checks: a sealed dossier against its manifest, and its signatures.

`verify_dossier` reads the manifest a PDF dossier carries, checks that the digest printed on
its cover is the manifest's, checks the evidence files (in a folder) against it, and checks
every signature (intact, valid, covering the whole file, and chaining to a trust root when
one is given).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.core.errors import CheckFailed
from casefile.core.paths import resolve_inside

if TYPE_CHECKING:
    from casefile.evidence.sign import SignatureResult


@dataclass
class DossierCheck:
    """What `verify-dossier` found: the sealed manifest and each file it lists."""

    manifest_digest: str | None
    cover_matches: bool | None  # the digest printed on the cover equals the attachment's
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (status, path, detail)
    problems: list[str] = field(default_factory=list)
    signatures: list[SignatureResult] = field(default_factory=list)  # when signed

    @property
    def ok(self) -> bool:
        return (not self.problems and all(status == "ok" for status, _, _ in self.items)
                and all(s.ok for s in self.signatures))


def verify_dossier(dossier: str | Path, evidence_dir: str | Path | None = None, *,
                   trust: list[str | Path] | None = None) -> DossierCheck:
    """Check a sealed PDF dossier (see `_verify_sealed`) and, when it is signed, every signature:
    intact, valid, covering the whole file, and chaining to one of `trust` (certificate files) if given."""
    from casefile.evidence import sign

    dossier = Path(dossier)
    try:
        data = dossier.read_bytes()
    except OSError as exc:
        raise CheckFailed(f"{dossier}: cannot read ({exc.strerror or exc})") from None
    roots = sign.load_trust_roots(trust) if trust else None
    signatures = sign.check_signatures(data, roots)
    try:
        result = _verify_sealed(dossier, evidence_dir)
    except CheckFailed as exc:
        if not signatures:
            raise
        result = DossierCheck(None, None, problems=[exc.message])
    result.signatures = signatures
    for check in signatures:
        result.problems += [f"signature {check.field}: {problem}" for problem in check.problems]
    if trust and not signatures:
        result.problems.append(f"{dossier}: not signed, so it cannot chain to the trust root given with --trust")
    return result


def _verify_sealed(dossier: str | Path, evidence_dir: str | Path | None = None) -> DossierCheck:
    """Check a sealed PDF dossier: its manifest attachment, the digest printed on its cover,
    and the evidence files (in `evidence_dir`, default the dossier's folder) against the manifest."""
    import hashlib
    import re

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from casefile.evidence import integrity

    dossier = Path(dossier)
    root = Path(evidence_dir) if evidence_dir else dossier.parent
    try:
        reader = PdfReader(dossier)
        attachments = reader.attachments
        cover = reader.pages[0].extract_text() if reader.pages else ""
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise CheckFailed(f"{dossier}: not a readable PDF ({exc})") from None
    if "manifest.sha256" not in attachments:
        return DossierCheck(None, None, problems=[f"{dossier}: no manifest.sha256 attachment: not a sealed dossier"])
    manifest_bytes = attachments["manifest.sha256"][0]
    digest = hashlib.sha256(manifest_bytes).hexdigest()
    printed = " ".join(re.findall(r"\b[0-9a-f]{8}\b", cover))  # the cover prints digests in groups of 8
    printed_ok = " ".join(digest[i:i + 8] for i in range(0, 64, 8)) in printed
    result = DossierCheck(digest, printed_ok)
    if not printed_ok:
        result.problems.append("the manifest digest printed on the cover does not match the attached manifest")
    try:
        entries = integrity.parse_manifest(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        result.problems.append(f"manifest.sha256: {exc}")
        return result
    actual = integrity.digests(root, [path for _, path in entries if resolve_inside(root, path)],
                               use_cache=False)
    for expected, path in entries:
        found = actual.get(path) if resolve_inside(root, path) else None
        if resolve_inside(root, path) is None:
            result.items.append(("refused", path, "path leaves the evidence folder"))
        elif found is None:
            result.items.append(("missing", path, f"not found under {root}"))
        elif found != expected:
            result.items.append(("mismatch", path, f"expected {expected}, found {found}"))
        else:
            result.items.append(("ok", path, expected))
    return result
