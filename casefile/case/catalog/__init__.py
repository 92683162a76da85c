"""The built-in legal catalog: provisions (with Elements of Crimes) and filing bodies.

The data lives in YAML files next to this module (`provisions.yaml`, `bodies.yaml`) so that
lawyers can review it without reading Python. This module only loads and indexes it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from casefile.core import typos, usercache

DATA_DIR = Path(__file__).parent

CONFLICT_KINDS = ("international", "non-international")


@dataclass(frozen=True)
class Instrument:
    id: str
    name: str
    short: str
    url: str | None = None
    adopted: str | None = None
    names: dict[str, str] = field(default_factory=dict, compare=False)  # by language (`names:`)
    shorts: dict[str, str] = field(default_factory=dict, compare=False)  # by language (`shorts:`)

    def name_in(self, lang: str | None) -> str:
        return self.names.get(lang or "en") or self.name

    def short_in(self, lang: str | None) -> str:
        return self.shorts.get(lang or "en") or self.short


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
    # `titles:` in provisions.yaml: {lang: title} in the dossier languages; a title given as
    # {title: ..., confirmed: false} is not checked against an official text yet
    titles: dict[str, str] = field(default_factory=dict, compare=False)
    unconfirmed_titles: frozenset[str] = field(default=frozenset(), compare=False)
    # a compound crime the Elements of Crimes split into crimes with elements of their own
    # (8(2)(c)(i): -1 murder, -2 mutilation, ...): `variants:`, the ids of those crimes. Such a
    # provision stays citable but has no elements; each variant names it as `variant_of`.
    variants: tuple[str, ...] = ()
    variant_of: str | None = None

    @property
    def compound(self) -> bool:
        return bool(self.variants)

    @property
    def title_uk(self) -> str | None:
        return self.titles.get("uk")

    def title_in(self, lang: str | None) -> str:
        """The title in a language where the catalog has one, else the English title."""
        return self.titles.get(lang or "en") or self.title

    def label_in(self, lang: str | None) -> str:
        """`label` in a dossier language: 'ЖК III, ст. 130', 'DIH coutumier, règle 89'."""
        from casefile.core.i18n import translator

        if not lang or lang == "en":
            return self.label
        tr = translator(lang)
        short = self.instrument.short_in(lang)
        if self.article.lower().startswith("rule "):
            return tr.gettext("%(instrument)s Rule %(number)s") % {"instrument": short, "number": self.article[5:]}
        return tr.gettext("%(instrument)s art. %(article)s") % {"instrument": short, "article": self.article}

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
    # the parts of the case its dossier edition carries (EDITION_PARTS); None: all of them
    carries: tuple[str, ...] | None = None


# What a body's dossier edition may leave out (`carries:` in a body's entry lists what it
# keeps). The summary, the incident and the annexes of exhibits, manifest and history are always
# there; `allegations` brings their proof charts and Annex A (the provisions they cite).
EDITION_PARTS = ("victims", "witnesses", "perpetrators", "allegations", "evidence", "sources", "actions")


def _carries(body_id: str, value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"catalog: body {body_id}: carries is a list of parts: {', '.join(EDITION_PARTS)}")
    unknown = [v for v in value if v not in EDITION_PARTS]
    if unknown:
        raise ValueError(f"catalog: body {body_id}: carries: unknown part '{unknown[0]}' "
                         f"(parts: {', '.join(EDITION_PARTS)})")
    return tuple(value)


@dataclass(frozen=True)
class Catalog:
    instruments: dict[str, Instrument]
    provisions: dict[str, Provision]
    elements: dict[str, Element]
    bodies: dict[str, Body]

    def suggest_provision(self, wrong: str) -> str | None:
        """A provision id `wrong` is a typo of, or None. Only typos count: the same id written
        with other separators, brackets or case (`rome:8(2)(a)(i)`), two neighbouring characters
        swapped (`gc3:310`), or a slip in the instrument's name (`rom:8.2.a.i`). An id that
        differs in its article (`gc3:131`, `rome:8.2.b.vii`) is another provision, never a
        suggestion."""
        found = [pid for pid in self.provisions if _typo_of(wrong, pid)]
        return found[0] if len(found) == 1 else None

    def variants_of(self, provision: Provision) -> tuple[Provision, ...]:
        """The variants of a compound provision, in the catalog's order (none for any other)."""
        return tuple(self.provisions[v] for v in provision.variants)

    def suggest_element(self, wrong: str) -> str | None:
        """An element id `wrong` is a typo of, or None: its provision a typo of one
        (`suggest_provision`) with the same element number. Another number, or another
        provision's element, is never a suggestion: it is another thing to prove."""
        pid, _, number = wrong.strip().partition("/")
        provision = self.suggest_provision(pid)
        element = f"{provision}/{number.strip()}" if provision else None
        return element if element in self.elements else None

    def suggest_body(self, wrong: str) -> str | None:
        """A body id `wrong` is a typo or a shortening of, or None: the same id in other case or
        separators (`ICRC`, `ua_pgo`), the first part of one id alone (`icc` for `icc-otp`),
        or one slip in an id of four characters or more (`echr` for `ecthr`; core/typos.py).
        Never a body a short slip away: `icc` is not the ICRC."""
        for rule in (_same_id, _first_part_of, _one_slip_from):
            found = [bid for bid in self.bodies if rule(wrong, bid)]
            if found:
                return found[0] if len(found) == 1 else None
        return None


