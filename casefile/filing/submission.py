"""Recording that a packet was sent (`casefile mark-submitted`), and checking a packet against
that record later.

The record goes into the case file itself, on the filing (`status: submitted`, `date:`, and a
`submission:` block with the SHA-256 of the packet's manifest.sha256 and the channel), as a
minimal edit: comments and layout stay as written. The manifest lists the SHA-256 of every file
of the packet, so its one digest pins down everything that was sent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any

from casefile.case.model import Case, Filing
from casefile.core.errors import CheckFailed, UsageError


@dataclass(frozen=True)
class Recorded:
    """What `mark_submitted` wrote."""

    body: str
    manifest_sha256: str
    date: str
    channel: str | None
    packet: str


def manifest_digest(packet: Path) -> str:
    manifest = packet / "manifest.sha256"
    try:
        return hashlib.sha256(manifest.read_bytes()).hexdigest()
    except OSError as exc:
        raise UsageError(f"{packet} is not a packet folder: cannot read {manifest.name} "
                         f"({exc.strerror or exc})") from None


def filing_index(case: Case, body: str) -> int:
    for index, filing in enumerate(case.filings):
        if filing.body == body:
            return index
    listed = ", ".join(f.body for f in case.filings) or "none"
    raise CheckFailed(f"the case has no filing for {body} (filings: {listed})",
                      f"add `- body: {body}` under filings: first")


def mark_submitted(case_path: str | Path, body: str, packet: str | Path, *, on: str | None = None,
                   channel: str | None = None) -> Recorded:
    """Record on the case's filing for `body` that the packet in folder `packet` was sent:
    status submitted, the date (`on`, default today), the channel, and the SHA-256 of the
    packet's manifest.sha256. Refuses a packet built for another case or body, and a filing
    that already has a submission recorded."""
    from casefile.case import edit
    from casefile.evidence.record import _parsed

    path, folder = Path(case_path), Path(packet)
    case, document = _parsed(path)
    index = filing_index(case, body)
    expected = f"{case.id}-{body}"
    if folder.name != expected:
        raise UsageError(f"{folder} is not the packet of {body} for {case.id} (its folder is named {expected})")
    digest = manifest_digest(folder)
    when = on or Date.today().isoformat()
    values = {"manifest_sha256": digest, "packet": expected}
    if channel:
        values["channel"] = edit.yaml_scalar(channel)
    before = case.filings[index].model_dump(exclude={"status", "date", "submission"})

    def reads_back(data: Any) -> bool:
        """The record is there, and nothing else of the filing changed."""
        filing = Filing.model_validate(data["filings"][index])
        return (filing.submission is not None and filing.submission.manifest_sha256 == digest
                and filing.status == "submitted" and str(filing.date) == when
                and filing.model_dump(exclude={"status", "date", "submission"}) == before)

    edit.rewrite(path, lambda raw: edit.set_filing(raw, document, index, {"status": "submitted", "date": when},
                                                   ("submission", values)), reads_back, "the submission record")
    return Recorded(body, digest, when, channel, expected)
