"""The command line: exact output and exit codes (0 ok, 1 invalid, 2 usage)."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from casefile.cli import cli

from .conftest import CASES, DONETSK, WITNESS


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_validate_examples_ok():
    result = run("validate", str(DONETSK), str(WITNESS))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "2 case file(s) checked: 2 valid, 0 error(s), 0 warning(s)\n"


def test_validate_folder_finds_every_case():
    result = run("validate", str(CASES))
    assert result.exit_code == 0
    assert result.stderr.startswith(f"{len(list(CASES.rglob('*.yaml')))} case file(s) checked")


def test_validate_reports_every_problem_with_location(write_case, donetsk_text):
    path = write_case(donetsk_text.replace("summary:", "sumary:").replace("harm: killed", "harm: shot"))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:2:1: error: summary: missing required key 'summary'",
        f"{path}:13:1: error: sumary: unknown key 'sumary' (did you mean 'summary'?)",
        f"{path}:42:13: error: incident.victims[0].harm: 'shot' is not one of: killed, injured, tortured, "
        "disappeared, detained, other",
    ]
    assert result.stderr == "1 case file(s) checked: 0 valid, 3 error(s), 0 warning(s)\n"


def test_validate_json(write_case, donetsk_text):
    path = write_case(donetsk_text.replace("[E1, S1]", "[E7, S1]"))
    result = run("validate", "--format", "json", str(path))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    [problem] = report["files"][0]["problems"]
    assert problem["path"] == "allegations[0].evidence[0]"
    assert problem["message"] == "unknown evidence or source id 'E7'"
    assert (problem["line"], problem["column"]) == (57, 16)


def test_validate_strict_fails_on_warnings(write_case, donetsk_text):
    path = write_case(donetsk_text.replace("armed_conflict: international", "armed_conflict: non-international"))
    assert run("validate", str(path)).exit_code == 0
    assert run("validate", "--strict", str(path)).exit_code == 1


def test_missing_file_is_usage_error():
    result = run("validate", "does-not-exist.yaml")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_unknown_option_is_usage_error():
    assert run("render", str(DONETSK), "--colour", "red").exit_code == 2
    assert run("render", str(DONETSK), "--format", "docx").exit_code == 2


def test_new_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "mine.yaml"
    result = run("new", str(target))
    assert result.exit_code == 0 and result.stdout == f"{target}\n"
    text = target.read_text()
    assert text.count("#") > 20  # commented
    assert run("validate", str(target)).exit_code == 0
    again = run("new", str(target))
    assert again.exit_code == 2
    assert again.stderr == f"error: {target} already exists\nhint: choose another path or pass --force\n"


def test_schema_is_json_schema():
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) >= {"casefile", "id", "title", "prepared", "summary", "incident",
                                       "allegations", "evidence"}
    assert schema["additionalProperties"] is False


def test_catalog_lists_and_shows():
    listing = run("catalog")
    assert listing.exit_code == 0
    assert "  gc3:130" in listing.stdout and "  icc-otp" in listing.stdout
    provision = run("catalog", "provisions", "rome:8.2.a.i")
    assert provision.exit_code == 0
    assert provision.stdout.startswith("rome:8.2.a.i: Rome Statute art. 8(2)(a)(i) — Wilful killing\n")
    assert "rome:8.2.a.i/5" in provision.stdout
    body = run("catalog", "bodies", "un-sr-executions")
    assert body.exit_code == 0 and "languages: en, fr, es" in body.stdout
    unknown = run("catalog", "gc3:131")  # another article, not a typo of gc3:13 or gc3:130
    assert unknown.exit_code == 1
    assert unknown.stderr == ("error: 'gc3:131' is not in the catalog\n"
                              "hint: list them with `casefile catalog provisions` or `casefile catalog bodies`\n")
    swapped = run("catalog", "gc3:310")
    assert swapped.stderr == "error: 'gc3:310' is not in the catalog\nhint: did you mean 'gc3:130' (Grave breaches)?\n"


def test_help_of_every_command_has_an_example():
    for command in ("validate", "render", "new", "schema", "catalog"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.stdout, command


def test_unexpected_error_is_one_line_with_debug_hint(monkeypatch, write_case, donetsk_text):
    import casefile.api

    def boom(*args, **kwargs):
        raise RuntimeError("something broke\nbadly")

    monkeypatch.setattr(casefile.api, "validate", boom)
    result = run("validate", str(DONETSK))
    assert result.exit_code == 1
    assert result.stderr == ("error: internal error: RuntimeError: something broke badly\n"
                             "hint: rerun with --debug to see the traceback, and report it\n")
    debug = run("--debug", "validate", str(DONETSK))
    assert debug.exit_code == 1 and "Traceback" in debug.stderr


def test_module_entry_point_and_no_weasyprint_import_for_validate():
    code = (f"import sys; from casefile.cli import main; sys.argv=['casefile','validate',{str(DONETSK)!r}];\n"
            "try: main()\nexcept SystemExit as e: assert e.code in (0, None), e.code\n"
            "assert 'weasyprint' not in sys.modules, 'validate imported weasyprint'")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_whole_yaml_test_suite_through_the_cli():
    """Every input of the YAML test suite: exit 1, every line located, no traceback."""
    from .conftest import CORPUS, require_corpus

    require_corpus()
    result = run("validate", str(CORPUS))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    files = {line.split(":", 1)[0] for line in lines}
    assert len(files) == len(list(CORPUS.rglob("*.yaml")))
    for line in lines:
        assert __import__("re").match(r"^[^:]+\.yaml:\d+:\d+: (error|warning): ", line), line
    assert "Traceback" not in result.stdout + result.stderr


def test_max_file_size_is_configurable():
    small = run("validate", "--max-file-size", "0.001", str(DONETSK))
    assert small.exit_code == 1
    size = DONETSK.stat().st_size
    assert small.stdout == (f"{DONETSK}:1:1: error: file is {size:,} bytes, more than the limit of 1,048 "
                            "(raise the limit with --max-file-size (megabytes) if this is really one case)\n")
    assert run("validate", "--max-file-size", "1", str(DONETSK)).exit_code == 0


def test_render_prints_warnings_and_succeeds(write_case, donetsk_text, tmp_path):
    path = write_case(donetsk_text.replace("armed_conflict: international", "armed_conflict: non-international"))
    result = run("render", str(path), "--format", "html", "--output", str(tmp_path / "d.html"))
    assert result.exit_code == 0
    assert result.stdout == f"{tmp_path / 'd.html'}\n"
    warnings = result.stderr.splitlines()
    assert len(warnings) == 4 and all(": warning: allegations[0].provisions[" in w for w in warnings)
