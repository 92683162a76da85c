"""Property-based tests: random YAML and random mutations of the examples never crash casefile.

`validate` must return located problems or a valid case; a valid case must render. The number
of examples is fixed (derandomized) so that CI time is predictable.
"""

from __future__ import annotations

import contextlib
import copy
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casefile import api
from casefile.core.errors import CasefileError

from .conftest import DONETSK, WITNESS, copy_witness

FUZZ = settings(max_examples=300, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\u202eevil\u202c", "a\u200bb", "e\u0301\u0301\u0301", "👩‍⚖️", "\x07\x1b[31m", "\ufeff",
                     "Олена Коваль", "<script>x</script>", "{{ 7*7 }}", "{% for %}", "@V1", "@", "@@", "NO", "no",
                     "0777", "1:30", "2025-13-45", "null", "~", "", " ", "\t", "a" * 20000, "\\", "'\"", "%"]),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), ODD_TEXT)
TREES = st.recursive(SCALARS, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                     st.dictionaries(st.text(max_size=10), kids, max_size=4)),
                     max_leaves=30)

BASE = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in (DONETSK, WITNESS)}


def check(path: Path) -> api.Validation:
    result = api.validate(path)  # must not raise
    for problem in result.problems:
        assert problem.file == str(path)
        assert problem.line >= 1 and problem.column >= 1
        assert problem.format().startswith(f"{path}:{problem.line}:{problem.column}: ")
    if not result.ok:
        assert result.errors
    return result


def render_ok(path: Path, fmt: str = "html") -> None:
    with contextlib.suppress(CasefileError):  # a reported, located failure is fine; any other exception fails
        api.render(path, format=fmt, output=path.parent / f"out.{fmt}")


@FUZZ
@given(text=st.text(max_size=400))
def test_random_text(tmp_path, text):
    path = tmp_path / "case.yaml"
    path.write_bytes(text.encode("utf-8"))
    check(path)


@FUZZ
@given(tree=TREES)
def test_random_yaml_documents(tmp_path, tree):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    assert not check(path).ok


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


def _get(node, path):
    for part in path:
        node = node[part]
    return node


@FUZZ
@given(data=st.data())
def test_mutated_examples(tmp_path, data):
    source = data.draw(st.sampled_from(sorted(BASE)), label="example")
    doc = copy.deepcopy(BASE[source])
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        paths = [p for p in _paths(doc) if p]
        path = data.draw(st.sampled_from(paths), label="path")
        parent = _get(doc, path[:-1])
        action = data.draw(st.sampled_from(["drop", "replace", "odd-text", "duplicate-list-item"]), label="action")
        if action == "drop":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = data.draw(TREES, label="value")
        elif action == "odd-text":
            parent[path[-1]] = data.draw(ODD_TEXT, label="text")
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    folder = tmp_path / "case"
    if source == WITNESS and not folder.exists():
        copy_witness(folder)
    folder.mkdir(exist_ok=True)
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = check(path)
    if result.ok:
        render_ok(path, "html")


def odd_text_case(folder: Path, text: str) -> Path:
    doc = copy.deepcopy(BASE[DONETSK])
    doc["summary"] = text or "x"
    doc["allegations"][0]["title"] = (text or "x")[:200]
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# Odd text in the summary and an allegation title: rendered to HTML with many examples, and to
# PDF (a WeasyPrint layout, ~1.5 s each) with a few.
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=ODD_TEXT)
def test_odd_text_renders_to_html(tmp_path, text):
    path = odd_text_case(tmp_path, text)
    if check(path).ok:
        render_ok(path, "html")


@settings(max_examples=2, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=ODD_TEXT)
def test_odd_text_renders_to_pdf(tmp_path, text):
    path = odd_text_case(tmp_path, text)
    if check(path).ok:
        render_ok(path, "pdf")
