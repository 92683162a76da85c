"""Mentions and cross-references: how an `@id` in case text, or an id a list refers to, becomes
what the dossier prints and links to.

A person resolves to the label `People` gives them in this edition (never to a name it hides);
an evidence item, source or allegation to its id and the anchor of its entry. Case text comes
out as `Markup` (block or inline Markdown) or as plain text, for titles and metadata.
`Mentions` also records which evidence items something links to: in the one-line register of a
large case only their lines get an anchor.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from casefile.case.localize import language_of
from casefile.case.model import Case
from casefile.core import text
from casefile.dossier.view.format import anchor
from casefile.dossier.view.people import People
from casefile.protection.policy import Disclosure


@dataclass(frozen=True)
class Ref:
    """A cross-reference: what it prints, and the anchor it links to (None: not linked)."""

    id: str
    label: str
    anchor: str | None


class Mentions:
    """Resolves ids for one edition's view; the only mutable part of a build (`linked`).
    `links=False` for a document with no entries to link to (a letter, a slip sheet, the
    register): the same labels, no anchors."""

    def __init__(self, case: Case, people: People, disclosure: Disclosure, *, links: bool = True,
                 lang: str | None = None, unlinked: frozenset[str] = frozenset()):
        self._links = links
        self._unlinked = unlinked  # what this edition leaves out: printed by its id or label, never linked
        self._lang = lang  # the document's language: text in another is marked with its own
        self._case = case
        self._people = people
        self._disclosure = disclosure
        self._evidence = {e.id for e in case.evidence}
        self._sources = {s.id for s in case.sources}
        self._allegations = {a.id for a in case.allegations}
        self._linked: set[str] = set()  # items something links to: their rows need an anchor

    @property
    def linked(self) -> frozenset[str]:
        """The evidence items something links to, so far."""
        return frozenset(self._linked)

    def link(self, ident: str) -> None:
        """Record that something links to evidence item `ident`."""
        self._linked.add(ident)

    def links_to(self, ident: str) -> bool:
        return ident in self._linked

    def resolve(self, ident: str) -> tuple[str, str | None] | None:
        found = self._resolve(ident)
        return (found[0], None) if found is not None and not self._links else found

    def _resolve(self, ident: str) -> tuple[str, str | None] | None:
        if ident in self._unlinked:
            return (self._people.label(ident) if ident in self._people else ident), None
        if ident in self._people:
            return self._people.label(ident), anchor("person", ident)
        if ident in self._evidence:
            self._linked.add(ident)
            return ident, anchor("evidence", ident)
        if ident in self._sources:
            return ident, anchor("source", ident)
        if ident in self._allegations:
            return ident, anchor("allegation", ident)
        return None

    def block(self, value: str | None) -> Markup | None:
        if not value:
            return None
        html = text.render_block(value, self.resolve)
        other = self._other_language(value)
        return Markup('<div lang="{}">{}</div>').format(other, html) if other else html

    def inline(self, value: str) -> Markup:
        html = text.render_inline(value, self.resolve)
        other = self._other_language(value)
        return Markup('<span lang="{}">{}</span>').format(other, html) if other else html

    def text(self, value: str | None) -> Markup | None:
        """Case text as plain text (mentions as labels), for table cells and the like: marked
        with its language when that is not the document's."""
        if not value:
            return None
        other = self._other_language(value)
        plain = text.plain(value, self.resolve)
        return Markup('<span lang="{}">{}</span>').format(other, plain) if other else Markup.escape(plain)

    def _other_language(self, value: str) -> str | None:
        """The language of case text when it is not the document's (screen readers, PDF/UA
        and hyphenation read it in its own language), else None."""
        if self._lang is None:
            return None
        written = language_of(value, self._case)
        return written if written != self._lang else None

    def plain(self, value: str | None) -> str | None:
        return text.plain(value, self.resolve) if value else None

    def ref(self, ident: str, with_title: bool = False) -> Ref:
        found = self.resolve(ident)
        label, target = found if found else (ident, None)
        if with_title:
            item = next((e for e in self._case.evidence if e.id == ident), None)
            if item is not None and not self._disclosure.withholds(item):
                label = f"{ident} — {self.plain(item.title)}"
            source = next((s for s in self._case.sources if s.id == ident), None)
            if source is not None:
                label = f"{ident} — {self.plain(source.title)}"
        return Ref(ident, label, target)
