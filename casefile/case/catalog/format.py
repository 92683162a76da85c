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

from pydantic import BeforeValidator, Field, StringConstraints

from casefile.case.base import Strict
from casefile.case.catalog import EDITION_PARTS
from casefile.case.values import Bool, PositiveInt

# What a body may require of a submission: the checks of filing/requirements.py, one each
# (a test keeps the two lists the same).
REQUIREMENTS = ("sender", "victims", "victim_identity", "date", "place", "circumstances", "perpetrators",
                "domestic_remedies", "respondent", "legal_arguments", "evidence", "consent", "signature")
BODY_KINDS = ("communication", "criminal-complaint", "humanitarian-notification", "monitoring", "investigation",
              "legal-application")


def _text(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value  # a date written unquoted


Line = Annotated[str, BeforeValidator(_text), StringConstraints(strip_whitespace=True, min_length=1)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
ProvisionRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+:[A-Za-z0-9.()-]+$")]
BodyRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
InstrumentRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Translated(Strict):
    """A title in one language, with whether a person checked it (`confirmed: false`: machine-made)."""

    title: Line
    confirmed: Bool = True


class TranslatedName(Strict):
    """An instrument's name in one language, with whether a person checked it."""

    name: Line
    confirmed: Bool = True


Titles = dict[LanguageCode, Line | Translated]


class Instrument(Strict):
    name: Line = Field(description="Its full name.")
    short: Line | None = Field(None, description="How it is cited (GC III).")
    url: Line | None = None
    adopted: Line | None = Field(None, description="When it was adopted.")
    names: dict[LanguageCode, Line | TranslatedName] | None = Field(None, description="Its name in other languages.")
    shorts: dict[LanguageCode, Line] | None = Field(None, description="How it is cited in other languages.")


class Element(Strict):
    n: PositiveInt = Field(description="The element's number: the element id is <provision>/<n>.")
    text: Line


class Provision(Strict):
    id: ProvisionRef = Field(description="<instrument>:<article>, unique across all catalogs.")
    instrument: InstrumentRef
    article: Line
    title: Line
    titles: Titles | None = None
    title_uk: Line | None = Field(None, description="The older single-language key for `titles: {uk: …}`.")
    summary: Line | None = None
    url: Line | None = None
    applies_to: list[Literal["international", "non-international", "any"]] = Field(
        min_length=1, description="The conflicts it applies in; `any`: at all times.")
    grave_breach: Bool = False
    elements_url: Line | None = None
    elements: list[Element] = Field(default_factory=list)
    variants: list[ProvisionRef] = Field(default_factory=list)


class Channel(Strict):
    type: Line = Field(description="web, email, post, phone…")
    value: Line
    label: Line | None = None


class Body(Strict):
    id: BodyRef
    name: Line
    short: Line | None = None
    kind: Literal[BODY_KINDS] = "communication"  # type: ignore[valid-type]
    languages: list[LanguageCode] = Field(default_factory=lambda: ["en"], min_length=1)
    channels: list[Channel] = Field(default_factory=list)
    address: Line | None = None
    requires: list[Literal[REQUIREMENTS]] = Field(default_factory=list)  # type: ignore[valid-type]
    notes: list[Line] = Field(default_factory=list)
    confidentiality: Line | None = None
    source: Line | None = None
    confirmed: Bool = True
    judges_states: Bool = False
    jurisdiction_end: dict[Line, Line] | None = None
    time_limit_months: PositiveInt | None = None
    carries: list[Literal[EDITION_PARTS]] | None = None  # type: ignore[valid-type]


class CatalogFile(Strict):
    """A catalog file: any of three top-level keys."""

    instruments: dict[InstrumentRef, Instrument] = Field(default_factory=dict)
    provisions: list[Provision] = Field(default_factory=list)
    bodies: list[Body] = Field(default_factory=list)
