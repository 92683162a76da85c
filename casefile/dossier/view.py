"""What the templates see: a case turned into display-ready values for one edition.

Every decision about presentation is made here, in Python, so the templates only lay out:
how a date or a status reads, how sections are numbered, and above all how a person is
shown. `Disclosure` + `People` are the one place that decides whether a person appears by name
or by pseudonym; everything that prints a person (tables, `@id` mentions, titles, metadata)
asks `People.label`.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from markupsafe import Markup

from casefile import __version__

from casefile.core import text
from casefile.case.catalog import Catalog, Provision
from casefile.core import languages
from casefile.core.i18n import N_, Translator, translator
from casefile.protection.policy import Disclosure
from casefile.case.model import (
    Case,
    DateRange,
    PartialDate,
    Perpetrator,
    Person,
    Victim,
    Witness,
)


# Label tables hold English marked with N_ (casefile/i18n.py); translate at use: tr.gettext(TABLE[key]).
CLASSIFICATION_LABELS = {
    "public": N_("PUBLIC"),
    "restricted": N_("RESTRICTED"),
    "confidential": N_("CONFIDENTIAL"),
    "strictly-confidential": N_("STRICTLY CONFIDENTIAL"),
}
CONFLICT_LABELS = {
    "international": N_("International armed conflict"),
    "non-international": N_("Non-international armed conflict"),
    "none": N_("No armed conflict"),
    None: N_("Not stated"),
}
APPLIES_LABELS = {
    "international": N_("International armed conflict"),
    "non-international": N_("Non-international armed conflict"),
    "any": N_("At all times (peace and armed conflict)"),
}
# every enumerated value of the case format that the dossier prints (model.py Literals)
VALUE_LABELS = {
    # case status
    "draft": N_("Draft"), "review": N_("Review"), "final": N_("Final"), "submitted": N_("Submitted"),
    "closed": N_("Closed"),
    # filing status
    "planned": N_("Planned"), "acknowledged": N_("Acknowledged"),
    # victim category
    "prisoner-of-war": N_("Prisoner of war"), "hors-de-combat": N_("Hors de combat"), "civilian": N_("Civilian"),
    "detainee": N_("Detainee"), "medical-personnel": N_("Medical personnel"), "other": N_("Other"),
    # harm
    "killed": N_("Killed"), "injured": N_("Injured"), "tortured": N_("Tortured"), "disappeared": N_("Disappeared"),
    "detained": N_("Detained"),
    # evidence kind
    "video": N_("Video"), "photo": N_("Photo"), "audio": N_("Audio"), "document": N_("Document"),
    "testimony": N_("Testimony"), "open-source-post": N_("Open-source post"),
    "forensic-report": N_("Forensic report"), "satellite-image": N_("Satellite image"),
    "statement": N_("Statement"),
    # verification status
    "unverified": N_("Unverified"), "partially-verified": N_("Partially verified"), "verified": N_("Verified"),
    "disputed": N_("Disputed"),
    # custody action
    "collected": N_("Collected"), "copied": N_("Copied"), "transferred": N_("Transferred"),
    "analysed": N_("Analysed"), "sealed": N_("Sealed"), "returned": N_("Returned"),
}


def _label(key: str | None, tr: Translator | None = None) -> str:
    """'partially-verified' -> 'Partially verified' (translated with `tr` when given)."""
    if not key:
        return ""
    if key in VALUE_LABELS:
        return tr.gettext(VALUE_LABELS[key]) if tr else VALUE_LABELS[key]
    words = key.replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


# ------------------------------------------------------------------------------------------
# who may be named
# ------------------------------------------------------------------------------------------
WITHHELD_PATH = N_("(file name withheld in this edition)")
WITHHELD_TEXT = N_("(withheld in this edition)")

# pseudonyms, numbered per role in file order (translated: "Victim 1" is "Потерпілий 1" in uk)
_PSEUDONYMS = {"victim": N_("Victim %(num)s"), "perpetrator": N_("Perpetrator %(num)s"),
               "witness": N_("Witness %(num)s")}
_GROUP_PSEUDONYM = N_("Victim group %(num)s")


class People:
    """The one place that decides how each person is shown in an edition."""

    def __init__(self, case: Case, disclosure: Disclosure, lang: str = "en"):
        tr = translator(lang)
        self.disclosure = disclosure
        self._labels: dict[str, str] = {}
        self._named: dict[str, bool] = {}
        self._persons: dict[str, Person] = {}
        self._index = None
        counters: dict[str, int] = {}
        for role, person in case.persons():
            counters[role] = counters.get(role, 0) + 1
            # numbering by order in the file, per role: stable across editions and runs
            pattern = _PSEUDONYMS[role]
            if isinstance(person, Victim) and person.count > 1:
                pattern = _GROUP_PSEUDONYM
            pseudonym = tr.gettext(pattern) % {"num": counters[role]}
            named = disclosure.may_name(person) and bool(person.name)
            self._labels[person.id] = person.name if named and person.name else pseudonym
            self._named[person.id] = named
            self._persons[person.id] = person

    def label(self, pid: str) -> str:
        return self._labels[pid]

    def named(self, pid: str) -> bool:
        return self._named[pid]

    def reveals(self, text: str | None) -> bool:
        """Whether a text this edition would print as is (a file name, a commit message)
        names a person it hides, in any form `protection.names` finds."""
        if not text:
            return False
        if self._index is None:
            from casefile.protection.names import cached
            from casefile.protection.policy import named

            self._index = cached(tuple(named(p) for p in self._persons.values()
                                          if not self.disclosure.may_name(p) and (p.name or p.aliases)))
        return self._index.names(text)

    def __contains__(self, pid: str) -> bool:
        return pid in self._labels


# ------------------------------------------------------------------------------------------
# view objects (plain attributes; the template contract)
# ------------------------------------------------------------------------------------------
@dataclass
class Ref:
    id: str
    label: str
    anchor: str | None


@dataclass
class PersonView:
    id: str
    anchor: str
    label: str
    protected: bool
    named: bool
    role_label: str
    details: list[tuple[str, str]]
    notes: list[str]


@dataclass
class ProofRow:
    provision_label: str
    provision_title: str
    element_id: str
    element_number: str
    element_text: str
    evidence: list[Ref]
    missing: bool


@dataclass
class ProvisionRef:
    id: str
    label: str
    title: str
    anchor: str


@dataclass
class AllegationView:
    number: str
    id: str
    anchor: str
    title_html: Markup
    provisions: list[ProvisionRef]
    perpetrators: list[Ref]
    victims: list[Ref]
    evidence: list[Ref]
    proof: list[ProofRow]
    proof_note: str | None
    analysis_html: Markup | None


@dataclass
class CustodyView:
    at: str
    by: str
    action_label: str
    to: str | None
    notes: str | None


@dataclass
class EvidenceView:
    id: str
    anchor: str
    kind: str
    kind_label: str
    title_html: Markup
    description_html: Markup | None
    source_label: str | None
    source_url: str | None
    collected_by: str | None
    collected_at: str | None
    collected_method: str | None
    status: str
    status_label: str
    verification_notes: str | None
    file: str | None
    digest_groups: list[str] | None
    confidential: bool
    withheld: bool
    custody: list[CustodyView]
    custody_count: int = 0
    collected_date: str | None = None  # the day only, for the one-line register


@dataclass
class Section:
    number: str
    title: str
    anchor: str
    kind: str


@dataclass
class TocEntry:
    number: str
    title: str
    anchor: str
    level: int


@dataclass
class DossierView:
    lang: str
    mode: str
    generator: str
    doc: Any
    edition: Any
    case: Any
    integrity: Any
    toc: list[TocEntry]
    sections: list[Section]
    summary_html: Markup
    incident: Any
    persons: Any
    allegations: list[AllegationView]
    evidence: list[EvidenceView]
    evidence_groups: list[tuple[str, str, str]]
    sources: list[Any]
    actions: list[Any]
    filings: list[Any]
    annex: list[Any]
    exhibits: list[Any] = field(default_factory=list)
    manifest: Any = None
    history: Any = None
    labels: dict[str, str] = field(default_factory=dict)
    css: str = ""
    font_css: str = ""
    # "full": every item with its details and custody; "register": one line per item (large cases)
    evidence_layout: str = "full"
    linked_evidence: set[str] = field(default_factory=set)
    register_listing: Any = None  # NS(header, pages) in the PDF of a "register" layout

    def context(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


class NS:
    """A plain attribute bag for small groups of values."""

    def __init__(self, **values: Any):
        self.__dict__.update(values)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"NS({self.__dict__!r})"


# ------------------------------------------------------------------------------------------
# formatting
# ------------------------------------------------------------------------------------------
class Formatter:
    def __init__(self, lang: str):
        self.lang = lang
        self.locale = languages.babel_locale(lang)

    def date(self, value: PartialDate | DateRange | date | None) -> str | None:
        from babel.dates import format_date, format_skeleton

        if value is None:
            return None
        if isinstance(value, DateRange):
            return f"{self.date(value.start)} – {self.date(value.end)}"
        if isinstance(value, date):
            return format_date(value, "long", locale=self.locale)
        if value.day:
            return format_date(value.first_day, "long", locale=self.locale)
        if value.month:
            return format_skeleton("yMMMM", value.first_day, locale=self.locale)
        return str(value.year)

    def timestamp(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        offset = value.strftime("%z")
        offset = "UTC" if offset in ("+0000", "") else f"{offset[:3]}:{offset[3:]}"
        return f"{self.date(value.date())}, {value:%H:%M} {offset}"

    def day(self, value: datetime | date) -> str:
        """ISO 8601 day: short, sortable and the same in every language (one-line register)."""
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()

    def country(self, code: str | None) -> str | None:
        from babel import Locale

        if not code:
            return None
        name = Locale.parse(self.locale).territories.get(code, code)
        return f"{name} ({code})"


# characters of the title in the running head of every page (and the HTML edition's bar): one
# line; the cover and the metadata carry it whole
RUNNING_TITLE = 90


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"


def edition_label(edition: str, tr: Translator) -> str:
    """'internal' -> 'Internal edition', 'for ICC OTP' -> 'Edition for ICC OTP' (translated)."""
    if edition == "internal":
        return tr.gettext("Internal edition")
    if edition == "public":
        return tr.gettext("Public edition")
    if edition.startswith("for "):
        return tr.gettext("Edition for %(body)s") % {"body": edition[4:]}
    return tr.gettext("Edition: %(name)s") % {"name": edition}


def anchor(prefix: str, ident: str) -> str:
    return f"{prefix}-" + re.sub(r"[^A-Za-z0-9_-]+", "-", ident).strip("-")


def digest_groups(digest: str | None) -> list[str] | None:
    if not digest:
        return None
    return [digest[i:i + 8] for i in range(0, len(digest), 8)]


# a PDF date has four year digits: the last second of 9999 is the latest time a dossier can carry
_LAST_EPOCH = 253402300799


def source_date_epoch() -> datetime | None:
    """SOURCE_DATE_EPOCH (reproducible builds) as a time, or None when it is not set; a value
    that is not a time casefile can write is wrong usage."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > _LAST_EPOCH:
        from casefile.core.errors import UsageError

        raise UsageError(f"SOURCE_DATE_EPOCH={value[:40]!r} is not a time casefile can write",
                         "give whole seconds since 1970-01-01 UTC, at most 253402300799 (year 9999)")
    return datetime.fromtimestamp(int(value), tz=timezone.utc)


