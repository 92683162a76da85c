"""What changed in a case between two versions, by meaning rather than by lines.

Two `Case` models are compared section by section. Items are matched by id (persons across
victims, perpetrators and witnesses; filings by body; actions, which have no id, by content),
so reordering a list is not a change. An added or removed item is one `Change`; a matched
item yields one `Change` per changed field (leaf), in the order of the new file with removed
items where they were. Values are compared as `model_dump(mode="json")`, so dates, numbers and
quoting compare by meaning; strings compare with whitespace normalised (a re-wrapped paragraph
is not a change). Values are shown as one short line; the name of a protected person is never
shown (only that it changed), so the output can go into a pull-request comment or a CI log.

Reading versions and showing a diff are in `diff_report.py`.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from casefile.case.model import Case
from casefile.case.persons import IDENTIFYING

Loc = tuple[str | int, ...]  # a key path inside an item: ('custody', 1, 'at')
Leaf = tuple[Loc, Any, Any]  # (where, old value, new value)
JSON = dict[str, Any]  # a model as model_dump(mode="json")

ChangeKind = Literal["added", "removed", "changed"]
SECTIONS: tuple[str, ...] = ("case", "incident", "persons", "allegations", "evidence", "sources",
                             "actions", "filings")
SECTION_TITLES = {"case": "Case", "incident": "Incident", "persons": "Persons",
                  "allegations": "Allegations", "evidence": "Evidence", "sources": "Sources",
                  "actions": "Actions", "filings": "Filings"}
WORKING_TREE = "working tree"
SHORT = 80  # characters of a value shown
NONE_TEXT = "(none)"  # how the text format shows an absent value
PROTECTED = "[protected]"  # shown instead of a protected person's name


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    section: str  # one of SECTIONS
    id: str | None  # item id (V1, E2, A1, S1), filing body, "actions[<index>]"; None for case/incident
    path: str  # dotted key path inside the item ("verification.status", "custody[1].at"); "" = whole item
    old: str | None  # old value as short text; None when added or absent
    new: str | None


# ------------------------------------------------------------------------------------------
# comparing two cases
# ------------------------------------------------------------------------------------------
@dataclass
class _Item:
    key: Any  # what matches an item across versions
    label: str | None  # the Change.id shown for it
    data: JSON  # model_dump(mode="json"), without the parts other sections cover
    summary: str | None  # one line for a whole added / removed item
    role: str | None = None  # persons: victim, perpetrator, witness
    defaults: frozenset[str] = frozenset()  # persons: keys whose value is the model's default
    masked: frozenset[str] = frozenset()  # top-level keys whose values are never shown


def diff_cases(old: Case | None, new: Case | None) -> list[Change]:
    """Every change from `old` to `new` (None = the case did not exist), in a stable order:
    by section (SECTIONS), then the order of the new file, removed items where they were."""
    changes: list[Change] = []
    old_actions = _dump_list(old.actions) if old else []
    new_actions = _dump_list(new.actions) if new else []
    action_keys = _pair_actions(old_actions, new_actions)
    for section in SECTIONS:
        if section == "actions":
            old_items = _action_items(old_actions, action_keys[0])
            new_items = _action_items(new_actions, action_keys[1])
        else:
            old_items = _ITEMS[section](old) if old else []
            new_items = _ITEMS[section](new) if new else []
        changes.extend(_diff_items(section, old_items, new_items))
    return _withhold_names(changes, [c for c in (old, new) if c is not None])


def _withhold_names(changes: list[Change], versions: list[Case]) -> list[Change]:
    """Every value that names a person either version protects, in any form the protection
    matcher finds (declined, another script, an alias), is shown as PROTECTED: a name written
    in a description, or in a version from before the person was protected, stays out of a
    pull-request comment too."""
    from dataclasses import replace

    from casefile.protection import policy
    from casefile.protection.names import cached

    persons = {(p.id, p.name, tuple(p.aliases)): policy.named(p) for case in versions for p in policy.protected(case)}
    index = cached(tuple(persons.values()))

    def shown(text: str | None) -> str | None:
        return PROTECTED if text is not None and index and index.names(text) else text

    out = []
    for c in changes:  # values are whole here; shortened once names are withheld
        old, new = shown(c.old), shown(c.new)
        old, new = _pair_text(old, new) if c.kind == "changed" else (_short(old), _short(new))
        out.append(replace(c, id=shown(c.id), old=old, new=new))
    return out


def _diff_items(section: str, old_items: list[_Item], new_items: list[_Item]) -> list[Change]:
    before = {item.key: item for item in old_items}
    after = {item.key: item for item in new_items}
    changes: list[Change] = []
    for key in _merge_order([i.key for i in old_items], [i.key for i in new_items]):
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None:
            changes.extend(_diff_item(section, a, b))
        elif b is not None:
            changes.append(Change("added", section, b.label, "", None, b.summary))
        elif a is not None:
            changes.append(Change("removed", section, a.label, "", a.summary, None))
    return changes


def _diff_item(section: str, a: _Item, b: _Item) -> list[Change]:
    if a.role == b.role and a.data == b.data:
        return []
    changes: list[Change] = []
    old_data, new_data = a.data, b.data
    if a.role != b.role:
        changes.append(Change("changed", section, b.label, "role", a.role, b.role))
        # keys only one role has are news only when they say something (not the default)
        old_data = {k: v for k, v in old_data.items() if k in new_data or k not in a.defaults}
        new_data = {k: v for k, v in new_data.items() if k in old_data or k not in b.defaults}
    masked = a.masked | b.masked
    leaves: list[Leaf] = []
    _diff_value((), old_data, new_data, leaves)
    for loc, old, new in leaves:
        if loc and loc[0] in masked:
            old_text = None if old is None else PROTECTED
            new_text = None if new is None else PROTECTED
        else:
            old_text, new_text = _text(old), _text(new)  # shortened after names are withheld
        changes.append(Change("changed", section, b.label, _format_path(loc), old_text, new_text))
    return changes


def _diff_value(loc: Loc, old: Any, new: Any, out: list[Leaf]) -> None:
    """Append (loc, old, new) for every leaf that differs."""
    if old == new:
        return
    if isinstance(old, (dict, type(None))) and isinstance(new, (dict, type(None))) \
            and (isinstance(old, dict) or isinstance(new, dict)):
        old, new = old or {}, new or {}
        for key in _merge_order(list(old), list(new)):
            _diff_value((*loc, key), old.get(key), new.get(key), out)
        return
    if isinstance(old, (list, type(None))) and isinstance(new, (list, type(None))) \
            and (isinstance(old, list) or isinstance(new, list)):
        old, new = old or [], new or []
        if all(not isinstance(v, (dict, list)) for v in [*old, *new]):
            # a list of ids or names: its order carries no meaning
            if Counter(map(_norm_json, old)) != Counter(map(_norm_json, new)):
                out.append((loc, old, new))
            return
        _diff_sequence(loc, old, new, out)
        return
    if _norm(old) != _norm(new):
        out.append((loc, old, new))


def _diff_sequence(loc: Loc, old: list[Any], new: list[Any], out: list[Leaf]) -> None:
    """A list of mappings (custody): unchanged runs are skipped, the rest compared by position."""
    matcher = difflib.SequenceMatcher(a=[_norm_json(v) for v in old], b=[_norm_json(v) for v in new],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1)
        for k in range(pairs):
            _diff_value((*loc, j1 + k), old[i1 + k], new[j1 + k], out)
        for k in range(j1 + pairs, j2):
            out.append(((*loc, k), None, new[k]))
        for k in range(i1 + pairs, i2):
            out.append(((*loc, k), old[k], None))


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _format_path(loc: Loc) -> str:
    """('custody', 1, 'at') -> custody[1].at; a key that is not a plain name (an element id
    such as rome:8.2.a.i/1) is written in brackets: elements[rome:8.2.a.i/1]."""
    out = ""
    for part in loc:
        if isinstance(part, int) or not _PLAIN_KEY.match(part):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


_START = object()


def _merge_order(old: list[Any], new: list[Any]) -> list[Any]:
    """The keys of `new` in order, each key only in `old` right after the key it followed there."""
    present = set(new)
    known = set(old)
    after: dict[Any, list[Any]] = {}
    anchor: Any = _START
    for key in old:
        if key in present:
            anchor = key
        elif key not in after.get(anchor, ()):
            after.setdefault(anchor, []).append(key)
    merged = list(after.get(_START, []))
    seen = set(merged)
    for key in new:
        if key in seen:
            continue
        merged.append(key)
        seen.add(key)
        if key in known:
            for gone in after.get(key, []):
                if gone not in seen:
                    merged.append(gone)
                    seen.add(gone)
    return merged


# ---- the items of each section --------------------------------------------------------------
def _dump_list(models: Iterable[BaseModel]) -> list[JSON]:
    return [m.model_dump(mode="json") for m in models]


def _numbered(ids: Iterable[str]) -> list[tuple[tuple[str, int], str]]:
    """Keys and labels; a repeated id (an invalid case, but still diffable) becomes E1#2."""
    seen: Counter[str] = Counter()
    out = []
    for ident in ids:
        n = seen[ident]
        seen[ident] += 1
        out.append(((ident, n), ident if n == 0 else f"{ident}#{n + 1}"))
    return out


