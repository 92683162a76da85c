"""What every section builder of one view shares: the case and catalog, the edition (its
`Disclosure` and `People`), the language (translator and `Formatter`), the output mode, whether
evidence is laid out as the one-line register, and the `Mentions` that resolve ids in case text.
"""

from __future__ import annotations

from dataclasses import dataclass

from casefile.case.catalog import Catalog
from casefile.case.model import Case
from casefile.core.i18n import Translator, translator
from casefile.dossier.view.format import Formatter
from casefile.dossier.view.mentions import Mentions
from casefile.dossier.view.people import People
from casefile.protection.policy import Disclosure


@dataclass(frozen=True)
class Context:
    case: Case
    catalog: Catalog
    disclosure: Disclosure
    lang: str
    mode: str  # "pdf" or "html"
    compact: bool  # evidence as one line per item (the "register" layout)
    tr: Translator
    fmt: Formatter
    people: People
    mentions: Mentions

    @classmethod
    def create(cls, case: Case, catalog: Catalog, disclosure: Disclosure, *, lang: str, mode: str,
               compact: bool, unlinked: frozenset[str] = frozenset()) -> Context:
        """`unlinked`: ids of what this edition leaves out (`parts.py`): mentioned, not linked."""
        people = People(case, disclosure, lang)
        return cls(case, catalog, disclosure, lang, mode, compact, translator(lang), Formatter(lang), people,
                   Mentions(case, people, disclosure, lang=lang, unlinked=unlinked))
