"""Case text in several languages (`title: {en: …, uk: …}`): validated per language, chosen
per dossier and letter, reported where a language's text is missing, checked against what a
body reads, and scanned for protected names in every language."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from casefile import api
from casefile.case.localize import localize
from casefile.case.values import Text
from casefile.cli import cli
from casefile.core.errors import CheckFailed

TWO_LANGUAGE_TITLE = """title:
  en: Execution of six Ukrainian prisoners of war, Donetsk region
  uk: Страта шести українських військовополонених, Донеччина
"""


def two_language(donetsk_text: str) -> str:
    old = "title: Execution of six Ukrainian prisoners of war, Donetsk region\n"
    assert donetsk_text.count(old) == 1
    return donetsk_text.replace(old, TWO_LANGUAGE_TITLE)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_two_language_title_reads_in_the_case_language_and_keeps_both(write_case, donetsk_text):
    case = api.load_case(write_case(two_language(donetsk_text))).case
    assert isinstance(case.title, Text)
    assert case.title == "Execution of six Ukrainian prisoners of war, Donetsk region"  # language: en
    assert case.title.variants["uk"] == "Страта шести українських військовополонених, Донеччина"
    # the Ukrainian case (language: uk) reads the Ukrainian text first
    uk = api.load_case(write_case(two_language(donetsk_text).replace("language: en", "language: uk"),
                                  "uk.yaml")).case
    assert uk.title.startswith("Страта") and uk.title.lang == "uk"


@pytest.mark.parametrize("value, line_col, message", [
    ("{en: Execution, ua: Страта}", "4:8",
     "'ua' is not a language code: text in several languages is keyed by ISO 639-1 codes such as en, uk, fr "
     "(Ukrainian is 'uk'; 'ua' is the country)"),
    ("{}", "4:8", "expected text, or text per language such as {en: …, uk: …}; found an empty mapping"),
    ("{en: Execution, uk: ' '}", "4:8", "the uk text must not be empty"),
    ("{en: Execution, uk: [a, b]}", "4:8", "the uk text: expected text, found a mapping or list"),
    ("{en: Execution, uk: " + "я" * 501 + "}", "4:8",
     "the uk text is 501 characters long; a title may have at most 500"),
])
def test_each_language_is_validated_as_the_field_is(write_case, donetsk_text, value, line_col, message):
    text = donetsk_text.replace("title: Execution of six Ukrainian prisoners of war, Donetsk region", f"title: {value}")
    path = write_case(text)
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert f"{path}:{line_col}: error: title: {message}" in result.output, result.output


def test_a_mention_in_one_language_is_checked_at_that_language(write_case, donetsk_text):
    text = two_language(donetsk_text).replace("uk: Страта шести", "uk: Страта @V9 шести")
    path = write_case(text)
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert f"{path}:6:7: error: title.uk: unknown reference '@V9'" in result.output, result.output


def test_a_protected_name_in_the_other_language_is_an_error(witness_case):
    """The witness example is written in English with Ukrainian text: a protected victim's name,
    declined, in the Ukrainian summary only, is found there."""
    text = witness_case.read_text(encoding="utf-8")
    old = "знайшли через два дні (@E4)."
    assert text.count(old) == 1
    witness_case.write_text(text.replace(old, "знайшли через два дні (@E4). Тараса Бондаря впізнала родина."),
                            encoding="utf-8")
    errors = [p.format() for p in api.validate(witness_case).errors]
    assert any(": error: summary.uk: the name of protected person V2 is written here" in e for e in errors), errors
    assert not any("Бондар" in e for e in errors)


def test_render_in_another_language_uses_its_text_and_warns_per_missing_field(write_case, donetsk_text, tmp_path):
    path = write_case(two_language(donetsk_text))
    out = tmp_path / "uk.html"
    result = CliRunner().invoke(cli, ["render", str(path), "--format", "html", "--language", "uk", "-o", str(out),
                                      "--allow-unverified"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<h1 class="cover-title">Страта шести українських військовополонених, Донеччина</h1>' in html
    # the summary has no Ukrainian text: the English one is used, marked as English, and said
    assert '<div lang="en"><p>A video circulated' in html
    assert f"{path}:15:10: warning: summary: no uk text: the en text is used (write this field as " \
           "{en: …, uk: …})" in result.output
    assert "warning: title:" not in result.output
    # the English dossier has no warning about languages
    english = CliRunner().invoke(cli, ["render", str(path), "--format", "html", "-o", str(tmp_path / "en.html"),
                                       "--allow-unverified"])
    assert "no uk text" not in english.output and "no en text" not in english.output


def test_localize_reports_what_has_no_text_in_a_language(write_case, donetsk_text):
    case = api.load_case(write_case(two_language(donetsk_text))).case
    assert localize(case, "en").missing == ()
    uk = localize(case, "uk")
    assert uk.case.title == "Страта шести українських військовополонених, Донеччина" and uk.case.title.lang == "uk"
    paths = [m.loc for m in uk.missing]
    assert ("summary",) in paths and ("title",) not in paths
    assert {m.written_in for m in uk.missing} == {"en"}
    # a language no text is written in keeps the case's text
    assert localize(case, "fr").case.title == case.title


def test_check_stops_a_packet_whose_text_the_body_cannot_read(write_case, donetsk_text):
    text = donetsk_text.replace("  - body: icrc\n", "  - body: ua-pgo\n    status: planned\n  - body: icrc\n", 1)
    path = write_case(text)
    _, requirements = api.check_for(path, "ua-pgo")
    [language] = [r for r in requirements if r.key == "text_language"]
    assert language.status == "missing"
    assert re.match(r"\d+ text field\(s\) are not written in uk but only in en, which PGO does not accept: "
                    r"title, summary, incident.description, ", language.text), language.text
    with pytest.raises(CheckFailed, match="text_language"):
        api.packet(path, to="ua-pgo", output=path.parent / "out", allow_unverified=True)
    # the UN Special Rapporteur reads English: met
    _, un = api.check_for(path, "un-sr-executions")
    assert [r.status for r in un if r.key == "text_language"] == ["met"]


def test_the_pgo_packet_is_in_ukrainian_throughout(witness_packets):
    """The witness example (language en) has Ukrainian text: the PGO's letter and dossier use it."""
    result = witness_packets["ua-pgo"]
    letter = " ".join(page.extract_text() for page in PdfReader(result.folder / "01-letter.pdf").pages)
    dossier = " ".join(page.extract_text() for page in PdfReader(result.folder / "02-dossier.pdf").pages)
    for text in (letter, dossier):
        flat = " ".join(text.split())
        assert "Умисне вбивство військовополонених" in flat
        assert "Wilful killing of prisoners of war" not in flat
    assert "Двох полонених військовослужбовців" in " ".join(dossier.split())
    # and the English packet of the same case stays English
    icc = " ".join(" ".join(page.extract_text().split())
                   for page in PdfReader(witness_packets["icc-otp"].folder / "02-dossier.pdf").pages)
    assert "Wilful killing of prisoners of war" in icc and "Умисне вбивство" not in icc
    checklist = (result.folder.parent / f"{result.folder.name}.checklist.txt").read_text(encoding="utf-8")
    assert "text_language" in checklist
