"""Recording and checking the digests of a case's evidence files (`hash`, `verify`).

Both read every byte of every file: they are what every later check compares with, so no
cache is consulted. `hash` edits only the digest lines of the case file (comments, quoting,
line ends kept) and checks that the edited file reads back with the new digests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.case.loader import Document, Limits, LoadError, load_file
from casefile.case.model import Case
from casefile.case.parse import parse_case
from casefile.core.errors import InvalidCase
from casefile.core.paths import refusal, resolve_inside

if TYPE_CHECKING:
    from casefile.evidence.integrity import ItemCheck


@dataclass
class HashReport:
    path: Path
    lines: list[str]
    recorded: list[str] = field(default_factory=list)  # ids whose digest was added or changed
    conflicts: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.missing


def _parsed(path: Path, limits: Limits | None = None) -> tuple[Case, Document]:
    """A case whose structure is valid (cross-field problems do not stop integrity commands)."""
    try:
        document = load_file(path, limits)
    except LoadError as exc:
        raise InvalidCase(exc.problems) from None
    case, problems = parse_case(document)
    if case is None:
        raise InvalidCase(problems)
    return case, document


def hash_case(path: str | Path, *, update: bool = False, use_cache: bool = True) -> HashReport:
    """Record the SHA-256 of every evidence file in the case file, editing only digest lines.

    A recorded digest that differs from the file is not overwritten unless `update`; then the
    file is left untouched and the conflicts are reported.
    """
    from casefile.case import edit
    from casefile.evidence import integrity

    path = Path(path)
    case, document = _parsed(path)
    root = path.parent
    # the digests recorded here are what every later check compares with: read from the bytes
    actual = integrity.digests(root, [e.file for e in case.evidence
                                      if e.file and resolve_inside(root, e.file)], use_cache=False)
    report = HashReport(path, [])
    edits: list[edit.DigestEdit] = []
    for index, item in enumerate(case.evidence):
        if not item.file:
            continue
        refused = refusal(root, item.file)
        if refused is not None:
            report.lines.append(f"{item.id}: REFUSED {item.file}: {refused}")
            report.missing.append(item.id)
            continue
        digest = actual.get(item.file)
        if digest is None:
            report.lines.append(f"{item.id}: MISSING file {item.file}")
            report.missing.append(item.id)
        elif item.sha256 == digest:
            report.lines.append(f"{item.id}: unchanged {digest}")
        elif item.sha256 is None:
            report.lines.append(f"{item.id}: recorded {digest}")
            report.recorded.append(item.id)
            edits.append(edit.DigestEdit(index, digest))
        elif update:
            report.lines.append(f"{item.id}: UPDATED {item.sha256} -> {digest}")
            report.recorded.append(item.id)
            edits.append(edit.DigestEdit(index, digest))
        else:
            report.lines.append(f"{item.id}: CONFLICT {item.file}: recorded {item.sha256}, file has {digest} "
                                "(use --update to replace the recorded digest)")
            report.conflicts.append(item.id)
    if edits and not report.conflicts:
        # the edit must leave a file that reads back with the new digests
        recorded = {i.index: i.digest for i in edits}
        edit.rewrite(path, lambda raw: edit.set_digests(raw, document, edits),
                     lambda data: all(item.get("sha256") == recorded[index]
                                      for index, item in enumerate(data.get("evidence", [])) if index in recorded),
                     "the digest edit")
    elif edits:
        report.recorded.clear()
    return report


def verify_case(path: str | Path, *, use_cache: bool = False) -> list[ItemCheck]:
    """Re-hash every evidence file: a list of `integrity.ItemCheck` (ok, mismatch, missing, ...).
    The audit command reads every byte: no cache is consulted (`use_cache` is kept for callers
    and ignored)."""
    from casefile.evidence import integrity

    path = Path(path)
    case, _ = _parsed(path)
    return integrity.check_evidence(case, path.parent, use_cache=False)
