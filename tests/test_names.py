"""How protected names are found: normalisation, transliteration, declension, the matcher."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from casefile.protection import declension, normalize
from casefile.protection.names import Named, NameIndex


def test_the_invisible_characters_are_the_format_characters_of_this_python():
    """normalize._INVISIBLE is written out (computing it costs ~0.3 s at start-up)."""
    import re

    pattern = re.compile(f"[{normalize._INVISIBLE}]")
    format_chars = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert [c for c in format_chars if not pattern.match(c)] == []


@pytest.mark.parametrize("spellings", [
    ["Гнатюк", "Hnatiuk", "Gnatyuk", "Hnatjuk", "Hnatyuk", "Gnatjuk"],
    ["Мацієвський", "Matsiievskyi", "Matsievsky", "Matsiyevs'kyy", "Macijevskyj"],
    ["Юлія", "Yuliia", "Yulia", "Julia", "Yuliya", "Julija"],
    ["Ковальська", "Koval's'ka", "Kovalska", "Koval’ska", "Kowalska"],
    ["Шевченко", "Shevchenko", "Ševčenko", "Szewczenko", "Schewtschenko"],
    ["Щербак", "Shcherbak", "Ščerbak", "Szczerbak", "Ŝerbak"],
    ["Сергій", "Serhiy", "Serhii", "Sergii", "Serhij"],
    ["Євген", "Yevhen", "Ievgen", "Jevhen"],
    ["Харченко", "Kharchenko", "Charczenko"],
    ["В'ячеслав", "Viacheslav", "Vyacheslav", "Wjaczesław"],
    ["Олександр", "Oleksandr", "Олександр"],
])
def test_romanisations_of_a_name_share_its_key(spellings):
    assert {normalize.word_key(s) for s in spellings} == {normalize.word_key(spellings[0])}


@pytest.mark.parametrize("text", [
    "Оlena Koval",  # Cyrillic О
    "Olena Kοval",  # Greek omicron
    "𝐎𝐥𝐞𝐧𝐚 𝐊𝐨𝐯𝐚𝐥",  # mathematical bold
    "Ｏｌｅｎａ Ｋｏｖａｌ",  # full-width
    "Ole\u200bna Ko\u200dval",  # zero-width space, joiner
    "Ole\u00adna Ko\u00adval",  # soft hyphens
    "Ol*en*a **Ko**val",  # Markdown emphasis inside the name
    "\u202eOlena\u202c \u2066Koval\u2069",  # bidi overrides and isolates
    "OlenaKoval", "#OlenaKoval", "K0val 0lena", "Koval2024 Olena",
])
def test_disguised_spellings_have_the_plain_keys(text):
    assert {"olena", "koval"} <= set(normalize.keys(text))


def test_markers_inside_a_word_join_it():
    assert normalize.keys("Ko*va*l") == ["koval"]
    assert normalize.keys("taras_photo Ol_en_a") == ["taras", "foto", "ol", "en", "a", "tarasfoto", "olena"]


def test_keys_of_ordinary_text_are_words():
    assert normalize.keys("The witness saw it: 3 shots, 2025-01-30.") == ["the", "vitnes", "sav", "it", "soc"]


@pytest.mark.parametrize("word, forms", [
    ("Микола", {"миколи", "миколі", "миколу", "миколою", "миколо"}),
    ("Кравченко", {"кравченка", "кравченкові", "кравченку", "кравченком", "кравченки", "кравченків"}),
    ("Мацієвський", {"мацієвського", "мацієвському", "мацієвським", "мацієвськім"}),
    ("Ковальська", {"ковальської", "ковальській", "ковальську", "ковальською"}),
    ("Юлія", {"юлії", "юлію", "юлією"}),
    ("Кравець", {"кравця", "кравцю", "кравцем", "кравцеві"}),
    ("Федір", {"федора", "федору", "федором"}),
    ("Сокіл", {"сокола", "соколом"}),
    ("Андрій", {"андрія", "андрію", "андрієві", "андрієм"}),
    ("Коваль", {"коваля", "ковалю", "ковалем", "ковалеві", "ковалів"}),
    ("Смирнова", {"смирновой", "смирновою", "смирнову"}),
])
def test_the_rules_decline_names(word, forms):
    assert forms <= declension.rule_forms(word)


def test_latin_parts_are_declined_through_cyrillic():
    assert declension.to_cyrillic("Hnatiuk") == "гнатюк"
    assert normalize.word_key(declension.to_cyrillic("Kovalska")) == normalize.word_key("Ковальська")
    adjectival = {normalize.word_key(f) for f in declension.forms("Matsiievskyi")}
    assert {normalize.word_key(w) for w in ("Мацієвського", "Мацієвському", "Matsiievskoho")} <= adjectival
    keys = {normalize.word_key(f) for f in declension.forms("Hnatiuk")}
    assert {normalize.word_key(w) for w in ("Гнатюка", "Гнатюкові", "Hnatiuka")} <= keys


def test_given_names_have_their_counterparts():
    assert "николай" in declension.counterparts("Микола")
    assert "микола" in declension.counterparts("Николай")


@pytest.fixture(scope="module")
def index():
    return NameIndex((Named("V1", "Микола Кравченко"), Named("V2", "Олександр Мацієвський"),
                      Named("V3", "Юлія Ковальська"), Named("W1", "Taras Hnatiuk"),
                      Named("W2", "Olena Koval", ("Сокіл",)), Named("P1", "Ян Кім")))


@pytest.mark.parametrize("text, person", [
    ("Свідок бачив Миколу Кравченка біля складу.", "V1"),
    ("Рідні Кравченків прийшли.", "V1"),
    ("Мы видели Николая Кравченко.", "V1"),
    ("Mykola Kravchenko was taken away.", "V1"),
    ("Медаль передали Мацієвському.", "V2"),
    ("Лист від Ковальської.", "V3"),
    ("Yuliia Kovalska wrote.", "V3"),
    ("Gnatyuk said so.", "W1"),
    ("Тараса Гнатюка бачили.", "W1"),
    ("позивний «Сокіл»", "W2"),
    ("O. Koval", "W2"),
    ("Koval O.", "W2"),
    ("olenakoval", "W2"),
    ("КовальОлена", "W2"),
    ("Кім Я. прийшов", "P1"),
    ("Ян Кім", "P1"),
])
def test_the_index_finds_a_name_however_written(index, text, person):
    assert person in {hit.person for hit in index.find(text)}
    located = [hit for hit in index.locate(text) if hit.person == person]
    assert located and all(hit.surface(text) in text for hit in located)


@pytest.mark.parametrize("text", [
    "The weather was fine and the soldiers were seen near the road.",
    "Свідок бачив полонених біля складу.",
    "Кім прийшов",  # a short part alone is not enough
    "Kovalenko",  # another surname that starts like Koval
])
def test_the_index_finds_nothing_in_other_text(index, text):
    assert index.find(text) == []


@pytest.mark.parametrize("text, found", [
    ("Відео з місця події.", False),  # the preposition з, not the initial Z of the alias
    ("Z. або З. стоять окремо.", False),  # an initial alone names nobody
    ("Іван З. бачив.", True),  # the alias as written, in Cyrillic
    ("Ivan Z. saw it.", True),
])
def test_the_initial_of_an_alias_alone_is_not_the_alias(text, found):
    index = NameIndex((Named("W3", None, ("Ivan Z.",)),))
    assert bool(index.find(text)) is found


def test_hits_carry_the_rule_and_never_the_name(index):
    hits = index.locate("Тараса Гнатюка бачили")
    assert {hit.rule for hit in hits} == {"name part (declined form, other script)"}
    assert all("Гнатюк" not in hit.rule and "Hnatiuk" not in hit.rule for hit in hits)


def test_whole_names_mode_needs_two_parts_together():
    whole = NameIndex((Named("V1", "Olena Koval"),), parts_alone=False)
    assert whole.find("Olena said") == []
    assert whole.find("Koval said") == []
    assert [h.person for h in whole.find("Olena Koval said")] == ["V1"]
    assert [h.person for h in whole.find("Коваль Олена")] == ["V1"]


# ------------------------------------------------------------------------------------------
# the hand-made corpus (tests/protection_corpus/), measured as scripts/measure_names.py does
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def measured():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "scripts" / "measure_names.py"
    spec = importlib.util.spec_from_file_location("measure_names", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    names, clean = module.load()
    return module.measure("both", names, clean)


def test_every_ukrainian_cyrillic_and_latin_form_of_the_corpus_is_found(measured):
    for key in ("ukrainian", "cyrillic", "latin"):
        found, total = measured["found"][key]
        assert found == total, [m for m in measured["missed"] if m[1] == key]


def test_what_the_corpus_misses_is_only_what_the_readme_says(measured):
    missed = {(nid, key) for nid, key, _ in measured["missed"]}
    # the Russian diminutive of the alias Сашко, and the irregular Russian Ильинична for Іллівна
    assert missed <= {("N18", "aliases"), ("N22", "russian")}, measured["missed"]
    found, total = measured["found"]["russian"]
    assert found / total >= 0.99


def test_ordinary_text_is_almost_never_taken_for_a_name(measured):
    assert {nid for nid, _ in measured["false"]} <= {"N28", "N57"}, measured["false"]
    collisions, expected = measured["collisions"]
    assert collisions >= 50 and expected == 60
