"""The validated value types of the case format: text, ids, dates, numbers, booleans.

Reusable `Annotated` types (copier's way): each reads the text YAML gives it by the format's
rules, not by YAML's implicit typing (a plain scalar arrives as text from `loader.py`), raises a
`ValueError` with a message fit for the user (turned into a located problem in
`parse.parse_model`), and carries its JSON Schema for editors. `TextKind` marks which strings
are free text (Markdown with `@id` mentions) and which are one inline line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    WrapValidator,
)

from casefile.core.languages import iso_639_1

FORMAT_VERSION = 1

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*$"
CASE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_ID_RE = re.compile(ID_PATTERN)
_CASE_ID_RE = re.compile(CASE_ID_PATTERN)


# --- markers: which strings are free text (Markdown with @id mentions) ---------------------
@dataclass(frozen=True)
class TextKind:
    """Marks a string field as free text. `block`: Markdown paragraphs; else one inline line.
    `mentions`: `@id` in it refers to a person, item or source (not in a phrase: a place, a
    unit, an organisation)."""

    block: bool
    mentions: bool = True


MARKDOWN = TextKind(block=True)
INLINE = TextKind(block=False)
PHRASE = TextKind(block=False, mentions=False)


def _text(value: Any) -> Any:
    # A number or date written unquoted is still text where the format expects text.
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


# Sizes a case file may not exceed, each a located error: a title or a name is one line that is
# printed on many pages; a huge one made a dossier take minutes and gigabytes to lay out.
NAME_MAX = 200  # characters of a person's name or alias
TITLE_MAX = 500  # of a title (the case, an allegation, an evidence item, a source)
LINE_MAX = 4_000  # of any other one-line value (a place, a role, a path, a URL)
PARAGRAPH_MAX = 20_000  # of one paragraph of free text (Markdown)
TEXT_MAX = 200_000  # of one free-text field


def _at_most(limit: int, what: str) -> AfterValidator:
    # a partial of a module-level function, not a closure: the built validator can be pickled
    # (schema_cache.py keeps it between runs)
    return AfterValidator(partial(_check_length, limit, what))


def _check_length(limit: int, what: str, value: str) -> str:
    if len(value) > limit:
        raise ValueError(f"is {len(value):,} characters long; {what} may have at most {limit:,}")
    return value


def _paragraphs_at_most(value: str) -> str:
    if len(value) > TEXT_MAX:
        raise ValueError(f"is {len(value):,} characters long; a free-text field may have at most {TEXT_MAX:,}")
    longest = max((len(p) for p in re.split(r"\n\s*\n", value)), default=0)
    if longest > PARAGRAPH_MAX:
        raise ValueError(f"has a paragraph of {longest:,} characters; a paragraph may have at most "
                         f"{PARAGRAPH_MAX:,} (split it with a blank line)")
    return value


def _text_schema(limit: int, languages: bool = False) -> WithJsonSchema:
    # casefile reads a plain scalar as text, while an editor's YAML 1.2 parser sees
    # `reference: 12345` as a number and `title: true` as a boolean; both are valid text here
    one = {"type": ["string", "number", "boolean"], "pattern": r"\S", "maxLength": limit}
    if not languages:
        return WithJsonSchema(one)
    return WithJsonSchema({"anyOf": [one, {
        "type": "object", "additionalProperties": False,
        "patternProperties": {LANGUAGE_KEY_PATTERN: one},
        "description": "The same text in several languages, keyed by ISO 639-1 code.",
        "examples": [{"en": "Execution of six prisoners of war", "uk": "Страта шести військовополонених"}]}]})


# --- text in several languages ---------------------------------------------------------------
LANGUAGE_KEY_PATTERN = r"^[a-z]{2}$"


class Text(str):
    """Case text written in several languages (`title: {en: …, uk: …}`): the string itself is
    the text in the case's `language:` (or, when that is missing, in the first language given),
    `variants` every language's text and `lang` the language of the string itself.
    `case.localize` picks another language's text for a dossier or letter in that language.
    A plain string in the case format stays a plain `str`: it is in the case's language."""

    variants: dict[str, str]
    lang: str

    def __new__(cls, value: str, variants: dict[str, str], lang: str) -> Text:
        made = super().__new__(cls, value)
        made.variants = variants
        made.lang = lang
        return made

    def __reduce__(self) -> tuple[Any, ...]:  # pickled to build's worker processes
        return Text, (str(self), self.variants, self.lang)

    def in_language(self, lang: str) -> Text | None:
        """This text in `lang`, or None when it is not written in that language."""
        if lang == self.lang:
            return self  # already: localising a localised case copies nothing
        found = self.variants.get(lang)
        return None if found is None else Text(found, self.variants, lang)


