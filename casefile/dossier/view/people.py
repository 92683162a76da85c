"""Who may be named: `People` decides, for one edition, how each person of a case is shown.

`Disclosure` (protection/policy.py) says whom an edition may name; `People` turns that into the
one label every part of the dossier prints for a person (tables, `@id` mentions, titles,
metadata): the name, or a pseudonym numbered per role in file order. It also tells whether a
text the edition would print as is (a file name, a commit message) names someone it hides.
"""

from __future__ import annotations

from casefile.case.model import Case, Person, Victim
from casefile.core.i18n import N_, translator
from casefile.protection.names import NameIndex, cached
from casefile.protection.policy import Disclosure, named

WITHHELD_PATH = N_("(file name withheld in this edition)")
WITHHELD_TEXT = N_("(withheld in this edition)")

# pseudonyms, numbered per role in file order (translated: "Victim 1" is "Потерпілий 1" in uk)
_PSEUDONYMS = {"victim": N_("Victim %(num)s"), "perpetrator": N_("Alleged perpetrator %(num)s"),
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
        self._index: NameIndex | None = None
        counters: dict[str, int] = {}
        for role, person in case.persons():
            counters[role] = counters.get(role, 0) + 1
            # numbering by order in the file, per role: stable across editions and runs
            pattern = _PSEUDONYMS[role]
            if isinstance(person, Victim) and person.count > 1:
                pattern = _GROUP_PSEUDONYM
            pseudonym = tr.gettext(pattern) % {"num": counters[role]}
            may_name = disclosure.may_name(person) and bool(person.name)
            self._labels[person.id] = person.name if may_name and person.name else pseudonym
            self._named[person.id] = may_name
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
            self._index = cached(tuple(named(p) for p in self._persons.values()
                                       if not self.disclosure.may_name(p) and (p.name or p.aliases)))
        return self._index.names(text)

    def __contains__(self, pid: str) -> bool:
        return pid in self._labels
