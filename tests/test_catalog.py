"""The built-in catalog: what the case format and the issues promise is there."""

from __future__ import annotations

import re

import pytest

from casefile.case.catalog import load_catalog

REQUIRED_PROVISIONS = [
    *(f"gc3:{n}" for n in (2, 3, 4, 5, 13, 14, 17, 23, 30, 121, 129, 130)),
    *(f"ap1:{n}" for n in (40, 41, 75, 85)),
    "hr:23", "rome:8.2.a.i", "rome:8.2.a.ii", "rome:8.2.a.iii", "rome:8.2.b.vi", "rome:8.2.b.xii",
    "rome:8.2.b.xxi", "rome:8.2.c.i", "rome:8.2.c.ii",
    *(f"rome:8.2.a.ii-{n}" for n in (1, 2, 3)), *(f"rome:8.2.c.i-{n}" for n in (1, 2, 3, 4)),
    *(f"cihl:{n}" for n in (46, 47, 87, 89, 112, 113, 114, 115, 116, 117)),
    "iccpr:6", "iccpr:7", "echr:2", "echr:3", "ua-cc:438",
]
REQUIRED_BODIES = ["un-sr-executions", "ohchr-hrmmu", "un-coi-ukraine", "icrc", "icc-otp", "ecthr", "ua-pgo"]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.mark.parametrize("pid", REQUIRED_PROVISIONS)
def test_required_provision_is_complete(catalog, pid):
    p = catalog.provisions[pid]
    assert p.title and p.summary and p.article
    assert p.url and p.url.startswith("https://")
    assert set(p.applies_to) <= {"international", "non-international", "any"} and p.applies_to


ROME_CRIMES = ["rome:8.2.a.i", "rome:8.2.a.ii-1", "rome:8.2.a.ii-2", "rome:8.2.a.ii-3", "rome:8.2.a.iii",
               "rome:8.2.b.vi", "rome:8.2.b.xii", "rome:8.2.b.xxi", "rome:8.2.c.i-1", "rome:8.2.c.i-2",
               "rome:8.2.c.i-3", "rome:8.2.c.i-4", "rome:8.2.c.ii"]


@pytest.mark.parametrize("pid", ROME_CRIMES)
def test_rome_war_crimes_carry_numbered_elements(catalog, pid):
    elements = catalog.provisions[pid].elements
    assert [e.number for e in elements] == list(range(1, len(elements) + 1))
    assert len(elements) >= 4
    assert all(catalog.elements[f"{pid}/{e.number}"] is e for e in elements)


def test_wilful_killing_elements_follow_the_elements_of_crimes(catalog):
    texts = [e.text.lower() for e in catalog.provisions["rome:8.2.a.i"].elements]
    assert "killed" in texts[0]
    assert "protected" in texts[1] and "geneva" in texts[1]
    assert "aware" in texts[2]
    assert "international armed conflict" in texts[3]
    assert "aware" in texts[4] and "armed conflict" in texts[4]


def test_conflict_kinds(catalog):
    assert catalog.provisions["rome:8.2.a.i"].applies_to == ("international",)
    assert catalog.provisions["rome:8.2.c.i"].applies_to == ("non-international",)
    assert catalog.provisions["iccpr:6"].applies_in("none")
    assert not catalog.provisions["gc3:130"].applies_in("non-international")


def test_provision_ids_follow_the_scheme(catalog):
    for pid, p in catalog.provisions.items():
        assert re.match(r"^[a-z0-9-]+:[A-Za-z0-9.]+(-[0-9]+)?$", pid), pid
        assert pid.split(":")[0] == p.instrument.id


@pytest.mark.parametrize("bid", REQUIRED_BODIES)
def test_required_body(catalog, bid):
    body = catalog.bodies[bid]
    assert body.name and body.languages and body.kind
    assert all(re.match(r"^[a-z]{2}$", lang) for lang in body.languages)
    assert body.channels or body.address


def test_body_facts_that_checks_rely_on(catalog):
    assert catalog.bodies["un-sr-executions"].languages == ("en", "fr", "es")
    assert catalog.bodies["ua-pgo"].languages[0] == "uk"
    assert catalog.bodies["ecthr"].judges_states
    assert catalog.bodies["ecthr"].jurisdiction_end["RU"] == "2022-09-16"
    assert catalog.bodies["icrc"].kind == "humanitarian-notification"


def test_labels_cite_like_a_lawyer(catalog):
    assert catalog.provisions["gc3:130"].label == "GC III art. 130"
    assert catalog.provisions["rome:8.2.a.i"].label == "Rome Statute art. 8(2)(a)(i)"
    assert catalog.provisions["cihl:89"].label == "Customary IHL Rule 89"


