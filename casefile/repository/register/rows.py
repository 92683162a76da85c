"""The register's rows: each valid case of a repository, display-ready and already redacted
for the edition (a path or title that would name a hidden person is withheld)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from casefile.case.catalog import Catalog, load_catalog
from casefile.case.model import Case
from casefile.case.values import DateRange, PartialDate
from casefile.core.errors import UsageError
from casefile.core.outputs import EDITIONS
from casefile.dossier.view import WITHHELD_PATH, Disclosure, Formatter, People
from casefile.dossier.view.mentions import Mentions
from casefile.protection import policy
from casefile.protection.names import Named, cached

REGISTER_EDITIONS = EDITIONS


@dataclass
class RegisterRow:
    """One case, display-ready, already redacted for the edition."""

    id: str
    title: str
    path: str
    status: str
    classification: str
    incident_date: str  # ISO first day, for sorting, e.g. "2025-01-01"
    incident_label: str  # "January 2025", "28–30 January 2025"
    region: str | None
    country: str | None
    victims: int  # persons, counting group entries' `count`
    allegations: list[str]  # "A1 Wilful killing of prisoners of war"
    provisions: list[str]  # catalog ids, unique, in order
    evidence: int
    verified: int  # verification.status == "verified"
    filings: list[tuple[str, str]]  # (body id, status)
    # The persons this edition hides (never displayed, never written): what the leak scan looks for.
    hidden: tuple[Named, ...] = field(default=(), repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """The row as written to JSON (without `hidden`)."""
        return {
            "id": self.id, "title": self.title, "path": self.path, "status": self.status,
            "classification": self.classification, "incident_date": self.incident_date,
            "incident_label": self.incident_label, "region": self.region, "country": self.country,
            "victims": self.victims, "allegations": list(self.allegations), "provisions": list(self.provisions),
            "evidence": self.evidence, "verified": self.verified,
            "filings": [{"body": body, "status": status} for body, status in self.filings],
        }


def rows_for(paths: Iterable[str | Path], *, edition: str = "internal", catalog: Catalog | None = None,
             base: str | Path | None = None) -> tuple[list[RegisterRow], list[tuple[str, int]]]:
    """Validate each case file and build the register rows of the valid ones.

    Returns (rows sorted by incident date, then case id, then path; invalid files as
    (path, number of errors) in the order given). `paths` are case files (see
    `api.find_cases`); a path is shown as given, or relative to `base` when it lies inside it.
    A path that would name a person the edition hides is replaced by a withheld marker.
    """
    from casefile.protection.validation import validate

    _check_edition(edition)
    catalog = catalog or load_catalog()
    rows: list[RegisterRow] = []
    invalid: list[tuple[PurePath, int, tuple[Named, ...]]] = []
    for raw_path in paths:
        path = Path(raw_path)
        result = validate(path, catalog=catalog)
        shown = _display_path(path, base)
        if not result.ok or result.case is None:
            errors = len(result.errors) or 1
            names = _names_in_document(result.document.data if result.document else None)
            invalid.append((shown, errors, names))
            continue
        rows.append(_row(result.case, shown, Disclosure(edition=edition)))
    rows.sort(key=lambda r: (r.incident_date, r.id, r.path))
    invalid_out = [(shown.as_posix(), errors) for shown, errors, _ in invalid]
    if edition == "internal":
        return rows, invalid_out
    # A path must not name a person another case hides either (whole names: first names alone
    # collide across a large register). An invalid file cannot say for sure whom it protects,
    # so its path is held to every name hidden anywhere in the register, part by part, and to
    # any protected name its text could be read for.
    all_hidden = _across(rows)
    whole_names = cached(all_hidden, parts_alone=False)
    for row in rows:
        if row.path != WITHHELD_PATH and whole_names.names(_path_words(row.path)):
            row.path = WITHHELD_PATH
    for i, (shown, errors, names) in enumerate(invalid):
        if cached(all_hidden + names).names(_path_words(shown.as_posix())):
            invalid_out[i] = (WITHHELD_PATH, errors)
    return rows, invalid_out


def _across(rows: list[RegisterRow]) -> tuple[Named, ...]:
    """The hidden persons of every row, with ids made unique across cases ("CASE-ID/V1")."""
    return tuple(Named(f"{r.id}/{n.id}", n.name, n.aliases) for r in rows for n in r.hidden)


def _check_edition(edition: str) -> None:
    if edition not in REGISTER_EDITIONS:
        raise UsageError(f"unknown edition '{edition}' (choose from {', '.join(REGISTER_EDITIONS)})")


def _display_path(path: Path, base: str | Path | None) -> PurePath:
    if base is not None:
        try:
            return path.resolve().relative_to(Path(base).resolve())
        except ValueError:
            pass
    return path


def _path_words(path: str) -> str:
    """A path with its separators as spaces: 'olena-koval/case.yaml' -> 'olena koval case yaml'."""
    return re.sub(r"[-_./\\\s]+", " ", path)


def _names_in_document(data: Any) -> tuple[Named, ...]:
    """Best effort for a file that did not validate: the persons marked protected, with names."""
    names: list[Named] = []
    incident = data.get("incident") if isinstance(data, dict) else None
    if isinstance(incident, dict):
        for key in ("victims", "perpetrators", "witnesses"):
            people = incident.get(key)
            for i, person in enumerate(people if isinstance(people, list) else []):
                if isinstance(person, dict) and str(person.get("protected")).lower() == "true":
                    name = person.get("name") if isinstance(person.get("name"), str) else None
                    aliases = tuple(a for a in person.get("aliases") or () if isinstance(a, str)) \
                        if isinstance(person.get("aliases"), list) else ()
                    if (name and name.strip()) or aliases:
                        names.append(Named(f"{key}[{i}]", name, aliases))
    return tuple(names)


def _row(case: Case, path: PurePath, disclosure: Disclosure) -> RegisterRow:
    mentions = Mentions(case, People(case, disclosure), disclosure, links=False)

    def plain(value: str) -> str:
        return mentions.plain(value) or ""

    location = case.incident.location
    hidden = tuple(policy.named(p) for p in policy.hidden(case, disclosure))
    shown_path = path.as_posix()
    if hidden and cached(hidden).names(_path_words(shown_path)):
        shown_path = WITHHELD_PATH
    return RegisterRow(
        id=case.id,
        title=plain(case.title),
        path=shown_path,
        status=case.status,
        classification=case.classification,
        incident_date=case.incident.date.first_day.isoformat(),
        incident_label=date_label(case.incident.date),
        region=location.region if location else None,
        country=location.country if location else None,
        victims=sum(v.count for v in case.incident.victims),
        allegations=[f"{a.id} {plain(a.title)}" for a in case.allegations],
        provisions=list(dict.fromkeys(p for a in case.allegations for p in a.provisions)),
        evidence=len(case.evidence),
        verified=sum(1 for e in case.evidence if e.verification and e.verification.status == "verified"),
        filings=[(f.body, f.status) for f in case.filings],
        hidden=hidden,
    )


def date_label(value: PartialDate | DateRange) -> str:
    """'January 2025', '30 January 2025', '28–30 January 2025', 'January–March 2025'."""
    fmt = Formatter("en")
    if isinstance(value, PartialDate):
        return fmt.date(value) or ""
    start, end = value.start, value.end
    if start == end:
        return fmt.date(start) or ""
    if start.day and end.day and start.year == end.year:
        end_text = fmt.date(end) or ""
        if start.month == end.month:
            return f"{start.day}–{end_text}"
        start_text = fmt.date(start) or ""
        return f"{start_text.removesuffix(f' {start.year}')} – {end_text}"
    if start.month and end.month and not start.day and not end.day and start.year == end.year:
        start_text = fmt.date(start) or ""
        return f"{start_text.removesuffix(f' {start.year}')}–{fmt.date(end)}"
    return f"{fmt.date(start)} – {fmt.date(end)}"


