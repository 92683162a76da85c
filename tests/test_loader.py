"""The YAML loader: positions, strictness, typing traps, limits, encodings, hostile input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from casefile.case.loader import Limits, LoadError, decode, load_file, load_text

from .conftest import CORPUS, require_corpus


def load(text: str, limits: Limits | None = None):
    return load_text(text, Path("t.yaml"), limits)


def problems_of(text: str, limits: Limits | None = None) -> list[str]:
    with pytest.raises(LoadError) as info:
        load(text, limits)
    return [p.format() for p in info.value.problems]


def test_positions_of_keys_and_values_are_kept():
    doc = load("a: 1\nlist:\n  - x: yes\n    y: [1, 2]\n")
    assert doc.key_marks[("list", 0, "x")] == (3, 5)
    assert doc.value_marks[("list", 0, "x")] == (3, 8)
    assert doc.value_marks[("list", 0, "y", 1)] == (4, 12)
    assert doc.mark(("list", 0, "missing")) == (3, 5)  # nearest enclosing node


def test_yaml_1_1_traps_stay_text():
    doc = load("a: no\nb: on\nc: 1:30\nd: 0777\ne: 2025-01-30\nf: NO\ng: E1e3\nh: 1.0\ni: .inf\n")
    assert doc.data == {"a": "no", "b": "on", "c": "1:30", "d": "0777", "e": "2025-01-30",
                        "f": "NO", "g": "E1e3", "h": "1.0", "i": ".inf"}


def test_null_and_booleans_follow_yaml_1_2_core():
    doc = load("a:\nb: ~\nc: null\nd: true\ne: False\nf: 'true'\ng: \"\"\n")
    assert doc.data == {"a": None, "b": None, "c": None, "d": True, "e": False, "f": "true", "g": ""}


def test_duplicate_keys_are_located_errors_and_all_reported():
    found = problems_of("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert found == [
        "t.yaml:4:3: error: b.c: duplicate key 'c' (first written on line 3) "
        "(remove one of them; YAML would silently keep only the last)",
        "t.yaml:5:1: error: a: duplicate key 'a' (first written on line 1) "
        "(remove one of them; YAML would silently keep only the last)",
    ]


def test_syntax_error_is_located():
    assert problems_of("a: [1, 2\nb: 3\n")[0].startswith("t.yaml:2:")
    assert problems_of("a: b: c\n") == ["t.yaml:1:5: error: YAML syntax: mapping values are not allowed in this context"]  # noqa: E501


def test_tags_are_refused_not_constructed():
    found = problems_of("a: !!python/object/apply:os.system ['echo pwned']\n")
    assert found == ["t.yaml:1:4: error: a: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' "
                     "is not allowed in a case file (remove the tag; casefile never constructs objects from tags)"]


def test_second_document_is_an_error():
    assert "holds one YAML document" in problems_of("a: 1\n---\nb: 2\n")[0]


def test_undefined_alias_is_an_error():
    assert problems_of("a: *nope\n") == [
        "t.yaml:1:4: error: a: unknown alias '*nope' (define the anchor with '&name' before using it)"]


def test_small_aliases_are_allowed():
    doc = load("base: &b {by: me}\nother: *b\n")
    assert doc.data["other"] == {"by": "me"}


def billion_laughs(levels: int = 9) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_fails_fast():
    start = time.process_time()
    found = problems_of(billion_laughs())
    assert time.process_time() - start < 0.5
    assert "expands to more than" in found[0]


def test_nesting_depth_is_bounded():
    found = problems_of("[" * 1000 + "]" * 1000)
    assert found == ["t.yaml:1:65: error: nesting deeper than 64 levels"]


def test_file_size_is_bounded(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2000 + "\n")
    with pytest.raises(LoadError) as info:
        load_file(path, Limits(max_file_bytes=1000))
    assert "more than the limit of 1,000" in info.value.problems[0].message


@pytest.mark.parametrize("raw,expected", [
    (b"\xef\xbb\xbfa: 1\r\nb: 2\r\n", "a: 1\nb: 2\n"),
    (b"a: caf\xc3\xa9\n", "a: caf\u00e9\n"),
])
def test_accepted_encodings(raw, expected):
    assert decode(raw, "t.yaml") == expected


@pytest.mark.parametrize("raw,message", [
    (b"a: 1\nb: caf\xe9\n", "t.yaml:2:7: error: not valid UTF-8 at byte offset 11 (byte 0xe9)"),
    (b"\xff\xfea\x00:\x00", "t.yaml:1:1: error: file is UTF-16; case files must be UTF-8"),
    (b"a: 1\n\x00\x01\x02", "t.yaml:2:1: error: file contains a NUL byte at byte offset 5"),
])
def test_refused_encodings(raw, message):
    with pytest.raises(LoadError) as info:
        decode(raw, "t.yaml")
    assert info.value.problems[0].format().startswith(message)


CORPUS_FILES = sorted(CORPUS.glob("*/*.yaml"))


def test_corpus_is_present():
    require_corpus()  # fails under CI, skips in a checkout without shared/
    assert len(CORPUS_FILES) > 300


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_yaml_test_suite_input_gives_located_errors(path):
    """No input of the YAML test suite is a case: each must give located errors, never crash."""
    from casefile.api import validate

    result = validate(path)
    assert not result.ok
    assert result.errors
    for problem in result.problems:
        assert problem.file == str(path) and problem.line >= 1 and problem.column >= 1
        assert problem.format().startswith(f"{path}:{problem.line}:{problem.column}: ")
