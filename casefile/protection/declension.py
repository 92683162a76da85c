"""The forms a name takes in a sentence: Ukrainian and Russian case endings.

Ukrainian and Russian names change their endings in almost every sentence: Микола Кравченко
is "Миколи Кравченка", "Миколі Кравченкові", "Кравченків" (the family). `forms` gives the
forms of one name part from two sources, and the union of both:

- `rule_forms`: suffix rules written here for the declension types of names (hard, soft and
  mixed consonant stems, -а/-я, -о, adjectival -ський/-ська and Russian -ский/-ская,
  -ов/-ин surnames), with the vowel changes names show (Кравець -> Кравця, Федір -> Федора,
  Сокіл -> Сокола, Лев -> Льва);
- `dictionary_forms`: the paradigms of the pymorphy3 morphological analyser with its
  Ukrainian and Russian dictionaries (OpenCorpora, VESUM), from the analyses that are names,
  surnames or patronymics, or nouns and adjectives in the nominative; unknown surnames get the
  paradigm pymorphy3 predicts from their ending.

`tests/test_names.py` measures both against the hand-made corpus in
`tests/protection_corpus/` (how many of the written forms each finds).
A part written in Latin letters is declined through an approximate Cyrillic spelling
(`to_cyrillic`): the keys of `normalize` make the approximation's errors irrelevant.
Given names also get their Ukrainian/Russian counterparts (Микола <-> Николай), since a
Russian-language source writes a Ukrainian person's given name the Russian way.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

# ---- rules --------------------------------------------------------------------------------
_CONSONANTS = "бвгґджзклмнпрстфхцчшщ"
_HARD = ("а", "у", "ові", "ом", "е", "і", "и", "ів", "ам", "ами", "ах",  # Ukrainian
         "ы", "ой", "ым", "ых", "ов")  # Russian (-ов: genitive plural, "Гнатюков")
_SOFT = ("я", "ю", "еві", "єві", "ем", "єм", "і", "ї", "ів", "їв", "ям", "ями", "ях", "е", "є",  # Ukrainian
         "ей", "ём")  # Russian
_A = ("а", "и", "і", "у", "ою", "о", "ам", "ами", "ах", "ы", "е", "ой", "ей", "ею")
_YA = ("я", "ї", "і", "ю", "єю", "ею", "є", "е", "ям", "ями", "ях", "и", "ей", "ий", "ів")
_O = ("о", "а", "ові", "у", "ом", "е", "і", "и", "ів", "ам", "ами", "ах")
# adjectival surnames decline by the bearer's gender: Ковальський's forms are not Ковальська's
_ADJ_MASCULINE = ("ий", "ій", "ого", "ому", "им", "ім",  # Ukrainian
                  "ый", "ой", "ом", "ем", "ым", "его", "ему")  # Russian
_ADJ_FEMININE = ("а", "ої", "ій", "у", "ою", "ая", "ой", "ую", "ей")
_ADJ_PLURAL = ("і", "их", "им", "ими", "ые", "ых", "ым", "ыми")
_POSSESSIVE = ("", "а", "у", "ові", "им", "ім", "ом", "і", "и", "их", "ими", "ої", "ій", "ою",  # -ов/-ин, -ова/-ина
               "ой", "ым", "ых", "ыми", "ою", "ы", "е")
_FEM_CONSONANT = {"любов", "нінель", "адель", "юдиф", "руф"}  # feminine names of the third declension
_ADJECTIVAL = re.compile(r"(ськ|цьк|зьк|ск|цк|зк)(ий|ій|ый|ой|а|ая|е)$|(ий|ый)$")
_POSSESSIVE_END = re.compile(r"(ов|ев|єв|ин|ін|їн|ын)(а)?$")


def rule_forms(word: str) -> set[str]:
    """Forms of one Cyrillic name part by the suffix rules (lower case, the part included)."""
    w = word.lower()
    forms = {w}
    if len(w) < 2 or not re.fullmatch(r"[а-яіїєґёыэъ']+", w):
        return forms
    adjectival = _ADJECTIVAL.search(w)
    if adjectival and len(w) > 4:
        stem = w[:adjectival.start(2)] if adjectival.group(2) else w[:adjectival.start(3)]
        feminine = w.endswith(("а", "я"))
        return forms | {stem + e for e in (_ADJ_FEMININE if feminine else _ADJ_MASCULINE) + _ADJ_PLURAL}
    possessive = _POSSESSIVE_END.search(w)
    if possessive and len(w) > 4:
        stem = w[:-1] if possessive.group(2) else w
        return forms | {stem + e for e in _POSSESSIVE}
    last = w[-1]
    if last == "а":
        return forms | {w[:-1] + e for e in _A}
    if last == "я":
        stem = w[:-1]
        forms |= {stem + e for e in _YA}
        if stem.endswith(("і", "и")):  # Юлія -> Юлії, Юлією; Илья -> Ильи
            forms |= {stem + "ї", stem + "єю", stem + "є", stem + "ю"}
        return forms
    if last == "о":
        return forms | {w[:-1] + e for e in _O}
    if last in "ьй":
        stem = w[:-1]
        forms |= {stem + e for e in _SOFT}
        if w in _FEM_CONSONANT or (last == "ь" and w[:-1] in _FEM_CONSONANT):
            forms |= {w + "ю", stem + "і"}
        return forms | _alternations(stem, _SOFT)
    if last in _CONSONANTS:
        forms |= {w + e for e in _HARD + _SOFT}
        if w in _FEM_CONSONANT:
            forms |= {w + "і", w + "'ю", w + "ю"}
        return forms | _alternations(w, _HARD + _SOFT)
    return forms  # a foreign name ending in another vowel does not decline


def _alternations(stem: str, endings: tuple[str, ...]) -> set[str]:
    """Stems of names whose vowel changes when an ending is added: a fleeting е/о
    (Кравець -> Кравця, Орел -> Орла, Лев -> Льва (Russian)), і -> о/е in the last syllable
    (Федір -> Федора, Сокіл -> Сокола, Кіт -> Кота, Іванів -> Іванова)."""
    stems: set[str] = set()
    if stem.endswith("ец") or stem.endswith("ок") or re.fullmatch(r".{1,2}[еє][вл]", stem) or stem.endswith("ел"):
        stems.add(stem[:-2] + stem[-1])
    match = re.search(r"і([" + _CONSONANTS + r"]ь?)$", stem)
    if match and len(stem) >= 3:
        vowels = "ое" if stem.endswith("ів") else "о"  # Ковалів -> Ковалева, Федір -> Федора
        stems |= {stem[:match.start()] + vowel + match.group(1).rstrip("ь") for vowel in vowels}
    if re.search(r"[" + _CONSONANTS + r"]вец$", stem):
        stems.add(stem[:-3] + "евц")  # Швець -> Шевця: the е moves
    return {s + e for s in stems for e in endings} | stems


# ---- dictionary ---------------------------------------------------------------------------
_NAME_TAGS = {"Name", "Surn", "Patr"}


class _Tag(Protocol):
    """What is read here of a pymorphy3 tag (`OpencorporaTag`)."""

    @property
    def gender(self) -> str | None: ...

    @property
    def case(self) -> str | None: ...

    def __contains__(self, grammeme: str) -> bool: ...


class _Parse(Protocol):
    """What is read here of one pymorphy3 reading of a word (`Parse`)."""

    @property
    def word(self) -> str: ...

    @property
    def tag(self) -> _Tag: ...

    @property
    def normal_form(self) -> str: ...

    @property
    def lexeme(self) -> list[_Parse]: ...


class _Analyser(Protocol):
    """pymorphy3's `MorphAnalyzer` (pymorphy3 has no type information)."""

    def parse(self, word: str) -> list[_Parse]: ...


