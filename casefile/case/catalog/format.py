"""The format of a catalog file, declared once: the repository's own catalog files are checked
against it as strictly as a case (unknown and duplicate keys, wrong types, located, with a
hint), and the shipped catalog is held to it by a test.

Before, a project's catalog file was read with a plain YAML loader: a misspelt `sumary:` left
a provision without its summary, a duplicate key kept its last value, a `requires:` entry
written wrong was never checked, and nothing said where.

`build_catalog` (catalog/__init__.py) turns the checked entries into the catalog; this module
only says what an entry may hold.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from casefile.case.base import Strict
from casefile.case.catalog import EDITION_PARTS
from casefile.case.values import Bool, PositiveInt

# What a body may require of a submission: the checks of filing/requirements.py, one each
# (a test keeps the two lists the same).
REQUIREMENTS = ("sender", "victims", "victim_identity", "date", "place", "circumstances", "perpetrators",
                "domestic_remedies", "respondent", "legal_arguments", "evidence", "consent", "signature")
BODY_KINDS = ("communication", "criminal-complaint", "humanitarian-notification", "monitoring", "investigation",
              "legal-application")


Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
ProvisionRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+:[A-Za-z0-9.()-]+$")]
BodyRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
InstrumentRef = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]


class Translated(Strict):
    """A provision's title in one language, with whether a person checked it against the
    official text in that language."""

    title: Line = Field(description="The title in that language.", examples=["Загальний захист"])
    confirmed: Bool = Field(True, description="false: casefile's own rendering, not yet checked.")


class TranslatedName(Strict):
    """An instrument's name in one language, with whether a person checked it."""

    name: Line = Field(description="The name in that language.")
    confirmed: Bool = Field(True, description="false: casefile's own rendering, not yet checked.")


Titles = dict[LanguageCode, Line | Translated]


class Instrument(Strict):
    """A treaty, statute or code whose articles the provisions are."""

    name: Line = Field(description="Its full name.", examples=["Unit regulations"])
    short: Line | None = Field(None, description="How it is cited; default: its id in capitals.", examples=["UR"])
    url: Line | None = Field(None, description="Where its text is published.")
    adopted: Line | None = Field(None, description="When it was adopted.", examples=["1949-08-12"])
    names: dict[LanguageCode, Line | TranslatedName] | None = Field(None, description="Its name in other languages.")
    shorts: dict[LanguageCode, Line] | None = Field(None, description="How it is cited in other languages.",
                                                     examples=[{"uk": "ЖК III"}])


class Element(Strict):
    """An element of a crime (as in the ICC's Elements of Crimes): what must be proved."""

    n: PositiveInt = Field(description="Its number: the element's id is `<provision>/<n>`.", examples=[1])
    text: Line = Field(description="What must be proved.", examples=["The perpetrator killed one or more persons."])


class Provision(Strict):
    """An article a case can cite in an allegation's `provisions:`."""

    id: ProvisionRef = Field(description="`<instrument>:<article>`, unique across all catalogs.", examples=["unit:1"])
    instrument: InstrumentRef = Field(description="The id of its instrument (built-in or in a catalog file).",
                                      examples=["unit"])
    article: Line = Field(description="The article, as cited.", examples=["1", "8(2)(a)(i)"])
    title: Line = Field(description="Its title, in English.", examples=["Duty to record"])
    titles: Titles | None = Field(None, description="Its title in other languages.")
    title_uk: Line | None = Field(None, description="The older single-language key for `titles: {uk: …}`.")
    summary: Line | None = Field(None, description="What it says, in a sentence or two.")
    url: Line | None = Field(None, description="Where its text is published.")
    applies_to: list[Literal["international", "non-international", "any"]] = Field(
        min_length=1, description="The armed conflicts it applies in; `any`: at all times.",
        examples=[["international", "non-international"]])
    grave_breach: Bool = Field(False, description="A grave breach of the Geneva Conventions.")
    elements_url: Line | None = Field(None, description="Where its elements are published.")
    elements: list[Element] = Field(default_factory=list, description="The elements of the crime, in order.")
    variants: list[ProvisionRef] = Field(
        default_factory=list, description="A compound crime: the ids of its variants, which have the elements.")


class Channel(Strict):
    """One way to reach a body."""

    type: Line = Field(description="web, email, post, phone…", examples=["email"])
    value: Line = Field(description="The address, number or page.", examples=["office@example.org"])
    label: Line | None = Field(None, description="What it is.", examples=["Office"])


class Body(Strict):
    """A body a case can be filed with (`filings[].body`)."""

    id: BodyRef = Field(description="Its id, unique across all catalogs.", examples=["unit-ombudsman"])
    name: Line = Field(description="Its full name.", examples=["Unit Ombudsman"])
    short: Line | None = Field(None, description="Its short name; default: its id.", examples=["Ombudsman"])
    kind: Literal[BODY_KINDS] = Field("communication", description="What a submission to it is.")  # type: ignore[valid-type]
    languages: list[LanguageCode] = Field(default_factory=lambda: ["en"], min_length=1,
                                          description="The languages it accepts, the preferred first.")
    channels: list[Channel] = Field(default_factory=list, description="How to send it a submission.")
    address: Line | None = Field(None, description="Its postal address.")
    requires: list[Literal[REQUIREMENTS]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="What a submission must contain; `casefile check` checks each.")
    notes: list[Line] = Field(default_factory=list, description="What a sender should know.")
    confidentiality: Line | None = Field(None, description="How it treats what it receives.")
    source: Line | None = Field(None, description="The public page these facts come from.")
    confirmed: Bool = Field(True, description="false: its channel, requirements or languages are not confirmed.")
    judges_states: Bool = Field(False, description="It judges States (a respondent State is named).")
    jurisdiction_end: dict[Line, Line] | None = Field(
        None, description="Per State, the date its jurisdiction over that State ended.")
    time_limit_months: PositiveInt | None = Field(None, description="Months from the final domestic decision.")
    carries: list[Literal[EDITION_PARTS]] | None = Field(  # type: ignore[valid-type]
        None, description="The parts of the case its dossier edition carries; default: all.")


class CatalogFile(Strict):
    """A catalog file: any of three top-level keys."""

    instruments: dict[InstrumentRef, Instrument] = Field(default_factory=dict, description="By their id.")
    provisions: list[Provision] = Field(default_factory=list)
    bodies: list[Body] = Field(default_factory=list)
