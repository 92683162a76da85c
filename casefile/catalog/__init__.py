"""The built-in legal catalog: provisions (with Elements of Crimes) and filing bodies.

The data lives in YAML files next to this module (`provisions.yaml`, `bodies.yaml`) so that
lawyers can review it without reading Python. This module only loads and indexes it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).parent

CONFLICT_KINDS = ("international", "non-international")


@dataclass(frozen=True)
class Instrument:
    id: str
    name: str
    short: str
    url: str | None = None
    adopted: str | None = None


@dataclass(frozen=True)
class Element:
    id: str  # "rome:8.2.a.i/1"
    provision_id: str
    number: int
    text: str


@dataclass(frozen=True)
class Provision:
    id: str
    instrument: Instrument
    article: str
    title: str
    summary: str
    url: str | None
    applies_to: tuple[str, ...]
    grave_breach: bool = False
    elements: tuple[Element, ...] = ()
    title_uk: str | None = None

    @property
    def label(self) -> str:
        """How a lawyer cites it: 'GC III art. 130', 'CIHL Rule 89'."""
        article = self.article
        if article.lower().startswith(("rule", "art")):
            return f"{self.instrument.short} {article}"
        return f"{self.instrument.short} art. {article}"

    def applies_in(self, conflict: str | None) -> bool:
        if conflict is None or "any" in self.applies_to:
            return True
        if conflict == "none":
            return False
        return conflict in self.applies_to


@dataclass(frozen=True)
class Channel:
    type: str  # web, email, post, phone, ...
    value: str
    label: str | None = None


@dataclass(frozen=True)
class Body:
    id: str
    name: str
    short: str
    kind: str
    languages: tuple[str, ...]
    channels: tuple[Channel, ...] = ()
    address: str | None = None
    requires: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    confidentiality: str | None = None
    source: str | None = None
    confirmed: bool = True
    judges_states: bool = False
    jurisdiction_end: dict[str, str] = field(default_factory=dict)
    time_limit_months: int | None = None


@dataclass(frozen=True)
class Catalog:
    instruments: dict[str, Instrument]
    provisions: dict[str, Provision]
    elements: dict[str, Element]
    bodies: dict[str, Body]

    def suggest_provision(self, wrong: str) -> str | None:
        return _suggest(wrong, self.provisions)

    def suggest_element(self, wrong: str) -> str | None:
        return _suggest(wrong, self.elements)

    def suggest_body(self, wrong: str) -> str | None:
        return _suggest(wrong, self.bodies)


def _suggest(wrong: str, known) -> str | None:
    match = difflib.get_close_matches(wrong, list(known), n=1, cutoff=0.6)
    return match[0] if match else None


def _read(name: str) -> dict:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The built-in catalog (read once per process)."""
    return build_catalog(_read("provisions.yaml"), _read("bodies.yaml"))


def build_catalog(provision_data: dict, body_data: dict) -> Catalog:
    instruments = {
        key: Instrument(id=key, name=value["name"], short=value.get("short", key.upper()),
                        url=value.get("url"), adopted=str(value["adopted"]) if value.get("adopted") else None)
        for key, value in provision_data["instruments"].items()
    }
    provisions: dict[str, Provision] = {}
    elements: dict[str, Element] = {}
    for entry in provision_data["provisions"]:
        pid = entry["id"]
        if pid in provisions:
            raise ValueError(f"catalog: duplicate provision id {pid}")
        elems = tuple(
            Element(id=f"{pid}/{e['n']}", provision_id=pid, number=int(e["n"]), text=e["text"].strip())
            for e in entry.get("elements", [])
        )
        for element in elems:
            elements[element.id] = element
        provisions[pid] = Provision(
            id=pid,
            instrument=instruments[entry["instrument"]],
            article=str(entry["article"]),
            title=entry["title"],
            summary=" ".join(str(entry.get("summary", "")).split()),
            url=entry.get("url"),
            applies_to=tuple(entry.get("applies_to", ["any"])),
            grave_breach=bool(entry.get("grave_breach", False)),
            elements=elems,
            title_uk=entry.get("title_uk"),
        )
    bodies: dict[str, Body] = {}
    for entry in body_data["bodies"]:
        bid = entry["id"]
        if bid in bodies:
            raise ValueError(f"catalog: duplicate body id {bid}")
        bodies[bid] = Body(
            id=bid,
            name=entry["name"],
            short=entry.get("short", bid),
            kind=entry.get("kind", "communication"),
            languages=tuple(entry.get("languages", ["en"])),
            channels=tuple(Channel(type=c["type"], value=str(c["value"]), label=c.get("label"))
                           for c in entry.get("channels", [])),
            address=(entry.get("address") or "").strip() or None,
            requires=tuple(entry.get("requires", [])),
            notes=tuple(" ".join(str(n).split()) for n in entry.get("notes", [])),
            confidentiality=" ".join(str(entry.get("confidentiality", "")).split()) or None,
            source=entry.get("source"),
            confirmed=bool(entry.get("confirmed", True)),
            judges_states=bool(entry.get("judges_states", False)),
            jurisdiction_end={k: str(v) for k, v in (entry.get("jurisdiction_end") or {}).items()},
            time_limit_months=entry.get("time_limit_months"),
        )
    return Catalog(instruments=instruments, provisions=provisions, elements=elements, bodies=bodies)
