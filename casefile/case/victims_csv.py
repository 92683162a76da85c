"""A victim list from CSV (`casefile import victims FILE.csv CASE`): a group case (dozens of
named prisoners of war) is kept in a spreadsheet; each row becomes an entry of
`incident.victims`, validated as one written in YAML would be, with every problem located at
its row and column of the CSV file.

Columns (header row, any order, only those used): the victim's keys (`id`, `name`, `category`,
`affiliation`, `harm`, `protected`, `born`, `age`, `sex`, `citizenship`, `rank`, `unit`,
`service_number`), nested keys joined by `_` (`captured_date`, `captured_place`, `died_date`,
`died_place`, `next_of_kin_name`, `next_of_kin_relation`, `next_of_kin_contact`), and lists
separated by `;` (`aliases`, `consent_share_with`). An empty cell is an absent key.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from casefile.case.details import check_person
from casefile.case.persons import Victim
from casefile.core.errors import Problem, error

# column -> key path in a victim's entry; lists are split on ';'
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id",), "name": ("name",), "category": ("category",), "affiliation": ("affiliation",),
    "harm": ("harm",), "protected": ("protected",), "born": ("born",), "age": ("age",), "sex": ("sex",),
    "citizenship": ("citizenship",), "rank": ("rank",), "unit": ("unit",), "service_number": ("service_number",),
    "captured_date": ("captured", "date"), "captured_place": ("captured", "place"),
    "died_date": ("died", "date"), "died_place": ("died", "place"),
    "next_of_kin_name": ("next_of_kin", "name"), "next_of_kin_relation": ("next_of_kin", "relation"),
    "next_of_kin_contact": ("next_of_kin", "contact"),
    "aliases": ("aliases",), "consent_share_with": ("consent", "share_with"),
}
LISTS = frozenset({"aliases", "consent_share_with"})
MAX_ROWS = 10_000


@dataclass(frozen=True)
class Row:
    line: int  # line of the CSV file the row starts on
    data: dict[str, Any]  # the victim's entry, as YAML would give it
    victim: Victim


def read_victims(path: Path, text: str) -> tuple[list[Row], list[Problem]]:
    """The rows of a victim list, or every problem of it (located in `path`)."""
    shown = str(path)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return [], [error((), "the file has no header row", "the first row names the columns: id, name, …")
                    .at(shown, 1, 1)]
    problems: list[Problem] = []
    columns = [h.strip() for h in header]
    for n, name in enumerate(columns, start=1):
        if name not in COLUMNS:
            match = difflib.get_close_matches(name, list(COLUMNS), n=1, cutoff=0.6)
            problems.append(error((), f"unknown column '{name}'", f"did you mean '{match[0]}'?" if match else
                                  "columns: " + ", ".join(COLUMNS)).at(shown, 1, n))
    seen = set(columns)
    if "id" not in seen:
        problems.append(error((), "no 'id' column", "each victim needs an id such as V1").at(shown, 1, 1))
    if len(seen) < len(columns):
        twice = next(c for c in columns if columns.count(c) > 1)
        problems.append(error((), f"column '{twice}' appears twice").at(shown, 1, columns.index(twice) + 1))
    if problems:
        return [], problems
    rows: list[Row] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                problems.append(error((), f"more than {MAX_ROWS:,} victims").at(shown, line, 1))
                break
            if len(cells) != len(columns):
                problems.append(error((), f"{len(cells)} cells, but the header has {len(columns)} columns",
                                      "quote a cell that holds a comma").at(shown, line, 1))
                continue
            row = _row(columns, cells, line, shown, problems)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        problems.append(error((), f"not a CSV file ({exc})").at(shown, reader.line_num, 1))
    return rows, problems


def _row(columns: list[str], cells: list[str], line: int, shown: str, problems: list[Problem]) -> Row | None:
    data: dict[str, Any] = {}
    for name, cell in zip(columns, cells, strict=True):
        value = cell.strip()
        if not value:
            continue
        path = COLUMNS[name]
        parsed: Any = [v.strip() for v in value.split(";") if v.strip()] if name in LISTS else value
        if name == "protected" and value in ("true", "false"):  # as YAML reads them
            parsed = value == "true"
        target = data
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = parsed
    try:
        victim = Victim.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(str(part) for part in err["loc"])
            column = _column_of(loc, columns)
            message = "is required: the cell is empty" if err["type"] == "missing" else \
                str((err.get("ctx") or {}).get("error", err["msg"]))
            problems.append(error((), f"{'_'.join(loc)}: {message}").at(shown, line, column or 1))
        return None
    # the checks across a person's fields (born or age; dates in order), at their cells
    crossed: list[Problem] = []
    check_person(victim, (), date.today(), crossed)
    for problem in crossed:
        loc = tuple(str(part) for part in problem.loc)
        column = _column_of(loc, columns)
        problems.append(replace(problem, loc=("_".join(loc),)).at(shown, line, column or 1))
    if any(p.is_error for p in crossed):
        return None
    return Row(line, data, victim)


def _column_of(loc: tuple[str, ...], columns: list[str]) -> int | None:
    """The column (1-based) a pydantic error's location is in, or None (a missing column)."""
    for name, path in COLUMNS.items():
        if loc[:len(path)] == path and name in columns:
            return columns.index(name) + 1
    return None


