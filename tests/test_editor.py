"""Editor support and CI: the JSON Schema, the modeline `casefile new` writes, `validate
--format github|json`, the pre-commit hook and shell completion."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from casefile import api
from casefile.case.schema import MODELINE, schema_text
from casefile.case.values import LANGUAGE_KEY_PATTERN
from casefile.cli import cli

from .conftest import CASES, DONETSK, ROOT, SHARED

SPEC_EXAMPLES = SHARED / "spec" / "examples"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def casefile_command() -> list[str]:
    """The installed `casefile` script (what pre-commit and shells run), else the module."""
    found = shutil.which("casefile")
    return [found] if found else [sys.executable, "-m", "casefile"]


@pytest.fixture(scope="module")
def schema() -> dict:
    return api.json_schema()


# ------------------------------------------------------------------------------------------
# How a YAML 1.2 language server sees a file
# ------------------------------------------------------------------------------------------
class Yaml12Loader(yaml.SafeLoader):
    """pyyaml with the YAML 1.2 core schema instead of YAML 1.1's implicit types.

    The YAML language server parses with eemeli/yaml, YAML 1.2 core schema: plain scalars are
    null (`~`, `null`, empty), booleans (`true`/`false` in three casings), integers (decimal,
    0o, 0x) and floats (incl. `.inf`, `.nan`), everything else is a string: `2025-01-30` and
    `19:30` are strings, `yes`/`no`/`on` are strings, `0777` is the number 777, `2025` is a
    number. This loader resolves scalars exactly so; the approximation is pyyaml's parser
    (YAML 1.1 syntax), which reads the files here the same way, and merge keys (`<<`), which
    are not resolved specially (casefile does not use them either).
    """


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
              r"|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
):
    Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first)


def _int12(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


def _float12(loader, node):
    text = loader.construct_scalar(node).lower()
    return float(text.replace(".inf", "inf").replace(".nan", "nan"))


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int12)
Yaml12Loader.add_constructor("tag:yaml.org,2002:float", _float12)
Yaml12Loader.add_constructor("tag:yaml.org,2002:bool",
                             lambda loader, node: loader.construct_scalar(node).lower() == "true")


def load12(text: str):
    return yaml.load(text, Loader=Yaml12Loader)


def test_yaml12_loader_types_scalars_like_yaml_1_2():
    data = load12("a: 2025-01-30\nb: 19:30\nc: yes\nd: 0777\ne: 2025\nf: 1e3\ng: True\nh: ~\ni: 0x1F\nj: E1e3\n")
    assert data == {"a": "2025-01-30", "b": "19:30", "c": "yes", "d": 777, "e": 2025, "f": 1000.0,
                     "g": True, "h": None, "i": 31, "j": "E1e3"}


# ------------------------------------------------------------------------------------------
# The schema itself
# ------------------------------------------------------------------------------------------
# Keywords understood the same way by JSON Schema 2020-12 and draft-07: the YAML language
# server validates with draft-07 semantics, so the schema uses nothing else.
PORTABLE_KEYWORDS = {
    "$schema", "$id", "$ref", "$defs", "title", "description", "examples", "default", "type", "enum",
    "const", "properties", "patternProperties", "additionalProperties", "propertyNames", "required",
    "items", "anyOf", "oneOf", "allOf", "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems",
    "maxItems", "format", "uniqueItems",
}


def _schemas(node):
    """Every subschema in a schema (not descending into examples or defaults)."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key in ("examples", "default", "enum", "const"):
                continue
            if key in ("properties", "patternProperties", "$defs"):
                for child in value.values():
                    yield from _schemas(child)
            else:
                yield from _schemas(value)
    elif isinstance(node, list):
        for child in node:
            yield from _schemas(child)


