"""Finding protected persons' names in text, however they are written.

`NameIndex` is built once for the persons an edition (or a filing body) must not name, and
answers for any text which of them it names, and by which rule:

- **name part**: any part of the name (given name, surname, patronymic) of at least
  `MIN_PART` letters, alone, in any declined form (`declension`), in either script and any
  romanisation, and after Unicode normalisation (`normalize`). A surname alone, with
  initials ("О. Коваль", "Koval O.") or with a patronymic is therefore found;
- **short name part** (fewer letters, e.g. Лі, Ян, Кім): only next to another part of the
  name or an initial of one ("Ян Кім", "Кім Я."); with `parts_alone=False` every part is
  treated so (whole names only, for comparing across many cases);
- **alias**: an `aliases:` entry (call sign, nickname, maiden name), at any length from three
  letters; a part of one or two letters (the initial in "Ivan Z.") only with the rest of the
  alias: read alone in Cyrillic, "Z" is the preposition "з";
- **name parts run together**: "olenakoval", "КовальОлена" (camelCase splits on its own);
- the counterpart of a given name in the other language (Микола / Николай).

A match is reported by person id and rule, never by the name. What is matched is a word's
key, so a word that is also a common noun ("надія", hope) matches the name Надія: such a
false match is cleared at its place in the case file (`false_matches:` on the person).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from casefile.protection import declension
from casefile.protection.normalize import Words, cyrillic_form, prepare, script, tokens, word_key, words

MIN_PART = 4  # letters of a name part that is matched on its own
MIN_RUN_TOGETHER = 6  # a word shorter than this is not tested as two name parts run together


@dataclass(frozen=True)
class Named:
    """A person as the matcher sees them: id, name and aliases."""

    id: str
    name: str | None
    aliases: tuple[str, ...] = ()
    sex: str | None = None  # "m", "f" or None (then guessed from a given name in the name)


@dataclass(frozen=True)
class Hit:
    person: str  # the person's id
    rule: str  # how the name was written, e.g. "name part (declined form, other script)"
    start: int = -1  # span in the text, when located
    end: int = -1
    key: str = field(default="", compare=False)  # the word key that matched (never printed)

    def surface(self, text: str) -> str:
        """The words of `text` that matched (for clearing a false match; never printed)."""
        return text[self.start:self.end] if self.start >= 0 else ""


@dataclass
class _Form:
    person: str
    part: str  # "name part", "short name part", "alias"
    part_index: int  # which part of which name of the person (for run-together and pairs)
    declined: bool
    latin: bool  # the part is written in Latin letters
    cyrillic_only: bool = False  # a declined Russian counterpart: matched in Cyrillic text only


@dataclass
class NameIndex:
    """Every form of every name part of the given persons, by key."""

    persons: tuple[Named, ...] = ()
    use_rules: bool = True  # declined forms from the suffix rules (declension.rule_forms)
    use_dictionary: bool = True  # and from pymorphy3's dictionaries (declension.dictionary_forms)
    # False: a part is matched only next to another part of the same name or an initial (whole
    # names): for comparing names across many cases, where single given names collide
    parts_alone: bool = True
    exclude: frozenset[str] = frozenset()  # keys not matched alone (words of casefile's own text)
    single: dict[str, list[_Form]] = field(default_factory=dict, init=False)  # by key
    cyrillic: dict[str, list[_Form]] = field(default_factory=dict, init=False)  # by Cyrillic spelling
    short: dict[str, list[_Form]] = field(default_factory=dict, init=False)
    initials: dict[str, set[tuple[str, int]]] = field(default_factory=dict, init=False)
    every: dict[str, list[_Form]] = field(default_factory=dict, init=False)  # all forms, for pairs

    def __post_init__(self) -> None:
        index = 0
        for person in self.persons:
            names = ([(person.name, False)] if person.name else []) + [(a, True) for a in person.aliases]
            sex = person.sex or next((g for part in _parts(person.name or "")
                                      if (g := declension.given_name_gender(part))), None)
            for name, alias in names:
                for part in _parts(name):
                    index += 1
                    self._add(person.id, part, index, alias, feminine=sex == "f")

    def __bool__(self) -> bool:
        return bool(self.every)

    def _add(self, pid: str, part: str, index: int, alias: bool, feminine: bool = False) -> None:
        letters = sum(c.isalpha() for c in part)
        if letters < 1:
            return
        latin = script(part) == "latin"
        nominative = word_key(part)
        options = {"rules": self.use_rules, "dictionary": self.use_dictionary}
        variants = declension.forms(part, declines=not declension.indeclinable(part, feminine=feminine), **options)
        # the other language's given name or patronymic (Микола / Николай): its nominative in any
        # script, its declined forms in Cyrillic only (in Latin text they are English words: Вере, were)
        others: set[str] = set()
        for counterpart in {*declension.counterparts(part), *declension.patronymic_counterparts(part)}:
            others |= declension.forms(counterpart, **options)
        nominatives = {word_key(c) for c in (*declension.counterparts(part),
                                              *declension.patronymic_counterparts(part))}
        kind = "alias" if alias else ("name part" if letters >= MIN_PART and self.parts_alone else "short name part")
        seen: set[str] = set()
        # German and Polish also write Х "ch" (Prychodko): that reading of each form, for Latin text
        variants |= {v.replace("х", "ч") for v in variants if "х" in v}
        for variant in sorted(variants) + sorted(others - variants):
            key = word_key(variant)
            if not key:
                continue
            other = variant not in variants and key not in nominatives
            form = _Form(pid, kind, index, key != nominative, latin, cyrillic_only=other)
            # a form of one or two letters alone is a word, never the name: the initial Z of an
            # alias "Ivan Z." read in Cyrillic is the preposition "з" (from, with)
            if declension.is_cyrillic(variant) and kind != "short name part" and len(key) >= 3:
                self.cyrillic.setdefault(cyrillic_form(variant), []).append(form)
            if key in seen or other:
                continue
            seen.add(key)
            self.every.setdefault(key, []).append(form)
            target = self.short if kind == "short name part" else self.single
            if kind != "short name part" and (key in self.exclude or len(key) < (4 if form.declined else 3)):
                continue  # a short key of a declined form ("han" from Ганн, "an" from Анн) is an English word
            target.setdefault(key, []).append(form)
        initial = word_key(part[:1]) if part[:1].isalpha() else ""
        for letter in {initial, initial[:1]} - {""}:
            self.initials.setdefault(letter, set()).add((pid, index))

    # ---- fast: which persons a text names ----
    def find(self, text: str) -> list[Hit]:
        """The persons `text` names, one hit per person and rule (no positions)."""
        if not self.every or not text:
            return []
        return _unique(self._match(words(text), None, text_script=None))

    def names(self, text: str) -> bool:
        return bool(self.find(text))

    # ---- located: where, for validation messages and false-match markers ----
    def locate(self, text: str) -> list[Hit]:
        """Every hit with its span in `text` (slower: word by word; call it for texts `find`
        reported)."""
        hits: list[Hit] = []
        spans = tokens(text)
        per_token = [(start, end, words(text[start:end])) for start, end in spans]
        for i, (start, end, token_words) in enumerate(per_token):
            raw = text[start:end]
            neighbours = [k for j in (i - 1, i + 1) if 0 <= j < len(per_token) for k in per_token[j][2].keys[:1]]
            for hit in self._match(token_words, neighbours, text_script=script(raw), raw=raw):
                hits.append(Hit(hit.person, hit.rule, start, end, key=hit.key))
        return _unique_spans(hits, text)

    def _match(self, found: Words, neighbours: list[str] | None, *, text_script: str | None,
               raw: str = "") -> list[Hit]:
        hits: list[Hit] = []
        # Latin words (and look-alikes): by key, any form in any script
        for key in found.latin & self.single.keys():
            hits += [Hit(f.person, _rule(f, text_script or "latin", raw), key=key) for f in self.single[key]]
        # Cyrillic words: letter for letter with the Cyrillic forms; by key only for names
        # recorded in Latin letters (their Cyrillic spelling is approximate)
        for word in found.cyrillic & self.cyrillic.keys():
            hits += [Hit(f.person, _rule(f, text_script or "cyrillic", raw), key=word) for f in self.cyrillic[word]]
        for key in found.cyrillic_keys & self.single.keys():
            hits += [Hit(f.person, _rule(f, text_script or "cyrillic", raw), key=key)
                     for f in self.single[key] if f.latin]
        if self.short:
            hits += self._short_pairs(found.keys, neighbours, text_script, raw)
        for key in set(found.keys):
            if len(key) >= MIN_RUN_TOGETHER and key not in self.every:
                hits += self._run_together(key)
        return hits

    def _short_pairs(self, words: list[str], neighbours: list[str] | None, text_script: str | None,
                     raw: str) -> list[Hit]:
        """A short part next to another part of the same name, or to an initial of one."""
        hits = []
        for i, key in enumerate(words):
            for form in self.short.get(key, ()):
                around = [words[j] for j in (i - 1, i + 1) if 0 <= j < len(words)] + (neighbours or [])
                if any(self._pairs(form, other) for other in around):
                    hits.append(Hit(form.person, _rule(form, text_script, raw), key=key))
        return hits

    def _pairs(self, form: _Form, other: str) -> bool:
        if any(f.person == form.person and f.part_index != form.part_index for f in self.every.get(other, ())):
            return True
        return any(pid == form.person and index != form.part_index for pid, index in self.initials.get(other, ()))

    def _run_together(self, key: str) -> list[Hit]:
        hits = []
        for cut in range(2, len(key) - 1):
            left, right = self.every.get(key[:cut]), self.every.get(key[cut:])
            if not left or not right:
                continue
            for a in left:
                if any(b.person == a.person and b.part_index != a.part_index for b in right):
                    hits.append(Hit(a.person, "name parts run together", key=key))
        return hits


@lru_cache(maxsize=64)
def cached(persons: tuple[Named, ...], parts_alone: bool = True) -> NameIndex:
    """One index per set of persons, built once per process (a render builds the same one for
    validation, the view and the scan). Callers must not change it."""
    return NameIndex(persons, parts_alone=parts_alone)


def _rule(form: _Form, text_script: str | None, raw: str) -> str:
    qualifiers = []
    if form.declined:
        qualifiers.append("declined form")
    if text_script in ("latin", "cyrillic") and (text_script == "latin") != form.latin:
        qualifiers.append("other script")
    if raw and _unusual(raw):
        qualifiers.append("look-alike, invisible or run-together characters")
    return form.part + (f" ({', '.join(qualifiers)})" if qualifiers else "")


def _unusual(raw: str) -> bool:
    """Written with something else than plain letters of one script."""
    return (prepare(raw) != raw or not raw.isalpha() or script(raw) == "other"
            or (any("\u0400" <= c <= "\u04ff" for c in raw) and any(c.isascii() and c.isalpha() for c in raw)))


def _parts(name: str) -> list[str]:
    """The words of a name ('Андрій Мельник (Andrii Melnyk)' -> 4 parts; a double surname
    'Петренко-Коваль' -> both halves)."""
    words: list[str] = []
    for start, end in tokens(name):
        word = name[start:end]
        if any(c.isalpha() for c in word):
            words.append(word)
    return list(dict.fromkeys(words))


def _unique(hits: Iterable[Hit]) -> list[Hit]:
    return list(dict.fromkeys(hits))


def _unique_spans(hits: list[Hit], text: str) -> list[Hit]:
    """One hit per person and place: the words of one name written together ("Taras Bondar",
    "Bondar, Taras") are one hit spanning them."""
    seen: dict[tuple[str, int, int], Hit] = {}
    for hit in hits:
        seen.setdefault((hit.person, hit.start, hit.end), hit)
    merged: list[Hit] = []
    for hit in sorted(seen.values(), key=lambda h: (h.start, h.end)):
        previous = next((m for m in reversed(merged) if m.person == hit.person), None)
        if previous is not None and 0 <= hit.start - previous.end <= 3 \
                and not text[previous.end:hit.start].strip(" ,.\u00a0"):
            merged[merged.index(previous)] = Hit(previous.person, previous.rule, previous.start, hit.end,
                                                 key=previous.key)
        else:
            merged.append(hit)
    return merged
