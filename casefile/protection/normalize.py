"""Any way a name is written, reduced to a key that its spellings share.

People write one name many ways: in Cyrillic or in Latin letters under several
romanisation systems (Гнатюк, Hnatiuk, Gnatyuk, Hnatjuk), with look-alike letters from
another script (a Cyrillic "О" in "Оlena"), in mathematical or full-width letters, with
invisible characters, soft hyphens or Markdown emphasis inside it, run together with
another name or a number ("OlenaKoval", "#OlenaKoval", "Koval2024"). `keys` turns a text
into the list of its word keys, in which all of those spellings of a word coincide:

1. NFKC (mathematical, full-width and compatibility letters become plain letters);
2. invisible characters (Unicode format characters: zero-width spaces and joiners, soft
   hyphens, bidirectional controls, tags), variation selectors, Markdown emphasis markers and
   apostrophes are removed, so they cannot split a word;
3. a word is split where a lower-case letter meets an upper-case one ("OlenaKoval") and at
   digits ("Koval2024"); a word that mixes scripts or letters and digits also gets keys with
   its look-alike characters read as letters of either script (Unicode confusables, UTS #39);
4. case folding, then one fixed Cyrillic-to-Latin transliteration (Ukrainian and Russian
   letters), then accents removed (Kravčenko -> kravcenko);
5. the differences between romanisation systems are collapsed: kh/ch/sh/zh/ts and their
   Polish, German and ISO 9 forms to single letters, g to h (Г is H in Ukrainian and G in
   Russian), y and j to i, doubled letters to one, ie to e (Є, Е, ye).

The key is lossy on purpose: two different names can share a key. That is the safe side
for protection (a false match is cleared by the user; a missed name is a leak).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Unicode format characters (category Cf, Unicode 14), variation selectors, the combining
# grapheme joiner and Hangul fillers: nothing a reader sees, so nothing may split a name.
# tests/test_names.py keeps this equal to the Cf characters of the running Python.
_INVISIBLE = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\ufe00-\ufe0f\U000e0100-\U000e01ef\u034f\u115f\u1160\u3164\uffa0"
)
# Markdown emphasis (but _, see `words`) and escapes, and apostrophes (Ukrainian м'ясо, BGN's Koval's'ka, primes)
_JOINERS = "*~`\\'\u2019\u02bc\u2018\u00b4\u02b9\u02ba\u2032\u2033\u0060\u02bb\u02bd"
_DROP = re.compile(f"[{_INVISIBLE}{re.escape(_JOINERS)}]")

# lower- and upper-case letters of the Latin, Greek and Cyrillic blocks (for camelCase)
_LETTERS = [chr(c) for c in (*range(0x41, 0x7B), *range(0xC0, 0x250), *range(0x370, 0x530))]
_LOWER = re.escape("".join(c for c in _LETTERS if c.islower()))
_UPPER = re.escape("".join(c for c in _LETTERS if c.isupper()))
_CAMEL = re.compile(f"(?<=[{_LOWER}])(?=[{_UPPER}])")

# One fixed transliteration of (case-folded) Cyrillic: Ukrainian, Russian, Belarusian and a
# few South Slavic letters. Which system it follows does not matter: `_collapse` makes the
# systems meet.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "ё": "io", "ъ": "", "ы": "y", "э": "e", "ў": "u",
    "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "ђ": "dj", "џ": "dz", "ѓ": "g", "ќ": "k", "ѕ": "dz",
}
_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)
# Romanisation systems meet: longest sequences first (shch before sh, tsch before sch).
_COLLAPSE = (
    ("x", "ks"), ("shch", "s"), ("szcz", "s"), ("tsch", "c"), ("sch", "s"), ("zh", "z"), ("kh", "h"),
    ("ch", "c"), ("sh", "s"), ("ts", "c"), ("tz", "c"), ("cz", "c"), ("sz", "s"), ("sc", "s"), ("ph", "f"),
    ("ck", "k"), ("g", "h"), ("w", "v"), ("q", "k"), ("j", "i"), ("y", "i"),
)
_DOUBLE = re.compile(r"([a-z])\1+")
_CONSONANT_IU = re.compile(r"([b-df-hk-np-tv-z])iu")
_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(rf"[\w{_INVISIBLE}{re.escape(_JOINERS)}\u0300-\u036f]+")
_ALNUM = re.compile(r"[^\W_]+")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_OTHER_LETTER = re.compile(r"(?![\x00-\u024f\u0400-\u04ff])[^\W\d_]")
_DIGIT_IN_WORD = re.compile(r"[^\W\d_]\d[^\W\d_]|\d[^\W\d_]{3}|[^\W\d_]{3}\d")
# digits used as letters inside a word (K0val, 0lena, Ko1ya): read both ways where ambiguous
_DIGITS = (str.maketrans("0134568", "olealsb"), str.maketrans("0134568", "oizalsb"))
_CYRILLIC_LOOKALIKE = str.maketrans({  # Latin letters read as the Cyrillic letters they look like
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "y": "у", "x": "х", "i": "і", "j": "ј", "s": "ѕ", "h": "һ",
    "A": "А", "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О", "P": "Р", "C": "С", "T": "Т", "X": "Х",
    "I": "І", "J": "Ј", "S": "Ѕ", "Y": "У",
})


@lru_cache(maxsize=1)
def _confusables() -> dict[int, str]:
    """Look-alike character -> the Latin letters it is read as (UTS #39, reduced)."""
    table: dict[int, str] = {}
    path = Path(__file__).with_name("data") / "confusables.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, target = line.split("\t")
            table[int(code, 16)] = target
    return table


# combining marks (accents) of every block that has them
_MARKS = re.compile("[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u1ab0-\u1aff"
                    "\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def strip_marks(text: str) -> str:
    if text.isascii():
        return text
    return _MARKS.sub("", unicodedata.normalize("NFD", text))


# Polish and German spell Х "ch" (Charczenko, Charkiw) and Ч "cz"/"tsch": in a word with their
# marks, "ch" is read as Х
_CENTRAL_EUROPEAN = re.compile(r"[a-z]*(?:cz|sz|rz|sch)[a-z]*")


# French spells Ч "tch", Ш "ch" and У "ou" (Kravtchenko, Chevtchouk)
_FRENCH = re.compile(r"[a-z]*tch[a-z]*")


def _french(word: str) -> str:
    return word.replace("tch", "\x00").replace("ch", "sh").replace("ou", "u").replace("\x00", "ch")


def _collapse(text: str) -> str:
    if "tch" in text:
        text = _FRENCH.sub(lambda m: _french(m.group(0)), text)
    if "cz" in text or "sz" in text or "rz" in text or "sch" in text:
        text = _CENTRAL_EUROPEAN.sub(lambda m: m.group(0).replace("ch", "h") if "ch" in m.group(0) else m.group(0),
                                     text)
    for old, new in _COLLAPSE:
        if old in text:
            text = text.replace(old, new)
    text = _DOUBLE.sub(r"\1", text)
    if "iu" in text:  # Polish writes ЛЮ "lu" (Hawryluk): ю after a consonant is u
        text = _CONSONANT_IU.sub(r"\1u", text)
    if "ie" in text:
        text = _DOUBLE.sub(r"\1", text.replace("ie", "e"))
    return text


# Latin letters with a stroke or ligatures that NFD does not take apart
_LATIN_BASE = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h", "ŧ": "t",
                             "ŀ": "l", "ð": "d", "þ": "th", "ƶ": "z", "ȥ": "z"})


_HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HAS_LATIN_BASE = re.compile("[łđøæœıħŧŀðþƶȥ]")


def _fold(text: str) -> str:
    """Case-folded, transliterated, without accents, romanisation systems collapsed."""
    folded = text.casefold()
    if not folded.isascii():  # (each translation only where its letters occur: large texts are common)
        if _HAS_CYRILLIC.search(folded):
            folded = folded.translate(_CYRILLIC_TABLE)
        folded = strip_marks(folded)
        if _HAS_LATIN_BASE.search(folded):
            folded = folded.translate(_LATIN_BASE)
    return _collapse(folded)


# English "Koval's": the name, then 's
_POSSESSIVE = re.compile(r"(?<=[A-Za-z])['\u2019\u02bc][sS](?![\w'\u2019\u02bc])")


def prepare(text: str) -> str:
    """NFKC, invisible characters and in-word markers removed, camelCase split."""
    text = unicodedata.normalize("NFKC", text)
    if "s" in text or "S" in text:
        text = _POSSESSIVE.sub(" ", text)
    text = _DROP.sub("", text)
    return _CAMEL.sub(" ", text)


@dataclass(frozen=True)
class Words:
    """The words of a text as the matcher compares them.

    `keys`: every word's key, in order (then the keys of look-alike readings);
    `latin`: the keys of the words written in Latin letters (or mixing scripts, or with
    look-alikes): compared with the keys of every form of a name, in any script;
    `cyrillic`: the words written in Cyrillic, case-folded (ё as е): compared letter for
    letter with the Cyrillic forms of a name, which include their Russian and Ukrainian
    spellings (`declension`), so that "лісі" (forest) is not "Лисий" while "Полищук" is
    "Поліщук";
    `cyrillic_keys`: the keys of those Cyrillic words, for names recorded in Latin letters
    (whose Cyrillic spelling is only approximated)."""

    keys: list[str]
    latin: frozenset[str]
    cyrillic: frozenset[str]
    cyrillic_keys: frozenset[str]


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
_NON_CYRILLIC_WORD = re.compile(r"[^\W\d_\u0400-\u04ff]+")


