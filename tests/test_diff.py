"""Semantic diff of case versions: matching by id, field-level changes, git revisions, output."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from casefile.core.errors import CasefileError, UsageError
from casefile.repository.diff import Change, diff_cases
from casefile.repository.diff_report import diff_file, format_markdown, format_text, load_version

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NEW_EVIDENCE = """\
  - id: E5
    kind: video
    title: Video of the soldiers leading the captives away
    verification:
      status: unverified
"""


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"expected {count} x {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def versions(path: Path, change) -> list[Change]:
    """Diff of the case at `path` before and after `change(path)`."""
    before = load_version(path, None)
    change(path)
    return diff_cases(before, load_version(path, None))


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e", "-c", "commit.gpgsign=false",
                             *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def commit(repo: Path, message: str = "change") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(witness_case: Path) -> Path:
    """A git repository holding the protected-witness example, committed once."""
    root = witness_case.parent.parent
    git(root, "init", "-q")
    commit(root, "initial")
    return root


def set_status(path: Path, status: str = "disputed") -> None:
    edit(path, "      status: verified\n      notes: {en: Geolocated",
         f"      status: {status}\n      notes: {{en: Geolocated")


# ---- diff_cases -----------------------------------------------------------------------------
def test_same_case_has_no_changes(witness_case):
    case = load_version(witness_case, None)
    assert diff_cases(case, case) == []
    assert diff_cases(None, None) == []


def test_added_evidence_is_one_change(witness_case):
    changes = versions(witness_case, lambda p: edit(p, "\nactions:", NEW_EVIDENCE + "\nactions:"))
    assert changes == [Change("added", "evidence", "E5", "", None,
                              "Video of the soldiers leading the captives away")]


def test_removed_witness_is_one_change(witness_case):
    def remove(path):
        edit(path, """  witnesses:
    - id: W1
      name: Olena Koval
      role: {en: "resident, eyewitness", uk: "місцева мешканка, очевидиця"}
      protected: true
      consent:
        share_with: [ua-pgo, icc-otp]
        date: 2024-03-20
""", "")

    assert versions(witness_case, remove) == [Change("removed", "persons", "W1", "", "witness (protected)", None)]


def test_verification_status_and_custody_entry(witness_case):
    def change(path):
        set_status(path)
        edit(path, "      - at: 2024-03-19T09:00:00+02:00", "      - at: 2024-03-19T11:45:00+02:00")

    assert versions(witness_case, change) == [
        Change("changed", "evidence", "E2", "verification.status", "verified", "disputed"),
        Change("changed", "evidence", "E2", "custody[1].at", "2024-03-19T09:00:00+02:00",
               "2024-03-19T11:45:00+02:00"),
    ]


def test_added_custody_entry_keeps_the_others(witness_case):
    def change(path):
        edit(path, """        action: collected
      - at: 2024-03-19T09:00:00+02:00""", """        action: collected
      - at: 2024-03-18T12:00:00+02:00
        by: Example Legal Aid Clinic
        action: sealed
      - at: 2024-03-19T09:00:00+02:00""")

    assert versions(witness_case, change) == [
        Change("changed", "evidence", "E2", "custody[1]", None,
               "at: 2024-03-18T12:00:00+02:00, by: Example Legal Aid Clinic, action: sealed")]


def test_reordering_evidence_is_not_a_change(witness_case):
    def reorder(path):
        text = path.read_text(encoding="utf-8")
        start, e3, e4, end = (text.index("  - id: E2"), text.index("  - id: E3"), text.index("  - id: E4"),
                              text.index("\nactions:"))
        path.write_text(text[:start] + text[e4:end] + "\n" + text[e3:e4] + text[start:e3].rstrip("\n")
                        + text[end:], encoding="utf-8")

    before = load_version(witness_case, None)
    reorder(witness_case)
    after = load_version(witness_case, None)
    assert [e.id for e in after.evidence] == ["E4", "E3", "E2"]
    assert diff_cases(before, after) == []


def test_reordering_lists_of_ids_and_requoting_dates_is_not_a_change(witness_case):
    def change(path):
        edit(path, "provisions: [gc3:13, gc3:130, ap1:41, rome:8.2.a.i, ua-cc:438]",
             "provisions: [ua-cc:438, gc3:130, gc3:13, ap1:41, rome:8.2.a.i]")
        edit(path, "  date: 2024-03-14\n", '  date: "2024-03-14"\n')
        edit(path, "precision_m: 200}", "precision_m: 200.0}")

    assert versions(witness_case, change) == []


def test_rewrapped_free_text_is_not_a_change_but_new_words_are(witness_case):
    def rewrap(path):
        edit(path, "were led behind a farm outbuilding with their hands\n    tied and shot.",
             "were led behind a farm outbuilding\n    with their   hands tied and shot.")

    assert versions(witness_case, rewrap) == []

    changes = versions(witness_case, lambda p: edit(p, "heard the shots.", "heard three shots."))
    [change] = changes
    assert (change.kind, change.section, change.id, change.path) == ("changed", "case", None, "summary.en")
    # long texts are shortened to where they differ
    assert change.old.startswith("…") and change.new.startswith("…")
    assert "heard the shots" in change.old and "heard three shots" in change.new
    assert len(change.old) <= 80 and len(change.new) <= 80


def test_person_moved_between_roles(witness_case):
    def move(path):
        edit(path, """    - id: V2
      name: Taras Bondar
      category: prisoner-of-war
      affiliation: Armed Forces of Ukraine
      harm: killed
      protected: true
