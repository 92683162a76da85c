"""A project's templates folder: a file that would change nothing (a misspelt name) is an
error at the file, never a silently unused customisation (dossier/html.stray_templates)."""

from __future__ import annotations

from click.testing import CliRunner

from casefile.cli import cli

from .conftest import DONETSK


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_misspelt_override_stops_the_render_at_the_file(tmp_path):
    templates = tmp_path / "templates"
    (templates / "css").mkdir(parents=True)
    (templates / "css" / "dosier.css").write_text("h1 { color: red }")
    result = run("render", str(DONETSK), "--format", "html", "--templates", str(templates),
                 "--output", str(tmp_path / "d.html"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{templates / 'css' / 'dosier.css'}:1:1: error: this file of the templates folder {templates} replaces no "
        "built-in template, is no body's letter, and no other file there uses it: it would change nothing "
        "(did you mean css/dossier.css?)\n")
    assert not (tmp_path / "d.html").exists()


def test_overrides_letters_included_files_and_notes_are_not_strays(tmp_path):
    templates = tmp_path / "templates"
    (templates / "css").mkdir(parents=True)
    (templates / "letters").mkdir()
    (templates / "css" / "print.css").write_text('@import "house.css";\n/* project print css */')
    (templates / "css" / "house.css").write_text("/* house style */")  # used by print.css
    (templates / "letters" / "icrc.html.j2").write_text('{% extends "letters/base.html.j2" %}')
    (templates / "README.md").write_text("what we changed")  # not a template
    (templates / ".DS_Store").write_bytes(b"\0")
    result = run("render", str(DONETSK), "--format", "html", "--templates", str(templates),
                 "--output", str(tmp_path / "d.html"))
    assert result.exit_code == 0, result.output
    assert "/* project print css */" in (tmp_path / "d.html").read_text()


def test_a_letter_for_no_body_is_named_with_the_body_it_may_mean(tmp_path):
    (tmp_path / "casefile.yaml").write_text("casefile-project: 1\ntemplates: templates\n")
    (tmp_path / "templates" / "letters").mkdir(parents=True)
    (tmp_path / "templates" / "letters" / "icc.html.j2").write_text("x")
    (tmp_path / "templates" / "letters" / "un-hrc.html.j2").write_text("x")
    result = run("validate", str(tmp_path / "casefile.yaml"))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'templates' / 'letters' / 'icc.html.j2'}:1:1: error: ")
    assert lines[0].endswith("(did you mean letters/icc-otp.html.j2?)")  # the Court's prosecutor, not the ICRC
    assert lines[1].endswith("(name it as the built-in file it replaces (the folder templates/ of casefile), or use "
                             "it from one)")
