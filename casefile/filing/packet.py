"""Submission packets: one folder per filing body, ready to upload or print.

    <CASE>-<BODY>/
      01-letter.pdf            cover letter addressed to the body, in the filing's language
      02-dossier.pdf           the dossier edition this body may receive
      03-checklist.txt         the body's requirements: met / missing / warning, with reasons
      exhibits/...             the evidence files this body may receive (digests checked)
      <CASE>-<BODY>-print.pdf  letter, dossier, a slip sheet per exhibit, PDF exhibits merged in,
                               photos full page; every page stamped <CASE>-<BODY>-000123
      manifest.sha256          sha256sum of every file above
    <CASE>-<BODY>.zip          the folder, for upload

The folder is built next to its destination under a temporary name and renamed into place,
so a failed or interrupted build leaves the previous packet as it was.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2

from casefile.core.paths import resolve_inside
from casefile.evidence import exhibits, integrity
from casefile.case.catalog import Body, Catalog
from casefile.core.errors import CasefileError, CheckFailed
from casefile.case.model import Case, Filing
from casefile.filing.requirements import Requirement, check_body
from casefile.core import languages
from casefile.core.i18n import N_, translator
from casefile.dossier.view import NS, Disclosure, Formatter, People, _label, build_date

LETTER_CSS = "letters/letter.css"
EXHIBIT_KIND_PHOTO = exhibits.PHOTO_KINDS


@dataclass
class Exhibit:
    id: str
    title: str
    kind: str
    source: Path
    name: str  # path inside the packet: exhibits/<file name>
    sha256: str
    pdf: bool
    image: exhibits.ExhibitImage | None
    reviewed: bool = False  # included on the strength of a person's reading (reviewed_for)


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


def filing_for(case: Case, body_id: str) -> Filing:
    for filing in case.filings:
        if filing.body == body_id:
            return filing
    return Filing(body=body_id)  # a packet for a body the case does not list yet: no disclosure


def disclosure_for(filing: Filing, body: Body) -> Disclosure:
    return Disclosure.for_filing(filing, f"for {body.short}")


def build(case_path: Path, case: Case, document_raw: bytes | None, body: Body, catalog: Catalog, *,
          out_dir: Path, draft: bool = False, allow_unverified: bool = False, use_cache: bool = True,
          user_templates: Path | None = None, signer=None, provenance: object = None) -> PacketResult:
    from casefile.dossier.document import render_dossier

    filing = filing_for(case, body.id)
    checklist = check_body(case, filing, body, catalog)
    missing = [r for r in checklist if r.status == "missing"]
    if missing and not draft:
        raise CheckFailed(f"the packet for {body.id} is missing required content: "
                          + "; ".join(f"{r.key}: {r.text}" for r in missing),
                          f"complete the case, or pass --draft to build a packet marked DRAFT "
                          f"(`casefile check {case_path} --for {body.id}` lists everything)")
    root = case_path.parent
    disclosure = disclosure_for(filing, body)
    language = filing.language or body.languages[0]
    # the body's dossier edition is in the filing's `language:` when it is a dossier language
    dossier_lang = languages.written(filing.language) or case.language
    # the letter names people in its own language ("Victime 1"), the dossier in its own
    people = People(case, disclosure, languages.written(language) or dossier_lang)

    # the dossier edition for this body (checks evidence digests and scans for leaks itself)
    dossier, view = render_dossier(case_path, case, document_raw, catalog, disclosure=disclosure,
                                   allow_unverified=allow_unverified, use_cache=use_cache,
                                   user_templates=user_templates, draft=draft, language=dossier_lang,
                                   provenance=provenance)

    from casefile.protection import policy
    from casefile.protection.scan import refuse as refuse_leaks

    # every file of the packet is scanned for the names this body may not receive, before
    # anything is written (the dossier was, in render_dossier_bytes)
    scanner = policy.scanner(case, disclosure, user_templates)
    chosen, left_out = _exhibits(case, root, disclosure, body.id)
    letter = _letter_pdf(case, body, filing, language, people, disclosure, chosen, view, draft, user_templates,
                         catalog, scanner)
    slips = _slips_pdf(case, chosen, view, draft, user_templates, people, scanner) if chosen else None

    name = f"{case.id}-{body.id}"
    files: dict[str, bytes] = {"01-letter.pdf": letter, "02-dossier.pdf": dossier}
    checklist_text = _checklist_text(case, body, filing, language, checklist, chosen, left_out, draft)
    files["03-checklist.txt"] = checklist_text.encode("utf-8")
    print_pdf, pages = _print_ready(name, letter, dossier, slips, chosen, draft, view)
    files[f"{name}-print.pdf"] = print_pdf
    label = f"packet for {body.id}"
    refuse_leaks(scanner.text(checklist_text, "the checklist") + scanner.pdf(print_pdf, "the print-ready PDF")
                 + scanner.texts((f"the name of {e.id}'s exhibit", e.name) for e in chosen), label)
    if signer is not None:
        # after the print-ready PDF is merged from the unsigned parts (a merge would break a
        # signature) and before the manifest is computed, so the manifest lists the signed files
        from casefile.evidence.sign import sign_pdf

        for relative in ("01-letter.pdf", "02-dossier.pdf", f"{name}-print.pdf"):
            files[relative] = sign_pdf(files[relative], signer)

    folder = out_dir / name
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=out_dir))
    except (OSError, ValueError) as exc:
        from casefile.core.output import output_error

        raise output_error(out_dir, exc) from None
    try:
        for relative, data in files.items():
            (staging / relative).write_bytes(data)
        if chosen:
            (staging / "exhibits").mkdir()
        for exhibit in chosen:
            _copy_checked(exhibit, staging / exhibit.name)
        manifest = "".join(f"{integrity.sha256_file(staging / rel)}  {rel}\n" for rel in _packet_files(staging))
        refuse_leaks(scanner.text(manifest, "the manifest") + scanner.text(name, "the packet's name"), label)
        (staging / "manifest.sha256").write_text(manifest, encoding="utf-8")
        archive = _zip(staging, out_dir, name, build_date(case))
        _swap_into_place(staging, folder)
    except OSError as exc:  # a full disk, a folder that cannot be replaced: one line, nothing half-written
        shutil.rmtree(staging, ignore_errors=True)
        from casefile.core.output import output_error

        raise output_error(folder, exc) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return PacketResult(body.id, folder, archive, checklist, [e.id for e in chosen], left_out, pages, draft)


# ------------------------------------------------------------------------------------------
# what goes in
# ------------------------------------------------------------------------------------------
def _exhibits(case: Case, root: Path, disclosure: Disclosure, body_id: str) -> tuple[list[Exhibit], list[str]]:
    """The evidence files this body may receive, and why the others are left out. A file goes
    in when it is not confidential (or in `include`), shows no person hidden from the body
    (`depicts`), and its content, as far as casefile can read it (`protection.extract`: text in
    any encoding, documents, archives, e-mails, image and media metadata), names no one hidden
    from the body; a file casefile cannot read reliably, or that seems to name someone, goes in
    only when the case says a person reviewed it for this body (`reviewed_for`)."""
    from pathlib import PurePosixPath

    from casefile.protection import policy
    from casefile.protection.scan import Scanner

    hidden = {p.id for p in policy.hidden(case, disclosure)}
    withheld = {e.id for e in case.evidence if disclosure.withholds(e)}
    images = exhibits.prepare(case, root, strip_metadata=True, withheld=withheld)
    chosen, left_out, used_names = [], [], set()
    for item in case.evidence:
        if not item.file:
            continue
        if item.id in withheld:
            left_out.append(f"{item.id}: confidential, not in this filing's include")
            continue
        depicted = policy.depicted_hidden(case, item, disclosure)
        if depicted:
            left_out.append(f"{item.id}: it shows {', '.join(pid for pid, _ in depicted)}, whom this body may not know")
            continue
        source = resolve_inside(root, item.file)
        if source is None or not source.is_file():
            left_out.append(f"{item.id}: file not found")
            continue
        reviewed = body_id in item.reviewed_for
        named, unreadable = _findings(source, policy.protected(case)) if hidden else (frozenset(), ())
        if named & hidden and not reviewed:
            left_out.append(f"{item.id}: its content names {', '.join(sorted(named & hidden))}, "
                            "whom this body may not know (reviewed_for overrides this after a reading)")
            continue
        if unreadable and not reviewed:
            left_out.append(f"{item.id}: casefile cannot read all of it ({unreadable[0].where}: "
                            f"{unreadable[0].reason}); add {body_id} to its reviewed_for once a person has read it")
            continue
        # the name as written in the case (never a symlink target's); a name that names
        # someone hidden from the body becomes the item's id
        written = PurePosixPath(item.file.replace("\\", "/")).name
        if hidden and Scanner(policy.index(case, disclosure)).text(written, "file name"):
            suffix = PurePosixPath(written).suffix
            written = item.id + (suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,5}", suffix) else "")
        base = written if written.startswith(item.id) else f"{item.id}-{written}"
        while base in used_names:
            base = f"{item.id}-{base}"
        used_names.add(base)
        with open(source, "rb") as fh:
            is_pdf = fh.read(5) == b"%PDF-"
        chosen.append(Exhibit(item.id, item.title, item.kind, source, f"exhibits/{base}",
                              item.sha256 or "", is_pdf, images.get(item.id), reviewed))
    return chosen, left_out


def _findings(source: Path, protected: list) -> tuple[frozenset[str], tuple]:
    """(ids of the protected persons the file names, the parts casefile cannot read): read once
    per file for every packet of a run (`packet --all`), not once per body."""
    from casefile.protection.policy import named

    stat = source.stat()
    return _read_exhibit(str(source), stat.st_size, stat.st_mtime_ns, stat.st_ino,
                         tuple(named(p) for p in protected))


@lru_cache(maxsize=256)
def _read_exhibit(path: str, size: int, mtime_ns: int, inode: int, persons: tuple) -> tuple[frozenset[str], tuple]:
    # in memory for this process only: a file's content changed since is caught by the digest
    # check of the copy; nothing here is stored where a received folder could forge it
    from casefile.protection.names import cached
    from casefile.protection.scan import Scanner

    leaks, unreadable = Scanner(cached(persons)).file(Path(path))
    return frozenset(leak.person for leak in leaks), tuple(unreadable)


def _copy_checked(exhibit: Exhibit, target: Path) -> None:
    """Copy in chunks and check the copy's digest against the recorded one."""
    digest = hashlib.sha256()
    with open(exhibit.source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(integrity.CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    if exhibit.sha256 and digest.hexdigest() != exhibit.sha256:
        raise CheckFailed(f"{exhibit.id}: the copy of {exhibit.source.name} does not match its recorded digest")


def _packet_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.name != "manifest.sha256")


def _zip(folder: Path, out_dir: Path, name: str, stamp) -> Path:
    """A reproducible zip: sorted entries, fixed dates and permissions."""
    target = out_dir / f"{name}.zip"
    buffer = io.BytesIO()
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative in [*_packet_files(folder), "manifest.sha256"]:
            info = zipfile.ZipInfo(f"{name}/{relative}", date_time=date_time)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (folder / relative).read_bytes())
    from casefile.core.output import write_atomic

    return write_atomic(target, buffer.getvalue())


