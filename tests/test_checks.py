"""Validation of cases: field checks at the model boundary, then checks across fields."""

from __future__ import annotations

from casefile.api import validate

from .conftest import DONETSK, WITNESS

MINIMAL = """\
casefile: 1
id: T-1
title: Test case
status: review
prepared: {by: Unit, date: 2025-02-01}
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
    provisions: [gc3:130, rome:8.2.a.i]
    victims: [V1]
    evidence: [E1]
    elements:
      rome:8.2.a.i/1: [E1]
evidence:
  - id: E1
    kind: video
    title: Video
"""


def messages(path) -> list[str]:
    return [p.format().split(": ", 1)[1] for p in validate(path).problems]


def test_examples_are_valid():
    for path in (DONETSK, WITNESS):
        result = validate(path)
        assert result.ok, [p.format() for p in result.problems]
        assert result.problems == []


def test_minimal_case_is_valid(write_case):
    assert messages(write_case(MINIMAL)) == []


def test_typo_in_key_suggests_the_right_one(write_case):
    path = write_case(MINIMAL.replace("summary:", "sumary:"))
    assert [p.format() for p in validate(path).problems] == [
        f"{path}:1:1: error: summary: missing required key 'summary'",
        f"{path}:6:1: error: sumary: unknown key 'sumary' (did you mean 'summary'?)",
    ]


def test_unknown_nested_key_lists_what_is_allowed(write_case):
    path = write_case(MINIMAL.replace("      harm: killed", "      harm: killed\n      colour: red"))
    assert messages(path) == [
        "error: incident.victims[0].colour: unknown key 'colour' (allowed here: id, name, category, "
        "affiliation, harm, count, protected, aliases, false_matches, consent, born, age, sex, citizenship, rank, "
        "unit, service_number, captured, died, next_of_kin)"]


def test_wrong_types_and_enums(write_case):
    text = (MINIMAL.replace("harm: killed", "harm: kiled\n      count: many\n      protected: yes")
            .replace("kind: video", "kind: [video]"))
    assert messages(write_case(text)) == [
        "error: incident.victims[0].harm: 'kiled' is not one of: killed, injured, tortured, disappeared, "
        "detained, other (did you mean 'killed'?)",
        "error: incident.victims[0].count: 'many' is not a whole number",
        "error: incident.victims[0].protected: 'yes' is not true or false; write true or false (YAML 1.2)",
        "error: evidence[0].kind: expected one of: video, photo, audio, document, testimony, "
        "open-source-post, forensic-report, satellite-image, statement, other; found a list",
    ]


def test_dates_partial_ranges_and_timestamps(write_case):
    ok = MINIMAL.replace("date: 2025-01\n", "date: {from: 2025-01-28, to: 2025-01-30}\n")
    assert messages(write_case(ok)) == []
    quoted = MINIMAL.replace("date: 2025-01\n", "date: \"2025-01-30\"\n")
    assert messages(write_case(quoted)) == []
    backwards = MINIMAL.replace("date: 2025-01\n", "date: {from: 2025-01-30, to: 2025-01-28}\n")
    assert messages(write_case(backwards)) == [
        "error: incident.date: the range ends (2025-01-28) before it starts (2025-01-30)"]
    bad = MINIMAL.replace("date: 2025-01\n", "date: 30.01.2025\n")
    assert messages(write_case(bad)) == [
        "error: incident.date: '30.01.2025' is not a date; write a date like 2025-01-30, 2025-01 or 2025"]


def test_dangling_references_everywhere(write_case):
    text = (MINIMAL.replace('summary: "@V1 was killed."', 'summary: "@V2 was killed."')
            .replace("victims: [V1]", "victims: [V1, E1]")
            .replace("rome:8.2.a.i/1: [E1]", "rome:8.2.a.i/1: [E9]\n      rome:8.2.a.i/7: [E1]"))
    path = write_case(text)
    assert messages(path) == [
        "error: summary: unknown reference '@V2' (the ids in this case: A1, E1, V1)",  # V2 is not a slip for V1
        "error: allegations[0].victims[1]: 'E1' is an evidence item, not a victim",
        "error: allegations[0].elements.rome:8.2.a.i/1[0]: unknown evidence or source id 'E9' (the evidence or source "
        "ids in this case: E1)",
        "error: allegations[0].elements.rome:8.2.a.i/7: unknown element 'rome:8.2.a.i/7' (rome:8.2.a.i has elements 1 to 5)",  # noqa: E501 (an exact message)
    ]


def test_duplicate_ids_across_kinds(write_case):
    text = MINIMAL.replace("  - id: E1\n", "  - id: V1\n").replace("[E1]", "[V1]").replace("@E1", "@V1")
    assert "error: evidence[0].id: duplicate id 'V1' (already used by a victim)" in " ".join(messages(write_case(text)))


def test_unknown_provision_and_body_suggest(write_case):
    text = MINIMAL.replace("[gc3:130, rome:8.2.a.i]", "[gc3:310, rome:8.2.a.i]") + \
        "filings:\n  - body: un-sr-execution\n"
    assert messages(write_case(text)) == [
        "error: allegations[0].provisions[0]: unknown provision 'gc3:310' (did you mean 'gc3:130' (Grave breaches)?)",
        "error: filings[0].body: unknown filing body 'un-sr-execution' (did you mean 'un-sr-executions'?)",
    ]


