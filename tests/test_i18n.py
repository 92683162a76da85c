"""Dossier languages: the gettext catalogs are complete and current, the Donetsk example renders
in Ukrainian and French with every label translated, and the Ukrainian PDF embeds fonts that
cover its Cyrillic text (text extracts correctly, no missing glyph)."""

from __future__ import annotations

import html as htmllib
import importlib.util
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import ContentStream

from casefile import api
from casefile.case.catalog import load_catalog
from casefile.case.loader import load_file
from casefile.cli import cli
from casefile.core import i18n, languages
from casefile.dossier.view import Disclosure, People

from .conftest import DONETSK, ROOT, WITNESS
from .pdfcheck import require_tool

TRANSLATED = ("uk", "fr", "es")
POT = i18n.LOCALE_DIR / "casefile.pot"
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def _load_tool():
    spec = importlib.util.spec_from_file_location("casefile_i18n_tool", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _catalog(path: Path, lang: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


# ------------------------------------------------------------------ catalogs
def test_the_pot_is_up_to_date_with_the_sources():
    """Every `_()`/`N_()`/`gettext` message of casefile/*.py and templates/**/*.j2 is in the .pot,
    and the .pot has none the sources no longer use (run `python3 scripts/i18n.py update`)."""
    extracted = {m.id for m in _load_tool().extract() if m.id}
    recorded = {m.id for m in _catalog(POT) if m.id}
    assert extracted - recorded == set(), "not in casefile.pot yet: run python3 scripts/i18n.py update"
    assert recorded - extracted == set(), "stale messages in casefile.pot: run python3 scripts/i18n.py update"
    assert len(recorded) > 150


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_keeps_its_placeholders(lang):
    catalog = _catalog(i18n.po_path(lang), lang)
    problems = []
    for template in _catalog(POT):
        if not template.id:
            continue
        message = catalog.get(template.id)
        if message is None:
            problems.append(f"missing: {template.id!r}")
            continue
        if message.fuzzy or not all(s and s.strip() for s in _strings(message)):
            problems.append(f"{'fuzzy' if message.fuzzy else 'untranslated'}: {template.id!r}")
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(_ids(template))))
        for string in _strings(message):
            if set(PLACEHOLDER.findall(string)) != wanted:
                problems.append(f"placeholders differ: {template.id!r} -> {string!r}")
    if catalog.num_plurals > 1:
        plural = [m for m in catalog if m.id and isinstance(m.id, tuple)]
        assert all(len(m.string) == catalog.num_plurals for m in plural)
    assert problems == []


def test_a_missing_translation_is_marked_in_debug_mode(monkeypatch):
    monkeypatch.setenv(i18n.DEBUG_ENV, "1")
    tr = i18n.translator("uk")
    assert tr.gettext("Victims") == "Потерпілі"
    assert tr.gettext("No such label") == "⟦No such label⟧"
    assert i18n.translator("en").gettext("No such label") == "No such label"
    monkeypatch.delenv(i18n.DEBUG_ENV)
    assert i18n.translator("uk").gettext("No such label") == "No such label"


# ------------------------------------------------------------------ the Donetsk example
def _text_nodes(document: str) -> list[str]:
    body = re.sub(r"<(style|script)\b.*?</\1>", "", document, flags=re.S)
    return [htmllib.unescape(t).strip() for t in re.findall(r">([^<]+)<", body) if t.strip()]


