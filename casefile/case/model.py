"""The case format, version 1, as typed models (the one declaration of the schema).

Field checks live here (types, enums, id syntax, dates); checks across fields and against the
catalog live in `checks.py`. The models know nothing about rendering.
Input comes from `loader.py`: plain scalars arrive as text, so numbers and dates are parsed
here, by the format's rules, not by YAML's implicit typing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from casefile.core.languages import CODES as LANGUAGE_CODES
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

FORMAT_VERSION = 1

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*$"
CASE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_ID_RE = re.compile(ID_PATTERN)
_CASE_ID_RE = re.compile(CASE_ID_PATTERN)


# --- markers: which strings are free text (Markdown with @id mentions) ---------------------
@dataclass(frozen=True)
class TextKind:
    """Marks a string field as free text. `block`: Markdown paragraphs; else one inline line."""

    block: bool


MARKDOWN = TextKind(block=True)
INLINE = TextKind(block=False)


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
    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"is {len(value):,} characters long; {what} may have at most {limit:,}")
        return value

    return AfterValidator(check)


def _paragraphs_at_most(value: str) -> str:
    if len(value) > TEXT_MAX:
        raise ValueError(f"is {len(value):,} characters long; a free-text field may have at most {TEXT_MAX:,}")
    longest = max((len(p) for p in re.split(r"\n\s*\n", value)), default=0)
    if longest > PARAGRAPH_MAX:
        raise ValueError(f"has a paragraph of {longest:,} characters; a paragraph may have at most "
                         f"{PARAGRAPH_MAX:,} (split it with a blank line)")
    return value


def _text_schema(limit: int) -> WithJsonSchema:
    # casefile reads a plain scalar as text, while an editor's YAML 1.2 parser sees
    # `reference: 12345` as a number and `title: true` as a boolean; both are valid text here
    return WithJsonSchema({"type": ["string", "number", "boolean"], "pattern": r"\S", "maxLength": limit})


Str = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), _at_most(LINE_MAX, "a line"),
                _text_schema(LINE_MAX)]
Name = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), _at_most(NAME_MAX, "a name"),
                 _text_schema(NAME_MAX)]
Markdown = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), AfterValidator(_paragraphs_at_most),
                     MARKDOWN, _text_schema(TEXT_MAX)]
Inline = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), _at_most(LINE_MAX, "a line"), INLINE,
                   _text_schema(LINE_MAX)]
Title = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), _at_most(TITLE_MAX, "a title"), INLINE,
                  _text_schema(TITLE_MAX)]


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
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date(year, month or 1, day or 1)  # type: ignore[arg-type]
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


Timestamp = Annotated[datetime, BeforeValidator(parse_timestamp),
                      PlainSerializer(lambda v: v.isoformat()),
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


# --- the case ------------------------------------------------------------------------------
class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


Classification = Literal["public", "restricted", "confidential", "strictly-confidential"]
CaseStatus = Literal["draft", "review", "final", "submitted", "closed"]
# the languages casefile writes (core.languages; the spec lists en, uk, fr; es extends it for the UN)
if TYPE_CHECKING:
    Language = str
else:
    Language = Literal[LANGUAGE_CODES]
Conflict = Literal["international", "non-international", "none"]
VictimCategory = Literal["prisoner-of-war", "hors-de-combat", "civilian", "detainee",
                         "medical-personnel", "other"]
Harm = Literal["killed", "injured", "tortured", "disappeared", "detained", "other"]
EvidenceKind = Literal["video", "photo", "audio", "document", "testimony", "open-source-post",
                       "forensic-report", "satellite-image", "statement", "other"]
VerificationStatus = Literal["unverified", "partially-verified", "verified", "disputed"]
CustodyAction = Literal["collected", "copied", "transferred", "analysed", "sealed", "returned"]
FilingStatus = Literal["planned", "submitted", "acknowledged", "closed"]


class Prepared(Strict):
    """Who prepared the dossier, and when."""

    by: Str = Field(description="Organisation or person that prepared the dossier.",
                    examples=["Example Documentation Unit"])
    contact: Str | None = Field(None, description="E-mail, phone or address for replies.",
                                examples=["cases@example.org"])
    date: Date = Field(description="Date of preparation (ISO 8601); also the dossier's fixed date.",
                       examples=["2025-02-03"])


class Coordinates(Strict):
    """Exact coordinates of the place (WGS 84). Sensitive: left out of the public edition."""

    lat: Annotated[Number, Field(ge=-90, le=90), _number_schema(minimum=-90, maximum=90)] = Field(
        description="Latitude in decimal degrees, -90 to 90.", examples=[48.0123])
    lon: Annotated[Number, Field(ge=-180, le=180), _number_schema(minimum=-180, maximum=180)] = Field(
        description="Longitude in decimal degrees, -180 to 180.", examples=[37.8021])
    precision_m: Annotated[Number, Field(ge=0), _number_schema(minimum=0)] | None = Field(
        None, description="Radius of uncertainty in metres.", examples=[500])


class Location(Strict):
    """Where the incident happened."""

    place: Str | None = Field(None, description="Village, town, street or exact place.",
                              examples=["Farm outbuilding on the edge of the village"])
    region: Str | None = Field(None, description="Region or oblast (kept in the public edition).",
                               examples=["Donetsk Oblast"])
    country: Country | None = Field(None, description="Country: ISO 3166-1 alpha-2 code.", examples=["UA"])
    coordinates: Coordinates | None = Field(
        None, description="Exact coordinates: lat, lon, precision_m. Sensitive: left out of the public edition.",
        examples=[{"lat": 48.0, "lon": 37.8, "precision_m": 500}])


class Consent(Strict):
    """Consent to share a protected person's identity (a victim's may be given by next of kin)."""

    share_with: list[BodyId] = Field(default_factory=list,
                                     description="Filing-body ids that may receive this person's identity.",
                                     examples=[["ua-pgo", "icc-otp"]])
    date: Date | None = Field(None, description="When consent was given.", examples=["2025-02-01"])


class FalseMatch(Strict):
    """A word that matches a protected person's name but does not name them, at one place."""

    word: Str = Field(description="The word as written there (any case), e.g. a common noun that is also a "
                      "given name.", examples=["надія"])
    at: Str = Field(description="Where: the key path validation printed, e.g. summary or "
                    "incident.description or evidence[2].title.", examples=["summary"])


