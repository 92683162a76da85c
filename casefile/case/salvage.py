"""A case that failed validation, salvaged so that the checks across fields still run.

Before this, a file with one misspelt key showed that error alone; its dangling evidence id,
its custody out of order or a protected name spelled out in its summary appeared only once the
key was fixed. Now every error of the file is reported in one run.

How: a copy of the loaded data is repaired until the model accepts it, one edit per
structural error, and the cross-field checks run on that copy. The edits, in the order tried:

- an unknown key is dropped;
- an error inside an element of a list, or an entry of a mapping of the user's own keys
  (a proof chart), drops the innermost such element;
- an error in an optional field drops the field;
- an error in a required field replaces its value by the field's first documented example.

A problem the checks then find is reported only when no edit can have caused it: it is an
error (the warnings wait for a file that validates), it is not inside what an edit touched
(the whole list element, from its first index, e.g. `evidence[3]` for an edit in
`evidence[3].custody[1]`), it is not about a part that holds an edit (`evidence` itself, once
one of its items is dropped: "no evidence"), and it names no id that an edit removed, put in,
or edited inside (W1, for an edit in W1's consent: a filing that discloses W1 is judged by it).
When an edit removed an item whose id could not be read, no "unknown id" problem is reported:
it may be that id. The positions of the problems are in the file's own indices, not the
repaired copy's. When the repairs do not lead to a valid copy within a few rounds, nothing
more is reported than before. The repaired case is only checked, never rendered.
"""

from __future__ import annotations

import copy
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from casefile.case.model import Case
from casefile.case.parse import ErrorDetails, field_at, type_at, validate_data
from casefile.core.errors import Loc, Problem

# the checks' messages about a reference to an id that is defined nowhere (case/checks.py,
# protection/checks.py)
_REFERENCE = re.compile(r"unknown (?:[a-z ]+ id|reference|person) '")
ROUNDS = 4  # the repairs of one round can reveal errors below them (a list element that now validates)


@dataclass
class Salvaged:
    """The repaired case, and how to tell which of its problems the repairs may have caused."""

    case: Case | None = None
    scopes: set[Loc] = field(default_factory=set)  # in the file's own indices
    ids: set[str] = field(default_factory=set)  # ids removed, or brought in by an example
    kept: dict[Loc, list[int]] = field(default_factory=dict)  # list (file path) -> file indices kept
    filled: set[Loc] = field(default_factory=set)  # file paths given an example
    above: set[Loc] = field(default_factory=set)  # the paths that hold an edit (a count there changed)
    lost_id: bool = False  # an edit removed an item whose id could not be read: which was it?

    def original(self, loc: Loc) -> Loc:
        """A path in the repaired copy as a path in the file."""
        out: list[str | int] = []
        for part in loc:
            prefix = tuple(out)
            if isinstance(part, int) and prefix in self.kept:
                indices = self.kept[prefix]
                part = indices[part] if part < len(indices) else part
            out.append(part)
        return tuple(out)

    def relocated(self, problems: list[Problem]) -> list[Problem]:
        """The problems found on the repaired copy that no repair can have caused, at their
        paths in the file."""
        out = []
        for problem in problems:
            if not problem.is_error:
                continue
            loc = self.original(problem.loc)
            if loc in self.above or any(loc[:end] in self.scopes for end in range(len(loc) + 1)):
                continue
            if self.ids & _words(problem.message):
                continue
            if self.lost_id and _REFERENCE.match(problem.message):
                continue  # it may be the id that could not be read
            out.append(replace(problem, loc=loc))
        return out


def salvage(data: Any, errors: list[ErrorDetails]) -> Salvaged | None:
    """A valid case made from loaded data the model refused with `errors`, by the edits
    described above, or None."""
    if not isinstance(data, dict) or not errors:
        return None
    work = copy.deepcopy(data)
    result = Salvaged()
    for _ in range(ROUNDS):
        edits = []
        for error in errors:
            edit = _edit_for(work, error, result)
            if edit is None:
                return None
            edits.append(edit)
        for edit in sorted(set(edits), key=_deepest_last_index_first):
            if not _apply(work, data, edit, result):
                return None
        case, errors = validate_data(work, Case)
        if case is not None:
            result.case = case
            return result
    return None


@dataclass(frozen=True)
class _Edit:
    action: str  # "drop" (a key or a list element) or "fill"
    loc: Loc  # in the repaired copy


