"""A repository's own catalog files (`casefile.yaml` -> `catalog:`) count in every command,
and `render`/`packet` write to the repository's `output:` folder wherever they are run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from casefile.cli import cli

CATALOG = """\
instruments:
  unit:
    name: Unit regulations
    short: UR
provisions:
  - id: unit:1
    instrument: unit
    article: "1"
    title: Duty to record
    summary: Every capture is recorded.
    applies_to: [international, non-international]
bodies:
  - id: unit-ombudsman
    name: Unit Ombudsman
    short: Ombudsman
    kind: communication
    judges_states: false
    languages: [en]
    channels: [{type: email, label: Office, value: office@example.org}]
    address: Kyiv
    requires: [sender, victims]
"""

CASE = """\
casefile: 1
id: T-1
title: Test case
status: review
prepared: {by: Unit, date: 2025-02-01, contact: unit@example.org}
summary: "@V1 was killed."
incident:
  date: 2025-01
  armed_conflict: international
  description: Described in @E1.
  victims:
    - id: V1
      category: prisoner-of-war
      harm: killed
allegations:
  - id: A1
    title: Killing of @V1
    provisions: [gc3:130, unit:1]
    victims: [V1]
    evidence: [E1]
evidence:
  - id: E1
    kind: video
    title: Video
filings:
  - body: unit-ombudsman
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "casefile.yaml").write_text("casefile-project: 1\noutput: built\ncatalog: [catalog/extra.yaml]\n")
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "extra.yaml").write_text(CATALOG)
    (tmp_path / "cases" / "t1").mkdir(parents=True)
    (tmp_path / "cases" / "t1" / "case.yaml").write_text(CASE)
    return tmp_path


def test_every_command_knows_the_project_catalog(project, monkeypatch):
    case = project / "cases" / "t1" / "case.yaml"
    monkeypatch.chdir(case.parent)  # run from the case's own folder, as a user would
    validated = run("validate", "case.yaml")
    assert validated.exit_code == 0, validated.output
    checked = run("check", "case.yaml", "--for", "unit-ombudsman")
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith("Unit Ombudsman (unit-ombudsman), communication")
    shown = run("catalog", "unit:1")
    assert shown.exit_code == 0 and shown.stdout.startswith("unit:1: UR art. 1 — Duty to record")
    rendered = run("render", "case.yaml", "--format", "html")
    assert rendered.exit_code == 0, rendered.output
    html = (project / "built" / "T-1.html").read_text()  # the repository's output folder, not ./out
    assert "Duty to record" in html and not (case.parent / "out").exists()
    # outside the repository the same case cites an unknown provision
    outside = project.parent / "elsewhere.yaml"
    outside.write_text(CASE)
    result = run("validate", str(outside))
    assert result.exit_code == 1 and "unknown provision 'unit:1'" in result.stdout


@pytest.mark.parametrize("change, message", [
    (("    applies_to: [international, non-international]\n", ""),
     "catalog/extra.yaml:6:5: error: provisions[0].applies_to: missing required key 'applies_to'"),
    (("  - id: unit:1\n", "  - id: gc3:130\n"), "catalog/extra.yaml: duplicate provision id gc3:130"),
    (("instruments:", "instrumens:"),
     "catalog/extra.yaml:1:1: error: instrumens: unknown key 'instrumens' (did you mean 'instruments'?)"),
    (("    requires: [sender, victims]\n", "    requires: [sender, victims]\n    carries: [victims, perps]\n"),
     "catalog/extra.yaml:22:24: error: bodies[0].carries[1]: 'perps' is not one of: victims, witnesses, "
     "perpetrators, allegations, evidence, sources, actions"),
    # what a plain YAML reader let through, silently
    (("    summary: Every", "    sumary: Every"),
     "catalog/extra.yaml:10:5: error: provisions[0].sumary: unknown key 'sumary' (did you mean 'summary'?)"),
    (("    title: Duty to record\n", "    title: Duty to record\n    title: Duty to report\n"),
     "catalog/extra.yaml:10:5: error: provisions[0].title: duplicate key 'title' (first written on line 9)"),
    (("requires: [sender, victims]", "requires: [sender, victim, signiture]"),
     "catalog/extra.yaml:21:32: error: bodies[0].requires[2]: 'signiture' is not one of: sender, victims, "
     "victim_identity, date, place, circumstances, perpetrators, domestic_remedies, respondent, legal_arguments, "
     "evidence, consent, signature (did you mean 'signature'?)"),
    (("    judges_states: false", "    judges_states: \"no\""),
     "catalog/extra.yaml:17:20: error: bodies[0].judges_states: 'no' is not true or false"),
])
def test_a_broken_catalog_file_is_named_in_the_error(project, change, message):
    extra = project / "catalog" / "extra.yaml"
    extra.write_text(CATALOG.replace(*change))
    result = run("validate", str(project / "cases" / "t1" / "case.yaml"))
    assert result.exit_code == 1
    assert message in result.stderr, result.output
    assert "Traceback" not in result.output


