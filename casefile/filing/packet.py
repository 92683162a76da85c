"""Submission packets: one folder per filing body, ready to upload or print.

    <CASE>-<BODY>/
      01-letter.pdf            cover letter addressed to the body, in the filing's language
      02-dossier.pdf           the dossier edition this body may receive
      exhibits/...             the evidence files this body may receive (digests checked)
      <CASE>-<BODY>-print.pdf  letter, dossier, a slip sheet per exhibit, PDF exhibits merged in,
                               photos full page; every page stamped <CASE>-<BODY>-000123
      manifest.sha256          sha256sum of every file above
    <CASE>-<BODY>.zip          the folder, for upload
    <CASE>-<BODY>.checklist.txt  for the sender, never sent: the body's requirements (met /
                               missing / warning, with reasons), the exhibits and those left out

The folder is built next to its destination under a temporary name and renamed into place,
so a failed or interrupted build leaves the previous packet as it was.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casefile.case.catalog import Body, Catalog
from casefile.case.model import Case, Filing
from casefile.core import languages
from casefile.core.errors import CasefileError, CheckFailed
from casefile.core.output import write_atomic
from casefile.dossier.view import Disclosure, DossierView, People, build_date
from casefile.evidence import integrity
from casefile.evidence.seal import MANIFEST_SIGNATURE
from casefile.filing.contents import Exhibit, choose_exhibits, copy_checked
from casefile.filing.documents import print_ready, scanned_pdf, slips_pdf
from casefile.filing.letters import Enclosed, build_letter_view, render_letter_html
from casefile.filing.requirements import Requirement, check_body
from casefile.protection import policy
from casefile.protection.scan import Scanner, refuse

if TYPE_CHECKING:
    from casefile.dossier.view import Provenance
    from casefile.evidence.sign import Signer


@dataclass
class PacketResult:
    body: str
    folder: Path
    archive: Path
    checklist: list[Requirement]
    exhibits: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # "E3: confidential, not in include"
    pages: int = 0
    draft: bool = False
    checklist_file: Path | None = None  # beside the packet, for the sender: not part of what is sent


def filing_for(case: Case, body_id: str) -> Filing:
    for filing in case.filings:
        if filing.body == body_id:
            return filing
    return Filing(body=body_id)  # a packet for a body the case does not list yet: no disclosure


def disclosure_for(filing: Filing, body: Body) -> Disclosure:
    return Disclosure.for_filing(filing, f"for {body.short}")


def build(case_path: Path, case: Case, document_raw: bytes | None, body: Body, catalog: Catalog, *,
          out_dir: Path, draft: bool = False, allow_unverified: bool = False, use_cache: bool = True,
          user_templates: Path | None = None, signer: Signer | None = None,
          provenance: Provenance | None = None) -> PacketResult:
    """The packet of `case` for `body`, written to `out_dir`/<CASE>-<BODY> and its zip."""
    from casefile.dossier.document import render_dossier

    filing = filing_for(case, body.id)
    checklist = _checklist(case_path, case, filing, body, catalog, draft)
    disclosure = disclosure_for(filing, body)
    language = languages.packet_language(filing.language, case.language, body.languages)
    # the body's dossier edition (checks evidence digests and scans for leaks itself), in the
    # packet's language when casefile writes dossiers in it
    chosen, left_out = choose_exhibits(case, case_path.parent, disclosure, body.id)
    # its seal lists the packet's own files (exhibits/...) and names what the packet leaves out,
    # so that verify-dossier run in the packet folder checks what the receiver got
    dossier, view = render_dossier(case_path, case, document_raw, catalog, disclosure=disclosure,
                                   allow_unverified=allow_unverified, use_cache=use_cache,
                                   user_templates=user_templates, draft=draft,
                                   language=languages.written(language) or case.language,
                                   provenance=provenance, packet_files=[(e.name, e.sha256) for e in chosen],
                                   left_out=[line.split(":", 1)[0] for line in left_out], carries=body.carries)
    # every file of the packet is scanned for the names this body may not receive, before
    # anything is written
    scanner = policy.scanner(case, disclosure, user_templates)
    letter = _letter_pdf(case, body, filing, catalog, view, chosen, scanner, language=language,
                         disclosure=disclosure, draft=draft, user_templates=user_templates)
    people = People(case, disclosure, view.lang)
    slips = slips_pdf(case, chosen, view, people, scanner, draft=draft,
                      user_templates=user_templates) if chosen else None
    name = f"{case.id}-{body.id}"
    checklist_text = _checklist_text(case, body, language, checklist, chosen, left_out, draft)
    print_pdf, pages = print_ready(name, letter, dossier, slips, chosen, draft=draft, generator=view.generator,
                                   seal=view.manifest.text,
                                   created=view.doc.created)
    refuse(scanner.text(checklist_text, "the checklist") + scanner.pdf(print_pdf, "the print-ready PDF")
           + scanner.texts((f"the name of {e.id}'s exhibit", e.name) for e in chosen), f"packet for {body.id}")
    # the checklist is the sender's working note (what the body requires, what was left out and
    # why): it stays beside the packet, never in what is sent
    files = {"01-letter.pdf": letter, "02-dossier.pdf": dossier, f"{name}-print.pdf": print_pdf}
    if signer is not None:
        # after the print-ready PDF is merged from the unsigned parts (a merge would break a
        # signature) and before the manifest is computed, so the manifest lists the signed files
        from casefile.evidence.sign import sign_pdf

        for relative in ("01-letter.pdf", "02-dossier.pdf", f"{name}-print.pdf"):
            files[relative] = sign_pdf(files[relative], signer)
    sign_manifest = None
    if signer is not None:
        from casefile.evidence.sign import sign_detached

        def sign_manifest(data: bytes) -> bytes:
            return sign_detached(data, signer)

    folder, archive = _write_packet(out_dir, name, files, chosen, scanner, build_date(case), sign_manifest)
    checklist_file = out_dir / f"{name}.checklist.txt"
    write_atomic(checklist_file, checklist_text.encode("utf-8"))
    return PacketResult(body.id, folder, archive, checklist, [e.id for e in chosen], left_out, pages, draft,
                        checklist_file)


def _checklist(case_path: Path, case: Case, filing: Filing, body: Body, catalog: Catalog,
               draft: bool) -> list[Requirement]:
    """The body's requirements checked; a missing one stops a packet that is not a draft."""
    checklist = check_body(case, filing, body, catalog)
    missing = [r for r in checklist if r.status == "missing"]
    if missing and not draft:
        raise CheckFailed(f"the packet for {body.id} is missing required content: "
                          + "; ".join(f"{r.key}: {r.text}" for r in missing),
                          f"complete the case, or pass --draft to build a packet marked DRAFT "
                          f"(`casefile check {case_path} --for {body.id}` lists everything)")
    return checklist


