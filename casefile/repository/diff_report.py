"""A diff for review: two versions of a case file, read from the working tree or from git,
compared (`diff.diff_cases`) and shown as one line per change (text) or as a Markdown table
for a pull-request comment.

Versions come from the working tree or from git (`gitinfo.file_at`); a version that cannot be
read as a case raises `CasefileError` naming the revision, a bad revision `UsageError`.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from casefile.case.loader import Limits, LoadError, decode, load_file, load_text
from casefile.case.model import Case
from casefile.case.parse import parse_case
from casefile.core.errors import CasefileError, Problem, UsageError, format_loc, one_line
from casefile.repository import gitinfo
from casefile.repository.diff import NONE_TEXT, SECTION_TITLES, SECTIONS, WORKING_TREE, Change, diff_cases


# ------------------------------------------------------------------------------------------
# versions from the working tree and from git
# ------------------------------------------------------------------------------------------
def load_version(path: Path, rev: str | None) -> Case | None:
    """The case at `path` in the working tree (rev None) or at git revision `rev`; None when
    the file does not exist there. Only the structure is checked (what `parse_case` checks),
    so a work in progress with, say, a dangling reference can still be compared."""
    path = Path(path)
    if rev is None:
        if not path.exists():
            return None
        where = f"{path} in the working tree"
        try:
            document = load_file(path)
        except LoadError as exc:
            raise _invalid(where, exc.problems, f"run `casefile validate {path}` to see every problem") from None
        except OSError as exc:
            raise CasefileError(f"cannot read {path}: {exc.strerror or exc}") from None
    else:
        _check_rev(path, rev)
        raw = gitinfo.file_at(path, rev)
        if raw is None:
            return None
        shown = f"{rev}:{_relative(path)}"
        where = f"{path.name} at revision '{rev}'"
        limit = Limits().max_file_bytes
        if len(raw) > limit:
            raise CasefileError(f"{where} is {len(raw):,} bytes, more than the limit of {limit:,}")
        try:
            document = load_text(decode(raw, shown), Path(shown))
        except LoadError as exc:
            raise _invalid(where, exc.problems, _rev_hint(rev)) from None
    case, problems = parse_case(document)
    if case is None:
        hint = _rev_hint(rev) if rev is not None else f"run `casefile validate {path}` to see every problem"
        raise _invalid(where, problems, hint)
    return case


def _invalid(where: str, problems: list[Problem], hint: str) -> CasefileError:
    errors = [p for p in problems if p.is_error] or problems
    if not errors:
        return CasefileError(f"{where} is not a valid case file", hint)
    first = errors[0]
    place = f"{first.file or '<input>'}:{first.line or 1}:{first.column or 1}"
    path = format_loc(first.loc)
    text = f"{where} is not a valid case file: {place}: " + (f"{path}: " if path else "") + first.message
    if first.hint:
        text += f" ({first.hint})"
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more error(s))"
    return CasefileError(one_line(text), hint)


def _rev_hint(rev: str) -> str:
    return f"compare with another revision, or see the file with `git show {rev}:PATH`"


def _relative(path: Path) -> str:
    resolved = path.resolve()
    top = gitinfo.toplevel(resolved.parent)
    if top is not None:
        try:
            return resolved.relative_to(top.resolve()).as_posix()
        except ValueError:
            pass
    return path.name


def _check_rev(path: Path, rev: str) -> None:
    shown = one_line(rev)
    if not rev or rev.startswith("-") or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in rev):
        raise UsageError(f"unknown revision '{shown}'", "give a commit, branch or tag, e.g. HEAD~1 or main")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise UsageError(f"{path}: no such folder")
    if gitinfo.toplevel(folder) is None:
        raise UsageError(f"cannot read revision '{shown}': {path} is not in a git repository",
                         "revisions need the case file inside a git work tree (and git installed); "
                         "without git, compare two files by hand")
    if not gitinfo.rev_exists(folder, rev):
        hint = "give a commit, branch or tag, e.g. HEAD~1 or main"
        if gitinfo.head(folder) is None:
            hint = "the repository has no commits yet"
        raise UsageError(f"unknown revision '{shown}'", hint)


def diff_file(path: Path, rev1: str | None = None, rev2: str | None = None) -> tuple[str, str, list[Change]]:
    """`casefile diff CASE [REV1 [REV2]]`: HEAD (or REV1) against the working tree (or REV2).
    Returns (old_label, new_label, changes)."""
    path = Path(path)
    if rev1 is None and rev2 is not None:
        raise UsageError("give REV1 before REV2")
    old_rev = "HEAD" if rev1 is None else rev1
    _check_rev(path, old_rev)
    if rev2 is not None:
        _check_rev(path, rev2)
    old = load_version(path, old_rev)
    new = load_version(path, rev2)
    old_label, new_label = old_rev, WORKING_TREE if rev2 is None else rev2
    if old is None and new is None:
        where = "in the working tree" if rev2 is None else f"at revision '{one_line(rev2)}'"
        raise UsageError(f"{path}: no such case file {where} nor at revision '{one_line(old_rev)}'")
    return old_label, new_label, diff_cases(old, new)


# ------------------------------------------------------------------------------------------
# output
# ------------------------------------------------------------------------------------------
_SIGNS = {"added": "+", "removed": "-", "changed": "~"}


def _counts(changes: list[Change]) -> str:
    count = Counter(c.kind for c in changes)
    total = len(changes)
    return (f"{total} change{'' if total == 1 else 's'}: {count['added']} added, "
            f"{count['removed']} removed, {count['changed']} changed")


def _subject(change: Change) -> str:
    text = change.section
    if change.id and change.id.startswith(f"{change.section}["):
        text = change.id  # actions[2], not "actions actions[2]"
    elif change.id:
        text += f" {change.id}"
    if change.path:
        text += f" {change.path}"
    return text


def format_text(old_label: str, new_label: str, changes: list[Change]) -> str:
    """One line per change: `+ evidence E5: title`, `- persons W2: witness (protected)`,
    `~ evidence E2 verification.status: unverified -> verified`; a count line at the end."""
    lines = [f"{old_label} -> {new_label}"]
    for change in changes:
        sign = _SIGNS.get(change.kind, "?")
        if change.kind == "changed":
            lines.append(f"{sign} {_subject(change)}: {change.old if change.old is not None else NONE_TEXT}"
                         f" -> {change.new if change.new is not None else NONE_TEXT}")
        else:
            value = change.new if change.kind == "added" else change.old
            lines.append(f"{sign} {_subject(change)}" + (f": {value}" if value else ""))
    lines.append(_counts(changes) if changes else "no changes")
    return "\n".join(one_line(line) for line in lines) + "\n"


def _cell(text: str | None, code: bool = True) -> str:
    if text is None or text == "":
        return "—"
    text = one_line(" ".join(str(text).split()))
    if code:
        # a code span: nothing in a case (@V1 mentions, #numbers, links, HTML) becomes markup
        run = max((len(r) for r in re.findall(r"`+", text)), default=0)
        fence = "`" * (run + 1)
        text = f"{fence} {text} {fence}" if run else f"`{text}`"
    return text.replace("|", "\\|")


def format_markdown(old_label: str, new_label: str, changes: list[Change]) -> str:
    """For a pull-request comment: a heading, the counts, one table per changed section."""
    out = [f"### Case changes: {_cell(old_label)} → {_cell(new_label)}", ""]
    if not changes:
        out.append("No changes.")
        return "\n".join(out) + "\n"
    out += [_counts(changes) + ".", ""]
    order = {name: i for i, name in enumerate(SECTIONS)}
    sections = sorted({c.section for c in changes}, key=lambda s: (order.get(s, len(order)), s))
    for section in sections:
        out += [f"#### {SECTION_TITLES.get(section, _cell(section, code=False))}", "",
                "| Change | Item | Field | Old | New |", "| --- | --- | --- | --- | --- |"]
        for c in changes:
            if c.section == section:
                out.append(f"| {c.kind} | {_cell(c.id)} | {_cell(c.path)} | {_cell(c.old)} | {_cell(c.new)} |")
        out.append("")
    return "\n".join(out)
