"""An edition per body, declared in the catalog (`carries:`): the ICRC's dossier carries the
persons concerned, the incident and the evidence, and nothing meant for prosecution."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from casefile.case.catalog import load_catalog
from casefile.core.i18n import translator
from casefile.dossier.view.front import build_sections


def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def outline_titles(path) -> list[str]:
    reader = PdfReader(path)
    titles: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))

    walk(reader.outline)
    return titles


PROSECUTION = ("Allegations", "Wilful killing of prisoners of war", "Alleged perpetrators", "Proof chart",
               "Annex: provisions cited", "Elements of Crimes", "rome:8.2.a.i", "Rome Statute",
               "Actions taken by authorities", "Registered criminal proceedings", "Filings")


def test_the_icrc_edition_carries_no_prosecution_material(witness_packets):
    folder = witness_packets["icrc"].folder
    dossier = pdf_text(folder / "02-dossier.pdf")
    for absent in PROSECUTION:
        assert absent not in dossier, absent
    for present in ("Summary", "Incident", "Victims", "Witnesses", "Evidence", "Annex: exhibits",
                    "Annex: evidence manifest"):
        assert present in dossier, present
    # the bookmarks and the table of contents are numbered without gaps: 1-5, then A-C
    titles = outline_titles(folder / "02-dossier.pdf")
    assert not any("Allegations" in t or "provisions" in t for t in titles), titles
    assert re.search(r"\bA Annex: exhibits\b", dossier) and re.search(r"\bC Annex: revision history\b", dossier)
    # the print-ready file carries the same dossier
    printed = pdf_text(next(folder.glob("*-print.pdf")))
    assert "Wilful killing of prisoners of war" not in printed and "Annex: provisions cited" not in printed
    # a mention of the alleged perpetrators in the incident's text prints their label, unlinked
    assert "(Alleged perpetrator 1)" in dossier


def test_the_icc_edition_still_carries_everything_but_the_other_filings(witness_packets):
    dossier = pdf_text(witness_packets["icc-otp"].folder / "02-dossier.pdf")
    for present in ("Allegations", "Wilful killing of prisoners of war", "Alleged perpetrators",
                    "Annex: provisions cited", "Actions taken by authorities"):
        assert present in dossier, present
    assert "ICRC" not in dossier  # no list of the other filings


def test_the_catalog_declares_the_icrc_edition():
    icrc = load_catalog().bodies["icrc"]
    assert icrc.carries == ("victims", "witnesses", "evidence", "sources")
    assert all(body.carries is None for bid, body in load_catalog().bodies.items() if bid != "icrc")


@pytest.mark.parametrize("omitted, kinds", [
    (frozenset(), ["summary", "incident", "persons", "allegations", "evidence", "sources", "actions",
                   "annex", "exhibits", "manifest", "history"]),
    (frozenset({"allegations", "perpetrators", "actions"}),
     ["summary", "incident", "persons", "evidence", "sources", "exhibits", "manifest", "history"]),
    (frozenset({"victims", "witnesses", "perpetrators", "evidence"}),
     ["summary", "incident", "allegations", "sources", "actions", "annex", "manifest", "history"]),
])
def test_sections_of_an_edition_are_numbered_without_gaps(omitted, kinds):
    sections = build_sections(translator("en"), for_body=True, omitted=omitted)
    assert [s.kind for s in sections] == kinds
    numbers = [s.number for s in sections]
    case_sections = [n for n in numbers if n.isdigit()]
    assert case_sections == [str(i) for i in range(1, len(case_sections) + 1)]
    assert [n for n in numbers if not n.isdigit()] == list("ABCD"[:len(numbers) - len(case_sections)])
