"""The seal of a dossier: the text of its `manifest.sha256` attachment, whose digest the cover prints.

It is `sha256sum` text, so `sha256sum -c manifest.sha256` checks the files beside it, with
comment lines (which sha256sum skips) for what it cannot check but `casefile verify-dossier`
does:

    # casefile seal: UA-DON-2025-001
    # case-file: 3f1c…  case.yaml        the case file attached to the PDF (internal editions)
    # left-out: E3                       an evidence item this packet does not carry
    9a0b…  evidence/E1-video.mp4         every file the dossier vouches for, by path

Every line is covered by the digest on the cover, so a case file swapped inside the PDF, or a
file left out without saying so, no longer matches. A seal with no file is still a seal: an
empty evidence list gives a dossier that verifies.
"""

from __future__ import annotations

from dataclasses import dataclass

# a signed packet's detached CMS signature of its manifest.sha256, beside it
MANIFEST_SIGNATURE = "manifest.sha256.p7s"
HEADER = "# casefile seal: "
CASE_FILE = "# case-file: "
LEFT_OUT = "# left-out: "
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class Seal:
    """What a dossier vouches for. `files`: (path, sha256) of each file, relative to the folder
    the dossier is read in (the case folder, or the packet folder for a packet's dossier);
    `case_file`: (attachment name, sha256) of the case file the PDF carries; `left_out`: ids of
    evidence items a packet does not carry."""

    case_id: str
    files: tuple[tuple[str, str], ...] = ()
    case_file: tuple[str, str] | None = None
    left_out: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        lines = [HEADER + _one_line(self.case_id)]
        if self.case_file:
            lines.append(f"{CASE_FILE}{self.case_file[1]}  {_one_line(self.case_file[0])}")
        lines += [LEFT_OUT + _one_line(ident) for ident in self.left_out]
        lines += [f"{digest}  {path}" for path, digest in sorted(set(self.files))]
        return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _digest_line(line: str, number: int) -> tuple[str, str]:
    digest, sep, path = line.partition("  ")
    if not sep or len(digest) != 64 or not set(digest) <= _HEX or not path:
        raise ValueError(f"manifest line {number} is not '<sha256>  <path>'")
    return path, digest


def parse_seal(text: str) -> Seal:
    """The seal a manifest text records; raises ValueError on a line that is neither a
    comment nor '<sha256>  <path>'. A manifest of an older casefile (no comment lines) reads as
    a seal of its files alone."""
    case_id, case_file, left_out, files = "", None, [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(HEADER):
            case_id = line.removeprefix(HEADER)
        elif line.startswith(CASE_FILE):
            name, digest = _digest_line(line.removeprefix(CASE_FILE), number)
            case_file = (name, digest)
        elif line.startswith(LEFT_OUT):
            left_out.append(line.removeprefix(LEFT_OUT))
        elif line.startswith("#") or not line.strip():
            continue
        else:
            files.append(_digest_line(line, number))
    return Seal(case_id, tuple(files), case_file, tuple(left_out))