@lru_cache(maxsize=2)
def _analyser(lang: str) -> _Analyser | None:
    """pymorphy3 with its dictionary for `lang`, or None where it is not installed."""
    try:
        import pymorphy3
    except ImportError:  # pragma: no cover - a declared dependency; rules still work without it
        return None
    try:
        analyser: _Analyser = pymorphy3.MorphAnalyzer(lang=lang)
    except (ValueError, OSError):  # pragma: no cover - dictionary package missing
        return None
    return analyser


@lru_cache(maxsize=4096)
def dictionary_forms(word: str) -> frozenset[str]:
    """Forms of one Cyrillic name part from pymorphy3's Ukrainian and Russian paradigms."""
    w = word.lower()
    forms: set[str] = {w}
    if not re.fullmatch(r"[а-яіїєґёыэъ']+", w):
        return frozenset(forms)
    for lang in ("uk", "ru"):
        analyser = _analyser(lang)
        if analyser is None:
            continue
        for parse in analyser.parse(w):
            tags = set(str(parse.tag).replace(" ", ",").split(","))
            # a name is recorded in the nominative: the readings of the word as a nominative name,
            # surname or patronymic, or noun or adjective (a surname like Коваль 'smith'), with
            # their paradigms; not the readings as another word's form (Иванов: the Ivans')
            if "nomn" in tags and (tags & _NAME_TAGS or "NOUN" in tags or "ADJF" in tags):
                gender = parse.tag.gender if "ADJF" in tags else None  # the bearer's gender only
                forms |= {f.word for f in parse.lexeme if _same_stem(f.word, w)
                          and (gender is None or f.tag.gender in (gender, None))}
    return frozenset(forms)


