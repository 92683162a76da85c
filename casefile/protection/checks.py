"""Validation of protection: a protected person's name must never be spelled out in the case.

Every string of the case (text, titles, ids, file names, other persons' names) goes to some
edition; a protected name written there would reach every edition, whoever may read it. So
a match of a protected person's name (`names.NameIndex`: any part, declined, in either
script, however disguised) anywhere but in their own `name` and `aliases` is a problem,
located at the word and reported by person id and rule, never by the name:

- in text or a title: an error (write `@V1`, or, for a word that only looks like the name,
  list it under the person's `false_matches` at that place);
- in an id (case, person, item, allegation, source): an error (ids are printed everywhere);
- in an evidence file name: a warning (the name is withheld from every edition that hides
  the person);
- in another person's name: nothing when both are protected (relatives), else a warning (the
  other person is named wherever they are, so their name reveals the protected one);
- a `disclose` that names, to a body, a person whose name reveals someone that body may not
  know: an error on that `disclose` entry.

Also: `false_matches` entries that clear nothing (a warning, so that stale ones are seen),
`depicts` and `reviewed_for` references, and images whose text mentions a protected person
without saying whom they show.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from casefile.case.catalog import Catalog
from casefile.case.checks import iter_strings
from casefile.case.model import Case, Person
from casefile.case.values import Text
from casefile.core import typos
from casefile.core.errors import Loc, Problem, error, format_loc, warning
from casefile.core.text import MENTION_RE
from casefile.protection import policy
from casefile.protection.names import NameIndex, cached

_ROLES = (("victims", "victim"), ("perpetrators", "perpetrator"), ("witnesses", "witness"))
IMAGE_KINDS = ("photo", "satellite-image", "video")
ID_KEYS = {"id"}


def check_names(case: Case, catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    persons = _person_locs(case)
    protected = policy.protected(case)
    if protected:
        _check_strings(case, cached(tuple(policy.named(p) for p in protected)), persons, problems)
        _check_disclosures(case, catalog, problems)
    _check_depicts(case, persons, problems)
    _check_reviewed(case, catalog, problems)
    return problems


def _person_locs(case: Case) -> dict[Loc, Person]:
    """('incident', 'victims', 0) -> the person there."""
    return {("incident", key, i): p for key, _ in _ROLES for i, p in enumerate(getattr(case.incident, key))}


def _owner(loc: Loc, persons: dict[Loc, Person]) -> tuple[Person | None, str]:
    """The person whose own name, alias or false match this string is, and which of them."""
    if len(loc) >= 4 and loc[0] == "incident" and loc[:3] in persons and loc[3] in ("name", "aliases",
                                                                                   "false_matches", "next_of_kin"):
        return persons[loc[:3]], str(loc[3])
    return None, ""


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold()


def _check_strings(case: Case, index: NameIndex, persons: dict[Loc, Person], problems: list[Problem]) -> None:
    by_id = {p.id: p for p in persons.values()}
    allowed: dict[tuple[str, str, str], Loc] = {}
    for loc, person in persons.items():
        for j, match in enumerate(person.false_matches):
            allowed[(person.id, match.at.strip(), _fold(match.word))] = (*loc, "false_matches", j)
    used: set[tuple[str, str, str]] = set()
    strings = list(iter_strings(case))
    # one look at all of it first: most cases write no protected name anywhere
    if not index.find("\n".join(text for _, text in strings)) and not allowed:
        return
    for loc, text in strings:
        owner, field = _owner(loc, persons)
        if field == "false_matches" or not index.find(text):
            continue
        at = format_loc(loc)
        field_at = format_loc(loc[:-1]) if _is_language_key(case, loc) else at  # false_matches' `at` may
        # name the field (incident.description) or one language's text (incident.description.uk)
        seen: dict[str, int] = {}
        for hit in index.locate(text):
            words = hit.surface(text)
            occurrence = seen.get(words, 0)
            seen[words] = occurrence + 1
            if owner is not None and owner.id == hit.person:
                continue
            key = (hit.person, at, _fold(words))
            field_key = (hit.person, field_at, _fold(words))
            if key in allowed or field_key in allowed:
                used.add(key if key in allowed else field_key)
                continue
            problem = _problem(loc, hit.person, hit.rule, owner, by_id)
            if problem is not None:
                problems.append(_at_word(problem, words, text, hit.start))
    for key, loc in allowed.items():
        if key not in used:
            problems.append(warning((*loc, "word"), f"this false match clears nothing at '{key[1]}'",
                                    "remove the entry, or correct its word or key path"))


def _is_language_key(case: Case, loc: Loc) -> bool:
    """Whether the last key of `loc` is a language of text written in several languages."""
    value: Any = case
    for part in loc[:-1]:
        value = value[part] if isinstance(part, int) else getattr(value, str(part), None)
        if value is None:
            return False
    return isinstance(value, Text)


def _at_word(problem: Problem, words: str, text: str, start: int) -> Problem:
    from dataclasses import replace

    return replace(problem, span=(words, text.count(words, 0, start)))


def _problem(loc: Loc, pid: str, rule: str, owner: Person | None, by_id: dict[str, Person]) -> Problem | None:
    if owner is not None:  # another person's name or alias
        if owner.protected:
            return None  # both protected: hidden together (a disclosure that separates them is checked below)
        return warning(loc, f"this name shares a part with protected person {pid} ({rule})",
                       f"protect {owner.id} too if that identifies {pid}; if it does not, list the word under "
                       f"{pid}'s false_matches with at: {format_loc(loc)}")
    if loc[-1] in ID_KEYS:
        return error(loc, f"this id contains the name of protected person {pid} ({rule})",
                     "ids are printed in every edition and file name: choose one that names no one")
    if loc[-1] == "file":
        return warning(loc, f"the file name contains the name of protected person {pid} ({rule})",
                       "it is withheld from every edition and packet that hides them; renaming the file is safer")
    return error(loc, f"the name of protected person {pid} is written here ({rule})",
                 f"write @{pid} instead, so that each edition shows the name or the pseudonym; if the word is "
                 f"not {pid}, list it under {pid}'s false_matches with at: {format_loc(loc)}")


def _check_disclosures(case: Case, catalog: Catalog, problems: list[Problem]) -> None:
    """A body told a person's name must not learn a hidden relative's from it."""
    for i, filing in enumerate(case.filings):
        if filing.body not in catalog.bodies:
            continue
        disclosure = policy.Disclosure(edition=f"for {filing.body}", body=filing.body,
                                       disclose=frozenset(filing.disclose), include=frozenset(filing.include))
        hidden = policy.hidden(case, disclosure)
        if not hidden:
            continue
        index = cached(tuple(policy.named(p) for p in hidden))
        for j, pid in enumerate(filing.disclose):
            person = case.person(pid)
            if person is None or not person.protected or not disclosure.may_name(person):
                continue
            revealed = sorted({hit.person for text in (person.name, *person.aliases) if text
                               for hit in index.find(text) if hit.person != pid})
            for other in revealed:
                problems.append(error(("filings", i, "disclose", j),
                                      f"disclosing {pid} to {filing.body} reveals part of the name of {other}, "
                                      f"whom {filing.body} may not know",
                                      f"disclose {other} too (with their consent to {filing.body}), or neither"))


def _check_depicts(case: Case, persons: dict[Loc, Person], problems: list[Problem]) -> None:
    ids = {p.id: p for p in persons.values()}
    for i, item in enumerate(case.evidence):
        for j, depiction in enumerate(item.depicts or ()):
            if depiction.person not in ids:
                match = typos.typo_of(depiction.person, ids, same_digits=True)  # another id is another person
                problems.append(error(("evidence", i, "depicts", j), f"unknown person '{depiction.person}'",
                                      f"did you mean '{match}'?" if match else
                                      "depicts lists person ids: " + ", ".join(sorted(ids))))
        if item.kind not in IMAGE_KINDS or item.depicts is not None:
            continue
        mentioned = [ident for text in (item.title, item.description or "") for ident in MENTION_RE.findall(text)]
        shown = sorted({m for m in mentioned if m in ids and ids[m].protected})
        if shown:
            problems.append(warning(("evidence", i), f"the {item.kind.replace('-', ' ')} mentions protected person "
                                    f"{', '.join(shown)} but does not say whom it shows",
                                    f"add depicts: [{', '.join(shown)}] if it shows them (editions that hide them "
                                    "leave it out, or blur a region), or depicts: [] if it does not"))


def _check_reviewed(case: Case, catalog: Catalog, problems: list[Problem]) -> None:
    for i, item in enumerate(case.evidence):
        for j, body in enumerate(item.reviewed_for):
            if body not in catalog.bodies:
                guess = catalog.suggest_body(body)
                problems.append(error(("evidence", i, "reviewed_for", j), f"unknown filing body '{body}'",
                                      f"did you mean '{guess}'?" if guess else "see `casefile catalog bodies`"))