def _swap_into_place(staging: Path, folder: Path) -> None:
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        os.replace(folder, old)
    os.replace(staging, folder)
    os.chmod(folder, 0o755)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# ------------------------------------------------------------------------------------------
# the documents
# ------------------------------------------------------------------------------------------
def _letter_pdf(case: Case, body: Body, filing: Filing, language: str, people: People, disclosure: Disclosure,
                chosen: list[Exhibit], view, draft: bool, user_templates: Path | None,
                catalog: Catalog, scanner) -> bytes:
    from casefile.core import text
    from casefile.dossier.html import environment, read_asset

    fmt = Formatter(language)
    tr = translator(language)

    def resolve(ident: str):
        if ident in people:
            return people.label(ident), None
        return ident, None

    location = case.incident.location
    place = ", ".join(x for x in (location.place if location else None, location.region if location else None,
                                  fmt.country(location.country).rsplit(" (", 1)[0]
                                  if location and location.country else None) if x)
    hidden = sum(1 for _, p in case.persons() if p.protected and not disclosure.may_name(p))
    protected = sum(1 for _, p in case.persons() if p.protected)
    disclosure_note = None
    if protected:
        disclosure_note = " ".join((
            tr.ngettext("%(num)s person in this case is protected.", "%(num)s persons in this case are protected.",
                        protected) % {"num": protected},
            tr.gettext("Identities withheld from this body, for lack of consent to share them, and shown by "
                       "pseudonym: %(num)s.") % {"num": hidden} if hidden else
            tr.gettext("Their identities are shared with this body with their consent."),
            tr.gettext("Please do not disclose identities beyond the purpose of this submission.")))
    enclosures = [tr.gettext("Dossier %(id)s (%(title)s)") % {"id": case.id,
                                                               "title": view.doc.title.split(" — ", 1)[-1]},
                  tr.gettext("Checklist of this body's requirements"), tr.gettext("Manifest of the packet (SHA-256)")]
    enclosures += [tr.gettext("Exhibit %(id)s: %(title)s (%(file)s)")
                   % {"id": e.id, "title": text.plain(e.title, resolve), "file": e.name} for e in chosen]
    respondent = state_name(filing.respondent, language) if filing.respondent else None
    letter = NS(
        kind=body.kind,
        body=NS(id=body.id, name=body.name, short=body.short,
                 address_lines=(body.address or body.name).splitlines()[1:] if body.address and
                 body.address.splitlines()[0].strip() == body.name else (body.address or "").splitlines(),
                 channels=[NS(type=c.type, label=c.label, value=c.value) for c in body.channels]),
        sender=NS(name=case.prepared.by, contact=case.prepared.contact),
        date_label=fmt.date(filing.date or case.prepared.date),
        reference=f"{case.id}-{body.id}",
        case=NS(id=case.id, title=text.plain(case.title, resolve), classification_label=view.case.classification_label),
        incident=NS(date_label=fmt.date(case.incident.date), place=place, conflict_label=view.incident.conflict_label),
        summary_html=text.render_block(case.summary, resolve),
        victims=[people.label(v.id) for v in case.incident.victims],
        victims_count=sum(v.count for v in case.incident.victims),
        allegations=[NS(id=a.id, title=text.plain(a.title, resolve),
                         provisions=[catalog.provisions[p.id].label_in(language)
                                     for p in view_provisions(a, view)]) for a in case.allegations],
        evidence_count=len(case.evidence), exhibits_count=len(chosen),
        first_hand_evidence=any(e.kind in ("testimony", "statement", "forensic-report", "document")
                                for e in case.evidence),
        respondent_name=respondent,
        domestic_references=[f"{a.reference} ({a.by}, {fmt.date(a.date)})" for a in case.actions if a.reference],
        # the catalog's confidentiality notes are advice to the sender, not text for the body
        enclosures=enclosures, disclosure_note=disclosure_note, confidentiality=None,
    )
    env = environment(user_templates, language)  # the letter speaks its own language
    template = letter_template(env, body.id)
    html = template.render(lang=language, css=read_asset(LETTER_CSS, user_templates),
                           font_css=read_asset("css/fonts.css", user_templates), generator=view.generator,
                           draft=draft, letter=letter)
    return _scanned_pdf(html, view, scanner, "the letter")


