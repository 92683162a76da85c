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
from typing import Annotated, Any, Literal

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


Str = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank)]
Markdown = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), MARKDOWN]
Inline = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), INLINE]


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
                   WithJsonSchema({"type": "string", "pattern": CASE_ID_PATTERN,
                                   "examples": ["UA-DON-2025-001"]})]


def _check_catalog_ref(value: str) -> str:
    if not re.match(r"^[a-z0-9-]+:[A-Za-z0-9.()-]+(/[0-9]+)?$", value):
        raise ValueError(f"'{value}' is not a catalog id (e.g. gc3:130, rome:8.2.a.i)")
    return value


ProvisionId = Annotated[str, BeforeValidator(_text), AfterValidator(_check_catalog_ref),
                        WithJsonSchema({"type": "string", "examples": ["gc3:130", "rome:8.2.a.i"]})]
ElementId = Annotated[str, AfterValidator(_check_catalog_ref)]
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


_DATE_SCHEMA = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                "examples": ["2025-01-30", "2025-01", "2025"]}
Date = Annotated[PartialDate, BeforeValidator(parse_partial_date), PlainSerializer(str),
                 WithJsonSchema(_DATE_SCHEMA)]
DateSpec = Annotated[
    PartialDate | DateRange, BeforeValidator(parse_date_spec), PlainSerializer(str),
    WithJsonSchema({"oneOf": [_DATE_SCHEMA, {
        "type": "object", "additionalProperties": False, "required": ["from", "to"],
        "properties": {"from": _DATE_SCHEMA, "to": _DATE_SCHEMA},
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
                      WithJsonSchema({"type": "string", "format": "date-time",
                                      "examples": ["2025-01-30T16:20:00+02:00"]})]


def _clock(value: Any) -> Any:
    if isinstance(value, str) and not re.match(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", value):
        raise ValueError(f"'{value}' is not a time of day; write 19:30 (quoted: \"19:30\")")
    return value


Clock = Annotated[str, AfterValidator(_clock), WithJsonSchema({"type": "string", "examples": ["19:30"]})]


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


# --- the case ------------------------------------------------------------------------------
class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


Classification = Literal["public", "restricted", "confidential", "strictly-confidential"]
CaseStatus = Literal["draft", "review", "final", "submitted", "closed"]
Language = Literal["en", "uk", "fr"]
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
    by: Str = Field(description="Organisation or person that prepared the dossier.")
    contact: Str | None = Field(None, description="E-mail, phone or address for replies.")
    date: Date = Field(description="Date of preparation; also the dossier's fixed date.")


class Coordinates(Strict):
    lat: Annotated[Number, Field(ge=-90, le=90)]
    lon: Annotated[Number, Field(ge=-180, le=180)]
    precision_m: Annotated[Number, Field(ge=0)] | None = Field(None, description="Radius of uncertainty in metres.")


class Location(Strict):
    place: Str | None = None
    region: Str | None = None
    country: Country | None = None
    coordinates: Coordinates | None = Field(None, description="Sensitive: left out of the public edition.")


class Consent(Strict):
    share_with: list[BodyId] = Field(default_factory=list,
                                     description="Filing-body ids that may receive this person's identity.")
    date: Date | None = None


class Perpetrator(Strict):
    id: Id
    description: Str | None = None
    affiliation: Str | None = None
    unit: Str | None = None
    name: Str | None = None
    protected: Bool = False


class Victim(Strict):
    id: Id
    name: Str | None = None
    category: VictimCategory | None = None
    affiliation: Str | None = None
    harm: Harm | None = None
    count: PositiveInt = Field(1, description="Number of persons for a group entry.")
    protected: Bool = False
    consent: Consent | None = None


class Witness(Strict):
    id: Id
    name: Str | None = None
    role: Str | None = None
    protected: Bool = False
    consent: Consent | None = None


Person = Perpetrator | Victim | Witness


class Incident(Strict):
    date: DateSpec
    time: Clock | None = None
    timezone: Str | None = Field(None, description="IANA time zone name, e.g. Europe/Kyiv.")
    location: Location | None = None
    armed_conflict: Conflict | None = None
    description: Markdown
    perpetrators: list[Perpetrator] = Field(default_factory=list)
    victims: list[Victim] = Field(default_factory=list)
    witnesses: list[Witness] = Field(default_factory=list)


class Allegation(Strict):
    id: Id
    title: Inline
    provisions: list[ProvisionId] = Field(default_factory=list)
    perpetrators: list[Id] = Field(default_factory=list)
    victims: list[Id] = Field(default_factory=list)
    evidence: list[Id] = Field(default_factory=list)
    elements: dict[ElementId, list[Id]] = Field(
        default_factory=dict, description="Proof chart: element id -> supporting evidence ids.")
    analysis: Markdown | None = None


class EvidenceSource(Strict):
    name: Str | None = None
    url: Str | None = None
    published: Date | None = None


class Collected(Strict):
    by: Inline | None = None
    at: Timestamp | None = None
    method: Str | None = None


class Verification(Strict):
    status: VerificationStatus = "unverified"
    notes: Markdown | None = None


class CustodyEntry(Strict):
    at: Timestamp
    by: Inline
    action: CustodyAction
    to: Inline | None = None
    notes: Markdown | None = None


class Evidence(Strict):
    id: Id
    kind: EvidenceKind
    title: Inline
    description: Markdown | None = None
    file: Str | None = Field(None, description="Path relative to the case file, inside the case folder.")
    sha256: Sha256 | None = None
    source: EvidenceSource | None = None
    collected: Collected | None = None
    verification: Verification | None = None
    confidential: Bool = False
    custody: list[CustodyEntry] = Field(default_factory=list)


class Source(Strict):
    id: Id
    title: Inline
    publisher: Str | None = None
    url: Str | None = None
    date: Date | None = None


class Action(Strict):
    date: Date
    by: Str
    action: Inline
    reference: Str | None = None


class Filing(Strict):
    body: BodyId
    status: FilingStatus = "planned"
    date: Date | None = None
    reference: Str | None = None
    language: Str | None = None
    disclose: list[Id] = Field(default_factory=list)
    include: list[Id] = Field(default_factory=list)
    respondent: Country | None = None


def _version(value: Any) -> Any:
    if str(value) != str(FORMAT_VERSION):
        raise ValueError(f"format version {value!r} is not supported; this casefile reads version 1")
    return FORMAT_VERSION


class Case(Strict):
    """A case file, format version 1."""

    casefile: Annotated[int, BeforeValidator(_version)] = Field(description="Format version: 1.")
    id: CaseId
    title: Inline
    language: Language = "en"
    classification: Classification = "confidential"
    status: CaseStatus = "draft"
    prepared: Prepared
    summary: Markdown
    incident: Incident
    allegations: Annotated[list[Allegation], Field(min_length=1)]
    evidence: list[Evidence]
    sources: list[Source] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    filings: list[Filing] = Field(default_factory=list)

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
