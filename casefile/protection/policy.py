"""Who an edition may name: the one decision every output of casefile follows.

An edition is the internal one (names everyone), the public one (names no protected person)
or a filing body's (names a protected person only if they consented to that body, in their
`consent.share_with`, and the filing lists them in `disclose`). `Disclosure` says what one
edition may show; `hidden` lists the persons it must not name, with their aliases, for the
matcher (`names.NameIndex`) that every check and scan uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.case.model import Case, Evidence, Filing, Person, Region
from casefile.protection.names import Hit, Named, NameIndex, cached

if TYPE_CHECKING:
    from casefile.protection.scan import Scanner


@dataclass(frozen=True)
class Disclosure:
    """What an edition may show. `body` is set for a packet edition for one filing body."""

    edition: str = "internal"
    body: str | None = None
    disclose: frozenset[str] = frozenset()
    include: frozenset[str] = frozenset()

    @property
    def hides_protected(self) -> bool:
        return self.edition != "internal"

    @property
    def public(self) -> bool:
        return self.edition == "public"

    @classmethod
    def for_filing(cls, filing: Filing, label: str | None = None) -> Disclosure:
        """What the packet for one filing body may show."""
        return cls(edition=label or f"for {filing.body}", body=filing.body, disclose=frozenset(filing.disclose),
                   include=frozenset(filing.include))

    def may_name(self, person: Person) -> bool:
        if not person.protected or not self.hides_protected:
            return True
        if self.body is None:
            return False
        consent = getattr(person, "consent", None)
        return consent is not None and self.body in consent.share_with and person.id in self.disclose

    def withholds(self, item: Evidence) -> bool:
        """Whether the item's content and file stay out of this edition: confidential and
        not in this filing's `include`."""
        if not item.confidential or self.edition == "internal":
            return False
        return self.body is None or item.id not in self.include


_SEX = {"female": "f", "male": "m"}


def named(person: Person) -> Named:
    """A person as the matcher sees them; their next of kin's name is hidden with theirs (it
    identifies them, and usually shares the family name)."""
    kin = person.next_of_kin.name if person.next_of_kin is not None and person.next_of_kin.name else None
    return Named(person.id, person.name, (*person.aliases, *((kin,) if kin else ())), _SEX.get(person.sex or ""))


def hidden(case: Case, disclosure: Disclosure) -> list[Person]:
    """The persons this edition must not name (protected, with a name or an alias recorded,
    and not disclosed to it)."""
    return [p for _, p in case.persons()
            if (p.name or p.aliases or _kin(p)) and not disclosure.may_name(p)]


def index(case: Case, disclosure: Disclosure) -> NameIndex:
    """The matcher for the names this edition hides."""
    return cached(tuple(named(p) for p in hidden(case, disclosure)))


def protected(case: Case) -> list[Person]:
    """Every protected person with a name or an alias: what case text must never spell out."""
    return [p for _, p in case.persons() if p.protected and (p.name or p.aliases or _kin(p))]


def _kin(person: Person) -> bool:
    return person.next_of_kin is not None and bool(person.next_of_kin.name)


def depicted_hidden(case: Case, item: Evidence, disclosure: Disclosure) -> list[tuple[str, Region | None]]:
    """The persons an image item shows (`depicts`) whom this edition hides: (id, region or
    None). With a region the image may be shown blurred there; without one it is withheld."""
    if not item.depicts or not disclosure.hides_protected:
        return []
    persons = {p.id: p for _, p in case.persons()}
    out: list[tuple[str, Region | None]] = []
    for depiction in item.depicts:
        person = persons.get(depiction.person)
        if person is not None and person.protected and not disclosure.may_name(person):
            out.append((depiction.person, depiction.region))
    return out


def false_match_keys(case: Case) -> dict[str, frozenset[str]]:
    """Per person, the keys of the words the case declares not to be them (`false_matches`).
    A dossier's scan does not stop on these: validation has checked each at its place."""
    from casefile.protection.normalize import match_keys

    return {p.id: frozenset(k for m in p.false_matches for k in match_keys(m.word)) for _, p in case.persons()
            if p.false_matches}


def images(case: Case, disclosure: Disclosure) -> tuple[frozenset[str], dict[str, list[Region]]]:
    """(ids of images this edition leaves out, regions to blur by id), from `depicts`."""
    withheld: set[str] = set()
    blur: dict[str, list[Region]] = {}
    for item in case.evidence:
        depicted = depicted_hidden(case, item, disclosure)
        if any(region is None for _, region in depicted):
            withheld.add(item.id)
        elif depicted:
            blur[item.id] = [region for _, region in depicted if region is not None]  # all have one here
    return frozenset(withheld), blur


def scanner(case: Case, disclosure: Disclosure, user_templates: Path | None = None) -> Scanner:
    """The scanner for documents casefile renders for this edition: the names it hides, not
    stopping on casefile's own words or on words the case declares not to be the person
    (validation checked those at their place)."""
    from casefile.core.resources import PACKAGE_DIR, templates_dir
    from casefile.protection.scan import Scanner, own_words

    allowed = false_match_keys(case)
    places = (templates_dir(), user_templates, PACKAGE_DIR / "locale", PACKAGE_DIR / "case" / "catalog")
    folders = tuple(p for p in places if p is not None)

    def ignore(hit: Hit) -> bool:
        return hit.key in allowed.get(hit.person, ()) or hit.key in own_words(folders)

    return Scanner(index(case, disclosure), ignore)