def _aliases_field() -> Any:
    return Field(default_factory=list, description="Other names the person is known by (call sign, nickname, "
                 "maiden name, another spelling); protected exactly as the name is.", examples=[["Сокіл"]])


def _false_matches_field() -> Any:
    return Field(default_factory=list, description="Words that match this person's name but are not them (a "
                 "common noun such as 'надія'), each at one place: word, at. Validation does not report them "
                 "there; an entry that matches nothing is a warning.",
                 examples=[[{"word": "надія", "at": "summary"}]])


class Perpetrator(Strict):
    """An alleged perpetrator, identified or described."""

    id: Id = Field(description="Id of this person, unique in the case; @P1 in text refers to them.",
                   examples=["P1"])
    description: Str | None = Field(None, description="Who they are, as far as known.",
                                    examples=["Two soldiers guarding the captives"])
    affiliation: Str | None = Field(None, description="Armed force, group or authority they belong to.",
                                    examples=["Armed forces of the party concerned"])
    unit: Str | None = Field(None, description="Military unit, if known.", examples=["unknown"])
    name: Name | None = Field(None, description="Full name, if identified.", examples=["Ivan Example"])
    protected: Bool = Field(False, description="true: shown by a stable pseudonym (e.g. 'Victim 1') in every "
        "edition that must not name this person.", examples=[True])
    aliases: list[Name] = _aliases_field()
    false_matches: list[FalseMatch] = _false_matches_field()


class Victim(Strict):
    """A victim, or a group of victims (`count`)."""

    id: Id = Field(description="Id of this person, unique in the case; @V1 in text refers to them.",
                   examples=["V1"])
    name: Name | None = Field(None, description="Full name (optional); with protected: true it is withheld "
                             "from shared editions.", examples=["Andrii Example"])
    category: VictimCategory | None = Field(
        None, description="Status under international humanitarian law.", examples=["prisoner-of-war"])
    affiliation: Str | None = Field(None, description="Armed force or group the victim belonged to, if any.",
                                    examples=["Armed Forces of Ukraine"])
    harm: Harm | None = Field(None, description="What was done to them.", examples=["killed"])
    count: Annotated[PositiveInt, _number_schema(integer=True, minimum=1)] = Field(
        1, description="Number of persons for a group entry (default 1).", examples=[6])
    protected: Bool = Field(False, description="true: shown by a stable pseudonym (e.g. 'Victim 1') in every "
        "edition that must not name this person.", examples=[True])
    aliases: list[Name] = _aliases_field()
    false_matches: list[FalseMatch] = _false_matches_field()
    consent: Consent | None = Field(
        None, description="Consent to disclose the identity (given by next of kin): share_with, date.",
        examples=[{"share_with": ["ua-pgo"], "date": "2025-02-01"}])


