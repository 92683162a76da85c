"""Minimal edits of a user's YAML: change only the lines a command is asked to change.

A case file is reviewed in pull requests, so `casefile hash` must not re-serialise it:
comments, key order, quoting, blank lines, line endings and a BOM stay exactly as written.
Positions come from the loader; each edit replaces one digest in place or inserts one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casefile.case.loader import Document

_DIGEST_RE = re.compile(r"""(["']?)([0-9A-Fa-f]{64})\1""")


class EditError(Exception):
    pass


@dataclass(frozen=True)
class DigestEdit:
    index: int  # position of the evidence item in the list
    digest: str


def set_digests(raw: str, doc: Document, edits: list[DigestEdit]) -> str:
    """`raw` is the file's text as written (BOM, CRLF kept); returns it with the digests set."""
    lines = raw.splitlines(keepends=True)
    inserts: dict[int, list[str]] = {}  # after line index -> new lines
    for edit in edits:
        base = ("evidence", edit.index)
        if (*base, "sha256") in doc.value_marks:
            line, col = doc.value_marks[(*base, "sha256")]
            text = lines[line - 1]
            match = _DIGEST_RE.match(text, col - 1)
            if not match:
                raise EditError(f"cannot find the digest of evidence[{edit.index}] on line {line}")
            lines[line - 1] = text[:match.start(2)] + edit.digest + text[match.end(2):]
            continue
        if (*base, "file") not in doc.key_marks:
            raise EditError(f"evidence[{edit.index}] has no file")
        line, col = doc.key_marks[(*base, "file")]
        text = lines[line - 1]
        if _is_flow(text, col):
            lines[line - 1] = _insert_in_flow(text, doc.value_marks[(*base, "file")][1], edit.digest, line)
            continue
        newline = _newline_of(text)
        indent = text[: col - 1]
        indent = re.sub(r"[^ \t]", " ", indent)  # "  - file: x" -> the key's column, in spaces
        last = _last_line_of_value(lines, line - 1, col)
        inserts.setdefault(last, []).append(f"{indent}sha256: {edit.digest}{newline}")
    out: list[str] = []
    for i, text in enumerate(lines):
        if i in inserts and not text.endswith(("\n", "\r")):
            text += _newline_of(lines[0]) if lines else "\n"
        out.append(text)
        out.extend(inserts.get(i, []))
    return "".join(out)


def _newline_of(text: str) -> str:
    if text.endswith("\r\n"):
        return "\r\n"
    return "\n"


def _is_flow(text: str, col: int) -> bool:
    before = text[: col - 1].rstrip()
    return before.endswith(("{", ","))


def _insert_in_flow(text: str, value_col: int, digest: str, line: int) -> str:
    start = value_col - 1
    if text[start:start + 1] in ("'", '"'):
        quote = text[start]
        end = text.find(quote, start + 1)
        if end < 0:
            raise EditError(f"line {line}: cannot edit a quoted file name that spans lines")
        end += 1
    else:
        match = re.compile(r"[,}]").search(text, start)
        if not match:
            raise EditError(f"line {line}: cannot edit a flow mapping that spans lines; "
                            "write this evidence item in block style")
        end = match.start()
        while end > start and text[end - 1] in " \t":
            end -= 1
    return text[:end] + f", sha256: {digest}" + text[end:]


def _last_line_of_value(lines: list[str], index: int, key_col: int) -> int:
    """A `file:` value may continue on more-indented lines; insert after them."""
    last = index
    for j in range(index + 1, len(lines)):
        stripped = lines[j].strip()
        if not stripped:
            break
        indent = len(lines[j]) - len(lines[j].lstrip(" \t"))
        # deeper than the key, not a comment or a key: continuation of a multi-line plain or quoted scalar
        if indent >= key_col and not stripped.startswith("#") and not re.match(r"^[A-Za-z0-9_-]+\s*:", stripped):
            last = j
            continue
        break
    return last
