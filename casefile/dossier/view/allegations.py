"""Builds section "Allegations": for each allegation its provisions, the perpetrators, victims
and evidence it names, the proof chart (every element of crime of every provision cited, with
the evidence offered for it, or none yet; a compound crime's variants by name) and the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from casefile.case.catalog import Catalog, Provision
from casefile.case.model import Allegation, Case
from casefile.dossier.view.context import Context
from casefile.dossier.view.format import anchor
from casefile.dossier.view.mentions import Ref


@dataclass(frozen=True)
class ProofRow:
    provision_label: str
    provision_title: str
    element_id: str
    element_number: str
    element_text: str
    evidence: tuple[Ref, ...]
    missing: bool


@dataclass(frozen=True)
class ProvisionRef:
    id: str
    label: str
    title: str
    anchor: str


@dataclass(frozen=True)
class AllegationView:
    number: str
    id: str
    anchor: str
    title_html: Markup
    provisions: tuple[ProvisionRef, ...]
    perpetrators: tuple[Ref, ...]
    victims: tuple[Ref, ...]
    evidence: tuple[Ref, ...]
    proof: tuple[ProofRow, ...]
    proof_note: str | None
    analysis_html: Markup | None


def cited_provisions(case: Case, catalog: Catalog) -> tuple[Provision, ...]:
    """Every provision an allegation cites, once, in order of first citation (the annex)."""
    cited: list[Provision] = []
    for allegation in case.allegations:
        for pid in allegation.provisions:
            provision = catalog.provisions.get(pid)
            if provision is not None and provision not in cited:
                cited.append(provision)
    return tuple(cited)


def build_allegations(ctx: Context, number: str) -> tuple[AllegationView, ...]:
    """Section `number`: allegation i is subsection `number`.i."""
    return tuple(allegation_view(ctx, allegation, f"{number}.{i}")
                 for i, allegation in enumerate(ctx.case.allegations, start=1))


def allegation_view(ctx: Context, allegation: Allegation, number: str) -> AllegationView:
    lang, mentions = ctx.lang, ctx.mentions
    provisions = [ctx.catalog.provisions[p] for p in allegation.provisions if p in ctx.catalog.provisions]
    proof = tuple(_proof_chart(ctx, allegation, provisions))
    # a compound crime has no rows: its variants are named instead (unless one is cited too)
    compounds = [compound_note(ctx, p) for p in provisions
                 if p.compound and not any(v in allegation.provisions for v in p.variants)]
    proof_note = " ".join(compounds) if compounds else None if proof else ctx.tr.gettext(
        "No provision with Elements of Crimes is cited, so there is no proof chart.")
    return AllegationView(
        number=number, id=allegation.id, anchor=anchor("allegation", allegation.id),
        title_html=mentions.inline(allegation.title),
        provisions=tuple(ProvisionRef(p.id, p.label_in(lang), p.title_in(lang), anchor("provision", p.id))
                         for p in provisions),
        perpetrators=tuple(mentions.ref(p) for p in allegation.perpetrators),
        victims=tuple(mentions.ref(v) for v in allegation.victims),
        evidence=tuple(mentions.ref(e, with_title=True) for e in allegation.evidence),
        proof=proof, proof_note=proof_note, analysis_html=mentions.block(allegation.analysis),
    )


def compound_note(ctx: Context, provision: Provision) -> str:
    """The line that stands for a compound crime's elements (proof chart, Annex A): the
    Elements of Crimes split it (8(2)(c)(i)-1 murder, -2 mutilation, ...), each variant with
    elements of its own, named here in the dossier's language."""
    lang = ctx.lang
    variants = "; ".join(f"{v.label_in(lang)} — {v.title_in(lang)} ({v.id})"
                         for v in ctx.catalog.variants_of(provision))
    return ctx.tr.gettext("%(provision)s has no elements of its own: the Elements of Crimes divide it into "
                          "variants, each with its own elements: %(variants)s.") % {
        "provision": provision.label_in(lang), "variants": variants}


def _proof_chart(ctx: Context, allegation: Allegation, provisions: list[Provision]) -> list[ProofRow]:
    """A row per element of each provision: the evidence the allegation offers for it."""
    rows: list[ProofRow] = []
    for provision in provisions:
        for element in provision.elements:
            support = allegation.elements.get(element.id, [])
            rows.append(ProofRow(provision.label_in(ctx.lang), provision.title_in(ctx.lang), element.id,
                                 str(element.number), element.text, tuple(ctx.mentions.ref(e) for e in support),
                                 not support))
    return rows