class Witness(Strict):
    """A witness."""

    id: Id = Field(description="Id of this person, unique in the case; @W1 in text refers to them.",
                   examples=["W1"])
    name: Name | None = Field(None, description="Full name; with protected: true it is withheld from shared "
                             "editions.", examples=["Olena Example"])
    role: Str | None = Field(None, description="How the witness knows what they state.",
                             examples=["resident, eyewitness"])
    protected: Bool = Field(False, description="true: shown by a stable pseudonym (e.g. 'Victim 1') in every "
        "edition that must not name this person.", examples=[True])
    aliases: list[Name] = _aliases_field()
    false_matches: list[FalseMatch] = _false_matches_field()
    consent: Consent | None = Field(
        None, description="Consent to disclose the identity: share_with (filing-body ids), date.",
        examples=[{"share_with": ["ua-pgo", "icc-otp"], "date": "2025-02-01"}])


Person = Perpetrator | Victim | Witness


class Incident(Strict):
    """What happened, when and where, and who was involved."""

    date: DateSpec = Field(description="When: a date, a partial date (2025-01, 2025) or a range "
                           "{from: 2025-01-28, to: 2025-01-30}.",
                           examples=["2025-01-30", "2025-01", {"from": "2025-01-28", "to": "2025-01-30"}])
    time: Clock | None = Field(None, description='Time of day, HH:MM; quote it: "19:30".', examples=["19:30"])
    timezone: Str | None = Field(None, description="IANA time zone name, e.g. Europe/Kyiv.",
                                 examples=["Europe/Kyiv"])
    location: Location | None = Field(None, description="place, region, country and optional coordinates.",
                                      examples=[{"place": "Village or exact place", "region": "Donetsk Oblast",
                                                 "country": "UA"}])
    armed_conflict: Conflict | None = Field(
        None, description="Kind of armed conflict; decides which provisions apply.", examples=["international"])
    description: Markdown = Field(description="Free text (Markdown): what happened, in order, as the evidence "
                                  "shows it.", examples=["@W1 saw @V1 being led away, then heard shots (@E1)."])
    perpetrators: list[Perpetrator] = Field(
        default_factory=list, description="Perpetrators: id, description, affiliation, unit, name, protected.",
        examples=[[{"id": "P1", "description": "Unidentified servicemen"}]])
    victims: list[Victim] = Field(
        default_factory=list, description="Victims: id, name, category, affiliation, harm, count, protected, "
        "consent.", examples=[[{"id": "V1", "category": "prisoner-of-war", "harm": "killed", "protected": True}]])
    witnesses: list[Witness] = Field(
        default_factory=list, description="Witnesses: id, name, role, protected, consent.",
        examples=[[{"id": "W1", "role": "eyewitness", "protected": True,
                    "consent": {"share_with": ["ua-pgo"], "date": "2025-02-01"}}]])


class Allegation(Strict):
    """An alleged violation: the provisions breached, by whom, against whom, on what evidence."""

    id: Id = Field(description="Id of the allegation, unique in the case.", examples=["A1"])
    title: Title = Field(description="One line naming the alleged violation.",
                          examples=["Wilful killing of prisoners of war"])
    provisions: list[ProvisionId] = Field(
        default_factory=list, description="Catalog ids of the provisions cited (`casefile catalog provisions`); "
        "unknown ids are errors.", examples=[["gc3:130", "rome:8.2.a.i"]])
    perpetrators: list[Id] = Field(default_factory=list, description="Ids of the perpetrators alleged "
                                   "responsible.", examples=[["P1"]])
    victims: list[Id] = Field(default_factory=list, description="Ids of the victims.", examples=[["V1"]])
    evidence: list[Id] = Field(default_factory=list, description="Ids of the evidence items and sources "
                               "supporting the allegation.", examples=[["E1", "S1"]])
    elements: dict[ElementId, list[Id]] = Field(
        default_factory=dict, description="Proof chart: element id (rome:8.2.a.i/1) -> the evidence ids that "
        "support it; the dossier shows every element of every cited provision, and those with no evidence.",
        examples=[{"rome:8.2.a.i/1": ["E1"], "rome:8.2.a.i/2": ["E1", "S1"]}])
    analysis: Markdown | None = Field(None, description="Free text (Markdown): the legal reasoning.",
                                      examples=["Hands tied and under guard, @V1 was hors de combat."])


