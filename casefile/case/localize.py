"""A case in one language: the text of every field written in several languages
(`title: {en: …, uk: …}`) chosen for the dossier or letter being written, and the fields that
have no text in that language.

A field without the language keeps the text it has (the case's language's, else the first
given), so nothing is left out; each such field is reported (`Missing`), so `render` can warn
and `check` can say whether a body can read what it is sent. A plain string is in the case's
`language:`. Every chosen text knows its language (`Text.lang`), so a dossier can mark text in
another language than its own for screen readers and PDF/UA.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from casefile.case.checks import iter_text_fields
from casefile.case.model import Case
from casefile.case.values import Text
from casefile.core.errors import Loc, Problem, warning


@dataclass(frozen=True)
class Missing:
    """A text field with no text in the language asked for: where, and the language it is in."""

    loc: Loc
    written_in: str
    phrase: bool  # a place, unit or organisation (often the same in every language), not free text


@dataclass(frozen=True)
class Localized:
    case: Case
    language: str
    missing: tuple[Missing, ...]
    several: bool = False  # some text of the case is written in several languages

    def warnings(self, limit: int = 20) -> list[Problem]:
        """A warning per field without this language's text (at most `limit`, then one that
        counts the rest); for a case written in one language only, one warning that says so."""
        if not self.several and self.missing:
            written = self.missing[0].written_in
            return [warning((), f"the case text is written in {written} only: this {self.language} document "
                                f"prints it in {written}",
                            f"text fields may be written as {{{written}: …, {self.language}: …}}")]
        first = sorted(self.missing, key=lambda m: m.phrase)  # free text before places and names
        out = [warning(m.loc, f"no {self.language} text: the {m.written_in} text is used",
                       f"write this field as {{{m.written_in}: …, {self.language}: …}}")
               for m in first[:limit]]
        if len(self.missing) > limit:
            out.append(warning((), f"{len(self.missing) - limit} more text field(s) have no {self.language} text"))
        return out


def localize(case: Case, language: str) -> Localized:
    """`case` with each text in `language` where it is written in it (one walk of the case)."""
    missing: list[Missing] = []
    several = False
    for loc, text, kind in iter_text_fields(case, variants=False):
        if isinstance(text, Text):
            several = True
            if language in text.variants:
                continue
        written = _language_of(text, case.language)
        if written != language:
            missing.append(Missing(loc, written, not kind.mentions))
    if not several:
        return Localized(case, language, tuple(missing))  # one language only: nothing to choose
    chosen = _choose(case, language)
    assert isinstance(chosen, Case)
    return Localized(chosen, language, tuple(missing), several=True)


def case_has_languages(case: Case) -> bool:
    """Whether any text of the case is written in several languages."""
    return any(isinstance(text, Text) for _, text, _ in iter_text_fields(case, variants=False))


def language_of(text: str, case: Case) -> str:
    """The language a text of `case` is written in."""
    return _language_of(text, case.language)


def _language_of(text: str, default: str) -> str:
    return text.lang if isinstance(text, Text) else default


def _choose(value: Any, language: str) -> Any:
    if isinstance(value, Text):
        return value.in_language(language) or value
    if isinstance(value, BaseModel):
        update = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _choose(old, language)
            if new is not old:
                update[name] = new
        return value.model_copy(update=update) if update else value
    if isinstance(value, list):
        items = [_choose(v, language) for v in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if isinstance(value, tuple):
        items = [_choose(v, language) for v in value]
        return tuple(items) if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value
