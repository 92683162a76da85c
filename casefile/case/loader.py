"""Read a YAML case file into plain data, keeping the line and column of every node.

The tree is built from the parser's event stream (libyaml when available), not from PyYAML's
constructor, for four reasons:
- positions: every key and value keeps where it was written, so any later problem is located;
- strictness: duplicate keys are errors, not a silent "last one wins";
- typing: YAML 1.1 implicit typing (`no` -> False, `0777` -> 511, `2025-01-30` -> date,
  `1:30` -> 90) would silently change meaning. Plain scalars stay text, except `null`/`~`/empty
  and `true`/`false`; the typed model converts text to numbers and dates where the format says so;
- safety: no tags are constructed, nesting depth and alias expansion are bounded, so a
  "billion laughs" file fails fast without using memory.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, NoReturn, Protocol, TypeAlias

import yaml

from casefile.core.errors import Loc, Problem, error

try:  # libyaml is ~10x faster; both give the same events and marks
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

# The tree a case file is read into: plain text (the model types it), booleans, null, lists, mappings
Scalar: TypeAlias = str | bool | None
Node: TypeAlias = "Scalar | dict[str, Node] | list[Node]"
Container: TypeAlias = "dict[str, Node] | list[Node]"

# Limits: generous for real cases (a case with 10,000 evidence items is ~5 MB, ~400k nodes).
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 2_000_000  # counting every node an alias expands to

_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null", "timestamp")}
_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "!",
}


@dataclass
class Limits:
    max_file_bytes: int = MAX_FILE_BYTES
    max_depth: int = MAX_DEPTH
    max_nodes: int = MAX_NODES


@dataclass
class Document:
    """A loaded YAML document: the data and where each part of it was written."""

    path: Path
    text: str
    data: Any
    raw: bytes | None = None  # the file's bytes as read (for sealing the exact case file)
    # (line, column), both 1-based, of each value and of each mapping key
    value_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    @property
    def display_path(self) -> str:
        return str(self.path)

    def mark(self, loc: Loc, prefer_key: bool = False) -> tuple[int, int]:
        """Position for a key path; falls back to the nearest enclosing node."""
        loc = tuple(loc)
        while True:
            if prefer_key and loc in self.key_marks:
                return self.key_marks[loc]
            if loc in self.value_marks:
                return self.value_marks[loc]
            if loc in self.key_marks:
                return self.key_marks[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]
            prefer_key = False

    def locate(self, problem: Problem, prefer_key: bool = False) -> Problem:
        line, column = self.mark(problem.loc, prefer_key)
        if problem.span is not None:
            line, column = self._find(line, column, *problem.span)
        return problem.at(self.display_path, line, column)

    def _find(self, line: int, column: int, words: str, occurrence: int) -> tuple[int, int]:
        """The position of the `occurrence`-th `words` after (line, column): where inside a
        (possibly multi-line) value a problem is. Escapes in a quoted value can hide it; then
        the value's own position is kept."""
        lines = self.text.split("\n")
        if not words or line > len(lines):
            return line, column
        offset = sum(len(text) + 1 for text in lines[:line - 1]) + column - 1
        for _ in range(occurrence + 1):
            found = self.text.find(words, offset)
            if found < 0:
                return line, column
            offset = found + 1
        found = offset - 1
        start_of_line = self.text.rfind("\n", 0, found) + 1
        return self.text.count("\n", 0, found) + 1, found - start_of_line + 1