def test_schema_is_valid_2020_12_and_readable_as_draft_07(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("https://") and schema["title"] and schema["description"]
    used = {key for sub in _schemas(schema) for key in sub}
    assert used <= PORTABLE_KEYWORDS, used - PORTABLE_KEYWORDS
    assert all(ref.startswith("#/$defs/") for sub in _schemas(schema) if (ref := sub.get("$ref")))


# Maps whose entries are not fixed properties: each is covered by the description and examples
# of the map itself, not per entry. Allegation.elements (element id -> evidence ids) is the one.
FREE_FORM_MAPS = {("Allegation", "elements")}


def undocumented(schema: dict) -> list[str]:
    """Every model without a description and every property, at every level (models in $defs,
    properties nested in anyOf/oneOf/items, such as the {from, to} of a date range), without
    a description or without examples; and any free-form map not in FREE_FORM_MAPS."""
    missing = []
    models = {"Case": {k: v for k, v in schema.items() if k != "$defs"}, **schema.get("$defs", {})}
    for model_name, model in models.items():
        if not model.get("description"):
            missing.append(f"{model_name}: no description")
        for sub in _schemas(model):
            for name, prop in sub.get("properties", {}).items():
                where = f"{model_name}.{name}" if sub is model else f"{model_name}…{name}"
                if not prop.get("description"):
                    missing.append(f"{where}: no description")
                if not prop.get("examples"):
                    missing.append(f"{where}: no examples")
                # text in several languages is a map keyed by language codes: typed, not free-form
                is_map = any((s.get("patternProperties") and set(s["patternProperties"]) != {LANGUAGE_KEY_PATTERN})
                             or isinstance(s.get("additionalProperties"), dict) for s in _schemas(prop))
                if is_map and (model_name, name) not in FREE_FORM_MAPS:
                    missing.append(f"{where}: a map of free-form entries not in FREE_FORM_MAPS")
    return missing


def test_every_property_at_every_level_has_description_and_examples(schema):
    assert undocumented(schema) == []
    # the walk reached every model, and the nested date-range properties
    assert set(schema["$defs"]) >= {"Incident", "Victim", "Evidence", "CustodyEntry", "Filing", "Coordinates"}
    date_range = schema["$defs"]["Incident"]["properties"]["date"]["oneOf"][1]
    assert set(date_range["properties"]) == {"from", "to"}


def test_the_documentation_check_can_fail(schema):
    broken = json.loads(json.dumps(schema))
    del broken["$defs"]["Victim"]["properties"]["harm"]["examples"]
    del broken["$defs"]["Incident"]["properties"]["date"]["oneOf"][1]["properties"]["to"]["description"]
    broken["$defs"]["Source"].pop("description")
    broken["$defs"]["Filing"]["properties"]["extra"] = {"description": "d", "examples": [{}], "type": "object",
                                                        "additionalProperties": {"type": "string"}}
    assert sorted(undocumented(broken)) == ["Filing.extra: a map of free-form entries not in FREE_FORM_MAPS",
                                            "Incident…to: no description", "Source: no description",
                                            "Victim.harm: no examples"]


def test_every_example_in_the_schema_is_valid_for_its_property(schema):
    defs = schema["$defs"]
    checked = 0
    for model in [schema, *defs.values()]:
        for sub in _schemas({k: v for k, v in model.items() if k != "$defs"}):
            for name, prop in sub.get("properties", {}).items():
                validator = jsonschema.Draft202012Validator({"$defs": defs, **prop})
                for example in prop.get("examples", []):
                    errors = [e.message for e in validator.iter_errors(example)]
                    assert not errors, (name, example, errors)
                    checked += 1
    assert checked > 100


def _example_files() -> list[Path]:
    files = sorted(CASES.glob("*.yaml")) + sorted(CASES.glob("*/case.yaml"))
    if SPEC_EXAMPLES.is_dir():
        files += sorted(SPEC_EXAMPLES.glob("*.yaml")) + sorted(SPEC_EXAMPLES.glob("*/case.yaml"))
    elif os.environ.get("CI"):
        pytest.fail(f"{SPEC_EXAMPLES} is missing: CI must run with shared/ beside the checkout")
    return files


def test_example_cases_and_the_starter_validate_against_the_schema(schema, tmp_path):
    files = _example_files()
    assert len(files) >= 2
    target = tmp_path / "new.yaml"
    assert run("new", str(target)).exit_code == 0
    texts = {str(f): f.read_text(encoding="utf-8") for f in files}
    texts["casefile new"] = target.read_text(encoding="utf-8")
    texts["starter template"] = (ROOT / "templates" / "starter-case.yaml").read_text(encoding="utf-8")
    for validator_class in (jsonschema.Draft202012Validator, jsonschema.Draft7Validator):
        validator = validator_class(schema)
        for name, text in texts.items():
            errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(load12(text))]
            assert errors == [], name