""", "")
        edit(path, "        date: 2024-03-20\n", """        date: 2024-03-20
    - id: V2
      name: Taras Bondar
      role: survivor
      protected: true
""")

    changes = versions(witness_case, move)
    assert changes[0] == Change("changed", "persons", "V2", "role", "victim", "witness")
    assert all(c.kind == "changed" and c.section == "persons" and c.id == "V2" for c in changes)
    assert [c.path for c in changes[1:]] == ["category", "affiliation", "harm", "role"]
    # the protected name did not change, so it is not listed (and never shown)
    assert not any("Bondar" in str(c) for c in changes)


def test_protected_name_change_is_reported_without_the_name(witness_case):
    changes = versions(witness_case, lambda p: edit(p, "name: Olena Koval", "name: Olena Kovalenko"))
    assert changes == [Change("changed", "persons", "W1", "name", "[protected]", "[protected]")]
    assert "Koval" not in format_text("a", "b", changes) + format_markdown("a", "b", changes)


def test_filing_status_change(witness_case):
    def change(path):
        edit(path, """  - body: icc-otp
    status: planned
""", """  - body: icc-otp
    status: submitted
    date: 2024-04-10
    reference: OTP-CR-123/24
""")

    assert versions(witness_case, change) == [
        Change("changed", "filings", "icc-otp", "status", "planned", "submitted"),
        Change("changed", "filings", "icc-otp", "date", None, "2024-04-10"),
        Change("changed", "filings", "icc-otp", "reference", None, "OTP-CR-123/24"),
    ]


def test_actions_are_matched_by_content(witness_case):
    def change(path):
        edit(path, "actions:\n", """actions:
  - date: 2024-03-19
    by: National Police of Ukraine
    action: Recorded the report
