"""What casefile keeps in the user's cache (casefile/core/usercache.py) is used only when it is this
user's own and made from the same source; anything else is parsed again, never trusted."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from casefile.case import catalog
from casefile.core import usercache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "casefile"


def counting(value):
    calls = []

    def parse(source: bytes):
        calls.append(source)
        return value

    return parse, calls


def test_a_parse_is_kept_signed_and_private_and_the_next_call_reads_it(cache):
    parse, calls = counting({"a": [1, "ї", None, True]})
    assert usercache.parsed("thing", b"source", parse) == {"a": [1, "ї", None, True]}
    [kept] = cache.glob("thing-*.json")
    assert (kept.stat().st_mode & 0o077) == 0
    assert usercache.parsed("thing", b"source", parse) == {"a": [1, "ї", None, True]}
    assert len(calls) == 1


def test_a_kept_parse_edited_by_hand_or_signed_by_another_key_is_parsed_again(cache, tmp_path, monkeypatch):
    parse, calls = counting({"title": "Article 130"})
    usercache.parsed("thing", b"source", parse)
    [kept] = cache.glob("thing-*.json")
    blob = kept.read_bytes()
    kept.write_bytes(blob[:32] + json.dumps({"title": "Article 131"}).encode())  # same MAC, other text
    assert usercache.parsed("thing", b"source", parse) == {"title": "Article 130"}
    assert len(calls) == 2
    other = tmp_path / "other"
    (other / "casefile").mkdir(parents=True)
    (other / "casefile" / kept.name).write_bytes(kept.read_bytes())  # this user's file, another user's key
    monkeypatch.setenv("XDG_CACHE_HOME", str(other))
    assert usercache.parsed("thing", b"source", parse) == {"title": "Article 130"}
    assert len(calls) == 3


def test_another_source_is_parsed_and_the_older_kept_parse_removed(cache):
    usercache.parsed("thing", b"one", counting([1])[0])
    [first] = cache.glob("thing-*.json")
    parse, calls = counting([2])
    assert usercache.parsed("thing", b"two", parse) == [2]
    assert calls == [b"two"]
    [second] = cache.glob("thing-*.json")
    assert second != first


def test_a_value_json_would_not_give_back_equal_is_never_kept(cache):
    for value in ({"adopted": dt.date(1949, 8, 12)}, {"pair": (1, 2)}, {1: "int key"}):
        parse, calls = counting(value)
        assert usercache.parsed("odd", b"source", parse) == value
        assert usercache.parsed("odd", b"source", parse) == value
        assert len(calls) == 2
    assert list(cache.glob("odd-*.json")) == []


def test_without_a_cache_folder_the_source_is_parsed_every_time(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    parse, calls = counting({"a": 1})
    assert usercache.parsed("thing", b"source", parse) == {"a": 1}
    assert usercache.parsed("thing", b"source", parse) == {"a": 1}
    assert len(calls) == 2


@pytest.mark.parametrize("name", ["provisions.yaml", "bodies.yaml"])
def test_the_shipped_catalog_read_from_the_cache_is_the_catalog_parsed_from_its_yaml(cache, name):
    direct = catalog._parse_yaml((catalog.DATA_DIR / name).read_bytes())
    assert catalog._read(name) == direct  # parsed, kept
    assert list(cache.glob(f"catalog-{name.split('.')[0]}-pyyaml*.json"))
    assert catalog._read(name) == direct  # read back from the cache


def test_the_json_schema_read_from_the_cache_is_the_schema_generated_from_the_model(cache):
    from casefile.case import schema

    generated = schema._generated(b"")
    assert schema.case_schema() == generated  # generated, kept
    assert len(list(cache.glob("case-schema-*.json"))) == 1
    assert schema.case_schema() == generated  # read back
    assert list(schema.case_schema()) == list(generated)  # in the same order (the printed schema's bytes)