@pytest.mark.parametrize("lang, labels", [
    ("uk", ["Стислий виклад", "Потерпілі", "Таблиця доказування", "Ланцюг зберігання доказів",
            "Додаток: наведені норми права", "Міжнародний збройний конфлікт", "Військовополонений — Убито",
            "Група потерпілих 1", "ЖК III, ст. 130", "Серйозні порушення", "Внутрішня редакція"]),
    ("fr", ["Résumé", "Victimes", "Tableau de la preuve", "Chaîne de conservation",
            "Annexe\u00a0: dispositions citées", "Conflit armé international", "Prisonnier de guerre — Tué",
            "Groupe de victimes 1", "CG III, art. 130", "Infractions graves", "Édition interne"]),
])
def test_donetsk_renders_with_every_label_translated(lang, labels, tmp_path, monkeypatch):
    monkeypatch.setenv(i18n.DEBUG_ENV, "1")  # an untranslated label would come out as ⟦label⟧
    out = api.render(DONETSK, format="html", language=lang, output=tmp_path / "d.html")
    document = out.read_text(encoding="utf-8")
    assert re.search(rf'<html lang="{lang}"[ >]', document)
    assert "⟦" not in document, sorted(set(re.findall(r"⟦[^⟧]*⟧", document)))
    nodes = _text_nodes(document)
    for label in labels:
        assert label in nodes, label
    # and no English label slipped through as a literal: no text node is a message whose
    # translation differs from it
    catalog = _catalog(i18n.po_path(lang), lang)
    english = {m.id for m in catalog if m.id and isinstance(m.id, str) and m.string and m.string != m.id}
    assert sorted(set(nodes) & english) == []
    # the page furniture drawn by CSS ("Page X of Y") is overridden in the language
    page_rule = {"uk": '"Сторінка " counter(page) " з " counter(pages)',
                 "fr": '"Page " counter(page) " sur " counter(pages)'}[lang]
    assert f"@page {{ @bottom-center {{ content: {page_rule}; }} }}" in document


def test_the_one_line_evidence_register_of_large_cases_is_translated_too(tmp_path, monkeypatch):
    monkeypatch.setenv(i18n.DEBUG_ENV, "1")
    out = api.render(DONETSK, format="html", language="uk", evidence_layout="register", output=tmp_path / "r.html")
    document = out.read_text(encoding="utf-8")
    assert "⟦" not in document, sorted(set(re.findall(r"⟦[^⟧]*⟧", document)))
    assert "SHA-256 (початок)" in _text_nodes(document)


def test_the_case_language_is_the_default_and_the_option_overrides_it(tmp_path):
    text = DONETSK.read_text(encoding="utf-8")
    assert "\nlanguage: en\n" in text
    case = tmp_path / "case.yaml"
    case.write_text(text.replace("\nlanguage: en\n", "\nlanguage: fr\n", 1), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["render", str(case), "--format", "html", "-o", str(tmp_path / "fr.html")])
    assert result.exit_code == 0, result.output
    assert '<html lang="fr"' in (tmp_path / "fr.html").read_text(encoding="utf-8")
    with runner.isolated_filesystem(temp_dir=tmp_path):
        result = runner.invoke(cli, ["render", str(case), "--format", "html", "--language", "uk"])
        assert result.exit_code == 0, result.output
        written = Path(result.stdout.strip())
        assert written.name == "UA-DON-2025-001.uk.html"  # another language than the case's: its own file
        # one warning says that the case's text stays in its own language
        assert result.stderr == (f"{case}:2:1: warning: the case text is written in fr only: this uk document "
                                 "prints it in fr (text fields may be written as {fr: …, uk: …})\n")
        assert "Стислий виклад" in written.read_text(encoding="utf-8")
    result = runner.invoke(cli, ["render", str(case), "--language", "de"])
    assert result.exit_code == 2 and "de" in result.output