def _letter_pdf(case: Case, body: Body, filing: Filing, catalog: Catalog, view: DossierView, chosen: list[Exhibit],
                scanner: Scanner, *, language: str, disclosure: Disclosure, draft: bool,
                user_templates: Path | None) -> bytes:
    letter = build_letter_view(case, body, filing, catalog, language=language, disclosure=disclosure,
                               dossier_title=view.doc.title, classification_label=view.case.classification_label,
                               conflict_label=view.incident.conflict_label,
                               enclosed=[Enclosed(e.id, e.title, e.name) for e in chosen])
    html = render_letter_html(letter, body.id, language=language, generator=view.generator, draft=draft,
                              user_templates=user_templates)
    return scanned_pdf(html, view.doc.created_at, scanner, "the letter")


def _write_packet(out_dir: Path, name: str, files: dict[str, bytes], chosen: list[Exhibit], scanner: Scanner,
                  stamp: datetime, sign_manifest: Callable[[bytes], bytes] | None = None) -> tuple[Path, Path]:
    """The packet folder and its zip, built under a temporary name and renamed into place.
    `sign_manifest`: makes the detached signature of manifest.sha256 (manifest.sha256.p7s)."""
    from casefile.core.output import output_error

    folder = out_dir / name
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=out_dir))
    except (OSError, ValueError) as exc:
        raise output_error(out_dir, exc) from None
    try:
        for relative, data in files.items():
            (staging / relative).write_bytes(data)
        if chosen:
            (staging / "exhibits").mkdir()
        for exhibit in chosen:
            copy_checked(exhibit, staging / exhibit.name)
        manifest = "".join(f"{integrity.sha256_file(staging / rel)}  {rel}\n" for rel in _packet_files(staging))
        refuse(scanner.text(manifest, "the manifest") + scanner.text(name, "the packet's name"), f"packet {name}")
        (staging / "manifest.sha256").write_text(manifest, encoding="utf-8")
        if sign_manifest is not None:
            (staging / MANIFEST_SIGNATURE).write_bytes(sign_manifest(manifest.encode("utf-8")))
        archive = _zip(staging, out_dir, name, stamp)
        _swap_into_place(staging, folder)
    except OSError as exc:  # a full disk, a folder that cannot be replaced: one line, nothing half-written
        shutil.rmtree(staging, ignore_errors=True)
        raise output_error(folder, exc) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder, archive