def _case_items(case: Case) -> list[_Item]:
    data = case.model_dump(mode="json", exclude={"incident", "allegations", "evidence", "sources",
                                                 "actions", "filings"})
    return [_Item("", None, data, f"{case.id}: {case.title}")]


def _incident_items(case: Case) -> list[_Item]:
    incident = case.incident
    data = incident.model_dump(mode="json", exclude={"perpetrators", "victims", "witnesses"})
    summary = str(data["date"])
    if incident.location and incident.location.place:
        summary += f", {incident.location.place}"
    return [_Item("", None, data, summary)]


def _person_items(case: Case) -> list[_Item]:
    persons = case.persons()
    items = []
    for (key, label), (role, person) in zip(_numbered(p.id for _, p in persons), persons, strict=True):
        data = person.model_dump(mode="json")
        fields = type(person).model_fields
        defaults = frozenset(k for k, v in data.items()
                             if k in fields and v == _json_default(fields[k]))
        protected = bool(getattr(person, "protected", False))
        shown = None if protected else (getattr(person, "name", None) or getattr(person, "description", None))
        summary = role + (" (protected)" if protected else f": {shown}" if shown else "")
        items.append(_Item(key, label, data, summary, role, defaults,
                           IDENTIFYING if protected else frozenset()))
    return items


