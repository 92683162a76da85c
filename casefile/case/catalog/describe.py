"""The text of `casefile catalog`: the built-in provisions and filing bodies, or one of them."""

from __future__ import annotations

from casefile.case.catalog import Body, Catalog, Provision, load_catalog
from casefile.core.errors import CasefileError


def describe_catalog(what: str | None = None, ident: str | None = None, *,
                     catalog: Catalog | None = None) -> str:
    """Text for `casefile catalog [provisions|bodies] [ID]`."""
    catalog = catalog or load_catalog()
    if what not in (None, "provisions", "bodies"):
        what, ident = None, what  # `casefile catalog gc3:130`
    if ident is not None:
        if what != "bodies" and ident in catalog.provisions:
            return _describe_provision(catalog.provisions[ident], catalog)
        if what != "provisions" and ident in catalog.bodies:
            return _describe_body(catalog.bodies[ident])
        raise CasefileError(f"'{ident}' is not in the catalog", _did_you_mean(catalog, ident))
    lines: list[str] = []
    if what in (None, "provisions"):
        lines.append(f"Provisions ({len(catalog.provisions)})")
        width = max(len(p) for p in catalog.provisions)
        for p in catalog.provisions.values():
            lines.append(f"  {p.id:<{width}}  {p.label} — {p.title}")
    if what in (None, "bodies"):
        if lines:
            lines.append("")
        lines.append(f"Filing bodies ({len(catalog.bodies)})")
        width = max(len(b) for b in catalog.bodies)
        for b in catalog.bodies.values():
            lines.append(f"  {b.id:<{width}}  {b.name} [{', '.join(b.languages)}]")
    return "\n".join(lines) + "\n"


def _describe_provision(p: Provision, catalog: Catalog) -> str:
    lines = [f"{p.id}: {p.label} — {p.title}", f"instrument: {p.instrument.name}",
             f"applies to: {', '.join(p.applies_to)}"]
    if p.variant_of:
        lines.append(f"variant of: {p.variant_of} (a compound crime)")
    if p.grave_breach:
        lines.append("grave breach: yes")
    if p.url:
        lines.append(f"source: {p.url}")
    lines += ["", _wrap(p.summary)]
    if p.elements:
        lines += ["", "Elements of Crimes:"]
        lines += [f"  {e.id}  {e.text}" for e in p.elements]
    if p.compound:
        variants = catalog.variants_of(p)
        width = max(len(v.id) for v in variants)
        lines += ["", "A compound crime: each variant has its own Elements of Crimes; cite the one that fits:"]
        lines += [f"  {v.id:<{width}}  {v.label} — {v.title}" for v in variants]
    return "\n".join(lines) + "\n"


def _describe_body(b: Body) -> str:
    lines = [f"{b.id}: {b.name}", f"kind: {b.kind}", f"languages: {', '.join(b.languages)}"]
    lines += [f"{c.type}: {', '.join(c.value.splitlines())}" + (f" ({c.label})" if c.label else "")
              for c in b.channels]
    if b.address:
        lines += ["address:", *("  " + line for line in b.address.splitlines())]
    if b.requires:
        lines.append(f"a submission must contain: {', '.join(b.requires)}")
    if b.confidentiality:
        lines += ["", _wrap("confidentiality: " + b.confidentiality)]
    if b.notes:
        lines += ["", *(_wrap("- " + n) for n in b.notes)]
    if not b.confirmed:
        lines += ["", "note: some facts of this entry are not confirmed against an official source"]
    if b.source:
        lines.append(f"source: {b.source}")
    return "\n".join(lines) + "\n"


def _wrap(text: str) -> str:
    import textwrap

    return textwrap.fill(text, width=92, subsequent_indent="  " if text.startswith("- ") else "")


def _did_you_mean(catalog: Catalog, ident: str) -> str:
    """A typo's correction, with the provision's title so that a near miss cannot pass for it."""
    provision = catalog.suggest_provision(ident)
    if provision is not None:
        return f"did you mean '{provision}' ({catalog.provisions[provision].title})?"
    body = None if ":" in ident else catalog.suggest_body(ident)  # a provision id is never a body's typo
    if body is not None:
        return f"did you mean '{body}'?"
    return "list them with `casefile catalog provisions` or `casefile catalog bodies`"