class LoadError(Exception):
    """The file could not be read as one YAML document; carries located problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].format() if problems else "load error")
        self.problems = problems


def read_text(path: Path, limits: Limits | None = None) -> str:
    """Read a case file as UTF-8 text (BOM allowed, CRLF normalised)."""
    return decode(_read_bytes(path, limits or Limits()), str(path))


def _read_bytes(path: Path, limits: Limits) -> bytes:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise LoadError([
            error((), f"file is {size:,} bytes, more than the limit of {limits.max_file_bytes:,}",
                  "raise the limit with --max-file-size (megabytes) if this is really one case").at(str(path), 1, 1)
        ])
    with open(path, "rb") as fh:
        raw = fh.read(limits.max_file_bytes + 1)  # the file may have grown since stat()
    if len(raw) > limits.max_file_bytes:
        raise LoadError([error((), f"file is more than the limit of {limits.max_file_bytes:,} bytes")
                         .at(str(path), 1, 1)])
    return raw


def decode(raw: bytes, shown: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError([error((), "file is UTF-16; case files must be UTF-8",
                               "re-save the file as UTF-8").at(shown, 1, 1)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        bad = raw[exc.start: exc.start + 1].hex()
        raise LoadError([error((), f"not valid UTF-8 at byte offset {exc.start} (byte 0x{bad})",
                               "re-save the file as UTF-8").at(shown, line, column)]) from None
    if "\x00" in text:
        offset = raw.index(b"\x00")
        before = raw[:offset]
        line = before.count(b"\n") + 1
        raise LoadError([error((), f"file contains a NUL byte at byte offset {offset}; "
                               "it looks like a binary file, not YAML").at(shown, line, 1)])
    return text.replace("\r\n", "\n")


def load_file(path: Path, limits: Limits | None = None) -> Document:
    limits = limits or Limits()
    raw = _read_bytes(path, limits)
    document = load_text(decode(raw, str(path)), path, limits)
    document.raw = raw
    return document


def load_text(text: str, path: Path, limits: Limits | None = None) -> Document:
    builder = _Builder(path, text, limits or Limits())
    return builder.build()


class _NoKey(enum.Enum):
    """The key of a mapping frame before its next key is read."""

    NO_KEY = enum.auto()


_NO_KEY: Final = _NoKey.NO_KEY


class _Mark(Protocol):
    """Where an event starts, 0-based (PyYAML's `Mark` or libyaml's)."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