def _normal(ident: str) -> tuple[str, str]:
    """(instrument, article) of a provision id, lower case, with separators and brackets gone."""
    instrument, _, article = ident.strip().lower().partition(":")
    return re.sub(r"[^a-z0-9]", "", instrument), re.sub(r"[^a-z0-9]", "", article)


def _swapped(a: str, b: str) -> bool:
    """`a` is `b` with two neighbouring characters swapped, other than two letters of a Roman
    numeral: `iv` and `vi`, `ix` and `xi` number different paragraphs (8(2)(a)(iv) is the
    destruction of property, (vi) the denial of a fair trial), so one is never a typo of the other."""
    if not typos.swapped(a, b):
        return False
    return not {x for x, y in zip(a, b, strict=True) if x != y} <= set("ivxlcdm")


def _typo_of(wrong: str, known: str) -> bool:
    if re.sub(r"[^a-z0-9]", "", wrong.lower()) == re.sub(r"[^a-z0-9]", "", known.lower()):
        return True  # other separators or case: gc3-130, Rome:8(2)(a)(i)
    (wrong_instrument, wrong_article), (instrument, article) = _normal(wrong), _normal(known)
    if wrong_article == article:
        return difflib.SequenceMatcher(None, wrong_instrument, instrument).ratio() >= 0.75
    return wrong_instrument == instrument and _swapped(wrong_article, article)


def _same_id(wrong: str, known: str) -> bool:
    return typos.plain(wrong) == typos.plain(known)


def _first_part_of(wrong: str, known: str) -> bool:
    parts = re.split(r"[^a-z0-9]+", known.lower())
    return any(typos.plain(wrong) == "".join(parts[:n]) for n in range(1, len(parts)))


def _one_slip_from(wrong: str, known: str) -> bool:
    return typos.one_slip(typos.plain(wrong), typos.plain(known))


def _titles(data: dict[str, Any] | None) -> tuple[dict[str, str], set[str]]:
    """`{uk: "...", fr: {title: "...", confirmed: false}}` -> ({lang: title}, {unconfirmed langs})."""
    titles: dict[str, str] = {}
    unconfirmed: set[str] = set()
    for lang, value in (data or {}).items():
        if isinstance(value, dict):
            titles[lang] = " ".join(str(value.get("title") or value.get("name") or "").split())
            if value.get("confirmed") is False:
                unconfirmed.add(lang)
        else:
            titles[lang] = " ".join(str(value).split())
    return {k: v for k, v in titles.items() if v}, unconfirmed


def _link_variants(provisions: dict[str, Provision]) -> None:
    """Check every `variants:` list and mark each variant with the compound it belongs to. A
    variant must be in the catalog, belong to one compound only, and not be compound itself;
    a compound has no elements of its own (each variant has its own)."""
    parents: dict[str, str] = {}
    for pid, provision in provisions.items():
        if provision.variants and provision.elements:
            raise ValueError(f"catalog: provision {pid} lists variants and has elements of its own "
                             "(the elements belong to its variants)")
        for vid in provision.variants:
            variant = provisions.get(vid)
            if variant is None:
                raise ValueError(f"catalog: provision {pid} lists variant {vid}, which is not in the catalog")
            if vid == pid or variant.variants:
                raise ValueError(f"catalog: provision {pid} lists variant {vid}, which has variants of its own")
            if vid in parents:
                raise ValueError(f"catalog: variant {vid} is listed by both {parents[vid]} and {pid}")
            parents[vid] = pid
    for vid, pid in parents.items():
        provisions[vid] = replace(provisions[vid], variant_of=pid)


def _read(name: str) -> dict[str, Any]:
    """A shipped catalog file, parsed once per machine (core/usercache.parsed: its JSON is kept)."""
    # named by the YAML reader's version too: another reader could read the same bytes otherwise
    kind = f"catalog-{Path(name).stem}-pyyaml{yaml.__version__}"
    data: dict[str, Any] = usercache.parsed(kind, (DATA_DIR / name).read_bytes(), _parse_yaml)
    return data


def _parse_yaml(source: bytes) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when PyYAML was built with it
    return yaml.load(source.decode("utf-8"), Loader=loader)  # noqa: S506  a safe loader, chosen above


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The built-in catalog (read once per process)."""
    return build_catalog(*shipped_data())


def shipped_data() -> tuple[dict[str, Any], dict[str, Any]]:
    """The shipped provisions.yaml and bodies.yaml as loaded YAML, a fresh copy each call (a
    project's catalog files are added to it)."""
    return _read("provisions.yaml"), _read("bodies.yaml")


def build_catalog(provision_data: dict[str, Any], body_data: dict[str, Any]) -> Catalog:
    instruments = {
        key: Instrument(id=key, name=value["name"], short=value.get("short", key.upper()),
                        url=value.get("url"), adopted=str(value["adopted"]) if value.get("adopted") else None,
                        names=_titles(value.get("names"))[0], shorts=_titles(value.get("shorts"))[0])
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
        titles, unconfirmed = _titles(entry.get("titles"))
        if entry.get("title_uk"):  # the older single-language key
            titles.setdefault("uk", entry["title_uk"])
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
            titles=titles,
            unconfirmed_titles=frozenset(unconfirmed),
            variants=tuple(str(v) for v in entry.get("variants") or ()),
        )
    _link_variants(provisions)
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
            carries=_carries(bid, entry.get("carries")),
        )
    return Catalog(instruments=instruments, provisions=provisions, elements=elements, bodies=bodies)