def _same_stem(form: str, word: str) -> bool:
    """Keep paradigm members that share the word's stem: a lexeme may be another word's
    (Иванов's paradigm starts at Иван; Лев's includes левый)."""
    common = len(word) - 2 if len(word) > 4 else len(word) - 1
    return form[:max(common, 2)] == word[:max(common, 2)] or _alternated(form, word)


def _alternated(form: str, word: str) -> bool:
    # Федір/Федора, Кравець/Кравця, Лев/Льва: the stem without its last vowel matches
    base = re.sub(r"[аеєиіїоуюяьй]+$", "", word)
    squeezed = re.sub(r"[еоі](?=[" + _CONSONANTS + r"]ь?$)", "", base)
    return len(squeezed) >= 2 and form.replace("ь", "").startswith(squeezed.replace("ь", "")[:len(squeezed) - 1])


# ---- Latin parts, and names across languages ----------------------------------------------
_TO_CYRILLIC = (
    ("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"), ("ts", "ц"),
    ("yu", "ю"), ("iu", "ю"), ("ju", "ю"), ("ya", "я"), ("ia", "я"), ("ja", "я"),
    ("ye", "є"), ("ie", "є"), ("je", "є"), ("yi", "ї"),
)
_TO_CYRILLIC_LETTERS = str.maketrans({
    "a": "а", "b": "б", "v": "в", "h": "г", "g": "г", "d": "д", "e": "е", "z": "з", "y": "и", "i": "і",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у",
    "f": "ф", "c": "ц", "w": "в", "x": "кс", "q": "к", "j": "й", "'": "ь", "’": "ь",
})


def to_cyrillic(word: str) -> str:
    """An approximate Cyrillic spelling of a romanised Ukrainian or Russian name part, good
    enough to choose its declension (Hnatiuk -> гнатюк, Kovalska -> ковалська,
    Matsiievskyi -> мацієвський)."""
    from casefile.protection.normalize import strip_marks

    w = strip_marks(word.lower())
    w = re.sub(r"(?:yi|iy|yy|ii|y)$", "ий", w) if re.search(r"(sk|ck|tsk|zk)(?:yi|iy|yy|ii|y)$", w) else w
    w = re.sub(r"(?:iy|ii|yi)$", "ій", w)
    w = re.sub(r"skaya$|skaia$", "ська", w)
    for latin, cyrillic in _TO_CYRILLIC:
        w = w.replace(latin, cyrillic)
    return w.translate(_TO_CYRILLIC_LETTERS)


def is_cyrillic(word: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in word)


