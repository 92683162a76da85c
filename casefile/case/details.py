"""Checks of what identifies a person besides their name (`persons.Details`): a date of birth
or an age, not both; a life that runs forward (born, captured, died); no date in the future."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from casefile.case.model import Case
from casefile.case.persons import Perpetrator, Victim, Witness
from casefile.case.values import PartialDate
from casefile.core.errors import Loc, Problem, error, warning

_ROLES = ("victims", "witnesses", "perpetrators")


def check_details(case: Case, today: date) -> list[Problem]:
    problems: list[Problem] = []
    for key in _ROLES:
        people: list[Victim | Witness | Perpetrator] = list(getattr(case.incident, key))
        for i, person in enumerate(people):
            check_person(person, ("incident", key, i), today, problems)
    return problems


def check_person(person: Victim | Witness | Perpetrator, base: Loc, today: date, problems: list[Problem]) -> None:
    if person.born is not None and person.age is not None:
        problems.append(error((*base, "age"), "give born or age, not both",
                              "age is for a person whose date of birth is not known"))
    events: list[tuple[Loc, str, PartialDate]] = []
    if person.born is not None:
        events.append(((*base, "born"), "born", person.born))
    for name in ("captured", "died"):
        event = getattr(person, name)
        if event is not None and event.date is not None:
            events.append(((*base, name, "date"), name, event.date))
    for loc, _, when in events:
        if when.first_day > today:
            problems.append(warning(loc, f"{when} is in the future (today is {today.isoformat()})"))
    # each event no earlier than the one before it (partial dates: compared where they may overlap)
    for (_, before, first), (loc, after, then) in pairwise(events):
        if then.last_day < first.first_day:
            problems.append(error(loc, f"{after} {then} is before {before} {first}"))