""")
        edit(path, 'reference: "12024000000000123"', 'reference: "12024000000000124"')

    assert versions(witness_case, change) == [
        Change("added", "actions", "actions[0]", "", None,
               "2024-03-19 National Police of Ukraine: Recorded the report"),
        Change("changed", "actions", "actions[1]", "reference", "12024000000000123", "12024000000000124"),
    ]


def test_removed_items_stay_where_they_were(witness_case):
    def change(path):
        edit(path, "  - body: icc-otp\n    status: planned\n    disclose: [W1]\n    include: [E3]\n", "")
        edit(path, "  - body: icrc\n    status: planned", "  - body: icrc\n    status: submitted")

    changes = versions(witness_case, change)
    assert [(c.kind, c.id) for c in changes] == [("removed", "icc-otp"), ("changed", "icrc")]


# ---- diff_file and git -------------------------------------------------------------------------
@needs_git
def test_head_against_working_tree(repo, witness_case):
    set_status(witness_case)
    old_label, new_label, changes = diff_file(witness_case)
    assert (old_label, new_label) == ("HEAD", "working tree")
    assert changes == [Change("changed", "evidence", "E2", "verification.status", "verified", "disputed")]
    assert diff_file(witness_case, "HEAD") == (old_label, new_label, changes)


@needs_git
def test_rev1_against_rev2(repo, witness_case):
    first = git(repo, "rev-parse", "HEAD")
    set_status(witness_case)
    second = commit(repo)
    edit(witness_case, "\nactions:", NEW_EVIDENCE + "\nactions:")  # not committed: not in the diff
    old_label, new_label, changes = diff_file(witness_case, first, second[:10])
    assert (old_label, new_label) == (first, second[:10])
    assert changes == [Change("changed", "evidence", "E2", "verification.status", "verified", "disputed")]
    assert diff_file(witness_case, "HEAD~1", "HEAD")[2] == changes
    # the working tree is compared when REV2 is left out
    assert [c.id for c in diff_file(witness_case, "HEAD~1")[2]] == ["E2", "E5"]


@needs_git
def test_file_that_did_not_exist_at_rev1_is_all_added(witness_case):
    root = witness_case.parent.parent
    git(root, "init", "-q")
    (root / "README.md").write_text("cases\n", encoding="utf-8")
    git(root, "add", "README.md")
    git(root, "commit", "-q", "-m", "readme")
    first = git(root, "rev-parse", "HEAD")
    commit(root, "case")
    _, _, changes = diff_file(witness_case, first, "HEAD")
    assert changes and {c.kind for c in changes} == {"added"}
    assert changes[0] == Change("added", "case", None, "", None,
                                "TEST-KHE-2024-007: Killing of two captured servicemen at a farm outbuilding")
    assert {c.section for c in changes} == {"case", "incident", "persons", "allegations", "evidence", "actions",
                                            "filings"}
    assert load_version(witness_case, first) is None


@needs_git
def test_file_deleted_in_the_working_tree_is_all_removed(repo, witness_case):
    witness_case.unlink()
    _, _, changes = diff_file(witness_case)
    assert changes and {c.kind for c in changes} == {"removed"}
    with pytest.raises(UsageError, match="no such case file"):
        diff_file(repo / "protected-witness" / "other.yaml")


@needs_git
@pytest.mark.parametrize("rev", ["nope", "HEAD~5", "--output=x", ""])
def test_unknown_revision(repo, witness_case, rev):
    with pytest.raises(UsageError) as info:
        diff_file(witness_case, rev)
    assert info.value.message == f"unknown revision '{rev}'"
    assert info.value.exit_code == 2
    with pytest.raises(UsageError, match="unknown revision"):
        diff_file(witness_case, "HEAD", rev)
    assert not (repo / "protected-witness" / "x").exists()


@needs_git
def test_repository_without_commits(witness_case):
    git(witness_case.parent, "init", "-q")
    with pytest.raises(UsageError) as info:
        diff_file(witness_case)
    assert info.value.message == "unknown revision 'HEAD'"
    assert "no commits" in info.value.hint


def test_revision_outside_git(witness_case, monkeypatch):

    # even if the temporary folder lies inside some repository, git must not look above it
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(witness_case.parent.parent))
    for revs in [("HEAD~1",), ()]:
        with pytest.raises(UsageError) as info:
            diff_file(witness_case, *revs)
        assert "not in a git repository" in info.value.message
        assert info.value.hint
    # without a revision the working tree needs no git
    assert load_version(witness_case, None).id == "TEST-KHE-2024-007"


def test_rev2_needs_rev1(witness_case):
    with pytest.raises(UsageError):
        diff_file(witness_case, None, "HEAD")


@needs_git
def test_invalid_version_at_a_revision(repo, witness_case):
    edit(witness_case, "kind: photo", "kind: foto")
    bad = commit(repo, "typo")
    edit(witness_case, "kind: foto", "kind: photo")
    with pytest.raises(CasefileError) as info:
        diff_file(witness_case)
    error = info.value
    assert not isinstance(error, UsageError) and error.exit_code == 1
    assert error.message.startswith("case.yaml at revision 'HEAD' is not a valid case file: "
                                    "HEAD:protected-witness/case.yaml:")
    assert "evidence[0].kind: 'foto' is not one of" in error.message
    with pytest.raises(CasefileError, match=f"revision '{bad[:8]}'"):
        diff_file(witness_case, bad[:8], "HEAD~1")
    assert "Traceback" not in error.format()


@needs_git
def test_unreadable_yaml_at_a_revision(repo, witness_case):
    witness_case.write_text("casefile: 1\nid: [unclosed\n", encoding="utf-8")
    commit(repo, "broken")
    with pytest.raises(CasefileError, match=r"at revision 'HEAD~0' is not a valid case file: HEAD~0:"):
        diff_file(witness_case, "HEAD~0", "HEAD~1")


def test_invalid_working_tree(witness_case):
    witness_case.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(CasefileError, match=r"in the working tree is not a valid case file: .*a YAML mapping"):
        load_version(witness_case, None)


# ---- output ---------------------------------------------------------------------------------
SMALL = [
    Change("added", "evidence", "E5", "", None, "Video of the soldiers leading the captives away"),
    Change("removed", "persons", "W2", "", "witness (protected)", None),
    Change("changed", "evidence", "E2", "verification.status", "unverified", "verified"),
    Change("changed", "case", None, "status", "review", "final"),
    Change("changed", "filings", "icc-otp", "reference", None, "OTP | 7"),
    Change("added", "actions", "actions[1]", "", None, "2024-03-22 Police: Opened a file"),
]


def test_text_output():
    assert format_text("HEAD", "working tree", SMALL) == """\