# Ukrainian given names and their Russian counterparts (both directions). A Russian-language
# source names a Ukrainian victim "Николай", not "Микола"; the form is declined like any other.
_COUNTERPARTS = """
Микола Николай; Олена Елена; Олександр Александр; Олександра Александра; Андрій Андрей;
Сергій Сергей; Олексій Алексей; Юрій Юрий; Юлія Юлия; Наталія Наталья; Наталя Наталья;
Марія Мария; Ганна Анна; Євген Евгений; Євгенія Евгения; Дмитро Дмитрий; Петро Пётр; Петро Петр;
Павло Павел; Федір Фёдор; Григорій Григорий; Василь Василий; Іван Иван; Ігор Игорь;
Олег Олег; Віктор Виктор; Володимир Владимир; Вікторія Виктория; Ірина Ирина; Оксана Оксана;
Тетяна Татьяна; Людмила Людмила; Світлана Светлана; Ольга Ольга; Надія Надежда; Віра Вера;
Любов Любовь; Катерина Екатерина; Софія София; Анастасія Анастасия; Валентина Валентина;
Валентин Валентин; Віталій Виталий; Анатолій Анатолий; Богдан Богдан; Ярослав Ярослав;
В'ячеслав Вячеслав; Станіслав Станислав; Максим Максим; Михайло Михаил; Кирило Кирилл;
Костянтин Константин; Леонід Леонид; Роман Роман; Степан Степан; Тарас Тарас; Яків Яков;
Ілля Илья; Лев Лев; Антін Антон; Софія Софья; Мартин Мартын; Микита Никита; Лука Лука;
Остап Остап; Семен Семён; Антон Антон; Артем Артём; Денис Денис; Руслан Руслан;
Вадим Вадим; Геннадій Геннадий; Валерій Валерий; Людмила Людмила; Галина Галина; Лариса Лариса;
Тамара Тамара; Ніна Нина; Зінаїда Зинаида; Раїса Раиса; Єлизавета Елизавета; Дарія Дарья;
Поліна Полина; Христина Кристина; Аліна Алина; Яна Яна; Уляна Ульяна; Інна Инна; Ілона Илона
"""


@lru_cache(maxsize=1)
def _counterparts() -> dict[str, tuple[str, ...]]:
    table: dict[str, set[str]] = {}
    for pair in _COUNTERPARTS.replace("\n", " ").split(";"):
        words = pair.split()
        if len(words) != 2 or words[0] == words[1]:
            continue
        a, b = (w.lower() for w in words)
        table.setdefault(a, set()).add(b)
        table.setdefault(b, set()).add(a)
    return {k: tuple(sorted(v)) for k, v in table.items()}


def counterparts(word: str) -> tuple[str, ...]:
    """The Russian counterpart of a Ukrainian given name and the reverse ('микола' -> ('николай',)),
    also for a name written in Latin letters ('Mykola')."""
    if is_cyrillic(word):
        return _counterparts().get(word.lower(), ())
    from casefile.protection.normalize import word_key

    return _counterparts_by_key().get(word_key(word), ())


@lru_cache(maxsize=1)
def _counterparts_by_key() -> dict[str, tuple[str, ...]]:
    from casefile.protection.normalize import word_key

    by_key: dict[str, set[str]] = {}
    for name, others in _counterparts().items():  # a romanised name stands for both spellings
        by_key.setdefault(word_key(name), set()).update((name, *others))
    return {key: tuple(sorted(names)) for key, names in by_key.items()}


# Ukrainian and Russian spell many names differently (Поліщук / Полищук, Олійник / Олейник,
# Соловйов / Соловьёв, Петрівна / Петровна, Лисий / Лысый): each spelling is declined too.
_TO_RUSSIAN = (("ьович", "ьевич"), ("йович", "евич"), ("івна", "овна"), ("ївна", "евна"), ("ськ", "ск"),
               ("цьк", "цк"), ("зьк", "зк"), ("ьо", "ье"), ("йо", "ье"), ("ій", "ей"), ("ї", "и"), ("і", "и"),
               ("є", "е"), ("ґ", "г"), ("'", "ь"))
_TO_UKRAINIAN = (("ьев", "йов"), ("ьё", "ьо"), ("ё", "е"), ("ей", "ій"), ("и", "і"), ("ы", "и"), ("э", "е"),
                 ("ъ", "'"))


def spellings(word: str) -> set[str]:
    """The word in its Ukrainian and Russian spellings (for Ukrainian и, Russian и or ы). A
    word whose letters are common to both languages is taken as Ukrainian."""
    w = word.lower().replace("’", "'").replace("ʼ", "'")
    out = {w}
    if re.search(r"[іїєґ']", w) or not re.search(r"[ыэъё]", w):
        russian = w
        for old, new in _TO_RUSSIAN:
            russian = russian.replace(old, new)
        russian = re.sub(r"ець$", "ец", russian)  # Кравець -> Кравец
        out.add(russian)
        if russian.endswith("ар"):  # Бондар -> Бондарь
            out.add(russian + "ь")
        # Ukrainian и is Russian и or ы (Мартинович -> Мартынович, Лисий -> Лысый): each place alone
        places = [m.start() for m in re.finditer(r"(?<=[бвдзлмнпрстф])и", russian)][:3]
        out |= {russian[:i] + "ы" + russian[i + 1:] for i in places}
        if len(places) > 1:
            out.add(re.sub(r"(?<=[бвдзлмнпрстф])и", "ы", russian))
    if re.search(r"[ыэъё]", w):  # written the Russian way (a word with neither is taken as Ukrainian)
        ukrainian = w
        for old, new in _TO_UKRAINIAN:
            ukrainian = ukrainian.replace(old, new)
        out.add(ukrainian)
    return out