# A valid case written the way people write YAML: an editor's YAML 1.2 parser sees numbers,
# booleans and strings where casefile (which reads plain scalars as text) sees text and dates.
QUIRKY = """\
casefile: "1"
id: 2025
title: 1945
classification: restricted
prepared: {by: Example Unit, contact: +380441234567, date: 2025}
summary: true
incident:
  date: {from: 2024, to: 2025-01}
  time: 19:30
  location:
    place: 7
    country: NO
    coordinates: {lat: "48.5", lon: 37, precision_m: 50}
  armed_conflict: international
  description: 12.5
  victims: [{id: V1, count: "6", harm: killed}]
allegations:
  - {id: A1, title: Killing, provisions: [gc3:130], victims: [V1]}
evidence:
  - id: E1
    kind: document
    title: Report
    custody: [{at: 2025-01-30 18:05:00Z, by: Unit, action: collected}]
actions: [{date: 2025-02-01, by: Prosecutor, action: Opened proceedings, reference: 12025000000000123}]
filings: [{body: ecthr, respondent: NO, reference: 123}]
"""


def test_schema_accepts_what_an_editor_sees_in_a_valid_case(schema, write_case):
    path = write_case(QUIRKY)
    result = api.validate(path)
    assert result.ok, [p.format() for p in result.problems]
    data = load12(QUIRKY)
    assert data["id"] == 2025 and data["incident"]["location"]["country"] == "NO"  # what the editor sees
    for validator_class in (jsonschema.Draft202012Validator, jsonschema.Draft7Validator):
        assert [e.message for e in validator_class(schema).iter_errors(data)] == []


def test_schema_rejects_an_unknown_key_a_wrong_type_and_a_bad_value(schema, donetsk_text):
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(load12(donetsk_text)))
    typo = load12(donetsk_text.replace("\n  victims:\n", "\n  victim:\n", 1))
    assert any("'victim' was unexpected" in e.message for e in validator.iter_errors(typo))
    top = load12(donetsk_text + "sumary: x\n")
    assert [e.message for e in validator.iter_errors(top)] == [
        "Additional properties are not allowed ('sumary' was unexpected)"]
    bad = load12(donetsk_text.replace("armed_conflict: international", "armed_conflict: yes", 1))
    assert any(list(e.absolute_path) == ["incident", "armed_conflict"] for e in validator.iter_errors(bad))


# ------------------------------------------------------------------------------------------
# Where a case points to its schema
# ------------------------------------------------------------------------------------------
def _modeline_target(case: Path) -> Path:
    first = case.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(MODELINE), first
    return case.parent / first[len(MODELINE):]


def test_new_outside_a_project_writes_a_sibling_schema(tmp_path):
    case = tmp_path / "cases" / "mine.yaml"
    result = run("new", str(case))
    assert result.exit_code == 0
    assert result.stdout == f"{case}\n"
    schema_file = tmp_path / "cases" / "case.schema.json"
    assert result.stderr == f"wrote the schema for editors: {schema_file}\n"
    assert case.read_text().startswith("# yaml-language-server: $schema=case.schema.json\n# A casefile case")
    assert _modeline_target(case) == schema_file
    assert schema_file.read_text() == schema_text()
    # a second case reuses it, and says nothing about it
    again = run("new", str(tmp_path / "cases" / "two.yaml"))
    assert again.exit_code == 0 and again.stderr == ""
    assert run("validate", str(tmp_path / "cases")).exit_code == 0


def test_init_puts_the_schema_in_the_repository_and_new_points_to_it(tmp_path):
    folder = tmp_path / "repo"
    result = run("init", str(folder))
    assert result.exit_code == 0
    assert f"{folder / 'schema' / 'case.schema.json'}\n" in result.stdout
    first = folder / "cases" / "XX-REG-2025-001.yaml"
    assert first.read_text().startswith("# yaml-language-server: $schema=../schema/case.schema.json\n")
    assert json.loads(_modeline_target(first).read_text()) == api.json_schema()
    deeper = folder / "cases" / "2025" / "UA-KHA-2025-002.yaml"
    assert run("new", str(deeper)).stderr == ""
    assert deeper.read_text().startswith("# yaml-language-server: $schema=../../schema/case.schema.json\n")
    assert _modeline_target(deeper).resolve() == (folder / "schema" / "case.schema.json").resolve()
    assert run("validate", str(folder / "cases")).exit_code == 0


def test_new_with_a_schema_url_writes_no_schema_file(tmp_path):
    case = tmp_path / "mine.yaml"
    result = run("new", str(case), "--schema-url", "https://example.org/case-1.json")
    assert result.exit_code == 0 and result.stderr == ""
    assert case.read_text().splitlines()[0] == "# yaml-language-server: $schema=https://example.org/case-1.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]
    bad = run("new", str(tmp_path / "b.yaml"), "--schema-url", "x\n# injected: 1")
    assert bad.exit_code == 2 and not (tmp_path / "b.yaml").exists()


