"""A file with structural errors still gets its cross-field checks (case/salvage.py): every
error of the file in one run, and none that the repairs behind it could have caused."""

from __future__ import annotations

import copy
import random
import shutil

import pytest
import yaml

from casefile.api import validate
from casefile.case.loader import load_text
from casefile.case.parse import parse_case

from .conftest import CASES, DONETSK, WITNESS
from .test_checks import MINIMAL
from .test_fuzz import _get, _paths


def lines(path) -> list[str]:
    return [p.format() for p in validate(path).problems]


def test_a_misspelt_key_no_longer_hides_a_dangling_id(write_case):
    text = MINIMAL.replace("title: Test case", "titel: Test case").replace("evidence: [E1]", "evidence: [E9]")
    path = write_case(text)
    assert lines(path) == [
        f"{path}:1:1: error: title: missing required key 'title'",
        f"{path}:3:1: error: titel: unknown key 'titel' (did you mean 'title'?)",
        f"{path}:20:16: error: allegations[0].evidence[0]: unknown evidence or source id 'E9' "
        "(the evidence or source ids in this case: E1)",
    ]


def test_a_protected_name_spelled_out_is_reported_with_the_structural_errors(write_case):
    text = (MINIMAL.replace("      harm: killed", "      harm: killed\n      name: Olena Koval\n      protected: true")
            .replace('summary: "@V1 was killed."', 'summary: "Olena Koval was killed."')
            .replace("kind: video", "kind: vidoe"))
    problems = [p.format().split(": ", 2)[2] for p in validate(write_case(text)).problems]
    assert problems[0].startswith("summary: the name of protected person V1")
    assert problems[1].startswith("evidence[0].kind: 'vidoe' is not one of")
    assert len(problems) == 2


def test_a_broken_item_is_left_out_and_what_refers_to_it_is_not_reported(write_case):
    # E1 is referred to by the allegation, its proof chart and the incident's description
    path = write_case(MINIMAL.replace("kind: video", "kind: vidoe"))
    assert [p.message for p in validate(path).problems] == [
        "'vidoe' is not one of: video, photo, audio, document, testimony, open-source-post, forensic-report, "
        "satellite-image, statement, other"]


def test_an_id_that_cannot_be_read_silences_the_unknown_id_errors_it_may_explain(write_case):
    path = write_case(MINIMAL.replace("  - id: E1", "  - id: [E1]"))
    assert [p.message for p in validate(path).problems] == ["expected text, found a list"]


def test_problems_after_a_left_out_item_keep_the_files_own_positions(write_case):
    items = "".join(f"  - id: E{n}\n    kind: {'video' if n != 2 else 'vidoe'}\n    title: Video {n}\n" for n in (2, 3))
    items += "  - id: E1\n    kind: video\n    title: A second E1\n"
    path = write_case(MINIMAL + items)
    assert lines(path)[0].startswith(f"{path}:28:11: error: evidence[1].kind: 'vidoe' is not one of")
    # evidence[3] in the file (the fourth item), not evidence[2] of the copy without evidence[1]
    assert lines(path)[1] == (f"{path}:33:9: error: evidence[3].id: duplicate id 'E1' (already used by an evidence "
                              "item) (every person, allegation, evidence item and source needs its own id)")
    assert len(lines(path)) == 2


def test_only_errors_are_added_the_warnings_wait_for_a_valid_file(write_case):
    future = MINIMAL.replace("incident:\n  date: 2025-01", "incident:\n  date: 2099-01")
    assert any(not p.is_error for p in validate(write_case(future, "future.yaml")).problems)
    broken = future.replace("kind: video", "kind: [video]")
    assert [p.severity for p in validate(write_case(broken, "broken.yaml")).problems] == ["error"]


def _mutated(base, locs, rng):
    data = copy.deepcopy(base)
    for loc in locs:
        _get(data, loc[:-1])[loc[-1]] = rng.choice([[["x"]], {"k": 1}])  # the wrong type for every scalar
    return data


@pytest.mark.parametrize("source", [DONETSK, WITNESS, CASES / "named-pow" / "case.yaml"],
                         ids=["donetsk", "protected-witness", "named-pow"])
def test_wrong_types_in_a_valid_case_add_no_error_beyond_their_own(tmp_path, source):
    """Every value of a valid example replaced by the wrong type, alone and three at a time:
    whatever the checks find on the repaired copy must be nothing (the case was valid)."""
    shutil.copytree(source.parent, tmp_path / "case") if source != DONETSK else (tmp_path / "case").mkdir()
    base = yaml.safe_load(source.read_text(encoding="utf-8"))
    leaves = [loc for loc in _paths(base) if loc and not isinstance(_get(base, loc), (dict, list))]
    rng = random.Random(7)
    trials = [[loc] for loc in leaves] + [rng.sample(leaves, 3) for _ in range(60)]
    path = tmp_path / "case" / "mutated.yaml"
    for locs in trials:
        path.write_text(yaml.safe_dump(_mutated(base, locs, rng), allow_unicode=True, sort_keys=False))
        _, structural = parse_case(load_text(path.read_text(encoding="utf-8"), path))
        found = validate(path).problems
        assert structural, locs
        assert [p.format() for p in found if p not in structural] == [], locs
