"""Minimal edits of a user's YAML: change only the lines a command is asked to change.

A case file is reviewed in pull requests, so `casefile hash` must not re-serialise it:
comments, key order, quoting, blank lines, line endings and a BOM stay exactly as written.
Positions come from the loader; each edit replaces one digest in place or inserts one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def set_filing(raw: str, doc: Document, index: int, scalars: dict[str, str],
               mapping: tuple[str, dict[str, str]] | None = None) -> str:
    """`raw` with `filings[index]` changed: each of `scalars` replaced where it is written as a
    one-line plain or quoted scalar, or added as a line of the filing; `mapping` (a key and its
    scalars) added as a nested block. The filing must be written in block style."""
    lines = raw.splitlines(keepends=True)
    base = ("filings", index)
    if base not in doc.value_marks:
        raise EditError(f"filings[{index}] not found")
    first_key = min((mark for loc, mark in doc.key_marks.items() if loc[:2] == base and len(loc) == 3),
                    default=None)
    if first_key is None or _is_flow(lines[first_key[0] - 1], first_key[1]):
        raise EditError(f"filings[{index}] is written in flow style ({{...}}); write it in block style")
    indent = " " * (first_key[1] - 1)
    newline = _newline_of(lines[first_key[0] - 1])
    added: list[str] = []
    for key, value in scalars.items():
        if (*base, key) in doc.value_marks:
            line, col = doc.value_marks[(*base, key)]
            text = lines[line - 1]
            match = re.compile(r"""("[^"\n]*"|'[^'\n]*'|[^\s#][^#\n]*?)(\s*(#.*)?)$""").match(text.rstrip("\r\n"),
                                                                                          col - 1)
            if not match:
                raise EditError(f"line {line}: cannot replace the value of {key}")
            lines[line - 1] = text[:match.start(1)] + value + text[match.end(1):]
        else:
            added.append(f"{indent}{key}: {value}{newline}")
    if mapping is not None:
        key, values = mapping
        if (*base, key) in doc.value_marks:
            raise EditError(f"filings[{index}].{key} is already recorded; change it by hand if it must change")
        added.append(f"{indent}{key}:{newline}")
        added += [f"{indent}  {k}: {v}{newline}" for k, v in values.items()]
    if added:
        last = _last_line_of_mapping(lines, first_key[0] - 1, first_key[1])
        if not lines[last].endswith(("\n", "\r")):
            lines[last] += newline
        lines[last + 1:last + 1] = added
    return "".join(lines)


def _last_line_of_mapping(lines: list[str], first: int, key_col: int) -> int:
    """The last line of the block mapping whose first key is on line index `first` at column
    `key_col`: every following line indented at least as far (or blank, or a comment) belongs to
    it; trailing blank lines and comments do not."""
    last = first
    for j in range(first + 1, len(lines)):
        stripped = lines[j].strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(lines[j]) - len(lines[j].lstrip(" \t"))
        if indent < key_col - 1 or (indent == key_col - 1 and stripped.startswith("- ")):
            break
        last = j
    return last


def append_victims(raw: str, doc: Document, entries: Callable[[str, str], list[str]]) -> str:
    """`raw` with entries added at the end of `incident.victims` (a block sequence), or with a
    `victims:` key added to `incident`; `entries(indent, newline)` gives their lines."""
    lines = raw.splitlines(keepends=True)
    if ("incident",) not in doc.key_marks:
        raise EditError("the case has no incident")
    items = sorted(mark for loc, mark in doc.key_marks.items()
                   if len(loc) == 4 and loc[:2] == ("incident", "victims") and loc[3] == "id")
    if items:
        line, col = items[-1]
        if _is_flow(lines[line - 1], col) or not lines[line - 1][:col - 1].rstrip().endswith("-"):
            raise EditError("incident.victims is written in flow style; write it in block style "
                            "(one '- id: …' entry per line) to import into it")
        dash = lines[line - 1].index("-", len(lines[line - 1]) - len(lines[line - 1].lstrip(" ")))
        indent = " " * dash
        newline = _newline_of(lines[line - 1])
        last = _last_line_of_mapping(lines, line - 1, col)
    elif ("incident", "victims") in doc.key_marks:
        raise EditError("incident.victims is written in flow style ([]); write it as a block to import into it")
    else:
        first = min((mark for loc, mark in doc.key_marks.items() if len(loc) == 2 and loc[0] == "incident"),
                    default=None)
        if first is None or _is_flow(lines[first[0] - 1], first[1]):
            raise EditError("incident is written in flow style; write it in block style to import into it")
        key_indent = " " * (first[1] - 1)
        newline = _newline_of(lines[first[0] - 1])
        last = _last_line_of_mapping(lines, first[0] - 1, first[1])
        indent = key_indent + "  "
        lines.insert(last + 1, f"{key_indent}victims:{newline}")
        last += 1
    if not lines[last].endswith(("\n", "\r")):
        lines[last] += newline
    lines[last + 1:last + 1] = entries(indent, newline)
    return "".join(lines)


def yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when it cannot be read as anything else, else double-quoted."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._/@+()-]*", value) and not value.endswith(" ") \
            and value.lower() not in ("yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"):
        return value
    import json

    return json.dumps(value, ensure_ascii=False)


def yaml_flow(value: Any, scalar: Callable[[Any], str] | None = None) -> str:
    """`value` as YAML flow text: mappings and lists in flow style, booleans and null as YAML
    writes them, any other value through `scalar` (default: `yaml_scalar`, which quotes
    whatever could read as something else, commas and brackets included, so it is safe inside
    a flow collection)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_flow(k, scalar)}: {yaml_flow(v, scalar)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_flow(v, scalar) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return scalar(value) if scalar is not None else yaml_scalar(str(value))


BOM = b"\xef\xbb\xbf"


def rewrite(path: Path, change: Callable[[str], str], reads_back: Callable[[Any], bool], what: str) -> None:
    """Apply a minimal edit to a case file in place: `change` takes the text as written (CRLF
    kept, without a UTF-8 BOM, which is put back) and returns the edited text; `reads_back`
    gets the edited file's data as the loader reads it and must confirm the edit (`what` names
    it in the error). Nothing is written unless both succeed, and then atomically."""
    from casefile.case import loader
    from casefile.core.errors import CasefileError
    from casefile.core.output import write_atomic

    data = path.read_bytes()
    bom = BOM if data.startswith(BOM) else b""
    try:
        new = change(data[len(bom):].decode("utf-8"))
    except EditError as exc:
        raise CasefileError(f"{path}: {exc}") from None
    if not reads_back(loader.load_text(new.replace("\r\n", "\n"), path).data):
        raise CasefileError(f"{path}: internal error: {what} did not read back")
    write_atomic(path, bom + new.encode("utf-8"))