def test_schema_output_writes_what_schema_prints(tmp_path):
    target = tmp_path / "schema" / "case.schema.json"
    result = run("schema", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == f"{target}\n"
    assert target.read_text() == run("schema").stdout == schema_text()


# ------------------------------------------------------------------------------------------
# validate --format github | json
# ------------------------------------------------------------------------------------------
HOSTILE = """\
casefile: 1
id: X-1
title: T
prepared: {by: U, date: 2025-01-01}
summary: S
incident: {date: 2025, description: D}
allegations: [{id: A1, title: T}]
evidence: []
"bad,key:%\\nforged\\r": 1
"""

WARNS = """\
casefile: 1
id: X-2
title: T
prepared: {by: U, date: 2025-01-01}
summary: S
incident:
  date: 2025
  armed_conflict: international
  description: D
  victims: [{id: V1}]
allegations: [{id: A1, title: T, provisions: [gc3:130], victims: [V1]}]
evidence:
  - id: E1
    kind: photo
    title: P
    file: "evidence/a,b%.jpg"
    custody: [{at: 2025-01-30T18:05:00+02:00, by: U, action: collected}]
"""


def test_validate_format_github_exact_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("we%ird,name:1.yaml").write_text(HOSTILE, encoding="utf-8")
    Path("warns.yaml").write_text(WARNS, encoding="utf-8")
    result = run("validate", "--format", "github", "we%ird,name:1.yaml", "warns.yaml")
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=we%25ird%2Cname%3A1.yaml,line=9,col=1,title=casefile::bad,key:%25%0Aforged%0D: "
        "unknown key 'bad,key:%25%0Aforged%0D' (allowed here: casefile, id, title, language, classification, "
        "status, prepared, summary, incident, allegations, evidence, sources, actions, filings)\n"
        "::warning file=warns.yaml,line=16,col=11,title=casefile::evidence[0].file: "
        "file 'evidence/a,b%25.jpg' not found\n")
    assert result.stderr == "2 case file(s) checked: 1 valid, 1 error(s), 1 warning(s)\n"
    # the hostile CR/LF did not start a line of its own (a forged workflow command)
    assert all(line.startswith(("::error ", "::warning ")) for line in result.stdout.split("\n")[:-1])


def test_validate_format_json_shape(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("case.yaml").write_text(HOSTILE, encoding="utf-8")
    Path("warns.yaml").write_text(WARNS, encoding="utf-8")
    result = run("validate", "--format", "json", "case.yaml", "warns.yaml", str(DONETSK))
    assert result.exit_code == 1 and result.stderr == ""
    report = json.loads(result.stdout)
    assert list(report) == ["files", "valid", "summary"]
    assert report["valid"] is False
    assert report["summary"] == {"checked": 3, "valid": 2, "errors": 1, "warnings": 1, "skipped": []}
    first, second, third = report["files"]
    assert first == {"path": "case.yaml", "valid": False, "problems": [{
        "file": "case.yaml", "line": 9, "column": 1, "severity": "error", "path": "bad,key:%\nforged\r",
        "message": "unknown key 'bad,key:%\nforged\r'",
        "hint": "allowed here: casefile, id, title, language, classification, status, prepared, summary, "
                "incident, allegations, evidence, sources, actions, filings"}]}
    assert second["valid"] is True and [p["severity"] for p in second["problems"]] == ["warning"]
    assert third == {"path": str(DONETSK), "valid": True, "problems": []}
    strict = json.loads(run("validate", "--format", "json", "--strict", "warns.yaml").stdout)
    assert strict["valid"] is False and strict["summary"]["valid"] == 0


# ------------------------------------------------------------------------------------------
# pre-commit
# ------------------------------------------------------------------------------------------
def _hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "casefile-validate"]
    return hook


def _run_hook(project: Path) -> subprocess.CompletedProcess:
    """Run the hook as pre-commit does: its entry, plus every file its `files` regex matches and
    its `exclude` regex does not (paths relative to the repository, searched with re.search)."""
    hook = _hook()
    selected = sorted(
        rel for path in project.rglob("*") if path.is_file() and ".git" not in path.relative_to(project).parts
        for rel in [path.relative_to(project).as_posix()]
        if re.search(hook["files"], rel) and not re.search(hook["exclude"], rel))
    entry = shlex.split(hook["entry"])
    assert entry[0] == "casefile"
    command = casefile_command() + entry[1:] + hook.get("args", []) + selected
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)


