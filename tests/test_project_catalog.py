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
     "catalog/extra.yaml: provision unit:1: applies_to is required"),
    (("  - id: unit:1\n", "  - id: gc3:130\n"), "catalog/extra.yaml: duplicate provision id gc3:130"),
    (("instruments:", "instrumens:"), "catalog/extra.yaml: a catalog file holds 'instruments', 'provisions'"),
    (("    requires: [sender, victims]\n", "    requires: [sender, victims]\n    carries: [victims, perps]\n"),
     "catalog/extra.yaml: body unit-ombudsman: carries: unknown part 'perps' (parts: victims, witnesses, "
     "perpetrators, allegations, evidence, sources, actions)"),
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
