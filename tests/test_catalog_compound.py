"""Compound crimes: the Elements of Crimes split 8(2)(a)(ii) and 8(2)(c)(i) into crimes with
elements of their own. The catalog has a provision per variant; the paragraph stays citable,
has no elements, and is shown by its variants (checks, proof chart, Annex A)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from casefile import api
from casefile.case.catalog import build_catalog, load_catalog
from casefile.cli import cli
from casefile.dossier.view.format import anchor

from .test_checks import MINIMAL
from .test_project_catalog import CASE, CATALOG

COMPOUNDS = {
    "rome:8.2.a.ii": {"rome:8.2.a.ii-1": ("Torture", 6), "rome:8.2.a.ii-2": ("Inhuman treatment", 5),
                      "rome:8.2.a.ii-3": ("Biological experiments", 7)},
    "rome:8.2.c.i": {"rome:8.2.c.i-1": ("Murder", 5), "rome:8.2.c.i-2": ("Mutilation", 6),
                     "rome:8.2.c.i-3": ("Cruel treatment", 5), "rome:8.2.c.i-4": ("Torture", 6)},
}
NEW = ["rome:8.2.a.iii", "gc3:23", "gc3:30", "gc3:121"]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def non_international(provisions: str, elements: str) -> str:
    """MINIMAL in a non-international armed conflict, citing `provisions` with `elements`."""
    return (MINIMAL.replace("armed_conflict: international", "armed_conflict: non-international")
            .replace("[gc3:130, rome:8.2.a.i]", provisions).replace("rome:8.2.a.i/1: [E1]", elements))


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def allegation(html: str) -> str:
    """The text of the (only) allegation, its proof chart and notes included."""
    start = html.index('<section class="subsection allegation"')
    return text_of(html[start:html.index('<section class="section section-evidence"', start)])


def annex_entry(html: str, pid: str) -> str:
    start = html.index(f'<article class="provision" id="{anchor("provision", pid)}"')
    return text_of(html[start:html.index("</article>", start)])


@pytest.mark.parametrize("pid", NEW)
def test_new_provisions_are_complete(catalog, pid):
    p = catalog.provisions[pid]
    assert p.title and p.summary and p.url and p.url.startswith("https://")
    assert p.applies_to == ("international",)
    assert set(p.titles) == {"uk", "fr", "es"}


def test_wilfully_causing_great_suffering_has_its_elements(catalog):
    p = catalog.provisions["rome:8.2.a.iii"]
    assert [e.id for e in p.elements] == [f"rome:8.2.a.iii/{n}" for n in range(1, 6)]
    assert "serious injury to body or health" in p.elements[0].text
    assert "Geneva Conventions" in p.elements[1].text


@pytest.mark.parametrize("parent", COMPOUNDS)
def test_a_compound_has_variants_and_no_elements_of_its_own(catalog, parent):
    p = catalog.provisions[parent]
    assert p.compound and p.elements == ()
    assert p.variants == tuple(COMPOUNDS[parent])
    assert not any(e.startswith(parent + "/") for e in catalog.elements)


@pytest.mark.parametrize("parent, vid", [(p, v) for p, variants in COMPOUNDS.items() for v in variants])
def test_each_variant_has_its_own_elements(catalog, parent, vid):
    variant = catalog.provisions[vid]
    title, count = COMPOUNDS[parent][vid]
    assert variant.title == title and variant.variant_of == parent and not variant.compound
    assert variant.applies_to == catalog.provisions[parent].applies_to
    assert [e.id for e in variant.elements] == [f"{vid}/{n}" for n in range(1, count + 1)]
    assert all(catalog.elements[e.id] is e for e in variant.elements)


def test_the_variants_elements_differ_where_the_crimes_do(catalog):
    def texts(pid):
        return [e.text for e in catalog.provisions[pid].elements]

    murder, mutilation, cruel, torture = (texts(f"rome:8.2.c.i-{n}") for n in (1, 2, 3, 4))
    assert murder[0] == "The perpetrator killed one or more persons."
    assert "mutilation" in mutilation[0] and "medical" in mutilation[1]
    assert "severe physical or mental pain" in cruel[0] and cruel[0] not in murder
    assert "purpose" in torture[1] and not any("purpose" in t for t in cruel)
    assert "purpose" in texts("rome:8.2.a.ii-1")[1] and not any("purpose" in t for t in texts("rome:8.2.a.ii-2"))
    assert "non-therapeutic" in texts("rome:8.2.a.ii-3")[2]


def test_a_variant_of_nothing_in_the_catalog_is_refused():
    provisions = {"instruments": {"x": {"name": "X"}}, "provisions": [
        {"id": "x:1", "instrument": "x", "article": "1", "title": "Both", "variants": ["x:1-1", "x:1-9"]},
        {"id": "x:1-1", "instrument": "x", "article": "1-1", "title": "One"}]}
    with pytest.raises(ValueError, match="x:1 lists variant x:1-9, which is not in the catalog"):
        build_catalog(provisions, {"bodies": []})
    provisions["provisions"][0]["variants"] = ["x:1-1"]
    assert build_catalog(provisions, {"bodies": []}).provisions["x:1-1"].variant_of == "x:1"


def test_citing_a_variant_renders_its_elements_not_murders(write_case, tmp_path):
    path = write_case(non_international("[rome:8.2.c.i-3]", "rome:8.2.c.i-3/1: [E1]"))
    assert api.validate(path).problems == []
    html = api.render(path, format="html", output=tmp_path / "d.html").read_text(encoding="utf-8")
    chart = allegation(html)
    assert "Rome Statute art. 8(2)(c)(i)-3 — Cruel treatment" in chart
    assert "rome:8.2.c.i-3/1 The perpetrator inflicted severe physical or mental pain or suffering" in chart
    assert "killed one or more persons" not in chart and "8(2)(c)(i)-1" not in chart
    annex = annex_entry(html, "rome:8.2.c.i-3")
    assert "rome:8.2.c.i-3/5" in annex and "killed" not in annex


def test_citing_a_compound_warns_with_the_variants(write_case):
    path = write_case(non_international("[rome:8.2.c.i]", "{}"))
    result = api.validate(path)
    assert result.ok
    [problem] = result.problems
    assert problem.severity == "warning" and problem.loc == ("allegations", 0, "provisions", 0)
    assert problem.message.startswith("rome:8.2.c.i is a compound crime with no elements of its own")
    assert problem.hint == ("cite the variant that fits: rome:8.2.c.i-1 (Murder), rome:8.2.c.i-2 (Mutilation), "
                            "rome:8.2.c.i-3 (Cruel treatment), rome:8.2.c.i-4 (Torture)")
    # with the variant cited besides, the compound is context, not a gap in the proof chart
    both = write_case(non_international("[rome:8.2.c.i, rome:8.2.c.i-1]", "{}"), "both.yaml")
    assert api.validate(both).problems == []


def test_a_dossier_names_a_compounds_variants(write_case, tmp_path):
    path = write_case(non_international("[rome:8.2.c.i]", "{}"))
    html = api.render(path, format="html", output=tmp_path / "d.html").read_text(encoding="utf-8")
    variants = ("Rome Statute art. 8(2)(c)(i)-1 — Murder (rome:8.2.c.i-1); Rome Statute art. 8(2)(c)(i)-2 — "
                "Mutilation (rome:8.2.c.i-2); Rome Statute art. 8(2)(c)(i)-3 — Cruel treatment (rome:8.2.c.i-3); "
                "Rome Statute art. 8(2)(c)(i)-4 — Torture (rome:8.2.c.i-4).")
    note = ("Rome Statute art. 8(2)(c)(i) has no elements of its own: the Elements of Crimes divide it into "
            "variants, each with its own elements: " + variants)
    chart = allegation(html)
    assert note in chart
    assert "killed one or more persons" not in chart and "No provision with Elements of Crimes" not in chart
    annex = annex_entry(html, "rome:8.2.c.i")
    assert note in annex
    assert "Element id" not in annex and "killed one or more persons" not in annex  # no elements table


def test_the_note_is_in_the_dossier_language(write_case, tmp_path):
    path = write_case(non_international("[rome:8.2.a.ii]", "{}").replace("non-international", "international"))
    html = api.render(path, format="html", language="fr", output=tmp_path / "d.html").read_text(encoding="utf-8")
    assert "n’a pas d’éléments propres : les Éléments des crimes le divisent en variantes" in allegation(html)
    assert "Torture (rome:8.2.a.ii-1)" in allegation(html)


def test_an_element_of_a_compound_is_a_located_error_naming_the_variants_elements(write_case):
    path = write_case(non_international("[rome:8.2.c.i]", "rome:8.2.c.i/1: [E1]\n      rome:8.2.c.i/6: [E1]"))
    result = api.validate(path)
    assert not result.ok
    errors = [p for p in result.problems if p.severity == "error"]
    lines = path.read_text(encoding="utf-8").splitlines()
    where = [(str(path), n, line.index("[E1]") + 1) for n, line in enumerate(lines, start=1)
             if line.strip().startswith(("rome:8.2.c.i/1:", "rome:8.2.c.i/6:"))]
    assert len(where) == 2 and [(p.file, p.line, p.column) for p in errors] == where
    assert errors[0].loc == ("allegations", 0, "elements", "rome:8.2.c.i/1")
    assert errors[0].message == ("unknown element 'rome:8.2.c.i/1': rome:8.2.c.i is a compound crime "
                                 "with no elements of its own")
    assert errors[0].hint == ("use an element of the variant that fits: rome:8.2.c.i-1/1 (Murder), "
                              "rome:8.2.c.i-2/1 (Mutilation), rome:8.2.c.i-3/1 (Cruel treatment), "
                              "rome:8.2.c.i-4/1 (Torture)")
    # element 6 exists only for the variants with six elements
    assert errors[1].hint == ("use an element of the variant that fits: rome:8.2.c.i-1/1 to /5 (Murder), "
                              "rome:8.2.c.i-2/6 (Mutilation), rome:8.2.c.i-3/1 to /5 (Cruel treatment), "
                              "rome:8.2.c.i-4/6 (Torture)")


def test_an_element_of_an_uncited_variant_asks_for_the_variant(write_case):
    path = write_case(non_international("[rome:8.2.c.i]", "rome:8.2.c.i-3/1: [E1]"))
    [problem] = [p for p in api.validate(path).problems if p.severity == "error"]
    assert problem.message == "element of rome:8.2.c.i-3, which this allegation does not cite"
    assert problem.hint == "add rome:8.2.c.i-3 to provisions: rome:8.2.c.i has no elements, its variant has"


def test_catalog_command_lists_the_variants():
    shown = CliRunner().invoke(cli, ["catalog", "rome:8.2.a.ii"], catch_exceptions=False)
    assert shown.exit_code == 0
    assert "each variant has its own Elements of Crimes" in shown.stdout
    assert "rome:8.2.a.ii-3  Rome Statute art. 8(2)(a)(ii)-3 — Biological experiments" in shown.stdout
    assert "Elements of Crimes:\n" not in shown.stdout
    variant = CliRunner().invoke(cli, ["catalog", "rome:8.2.a.ii-3"], catch_exceptions=False)
    assert "variant of: rome:8.2.a.ii" in variant.stdout and "rome:8.2.a.ii-3/7" in variant.stdout


PROJECT_VARIANTS = CATALOG.replace("""    applies_to: [international, non-international]
bodies:""", """    applies_to: [international, non-international]
    variants: [unit:1-1]
  - id: unit:1-1
    instrument: unit
    article: "1-1"
    title: Duty to record in writing
    summary: Every capture is recorded in writing.
    applies_to: [international, non-international]
    elements: [{n: 1, text: The capture was not recorded in writing.}]
bodies:""")


def project(tmp_path: Path, catalog_text: str) -> Path:
    (tmp_path / "casefile.yaml").write_text("casefile-project: 1\ncatalog: [extra.yaml]\n")
    (tmp_path / "extra.yaml").write_text(catalog_text)
    (tmp_path / "case.yaml").write_text(CASE)
    return tmp_path / "case.yaml"


def test_a_project_catalog_may_have_compounds(tmp_path):
    case = project(tmp_path, PROJECT_VARIANTS)
    [problem] = api.validate(case).problems
    assert problem.severity == "warning" and problem.loc == ("allegations", 0, "provisions", 1)
    assert problem.hint == "cite the variant that fits: unit:1-1 (Duty to record in writing)"


def test_a_project_catalogs_unknown_variant_is_an_error_naming_the_file(tmp_path):
    case = project(tmp_path, PROJECT_VARIANTS.replace("variants: [unit:1-1]", "variants: [unit:1-2]"))
    result = CliRunner().invoke(cli, ["validate", str(case)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "extra.yaml: provision unit:1 lists variant unit:1-2, which is not in the catalog" in result.stderr
