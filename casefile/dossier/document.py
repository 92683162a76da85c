"""A dossier, as bytes, for one edition: checked, laid out, scanned.

The one path from a validated case to the bytes of its dossier, shared by `render`, packets
and `build`: the evidence files are checked against their digests; exhibit images are
prepared (re-encoded, or left out or blurred where they show a hidden person); the view is
built and laid out as HTML; for an edition that hides someone the HTML, then the PDF, are
scanned for hidden names before anything is returned.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from casefile.case.catalog import Catalog
from casefile.case.localize import localize
from casefile.case.model import Case
from casefile.core.errors import CheckFailed
from casefile.dossier import html as dossier_html
from casefile.dossier.pdf import html_to_pdf, seal_attachments
from casefile.dossier.view import DossierView, Provenance, SealInput, build_view
from casefile.evidence import exhibits, integrity
from casefile.protection import policy
from casefile.protection.policy import Disclosure
from casefile.protection.scan import refuse


def output_name(case: Case, fmt: str, edition: str, language: str | None = None) -> str:
    """The file name of a dossier: CASE-ID.pdf, CASE-ID.public.pdf, CASE-ID.public.uk.html."""
    suffix = "" if edition == "internal" else f".{edition}"
    if language and language != case.language:  # another language than the case's: its own file
        suffix += f".{language}"
    return f"{case.id}{suffix}.{fmt}"


def render_dossier(case_path: Path, case: Case, raw: bytes | None, catalog: Catalog, *, disclosure: Disclosure,
                   format: str = "pdf", allow_unverified: bool = False, use_cache: bool = True,
                   user_templates: Path | None = None, draft: bool = False, provenance: Provenance | None = None,
                   language: str | None = None, pdf_variant: str | None = None,
                   evidence_layout: str = "auto", packet_files: Sequence[tuple[str, str]] | None = None,
                   left_out: Sequence[str] = (), carries: tuple[str, ...] | None = None,
                   stage: Callable[[str], None] | None = None) -> tuple[bytes, DossierView]:
    """The dossier of a validated case for one edition, as bytes, and the view it was built from.
    Checks evidence digests first and, for any edition that hides someone, scans the result.
    `language`: the dossier's language instead of the case's; `packet_files`, `left_out`: for a
    packet's dossier, the files the packet carries ((path in the packet, sha256)) and the ids of
    the evidence it leaves out, so that its seal verifies in the packet folder; `carries`: the
    parts of the case a body's edition carries (its catalog entry's `carries:`); `stage(what)`
    is told what is being done (a progress line)."""
    stage = stage or (lambda what: None)
    root = case_path.parent
    case = localize(case, language or case.language).case  # the case text in the dossier's language
    stage(f"checking {len(case.evidence):,} evidence item(s)")
    failed = [c for c in integrity.check_evidence(case, root, use_cache=use_cache) if c.problem]
    if failed and not allow_unverified:
        raise CheckFailed("evidence files do not match the case: " + "; ".join(c.describe() for c in failed),
                          "run `casefile verify` for details and `casefile hash` to record digests, "
                          "or pass --allow-unverified to mark every page 'evidence not verified'")
    withheld = {e.id for e in case.evidence if disclosure.withholds(e)}
    depicts_withheld, blur = policy.images(case, disclosure)
    images = exhibits.prepare(case, root, strip_metadata=disclosure.hides_protected,
                              withheld=withheld | depicts_withheld, blur=blur)
    # an edition that hides someone must not carry the unredacted case file
    attach_case = not disclosure.hides_protected
    seal = SealInput(case_file=(case_path.name, hashlib.sha256(raw).hexdigest()) if raw is not None else None,
                     files=tuple(packet_files) if packet_files is not None else None, left_out=tuple(left_out))
    stage("building the HTML")
    view = build_view(case, catalog, mode=format, base_dir=root, disclosure=disclosure, images=images,
                      unverified=bool(failed), attach_case=attach_case and raw is not None, draft=draft,
                      provenance=provenance, language=language, evidence_layout=evidence_layout,
                      depicts_withheld=depicts_withheld, seal=seal, carries=carries)
    html = dossier_html.render_html(view, user_dir=user_templates)  # through the module: it may be replaced
    scanner = policy.scanner(case, disclosure, user_templates) if disclosure.hides_protected else None
    if scanner:  # the page text of the PDF is this HTML's: scanned here, before layout
        refuse(scanner.html(html, "the HTML"), view.edition.label)
    if format == "html":
        data = html.encode("utf-8")
    else:
        stage("laying out the PDF")
        attachments = seal_attachments(view.manifest.text, case_path.name, raw if attach_case else None)
        # PDF/A-3b, PDF/UA-1: pdf.PDF_VARIANTS
        variant: dict[str, Any] = {"pdf_variant": pdf_variant} if pdf_variant else {}
        data = html_to_pdf(html, created=view.doc.created_at, base_dir=root, images=images, attachments=attachments,
                           **variant)
        if scanner:
            stage("scanning the PDF for hidden names")
            refuse(scanner.pdf(data, "the PDF"), view.edition.label)
    return data, view
