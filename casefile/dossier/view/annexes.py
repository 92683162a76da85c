"""Builds the annexes: A, the provisions cited (instrument, conditions, elements of crimes);
C, the evidence manifest (the SHA-256 of every evidence file the edition may name, the text the
PDF carries as manifest.sha256); D, the revision history of the case file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from casefile.case.catalog import Provision
from casefile.core.i18n import Translator
from casefile.dossier.view.allegations import compound_note
from casefile.dossier.view.context import Context
from casefile.dossier.view.format import anchor, digest_groups
from casefile.dossier.view.labels import APPLIES_LABELS
from casefile.dossier.view.people import WITHHELD_TEXT
from casefile.evidence.seal import Seal


@dataclass(frozen=True)
class ProvisionView:
    id: str
    anchor: str
    label: str
    instrument_name: str
    title: str
    summary: str
    url: str | None
    applies_label: str
    elements: tuple[tuple[str, str, str], ...]  # (element id, number, text)


@dataclass(frozen=True)
class ManifestView:
    text: str  # the seal (evidence/seal.py): sha256sum lines and comment lines
    digest: str | None
    digest_groups: tuple[str, ...] | None
    entries: tuple[tuple[tuple[str, ...] | None, str], ...]  # (digest groups, path); none when compact
    compact: bool
    attached: bool  # the PDF carries the text as the attachment manifest.sha256
    attach_case: bool  # ... and the case file
    case_file: tuple[tuple[str, ...] | None, str] | None = None  # (digest groups, name) of the attached case file
    left_out: tuple[str, ...] = ()  # evidence ids a packet does not carry


@dataclass(frozen=True)
class CommitView:
    sha: str
    date_label: str | None
    author: str
    subject: str


@dataclass(frozen=True)
class HistoryView:
    label: str
    commits: tuple[CommitView, ...]
    in_git: bool


class Commit(Protocol):
    """A commit of the case file (repository/gitinfo.py), as the history annex reads it."""

    @property
    def sha(self) -> str: ...
    @property
    def date(self) -> str: ...  # ISO 8601
    @property
    def author(self) -> str: ...
    @property
    def subject(self) -> str: ...


class Provenance(Protocol):
    """Where the case file came from (repository/gitinfo.py), as the history annex reads it."""

    @property
    def commit(self) -> str | None: ...
    @property
    def dirty(self) -> bool: ...
    @property
    def history(self) -> Sequence[Commit]: ...
    @property
    def in_git(self) -> bool: ...


def build_annex(ctx: Context, cited: Sequence[Provision]) -> tuple[ProvisionView, ...]:
    """Annex A: every provision cited, in order of first citation."""
    _, lang = ctx.tr.gettext, ctx.lang
    return tuple(ProvisionView(
        id=p.id, anchor=anchor("provision", p.id), label=p.label_in(lang), instrument_name=p.instrument.name_in(lang),
        # a compound crime has no elements: its summary names the variants that have them
        title=p.title_in(lang), summary=f"{p.summary} {compound_note(ctx, p)}" if p.compound else p.summary, url=p.url,
        applies_label="; ".join(_(APPLIES_LABELS[a]) if a in APPLIES_LABELS else a for a in p.applies_to),
        elements=tuple((e.id, str(e.number), e.text) for e in p.elements)) for p in cited)


@dataclass(frozen=True)
class SealInput:
    """What the caller knows of the seal that the view cannot: the attached case file's name
    and digest, and for a packet the files it carries (path in the packet, digest) and the
    evidence it leaves out. `files` None: the evidence files this edition may name."""

    case_file: tuple[str, str] | None = None
    files: tuple[tuple[str, str], ...] | None = None
    left_out: tuple[str, ...] = ()


def build_manifest(ctx: Context, attach_case: bool, given: SealInput | None = None) -> ManifestView:
    """Annex C: the seal (evidence/seal.py). `attach_case`: the PDF carries the case file too."""
    given = given or SealInput()
    if given.files is None:
        # the manifest of a shared edition lists only files it may name
        files = tuple((e.file, e.sha256) for e in ctx.case.evidence if e.file and e.sha256
                      and not ctx.disclosure.withholds(e) and not ctx.people.reveals(e.file))
    else:
        files = given.files
    attached = attach_case and ctx.mode == "pdf"
    case_file = given.case_file if attached else None
    seal = Seal(ctx.case.id, files, case_file, given.left_out)
    text = seal.text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return ManifestView(
        text=text, digest=digest, digest_groups=digest_groups(digest),
        # a long manifest prints as sha256sum text, not as a table (see REGISTER_THRESHOLD)
        entries=() if ctx.compact else tuple((digest_groups(d), path) for path, d in sorted(set(files))),
        compact=ctx.compact, attached=ctx.mode == "pdf", attach_case=attached,
        case_file=(digest_groups(case_file[1]), case_file[0]) if case_file else None, left_out=seal.left_out)


def provenance_label(tr: Translator, provenance: Provenance) -> str:
    """'commit 1a2b3c4d5e6f + uncommitted changes', 'not in git', ... in the dossier's language."""
    _ = tr.gettext
    if not provenance.in_git:
        return _("not in git")
    if provenance.commit is None:
        return _("not committed")
    label = _("commit {sha}").format(sha=provenance.commit[:12])
    return _("{commit} + uncommitted changes").format(commit=label) if provenance.dirty else label


def build_history(ctx: Context, provenance: Provenance | None) -> HistoryView:
    """Annex D: the commits of the case file, newest first."""
    _, people = ctx.tr.gettext, ctx.people
    if provenance is None:
        return HistoryView(label=_("not recorded"), commits=(), in_git=False)
    return HistoryView(
        label=provenance_label(ctx.tr, provenance),
        # a commit message or author may name someone this edition hides: withheld, commit kept
        commits=tuple(CommitView(sha=c.sha[:12], date_label=ctx.fmt.date(date.fromisoformat(c.date[:10])),
                                 author=_(WITHHELD_TEXT) if people.reveals(c.author) else c.author,
                                 subject=_(WITHHELD_TEXT) if people.reveals(c.subject) else c.subject)
                      for c in provenance.history),
        in_git=provenance.in_git)