def _scanned_pdf(html: str, view, scanner, what: str, images=None) -> bytes:
    """A PDF of the HTML, after the HTML and then the PDF were scanned for hidden names."""
    from casefile.dossier.pdf import html_to_pdf
    from casefile.protection.scan import refuse as refuse_leaks

    refuse_leaks(scanner.html(html, what), f"packet ({what})")
    data = html_to_pdf(html, view=view, base_dir=None, images=images)
    refuse_leaks(scanner.pdf(data, what), f"packet ({what})")
    return data


def letter_template(env: jinja2.Environment, body_id: str) -> jinja2.Template:
    """The body's own letter (`letters/<body id>.html.j2`), or the default one for a body that
    has none. A template that is broken is an error, never a quietly different letter."""
    name = f"letters/{body_id}.html.j2"
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound as exc:
        if exc.name != name:  # the body's template includes one that is missing: not a fallback
            raise CasefileError(f"letter template {name}: template '{exc.name}' not found") from None
        return env.get_template("letters/default.html.j2")
    except jinja2.TemplateSyntaxError as exc:
        raise CasefileError(f"letter template {exc.filename or name}:{exc.lineno}: {exc.message}") from None


# The formal names of the States a complaint is most often brought against, in every language
# casefile writes (the Court's own usage); any other State is named by Babel in the language.
FORMAL_STATE_NAMES = {"RU": N_("Russian Federation"), "UA": N_("Ukraine"), "BY": N_("Republic of Belarus")}