def test_custody_order_and_transfer(write_case):
    text = MINIMAL + """\
    custody:
      - {at: 2025-01-30T10:00:00+02:00, by: Unit, action: collected}
      - {at: 2025-01-29T10:00:00+02:00, by: Unit, action: transferred}
"""
    assert messages(write_case(text)) == [
        "error: evidence[0].custody[1]: a 'transferred' entry must say 'to' whom",
        "error: evidence[0].custody[1].at: custody entries must be oldest first; this one "
        "(2025-01-29T10:00:00+02:00) is before the one above it",
    ]


def test_evidence_file_must_stay_inside_the_case_folder(write_case):
    text = MINIMAL + "    file: ../outside.mp4\n"
    assert messages(write_case(text)) == [
        "warning: evidence[0].custody: item has a file but no chain of custody",
        "error: evidence[0].file: '../outside.mp4' points outside the case folder "
        "(evidence files must stay inside the folder of the case file)"]
    text = MINIMAL + "    file: /etc/passwd\n"
    assert messages(write_case(text))[1].startswith("error: evidence[0].file: '/etc/passwd' is an absolute path")


def test_disclosure_needs_consent(write_case):
    text = MINIMAL.replace("      harm: killed", "      harm: killed\n      protected: true") + \
        "filings:\n  - body: icrc\n    disclose: [V1]\n"
    assert messages(write_case(text)) == [
        "error: filings[0].disclose[0]: V1 has not consented to share their identity with 'icrc' "
        "(add icrc to consent.share_with of V1, or remove V1 from disclose)"]


def test_evidence_may_be_empty_only_in_draft(write_case):
    text = MINIMAL.split("evidence:\n  - id: E1")[0].replace("[E1]", "[]").replace("@E1", "the video")
    text += "evidence: []\n"
    assert messages(write_case(text)) == ["error: evidence: no evidence, but status is 'review' "
                                          "(evidence may be empty only while status is draft)"]
    assert messages(write_case(text.replace("status: review", "status: draft"))) == []


def test_conflict_applicability_is_a_warning(write_case):
    text = MINIMAL.replace("armed_conflict: international", "armed_conflict: non-international")
    result = validate(write_case(text))
    assert result.ok
    assert [p.format().split(": ", 1)[1] for p in result.problems] == [
        "warning: allegations[0].provisions[0]: gc3:130 applies to international armed conflicts, "
        "but incident.armed_conflict is non-international",
        "warning: allegations[0].provisions[1]: rome:8.2.a.i applies to international armed conflicts, "
        "but incident.armed_conflict is non-international",
    ]


def test_not_a_mapping(write_case):
    assert messages(write_case("- just\n- a list\n")) == [
        "error: a case file is a YAML mapping of keys; this file is a list (start from `casefile new`)"]
    assert messages(write_case("")) == [
        "error: a case file is a YAML mapping of keys; this file is empty (start from `casefile new`)"]


def test_unsupported_version(write_case):
    assert messages(write_case(MINIMAL.replace("casefile: 1", "casefile: 2"))) == [
        "error: casefile: format version '2' is not supported; this casefile reads version 1"]


def test_yaml_typing_traps_keep_their_meaning(write_case):
    text = (MINIMAL.replace("  date: 2025-01\n", "  date: 2025-01-30\n  time: 19:30\n  timezone: Europe/Kyiv\n")
            .replace("- id: V1", "- id: NO").replace("@V1", "@NO").replace("victims: [V1]", "victims: [NO]")
            .replace("- id: E1", "- id: E1e3").replace("@E1", "@E1e3").replace("[E1]", "[E1e3]")
            .replace("title: Video", "title: no"))
    result = validate(write_case(text))
    assert result.ok, [p.format() for p in result.problems]
    case = result.case
    assert case.incident.time == "19:30" and str(case.incident.date) == "2025-01-30"
    assert case.incident.victims[0].id == "NO" and case.evidence[0].id == "E1e3"
    assert case.evidence[0].title == "no"


def test_country_codes_are_babels_two_letter_territories():
    from babel import Locale

    from casefile.case.checks import COUNTRY_CODES

    assert {c for c in Locale("en").territories if len(c) == 2 and c.isalpha()} == COUNTRY_CODES
    assert "UA" in COUNTRY_CODES and "XX" not in COUNTRY_CODES


def test_a_missing_armed_conflict_is_a_warning(write_case):
    text = MINIMAL.replace("  armed_conflict: international\n", "")
    found = messages(write_case(text))
    assert any("warning: incident: incident.armed_conflict is not stated" in m for m in found), found
    assert not any("armed_conflict" in m for m in messages(write_case(MINIMAL)))


def test_dates_in_the_future_are_warnings(write_case):
    from datetime import date

    from casefile import api
    from casefile.case.checks import CheckOptions

    text = MINIMAL.replace("prepared: {by: Unit, date: 2025-02-01}", "prepared: {by: Unit, date: 2031-02-01}")
    text += "filings:\n  - body: icrc\n    status: submitted\n    date: 2030-05\n"
    result = api.validate(write_case(text), options=CheckOptions(today=date(2026, 12, 1)))
    found = [p.format() for p in result.problems]
    assert any("warning: prepared.date: 2031-02-01 is in the future (today is 2026-12-01)" in m for m in found), found
    assert any("warning: filings[0].date: 2030-05 is in the future" in m for m in found), found
    assert not any("in the future" in m for m in messages(write_case(MINIMAL)))