_PATRONYMIC = re.compile(r"^(.+?)(йович|ьович|ович|евич|ьевич|івна|ївна|овна|евна|ьевна)$")


def patronymic_counterparts(word: str) -> set[str]:
    """A patronymic from the other language's form of the father's name: Миколайович ->
    Николаевич, Олександрівна -> Александровна, Петрович -> Петрович."""
    match = _PATRONYMIC.match(word.lower())
    if not match:
        return set()
    stem, suffix = match.groups()
    feminine = suffix.endswith("на")
    out: set[str] = set()
    for father in {stem, stem + "а", stem + "о", stem + "й", stem + "ь", stem[:-1] if stem.endswith("й") else stem}:
        for other in counterparts(father):
            if other.endswith(("й", "ь")):
                out.add(other[:-1] + ("евна" if feminine else "евич"))
            elif other.endswith(("а", "о")):
                out.add(other[:-1] + ("ична" if feminine else "ич"))
            else:
                out.add(other + ("овна" if feminine else "ович"))
                out.add(other + ("івна" if feminine else "ович"))
    return out


@lru_cache(maxsize=4096)
def given_name_gender(word: str) -> str | None:
    """'m' or 'f' when the word is a given name in pymorphy3's Ukrainian or Russian dictionary
    (Олена, Olena -> 'f'); None for a surname or an unknown word."""
    w = word.lower() if is_cyrillic(word) else to_cyrillic(word)
    for lang in ("uk", "ru"):
        analyser = _analyser(lang)
        if analyser is None:
            continue
        for parse in analyser.parse(w):
            if "Name" in parse.tag and parse.tag.case == "nomn" and parse.normal_form == w:
                return {"masc": "m", "femn": "f"}.get(parse.tag.gender or "")
    return None


def plural_forms(word: str) -> set[str]:
    """The plural of a surname that does not decline in the singular (a woman's): the family."""
    w = word.lower()
    if w.endswith("о"):
        return {w[:-1] + e for e in ("и", "ів", "ам", "ами", "ах")}
    if w.endswith(("ь", "й")):
        return {w[:-1] + e for e in ("і", "ї", "ів", "їв", "ям", "ями", "ях")}
    if re.search(r"[" + _CONSONANTS + r"]$", w):
        return {w + e for e in ("и", "і", "ів", "ам", "ами", "ах", "ы", "ов", "ям", "ями", "ях")} | {
            s + e for s in _alternations(w, ()) for e in ("і", "ів", "ям", "ями", "ях")}
    return set()


def indeclinable(word: str, *, feminine: bool) -> bool:
    """A woman's surname ending in a consonant or -о does not decline (Олена Коваль: "з Оленою
    Коваль"; Ірина Ткаченко)."""
    w = word.lower() if is_cyrillic(word) else to_cyrillic(word)
    return feminine and given_name_gender(word) is None and bool(re.search(r"[" + _CONSONANTS + r"ьйо]$", w))


def forms(word: str, *, rules: bool = True, dictionary: bool = True, declines: bool = True) -> set[str]:
    """Every form of one name part (rules and dictionary), in its Ukrainian and Russian
    spellings; a Latin part also through its approximate Cyrillic spelling. Lower case.
    `declines=False`: the spellings only (a woman's surname that does not decline)."""
    base = word.lower()
    cyrillic = base if is_cyrillic(base) else to_cyrillic(base)
    out = {base}
    for spelling in spellings(cyrillic):
        out.add(spelling)
        if not declines:  # her family is still "Мельники", "Ткаченків"
            out |= plural_forms(spelling)
        if rules and declines:
            out |= rule_forms(spelling)
        if dictionary and declines:
            out |= dictionary_forms(spelling)
        out |= {f.replace("ё", "е") for f in out if "ё" in f}
    return out
