"""Builds section "Evidence": the register of evidence items and the chain of custody of each,
and decides how they are laid out: in full (every item with its details and custody) or, for a
large case, as the one-line register (and, in the PDF, its fixed-width listing pages).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from casefile.case.model import Case, Evidence
from casefile.core.i18n import Translator
from casefile.core.outputs import EVIDENCE_LAYOUTS
from casefile.dossier import listing
from casefile.dossier.view.context import Context
from casefile.dossier.view.format import anchor, digest_groups
from casefile.dossier.view.labels import _label
from casefile.dossier.view.mentions import Mentions
from casefile.dossier.view.people import WITHHELD_PATH

# (number, title, anchor) of a subsection
EvidenceGroup = tuple[str, str, str]

# A dossier prints every evidence item with its details and custody ("full") up to this many
# items; above it, one line per item ("register"): WeasyPrint lays out ~0.3 s per page, so a
# case with thousands of items in full would run to thousands of pages and gigabytes.
REGISTER_THRESHOLD = 200


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


@dataclass(frozen=True)
class CustodyView:
    at: str
    by: str
    action_label: str
    to: str | None
    notes: str | None


@dataclass(frozen=True)
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
    digest_groups: tuple[str, ...] | None
    confidential: bool
    withheld: bool
    custody: tuple[CustodyView, ...]
    custody_count: int
    collected_date: str | None  # the day only, for the one-line register


@dataclass(frozen=True)
class RegisterListing:
    """The one-line register as fixed-width pages (listing.py): the column header, then pages
    of lines, each line with the anchor of its item when something links to it."""

    header: tuple[str, ...]
    pages: tuple[tuple[listing.Line, ...], ...]


def evidence_groups(tr: Translator, number: str) -> tuple[EvidenceGroup, EvidenceGroup]:
    """Section `number`'s two subsections: the register, and the chain of custody."""
    return ((f"{number}.1", tr.gettext("Register"), "evidence-register"),
            (f"{number}.2", tr.gettext("Chain of custody"), "custody"))


def build_evidence(ctx: Context) -> tuple[EvidenceView, ...]:
    return tuple(evidence_view(ctx, item) for item in ctx.case.evidence)


def evidence_view(ctx: Context, item: Evidence) -> EvidenceView:
    """One item; an item the edition withholds keeps only its id, kind and status."""
    _, fmt, mentions, compact = ctx.tr.gettext, ctx.fmt, ctx.mentions, ctx.compact
    withheld = ctx.disclosure.withholds(item)
    status = item.verification.status if item.verification else "unverified"
    collected = item.collected
    return EvidenceView(
        id=item.id, anchor=anchor("evidence", item.id), kind=item.kind, kind_label=_label(item.kind, ctx.tr),
        title_html=Markup.escape(_("Withheld in this edition")) if withheld else mentions.inline(item.title),
        description_html=None if withheld or compact else mentions.block(item.description),
        source_label=None if withheld else _source_label(ctx, item),
        source_url=None if withheld or not item.source else item.source.url,
        collected_by=None if withheld or not collected else mentions.text(collected.by),
        collected_at=None if withheld or not collected else fmt.timestamp(collected.at),
        collected_method=None if withheld or not collected else collected.method,
        status=status, status_label=_label(status, ctx.tr),
        verification_notes=None if withheld or not item.verification else mentions.text(item.verification.notes),
        file=None if withheld else (_(WITHHELD_PATH) if ctx.people.reveals(item.file) else item.file),
        digest_groups=None if withheld else digest_groups(item.sha256),
        confidential=item.confidential, withheld=withheld,
        custody_count=0 if withheld else len(item.custody),
        collected_date=None if withheld or not collected or not collected.at else fmt.day(collected.at),
        custody=() if withheld or compact else tuple(
            CustodyView(fmt.timestamp(c.at) or "", mentions.text(c.by) or "", _label(c.action, ctx.tr),
                        mentions.text(c.to), mentions.text(c.notes))
            for c in item.custody
        ),
    )


def _source_label(ctx: Context, item: Evidence) -> str | None:
    """'Public Telegram channel, published 30 January 2025', or None without a source."""
    _ = ctx.tr.gettext
    if not item.source or not (item.source.name or item.source.published):
        return None
    label = item.source.name or ""
    if item.source.published:
        published = ctx.fmt.date(item.source.published)
        label = (_("%(source)s, published %(date)s") % {"source": label, "date": published}
                 if label else _("Published %(date)s") % {"date": published})
    return label


def register_listing(case: Case, views: tuple[EvidenceView, ...], mentions: Mentions,
                     tr: Translator) -> RegisterListing:
    """The one-line register of a large case as fixed-width pages for the PDF (listing.py).
    Built last, so that every cross-reference to an item is known and its line gets an anchor."""
    _ = tr.gettext
    by_id = {e.id: e for e in case.evidence}
    rows: list[tuple[list[str], str | None]] = []
    for v in views:
        title = _("Withheld in this edition") if v.withheld else (mentions.plain(by_id[v.id].title) or "")
        digest = "".join(v.digest_groups[:2]) + "…" if v.digest_groups else "—"
        rows.append(([v.id, v.kind_label, title, v.collected_date or "—",
                      "—" if v.withheld else str(v.custody_count), v.status_label, digest],
                     v.anchor if mentions.links_to(v.id) else None))
    titles = [_("ID"), _("Kind"), _("Title"), _("Collected"), _("Custody"), _("Status"), _("SHA-256 (start)")]
    columns = listing.fit_columns(titles, [r[0] for r in rows], LISTING_WIDTH, flexible=2,
                                  caps={0: 14, 1: 18, 5: 22})
    header, pages = listing.paginate(columns, rows, LISTING_LINES_PER_PAGE)
    return RegisterListing(tuple(header), tuple(tuple(page) for page in pages))
