"""What the templates see: a case turned into display-ready values for one edition.

Every decision about presentation is made here, in Python, so the templates only lay out:
how a date or a status reads, how sections are numbered, and above all how a person is
shown. `Disclosure` + `People` are the one place that decides whether a person appears by name
or by pseudonym; everything that prints a person (tables, `@id` mentions, titles, metadata)
asks `People.label`.

`build_view` composes the section builders (one module each) into a `DossierView`. Views are
values: frozen dataclasses, whose field names are the template contract (templates/README.md),
that nothing changes once `build_view` returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from casefile import __version__
from casefile.case.catalog import Catalog
from casefile.case.model import Case
from casefile.core.outputs import EVIDENCE_LAYOUTS
from casefile.dossier.view.allegations import (
    AllegationView,
    ProofRow,
    ProvisionRef,
    build_allegations,
    cited_provisions,
)
from casefile.dossier.view.annexes import (
    HistoryView,
    ManifestView,
    Provenance,
    ProvisionView,
    SealInput,
    build_annex,
    build_history,
    build_manifest,
    provenance_label,
)
from casefile.dossier.view.context import Context
from casefile.dossier.view.evidence import (
    LISTING_LINES_PER_PAGE,
    LISTING_WIDTH,
    REGISTER_THRESHOLD,
    CustodyView,
    EvidenceGroup,
    EvidenceView,
    RegisterListing,
    build_evidence,
    choose_evidence_layout,
    evidence_groups,
    register_listing,
)
from casefile.dossier.view.exhibits import ExhibitView, build_exhibits
from casefile.dossier.view.format import Formatter, anchor, build_date, digest_groups, source_date_epoch
from casefile.dossier.view.front import (
    CaseView,
    DocView,
    EditionView,
    IntegrityView,
    Section,
    TocEntry,
    build_case,
    build_doc,
    build_edition,
    build_integrity,
    build_sections,
    build_toc,
)
from casefile.dossier.view.incident import IncidentView, build_incident
from casefile.dossier.view.labels import (
    APPLIES_LABELS,
    CLASSIFICATION_LABELS,
    CONFLICT_LABELS,
    RUNNING_TITLE,
    VALUE_LABELS,
    _label,
    edition_label,
    shorten,
)
from casefile.dossier.view.mentions import Ref
from casefile.dossier.view.parts import left_out, without
from casefile.dossier.view.people import WITHHELD_PATH, WITHHELD_TEXT, People
from casefile.dossier.view.persons import PersonsView, PersonView, build_persons
from casefile.dossier.view.records import (
    ActionView,
    FilingView,
    SourceView,
    build_actions,
    build_filings,
    build_sources,
)
from casefile.protection.policy import Disclosure

if TYPE_CHECKING:
    from casefile.evidence.exhibits import ExhibitImage

__all__ = [
    "APPLIES_LABELS",
    "CLASSIFICATION_LABELS",
    "CONFLICT_LABELS",
    "EVIDENCE_LAYOUTS",
    "LISTING_LINES_PER_PAGE",
    "LISTING_WIDTH",
    "REGISTER_THRESHOLD",
    "RUNNING_TITLE",
    "VALUE_LABELS",
    "WITHHELD_PATH",
    "WITHHELD_TEXT",
    "ActionView",
    "AllegationView",
    "CaseView",
    "CustodyView",
    "Disclosure",
    "DocView",
    "DossierView",
    "EditionView",
    "EvidenceView",
    "ExhibitView",
    "FilingView",
    "Formatter",
    "HistoryView",
    "IncidentView",
    "IntegrityView",
    "ManifestView",
    "People",
    "PersonView",
    "PersonsView",
    "ProofRow",
    "Provenance",
    "ProvisionRef",
    "ProvisionView",
    "Ref",
    "RegisterListing",
    "SealInput",
    "Section",
    "SourceView",
    "TocEntry",
    "_label",
    "anchor",
    "build_date",
    "build_view",
    "choose_evidence_layout",
    "digest_groups",
    "edition_label",
    "shorten",
    "source_date_epoch",
]


@dataclass(frozen=True)
class DossierView:
    lang: str
    mode: str
    generator: str
    doc: DocView
    edition: EditionView
    case: CaseView
    integrity: IntegrityView
    toc: tuple[TocEntry, ...]
    sections: tuple[Section, ...]
    summary_html: Markup | None
    incident: IncidentView
    persons: PersonsView
    allegations: tuple[AllegationView, ...]
    evidence: tuple[EvidenceView, ...]
    evidence_groups: tuple[EvidenceGroup, EvidenceGroup]
    sources: tuple[SourceView, ...]
    actions: tuple[ActionView, ...]
    filings: tuple[FilingView, ...]
    annex: tuple[ProvisionView, ...]
    exhibits: tuple[ExhibitView, ...]
    manifest: ManifestView
    history: HistoryView
    # "full": every item with its details and custody; "register": one line per item (large cases)
    evidence_layout: str
    linked_evidence: frozenset[str]  # the evidence items something links to: their rows get an anchor
    register_listing: RegisterListing | None  # in the PDF of a "register" layout
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def context(self) -> dict[str, Any]:
        """The template variables: one per field (the stylesheets are added by html.render_html)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def build_view(case: Case, catalog: Catalog, *, edition: str = "internal", mode: str = "pdf",
               base_dir: Path | None = None, disclosure: Disclosure | None = None,
               images: Mapping[str, ExhibitImage] | None = None, unverified: bool = False,
               attach_case: bool = True, draft: bool = False, provenance: Provenance | None = None,
               language: str | None = None, evidence_layout: str = "auto",
               depicts_withheld: frozenset[str] = frozenset(), seal: SealInput | None = None,
               carries: tuple[str, ...] | None = None) -> DossierView:
    """`images`: exhibit images by evidence id (see exhibits.py); `unverified`: evidence files
    did not match their digests and the user allowed it, so every page says so; `language`:
    the dossier's language instead of the case's (`en`, `uk`, `fr`, `es`); `depicts_withheld`:
    images left out because they show a person this edition hides (`protection.policy`); `seal`:
    the case file's digest and a packet's files for the seal (`annexes.SealInput`); `carries`:
    the parts of the case a body's edition carries (`parts.py`; None: all).
    `base_dir` is accepted for the callers' sake; the view reads no file."""
    disclosure = disclosure or Disclosure(edition=edition)
    omitted = left_out(carries)
    case, unlinked = without(case, omitted)
    layout = choose_evidence_layout(evidence_layout, len(case.evidence))
    ctx = Context.create(case, catalog, disclosure, lang=language or case.language, mode=mode,
                         compact=layout == "register", unlinked=unlinked)
    sections = build_sections(ctx.tr, for_body=disclosure.body is not None, omitted=omitted)
    numbers = {s.kind: s.number for s in sections}
    persons = build_persons(ctx, numbers.get("persons", ""), omitted)
    allegations = build_allegations(ctx, numbers.get("allegations", ""))
    evidence = build_evidence(ctx)
    groups = evidence_groups(ctx.tr, numbers.get("evidence", ""))
    incident = build_incident(ctx)
    sources, actions, filings = build_sources(ctx), build_actions(ctx), build_filings(ctx)
    annex = build_annex(ctx, cited_provisions(case, catalog))
    exhibits = build_exhibits(ctx, images or {}, depicts_withheld)
    manifest = build_manifest(ctx, attach_case, seal)
    toc = build_toc(ctx, sections, persons.groups, allegations, groups)
    history = build_history(ctx, provenance)
    generator = f"casefile {__version__}" + (f" · {provenance_label(ctx.tr, provenance)}" if provenance else "")
    edition_view = build_edition(ctx, unverified=unverified, draft=draft)
    doc, case_view = build_doc(ctx, build_date(case)), build_case(ctx)
    integrity = build_integrity(ctx, manifest.digest_groups, unverified)
    # the one-line register of a large case, as fixed-width pages for the PDF (listing.py);
    # last, so that every cross-reference to an item is known and its line gets an anchor
    listing = register_listing(case, evidence, ctx.mentions, ctx.tr) if ctx.compact and mode == "pdf" else None
    return DossierView(
        lang=ctx.lang, mode=mode, generator=generator, doc=doc, edition=edition_view,
        case=case_view, integrity=integrity, toc=toc, sections=sections, summary_html=ctx.mentions.block(case.summary),
        incident=incident, persons=persons, allegations=allegations, evidence=evidence,
        evidence_groups=groups, sources=sources, actions=actions, filings=filings, annex=annex,
        exhibits=exhibits, manifest=manifest, history=history, evidence_layout=layout,
        linked_evidence=ctx.mentions.linked, register_listing=listing,
    )