def state_name(code: str, language: str) -> str:
    """A State's name in the letter's language: 'RU' -> 'Fédération de Russie' in French."""
    if code in FORMAL_STATE_NAMES:
        return translator(language).gettext(FORMAL_STATE_NAMES[code])
    from babel import Locale

    return str(Locale.parse(languages.babel_locale(language)).territories.get(code, code))


def view_provisions(allegation, view):
    for a in view.allegations:
        if a.id == allegation.id:
            return a.provisions
    return []


def _slips_pdf(case: Case, chosen: list[Exhibit], view, draft: bool, user_templates: Path | None,
               people: People, scanner) -> bytes:
    """One slip sheet per exhibit, followed (for photos) by the photo on its own page."""
    from casefile.core import text
    from casefile.dossier.html import environment, read_asset
    from casefile.dossier.view import digest_groups

    def resolve(ident: str):
        return (people.label(ident), None) if ident in people else (ident, None)

    tr = translator(view.lang)  # the slips speak the language of the dossier they go with
    slips = [NS(id=e.id, title=text.plain(e.title, resolve), kind=_label(e.kind, tr), file=e.name,
                 digest_groups=digest_groups(e.sha256), pdf=e.pdf,
                 image=e.image.url if e.image else None) for e in chosen]
    html = environment(user_templates, view.lang).get_template("packet/slips.html.j2").render(
        css=read_asset("packet/slips.css", user_templates), font_css=read_asset("css/fonts.css", user_templates),
        case_id=case.id, slips=slips, draft=draft, lang=view.lang)
    images = {e.id: e.image for e in chosen if e.image}
    return _scanned_pdf(html, view, scanner, "the slip sheets", images)