HEAD -> working tree
+ evidence E5: Video of the soldiers leading the captives away
- persons W2: witness (protected)
~ evidence E2 verification.status: unverified -> verified
~ case status: review -> final
~ filings icc-otp reference: (none) -> OTP | 7
+ actions[1]: 2024-03-22 Police: Opened a file
6 changes: 2 added, 1 removed, 3 changed
"""
    assert format_text("abc123", "HEAD", []) == "abc123 -> HEAD\nno changes\n"


def test_markdown_output():
    assert format_markdown("HEAD", "working tree", SMALL) == """\
### Case changes: `HEAD` → `working tree`

6 changes: 2 added, 1 removed, 3 changed.

#### Case

| Change | Item | Field | Old | New |
| --- | --- | --- | --- | --- |
| changed | — | `status` | `review` | `final` |

#### Persons

| Change | Item | Field | Old | New |
| --- | --- | --- | --- | --- |
| removed | `W2` | — | `witness (protected)` | — |

#### Evidence

| Change | Item | Field | Old | New |
| --- | --- | --- | --- | --- |
| added | `E5` | — | — | `Video of the soldiers leading the captives away` |
| changed | `E2` | `verification.status` | `unverified` | `verified` |

#### Actions

| Change | Item | Field | Old | New |
| --- | --- | --- | --- | --- |
| added | `actions[1]` | — | — | `2024-03-22 Police: Opened a file` |

#### Filings

| Change | Item | Field | Old | New |
| --- | --- | --- | --- | --- |
| changed | `icc-otp` | `reference` | — | `OTP \\| 7` |
"""
    assert format_markdown("HEAD", "working tree", []) == "### Case changes: `HEAD` → `working tree`\n\nNo changes.\n"


def test_markdown_cells_are_escaped():
    change = Change("changed", "case", None, "summary", "a|b\nc `x` @V1", "<b>x</b> | `")
    table_row = format_markdown("a", "b", [change]).splitlines()[-1]
    assert table_row == "| changed | — | `summary` | `` a\\|b c `x` @V1 `` | `` <b>x</b> \\| ` `` |"


def test_text_output_escapes_control_characters():
    change = Change("changed", "case", None, "title", "a\x1b[31mb", "c")
    assert "\x1b" not in format_text("a", "b", [change])


def test_witness_example_text(witness_case):
    changes = versions(witness_case, set_status)
    assert format_text("HEAD", "working tree", changes) == (
        "HEAD -> working tree\n"
        "~ evidence E2 verification.status: verified -> disputed\n"
        "1 change: 0 added, 0 removed, 1 changed\n")