def _edit_for(work: dict[str, Any], error: ErrorDetails, result: Salvaged) -> _Edit | None:
    loc: Loc = tuple(part for part in error["loc"] if part != "[key]")
    if loc and loc[-1] == "id":
        result.lost_id = True  # an id written wrong: the references to what it meant are not known
    if error["type"] == "extra_forbidden":
        return _Edit("drop", loc)
    for end in range(len(loc), 0, -1):
        prefix = loc[:end]
        container = _get(work, prefix[:-1])
        if isinstance(container, list) and isinstance(prefix[-1], int):
            return _Edit("drop", prefix)
        if isinstance(container, dict) and typing.get_origin(type_at(Case, prefix[:-1])) is dict:
            return _Edit("drop", prefix)
    declared = field_at(Case, loc)
    if declared is None:  # also the file's top level (a check of the whole case)
        return None
    if not declared.is_required():
        return _Edit("drop", loc)
    if not declared.examples or result.original(loc) in result.filled:
        return None  # no example to stand in, or the example did not hold either
    return _Edit("fill", loc)


def _deepest_last_index_first(edit: _Edit) -> tuple[int, list[Any]]:
    # the elements of one list dropped from the last: the indices of the others stay right
    return (-len(edit.loc), [(-part if isinstance(part, int) else 0) for part in edit.loc])


def _apply(work: dict[str, Any], data: dict[str, Any], edit: _Edit, result: Salvaged) -> bool:
    """Make the edit on the copy and record what it touched; False when it cannot be made."""
    parent = _get(work, edit.loc[:-1])
    original = result.original(edit.loc)
    before = _get(data, original)
    result.ids.update(_ids_in(before))
    result.ids.update(_enclosing_ids(data, original))
    result.lost_id |= _unreadable_id_in(before) or _item_without_id(before, edit.loc)
    result.scopes.add(_scope(original))
    result.above.update(original[:end] for end in range(len(original)))
    key = edit.loc[-1]
    if edit.action == "fill":
        if not isinstance(parent, dict):
            return False
        example = field_at(Case, edit.loc).examples[0]
        result.ids.update(_ids_in(example))
        result.filled.add(original)
        parent[key] = copy.deepcopy(example)
    elif isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent):
        kept = result.kept.setdefault(original[:-1], list(range(len(parent))))
        del kept[key]
        del parent[key]
    elif isinstance(parent, dict):
        parent.pop(key, None)
    else:
        return False
    return True


def _scope(loc: Loc) -> Loc:
    """What an edit at `loc` can affect: the list element it is in, from the first index
    (`evidence[3]` for `evidence[3].custody[1]`), else the field's owner below the top level."""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            return loc[:i + 1]
    return loc if len(loc) <= 1 else loc[:-1]


def _get(data: Any, loc: Loc) -> Any:
    """The value at `loc` in loaded YAML, or None where there is none."""
    for part in loc:
        if isinstance(data, dict) and part in data:  # noqa: SIM114 - apart, each index is typed
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _words(message: str) -> set[str]:
    """The words of a message, as ids are written ('V1', @V1 or V1: letters, digits, _ and -)."""
    return set(re.findall(r"[\w-]+", message))


def _enclosing_ids(data: Any, loc: Loc) -> Iterator[str]:
    """The ids of the items an edit at `loc` is inside (W1 for a change in W1's consent: what the
    checks say of W1 elsewhere may come from it)."""
    for end in range(1, len(loc)):
        item = _get(data, loc[:end])
        if isinstance(loc[end - 1], int) and isinstance(item, dict) and isinstance(item.get("id"), str):
            yield item["id"]


def _item_without_id(value: Any, loc: Loc) -> bool:
    """An item of a list of things with ids (persons, evidence…) that has no id as text."""
    return isinstance(value, dict) and not isinstance(value.get("id"), str) and field_at(Case, (*loc, "id")) is not None


def _unreadable_id_in(value: Any) -> bool:
    """Whether a subtree holds an item whose `id:` is not text (a list, a mapping, nothing)."""
    if isinstance(value, dict):
        return ("id" in value and not isinstance(value["id"], str)) or any(map(_unreadable_id_in, value.values()))
    return isinstance(value, list) and any(map(_unreadable_id_in, value))


def _ids_in(value: Any) -> Iterator[str]:
    """Every `id:` value in a subtree of loaded YAML."""
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            yield value["id"]
        for child in value.values():
            yield from _ids_in(child)
    elif isinstance(value, list):
        for child in value:
            yield from _ids_in(child)
