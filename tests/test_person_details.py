"""What identifies a person besides their name (born or age, sex, citizenship, rank, unit,
service number, capture, death, next of kin): validated, printed where the person is named,
hidden with the name everywhere else, and counted by the bodies' victim_identity check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from casefile import api
from casefile.cli import cli

from .conftest import CASES

NAMED_POW = CASES / "named-pow" / "case.yaml"
IDENTIFYING = ("ЕХ-0000001", "1991", "Ганна", "Коваленк", "Kovalenk", "Junior Sergeant", "молодший сержант",
               "Example Mechanised Brigade")


@pytest.fixture
def named_pow(tmp_path: Path) -> Path:
    shutil.copytree(NAMED_POW.parent, tmp_path / "named-pow")
    return tmp_path / "named-pow" / "case.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_example_validates_and_its_victim_is_identified():
    assert api.validate(NAMED_POW).ok
    _, requirements = api.check_for(NAMED_POW, "un-sr-executions")
    [identity] = [r for r in requirements if r.key == "victim_identity"]
    assert identity.status == "met", identity.text


def test_the_internal_dossier_prints_the_details(tmp_path):
    html = api.render(NAMED_POW, format="html", output=tmp_path / "i.html").read_text(encoding="utf-8")
    for label, value in [("Born", "July 1991"), ("Sex", "Male"), ("Citizenship", "Ukraine (UA)"),
                         ("Rank", "Junior Sergeant"), ("Unit", "Example Mechanised Brigade"),
                         ("Service number", "ЕХ-0000001"), ("Captured", "18 February 2025, south of Robotyne"),
                         ("Died", "18 February 2025, south of Robotyne"), ("Next of kin", "Ганна Коваленко, mother")]:
        assert f"{label}</dt><dd>{value}</dd>" in html, label


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_the_public_edition_hides_every_detail_with_the_name(tmp_path, fmt):
    out = api.render(NAMED_POW, format=fmt, edition="public", output=tmp_path / f"p.{fmt}")
    if fmt == "pdf":
        text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    else:
        text = out.read_text(encoding="utf-8")
    assert "Victim 1" in text
    for value in IDENTIFYING:
        assert value not in text, value
    for label in ("Service number", "Next of kin", "Born"):
        assert label not in text


def test_the_ukrainian_dossier_prints_them_in_ukrainian(tmp_path):
    html = api.render(NAMED_POW, format="html", language="uk", output=tmp_path / "uk.html").read_text(encoding="utf-8")
    assert "Військове звання</dt><dd>молодший сержант</dd>" in html
    assert "Дата народження</dt><dd>липень 1991" in html


def test_the_next_of_kins_name_is_hidden_like_the_persons(named_pow):
    """The mother's name, declined, in the text is an error: it identifies the victim."""
    edit(named_pow, "shot the same day while unarmed", "shot the same day while unarmed; Ганну Коваленко informed")
    errors = [p.format() for p in api.validate(named_pow).errors]
    assert any(": error: summary.en: the name of protected person V1 is written here" in e for e in errors), errors
    # and the record of the next of kin itself is not a leak
    assert not any("error: incident.victims[0].next_of_kin" in e for e in errors), errors


@pytest.mark.parametrize("old, new, expected", [
    ("      born: 1991-07\n", "      born: 1991-07\n      age: 33\n",
     "incident.victims[0].age: give born or age, not both"),
    ("      died: {date: 2025-02-18,", "      died: {date: 2025-02-17,",
     "incident.victims[0].died.date: died 2025-02-17 is before captured 2025-02-18"),
    ("      born: 1991-07\n", "      born: 2031-07\n", "incident.victims[0].born: 2031-07 is in the future"),
    ("      sex: male\n", "      sex: m\n", "incident.victims[0].sex: 'm' is not one of: female, male, unknown"),
    ("      citizenship: UA\n", "      citizenship: Ukraine\n",
     "incident.victims[0].citizenship: 'Ukraine' is not an ISO 3166-1 alpha-2 country code"),
    ("      next_of_kin: {name: Ганна Коваленко,", "      next_of_kin: {nam: Ганна Коваленко,",
     "incident.victims[0].next_of_kin.nam: unknown key 'nam' (did you mean 'name'?)"),
])
def test_details_are_validated(named_pow, old, new, expected):
    edit(named_pow, old, new)
    result = CliRunner().invoke(cli, ["validate", str(named_pow)])
    assert expected in result.output, result.output


def test_victim_identity_says_what_is_missing(named_pow):
    for old in ("      born: 1991-07\n", "      rank: {en: Junior Sergeant, uk: молодший сержант}\n",
                "      unit: {en: Example Mechanised Brigade, uk: Приклад механізованої бригади}\n",
                "      service_number: ЕХ-0000001\n"):
        edit(named_pow, old, "")
    _, requirements = api.check_for(named_pow, "un-sr-executions")
    [identity] = [r for r in requirements if r.key == "victim_identity"]
    assert identity.status == "warning"
    assert identity.text == ("V1: no date of birth or age; no rank, unit or service number (a prisoner of war is "
                             "identified by name, rank, date of birth and service number: GC III art. 17)")


def test_diff_of_a_protected_persons_details_shows_no_value(named_pow, tmp_path):
    before = tmp_path / "before.yaml"
    shutil.copy(named_pow, before)
    edit(named_pow, "      service_number: ЕХ-0000001\n", "      service_number: ЕХ-0000002\n")
    from casefile.repository.diff import diff_cases

    changes = diff_cases(api.load_case(before).case, api.load_case(named_pow).case)
    assert changes, "the change is reported"
    rendered = repr(changes)
    assert "ЕХ-000000" not in rendered


def test_packets_carry_the_details_only_to_the_bodies_the_person_consented_to(named_pow, tmp_path):
    """V1's next of kin consented to the Prosecutor General and the UN Special Rapporteur; the
    ICC, with no consent, gets a packet without any of V1's details. Opened as PDFs."""
    text = named_pow.read_text(encoding="utf-8")
    named_pow.write_text(text + "  - body: icc-otp\n    status: planned\n", encoding="utf-8")
    results = {r.body: r for r in api.packet(named_pow, all_filings=True, output=tmp_path / "packets",
                                             allow_unverified=True, draft=True)}
    pgo = pdf_of(results["ua-pgo"].folder / "02-dossier.pdf")
    assert "ЕХ-0000001" in pgo and "Військове звання" in pgo and "молодший сержант" in pgo
    assert "Ганна Коваленко" in pgo
    un = pdf_of(results["un-sr-executions"].folder / "02-dossier.pdf")
    assert "ЕХ-0000001" in un and "Junior Sergeant" in un
    icc = results["icc-otp"].folder
    for name in ("01-letter.pdf", "02-dossier.pdf", f"{icc.name}-print.pdf"):
        text = pdf_of(icc / name)
        for value in IDENTIFYING:
            assert value not in text, (name, value)


def pdf_of(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)