def _languages(value: Any, handler: Any, info: ValidationInfo) -> Any:
    """A mapping of language codes to text becomes a `Text`; each language's text is validated
    as a plain value of the field would be."""
    if not isinstance(value, dict):
        return handler(value)
    if not value:
        raise ValueError("expected text, or text per language such as {en: …, uk: …}; found an empty mapping")
    variants: dict[str, str] = {}
    for key, text in value.items():
        code = str(key)
        if code not in iso_639_1():
            hint = " (Ukrainian is 'uk'; 'ua' is the country)" if code.lower() == "ua" else ""
            message = (f"'{code}' is not a language code: text in several languages is keyed by ISO 639-1 "
                       f"codes such as en, uk, fr{hint}")
            raise ValueError(message)
        if isinstance(text, (dict, list)) or text is None:
            message = f"the {code} text: expected text, found {'nothing' if text is None else 'a mapping or list'}"
            raise ValueError(message)
        try:
            variants[code] = str(handler(text))
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            errors = getattr(exc, "errors", None)
            detail = errors()[0].get("ctx", {}).get("error", errors()[0]["msg"]) if callable(errors) else exc
            message = f"the {code} text {detail}"
            raise ValueError(message) from None
    lang = (info.context or {}).get("language")
    chosen = lang if lang in variants else next(iter(variants))
    return Text(variants[chosen], variants, chosen)


def _dump_text(value: str) -> Any:
    return dict(value.variants) if isinstance(value, Text) else str(value)


# JSON (diff's comparisons) sees every language's text, so a change to one of them is a change
TEXTS_JSON = PlainSerializer(_dump_text, return_type=Any, when_used="json")
TEXTS = WrapValidator(_languages)  # last in an `Annotated`: it runs first, and each language's text
# then goes through the field's other validators


Str = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), _at_most(LINE_MAX, "a line"),
                _text_schema(LINE_MAX)]
Name = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), _at_most(NAME_MAX, "a name"),
                 _text_schema(NAME_MAX)]
# free text, titles and descriptive phrases may be written in several languages
Phrase = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), _at_most(LINE_MAX, "a line"), PHRASE,
                   _text_schema(LINE_MAX, languages=True), TEXTS_JSON, TEXTS]
Markdown = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), AfterValidator(_paragraphs_at_most),
                     MARKDOWN, _text_schema(TEXT_MAX, languages=True), TEXTS_JSON, TEXTS]
Inline = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), _at_most(LINE_MAX, "a line"), INLINE,
                   _text_schema(LINE_MAX, languages=True), TEXTS_JSON, TEXTS]
Title = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), _at_most(TITLE_MAX, "a title"), INLINE,
                  _text_schema(TITLE_MAX, languages=True), TEXTS_JSON, TEXTS]


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise ValueError(f"'{value}' is not a valid id: start with a letter, then letters, "
                         "digits, '-' or '_' (e.g. V1, E12)")
    return value


