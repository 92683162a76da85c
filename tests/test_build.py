"""A case repository: init, incremental parallel builds, shards, provenance."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from casefile import api
from casefile.cli import cli
from casefile.repository.build import in_shard

from .conftest import DONETSK, copy_witness

FAST = "build:\n  editions: [internal]\n  formats: [html]\n  packets: none\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def git(folder, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=t@example.org", *args], cwd=folder,
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    folder = tmp_path / "repo"
    assert run("init", str(folder), "--name", "Test Unit").exit_code == 0
    shutil.copy(DONETSK, folder / "cases")
    copy_witness(folder / "cases" / "protected-witness")
    config = folder / "casefile.yaml"
    config.write_text(config.read_text().split("build:")[0] + FAST)
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "First cases")
    return folder


def test_init_creates_a_valid_project(tmp_path):
    folder = tmp_path / "new"
    result = run("init", str(folder))
    assert result.exit_code == 0
    assert (folder / ".git").is_dir()
    assert "/out/" in (folder / ".gitignore").read_text()
    assert run("validate", str(folder / "cases")).exit_code == 0
    again = run("init", str(folder))
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_incremental_build(repo):
    project, first = api.build(repo, workers=2)
    assert sorted(o.relative for o in first.built) == [
        "cases/XX-REG-2025-001.yaml", "cases/donetsk-pow-executions.yaml", "cases/protected-witness/case.yaml"]
    assert (project.output / "UA-DON-2025-001" / "UA-DON-2025-001.html").is_file()
    _, second = api.build(repo, workers=2)
    assert second.built == [] and len(second.skipped) == 3
    case = repo / "cases" / "donetsk-pow-executions.yaml"
    case.write_text(case.read_text().replace("status: review", "status: final"))
    _, third = api.build(repo, workers=2)
    assert [o.relative for o in third.built] == ["cases/donetsk-pow-executions.yaml"]
    (project.output / "UA-DON-2025-001" / "UA-DON-2025-001.html").unlink()  # a deleted output is rebuilt
    _, fourth = api.build(repo, workers=1)
    assert [o.relative for o in fourth.built] == ["cases/donetsk-pow-executions.yaml"]


def test_build_output_goes_where_asked(repo, tmp_path):
    target = tmp_path / "elsewhere"
    result = run("build", str(repo), "--output", str(target), "-j", "1")
    assert result.exit_code == 0, result.output
    assert f"-> {target}" in result.output
    assert (target / "UA-DON-2025-001" / "UA-DON-2025-001.html").is_file()
    assert not (repo / "out").exists()  # the repository's own output folder is untouched
    again = run("build", str(repo), "--output", str(target), "-j", "1")  # incremental there too
    assert "built 0, unchanged 3" in again.output


def test_dossier_states_its_commit_and_uncommitted_changes(repo):
    project, _ = api.build(repo, workers=1)
    html = (project.output / "UA-DON-2025-001" / "UA-DON-2025-001.html").read_text()
    sha = git(repo, "rev-parse", "HEAD").strip()
    assert f"commit {sha[:12]}" in html and "uncommitted" not in html
    assert "First cases" in html  # the revision history annex
    case = repo / "cases" / "donetsk-pow-executions.yaml"
    case.write_text(case.read_text() + "# a local edit\n")
    api.build(repo, workers=1)
    html = (project.output / "UA-DON-2025-001" / "UA-DON-2025-001.html").read_text()
    assert f"commit {sha[:12]} + uncommitted changes" in html


def test_shards_build_each_case_exactly_once(repo):
    _, one = api.build(repo, shard="1/2", workers=1)
    _, two = api.build(repo, shard="2/2", workers=1)
    built = sorted(o.relative for o in one.built + two.built)
    assert built == ["cases/XX-REG-2025-001.yaml", "cases/donetsk-pow-executions.yaml",
                     "cases/protected-witness/case.yaml"]
    names = [f"cases/c{i}.yaml" for i in range(200)]
    for n in (2, 3, 7):
        counts = [sum(in_shard(name, (k, n)) for k in range(1, n + 1)) for name in names]
        assert counts == [1] * 200


def test_a_failing_case_does_not_stop_the_others(repo):
    bad = repo / "cases" / "broken.yaml"
    bad.write_text("casefile: 1\nid: BROKEN\n")
    result = run("build", str(repo), "--jobs", "1")
    assert result.exit_code == 1
    assert "built 3, unchanged 0, failed 1" in result.stdout
    assert "FAILED cases/broken.yaml:" in result.stderr and "missing required key 'title'" in result.stderr


def test_bad_shard_and_bad_config_are_reported(repo):
    assert run("build", str(repo), "--shard", "3/2").exit_code == 2
    config = repo / "casefile.yaml"
    config.write_text(config.read_text().replace("language: en", "langauge: en"))
    result = run("build", str(repo))
    assert result.exit_code == 1
    assert "casefile.yaml:9:1: error: langauge: unknown key 'langauge' (did you mean 'language'?)" in result.stderr


def test_pdf_build_with_packets(repo):
    config = repo / "casefile.yaml"
    config.write_text(config.read_text().split("build:")[0] + "build:\n  editions: [internal]\n  formats: [pdf]\n"
                      "  packets: planned\n")
    (repo / "cases" / "protected-witness").rename(repo / "protected-witness-elsewhere")
    (repo / "cases" / "XX-REG-2025-001.yaml").unlink()
    project, report = api.build(repo, workers=1)
    assert report.ok, [o.message for o in report.failed]
    out = project.output / "UA-DON-2025-001"
    assert (out / "UA-DON-2025-001.pdf").is_file()
    assert sorted(p.name for p in (out / "packets").iterdir()) == [
        "UA-DON-2025-001-icrc", "UA-DON-2025-001-icrc.checklist.txt", "UA-DON-2025-001-icrc.zip",
        "UA-DON-2025-001-un-sr-executions", "UA-DON-2025-001-un-sr-executions.checklist.txt",
        "UA-DON-2025-001-un-sr-executions.zip"]
    footer = PdfReader(out / "UA-DON-2025-001.pdf").pages[-1].extract_text()
    assert "commit " in footer


def test_validate_checks_casefile_yaml_as_project_settings(tmp_path):
    api.init(tmp_path / "repo")
    config = tmp_path / "repo" / "casefile.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", str(config)])
    assert result.exit_code == 0, result.output
    config.write_text(config.read_text().replace("\nlanguage: en", "\nlangage: en", 1))
    result = runner.invoke(cli, ["validate", str(config)])
    assert result.exit_code == 1
    assert f"{config}:9:1: error: langage: unknown key 'langage' (did you mean 'language'?)" in result.output
