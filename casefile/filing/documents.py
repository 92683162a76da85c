"""The PDFs a packet adds to the dossier: the cover letter, the slip sheets, the print-ready file.

Every one is scanned for the names the body may not receive, as HTML and again as PDF, before
it is returned. The print-ready PDF merges the letter, the dossier, a slip sheet per exhibit
(followed by the photo, for photos), and PDF exhibits; every page is stamped
`<CASE>-<BODY>-000123` (stamp.py).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from casefile.case.model import Case
from casefile.core.errors import CasefileError
from casefile.core.i18n import translator
from casefile.dossier.view import DossierView, People, _label, digest_groups
from casefile.dossier.view.mentions import Mentions
from casefile.evidence.exhibits import ExhibitImage
from casefile.filing.contents import Exhibit
from casefile.protection.scan import Scanner, refuse


def scanned_pdf(html: str, created: datetime, scanner: Scanner, what: str,
                images: Mapping[str, ExhibitImage] | None = None) -> bytes:
    """A PDF of the HTML, after the HTML and then the PDF were scanned for hidden names."""
    from casefile.dossier.pdf import html_to_pdf

    refuse(scanner.html(html, what), f"packet ({what})")
    data = html_to_pdf(html, created=created, base_dir=None, images=images)
    refuse(scanner.pdf(data, what), f"packet ({what})")
    return data


def slips_pdf(case: Case, chosen: list[Exhibit], view: DossierView, people: People, scanner: Scanner, *,
              draft: bool, user_templates: Path | None) -> bytes:
    """One slip sheet per exhibit, followed (for photos) by the photo on its own page, in the
    language of the dossier they go with."""
    from casefile.dossier.html import environment, read_asset

    mentions = Mentions(case, people, people.disclosure, links=False)
    tr = translator(view.lang)
    slips = [_Slip(e.id, mentions.plain(e.title) or "", _label(e.kind, tr), e.name, digest_groups(e.sha256), e.pdf,
                   e.image.url if e.image else None) for e in chosen]
    html = environment(user_templates, view.lang).get_template("packet/slips.html.j2").render(
        css=read_asset("packet/slips.css", user_templates), font_css=read_asset("css/fonts.css", user_templates),
        case_id=case.id, slips=slips, draft=draft, lang=view.lang)
    images = {e.id: e.image for e in chosen if e.image}
    return scanned_pdf(html, view.doc.created_at, scanner, "the slip sheets", images)


@dataclass(frozen=True)
class _Slip:
    """What the slip-sheet template reads of one exhibit."""

    id: str
    title: str
    kind: str
    file: str
    digest_groups: tuple[str, ...] | None
    pdf: bool
    image: str | None


def print_ready(name: str, letter: bytes, dossier: bytes, slips: bytes | None, chosen: list[Exhibit], *,
                draft: bool, generator: str, created: str, seal: str | None = None) -> tuple[bytes, int]:
    """The one PDF to print, and its number of pages. `seal`: the dossier's manifest.sha256,
    attached here too, so that `verify-dossier` checks the print-ready PDF as it checks the
    dossier (the dossier's cover, with the seal's digest, is inside it)."""
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
                except Exception as exc:  # a broken PDF exhibit: one line naming it, not a traceback
                    raise CasefileError(f"{exhibit.id}: cannot merge {exhibit.source.name} ({exc})") from None
    for title, page in marks:
        writer.add_outline_item(title=title, page_number=page)
    stamp_pages(writer, name, draft=draft)
    if seal is not None:
        writer.add_attachment("manifest.sha256", seal.encode("utf-8"))
    writer.add_metadata({"/Title": f"{name} — submission packet", "/Creator": generator,
                         "/Producer": generator, "/CreationDate": pdf_date(created), "/ModDate": pdf_date(created)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def pdf_date(iso: str) -> str:
    """An ISO 8601 UTC time as a PDF date: D:20250130120000+00'00'."""
    return datetime.fromisoformat(iso).strftime("D:%Y%m%d%H%M%S+00'00'")
