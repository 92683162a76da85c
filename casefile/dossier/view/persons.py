"""Builds section "Persons": victims, perpetrators and witnesses, each shown only through the
label `People` gives them in this edition, with their role, details and protection notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from casefile.case.model import Perpetrator, Person, Victim, Witness
from casefile.case.persons import LifeEvent
from casefile.dossier.view.context import Context
from casefile.dossier.view.format import anchor
from casefile.dossier.view.labels import _label

# (number, title, anchor, key): a subsection, and the PersonsView field it lists
PersonsGroup = tuple[str, str, str, str]


@dataclass(frozen=True)
class PersonView:
    id: str
    anchor: str
    label: str
    protected: bool
    named: bool
    role_label: str
    details: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class PersonsView:
    victims: tuple[PersonView, ...]
    perpetrators: tuple[PersonView, ...]
    witnesses: tuple[PersonView, ...]
    groups: tuple[PersonsGroup, ...]


def build_persons(ctx: Context, number: str, omitted: frozenset[str] = frozenset()) -> PersonsView:
    """Section `number`'s subsections (victims, alleged perpetrators, witnesses, but those of
    the parts this edition leaves out, `omitted`), persons in file order."""
    _ = ctx.tr.gettext
    incident = ctx.case.incident
    titles = ((_("Victims"), "victims"), (_("Alleged perpetrators"), "perpetrators"), (_("Witnesses"), "witnesses"))
    kept = [(title, key) for title, key in titles if key not in omitted]

    def listed(key: str) -> tuple[PersonView, ...]:
        return () if key in omitted else tuple(person_view(ctx, p) for p in getattr(incident, key))

    return PersonsView(
        victims=listed("victims"), perpetrators=listed("perpetrators"), witnesses=listed("witnesses"),
        groups=tuple((f"{number}.{i}", title, f"persons-{key}", key) for i, (title, key) in enumerate(kept, start=1)),
    )


def person_view(ctx: Context, person: Person) -> PersonView:
    _ = ctx.tr.gettext
    people = ctx.people
    role_label, details = _role(ctx, person)
    affiliation = getattr(person, "affiliation", None)
    if affiliation:
        details.append((_("Affiliation"), affiliation))
    if not person.protected or ctx.disclosure.may_name(person):  # identifying: hidden with the name
        details += _identifying(ctx, person)
    notes: list[str] = []
    if person.protected:
        if not person.name:
            notes.append(_("Protected person — no name recorded"))
        elif people.named(person.id):
            notes.append(_("Protected person — named in this edition only"))
        else:
            notes.append(_("Protected person — identity withheld in this edition"))
    consent = getattr(person, "consent", None)
    if consent is not None and consent.share_with and not ctx.disclosure.public:
        when = f" ({ctx.fmt.date(consent.date)})" if consent.date else ""
        notes.append(_("Consent to share identity with: %(bodies)s") % {"bodies": ", ".join(consent.share_with)}
                     + when)
    return PersonView(person.id, anchor("person", person.id), people.label(person.id), person.protected,
                      people.named(person.id), role_label, tuple(details), tuple(notes))


def _identifying(ctx: Context, person: Person) -> list[tuple[str, str]]:
    """What identifies a person besides their name (persons.Details), as label and value."""
    _ = ctx.tr.gettext
    kin = person.next_of_kin
    values = [
        (_("Born"), ctx.fmt.date(person.born)),
        (_("Age"), str(person.age) if person.age else None),
        (_("Sex"), _label(person.sex, ctx.tr) if person.sex and person.sex != "unknown" else None),
        (_("Citizenship"), ctx.fmt.country(person.citizenship)),
        (_("Rank"), person.rank),
        (_("Unit"), person.unit if not isinstance(person, Perpetrator) else None),  # theirs is in _role
        (_("Service number"), person.service_number),
        (_("Captured"), _event(ctx, person.captured)),
        (_("Died"), _event(ctx, person.died)),
        (_("Next of kin"), ", ".join(x for x in (kin.name, kin.relation, kin.contact) if x) if kin else None),
    ]
    return [(label, value) for label, value in values if value]


def _event(ctx: Context, event: LifeEvent | None) -> str | None:
    if event is None:
        return None
    return ", ".join(x for x in (ctx.fmt.date(event.date), event.place) if x) or None


def _role(ctx: Context, person: Person) -> tuple[str, list[tuple[str, str]]]:
    """The role line of a person, and the details their role has."""
    _ = ctx.tr.gettext
    details: list[tuple[str, str]] = []
    if isinstance(person, Victim):
        role_label = " — ".join(x for x in (_label(person.category, ctx.tr) or _("Victim"),
                                            _label(person.harm, ctx.tr)) if x)
        if person.count > 1:
            details.append((_("Count"), str(person.count)))
    elif isinstance(person, Witness):
        role_label = _("Witness") + (f" — {person.role}" if person.role else "")
    else:
        role_label = _("Alleged perpetrator")  # presumption of innocence
        assert isinstance(person, Perpetrator)
        if person.description:
            details.append((_("Description"), person.description))
        if person.unit:
            details.append((_("Unit"), person.unit))
    return role_label, details