def test_an_edited_catalog_file_is_read_again(project):
    """One process (a build, the preview server) sees a catalog file changed after its first read."""
    from casefile import api

    case = project / "cases" / "t1" / "case.yaml"
    assert api.validate(case).ok
    extra = project / "catalog" / "extra.yaml"
    extra.write_text(CATALOG.replace("Duty to record", "Duty to record every capture"))
    assert "Duty to record every capture" in api.describe_catalog("unit:1", where=project)


def test_a_project_body_declares_its_edition(project):
    """A body of the project's catalog that carries only the persons and the evidence gets a
    dossier without allegations, provisions or the alleged perpetrators."""
    from pypdf import PdfReader

    extra = project / "catalog" / "extra.yaml"
    extra.write_text(CATALOG.replace("    requires: [sender, victims]\n",
                                     "    requires: [sender, victims]\n    carries: [victims, evidence]\n"))
    case = project / "cases" / "t1" / "case.yaml"
    result = run("packet", str(case), "--to", "unit-ombudsman", "--allow-unverified")
    assert result.exit_code == 0, result.output
    dossier = project / "built" / "packets" / "T-1-unit-ombudsman" / "02-dossier.pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(dossier).pages)
    assert "Victims" in text and "Evidence" in text
    for absent in ("Allegations", "Killing of", "Duty to record", "Annex: provisions cited", "Alleged perpetrators"):
        assert absent not in text, absent


def test_a_catalog_file_is_validated_as_one_alone_or_in_its_folder(project):
    extra = project / "catalog" / "extra.yaml"
    alone = run("validate", str(extra))
    assert (alone.exit_code, alone.stderr) == (0, "1 case file(s) checked: 1 valid, 0 error(s), 0 warning(s)\n")
    folder = run("validate", str(project))  # the case and the catalog file, each as what it is
    assert folder.exit_code == 0, folder.output
    extra.write_text(CATALOG.replace("    summary: Every", "    sumary: Every"))
    broken = run("validate", str(extra))
    assert broken.exit_code == 1
    assert broken.stdout.startswith(f"{extra}:10:5: error: provisions[0].sumary: unknown key 'sumary'")


def test_a_catalog_file_beside_the_cases_is_not_built_as_a_case(project):
    (project / "cases" / "t1" / "case.yaml").rename(project / "t1.yaml")  # no cases/ folder: the root holds them
    (project / "cases" / "t1").rmdir()
    (project / "cases").rmdir()
    (project / "casefile.yaml").write_text("casefile-project: 1\noutput: built\ncatalog: [catalog/extra.yaml]\n"
                                           "build: {formats: [html], editions: [internal], packets: none}\n")
    built = run("build", str(project))
    assert built.exit_code == 0, built.output
    assert sorted(p.name for p in (project / "built").rglob("*.html")) == ["T-1.html"]
    assert "failed 0" in built.output


def test_the_values_of_a_catalog_file_are_read_by_the_format_not_as_text(project):
    """`n: 1` is the number 1 (element unit:1/1), `grave_breach: true` a boolean, `article: 1`
    the text "1": what the model made of them, not what the YAML reader did."""
    from casefile import api

    extra = project / "catalog" / "extra.yaml"
    extra.write_text(CATALOG.replace('    article: "1"\n', "    article: 1\n    grave_breach: true\n"
                                     "    elements: [{n: 1, text: The capture was not recorded.}]\n"))
    case = project / "cases" / "t1" / "case.yaml"
    case.write_text(CASE.replace("    evidence: [E1]\n", "    evidence: [E1]\n    elements: {unit:1/1: [E1]}\n"))
    assert api.validate(case).ok, [p.format() for p in api.validate(case).problems]
    provision = api.project_of(case).catalog().provisions["unit:1"]
    assert (provision.article, provision.grave_breach, provision.elements[0].id) == ("1", True, "unit:1/1")


def test_the_shipped_catalog_is_in_the_format_of_a_catalog_file():
    from casefile.case.catalog import shipped_data
    from casefile.case.catalog.format import REQUIREMENTS, CatalogFile
    from casefile.filing.requirements import CHECKS

    provisions, bodies = shipped_data()
    CatalogFile.model_validate({**provisions, **bodies})
    assert set(REQUIREMENTS) == set(CHECKS)  # every requirement a body may list is checked


def test_the_preview_shows_a_broken_catalog_files_problems_where_they_are(project):
    from casefile import api
    from casefile.repository.preview import _render

    extra = project / "catalog" / "extra.yaml"
    extra.write_text(CATALOG.replace("    summary: Every", "    sumary: Every"))
    problems, pages, _ = _render(project / "cases" / "t1" / "case.yaml", ("internal",), api.validate,
                                 lambda *args, **kwargs: b"")
    assert [p.format() for p in problems] == [
        f"{extra.resolve()}:10:5: error: provisions[0].sumary: unknown key 'sumary' (did you mean 'summary'?)"]
    assert pages == {}