class EvidenceSource(Strict):
    """Where an evidence item was first published or obtained."""

    name: Str | None = Field(None, description="Name of the source.", examples=["Public Telegram channel"])
    url: Str | None = Field(None, description="Address of the original.", examples=["https://example.org/post/123"])
    published: Date | None = Field(None, description="When it was published.", examples=["2025-01-30"])


class Collected(Strict):
    """Who collected the item, when and how."""

    by: Inline | None = Field(None, description="Who collected it.", examples=["Example Documentation Unit"])
    at: Timestamp | None = Field(None, description="When, with a UTC offset.",
                                 examples=["2025-01-30T18:05:00+02:00"])
    method: Str | None = Field(None, description="How it was collected.", examples=["Downloaded and archived"])


class Verification(Strict):
    """How far the item has been verified."""

    status: VerificationStatus = Field("unverified", description="Verification status (default unverified).",
                                       examples=["partially-verified"])
    notes: Markdown | None = Field(None, description="Free text (Markdown): how it was verified.",
                                   examples=["Geolocated from the tree line and the road."])


class CustodyEntry(Strict):
    """One step in the chain of custody."""

    at: Timestamp = Field(description="When, with a UTC offset; entries are oldest first.",
                          examples=["2025-01-30T18:05:00+02:00"])
    by: Inline = Field(description="Who held or handled the item.", examples=["Example Documentation Unit"])
    action: CustodyAction = Field(description="What happened to the item; transferred needs `to`.",
                                  examples=["collected"])
    to: Inline | None = Field(None, description="Recipient of a transferred item.",
                              examples=["Office of the Prosecutor General of Ukraine"])
    notes: Markdown | None = Field(None, description="Free text (Markdown).",
                                   examples=["Copied to write-once storage."])


class Region(Strict):
    """A rectangle of an image, in pixels from its top-left corner."""

    x: Annotated[int, BeforeValidator(_strict_int), Field(ge=0), _number_schema(integer=True, minimum=0)] = Field(
        description="Left edge, pixels from the left.", examples=[120])
    y: Annotated[int, BeforeValidator(_strict_int), Field(ge=0), _number_schema(integer=True, minimum=0)] = Field(
        description="Top edge, pixels from the top.", examples=[40])
    width: Annotated[PositiveInt, _number_schema(integer=True, minimum=1)] = Field(
        description="Width in pixels.", examples=[200])
    height: Annotated[PositiveInt, _number_schema(integer=True, minimum=1)] = Field(
        description="Height in pixels.", examples=[240])


class Depiction(Strict):
    """A person an image shows, and optionally where (to blur that region in editions that hide
    them)."""

    person: Id = Field(description="Id of the person shown.", examples=["V1"])
    region: Region | None = Field(None, description="Where in the image: x, y, width, height in pixels. "
                                  "Editions that hide the person show the image with this region blurred; "
                                  "without a region they leave the image out.",
                                  examples=[{"x": 120, "y": 40, "width": 200, "height": 240}])


def _depiction(value: Any) -> Any:
    return {"person": value} if isinstance(value, str) else value


def _region_schema() -> dict[str, Any]:
    fields = {"x": "Left edge, pixels from the left.", "y": "Top edge, pixels from the top.",
              "width": "Width in pixels.", "height": "Height in pixels."}
    return {"type": "object", "additionalProperties": False, "required": list(fields),
            "description": "Where in the image, in pixels from its top-left corner.",
            "examples": [{"x": 120, "y": 40, "width": 200, "height": 240}],
            "properties": {name: {"type": ["integer", "string"], "pattern": r"^\s*\d+\s*$", "minimum": 0,
                                  "description": text, "examples": [40]} for name, text in fields.items()}}