@pytest.mark.parametrize("wrong, suggestion", [
    ("gc3:310", "gc3:130"),  # two digits swapped
    ("rome:8(2)(a)(i)", "rome:8.2.a.i"),  # the Statute's own brackets
    ("Rome:8.2.A.I", "rome:8.2.a.i"),
    ("gc3-130", "gc3:130"),
    ("rom:8.2.a.i", "rome:8.2.a.i"),  # a slip in the instrument
    ("gc3:33", None),  # another article, not art. 30 (medical attention) or 23
    ("gc3:131", None),
    ("rome:8.2.b.vii", None),  # another crime, not 8(2)(b)(vi)
    # the ids added with GC III arts. 23 and 30, 8(2)(a)(iii) and the compound crimes' variants
    ("gc3:03", "gc3:30"),
    ("gc3:211", "gc3:121"),  # two digits swapped
    ("rome:8.2.a.iiii", None),  # a character too many is not a typo by this rule
    ("rome:8(2)(a)(iii)", "rome:8.2.a.iii"),
    ("rome:8.2.c.i.3", "rome:8.2.c.i-3"),  # another separator
    ("rome:8(2)(c)(i)-3", "rome:8.2.c.i-3"),
    ("rome:8.2.c.i-5", None),  # no such variant
    ("rome:8.2.a.ii-4", None),
    # two letters of a Roman numeral swapped name another paragraph, not a typo of this one
    ("rome:8.2.a.iv", None),  # destruction of property, not 8(2)(a)(vi), the denial of a fair trial
    ("rome:8.2.b.iv", None),  # excessive incidental harm, not 8(2)(b)(vi), killing those hors de combat
])
def test_only_a_typo_gets_a_suggestion(catalog, wrong, suggestion):
    assert catalog.suggest_provision(wrong) == suggestion


@pytest.mark.parametrize("wrong, suggestion", [
    ("rome:8(2)(a)(i)/1", "rome:8.2.a.i/1"),
    ("Rome:8.2.A.I/2", "rome:8.2.a.i/2"),  # was rome:8.2.e.x/2, by likeness of characters
    ("rom:8.2.a.i/1", "rome:8.2.a.i/1"),
    ("rome:8.2.a.iv/1", None),  # was rome:8.2.a.i/1: another crime's element
    ("rome:8.2.a.i/9", None),  # was rome:8.2.a.i/5: another element to prove
    ("gc3:130/1", None),  # a provision without Elements of Crimes
])
def test_only_a_typo_of_the_provision_gets_an_element_suggestion(catalog, wrong, suggestion):
    assert catalog.suggest_element(wrong) == suggestion


@pytest.mark.parametrize("wrong, suggestion", [
    ("ICRC", "icrc"),
    ("ua_pgo", "ua-pgo"),
    ("icc", "icc-otp"),  # was icrc: the Red Cross, not the Court
    ("ohchr", "ohchr-hrmmu"),
    ("un-coi", "un-coi-ukraine"),
    ("un", None),  # the first part of two bodies' ids
    ("un-sr-execution", "un-sr-executions"),
    ("echr", "ecthr"),
    ("ircc", "icrc"),
    ("icrc1", "icrc"),
    ("ic", None),
    ("who", None),
])
def test_only_a_typo_or_a_shortening_gets_a_body_suggestion(catalog, wrong, suggestion):
    assert catalog.suggest_body(wrong) == suggestion


def test_an_existing_id_is_its_own_suggestion_only_when_asked(catalog):
    """gc3:30 and rome:8.2.a.iii are provisions now: they are not typos of gc3:130 or 8(2)(a)(ii)."""
    assert catalog.suggest_provision("gc3:30") == "gc3:30"
    assert catalog.suggest_provision("rome:8.2.a.iii") == "rome:8.2.a.iii"


def test_new_provisions_follow_their_sources(catalog):
    assert catalog.provisions["gc3:23"].title == "Security of prisoners"
    assert catalog.provisions["gc3:30"].title == "Medical attention"
    assert catalog.provisions["gc3:121"].title == "Prisoners killed or injured in special circumstances"
    great_suffering = catalog.provisions["rome:8.2.a.iii"]
    assert great_suffering.grave_breach and great_suffering.applies_to == ("international",)
    assert "great physical or mental pain" in great_suffering.elements[0].text
    assert [e.number for e in great_suffering.elements] == [1, 2, 3, 4, 5]
