"""Cover letters: one translation system, the State in the letter's language, no silent
fallback to another letter, no filing language casefile cannot write."""

from __future__ import annotations

import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from casefile import api
from casefile.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def letter_text(folder) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(folder / "01-letter.pdf").pages)


def with_filing(witness_case, **filing) -> None:
    doc = yaml.safe_load(witness_case.read_text())
    doc["filings"].append({"status": "planned", **filing})
    witness_case.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))


def test_a_filing_language_without_a_letter_is_a_validation_error(witness_case, tmp_path):
    doc = yaml.safe_load(witness_case.read_text())
    icrc = next(f for f in doc["filings"] if f["body"] == "icrc")
    icrc["language"] = "ru"  # the ICRC accepts Russian; casefile cannot write a letter in it
    witness_case.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    errors = [p.format() for p in api.validate(witness_case).errors]
    assert any("filings[2].language: casefile cannot write a cover letter in 'ru' (it writes en, uk, fr, es) "
               "(set language: to one that icrc accepts: en, fr, uk)" in e for e in errors), errors
    result = run("packet", str(witness_case), "--to", "icrc", "--output", str(tmp_path / "out"))
    assert result.exit_code == 1 and "internal error" not in result.output


def test_the_ecthr_letter_names_the_respondent_state_in_its_language(witness_case, tmp_path):
    with_filing(witness_case, body="ecthr", respondent="RU", language="fr")
    [made] = api.packet(witness_case, to="ecthr", draft=True, output=tmp_path / "out")
    text = letter_text(made.folder)
    assert "État défendeur Fédération de Russie" in text, text
    assert "Russia " not in text


def test_every_letter_language_names_the_state_its_own_way(witness_case, tmp_path):
    from casefile.filing.letters import state_name

    assert [state_name("RU", lang) for lang in ("en", "fr", "es", "uk")] == [
        "Russian Federation", "Fédération de Russie", "Federación de Rusia", "Російська Федерація"]
    assert state_name("GE", "fr") == "Géorgie"  # any other State: Babel's name in the language


def test_a_broken_letter_template_is_an_error_not_another_letter(witness_case, tmp_path):
    from casefile.core.resources import templates_dir

    templates = tmp_path / "templates"
    (templates / "letters").mkdir(parents=True)
    broken = templates / "letters" / "icrc.html.j2"
    original = (templates_dir() / "letters" / "icrc.html.j2").read_text()
    broken.write_text(original.replace("{% block content %}", "{% block content %}{% if %}", 1))
    result = run("packet", str(witness_case), "--to", "icrc", "--templates", str(templates),
                 "--output", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: letter template ") and "icrc.html.j2:" in result.output
    assert not (tmp_path / "out" / "TEST-KHE-2024-007-icrc").exists()


def test_a_body_without_a_letter_of_its_own_gets_the_default_one():
    from casefile.dossier.html import environment
    from casefile.filing.letters import letter_template

    env = environment(None, "en")
    assert letter_template(env, "a-body-of-a-project-catalog").name == "letters/default.html.j2"
    assert letter_template(env, "icrc").name == "letters/icrc.html.j2"


def test_the_sender_block_and_signatory_come_from_the_repository_and_the_case(witness_case, tmp_path):
    """casefile.yaml's organisation gives every letter its address and signatory; a case's
    prepared: overrides them."""
    (witness_case.parent / "casefile.yaml").write_text(
        "casefile-project: 1\norganisation:\n  name: Example Legal Aid Clinic\n"
        "  address: [12 Example Street, 73000 Kherson, Ukraine]\n  contact: clinic@example.org\n"
        "  signatory: {name: Iryna Savchuk, position: Head of the Documentation Unit}\n")
    [made] = api.packet(witness_case, to="icrc", output=tmp_path / "a")
    text = letter_text(made.folder)
    assert "12 Example Street 73000 Kherson Ukraine" in text
    assert "Iryna Savchuk Head of the Documentation Unit Example Legal Aid Clinic" in text
    own = witness_case.read_text().replace("prepared:\n", "prepared:\n  signatory: {name: Ivan Petrenko}\n", 1)
    witness_case.write_text(own)
    [again] = api.packet(witness_case, to="icrc", output=tmp_path / "b")
    text = letter_text(again.folder)
    assert "Ivan Petrenko Example Legal Aid Clinic" in text and "Iryna Savchuk" not in text
    assert "12 Example Street" in text  # the address still from the organisation


def test_un_letters_name_the_state_concerned(witness_case, tmp_path):
    """incident.state_responsible is the State a UN body communicates with: its letters name it,
    in the letter's language; without it they name none."""
    with_filing(witness_case, body="un-sr-executions", language="fr")
    plain = api.packet(witness_case, to="un-sr-executions", draft=True, output=tmp_path / "a")[0]
    assert "État concerné Fédération" not in letter_text(plain.folder)  # the request mentions "l’État concerné"
    witness_case.write_text(witness_case.read_text().replace(
        "  armed_conflict: international\n", "  armed_conflict: international\n  state_responsible: RU\n", 1))
    named = api.packet(witness_case, to="un-sr-executions", draft=True, output=tmp_path / "b")[0]
    assert "État concerné Fédération de Russie" in letter_text(named.folder)


def test_the_pgo_letter_fits_the_situation(witness_packets, tmp_path, donetsk_text):
    """Registered proceedings (a reference in actions) make the letter a request to add material
    to them, citing the number in the subject; with none it reports the offence (art. 214 CPC).
    Both carry the notice of liability for a knowingly false report (art. 383 CC)."""
    joined = letter_text(witness_packets["ua-pgo"].folder)  # the witness case: proceedings 12024000000000123
    assert "Клопотання про долучення матеріалів до кримінального провадження № 12024000000000123" in joined
    assert "статті 214" not in joined and "статтею 383 Кримінального кодексу України обізнані" in joined
    case = tmp_path / "donetsk.yaml"
    case.write_text(donetsk_text)
    [report] = api.packet(case, to="ua-pgo", draft=True, output=tmp_path / "out")
    reported = letter_text(report.folder)
    assert "Клопотання про долучення" not in reported and "статтею 383" in reported
    assert "214" in reported  # a report of the offence under article 214 of the Criminal Procedure Code