# `depicts: [V1]` or `depicts: [{person: V1, region: {...}}]`: both read as a Depiction
DepictionEntry = Annotated[Depiction, BeforeValidator(_depiction), WithJsonSchema({
    "description": "A person the image shows: their id, or {person, region}.",
    "oneOf": [{"type": "string", "pattern": ID_PATTERN, "description": "Id of the person shown.", "examples": ["V1"]},
              {"type": "object", "additionalProperties": False, "required": ["person"],
               "description": "The person shown, and where.",
               "properties": {"person": {"type": "string", "pattern": ID_PATTERN, "description": "Id of the person "
                                         "shown.", "examples": ["V1"]},
                              "region": {**_region_schema(), "description": "Where in the image: x, y, width, "
                                         "height in pixels; editions that hide the person blur it."}}}]})]


class Evidence(Strict):
    """An evidence item: what it is, its file and digest, source, verification and custody."""

    id: Id = Field(description="Id of the item, unique in the case; @E1 in text refers to it.", examples=["E1"])
    kind: EvidenceKind = Field(description="What kind of evidence it is.", examples=["video"])
    title: Title = Field(description="One line.", examples=["Video of the shootings"])
    description: Markdown | None = Field(None, description="Free text (Markdown).",
                                         examples=["Two-minute video; the shooters' faces are not visible."])
    file: Str | None = Field(None, description="Path relative to the case file, inside the case folder.",
                             examples=["evidence/E1.mp4"])
    sha256: Sha256 | None = Field(None, description="SHA-256 of the file, 64 hexadecimal digits "
                                  "(`casefile hash` records it).",
                                  examples=["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"])
    source: EvidenceSource | None = Field(None, description="Where it was published: name, url, published.",
                                          examples=[{"name": "Public Telegram channel", "published": "2025-01"}])
    collected: Collected | None = Field(None, description="Who collected it, when and how: by, at, method.",
                                        examples=[{"by": "Example Documentation Unit",
                                                   "at": "2025-01-30T18:05:00+02:00"}])
    verification: Verification | None = Field(None, description="Verification: status, notes.",
                                              examples=[{"status": "unverified"}])
    confidential: Bool = Field(False, description="true keeps the item's content and file out of the public "
                               "edition, and out of packets whose filing does not `include` it.", examples=[True])
    depicts: list[DepictionEntry] | None = Field(
        None, description="Persons the image or video shows: ids, or {person, region} to blur a region. "
        "Editions that hide a person leave the image out (or blur the region); [] says it shows no one.",
        examples=[["V1"], [{"person": "W1", "region": {"x": 120, "y": 40, "width": 200, "height": 240}}]])
    reviewed_for: list[BodyId] = Field(
        default_factory=list, description="Filing bodies for which a person has read this file and found no "
        "name it must not receive; needed for a file casefile cannot read reliably to go into their packets.",
        examples=[["icc-otp"]])
    custody: list[CustodyEntry] = Field(
        default_factory=list, description="Chain of custody, oldest first: at, by, action, to, notes.",
        examples=[[{"at": "2025-01-30T18:05:00+02:00", "by": "Example Documentation Unit",
                    "action": "collected"}]])


class Source(Strict):
    """Public reporting the case cites."""

    id: Id = Field(description="Id of the source, unique in the case; @S1 in text refers to it.", examples=["S1"])
    title: Title = Field(description="Title of the report or article.", examples=["Report on the killings"])
    publisher: Str | None = Field(None, description="Who published it.", examples=["POLITICO"])
    url: Str | None = Field(None, description="Where it is published.", examples=["https://example.org/report"])
    date: Date | None = Field(None, description="Publication date.", examples=["2025-01"])


class Action(Strict):
    """A step already taken by authorities (domestic remedies)."""

    date: Date = Field(description="When.", examples=["2025-02-01"])
    by: Str = Field(description="Which authority.", examples=["Office of the Prosecutor General of Ukraine"])
    action: Inline = Field(description="What was done.", examples=["Opened criminal proceedings"])
    reference: Str | None = Field(None, description="The authority's reference number.",
                                  examples=["No. 12025000000000123"])