def test_a_case_may_be_written_in_spanish_but_not_in_an_unknown_language(tmp_path):
    text = DONETSK.read_text(encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text(text.replace("\nlanguage: en\n", "\nlanguage: es\n", 1), encoding="utf-8")
    out = api.render(case, format="html", output=tmp_path / "es.html")
    assert '<html lang="es"' in out.read_text(encoding="utf-8")
    case.write_text(text.replace("\nlanguage: en\n", "\nlanguage: de\n", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(case)])
    assert result.exit_code == 1
    assert re.search(r"case\.yaml:\d+:11: error: language: 'de' is not one of: en, uk, fr, es", result.output), \
        result.output


def test_pseudonyms_are_translated_and_numbered_like_the_english_ones():
    from casefile.case.parse import parse_case

    case, problems = parse_case(load_file(WITNESS))
    assert case is not None, problems
    public = Disclosure(edition="public")
    english, ukrainian = People(case, public, "en"), People(case, public, "uk")
    words = {"Victim": "Потерпілий", "Witness": "Свідок", "Alleged perpetrator": "Ймовірний виконавець",
             "Victim group": "Група потерпілих"}
    for _, person in case.persons():
        label = english.label(person.id)
        if english.named(person.id):
            assert ukrainian.label(person.id) == label
            continue
        role, number = label.rsplit(" ", 1)
        assert ukrainian.label(person.id) == f"{words[role]} {number}"
    assert any(not english.named(p.id) for _, p in case.persons())


def test_provision_titles_and_citations_in_the_dossier_languages():
    catalog = load_catalog()
    wilful = catalog.provisions["rome:8.2.a.i"]
    assert wilful.title_in("fr") == "Homicide intentionnel" and "fr" not in wilful.unconfirmed_titles
    assert wilful.title_in("es") == "Matar intencionalmente"
    assert wilful.title_in("de") == wilful.title == "Wilful killing"
    assert catalog.provisions["gc3:130"].label_in("uk") == "ЖК III, ст. 130"
    assert catalog.provisions["cihl:89"].label_in("fr") == "DIH coutumier, règle 89"
    assert catalog.provisions["gc3:130"].label_in("en") == "GC III art. 130"
    assert catalog.provisions["ua-cc:438"].title_in("uk") == "Порушення законів та звичаїв війни"
    assert catalog.instruments["rome"].name_in("fr") == "Statut de Rome de la Cour pénale internationale"
    for provision in catalog.provisions.values():
        assert set(provision.titles) <= set(languages.CODES), provision.id
        if provision.instrument.id in ("gc3", "gc4", "ap1", "rome"):  # authentic in French
            assert provision.titles.get("fr"), provision.id


def test_project_templates_can_use_the_translations_in_the_sandbox(tmp_path):
    folder = tmp_path / "templates" / "dossier"
    folder.mkdir(parents=True)
    builtin = (ROOT / "templates" / "dossier" / "toc.html.j2").read_text(encoding="utf-8")
    (folder / "toc.html.j2").write_text(builtin.replace('{{ _("Contents") }}', '{{ _("Contents") }} (projet)'),
                                        encoding="utf-8")
    out = api.render(DONETSK, format="html", language="fr", templates=tmp_path / "templates",
                     output=tmp_path / "d.html")
    assert "Table des matières (projet)" in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ fonts and the PDF
def test_shipped_fonts_cover_ukrainian_french_and_every_translation():
    from fontTools.ttLib import TTFont

    needed = set("ґєіїҐЄІЇ’«»éèêëàâçœæùûüÿîïôÉÈÀÇŒñáíóúÁÍÓÚ¿¡№–—\u00a0")
    for lang in TRANSLATED:
        for message in _catalog(i18n.po_path(lang), lang):
            if message.id:
                needed |= set("".join(_strings(message)))
    needed |= set((ROOT / "casefile" / "case" / "catalog" / "provisions.yaml").read_text(encoding="utf-8"))
    needed = {c for c in needed if c.isprintable() or c == "\u00a0"} - {" "}
    fonts = sorted((ROOT / "casefile" / "fonts").glob("Noto*.ttf"))
    assert len(fonts) >= 10
    for font in fonts:
        cmap = TTFont(font).getBestCmap()
        assert sorted(c for c in needed if ord(c) not in cmap) == [], font.name


@pytest.fixture(scope="module")
def ukrainian_pdf(rendered) -> Path:
    return rendered(DONETSK, language="uk", edition="public")


def test_ukrainian_pdf_text_extracts_correctly(ukrainian_pdf):
    pages = [page.extract_text() for page in PdfReader(ukrainian_pdf).pages]
    text = "\n".join(pages)
    # Ukrainian letters (Є, і) and the apostrophe-free labels, each as one extracted string
    for label in ("ДОСЬЄ СПРАВИ", "Стислий виклад", "Потерпілі", "Публічна редакція — дані осіб приховано",
                  "Ланцюг зберігання доказів", "Заявлені порушення", "Серйозні порушення", "Військовополонений"):
        assert label in text, label
    assert "\ufffd" not in text
    # a glyph missing from the fonts turns the font's encoding "Custom" and its text into
    # NUL-separated garbage: every character must be printable and drawn by the shipped fonts
    assert [c for c in text if unicodedata.category(c)[0] == "C" and c not in "\n\t"] == []
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for font in (ROOT / "casefile" / "fonts").glob("Noto*.ttf"):
        covered |= set(TTFont(font).getBestCmap())
    assert sorted({c for c in text if c not in "\n\t " and ord(c) not in covered}) == []
    assert f"Сторінка 2 з {len(pages)}" in pages[1]
    assert "Page " not in text


def _fonts(reader: PdfReader) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", {}).get_object().values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = font
    return found


def test_every_font_of_the_ukrainian_pdf_is_embedded_and_no_glyph_is_missing(ukrainian_pdf):
    reader = PdfReader(ukrainian_pdf)
    fonts = _fonts(reader)
    assert fonts
    for name, font in fonts.items():
        # only casefile's own fonts: nothing fell back to a font of the machine
        assert "Casefile" in name, name
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name
        assert "/ToUnicode" in font, name
        assert font.get("/Encoding") == "/Identity-H", (name, font.get("/Encoding"))  # "Custom" = missing glyph
    # no shown glyph is .notdef (glyph 0, the empty box): the fonts are Identity-H, 2 bytes a glyph
    shown = 0
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator not in (b"Tj", b"TJ", b"'", b'"'):
                continue
            strings = operands[0] if operator == b"TJ" else operands[-1:]
            for item in strings:
                if isinstance(item, (bytes, str)) or hasattr(item, "original_bytes"):
                    data = item.original_bytes if hasattr(item, "original_bytes") else bytes(item, "latin-1")
                    glyphs = [data[i:i + 2] for i in range(0, len(data) - 1, 2)]
                    assert b"\x00\x00" not in glyphs
                    shown += len(glyphs)
    assert shown > 1000
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", str(ukrainian_pdf)], capture_output=True, text=True, check=True).stdout
        rows = [row.split() for row in listing.splitlines()[2:]]
        assert rows and all(row[-5] == "yes" and row[-6] == "Identity-H" for row in rows), listing  # emb
    else:
        require_tool("pdffonts", "install poppler-utils")


# ------------------------------------------------------------------ packets
def test_a_filing_language_renders_the_packet_dossier_and_letter_in_it(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    text = DONETSK.read_text(encoding="utf-8")
    start = text.index("  - body: icrc")
    text = text[:start] + text[start:].replace("    language: en", "    language: fr", 1)
    case = folder / "case.yaml"
    case.write_text(text, encoding="utf-8")
    [result] = api.packet(case, to="icrc", output=tmp_path / "packets", draft=True, allow_unverified=True)
    dossier = "\n".join(p.extract_text() for p in PdfReader(result.folder / "02-dossier.pdf").pages)
    assert "Résumé" in dossier and "Victimes" in dossier and "Édition destinée à" in dossier
    letter = "\n".join(p.extract_text() for p in PdfReader(result.folder / "01-letter.pdf").pages)
    assert "Pièces jointes" in letter and "Manifest of the packet" not in letter
    assert "Manifeste de l’envoi (SHA-256)" in letter


@pytest.mark.parametrize("lang,outside,dirty", [
    ("uk", "не в git", "коміт {sha} + незакомічені зміни"),
    ("fr", "hors de git", "commit {sha} + modifications non validées"),
    ("es", "fuera de git", "commit {sha} + cambios sin confirmar"),
])
def test_provenance_is_written_in_the_dossier_language(lang, outside, dirty, witness_case, tmp_path):
    """The footer and Annex D say where the case file came from in the dossier's language."""
    git = require_tool("git")
    page = api.render(witness_case, format="html", language=lang, output=tmp_path / "a.html").read_text()
    assert outside in page and "not in git" not in page
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "case"]):
        subprocess.run([git, *args], cwd=witness_case.parent, check=True, capture_output=True, env=env)
    sha = subprocess.run([git, "rev-parse", "HEAD"], cwd=witness_case.parent, check=True, capture_output=True,
                         text=True, env=env).stdout[:12]
    witness_case.write_text(witness_case.read_text() + "\n")
    page = api.render(witness_case, format="html", language=lang, output=tmp_path / "b.html").read_text()
    assert dirty.format(sha=sha) in page and "uncommitted changes" not in page
