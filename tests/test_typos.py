"""A hint's "did you mean" names a value only for a typo of it (casefile/core/typos.py): never
another real thing that looks alike."""

from __future__ import annotations

import pytest

from casefile.api import validate
from casefile.core.typos import plain, typo_of

from .test_checks import MINIMAL

VERIFICATION = ["unverified", "partially-verified", "verified", "disputed"]
CONFLICT = ["international", "non-international", "none"]
SEX = ["female", "male", "unknown"]
IDS = ["V1", "V2", "W1", "E1", "E2", "E12", "S1", "P1", "A1"]


@pytest.mark.parametrize("wrong, known, meant", [
    ("unverifed", VERIFICATION, "unverified"),
    ("partially verified", VERIFICATION, "partially-verified"),
    ("confirmed", VERIFICATION, None),  # was 'unverified': the opposite
    ("not verified", VERIFICATION, None),
    ("non international", CONFLICT, "non-international"),
    ("internal", CONFLICT, None),  # was 'international': an internal conflict is non-international
    ("unknown", CONFLICT, None),  # was 'none': no armed conflict at all
    ("femal", SEX, "female"),
    ("fmale", SEX, None),  # one slip from both female and male
    ("mle", SEX, None),  # too short to tell a slip from another word
])
def test_values(wrong, known, meant):
    assert typo_of(wrong, known) == meant


@pytest.mark.parametrize("wrong, meant", [
    ("e1", "E1"), ("E 1", "E1"), ("E01", "E1"), ("E-12", "E12"),
    ("E3", None), ("V3", None), ("E21", None), ("Vx1", None),  # another item, another person
])
def test_ids_keep_their_digits(wrong, meant):
    assert typo_of(wrong, IDS, same_digits=True) == meant


def test_plain_forgets_case_separators_and_leading_zeros():
    assert plain(" Rome:8(2)(a)(i) ") == "rome82ai"
    assert plain("E-007") == "e7"
    assert plain("gc3:030") == plain("gc3:30")


def test_a_wrong_value_in_a_case_gets_no_misleading_hint(write_case):
    text = MINIMAL.replace("armed_conflict: international", "armed_conflict: internal").replace(
        "victims: [V1]", "victims: [V3]")
    problems = {p.message: p.hint for p in validate(write_case(text)).problems}
    assert problems == {"'internal' is not one of: international, non-international, none": None,
                        "unknown victim id 'V3'": "the victim ids in this case: V1"}  # V3 is not a slip for V1
    text = MINIMAL.replace("victims: [V1]", "victims: [V3]").replace("evidence: [E1]", "evidence: [e1]")
    problems = {p.message: p.hint for p in validate(write_case(text, "b.yaml")).problems}
    assert problems == {"unknown victim id 'V3'": "the victim ids in this case: V1",
                        "unknown evidence or source id 'e1'": "did you mean 'E1'?"}