def _packet_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.name not in ("manifest.sha256", MANIFEST_SIGNATURE))


def _zip(folder: Path, out_dir: Path, name: str, stamp: datetime) -> Path:
    """A reproducible zip: sorted entries, fixed dates and permissions."""
    target = out_dir / f"{name}.zip"
    buffer = io.BytesIO()
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        signed = [MANIFEST_SIGNATURE] if (folder / MANIFEST_SIGNATURE).is_file() else []
        for relative in [*_packet_files(folder), "manifest.sha256", *signed]:
            info = zipfile.ZipInfo(f"{name}/{relative}", date_time=date_time)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (folder / relative).read_bytes())
    return write_atomic(target, buffer.getvalue())


def _swap_into_place(staging: Path, folder: Path) -> None:
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        os.replace(folder, old)
    os.replace(staging, folder)
    os.chmod(folder, 0o755)  # noqa: S103 - a folder the user reads, as mkdir makes it without mkdtemp's 0o700
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _checklist_text(case: Case, body: Body, language: str, checklist: list[Requirement],
                    chosen: list[Exhibit], left_out: list[str], draft: bool) -> str:
    lines = [f"Submission packet {case.id}-{body.id}" + (" (DRAFT)" if draft else ""),
             f"To: {body.name}", f"Kind: {body.kind}", f"Language: {languages.name(language)}", "",
             "Requirements:"]
    lines += [f"  {r.line()}" for r in checklist]
    lines += ["", "Exhibits included:"] + ([f"  {e.id}  {e.name}  sha256 {e.sha256}" for e in chosen] or ["  none"])
    if left_out:
        lines += ["", "Left out of this packet:"] + [f"  {x}" for x in left_out]
    if body.notes:
        lines += ["", "Notes on this body:"] + [f"  - {n}" for n in body.notes]
    return "\n".join(lines) + "\n"


def build_packets(case_path: Path, case: Case, document_raw: bytes | None, bodies: list[Body], catalog: Catalog, *,
                  out_dir: Path, keep_going: bool, provenance: Provenance | None = None,
                  on_result: Callable[[PacketResult], Any] | None = None, draft: bool = False,
                  allow_unverified: bool = False, use_cache: bool = True, user_templates: Path | None = None,
                  signer: Signer | None = None,
                  on_start: Callable[[str, int, int], Any] | None = None) -> list[PacketResult]:
    """A packet per body. With `keep_going` (`packet --all`), a body whose packet fails does not
    stop the others: each packet built goes to `on_result` as it is done, and `CheckFailed`
    names the failed ones at the end. `on_start(body id, number, count)` before each."""
    built: list[PacketResult] = []
    failed: list[tuple[str, CasefileError]] = []
    for number, body in enumerate(bodies, start=1):
        if on_start is not None:
            on_start(body.id, number, len(bodies))
        try:
            result = build(case_path, case, document_raw, body, catalog, out_dir=out_dir, draft=draft,
                           allow_unverified=allow_unverified, use_cache=use_cache, user_templates=user_templates,
                           signer=signer, provenance=provenance)
        except CasefileError as exc:
            if not keep_going:
                raise
            failed.append((body.id, exc))
            continue
        built.append(result)
        if on_result is not None:
            on_result(result)
    if failed:
        raise CheckFailed(f"{len(failed)} of {len(bodies)} packet(s) failed: "
                          + "; ".join(f"{body}: {exc.message}" for body, exc in failed),
                          "the other packets were built; fix these and run again")
    return built
