"""The case register: one overview of every case in a repository, for one edition.

`rows_for` validates each case file and turns each valid case into a display-ready,
already-redacted `RegisterRow`; `render_register` lays the rows out as one self-contained HTML
page (sortable table and a bar chart of incidents per month), a CSV file and a JSON file.

Protected persons: every `@id` mention in a title goes through `People.label` of the edition,
so the public register shows pseudonyms; a case file whose *path* would name a hidden person
is shown as withheld; and before anything is returned, a shared edition's bytes are scanned
for every hidden name (as every shared dossier is) and refused if one is found.
Output is deterministic: the same input gives the same bytes (the only time in it is the
`generated` string the caller passes).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath
from typing import Any, Iterable

from casefile import __version__
from casefile.case.catalog import Catalog, load_catalog
from casefile.core.errors import CheckFailed, UsageError
from casefile.case.model import Case
from casefile.case.values import DateRange, PartialDate
from casefile.protection import policy
from casefile.protection.names import Named, cached
from casefile.protection.scan import Scanner
from casefile.dossier.view import CLASSIFICATION_LABELS, NS, WITHHELD_PATH, Disclosure, Formatter, People

REGISTER_EDITIONS: tuple[str, ...] = ("internal", "public")
TEMPLATE = "register/register.html.j2"
CSS = "register/register.css"
SCRIPT = "register/sort.js"
OUTPUT_NAMES = ("register.html", "register.csv", "register.json")

CSV_FIELDS = ("id", "title", "path", "status", "classification", "incident_date", "incident_label",
              "region", "country", "victims", "allegations", "provisions", "evidence", "verified", "filings")
EDITION_LABELS = {
    "internal": "Internal register — may name protected persons; do not share",
    "public": "Public register — identities withheld",
}


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


# ------------------------------------------------------------------------------------------
# rows
# ------------------------------------------------------------------------------------------
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
    invalid: list[tuple[Path, int, tuple[str, ...]]] = []
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
    from casefile.core import text

    people = People(case, disclosure)
    items = {e.id for e in case.evidence} | {s.id for s in case.sources} | {a.id for a in case.allegations}

    def resolve(ident: str) -> tuple[str, str | None] | None:
        if ident in people:
            return people.label(ident), None
        if ident in items:
            return ident, None
        return None

    location = case.incident.location
    hidden = tuple(policy.named(p) for p in policy.hidden(case, disclosure))
    shown_path = path.as_posix()
    if hidden and cached(hidden).names(_path_words(shown_path)):
        shown_path = WITHHELD_PATH
    return RegisterRow(
        id=case.id,
        title=text.plain(case.title, resolve),
        path=shown_path,
        status=case.status,
        classification=case.classification,
        incident_date=case.incident.date.first_day.isoformat(),
        incident_label=date_label(case.incident.date),
        region=location.region if location else None,
        country=location.country if location else None,
        victims=sum(v.count for v in case.incident.victims),
        allegations=[f"{a.id} {text.plain(a.title, resolve)}" for a in case.allegations],
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


# ------------------------------------------------------------------------------------------
# outputs
# ------------------------------------------------------------------------------------------
def render_register(rows: list[RegisterRow], invalid: list[tuple[str, int]], *, edition: str,
                    generated: str, catalog: Catalog | None = None) -> dict[str, bytes]:
    """The register as {"register.html", "register.csv", "register.json"} -> bytes.

    A shared (non-internal) edition is scanned for every name its rows hide; any find raises
    `CheckFailed` and nothing is returned."""
    _check_edition(edition)
    catalog = catalog or load_catalog()
    outputs = {
        "register.html": render_html(rows, invalid, edition=edition, generated=generated, catalog=catalog),
        "register.csv": render_csv(rows),
        "register.json": render_json(rows, invalid, edition=edition, generated=generated),
    }
    if edition != "internal":
        _refuse_leaks(outputs, rows)
    return outputs


def _refuse_leaks(outputs: dict[str, bytes], rows: list[RegisterRow]) -> None:
    """Two scans. Each row's own text, for every form of every name its case hides (the rule
    of a shared dossier). Then the written files, for the whole names hidden anywhere in the
    register (two parts of a name together, in any form), so that a case naming openly a
    person another case protects stops it; single given names or surnames are not compared
    across cases (in a large register they collide)."""
    where: set[str] = set()
    for row in rows:
        if row.hidden:
            for leak in Scanner(cached(row.hidden)).text(_row_text(row), "its row"):
                where.add(f"{row.id}: protected person {leak.person} in its row ({leak.rule})")
    # ids are unique within a case only: "CASE-ID/V1"
    everyone = Scanner(cached(_across(rows), parts_alone=False))
    for name, data in outputs.items():
        text = data.decode("utf-8", "replace")
        found = everyone.html(text, name) if name.endswith(".html") else everyone.text(text, name)
        where.update(f"protected person {leak.person} in {leak.where}" for leak in found)
    if where:
        listed = sorted(where)
        raise CheckFailed(
            "the public register would contain the name of a person a case hides "
            f"({'; '.join(listed[:5])}{'; …' if len(listed) > 5 else ''}); nothing was written",
            "write the person as @id everywhere, and check whether another case names the same person openly")


def _row_text(row: RegisterRow) -> str:
    values = [row.id, row.title, row.path, row.status, row.classification, row.incident_label,
              row.region or "", row.country or "", *row.allegations, *row.provisions,
              *(f"{body} {status}" for body, status in row.filings)]
    return "\n".join(values)


def _csv_cell(value: str) -> str:
    """Text that a spreadsheet would take for a formula gets a leading apostrophe (OWASP)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def render_csv(rows: list[RegisterRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for row in rows:
        writer.writerow([
            _csv_cell(row.id), _csv_cell(row.title), _csv_cell(row.path), row.status, row.classification,
            row.incident_date, row.incident_label, _csv_cell(row.region or ""), row.country or "",
            row.victims, _csv_cell("; ".join(row.allegations)), "; ".join(row.provisions), row.evidence,
            row.verified, "; ".join(f"{body}: {status}" for body, status in row.filings),
        ])
    return buffer.getvalue().encode("utf-8")


def render_json(rows: list[RegisterRow], invalid: list[tuple[str, int]], *, edition: str, generated: str) -> bytes:
    document = {
        "generated": generated,
        "edition": edition,
        "cases": [row.as_dict() for row in rows],
        "invalid": [{"path": path, "errors": errors} for path, errors in invalid],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render_html(rows: list[RegisterRow], invalid: list[tuple[str, int]], *, edition: str, generated: str,
                catalog: Catalog | None = None) -> bytes:
    from casefile.dossier.html import environment, read_asset

    catalog = catalog or load_catalog()
    css = read_asset(CSS)
    script = read_asset(SCRIPT)
    context = {
        "lang": "en",
        "generator": f"casefile {__version__}",
        "generated": generated,
        "edition": NS(key=edition, label=EDITION_LABELS[edition], public=edition == "public"),
        "summary": summary(rows, invalid),
        "rows": [_row_view(row, catalog) for row in rows],
        "invalid": invalid,
        "chart": chart(rows),
        "css": css,
        "script": script,
        "csp": _csp(css, script),
    }
    return environment().get_template(TEMPLATE).render(context).encode("utf-8")


def _csp(css: str, script: str) -> str:
    """Only the page's own style and script run; nothing is ever fetched."""
    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"

    return (f"default-src 'none'; style-src {digest(css)}; script-src {digest(script)}; "
            "img-src 'none'; form-action 'none'; base-uri 'none'")


def _word(key: str) -> str:
    words = key.replace("-", " ")
    return words[:1].upper() + words[1:]


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def summary(rows: list[RegisterRow], invalid: list[tuple[str, int]]) -> NS:
    victims = sum(r.victims for r in rows)
    evidence = sum(r.evidence for r in rows)
    verified = sum(r.verified for r in rows)
    share = f"{math.floor(100 * verified / evidence + 0.5)}%" if evidence else None
    parts = [_plural(len(rows), "case"), _plural(victims, "victim"),
             f"{verified:,} of {_plural(evidence, 'evidence item')} verified" + (f" ({share})" if share else "")]
    return NS(cases=len(rows), victims=victims, evidence=evidence, verified=verified, share=share,
              text=" · ".join(parts),
              invalid_text=(f"{_plural(len(invalid), 'case file')} did not validate and "
                            f"{'is' if len(invalid) == 1 else 'are'} not in the register (listed at the end)")
              if invalid else None)


_STATUS_ORDER = ("draft", "review", "final", "submitted", "closed")


def _row_view(row: RegisterRow, catalog: Catalog) -> NS:
    fmt = Formatter("en")
    provisions = []
    for pid in row.provisions:
        provision = catalog.provisions.get(pid)
        provisions.append(NS(id=pid, label=provision.label if provision else pid,
                             title=provision.title if provision else ""))
    filings = []
    for body_id, status in row.filings:
        body = catalog.bodies.get(body_id)
        filings.append(NS(id=body_id, label=body.short if body and body.short else body_id,
                          name=body.name if body else body_id, status=status, status_label=_word(status)))
    place = ", ".join(x for x in (row.region, fmt.country(row.country)) if x)
    return NS(
        id=row.id, title=row.title, path=row.path, withheld_path=row.path == WITHHELD_PATH,
        status=row.status, status_label=_word(row.status), status_rank=_STATUS_ORDER.index(row.status),
        classification=row.classification, classification_label=CLASSIFICATION_LABELS[row.classification],
        classification_rank=list(CLASSIFICATION_LABELS).index(row.classification),
        incident_date=row.incident_date, incident_label=row.incident_label,
        place=place, place_sort=place.casefold(), victims=row.victims,
        allegations=row.allegations, provisions=provisions, evidence=row.evidence, verified=row.verified,
        filings=filings,
    )


# ------------------------------------------------------------------------------------------
# the chart: numbers only; the template lays them out
# ------------------------------------------------------------------------------------------
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _num(value: float) -> int | float:
    """A coordinate as written in the SVG: 2 decimals at most, whole numbers without '.0'."""
    value = round(value, 2)
    return int(value) if value == int(value) else value


def _months(first: date, last: date) -> list[tuple[int, int]]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _ticks(top: int) -> list[int]:
    """Whole-number gridlines from 0 to at least `top`, at most about 5 steps."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        step = candidate
        if top / candidate <= 5:
            break
    else:
        step = 10 ** len(str(top))
    return list(range(0, (math.ceil(top / step) or 1) * step + 1, step))


def chart(rows: list[RegisterRow]) -> NS | None:
    """Incidents per month, from the earliest to the latest incident month: one bar per month
    (an empty month has a bar of height 0). A range counts in the month it starts."""
    if not rows:
        return None
    starts = [date.fromisoformat(r.incident_date) for r in rows]
    months = _months(min(starts), max(starts))
    counts = {m: 0 for m in months}
    for d in starts:
        counts[(d.year, d.month)] += 1
    ticks = _ticks(max(counts.values()))
    top = ticks[-1]
    fmt = Formatter("en")

    left, right, top_pad, bottom = 56, 16, 16, 58
    plot_h = 200
    slot = max(4.0, min(48.0, 820 / len(months)))
    plot_w = slot * len(months)
    width = left + plot_w + right
    height = top_pad + plot_h + bottom
    gap = slot * 0.2 if slot >= 8 else slot * 0.1
    # month labels: every month when they fit, else Januaries (and every n-th year when crowded)
    every_month = slot >= 44
    years = sorted({y for y, _ in months})
    year_step = 1
    while len(years) / year_step * 44 > plot_w and year_step < 1000:
        year_step = {1: 2, 2: 5, 5: 10}.get(year_step, year_step * 2)
    bars, labels = [], []
    for i, (year, month) in enumerate(months):
        count = counts[(year, month)]
        h = round(plot_h * count / top, 2)
        x = round(left + i * slot + gap / 2, 2)
        name = fmt.date(PartialDate(year, month)) or f"{year}-{month:02d}"
        bars.append(NS(month=f"{year:04d}-{month:02d}", x=_num(x), y=_num(top_pad + plot_h - h),
                       w=_num(slot - gap), h=_num(h), count=count, cx=_num(x + (slot - gap) / 2),
                       count_y=_num(top_pad + plot_h - h - 4), title=f"{name}: {_plural(count, 'case')}"))
        centre = _num(left + i * slot + slot / 2)
        if every_month:
            labels.append(NS(x=centre, text=_MONTH_ABBR[month - 1],
                             sub=str(year) if month == 1 or i == 0 else ""))
        elif month == 1 and (year - years[0]) % year_step == 0:
            labels.append(NS(x=_num(left + i * slot), text=str(year), sub=""))
        elif i == 0 and (len(years) == 1 or slot * (13 - month) >= 40):
            # the first month's year, when there is room before the next January
            labels.append(NS(x=_num(left + i * slot), text=str(year), sub=""))
    grid = [NS(value=t, y=_num(top_pad + plot_h - plot_h * t / top)) for t in ticks]
    bottom_y = top_pad + plot_h
    return NS(
        width=_num(width), height=height, left=left, top=top_pad, plot_w=_num(plot_w), plot_h=plot_h,
        bottom_y=bottom_y, right_x=_num(left + plot_w), bars=bars, labels=labels, grid=grid,
        every_month=every_month, first=bars[0].title.split(":")[0], last=bars[-1].title.split(":")[0],
        tick_x=left - 6, tick_y=bottom_y + 18, label_y=bottom_y + 15, sub_y=bottom_y + 29,
        x_title=_num(left + plot_w / 2),
        x_title_y=height - 8, y_title_x=16, y_title_y=_num(top_pad + plot_h / 2),
        months=len(months), peak=max(counts.values()),
    )


__all__ = ["RegisterRow", "rows_for", "render_register", "render_html", "render_csv", "render_json",
           "date_label", "OUTPUT_NAMES", "REGISTER_EDITIONS"]


def write_register(path: Path, *, edition: str = "internal", output: Path | None = None) -> list[Path]:
    """Write the register of every case under `path` (HTML, CSV, JSON) into the project's
    output folder (or `output`); returns the files written."""
    from casefile.core.output import write_atomic
    from casefile.dossier.view import source_date_epoch
    from casefile.repository.project import find_cases, load_project

    _check_edition(edition)
    project = load_project(path)
    target = path if path.resolve() != project.root.resolve() else project.cases_dir
    catalog = project.catalog()
    rows, invalid = rows_for(find_cases([target]), edition=edition, catalog=catalog, base=project.root)
    # no clock time unless SOURCE_DATE_EPOCH asks for one: the same cases give the same bytes
    epoch = source_date_epoch()
    generated = f"on {epoch.date().isoformat()}" if epoch is not None else f"from {len(rows)} case file(s)"
    files = render_register(rows, invalid, edition=edition, generated=generated, catalog=catalog)
    folder = output if output is not None else project.output / "register"
    suffix = "" if edition == "internal" else f".{edition}"
    written = []
    for name, data in sorted(files.items()):
        stem, ext = name.rsplit(".", 1)
        written.append(write_atomic(folder / f"{stem}{suffix}.{ext}", data))
    return written