def _print_ready(name: str, letter: bytes, dossier: bytes, slips: bytes | None, chosen: list[Exhibit],
                 draft: bool, view) -> tuple[bytes, int]:
    from pypdf import PdfReader, PdfWriter

    from casefile.filing.stamp import stamp_pages

    writer = PdfWriter()
    marks: list[tuple[str, int]] = []

    def add(data: bytes, title: str) -> None:
        marks.append((title, len(writer.pages)))
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)

    add(letter, "Cover letter")
    add(dossier, "Dossier")
    if slips is not None:
        slip_reader = PdfReader(io.BytesIO(slips))
        cursor = 0
        for exhibit in chosen:
            marks.append((f"Exhibit {exhibit.id}", len(writer.pages)))
            count = 2 if exhibit.image is not None else 1
            for index in range(cursor, cursor + count):
                writer.add_page(slip_reader.pages[index])
            cursor += count
            if exhibit.pdf:
                try:
                    writer.append(PdfReader(exhibit.source), import_outline=False)
                except Exception as exc:  # a broken PDF exhibit: the slip sheet says where the file is
                    raise CasefileError(f"{exhibit.id}: cannot merge {exhibit.source.name} ({exc})") from None
    for title, page in marks:
        writer.add_outline_item(title=title, page_number=page)
    stamp_pages(writer, name, draft=draft)
    writer.add_metadata({"/Title": f"{name} — submission packet", "/Creator": view.generator,
                         "/Producer": view.generator, "/CreationDate": _pdf_date(view.doc.created),
                         "/ModDate": _pdf_date(view.doc.created)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def _pdf_date(iso: str) -> str:
    from datetime import datetime

    stamp = datetime.fromisoformat(iso)
    return stamp.strftime("D:%Y%m%d%H%M%S+00'00'")


def _checklist_text(case: Case, body: Body, filing: Filing, language: str, checklist: list[Requirement],
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
                  out_dir: Path, keep_going: bool, provenance: object = None, on_result=None,
                  **options: object) -> list[PacketResult]:
    """A packet per body. With `keep_going` (`packet --all`), a body whose packet fails does not
    stop the others: each packet built goes to `on_result` as it is done, and `CheckFailed`
    names the failed ones at the end."""
    built, failed = [], []
    for body in bodies:
        try:
            result = build(case_path, case, document_raw, body, catalog, out_dir=out_dir, provenance=provenance,
                           **options)  # type: ignore[arg-type]
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