def build_date(case: Case) -> datetime:
    """The dossier's fixed date: SOURCE_DATE_EPOCH when set, else the case's prepared.date."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    d = case.prepared.date.first_day
    return datetime(d.year, d.month, d.day, tzinfo=timezone.utc)


# A dossier prints every evidence item with its details and custody ("full") up to this many
# items; above it, one line per item ("register"): WeasyPrint lays out ~0.3 s per page, so a
# case with thousands of items in full would run to thousands of pages and gigabytes.
REGISTER_THRESHOLD = 200
EVIDENCE_LAYOUTS = ("auto", "full", "register")


def choose_evidence_layout(requested: str, count: int) -> str:
    if requested not in EVIDENCE_LAYOUTS:
        raise ValueError(f"unknown evidence layout {requested!r}")
    if requested == "auto":
        return "register" if count > REGISTER_THRESHOLD else "full"
    return requested


# The PDF register listing: 6.5 pt monospace, 1.3 line height. An A4 page (and a US Letter
# page) has room for about 80 such lines below the running header; 70 leaves a safe margin,
# and 118 cells fit the narrower of the two text widths.
LISTING_LINES_PER_PAGE = 70
LISTING_WIDTH = 118


def _register_listing(case: Case, views: list[EvidenceView], plain, _, linked: set[str]) -> NS:
    from casefile.dossier import listing

    by_id = {e.id: e for e in case.evidence}
    rows = []
    for v in views:
        title = _("Withheld in this edition") if v.withheld else (plain(by_id[v.id].title) or "")
        digest = "".join(v.digest_groups[:2]) + "…" if v.digest_groups else "—"
        rows.append(([v.id, v.kind_label, title, v.collected_date or "—",
                      "—" if v.withheld else str(v.custody_count), v.status_label, digest],
                     v.anchor if v.id in linked else None))
    titles = [_("ID"), _("Kind"), _("Title"), _("Collected"), _("Custody"), _("Status"), _("SHA-256 (start)")]
    columns = listing.fit_columns(titles, [r[0] for r in rows], LISTING_WIDTH, flexible=2,
                                  caps={0: 14, 1: 18, 5: 22})
    header, pages = listing.paginate(columns, rows, LISTING_LINES_PER_PAGE)
    return NS(header=header, pages=pages)


# ------------------------------------------------------------------------------------------
# the builder
# ------------------------------------------------------------------------------------------
def build_view(case: Case, catalog: Catalog, *, edition: str = "internal", mode: str = "pdf",
               base_dir: Path | None = None, disclosure: Disclosure | None = None,
               images: dict[str, Any] | None = None, unverified: bool = False,
               attach_case: bool = True, draft: bool = False, provenance: Any = None,
               language: str | None = None, evidence_layout: str = "auto",
               depicts_withheld: frozenset[str] = frozenset()) -> DossierView:
    """`images`: exhibit images by evidence id (see exhibits.py); `unverified`: evidence files
    did not match their digests and the user allowed it, so every page says so; `language`:
    the dossier's language instead of the case's (`en`, `uk`, `fr`, `es`); `depicts_withheld`:
    images left out because they show a person this edition hides (`protection.policy`)."""
    from casefile.evidence.integrity import manifest as build_manifest

    disclosure = disclosure or Disclosure(edition=edition)
    images = images or {}
    lang = language or case.language
    fmt = Formatter(lang)
    tr = translator(lang)
    _ = tr.gettext
    people = People(case, disclosure, lang)
    evidence_ids = {e.id for e in case.evidence}
    linked_evidence: set[str] = set()  # items something links to: their rows need an anchor
    source_ids = {s.id for s in case.sources}
    allegation_ids = {a.id for a in case.allegations}

    def resolve(ident: str) -> tuple[str, str | None] | None:
        if ident in people:
            return people.label(ident), anchor("person", ident)
        if ident in evidence_ids:
            linked_evidence.add(ident)
            return ident, anchor("evidence", ident)
        if ident in source_ids:
            return ident, anchor("source", ident)
        if ident in allegation_ids:
            return ident, anchor("allegation", ident)
        return None

    def block(value: str | None) -> Markup | None:
        return text.render_block(value, resolve) if value else None

    def inline(value: str) -> Markup:
        return text.render_inline(value, resolve)

    def plain(value: str | None) -> str | None:
        return text.plain(value, resolve) if value else None

    def ref(ident: str, with_title: bool = False) -> Ref:
        found = resolve(ident)
        label, target = found if found else (ident, None)
        if with_title:
            item = next((e for e in case.evidence if e.id == ident), None)
            if item is not None and not disclosure.withholds(item):
                label = f"{ident} — {plain(item.title)}"
            source = next((s for s in case.sources if s.id == ident), None)
            if source is not None:
                label = f"{ident} — {plain(source.title)}"
        return Ref(ident, label, target)

    # ---- sections and numbering (one list drives headings, TOC and bookmarks) ----
    cited: list[Provision] = []
    for allegation in case.allegations:
        for pid in allegation.provisions:
            provision = catalog.provisions.get(pid)
            if provision is not None and provision not in cited:
                cited.append(provision)

    section_defs = [
        ("summary", _("Summary")), ("incident", _("Incident")), ("persons", _("Persons")),
        ("allegations", _("Allegations")), ("evidence", _("Evidence")), ("sources", _("Sources")),
        ("actions", _("Actions taken by authorities")), ("filings", _("Filings")),
    ]
    sections = [Section(str(i), title, f"section-{kind}", kind)
                for i, (kind, title) in enumerate(section_defs, start=1)]
    sections.append(Section("A", _("Annex: provisions cited"), "section-annex", "annex"))
    sections.append(Section("B", _("Annex: exhibits"), "section-exhibits", "exhibits"))
    sections.append(Section("C", _("Annex: evidence manifest"), "section-manifest", "manifest"))
    sections.append(Section("D", _("Annex: revision history"), "section-history", "history"))
    numbers = {s.kind: s.number for s in sections}

    persons_groups = [
        (f"{numbers['persons']}.1", _("Victims"), "persons-victims", "victims"),
        (f"{numbers['persons']}.2", _("Perpetrators"), "persons-perpetrators", "perpetrators"),
        (f"{numbers['persons']}.3", _("Witnesses"), "persons-witnesses", "witnesses"),
    ]
    layout = choose_evidence_layout(evidence_layout, len(case.evidence))
    compact = layout == "register"
    evidence_groups = [
        (f"{numbers['evidence']}.1", _("Register"), "evidence-register"),
        (f"{numbers['evidence']}.2", _("Chain of custody"), "custody"),
    ]

    # ---- persons ----
    def person_view(role: str, person: Person) -> PersonView:
        details: list[tuple[str, str]] = []
        notes: list[str] = []
        if isinstance(person, Victim):
            role_label = " — ".join(x for x in (_label(person.category, tr) or _("Victim"), _label(person.harm, tr))
                                    if x)
            if person.count > 1:
                details.append((_("Count"), str(person.count)))
        elif isinstance(person, Witness):
            role_label = _("Witness") + (f" — {person.role}" if person.role else "")
        else:
            role_label = _("Perpetrator")
            assert isinstance(person, Perpetrator)
            if person.description:
                details.append((_("Description"), person.description))
            if person.unit:
                details.append((_("Unit"), person.unit))
        affiliation = getattr(person, "affiliation", None)
        if affiliation:
            details.append((_("Affiliation"), affiliation))
        if person.protected:
            if not person.name:
                notes.append(_("Protected person — no name recorded"))
            elif people.named(person.id):
                notes.append(_("Protected person — named in this edition only"))
            else:
                notes.append(_("Protected person — identity withheld in this edition"))
        consent = getattr(person, "consent", None)
        if consent is not None and consent.share_with and not disclosure.public:
            when = f" ({fmt.date(consent.date)})" if consent.date else ""
            notes.append(_("Consent to share identity with: %(bodies)s") % {"bodies": ", ".join(consent.share_with)}
                         + when)
        return PersonView(person.id, anchor("person", person.id), people.label(person.id), person.protected,
                          people.named(person.id), role_label, details, notes)

    persons = NS(
        victims=[person_view("victim", v) for v in case.incident.victims],
        perpetrators=[person_view("perpetrator", p) for p in case.incident.perpetrators],
        witnesses=[person_view("witness", w) for w in case.incident.witnesses],
        groups=persons_groups,
    )

    # ---- allegations ----
    allegations = []
    for i, allegation in enumerate(case.allegations, start=1):
        provisions = [catalog.provisions[p] for p in allegation.provisions if p in catalog.provisions]
        proof: list[ProofRow] = []
        for provision in provisions:
            for element in provision.elements:
                support = allegation.elements.get(element.id, [])
                proof.append(ProofRow(provision.label_in(lang), provision.title_in(lang), element.id,
                                      str(element.number), element.text, [ref(e) for e in support], not support))
        proof_note = None if proof else _("No provision with Elements of Crimes is cited, so there is no proof chart.")
        allegations.append(AllegationView(
            number=f"{numbers['allegations']}.{i}", id=allegation.id, anchor=anchor("allegation", allegation.id),
            title_html=inline(allegation.title),
            provisions=[ProvisionRef(p.id, p.label_in(lang), p.title_in(lang), anchor("provision", p.id))
                        for p in provisions],
            perpetrators=[ref(p) for p in allegation.perpetrators],
            victims=[ref(v) for v in allegation.victims],
            evidence=[ref(e, with_title=True) for e in allegation.evidence],
            proof=proof, proof_note=proof_note, analysis_html=block(allegation.analysis),
        ))

    # ---- evidence ----
    evidence_views = []
    for item in case.evidence:
        withheld = disclosure.withholds(item)
        status = item.verification.status if item.verification else "unverified"
        source_label = None
        if item.source and (item.source.name or item.source.published):
            source_label = item.source.name or ""
            if item.source.published:
                published = fmt.date(item.source.published)
                source_label = (_("%(source)s, published %(date)s") % {"source": source_label, "date": published}
                                if source_label else _("Published %(date)s") % {"date": published})
        collected = item.collected
        evidence_views.append(EvidenceView(
            id=item.id, anchor=anchor("evidence", item.id), kind=item.kind, kind_label=_label(item.kind, tr),
            title_html=Markup.escape(_("Withheld in this edition")) if withheld else inline(item.title),
            description_html=None if withheld or compact else block(item.description),
            source_label=None if withheld else source_label,
            source_url=None if withheld or not item.source else item.source.url,
            collected_by=None if withheld or not collected else plain(collected.by),
            collected_at=None if withheld or not collected else fmt.timestamp(collected.at),
            collected_method=None if withheld or not collected else collected.method,
            status=status, status_label=_label(status, tr),
            verification_notes=None if withheld or not item.verification else plain(item.verification.notes),
            file=None if withheld else (_(WITHHELD_PATH) if people.reveals(item.file) else item.file),
            digest_groups=None if withheld else digest_groups(item.sha256),
            confidential=item.confidential, withheld=withheld,
            custody_count=0 if withheld else len(item.custody),
            collected_date=None if withheld or not collected or not collected.at else fmt.day(collected.at),
            custody=[] if withheld or compact else [
                CustodyView(fmt.timestamp(c.at) or "", plain(c.by) or "", _label(c.action, tr), plain(c.to),
                            plain(c.notes))
                for c in item.custody
            ],
        ))

    # ---- the rest ----
    incident = case.incident
    location = incident.location
    coordinates_label = None
    if location and location.coordinates and not disclosure.public:
        c = location.coordinates
        coordinates_label = f"{c.lat:.4f}, {c.lon:.4f}"
        if c.precision_m is not None:
            coordinates_label += f" (± {c.precision_m:g} m)"
    time_label = None
    if incident.time:
        time_label = incident.time + (f" ({incident.timezone})" if incident.timezone else "")
    incident_view = NS(
        date_label=fmt.date(incident.date), time_label=time_label,
        place=location.place if location else None, region=location.region if location else None,
        country=fmt.country(location.country) if location else None,
        coordinates_label=coordinates_label, conflict_label=_(CONFLICT_LABELS[incident.armed_conflict]),
        description_html=block(incident.description),
    )
    sources = [NS(id=s.id, anchor=anchor("source", s.id), title=plain(s.title), publisher=s.publisher,
                  url=s.url, date_label=fmt.date(s.date)) for s in case.sources]
    actions = [NS(date_label=fmt.date(a.date), by=a.by, action=plain(a.action), reference=a.reference)
               for a in case.actions]
    filings = []
    for f in case.filings:
        body = catalog.bodies.get(f.body)
        language = f.language or (body.languages[0] if body else None)
        filings.append(NS(body_id=f.body, body_name=body.name if body else f.body, status_label=_label(f.status, tr),
                          date_label=fmt.date(f.date), reference=f.reference,
                          language_label=_(languages.name(language)) if language else ""))
    annex = [NS(id=p.id, anchor=anchor("provision", p.id), label=p.label_in(lang),
                instrument_name=p.instrument.name_in(lang),
                title=p.title_in(lang), summary=p.summary, url=p.url,
                applies_label="; ".join(_(APPLIES_LABELS[a]) if a in APPLIES_LABELS else a for a in p.applies_to),
                elements=[(e.id, str(e.number), e.text) for e in p.elements]) for p in cited]

    # ---- exhibits (photos) and the manifest ----
    exhibits = []
    for item in case.evidence:
        if disclosure.withholds(item):
            continue
        if item.id in depicts_withheld:
            exhibits.append(NS(id=item.id, anchor=anchor("exhibit", item.id), evidence_anchor=anchor("evidence", item.id),
                               title_html=inline(item.title), kind_label=_label(item.kind, tr), src=None,
                               note=_("Not shown in this edition: the image shows a person it does not name."),
                               digest_groups=digest_groups(item.sha256), caption=[]))
            continue
        image = images.get(item.id)
        if image is None:
            continue
        caption = [(_("File"), _(WITHHELD_PATH) if people.reveals(item.file) else item.file or "")]
        if item.collected and (item.collected.at or item.collected.by):
            caption.append((_("Captured"), ", ".join(x for x in (fmt.timestamp(item.collected.at),
                                                                  item.collected.by) if x)))
        size = f"{image.width} × {image.height} px"
        caption.append((_("Image"), _("%(size)s, re-encoded without metadata for this edition") % {"size": size}
                        if image.reencoded else size))
        if image.blurred:
            caption.append((_("Blurred"), _("a region showing a person this edition does not name")))
        linked_evidence.add(item.id)
        exhibits.append(NS(id=item.id, anchor=anchor("exhibit", item.id), evidence_anchor=anchor("evidence", item.id),
                           title_html=inline(item.title), kind_label=_label(item.kind, tr),
                           src=image.data_uri if mode == "html" else image.url, note=None,
                           width_px=image.width, height_px=image.height,
                           digest_groups=digest_groups(item.sha256), caption=caption))
    # the manifest of a shared edition lists only files it may name
    shown = [e for e in case.evidence if not disclosure.withholds(e) and not people.reveals(e.file)]
    manifest_text = build_manifest(case.model_copy(update={"evidence": shown}))
    manifest_digest = hashlib.sha256(manifest_text.encode("utf-8")).hexdigest() if manifest_text else None
    manifest_view = NS(text=manifest_text, digest=manifest_digest, digest_groups=digest_groups(manifest_digest),
                       # a long manifest prints as sha256sum text, not as a table (see REGISTER_THRESHOLD)
                       entries=[] if compact else [(digest_groups(line[:64]), line[66:])
                                                   for line in manifest_text.splitlines()],
                       compact=compact,
                       attached=mode == "pdf", attach_case=attach_case and mode == "pdf")

    toc: list[TocEntry] = []
    for s in sections:
        toc.append(TocEntry(s.number, s.title, s.anchor, 1))
        if s.kind == "persons":
            toc.extend(TocEntry(n, t, a, 2) for n, t, a, _ in persons_groups)
        elif s.kind == "allegations":
            toc.extend(TocEntry(a.number, f"{a.id} {plain(case.allegations[k].title)}", a.anchor, 2)
                       for k, a in enumerate(allegations))
        elif s.kind == "evidence":
            toc.extend(TocEntry(n, t, a, 2) for n, t, a in evidence_groups)

    history_view = NS(
        label=provenance.label if provenance is not None else _("not recorded"),
        # a commit message or author may name someone this edition hides: withheld, commit kept
        commits=[NS(sha=c.sha[:12], date_label=fmt.date(date.fromisoformat(c.date[:10])),
                    author=_(WITHHELD_TEXT) if people.reveals(c.author) else c.author,
                    subject=_(WITHHELD_TEXT) if people.reveals(c.subject) else c.subject)
                 for c in provenance.history] if provenance is not None else [],
        in_git=bool(provenance is not None and provenance.in_git),
    )
    generator = f"casefile {__version__}" + (f" · {provenance.label}" if provenance is not None else "")

    stamp = build_date(case).isoformat()
    edition_view = NS(
        key=disclosure.edition,
        label=edition_label(disclosure.edition, tr),
        banner=" · ".join(x for x in (
            _("Public edition — identities withheld") if disclosure.public else None,
            _("EVIDENCE NOT VERIFIED") if unverified else None,
            _("DRAFT — not for submission") if draft else None) if x) or None,
    )
    title = plain(case.title) or case.id
    keywords = [case.id, *dict.fromkeys(p for a in case.allegations for p in a.provisions)]
    doc = NS(title=f"{case.id} — {title}", author=case.prepared.by,
             description=plain(case.summary) or "", keywords=", ".join(keywords), created=stamp, modified=stamp)
    case_view = NS(
        id=case.id, title=title, short_title=shorten(title, RUNNING_TITLE), classification=case.classification,
        classification_label=_(CLASSIFICATION_LABELS[case.classification]), status_label=_label(case.status, tr),
        prepared_by=case.prepared.by, prepared_contact=case.prepared.contact,
        prepared_date=fmt.date(case.prepared.date), language=lang,
    )
    integrity = NS(
        evidence_count=len(case.evidence),
        verified_count=sum(1 for e in case.evidence if e.verification and e.verification.status == "verified"),
        with_digest_count=sum(1 for e in case.evidence if e.sha256),
        manifest_digest_groups=manifest_view.digest_groups,
        unverified=unverified,
    )
    # the one-line register of a large case, as fixed-width pages for the PDF (listing.py);
    # last, so that every cross-reference to an item is known and its line gets an anchor
    register_listing = None
    if compact and mode == "pdf":
        register_listing = _register_listing(case, evidence_views, plain, _, linked_evidence)
    return DossierView(
        lang=lang, mode=mode, generator=generator, doc=doc, edition=edition_view,
        case=case_view, integrity=integrity, toc=toc, sections=sections, summary_html=block(case.summary),
        incident=incident_view, persons=persons, allegations=allegations, evidence=evidence_views,
        evidence_groups=evidence_groups, sources=sources, actions=actions, filings=filings, annex=annex,
        exhibits=exhibits, manifest=manifest_view, history=history_view, evidence_layout=layout, linked_evidence=linked_evidence,
        register_listing=register_listing,
    )