def _check_case_id(value: str) -> str:
    if not _CASE_ID_RE.match(value):
        raise ValueError(f"'{value}' is not a valid case id: letters, digits, '.', '-', '_' "
                         "(e.g. UA-DON-2025-001)")
    return value


Id = Annotated[str, BeforeValidator(_text), AfterValidator(_check_id),
               WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "examples": ["V1", "E12"]})]
CaseId = Annotated[str, BeforeValidator(_text), AfterValidator(_check_case_id),
                   WithJsonSchema({"type": ["string", "number"], "pattern": CASE_ID_PATTERN, "minimum": 0,
                                   "examples": ["UA-DON-2025-001"]})]


def _check_catalog_ref(value: str) -> str:
    if not re.match(r"^[a-z0-9-]+:[A-Za-z0-9.()-]+(/[0-9]+)?$", value):
        raise ValueError(f"'{value}' is not a catalog id (e.g. gc3:130, rome:8.2.a.i)")
    return value


CATALOG_REF_PATTERN = r"^[a-z0-9-]+:[A-Za-z0-9.()-]+(/[0-9]+)?$"
ProvisionId = Annotated[str, BeforeValidator(_text), AfterValidator(_check_catalog_ref),
                        WithJsonSchema({"type": "string", "pattern": CATALOG_REF_PATTERN,
                                        "examples": ["gc3:130", "rome:8.2.a.i"]})]
ElementId = Annotated[str, AfterValidator(_check_catalog_ref),
                      WithJsonSchema({"type": "string", "pattern": CATALOG_REF_PATTERN,
                                      "examples": ["rome:8.2.a.i/1"]})]
BodyId = Annotated[str, WithJsonSchema({"type": "string", "examples": ["icc-otp", "un-sr-executions"]})]


def _country(value: Any) -> Any:
    if isinstance(value, str) and not re.match(r"^[A-Z]{2}$", value):
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. UA)")
    return value


