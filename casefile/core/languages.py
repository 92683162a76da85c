"""The languages casefile writes: one table, from which everything that depends on a
language is derived.

A row says what casefile has for the language: a message catalog (`casefile/locale/<code>/`)
for the labels of dossiers, cover letters and slip sheets; Babel's locale for dates and
country names; and a sample of its letters that the packaged fonts must cover (`casefile
doctor`). The case format's `language:` values, `render --language`, the filing languages a
cover letter can be written in, and the language names printed in dossiers all come from here:
adding a language is one row here plus its `.po` file (`python3 scripts/i18n.py init CODE`).

Names of languages casefile does not write (a body may accept Russian or Arabic) are listed in
`OTHER_NAMES`, so that a dossier can still say which languages a body accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

from casefile.core.i18n import N_


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1
    name: str  # English name, marked for translation
    locale: str  # Babel locale for dates and country names
    sample: str  # letters of the language the packaged fonts must have (digits and punctuation
    # every language shares are in doctor.COMMON)


LANGUAGES: tuple[Language, ...] = (
    Language("en", N_("English"), "en_GB", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz£"),
    Language("uk", N_("Ukrainian"), "uk_UA",
             "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯабвгґдеєжзиіїйклмнопрстуфхцчшщьюя’№«»"),
    Language("fr", N_("French"), "fr_FR", "ÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸàâæçéèêëîïôœùûüÿ«»\u00a0\u202f"),
    Language("es", N_("Spanish"), "es_ES", "ÁÉÍÓÚÜÑáéíóúüñ¿¡ºª«»"),
)
BY_CODE = {language.code: language for language in LANGUAGES}
CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
SOURCE = "en"

# languages a filing body may accept that casefile does not write: named, never written
OTHER_NAMES = {"ru": N_("Russian"), "ar": N_("Arabic"), "zh": N_("Chinese")}


def name(code: str) -> str:
    """The English name of a language (marked for translation), or its code when unknown."""
    if code in BY_CODE:
        return BY_CODE[code].name
    return OTHER_NAMES.get(code, code)


def babel_locale(code: str) -> str:
    return BY_CODE[code].locale if code in BY_CODE else BY_CODE[SOURCE].locale


def written(code: str | None) -> str | None:
    """`code` when casefile writes that language (a dossier, a letter), else None."""
    return code if code in BY_CODE else None


# ISO 639-1: the two-letter codes text in several languages is keyed by (`title: {en: …, uk: …}`)
_ISO_639_1 = """aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da
de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii
ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn
mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si
sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
yo za zh zu"""


def iso_639_1() -> frozenset[str]:
    return _ISO_SET


_ISO_SET = frozenset(_ISO_639_1.split())


def packet_language(chosen: str | None, case_language: str, accepted: tuple[str, ...] | list[str]) -> str:
    """The language of a body's packet (its letter, and its dossier when casefile writes that
    language): the filing's `language:`, else the case's when the body accepts it, else the
    body's first."""
    if chosen:
        return chosen
    if case_language in accepted:
        return case_language
    return accepted[0] if accepted else SOURCE
