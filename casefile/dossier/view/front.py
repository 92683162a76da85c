"""Builds the front matter and the document's frame: the numbered sections (one list drives
headings, contents and PDF bookmarks), the table of contents, the document metadata, the
edition (its name and the banner every page carries), the case facts of the cover and running
heads, and the cover's integrity block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from casefile.core.i18n import Translator
from casefile.dossier.view.allegations import AllegationView
from casefile.dossier.view.context import Context
from casefile.dossier.view.evidence import EvidenceGroup
from casefile.dossier.view.labels import CLASSIFICATION_LABELS, RUNNING_TITLE, _label, edition_label, shorten
from casefile.dossier.view.persons import PersonsGroup


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    anchor: str
    kind: str


@dataclass(frozen=True)
class TocEntry:
    number: str
    title: str
    anchor: str
    level: int


@dataclass(frozen=True)
class DocView:
    """The document's metadata (HTML <meta>, PDF info)."""

    title: str
    author: str
    description: str
    keywords: str
    created: str  # ISO 8601: the dossier's fixed date (format.build_date)
    modified: str

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.created)


@dataclass(frozen=True)
class EditionView:
    key: str
    label: str
    banner: str | None  # on every page: public edition, evidence not verified, draft


@dataclass(frozen=True)
class CaseView:
    id: str
    title: str
    title_html: Markup  # the title as the cover prints it: marked with its language when not the dossier's
    short_title: str  # the title cut to one line for the running head
    classification: str
    classification_label: str
    status_label: str
    prepared_by: str
    prepared_contact: str | None
    prepared_date: str | None
    language: str


@dataclass(frozen=True)
class IntegrityView:
    evidence_count: int
    verified_count: int
    with_digest_count: int
    manifest_digest_groups: tuple[str, ...] | None
    unverified: bool


def build_sections(tr: Translator, *, for_body: bool = False, omitted: frozenset[str] = frozenset()
                   ) -> tuple[Section, ...]:
    """The sections in order: 1-8 the case, A-D the annexes. A body's edition (`for_body`, a
    packet) has no section 8: what goes to one body is none of another's business; nor the
    sections of the parts it does not carry (`omitted`, parts.py), numbered without gaps."""
    _ = tr.gettext
    section_defs = [
        ("summary", _("Summary")), ("incident", _("Incident")), ("persons", _("Persons")),
        ("allegations", _("Allegations")), ("evidence", _("Evidence")), ("sources", _("Sources")),
        ("actions", _("Actions taken by authorities")),
    ]
    if not for_body:
        section_defs.append(("filings", _("Filings")))
    if {"victims", "perpetrators", "witnesses"} <= omitted:
        omitted = omitted | {"persons"}
    section_defs = [(kind, title) for kind, title in section_defs if kind not in omitted]
    sections = [Section(str(i), title, f"section-{kind}", kind)
                for i, (kind, title) in enumerate(section_defs, start=1)]
    annexes = [("annex", _("Annex: provisions cited")), ("exhibits", _("Annex: exhibits")),
               ("manifest", _("Annex: evidence manifest")), ("history", _("Annex: revision history"))]
    dropped = ({"annex"} if "allegations" in omitted else set()) | ({"exhibits"} if "evidence" in omitted else set())
    kept = [(kind, title) for kind, title in annexes if kind not in dropped]
    sections += [Section(letter, title, f"section-{kind}", kind) for letter, (kind, title) in zip("ABCD", kept,
                                                                                               strict=False)]
    return tuple(sections)


def build_toc(ctx: Context, sections: Sequence[Section], persons_groups: Sequence[PersonsGroup],
              allegations: Sequence[AllegationView], evidence_groups: Sequence[EvidenceGroup]) -> tuple[TocEntry, ...]:
    """Every section, and the subsections of persons, allegations and evidence."""
    toc: list[TocEntry] = []
    for s in sections:
        toc.append(TocEntry(s.number, s.title, s.anchor, 1))
        if s.kind == "persons":
            toc.extend(TocEntry(n, t, a, 2) for n, t, a, _ in persons_groups)
        elif s.kind == "allegations":
            toc.extend(TocEntry(a.number, f"{a.id} {ctx.mentions.plain(ctx.case.allegations[k].title)}", a.anchor, 2)
                       for k, a in enumerate(allegations))
        elif s.kind == "evidence":
            toc.extend(TocEntry(n, t, a, 2) for n, t, a in evidence_groups)
    return tuple(toc)


def build_edition(ctx: Context, *, unverified: bool, draft: bool) -> EditionView:
    _, disclosure = ctx.tr.gettext, ctx.disclosure
    return EditionView(
        key=disclosure.edition,
        label=edition_label(disclosure.edition, ctx.tr),
        banner=" · ".join(x for x in (
            _("Public edition — identities withheld") if disclosure.public else None,
            _("EVIDENCE NOT VERIFIED") if unverified else None,
            _("DRAFT — not for submission") if draft else None) if x) or None,
    )


def title_of(ctx: Context) -> str:
    """The case title as plain text (mentions as labels), or the case id without one."""
    return ctx.mentions.plain(ctx.case.title) or ctx.case.id


def build_doc(ctx: Context, created: datetime) -> DocView:
    case = ctx.case
    stamp = created.isoformat()
    keywords = [case.id, *dict.fromkeys(p for a in case.allegations for p in a.provisions)]
    return DocView(title=f"{case.id} — {title_of(ctx)}", author=case.prepared.by,
                   description=ctx.mentions.plain(case.summary) or "", keywords=", ".join(keywords),
                   created=stamp, modified=stamp)


def build_case(ctx: Context) -> CaseView:
    case, _ = ctx.case, ctx.tr.gettext
    title = title_of(ctx)
    # the public edition is made for publication: it carries a public marking, not the case's
    # classification (which applies to the internal dossier and to what a body receives)
    classification = "public" if ctx.disclosure.public else case.classification
    return CaseView(
        id=case.id, title=title, title_html=ctx.mentions.text(case.title) or Markup.escape(title),
        short_title=shorten(title, RUNNING_TITLE), classification=classification,
        classification_label=_(CLASSIFICATION_LABELS[classification]), status_label=_label(case.status, ctx.tr),
        prepared_by=case.prepared.by, prepared_contact=case.prepared.contact,
        prepared_date=ctx.fmt.date(case.prepared.date), language=ctx.lang,
    )


def build_integrity(ctx: Context, manifest_digest_groups: tuple[str, ...] | None, unverified: bool) -> IntegrityView:
    evidence = ctx.case.evidence
    return IntegrityView(
        evidence_count=len(evidence),
        verified_count=sum(1 for e in evidence if e.verification and e.verification.status == "verified"),
        with_digest_count=sum(1 for e in evidence if e.sha256),
        manifest_digest_groups=manifest_digest_groups,
        unverified=unverified,
    )