def _json_default(info: FieldInfo) -> Any:
    value = info.get_default(call_default_factory=True)
    return [] if isinstance(value, list) else {} if isinstance(value, dict) else value


def _titled_items(attribute: str) -> Callable[[Case], list[_Item]]:
    def items(case: Case) -> list[_Item]:
        models = getattr(case, attribute)
        return [_Item(key, label, m.model_dump(mode="json"), _one(m.title))
                for (key, label), m in zip(_numbered(m.id for m in models), models, strict=True)]

    return items


def _filing_items(case: Case) -> list[_Item]:
    items = []
    for (key, label), filing in zip(_numbered(f.body for f in case.filings), case.filings, strict=True):
        summary = filing.status + (f", {filing.date}" if filing.date else "")
        items.append(_Item(key, label, filing.model_dump(mode="json"), summary))
    return items


_ITEMS: dict[str, Callable[[Case], list[_Item]]] = {
    "case": _case_items,
    "incident": _incident_items,
    "persons": _person_items,
    "allegations": _titled_items("allegations"),
    "evidence": _titled_items("evidence"),
    "sources": _titled_items("sources"),
    "filings": _filing_items,
}


def _pair_actions(old: list[JSON], new: list[JSON]) -> tuple[list[Any], list[Any]]:
    """Match actions (which have no id) across versions: identical ones first, then by the same
    reference, the same date and authority, the same text. Returns the keys of old and new."""
    pairs: dict[int, int] = {}  # new index -> old index
    free = list(range(len(old)))
    rules: list[Callable[[JSON], Any]] = [
        _norm_json,
        lambda a: _norm(a.get("reference")) if a.get("reference") else None,
        lambda a: (a.get("date"), _norm(a.get("by"))),
        lambda a: _norm(a.get("action")),
    ]
    for rule in rules:
        for j, action in enumerate(new):
            if j in pairs or (want := rule(action)) is None:
                continue
            for i in free:
                if rule(old[i]) == want:
                    pairs[j] = i
                    free.remove(i)
                    break
    old_keys: list[Any] = [("old", i) for i in range(len(old))]
    new_keys: list[Any] = [("new", j) for j in range(len(new))]
    for j, i in pairs.items():
        old_keys[i] = new_keys[j] = ("pair", j)
    return old_keys, new_keys


def _action_items(actions: list[JSON], keys: list[Any]) -> list[_Item]:
    items = []
    for index, (key, data) in enumerate(zip(keys, actions, strict=True)):
        summary = _one(f"{data.get('date')} {data.get('by')}: {data.get('action')}")
        items.append(_Item(key, f"actions[{index}]", data, summary))
    return items


# ---- values: comparing and showing ----------------------------------------------------------
_BLOCK_LINE = re.compile(r"^\s*([-*+>#|]|\d+[.)])")


def _norm_text(text: str) -> str:
    """Whitespace that does not change what Markdown says is ignored: a paragraph's line breaks
    and runs of spaces; blank lines separate blocks; lines of lists, quotes, tables and headings
    keep their breaks."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [" ".join(line.split()) for line in block.splitlines() if line.strip()]
        if any(_BLOCK_LINE.match(line) for line in lines):
            blocks.append("\n".join(lines))
        else:
            blocks.append(" ".join(lines))
    return "\n\n".join(blocks)


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return _norm_text(value)
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _norm_json(value: Any) -> str:
    return json.dumps(_norm(value), sort_keys=True, ensure_ascii=False)


def _one(text: str) -> str:
    return " ".join(str(text).split())


def _text(value: Any) -> str | None:
    """A value as one line of text; None for absent or empty."""
    if value is None or value == [] or value == {}:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        parts = [_text(v) for v in value]
        glue = "; " if any(isinstance(v, (dict, list)) for v in value) else ", "
        return glue.join(p if p is not None else NONE_TEXT for p in parts)
    if isinstance(value, dict):
        fields = [(k, _text(v)) for k, v in value.items()]
        return ", ".join(f"{k}: {t}" for k, t in fields if t is not None) or None
    return _one(str(value))


def _short(text: str | None, limit: int = SHORT) -> str | None:
    if text is None or len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def _pair_text(old: str | None, new: str | None, limit: int = SHORT) -> tuple[str | None, str | None]:
    """Shorten two versions of a long text so that where they differ stays visible."""
    if old is not None and new is not None and max(len(old), len(new)) > limit:
        same = 0
        for x, y in zip(old, new, strict=False):  # the common prefix
            if x != y:
                break
            same += 1
        if same > limit // 2:
            start = old.rfind(" ", 0, same - limit // 4) + 1
            if start > 0:
                old, new = "…" + old[start:], "…" + new[start:]
    return _short(old, limit), _short(new, limit)
