"""Problems found in input, and the exceptions that carry them to the command line.

A `Problem` is data: where (file, line, column, key path), how bad, what, and a hint.
Checks collect problems and never raise for bad input; the API raises one exception that
owns its exit code, and the CLI only prints it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal, TypedDict

Severity = Literal["error", "warning"]
Loc = tuple[str | int, ...]


def format_loc(loc: Loc) -> str:
    """`('incident', 'victims', 0, 'name')` -> `incident.victims[0].name`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# C0 and C1 controls (ESC and CSI start terminal escape sequences), line and paragraph
# separators, and the bidirectional controls (which make text read in another order than it is)
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(32), *range(0x7F, 0xA0))}
_CONTROL |= {c: f"\\u{c:04x}" for c in (0x2028, 0x2029, 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
                                        *range(0x2066, 0x206A))}
_CONTROL |= {ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r"}


def one_line(text: str) -> str:
    """Text as one line a terminal shows as written: every control character escaped."""
    return text.translate(_CONTROL)


def safe_lines(text: str) -> str:
    """Text for a terminal: its own line breaks kept, every other control character escaped."""
    return "\n".join(one_line(line) for line in text.split("\n"))


def github_escape(text: str, property: bool = False) -> str:
    """GitHub's escaping of workflow-command data (`%`, CR, LF) and, for a property value, also
    `:` and `,`; any other control character is shown escaped, as in `one_line`."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return one_line(text)


class ProblemDict(TypedDict):
    """A problem as JSON (`casefile validate --format json`)."""

    file: str | None
    line: int | None
    column: int | None
    severity: Severity
    path: str
    message: str
    hint: str | None


@dataclass(frozen=True)
class Problem:
    severity: Severity
    loc: Loc
    message: str
    hint: str | None = None
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    # (words, n): the problem is at the n-th occurrence (0-based) of these words inside the value
    # at `loc`; located there when the file is read (the words are never printed)
    span: tuple[str, int] | None = field(default=None, repr=False, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def at(self, file: str | None, line: int | None, column: int | None) -> Problem:
        return replace(self, file=file, line=line, column=column)

    def format(self) -> str:
        """One line: FILE:LINE:COL: severity: key.path: message (hint). Control characters
        from the input are escaped so that a problem is always exactly one line."""
        where = f"{self.file or '<input>'}:{self.line or 1}:{self.column or 1}"
        path = format_loc(self.loc)
        text = f"{where}: {self.severity}: "
        if path:
            text += f"{path}: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return one_line(text)

    def github(self) -> str:
        """One GitHub Actions workflow command that annotates the file at the problem:
        `::error file=F,line=L,col=C,title=casefile::KEY.PATH: message (hint)` (or `::warning`)."""
        path = format_loc(self.loc)
        text = (f"{path}: " if path else "") + self.message + (f" ({self.hint})" if self.hint else "")
        where = (f"file={github_escape(self.file or '<input>', True)},line={self.line or 1},"
                 f"col={self.column or 1},title=casefile")
        return f"::{self.severity} {where}::{github_escape(text)}"

    def as_dict(self) -> ProblemDict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "path": format_loc(self.loc),
            "message": self.message,
            "hint": self.hint,
        }


def error(loc: Loc, message: str, hint: str | None = None) -> Problem:
    return Problem("error", tuple(loc), message, hint)


def warning(loc: Loc, message: str, hint: str | None = None) -> Problem:
    return Problem("warning", tuple(loc), message, hint)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.column or 0, p.message))


class CasefileError(Exception):
    """Base of every error casefile reports to a user. Owns its exit code."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def format(self) -> str:
        text = f"error: {self.message}"
        if self.hint:
            text += f"\nhint: {self.hint}"
        return text


class InvalidCase(CasefileError):
    """A case file has errors; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sort_problems(problems)
        errors = [p for p in self.problems if p.is_error]
        super().__init__(f"{len(errors)} error(s) in case file")

    def format(self) -> str:
        return "\n".join(p.format() for p in self.problems)


class UsageError(CasefileError):
    """Wrong use of a command (exit 2), e.g. an output path outside what is allowed."""

    exit_code = 2


class CheckFailed(CasefileError):
    """A check on valid input failed (e.g. a digest mismatch)."""
