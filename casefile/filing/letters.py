"""The cover letter of a packet: what the letter template sees, and which template it is.

`build_letter_view` turns a case, its filing and the body into a `LetterView` (frozen
dataclasses, like the dossier's view; templates/letters/README.md lists the fields the
templates read), in the letter's own language: people by the labels `People` gives them for
this body, `@id` mentions resolved by the dossier's `Mentions`, dates and States named in
that language. The letter is translated with gettext like the dossier (`_()` in the
templates, `casefile/locale/`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from casefile.case.catalog import Body, Catalog
from casefile.case.localize import localize
from casefile.case.model import Case, Filing
from casefile.core import languages
from casefile.core.errors import CasefileError
from casefile.core.i18n import N_, Translator, translator
from casefile.dossier.view import Disclosure, Formatter, People
from casefile.dossier.view.mentions import Mentions
from casefile.filing.requirements import FIRST_HAND_KINDS

LETTER_CSS = "letters/letter.css"


@dataclass(frozen=True)
class Channel:
    type: str
    label: str | None
    value: str


@dataclass(frozen=True)
class Addressee:
    id: str
    name: str
    short: str | None
    address_lines: tuple[str, ...]  # the postal address without the body's name
    channels: tuple[Channel, ...]


@dataclass(frozen=True)
class Sender:
    name: str | None
    contact: str | None
    address: tuple[str, ...] = ()
    signatory: str | None = None  # the person who signs; else the sender's name
    position: str | None = None


@dataclass(frozen=True)
class LetterCase:
    id: str
    title: str
    classification_label: str


@dataclass(frozen=True)
class LetterIncident:
    date_label: str | None
    place: str
    conflict_label: str | None


@dataclass(frozen=True)
class LetterAllegation:
    id: str
    title: str
    provisions: tuple[str, ...]  # provision labels in the letter's language


@dataclass(frozen=True)
class LetterView:
    kind: str  # the body's kind: un-special-procedure, court, humanitarian, prosecutor, ...
    body: Addressee
    sender: Sender
    date_label: str | None
    reference: str  # <CASE>-<BODY>
    case: LetterCase
    incident: LetterIncident
    summary_html: Markup | None
    victims: tuple[str, ...]  # as this body may know them: names or pseudonyms
    victims_count: int
    allegations: tuple[LetterAllegation, ...]
    evidence_count: int
    exhibits_count: int
    first_hand_evidence: bool
    respondent_name: str | None  # the respondent State (ECtHR), in the letter's language
    state_concerned: str | None  # incident.state_responsible, named in the letter's language
    domestic_references: tuple[str, ...]
    proceedings: tuple[str, ...]  # numbers of registered proceedings: actions' references, the filing's
    enclosures: tuple[str, ...]
    disclosure_note: str | None
    confidentiality: str | None  # the catalog's notes are advice to the sender, never sent: None


@dataclass(frozen=True)
class Enclosed:
    """An exhibit the letter lists as enclosed."""

    id: str
    title: str
    name: str  # its path in the packet: exhibits/...


def build_letter_view(case: Case, body: Body, filing: Filing, catalog: Catalog, *, language: str,
                      disclosure: Disclosure, dossier_title: str, classification_label: str,
                      conflict_label: str | None, enclosed: list[Enclosed]) -> LetterView:
    """The letter to `body`, in `language`. `dossier_title`, `classification_label` and
    `conflict_label` are the enclosed dossier's, so the letter names it as it is printed."""
    case = localize(case, language).case  # the case text in the letter's language where it is written in it
    fmt = Formatter(language)
    tr = translator(language)
    people = People(case, disclosure, languages.written(language) or case.language)
    mentions = Mentions(case, people, disclosure, links=False, lang=language)

    def plain(value: str) -> str:
        return mentions.plain(value) or ""

    enclosures = [tr.gettext("Dossier %(id)s (%(title)s)") % {"id": case.id,
                                                               "title": dossier_title.split(" — ", 1)[-1]},
                  tr.gettext("Manifest of the packet (SHA-256)")]  # the checklist stays with the sender
    enclosures += [tr.gettext("Exhibit %(id)s: %(title)s (%(file)s)")
                   % {"id": e.id, "title": plain(e.title), "file": e.name} for e in enclosed]
    return LetterView(
        kind=body.kind,
        body=_addressee(body),
        sender=Sender(case.prepared.by, case.prepared.contact, tuple(case.prepared.address),
                      case.prepared.signatory.name if case.prepared.signatory else None,
                      case.prepared.signatory.position if case.prepared.signatory else None),
        date_label=fmt.date(filing.date or case.prepared.date),
        reference=f"{case.id}-{body.id}",
        case=LetterCase(case.id, plain(case.title), classification_label),
        incident=LetterIncident(fmt.date(case.incident.date), _place(case, fmt), conflict_label),
        summary_html=mentions.block(case.summary),
        victims=tuple(people.label(v.id) for v in case.incident.victims),
        victims_count=sum(v.count for v in case.incident.victims),
        allegations=tuple(LetterAllegation(a.id, plain(a.title),
                                           tuple(catalog.provisions[p].label_in(language)
                                                 for p in a.provisions if p in catalog.provisions))
                          for a in case.allegations),
        evidence_count=len(case.evidence), exhibits_count=len(enclosed),
        first_hand_evidence=any(e.kind in FIRST_HAND_KINDS for e in case.evidence),
        respondent_name=state_name(filing.respondent, language) if filing.respondent else None,
        state_concerned=(state_name(case.incident.state_responsible, language)
                         if case.incident.state_responsible else None),
        proceedings=tuple(dict.fromkeys([*(a.reference for a in case.actions if a.reference),
                                         *([filing.reference] if filing.reference else [])])),
        domestic_references=tuple(f"{a.reference} ({a.by}, {fmt.date(a.date)})" for a in case.actions
                                  if a.reference),
        enclosures=tuple(enclosures),
        disclosure_note=_disclosure_note(case, disclosure, tr),
        confidentiality=None,
    )