def cyrillic_form(word: str) -> str:
    """How a Cyrillic word is compared: case-folded, ё as е, no apostrophes."""
    return _DROP.sub("", word).casefold().replace("ё", "е")


_UNDERSCORED = re.compile(r"[^\W\d_]+(?:_[^\W\d_]+)+")


def words(text: str) -> Words:
    text = prepare(text)
    extra = _lookalike_keys(text)
    if "_" in text:  # a separator in file names (taras_photo), a joiner in Ol_en_a: read both ways
        extra += _WORD.findall(_fold(" ".join(w.replace("_", "") for w in _UNDERSCORED.findall(text))))
    ordered = _WORD.findall(_fold(text))
    if text.isascii():
        return Words(ordered + extra, frozenset(ordered + extra), frozenset(), frozenset())
    cyrillic = _CYRILLIC_WORD.findall(text.casefold().replace("ё", "е"))
    latin = _WORD.findall(_fold(" ".join(_NON_CYRILLIC_WORD.findall(text))))
    return Words(ordered + extra, frozenset(latin + extra), frozenset(cyrillic),
                 frozenset(_WORD.findall(_fold(" ".join(cyrillic)))))


def keys(text: str) -> list[str]:
    """The word keys of a text, in order, plus extra keys for words written with look-alike
    characters (at the end; their position is not meaningful)."""
    return words(text).keys


# where a look-alike reading is needed: a Latin letter next to a Cyrillic one, a letter of
# another script, or a digit inside a word (found by position, then widened to the word)
_UNUSUAL = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]|(?![\x00-\u024f\u0400-\u04ff])[^\W\d_]|"
                      r"[^\W\d_]\d|\d[^\W\d_]")


def _lookalike_keys(text: str) -> list[str]:
    """Keys of the words that mix Latin and Cyrillic letters, have a letter of another script,
    or have a digit where a letter belongs (K0val, 0lena, Kova1), read as letters."""
    candidates: list[str] = []
    last_end = -1
    for match in _UNUSUAL.finditer(text):
        start = match.start()
        if start < last_end:  # inside the word just taken
            continue
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        whole = _ALNUM.match(text, start)
        if whole is not None:
            last_end = whole.end()
            candidates.append(whole.group(0))
    readings: list[str] = []
    table = _confusables()
    for word in dict.fromkeys(candidates):
        if word.isalpha():
            if not (_OTHER_LETTER.search(word) or (_LATIN_LETTER.search(word) and _CYRILLIC_LETTER.search(word))):
                continue
        elif len(word) > 24 or sum(c.isdigit() for c in word) > 2 or not _DIGIT_IN_WORD.search(word):
            continue  # a digest, a colour, a date: not a name with a digit for a letter
        variants = {word.translate(table), word.translate(_CYRILLIC_LOOKALIKE)}
        if not word.isalpha():
            variants |= {v.translate(d) for v in list(variants) for d in _DIGITS}
        readings += variants
    # folded together: folding never crosses a space, and one call is much faster than many
    return _WORD.findall(_fold(" ".join(readings))) if readings else []


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The key of one word (a name part), without the keys of its look-alike readings."""
    return "".join(_WORD.findall(_fold(prepare(word))))


def match_keys(word: str) -> set[str]:
    """Every way a hit on this word can be keyed: its key, and its Cyrillic spelling."""
    found = words(word)
    return set(found.keys) | set(found.cyrillic)


def tokens(text: str) -> list[tuple[int, int]]:
    """Spans of the raw words of a text (with any invisible characters, markers and
    apostrophes inside them), for locating a match in what the user wrote."""
    return [m.span() for m in _TOKEN.finditer(text)]


def script(text: str) -> str:
    """'cyrillic', 'latin' or 'other': the script most letters of `text` are in."""
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    latin = sum(1 for c in text if (c.isascii() and c.isalpha()) or "\u00c0" <= c <= "\u024f")
    if not cyrillic and not latin:
        return "other"
    return "cyrillic" if cyrillic >= latin else "latin"