def test_pre_commit_hook_definition():
    hook = _hook()
    assert hook["language"] == "python" and hook["name"]
    assert hook["entry"].startswith("casefile validate")
    assert re.search(hook["files"], "cases/a.yaml") and re.search(hook["files"], "b.yml")
    assert not re.search(hook["files"], "notes.md")
    for excluded in ("casefile.yaml", "sub/casefile.yaml", "out/x.yaml", "cases/out/y.yml"):
        assert re.search(hook["exclude"], excluded), excluded
    assert not re.search(hook["exclude"], "cases/outbreak.yaml")


def test_pre_commit_hook_over_a_new_project(tmp_path):
    project = tmp_path / "repo"
    subprocess.run([*casefile_command(), "init", str(project)], check=True, capture_output=True, timeout=120)
    # what else a case repository holds: none of it may give a false error
    (project / ".github" / "workflows").mkdir(parents=True)
    (project / ".github" / "workflows" / "ci.yml").write_text("name: ci\non: [push]\njobs: {}\n")
    (project / "mkdocs.yml").write_text("site_name: Cases\nnav: []\n")
    (project / ".pre-commit-config.yaml").write_text("repos: []\n")
    (project / "catalog").mkdir()
    (project / "catalog" / "bodies.yaml").write_text("bodies: []\n")
    (project / "out").mkdir()
    (project / "out" / "stale.yaml").write_text("not: [a case\n")
    passed = _run_hook(project)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout == ""
    assert passed.stderr == "1 case file(s) checked: 1 valid, 0 error(s), 0 warning(s), " \
                            "4 other YAML file(s) skipped\n"

    case = project / "cases" / "XX-REG-2025-001.yaml"
    case.write_text(case.read_text().replace("status: draft", "status: draft\nstatuss: final", 1))
    failed = _run_hook(project)
    assert failed.returncode == 1
    assert re.search(r"^cases/XX-REG-2025-001\.yaml:\d+:1: error: statuss: unknown key 'statuss' "
                     r"\(did you mean 'status'\?\)$", failed.stdout, re.M), failed.stdout


# ------------------------------------------------------------------------------------------
# shell completion (click's own)
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("shell", "marker"), [
    ("bash", "_casefile_completion()"),
    ("zsh", "#compdef casefile"),
    ("fish", "function _casefile_completion"),
])
def test_completion_script_for_each_shell(shell, marker):
    env = {**os.environ, "_CASEFILE_COMPLETE": f"{shell}_source"}
    result = subprocess.run(casefile_command(), env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout
    assert "_CASEFILE_COMPLETE" in result.stdout


def test_completion_completes_commands_and_options():
    env = {**os.environ, "_CASEFILE_COMPLETE": "bash_complete", "COMP_WORDS": "casefile val", "COMP_CWORD": "1"}
    result = subprocess.run(casefile_command(), env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.splitlines() == ["plain,validate"]
    env.update(COMP_WORDS="casefile validate --for", COMP_CWORD="2")
    result = subprocess.run(casefile_command(), env=env, capture_output=True, text=True, timeout=60)
    assert "plain,--format" in result.stdout.splitlines()



def complete(words: str, cwd: Path, shell: str = "bash") -> list[str]:
    """What Tab offers after `words`: the values (bash), or value and help lines (zsh)."""
    env = {**os.environ, "_CASEFILE_COMPLETE": f"{shell}_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    result = subprocess.run(casefile_command(), env=env, capture_output=True, text=True, timeout=60, cwd=cwd)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    return [line.split(",", 1)[1] for line in lines] if shell == "bash" else lines


def test_completion_offers_case_files_with_their_ids_and_body_ids(tmp_path):
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    (tmp_path / "cases" / "notes.yaml").write_text("todo: not a case\n")
    assert complete("casefile check cases/n", tmp_path) == ["cases/named-pow/case.yaml"]  # notes.yaml is no case
    assert "EX-ZAP-2025-014" in complete("casefile check cases/n", tmp_path, shell="zsh")  # the case id as help
    assert complete("casefile check cases/protected-witness/case.yaml --for un-", tmp_path) == [
        "un-sr-executions", "un-coi-ukraine"]
    assert "UN SR executions" in complete("casefile packet cases/olenivka/case.yaml --to un-sr", tmp_path, "zsh")
    assert complete("casefile serve cases/protected-witness/case.yaml --with p", tmp_path) == ["public"]
    provisions = complete("casefile catalog provisions rome:8.2.c", tmp_path)
    assert "rome:8.2.c.i" in provisions and "rome:8.2.c.i-3" in provisions
    assert sorted(complete("casefile catalog bodies ic", tmp_path)) == ["icc-otp", "icrc"]