def _addressee(body: Body) -> Addressee:
    lines = (body.address or "").splitlines()
    if lines and lines[0].strip() == body.name:  # the address starts with the name printed above it
        lines = lines[1:]
    return Addressee(body.id, body.name, body.short, tuple(lines),
                     tuple(Channel(c.type, c.label, c.value) for c in body.channels))


def _place(case: Case, fmt: Formatter) -> str:
    location = case.incident.location
    if location is None:
        return ""
    country = fmt.country(location.country)
    country = country.rsplit(" (", 1)[0] if country else None  # "Ukraine (UA)" -> "Ukraine"
    return ", ".join(x for x in (location.place, location.region, country) if x)


def _disclosure_note(case: Case, disclosure: Disclosure, tr: Translator) -> str | None:
    protected = [p for _, p in case.persons() if p.protected]
    if not protected:
        return None
    hidden = sum(1 for p in protected if not disclosure.may_name(p))
    return " ".join((
        tr.ngettext("%(num)s person in this case is protected.", "%(num)s persons in this case are protected.",
                    len(protected)) % {"num": len(protected)},
        tr.gettext("Identities withheld from this body, for lack of consent to share them, and shown by "
                   "pseudonym: %(num)s.") % {"num": hidden} if hidden else
        tr.gettext("Their identities are shared with this body with their consent."),
        tr.gettext("Please do not disclose identities beyond the purpose of this submission.")))


def render_letter_html(letter: LetterView, body_id: str, *, language: str, generator: str, draft: bool,
                       user_templates: Path | None) -> str:
    from casefile.dossier.html import environment, read_asset

    env = environment(user_templates, language)  # the letter speaks its own language
    return letter_template(env, body_id).render(
        lang=language, css=read_asset(LETTER_CSS, user_templates),
        font_css=read_asset("css/fonts.css", user_templates), generator=generator, draft=draft, letter=letter)


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
