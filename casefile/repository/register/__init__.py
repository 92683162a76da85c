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

import csv
import io
import json
from pathlib import Path

from casefile.case.catalog import Catalog, load_catalog
from casefile.core.errors import CheckFailed
from casefile.protection.names import cached
from casefile.protection.scan import Scanner
from casefile.repository.register.page import render_html
from casefile.repository.register.rows import (
    REGISTER_EDITIONS,
    RegisterRow,
    _across,
    _check_edition,
    date_label,
    rows_for,
)

OUTPUT_NAMES = ("register.html", "register.csv", "register.json")
CSV_FIELDS = ("id", "title", "path", "status", "classification", "incident_date", "incident_label",
              "region", "country", "victims", "allegations", "provisions", "evidence", "verified", "filings")


# ------------------------------------------------------------------------------------------
# outputs (the HTML page: register_page.py)
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


__all__ = [
    "OUTPUT_NAMES",
    "REGISTER_EDITIONS",
    "RegisterRow",
    "date_label",
    "render_csv",
    "render_html",
    "render_json",
    "render_register",
    "rows_for",
]


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
    cases = [p for p in find_cases([target]) if not project.is_catalog_file(p)]
    rows, invalid = rows_for(cases, edition=edition, catalog=catalog, base=project.root)
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
