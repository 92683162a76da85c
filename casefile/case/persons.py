"""The people of a case: victims, witnesses, alleged perpetrators, and what protects them
(consent, aliases, false matches). Part of the case format (model.py re-exports them)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from casefile.case.base import Strict
from casefile.case.values import BodyId, Bool, Country, Date, Id, Name, Phrase, PositiveInt, Str, _number_schema

VictimCategory = Literal["prisoner-of-war", "hors-de-combat", "civilian", "detainee",
                         "medical-personnel", "other"]
Harm = Literal["killed", "injured", "tortured", "disappeared", "detained", "other"]
Sex = Literal["female", "male", "unknown"]

# What identifies a person besides their name: hidden with the name in every edition that must
# not name them, and left out of `casefile diff` for a protected person (IDENTIFYING).
DETAILS = ("born", "age", "sex", "citizenship", "rank", "unit", "service_number", "captured", "died",
           "next_of_kin")
IDENTIFYING = frozenset({"name", "aliases", "false_matches", *DETAILS})


class LifeEvent(Strict):
    """When and where something happened to a person (capture, death)."""

    date: Date | None = Field(None, description="When (a partial date is allowed: 2024, 2024-03).",
                              examples=["2024-03-14"])
    place: Phrase | None = Field(None, description="Where.", examples=["near Kalynove, Kherson Oblast"])


class NextOfKin(Strict):
    """The person to inform, or who gave consent (identifying: hidden with the person)."""

    name: Name | None = Field(None, description="Their name.", examples=["Maria Example"])
    relation: Phrase | None = Field(None, description="How they are related.", examples=["mother"])
    contact: Str | None = Field(None, description="Address, phone or e-mail.", examples=["+380 00 000 0000"])


class Details(Strict):
    """What identifies a person besides their name (GC III art. 17: name, rank, date of birth,
    service number). Every field is identifying: hidden with the person."""

    born: Date | None = Field(None, description="Date of birth (a partial date is allowed: 1990, 1990-05); "
                              "or give age.", examples=["1990-05-12"])
    age: Annotated[PositiveInt, _number_schema(integer=True, minimum=1)] | None = Field(
        None, description="Age at the time of the incident, when the date of birth is not known.", examples=[34])
    sex: Sex | None = Field(None, description="female, male or unknown (also guides how Ukrainian names "
                            "decline when the protected name is looked for).", examples=["male"])
    citizenship: Country | None = Field(None, description="ISO 3166-1 alpha-2 code.", examples=["UA"])
    rank: Phrase | None = Field(None, description="Military rank.", examples=["Senior Sergeant"])
    unit: Phrase | None = Field(None, description="Military unit.", examples=["unknown"])
    service_number: Str | None = Field(None, description="Service (serial) number.", examples=["А1234567"])
    captured: LifeEvent | None = Field(None, description="When and where they were captured: date, place.",
                                       examples=[{"date": "2024-03-14", "place": "Kalynove"}])
    died: LifeEvent | None = Field(None, description="When and where they died: date, place.",
                                   examples=[{"date": "2024-03-14", "place": "Kalynove"}])
    next_of_kin: NextOfKin | None = Field(None, description="Next of kin: name, relation, contact.",
                                          examples=[{"name": "Maria Example", "relation": "mother"}])


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


def _protected_field() -> Any:
    return Field(False, description="true: shown by a stable pseudonym (e.g. 'Victim 1') in every edition that "
                 "must not name this person.", examples=[True])


def _aliases_field() -> Any:
    return Field(default_factory=list, description="Other names the person is known by (call sign, nickname, "
                 "maiden name, another spelling); protected exactly as the name is.", examples=[["Сокіл"]])


def _false_matches_field() -> Any:
    return Field(default_factory=list, description="Words that match this person's name but are not them (a "
                 "common noun such as 'надія'), each at one place: word, at. Validation does not report them "
                 "there; an entry that matches nothing is a warning.",
                 examples=[[{"word": "надія", "at": "summary"}]])


class _PerpetratorFields(Strict):
    """Perpetrator's own fields, before its details (their order is the schema's)."""

    id: Id = Field(description="Id of this person, unique in the case; @P1 in text refers to them.",
                   examples=["P1"])
    description: Phrase | None = Field(None, description="Who they are, as far as known.",
                                    examples=["Two soldiers guarding the captives"])
    affiliation: Phrase | None = Field(None, description="Armed force, group or authority they belong to.",
                                    examples=["Armed forces of the party concerned"])
    unit: Phrase | None = Field(None, description="Military unit, if known.", examples=["unknown"])
    name: Name | None = Field(None, description="Full name, if identified.", examples=["Ivan Example"])
    protected: Bool = _protected_field()
    aliases: list[Name] = _aliases_field()
    false_matches: list[FalseMatch] = _false_matches_field()


class _VictimFields(Strict):
    """Victim's own fields, before its details (their order is the schema's)."""

    id: Id = Field(description="Id of this person, unique in the case; @V1 in text refers to them.",
                   examples=["V1"])
    name: Name | None = Field(None, description="Full name (optional); with protected: true it is withheld "
                             "from shared editions.", examples=["Andrii Example"])
    category: VictimCategory | None = Field(
        None, description="Status under international humanitarian law.", examples=["prisoner-of-war"])
    affiliation: Phrase | None = Field(None, description="Armed force or group the victim belonged to, if any.",
                                    examples=["Armed Forces of Ukraine"])
    harm: Harm | None = Field(None, description="What was done to them.", examples=["killed"])
    count: Annotated[PositiveInt, _number_schema(integer=True, minimum=1)] = Field(
        1, description="Number of persons for a group entry (default 1).", examples=[6])
    protected: Bool = _protected_field()
    aliases: list[Name] = _aliases_field()
    false_matches: list[FalseMatch] = _false_matches_field()
    consent: Consent | None = Field(
        None, description="Consent to disclose the identity (given by next of kin): share_with, date.",
        examples=[{"share_with": ["ua-pgo"], "date": "2025-02-01"}])


class _WitnessFields(Strict):
    """Witness's own fields, before its details (their order is the schema's)."""

    id: Id = Field(description="Id of this person, unique in the case; @W1 in text refers to them.",
                   examples=["W1"])
    name: Name | None = Field(None, description="Full name; with protected: true it is withheld from shared "
                             "editions.", examples=["Olena Example"])
    role: Phrase | None = Field(None, description="How the witness knows what they state.",
                             examples=["resident, eyewitness"])
    protected: Bool = _protected_field()
    aliases: list[Name] = _aliases_field()
    false_matches: list[FalseMatch] = _false_matches_field()
    consent: Consent | None = Field(
        None, description="Consent to disclose the identity: share_with (filing-body ids), date.",
        examples=[{"share_with": ["ua-pgo", "icc-otp"], "date": "2025-02-01"}])


class Perpetrator(Details, _PerpetratorFields):
    """An alleged perpetrator, identified or described."""


class Victim(Details, _VictimFields):
    """A victim, or a group of victims (`count`)."""


class Witness(Details, _WitnessFields):
    """A witness."""


Person = Perpetrator | Victim | Witness
