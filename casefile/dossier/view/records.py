"""Builds the sections that list the case's records as tables: "Sources" (public reporting),
"Actions taken by authorities" and "Filings" (the bodies the case is, or will be, filed with).
"""

from __future__ import annotations

from dataclasses import dataclass

from casefile.core import languages
from casefile.dossier.view.context import Context
from casefile.dossier.view.format import anchor
from casefile.dossier.view.labels import _label


@dataclass(frozen=True)
class SourceView:
    id: str
    anchor: str
    title: str | None
    publisher: str | None
    url: str | None
    date_label: str | None


@dataclass(frozen=True)
class ActionView:
    date_label: str | None
    by: str
    action: str | None
    reference: str | None


@dataclass(frozen=True)
class FilingView:
    body_id: str
    body_name: str
    status_label: str
    date_label: str | None
    reference: str | None
    language_label: str


def build_sources(ctx: Context) -> tuple[SourceView, ...]:
    return tuple(SourceView(id=s.id, anchor=anchor("source", s.id), title=ctx.mentions.text(s.title),
                            publisher=s.publisher, url=s.url, date_label=ctx.fmt.date(s.date))
                 for s in ctx.case.sources)


def build_actions(ctx: Context) -> tuple[ActionView, ...]:
    return tuple(ActionView(date_label=ctx.fmt.date(a.date), by=a.by, action=ctx.mentions.text(a.action),
                            reference=a.reference)
                 for a in ctx.case.actions)


def build_filings(ctx: Context) -> tuple[FilingView, ...]:
    filings: list[FilingView] = []
    for f in ctx.case.filings:
        body = ctx.catalog.bodies.get(f.body)
        language = languages.packet_language(f.language, ctx.case.language, body.languages) if body else f.language
        filings.append(FilingView(
            body_id=f.body, body_name=body.name if body else f.body, status_label=_label(f.status, ctx.tr),
            date_label=ctx.fmt.date(f.date), reference=f.reference,
            language_label=ctx.tr.gettext(languages.name(language)) if language else ""))
    return tuple(filings)
