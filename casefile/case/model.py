"""The case format, version 1, as typed models (the one declaration of the schema).

Field checks live here and in the value types of `values.py` (types, enums, id syntax,
dates); checks across fields and against the catalog live in `checks.py`. The models know
nothing about rendering. Input comes from `loader.py`: plain scalars arrive as text, so
numbers and dates are parsed by the format's rules, not by YAML's implicit typing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from casefile.case.base import Strict as Strict
from casefile.case.persons import Consent as Consent
from casefile.case.persons import FalseMatch as FalseMatch
from casefile.case.persons import Harm as Harm
from casefile.case.persons import Perpetrator as Perpetrator
from casefile.case.persons import Person as Person
from casefile.case.persons import Victim as Victim
from casefile.case.persons import VictimCategory as VictimCategory
from casefile.case.persons import Witness as Witness
from casefile.case.values import (
    FORMAT_VERSION,
    ID_PATTERN,
    BodyId,
    Bool,
    CaseId,
    Clock,
    Country,
    Date,
    DateSpec,
    ElementId,
    Id,
    Inline,
    Markdown,
    Name,
    Number,
    Phrase,
    PositiveInt,
    ProvisionId,
    Sha256,
    Str,
    Timestamp,
    Title,
    _number_schema,
    _strict_int,
)
from casefile.core.languages import CODES as LANGUAGE_CODES

# --- the case ------------------------------------------------------------------------------


Classification = Literal["public", "restricted", "confidential", "strictly-confidential"]
CaseStatus = Literal["draft", "review", "final", "submitted", "closed"]
# the languages casefile writes (core.languages; the spec lists en, uk, fr; es extends it for the UN)
if TYPE_CHECKING:
    Language = str
else:
    Language = Literal[LANGUAGE_CODES]
Conflict = Literal["international", "non-international", "none"]
EvidenceKind = Literal["video", "photo", "audio", "document", "testimony", "open-source-post",
                       "forensic-report", "satellite-image", "statement", "other"]
VerificationStatus = Literal["unverified", "partially-verified", "verified", "disputed"]
CustodyAction = Literal["collected", "copied", "transferred", "analysed", "sealed", "returned"]
FilingStatus = Literal["planned", "submitted", "acknowledged", "closed"]


class Signatory(Strict):
    """Who signs the letters of a packet."""

    name: Name = Field(description="The person who signs.", examples=["Olha Bondar"])
    position: Phrase | None = Field(None, description="Their position.", examples=["Head of the Documentation Unit"])


class Prepared(Strict):
    """Who prepared the dossier, and when."""

    by: Phrase = Field(description="Organisation or person that prepared the dossier.",
                    examples=["Example Documentation Unit"])
    contact: Str | None = Field(None, description="E-mail, phone or address for replies.",
                                examples=["cases@example.org"])
    date: Date = Field(description="Date of preparation (ISO 8601); also the dossier's fixed date.",
                       examples=["2025-02-03"])
    address: list[Str] = Field(default_factory=list, description="Postal address for letters, one line per entry "
                               "(default: the repository's organisation.address).",
                               examples=[["12 Example Street", "01001 Kyiv", "Ukraine"]])
    signatory: Signatory | None = Field(None, description="Who signs the letters (default: the repository's "
                                        "organisation.signatory).",
                                        examples=[{"name": "Olha Bondar", "position": "Head of Unit"}])


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

    place: Phrase | None = Field(None, description="Village, town, street or exact place.",
                              examples=["Farm outbuilding on the edge of the village"])
    region: Phrase | None = Field(None, description="Region or oblast (kept in the public edition).",
                               examples=["Donetsk Oblast"])
    country: Country | None = Field(None, description="Country: ISO 3166-1 alpha-2 code.", examples=["UA"])
    coordinates: Coordinates | None = Field(
        None, description="Exact coordinates: lat, lon, precision_m. Sensitive: left out of the public edition.",
        examples=[{"lat": 48.0, "lon": 37.8, "precision_m": 500}])


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
    state_responsible: Country | None = Field(None, description="The State alleged responsible, ISO 3166-1 alpha-2: "
                                              "the State concerned in letters to UN bodies.", examples=["RU"])
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

    name: Phrase | None = Field(None, description="Name of the source.", examples=["Public Telegram channel"])
    url: Str | None = Field(None, description="Address of the original.", examples=["https://example.org/post/123"])
    published: Date | None = Field(None, description="When it was published.", examples=["2025-01-30"])


class Collected(Strict):
    """Who collected the item, when and how."""

    by: Inline | None = Field(None, description="Who collected it.", examples=["Example Documentation Unit"])
    at: Timestamp | None = Field(None, description="When, with a UTC offset.",
                                 examples=["2025-01-30T18:05:00+02:00"])
    method: Phrase | None = Field(None, description="How it was collected.", examples=["Downloaded and archived"])


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
    publisher: Phrase | None = Field(None, description="Who published it.", examples=["POLITICO"])
    url: Str | None = Field(None, description="Where it is published.", examples=["https://example.org/report"])
    date: Date | None = Field(None, description="Publication date.", examples=["2025-01"])


class Action(Strict):
    """A step already taken by authorities (domestic remedies)."""

    date: Date = Field(description="When.", examples=["2025-02-01"])
    by: Phrase = Field(description="Which authority.", examples=["Office of the Prosecutor General of Ukraine"])
    action: Inline = Field(description="What was done.", examples=["Opened criminal proceedings"])
    reference: Str | None = Field(None, description="The authority's reference number.",
                                  examples=["No. 12025000000000123"])
    state: Country | None = Field(None, description="The State whose authority took the step, ISO 3166-1 alpha-2: "
                                  "only steps in the respondent State are its domestic remedies (ECtHR).",
                                  examples=["UA"])


class Submission(Strict):
    """What was sent to a body, recorded by `casefile mark-submitted` when the packet went out,
    so that a later check compares what the body holds with what was sent."""

    manifest_sha256: Sha256 = Field(description="SHA-256 of the packet's manifest.sha256 (which lists the SHA-256 "
                                    "of every file of the packet).", examples=["9f86d081884c7d659a2feaa0c55ad015"
                                                                               "a3bf4f1b2b0b822cd15d6c15b0f00a08"])
    channel: Str | None = Field(None, description="How it was sent: the upload portal, e-mail, post, by hand.",
                                examples=["email to the unit's registry"])
    packet: Str | None = Field(None, description="The packet's name (its folder and zip).",
                               examples=["UA-DON-2025-001-icrc"])


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
    submission: Submission | None = Field(None, description="What was sent (recorded by `casefile mark-submitted`).",
                                          examples=[{"manifest_sha256": "9f86d081884c7d659a2feaa0c55ad015"
                                                                        "a3bf4f1b2b0b822cd15d6c15b0f00a08",
                                                     "channel": "ICRC portal"}])


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