def _position(mark: _Mark | None) -> tuple[int, int]:
    """(line, column), 1-based; (1, 1) when the parser gave no mark."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


class _Frame:
    __slots__ = ("anchor", "container", "discard", "key", "key_mark", "loc", "seen", "size")

    def __init__(self, container: Container, loc: Loc | None, anchor: str | None):
        self.container = container
        self.loc = loc
        self.key: str | _NoKey = _NO_KEY
        self.key_mark: _Mark | None = None
        self.discard = 0  # >0 while skipping the value of a duplicate key
        self.anchor = anchor
        self.size = 1
        self.seen: dict[str, int] = {}


class _Stop(Exception):
    pass


class _Builder:
    def __init__(self, path: Path, text: str, limits: Limits):
        self.path = path
        self.shown = str(path)
        self.text = text
        self.limits = limits
        self.doc = Document(path=path, text=text, data=None)
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[Node, int]] = {}
        self.nodes = 0

    # -- problems ---------------------------------------------------------------------------
    def _problem(self, mark: _Mark | None, loc: Loc, message: str, hint: str | None = None) -> Problem:
        line, column = _position(mark)
        problem = error(loc, message, hint).at(self.shown, line, column)
        self.problems.append(problem)
        return problem

    def _fatal(self, mark: _Mark | None, loc: Loc, message: str, hint: str | None = None) -> NoReturn:
        self._problem(mark, loc, message, hint)
        raise _Stop()

    # -- building ---------------------------------------------------------------------------
    def build(self) -> Document:
        loader = _EventLoader(self.text)
        try:
            self._run(loader)
        except _Stop:
            pass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            message = " ".join(x for x in (exc.context, exc.problem) if x) or "invalid YAML"
            self._problem(mark, (), f"YAML syntax: {message}")
        except yaml.YAMLError as exc:  # ReaderError and friends
            mark = None
            position = getattr(exc, "position", None)
            if position is not None:
                before = self.text[:position]
                mark = yaml.Mark("", position, before.count("\n"),
                                 position - (before.rfind("\n") + 1), None, position)
            self._problem(mark, (), f"YAML: {_one_line(str(exc))}")
        finally:
            loader.dispose()
        if self.problems:
            raise LoadError(self.problems)
        return self.doc

    def _run(self, loader: _EventLoader) -> None:
        stack: list[_Frame] = []
        documents = 0
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self._fatal(event.start_mark, (),
                                "a case file holds one YAML document; found a second one",
                                "remove the '---' line or split the file")
            elif isinstance(event, yaml.CollectionEndEvent):  # the end of a mapping or sequence
                frame = stack.pop()
                if frame.anchor:
                    self.anchors[frame.anchor] = (frame.container, frame.size)
                if stack:
                    self._attach(stack, frame.container, frame.size, event.start_mark, None)
                else:
                    self.doc.data = frame.container
            elif isinstance(event, yaml.NodeEvent):  # a scalar, an alias, or the start of a collection
                self._node(stack, event)
            # the start and end of the stream, the end of the document: nothing to build

    def _node(self, stack: list[_Frame], event: yaml.NodeEvent) -> None:
        loc = self._child_loc(stack, event)
        if isinstance(event, yaml.AliasEvent):
            if event.anchor is None or event.anchor not in self.anchors:
                self._fatal(event.start_mark, loc or (), f"unknown alias '*{event.anchor}'",
                            "define the anchor with '&name' before using it")
            value, size = self.anchors[event.anchor]
            self._count(size, event.start_mark, loc)
            self._place(stack, value, size, event.start_mark, loc)
            if not stack:
                self.doc.data = value
            return
        self._check_tag(event, loc)
        if isinstance(event, yaml.ScalarEvent):
            scalar = _scalar(event)
            self._count(1, event.start_mark, loc)
            if event.anchor:
                self.anchors[event.anchor] = (scalar, 1)
            self._place(stack, scalar, 1, event.start_mark, loc)
            if not stack:
                self.doc.data = scalar
            return
        # collection start
        if len(stack) >= self.limits.max_depth:
            self._fatal(event.start_mark, (),
                        f"nesting deeper than {self.limits.max_depth} levels")
        self._count(1, event.start_mark, loc)
        container: Container = {} if isinstance(event, yaml.MappingStartEvent) else []
        if stack and stack[-1].key is _NO_KEY and isinstance(stack[-1].container, dict):
            self._fatal(event.start_mark, loc or (),
                        "a mapping key must be plain text, not a list or mapping")
        if loc is not None:
            self.doc.value_marks[loc] = _position(event.start_mark)
        frame = _Frame(container, loc, event.anchor)
        if stack and stack[-1].discard:
            frame.discard = 1
        stack.append(frame)

    def _check_tag(self, event: yaml.NodeEvent, loc: Loc | None) -> None:
        tag: str | None = getattr(event, "tag", None)
        if tag is None or tag in _CORE_TAGS:
            return
        if isinstance(event, yaml.ScalarEvent) and tag in _SCALAR_TAGS:
            return  # !!int, !!bool etc.: the value is still read as text and typed by the model
        self._problem(event.start_mark, loc or (), f"YAML tag '{tag}' is not allowed in a case file",
                      "remove the tag; casefile never constructs objects from tags")

    def _count(self, size: int, mark: _Mark | None, loc: Loc | None) -> None:
        self.nodes += size
        if self.nodes > self.limits.max_nodes:
            self._fatal(mark, loc or (),
                        f"document expands to more than {self.limits.max_nodes:,} nodes "
                        "(aliases repeating large parts?)",
                        "a case file does not need aliases that expand this far")

    def _child_loc(self, stack: list[_Frame], event: yaml.NodeEvent) -> Loc | None:
        """Key path of the node this event starts; None for a mapping key itself."""
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.container, list):
            return (*top.loc, len(top.container)) if top.loc is not None else None
        if top.key is _NO_KEY or top.discard:
            return None  # this node is a key, or the value of a duplicate key
        return (*top.loc, top.key) if top.loc is not None else None

    def _place(self, stack: list[_Frame], value: Node, size: int, mark: _Mark | None, loc: Loc | None) -> None:
        if not stack:
            return
        self._attach(stack, value, size, mark, loc)

    def _attach(self, stack: list[_Frame], value: Node, size: int, mark: _Mark | None, loc: Loc | None) -> None:
        top = stack[-1]
        top.size += size
        if isinstance(top.container, list):
            if loc is not None and not isinstance(value, (dict, list)):
                self.doc.value_marks[loc] = _position(mark)
            top.container.append(value)
            return
        if top.key is _NO_KEY:  # value is a key
            if isinstance(value, (dict, list)):
                self._fatal(mark, top.loc or (), "a mapping key must be plain text")
            key = "" if value is None else str(value) if not isinstance(value, bool) else (
                "true" if value else "false")
            key_loc = (*top.loc, key) if top.loc is not None else None
            if key in top.seen:
                first = top.seen[key]
                self._problem(mark, key_loc or (), f"duplicate key '{key}' (first written on line {first})",
                              "remove one of them; YAML would silently keep only the last")
                top.key = key
                top.discard = 2
            else:
                top.seen[key] = _position(mark)[0]
                top.key = key
                if key_loc is not None:
                    self.doc.key_marks[key_loc] = _position(mark)
            return
        # value for the pending key
        key = top.key
        if top.discard:
            top.discard = 0
        else:
            if loc is not None and not isinstance(value, (dict, list)):
                self.doc.value_marks[loc] = _position(mark)
            top.container[key] = value
        top.key = _NO_KEY


def _scalar(event: yaml.ScalarEvent) -> Scalar:
    value = event.value
    plain = not event.style  # '' from libyaml, None from the pure-Python parser
    if event.tag == "tag:yaml.org,2002:str" or not plain:
        return value
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return value


def _one_line(text: str) -> str:
    return " ".join(text.split())