Country = Annotated[str, AfterValidator(_country),
                    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$", "examples": ["UA"]})]


def _sha256(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip().lower()
        if not re.match(r"^[0-9a-f]{64}$", value):
            raise ValueError("a SHA-256 digest is 64 hexadecimal digits")
    return value


Sha256 = Annotated[str, BeforeValidator(_sha256),
                   WithJsonSchema({"type": "string", "pattern": "^[0-9a-fA-F]{64}$"})]


# --- dates ---------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class PartialDate:
    """An ISO 8601 calendar date that may be partial: 2025, 2025-01, 2025-01-30."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        if self.day:
            return date(self.year, self.month, self.day)  # type: ignore[arg-type]
        if self.month:
            nxt = date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(self.year, 12, 31)


@dataclass(frozen=True)
class DateRange:
    start: PartialDate
    end: PartialDate

    def __str__(self) -> str:
        return f"{self.start}/{self.end}"

    @property
    def first_day(self) -> date:
        return self.start.first_day

    @property
    def last_day(self) -> date:
        return self.end.last_day


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATE_HELP = "write a date like 2025-01-30, 2025-01 or 2025"


def parse_partial_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, (datetime, date)):  # from Python callers, not from YAML
        value = value.isoformat()[:10]
    if not isinstance(value, str):
        raise ValueError(f"expected a date; {DATE_HELP}")
    match = _DATE_RE.match(value.strip())
    if not match:
        raise ValueError(f"'{value}' is not a date; {DATE_HELP}")
    year_text, month_text, day_text = match.groups()
    year = int(year_text)  # the pattern always matches four digits of year
    month = int(month_text) if month_text else None
    day = int(day_text) if day_text else None
    try:
        date(year, month or 1, day or 1)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a real date ({exc})") from None
    return PartialDate(year, month, day)


def parse_date_spec(value: Any) -> PartialDate | DateRange:
    if isinstance(value, (PartialDate, DateRange)):
        return value
    if isinstance(value, dict):
        unknown = set(value) - {"from", "to"}
        if unknown or "from" not in value or "to" not in value:
            raise ValueError("a date range is written {from: 2025-01-28, to: 2025-01-30}")
        start, end = parse_partial_date(value["from"]), parse_partial_date(value["to"])
        if start.first_day > end.last_day:
            raise ValueError(f"the range ends ({end}) before it starts ({start})")
        return DateRange(start, end)
    return parse_partial_date(value)


# A bare year (`date: 2025`) is a number to a YAML 1.2 editor; casefile reads it as the year.
_DATE_SCHEMA = {"type": ["string", "integer"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                "minimum": 1, "maximum": 9999, "examples": ["2025-01-30", "2025-01", "2025"]}
Date = Annotated[PartialDate, BeforeValidator(parse_partial_date), PlainSerializer(str),
                 WithJsonSchema(_DATE_SCHEMA)]
DateSpec = Annotated[
    PartialDate | DateRange, BeforeValidator(parse_date_spec), PlainSerializer(str),
    WithJsonSchema({"oneOf": [_DATE_SCHEMA, {
        "type": "object", "additionalProperties": False, "required": ["from", "to"],
        "properties": {"from": {**_DATE_SCHEMA, "description": "First day (or month, or year) of the range."},
                       "to": {**_DATE_SCHEMA, "description": "Last day (or month, or year) of the range."}},
        "description": "a date range"}]}),
]


def parse_timestamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, str):
        text = value.strip()
        if not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", text):
            raise ValueError(f"'{value}' is not a timestamp; write 2025-01-30T16:20:00+02:00")
        try:
            stamp = datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            raise ValueError(f"'{value}' is not a timestamp; write 2025-01-30T16:20:00+02:00") from None
    else:
        raise ValueError("expected a timestamp like 2025-01-30T16:20:00+02:00")
    if stamp.tzinfo is None:
        raise ValueError(f"'{value}' has no UTC offset; add one, e.g. +02:00 or Z")
    return stamp


def _isoformat(value: datetime) -> str:
    return value.isoformat()


Timestamp = Annotated[datetime, BeforeValidator(parse_timestamp),
                      PlainSerializer(_isoformat),
                      WithJsonSchema({"type": "string",  # no "format": editors' RFC 3339 is stricter
                                      "pattern": r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                                                 r"\s*([Zz]|[+-]\d{2}(:?\d{2})?)$",
                                      "examples": ["2025-01-30T16:20:00+02:00"]})]


def _clock(value: Any) -> Any:
    if isinstance(value, str) and not re.match(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", value):
        raise ValueError(f"'{value}' is not a time of day; write 19:30 (quoted: \"19:30\")")
    return value


Clock = Annotated[str, AfterValidator(_clock),
                  WithJsonSchema({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$",
                                  "examples": ["19:30"]})]


def _bool(value: Any) -> Any:
    if isinstance(value, str):
        raise ValueError(f"'{value}' is not true or false" + (
            "; write true or false (YAML 1.2)" if value.lower() in {"yes", "no", "on", "off", "y", "n"} else ""))
    return value


Bool = Annotated[bool, BeforeValidator(_bool)]


def _strict_int(value: Any) -> Any:
    if isinstance(value, str) and re.match(r"^[+-]?\d+$", value.strip()):
        return int(value)
    if isinstance(value, str):
        raise ValueError(f"'{value}' is not a whole number")
    return value


def _strict_float(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a number") from None
    return value


PositiveInt = Annotated[int, BeforeValidator(_strict_int), Field(ge=1)]
Number = Annotated[float, BeforeValidator(_strict_float)]


def _number_schema(*, integer: bool = False, **bounds: float) -> WithJsonSchema:
    """JSON Schema of a number: unquoted, or quoted as casefile also accepts it."""
    pattern = r"^\s*[+-]?\d+\s*$" if integer else r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$"
    return WithJsonSchema({"type": ["integer" if integer else "number", "string"], "pattern": pattern, **bounds})