def entry_yaml(data: dict[str, Any], indent: str, newline: str) -> list[str]:
    """One victim's entry as block YAML lines (`- id: V1` at `indent`), nested keys as flow
    mappings on one line, lists in flow style."""
    from casefile.case.edit import yaml_flow

    lines = []
    for i, (key, v) in enumerate(data.items()):
        lead = f"{indent}- " if i == 0 else f"{indent}  "
        lines.append(f"{lead}{key}: {yaml_flow(v)}{newline}")
    return lines


@dataclass(frozen=True)
class Imported:
    ids: tuple[str, ...]  # the victims added, in order
    text: str  # the lines added to the case file


def import_victims(csv_path: Path, case_path: Path, *, dry_run: bool = False) -> Imported:
    """Add the victims of a CSV file to `incident.victims` of a case file: a minimal edit
    (comments and layout kept), after every row has been checked; an id already used in the case
    or twice in the file is an error at its row. Nothing is written when anything is wrong, or
    with `dry_run`."""
    from casefile.case import edit
    from casefile.case.loader import LoadError, decode, load_file, load_text
    from casefile.case.parse import parse_case
    from casefile.core.errors import CasefileError, InvalidCase

    try:
        document = load_file(case_path)
    except LoadError as exc:
        raise InvalidCase(exc.problems) from None
    case, problems = parse_case(document)
    if case is None:
        raise InvalidCase(problems)
    try:
        raw = csv_path.read_bytes()
    except OSError as exc:
        raise CasefileError(f"cannot read {csv_path}: {exc.strerror or exc}") from None
    try:
        text = decode(raw, str(csv_path))
    except LoadError as exc:
        raise InvalidCase(exc.problems) from None
    rows, problems = read_victims(csv_path, text)
    used = {p.id for _, p in case.persons()} | {e.id for e in case.evidence} | {s.id for s in case.sources} \
        | {a.id for a in case.allegations}
    for row in rows:
        column = list(row.data).index("id") + 1 if "id" in row.data else 1
        if row.victim.id in used:
            problems.append(error((), f"id '{row.victim.id}' is already used in {case_path.name} or in an earlier row",
                                  "give each victim an id of its own, e.g. V101").at(str(csv_path), row.line, column))
        used.add(row.victim.id)
    if problems:
        raise InvalidCase(problems)
    if not rows:
        raise CasefileError(f"{csv_path}: no victims (only a header row)")
    before = len(case.incident.victims)

    def entries(indent: str, newline: str) -> list[str]:
        return [line for row in rows for line in entry_yaml(row.data, indent, newline)]

    added = "".join(entries("  ", "\n"))
    if not dry_run:
        def reads_back(data: Any) -> bool:
            victims = data["incident"]["victims"]
            return len(victims) == before + len(rows) and [v["id"] for v in victims[before:]] == \
                [row.victim.id for row in rows]

        def change(text: str) -> str:
            new = edit.append_victims(text, document, entries)
            # the case must read as before with the victims added: a structural problem is refused
            _, after = parse_case(load_text(new.replace("\r\n", "\n"), case_path))
            if after:
                raise edit.EditError(f"the edited file would not validate: {after[0].format()}")
            return new

        edit.rewrite(case_path, change, reads_back, "the imported victims")
    return Imported(tuple(row.victim.id for row in rows), added)