class Filing(Strict):
    """A body the case goes to, and the state of the submission."""

    body: BodyId = Field(description="Filing-body id from the catalog (`casefile catalog bodies`).",
                         examples=["un-sr-executions"])
    status: FilingStatus = Field("planned", description="State of the submission (default planned).",
                                 examples=["submitted"])
    date: Date | None = Field(None, description="When it was filed.", examples=["2025-02-10"])
    reference: Str | None = Field(None, description="The body's reference number.", examples=["UA 1/2025"])
    language: Str | None = Field(None, description="Language of the packet for this body (default: the body's "
                                 "first language).", examples=["en"])
    disclose: list[Id] = Field(default_factory=list, description="Ids of protected persons whose identity this "
                               "body may receive (their consent.share_with must name it).", examples=[["W1"]])
    include: list[Id] = Field(default_factory=list, description="Ids of confidential evidence this body may "
                              "receive; other confidential items stay out of its packet.", examples=[["E3"]])
    respondent: Country | None = Field(None, description="For bodies that judge States (e.g. ecthr): the State "
                                       "complained against, ISO 3166-1 alpha-2.", examples=["RU"])


def _version(value: Any) -> Any:
    if str(value) != str(FORMAT_VERSION):
        raise ValueError(f"format version {value!r} is not supported; this casefile reads version 1")
    return FORMAT_VERSION


class Case(Strict):
    """A case file, format version 1."""

    casefile: Annotated[int, BeforeValidator(_version), WithJsonSchema({"enum": [1, "1"]})] = Field(
        description="Format version: 1.", examples=[1])
    id: CaseId = Field(description="Case reference; used in file names, headers and packets.",
                       examples=["UA-DON-2025-001"])
    title: Title = Field(description="One line.", examples=["Execution of six prisoners of war"])
    language: Language = Field("en", description="Dossier language: en (default), uk, fr or es.", examples=["en"])
    classification: Classification = Field("confidential", description="Printed on every page (default "
                                           "confidential).", examples=["restricted"])
    status: CaseStatus = Field("draft", description="Stage of the case (default draft).", examples=["review"])
    prepared: Prepared = Field(description="Who prepared the dossier and when: by, contact, date.",
                               examples=[{"by": "Example Documentation Unit", "contact": "cases@example.org",
                                          "date": "2025-02-03"}])
    summary: Markdown = Field(description="Free text (Markdown), a few sentences.",
                              examples=["@V1 was killed after capture; the video @E1 shows it."])
    incident: Incident = Field(description="What happened: date, time, location, armed_conflict, description, "
                               "perpetrators, victims, witnesses.",
                               examples=[{"date": "2025-01", "armed_conflict": "international",
                                          "description": "What happened, in order."}])
    allegations: Annotated[list[Allegation], Field(min_length=1)] = Field(
        description="Alleged violations, at least one.",
        examples=[[{"id": "A1", "title": "Wilful killing of a prisoner of war",
                    "provisions": ["gc3:130", "rome:8.2.a.i"], "victims": ["V1"], "evidence": ["E1"]}]])
    evidence: list[Evidence] = Field(
        description="Evidence items (the list may be empty only while status is draft).",
        examples=[[{"id": "E1", "kind": "video", "title": "Video of the incident"}]])
    sources: list[Source] = Field(default_factory=list, description="Public reporting: id, title, publisher, "
                                  "url, date.", examples=[[{"id": "S1", "title": "Report", "publisher": "POLITICO"}]])
    actions: list[Action] = Field(default_factory=list, description="Steps already taken by authorities "
                                  "(domestic remedies): date, by, action, reference.",
                                  examples=[[{"date": "2025-02-01", "by": "Prosecutor's office",
                                              "action": "Opened criminal proceedings"}]])
    filings: list[Filing] = Field(default_factory=list, description="Bodies the case goes to: body, status, "
                                  "date, reference, language, disclose, include, respondent.",
                                  examples=[[{"body": "un-sr-executions", "status": "planned"}]])

    # ---- lookups used by checks and views (no rendering here) ----
    def persons(self) -> list[tuple[str, Person]]:
        """Every person with its role ('victim', 'perpetrator', 'witness'), in file order."""
        return ([("victim", v) for v in self.incident.victims]
                + [("perpetrator", p) for p in self.incident.perpetrators]
                + [("witness", w) for w in self.incident.witnesses])

    def person(self, pid: str) -> Person | None:
        for _, person in self.persons():
            if person.id == pid:
                return person
        return None
