"""The case register: rows from many case files, redaction per edition, HTML / CSV / JSON."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from casefile import api
from casefile.case.values import DateRange, PartialDate
from casefile.core.errors import CheckFailed, UsageError
from casefile.repository.register import RegisterRow, date_label, render_csv, render_register, rows_for

from .conftest import DONETSK, copy_witness

NAMES = ["Olena Koval", "Taras Bondar", "Andrii Melnyk", "Андрій Мельник"]
# each word of the names above that could identify a person on its own
NAME_WORDS = ["Olena", "Koval", "Taras", "Bondar", "Andrii", "Melnyk", "Андрій", "Мельник"]
GENERATED = "2025-02-10"


def _copy_witness(target: Path) -> Path:
    copy_witness(target)
    for path in target.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return target / "case.yaml"


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """The two example cases, copied as they are."""
    root = tmp_path / "cases"
    root.mkdir()
    shutil.copy(DONETSK, root / DONETSK.name)
    _copy_witness(root / "protected-witness")
    return root


@pytest.fixture
def repository(examples: Path) -> Path:
    """The examples, a variant whose titles mention protected persons (with a date range),
    and a case file that does not validate."""
    variant = _copy_witness(examples / "mentions")
    text = variant.read_text(encoding="utf-8")
    for old, new in [("id: TEST-KHE-2024-007", "id: TEST-KHE-2024-008"),
                     ("  en: Killing of two captured servicemen at a farm outbuilding",
                      "  en: Killing of @V1 and @V2 at a farm outbuilding"),
                     ("  - id: A1\n    title: {en: Wilful killing of prisoners of war,",
                      '  - id: A1\n    title: {en: "Wilful killing of @V1 and @V2, seen by @W1",'),
                     ("  date: 2024-03-14\n", "  date: {from: 2024-06-28, to: 2024-06-30}\n")]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    variant.write_text(text, encoding="utf-8")
    (examples / "broken.yaml").write_text("casefile: 1\nid: BROKEN-1\ntitle: Missing nearly everything\n",
                                          encoding="utf-8")
    return examples


def build(folder: Path, edition: str) -> tuple[list[RegisterRow], list[tuple[str, int]], dict[str, bytes]]:
    rows, invalid = rows_for(api.find_cases([folder]), edition=edition, base=folder)
    return rows, invalid, render_register(rows, invalid, edition=edition, generated=GENERATED)


# ------------------------------------------------------------------------------------------
# rows
# ------------------------------------------------------------------------------------------
def test_rows_of_the_examples(examples):
    rows, invalid = rows_for(api.find_cases([examples]), edition="internal", base=examples)
    assert invalid == []
    by_id = {r.id: r for r in rows}
    assert [r.id for r in rows] == ["TEST-KHE-2024-007", "UA-DON-2025-001"]  # by incident date

    donetsk = by_id["UA-DON-2025-001"]
    assert donetsk.victims == 7  # a group of six and one more
    assert (donetsk.evidence, donetsk.verified) == (1, 0)
    assert donetsk.filings == [("un-sr-executions", "planned"), ("icrc", "planned")]
    assert donetsk.incident_date == "2025-01-01"
    assert donetsk.incident_label == "January 2025"
    assert (donetsk.region, donetsk.country) == ("Donetsk Oblast", "UA")
    assert donetsk.allegations == ["A1 Wilful killing of prisoners of war"]
    assert donetsk.provisions == ["gc3:13", "gc3:130", "ap1:41", "rome:8.2.a.i", "cihl:89", "ua-cc:438"]
    assert (donetsk.status, donetsk.classification) == ("review", "restricted")
    assert donetsk.path == "donetsk-pow-executions.yaml"

    witness = by_id["TEST-KHE-2024-007"]
    assert witness.victims == 2
    assert (witness.evidence, witness.verified) == (3, 2)
    assert witness.incident_label == "14 March 2024"
    assert witness.path == "protected-witness/case.yaml"


def test_mentions_resolve_per_edition(repository):
    internal = {r.id: r for r in build(repository, "internal")[0]}["TEST-KHE-2024-008"]
    public = {r.id: r for r in build(repository, "public")[0]}["TEST-KHE-2024-008"]
    assert internal.title == ("Killing of Андрій Мельник (Andrii Melnyk) and Taras Bondar "
                              "at a farm outbuilding")
    assert public.title == "Killing of Victim 1 and Victim 2 at a farm outbuilding"
    assert public.allegations == ["A1 Wilful killing of Victim 1 and Victim 2, seen by Witness 1"]
    assert public.incident_label == "28–30 June 2024"
    assert public.incident_date == "2024-06-28"


def test_unknown_edition_is_refused(examples):
    with pytest.raises(UsageError):
        rows_for(api.find_cases([examples]), edition="press")


def test_date_labels():
    d = PartialDate
    assert date_label(d(2025)) == "2025"
    assert date_label(d(2025, 1)) == "January 2025"
    assert date_label(d(2025, 1, 30)) == "30 January 2025"
    assert date_label(DateRange(d(2025, 1, 28), d(2025, 1, 30))) == "28–30 January 2025"
    assert date_label(DateRange(d(2025, 1, 28), d(2025, 2, 3))) == "28 January – 3 February 2025"
    assert date_label(DateRange(d(2024, 12, 28), d(2025, 1, 3))) == "28 December 2024 – 3 January 2025"
    assert date_label(DateRange(d(2025, 1), d(2025, 3))) == "January–March 2025"
    assert date_label(DateRange(d(2024, 11), d(2025, 2))) == "November 2024 – February 2025"
    assert date_label(DateRange(d(2025, 1, 5), d(2025, 1, 5))) == "5 January 2025"


# ------------------------------------------------------------------------------------------
# protected persons
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_public_register_names_no_protected_person(repository, name):
    _, _, outputs = build(repository, "public")
    assert set(outputs) == {"register.html", "register.csv", "register.json"}
    for file_name, data in outputs.items():
        text = data.decode("utf-8")
        assert name not in text, f"{name} in {file_name}"
        for word in name.split():
            assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE), f"{word} in {file_name}"
    assert "Public register — identities withheld" in outputs["register.html"].decode("utf-8")


def test_internal_register_may_name_them(repository):
    _, _, outputs = build(repository, "internal")
    for data in outputs.values():
        assert "Taras Bondar" in data.decode("utf-8")
    assert "Public register" not in outputs["register.html"].decode("utf-8")


def test_a_path_that_names_a_hidden_person_is_withheld(tmp_path):
    _copy_witness(tmp_path / "olena-koval")
    (rows_public, _), (rows_internal, _) = (rows_for(api.find_cases([tmp_path]), edition=e, base=tmp_path)
                                            for e in ("public", "internal"))
    assert rows_internal[0].path == "olena-koval/case.yaml"
    assert "olena" not in rows_public[0].path.lower()
    outputs = render_register(rows_public, [], edition="public", generated=GENERATED)
    assert all(b"olena" not in data.lower() for data in outputs.values())


def test_a_path_that_names_a_person_another_case_hides_is_withheld(tmp_path):
    _copy_witness(tmp_path / "witness")
    for folder in ("olena-koval", "olena-petrenko"):
        (tmp_path / folder).mkdir()
        shutil.copy(DONETSK, tmp_path / folder / "case.yaml")
    rows, _ = rows_for(api.find_cases([tmp_path]), edition="public", base=tmp_path)
    paths = sorted(r.path for r in rows)
    assert "olena-koval/case.yaml" not in paths and "olena-petrenko/case.yaml" in paths
    rows, _ = rows_for(api.find_cases([tmp_path]), edition="internal", base=tmp_path)
    assert "olena-koval/case.yaml" in [r.path for r in rows]


def test_an_invalid_file_whose_path_names_a_hidden_person_is_withheld(tmp_path):
    _copy_witness(tmp_path / "witness")
    (tmp_path / "taras-bondar.yaml").write_text("casefile: 1\nid: X\n", encoding="utf-8")
    _, invalid = rows_for(api.find_cases([tmp_path]), edition="public", base=tmp_path)
    assert len(invalid) == 1 and "bondar" not in invalid[0][0].lower()
    _, invalid = rows_for(api.find_cases([tmp_path]), edition="internal", base=tmp_path)
    assert invalid[0][0] == "taras-bondar.yaml"


def test_a_hidden_name_that_reaches_the_output_stops_the_public_register(repository):
    rows, invalid, _ = build(repository, "public")
    rows[0].title = "Statement of Koval"  # as if a field escaped redaction: a surname alone is enough
    with pytest.raises(CheckFailed) as caught:
        render_register(rows, invalid, edition="public", generated=GENERATED)
    assert rows[0].id in caught.value.message
    assert not any(word in caught.value.message for word in NAME_WORDS)  # the error names nobody


def test_a_case_that_names_openly_a_person_another_case_hides_stops_it(repository):
    rows, invalid, _ = build(repository, "public")
    donetsk = next(r for r in rows if r.id == "UA-DON-2025-001")  # hides no named person
    donetsk.allegations = ["A1 Killing of Olena Koval"]
    with pytest.raises(CheckFailed) as caught:
        render_register(rows, invalid, edition="public", generated=GENERATED)
    assert "TEST-KHE-2024-007" in caught.value.message
    # a first name shared with a protected person of another case is not a leak
    donetsk.allegations = ["A1 Killing of Olena Petrenko"]
    outputs = render_register(rows, invalid, edition="public", generated=GENERATED)
    assert "Olena Petrenko" in outputs["register.html"].decode("utf-8")
    # the internal register is not scanned
    render_register(rows, invalid, edition="internal", generated=GENERATED)


@pytest.mark.parametrize("name, text, found", [
    ("Olena Koval", "<td>Olena Koval</td>", True),
    ("Olena Koval", "<td>Olena</td><td>x</td>", True),
    ("Olena Koval", "<span>Olena</span>\n <span>Koval</span>", True),
    ("Olena Koval", "<td>KOVAL's</td>", True),
    ("Андрій Мельник (Andrii Melnyk)", "<td>Мельник</td>", True),
    ("Андрій Мельник (Andrii Melnyk)", "<td>Andrii&#32;Melnyk</td>", True),
    ("Андрій Мельник (Andrii Melnyk)", "<td>Мельникові</td>", True),
    ("Seán O'Brien", "<td>O&#39;Brien</td>", True),
    ("Seán O'Brien", "<td>O\u2019Brien</td>", True),
    ("José Álvarez", "<td>Jose\u0301 A\u0301lvarez</td>", True),
    ("José Álvarez", "<td>Alvarez</td>", True),
    ("Taras Bondar", "<td>Tarasenko, Bondarenko</td>", False),
    ("Taras Bondar", "<td>Taras_x</td>", True),
    ("Grid Border", "<style>.x { display: grid; border: 0 }</style><td>nothing</td>", False),
])
def test_the_register_scan_reads_html_as_the_dossier_scan_does(name, text, found):
    from casefile.protection.names import Named, NameIndex
    from casefile.protection.scan import Scanner

    html = "<!DOCTYPE html><html><body>" + text + "</body></html>"
    assert bool(Scanner(NameIndex((Named("V1", name),))).html(html)) == found, (name, text)


# ------------------------------------------------------------------------------------------
# invalid files
# ------------------------------------------------------------------------------------------
def test_an_invalid_case_is_listed_and_does_not_stop_the_register(repository):
    rows, invalid, outputs = build(repository, "internal")
    assert [r.id for r in rows] == ["TEST-KHE-2024-007", "TEST-KHE-2024-008", "UA-DON-2025-001"]
    assert len(invalid) == 1
    path, errors = invalid[0]
    assert path == "broken.yaml" and errors >= 1
    html = outputs["register.html"].decode("utf-8")
    assert "Case files that did not validate" in html
    assert html.index("broken.yaml") > html.index('id="register"')  # listed after the table
    assert json.loads(outputs["register.json"])["invalid"] == [{"path": "broken.yaml", "errors": errors}]
    assert "BROKEN-1" not in outputs["register.csv"].decode("utf-8")


# ------------------------------------------------------------------------------------------
# formats
# ------------------------------------------------------------------------------------------
def test_csv_parses_back(repository):
    rows, _, outputs = build(repository, "public")
    data = outputs["register.csv"]
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert [r["id"] for r in table] == [r.id for r in rows]
    donetsk = next(r for r in table if r["id"] == "UA-DON-2025-001")
    assert donetsk["victims"] == "7" and donetsk["evidence"] == "1" and donetsk["verified"] == "0"
    assert donetsk["title"] == "Execution of six Ukrainian prisoners of war, Donetsk region"
    assert donetsk["provisions"] == "gc3:13; gc3:130; ap1:41; rome:8.2.a.i; cihl:89; ua-cc:438"
    assert donetsk["filings"] == "un-sr-executions: planned; icrc: planned"
    assert donetsk["incident_label"] == "January 2025"


def test_csv_cells_are_not_spreadsheet_formulas():
    row = RegisterRow(id="X-1", title="=HYPERLINK(\"x\")", path="x.yaml", status="draft", classification="public",
                      incident_date="2025-01-01", incident_label="January 2025", region="+Region", country=None,
                      victims=1, allegations=["A1 -x"], provisions=[], evidence=0, verified=0, filings=[])
    table = list(csv.DictReader(io.StringIO(render_csv([row]).decode("utf-8"))))
    assert table[0]["title"] == "'=HYPERLINK(\"x\")"
    assert table[0]["region"] == "'+Region"
    assert table[0]["country"] == ""


def test_json_loads(repository):
    rows, invalid, outputs = build(repository, "public")
    document = json.loads(outputs["register.json"])
    assert document["generated"] == GENERATED and document["edition"] == "public"
    assert [c["id"] for c in document["cases"]] == [r.id for r in rows]
    donetsk = next(c for c in document["cases"] if c["id"] == "UA-DON-2025-001")
    assert donetsk["victims"] == 7 and donetsk["verified"] == 0 and donetsk["region"] == "Donetsk Oblast"
    assert donetsk["filings"] == [{"body": "un-sr-executions", "status": "planned"},
                                  {"body": "icrc", "status": "planned"}]
    assert "hidden" not in donetsk
    assert "Мельник" not in outputs["register.json"].decode("utf-8")
    assert document["invalid"] == [{"path": p, "errors": n} for p, n in invalid]


def test_html_is_self_contained_and_accessible(repository):
    _rows, _, outputs = build(repository, "public")
    html = outputs["register.html"].decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert not re.search(r"""(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"https?://", html)  # no URL at all in the examples' register
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "<caption>" in html and "<thead>" in html
    headers = re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", html.split('id="register"')[1].split("</thead>")[0])
    assert len(headers) == 11 and all("<button" in h for h in headers)
    assert "2 cases" not in html and "3 cases" in html  # the summary line
    assert "9 victims" not in html and "11 victims" in html
    assert "4 of 7 evidence items verified (57%)" in html


def test_html_chart_has_one_bar_per_month(repository):
    _, _, outputs = build(repository, "public")
    html = outputs["register.html"].decode("utf-8")
    svg = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert svg, "no chart"
    svg = svg.group(0)
    months = re.findall(r'<rect class="bar" data-month="(\d{4}-\d{2})"', svg)
    # from March 2024 (the earliest incident) to January 2025 (the latest): 11 months
    assert months == [f"2024-{m:02d}" for m in range(3, 13)] + ["2025-01"]
    assert svg.count("<title") == 1 + len(months)  # the chart's own title and one per bar
    assert "March 2024: 1 case</title>" in svg and "June 2024: 1 case</title>" in svg
    assert "April 2024: 0 cases</title>" in svg
    assert "Month of incident" in svg and ">Cases</text>" in svg
    heights = [float(h) for h in re.findall(r'<rect class="bar"[^>]*height="([0-9.]+)"', svg)]
    assert heights[0] > 0 and heights[1] == 0


def test_html_sort_script_is_inline_and_allowed_by_the_page_policy(repository):
    _, _, outputs = build(repository, "internal")
    html = outputs["register.html"].decode("utf-8")
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 1 and "src" not in scripts[0][0]
    script = scripts[0][1]
    assert "addEventListener" in script and "data-sort" in script and "aria-sort" in script
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    assert f"script-src 'sha256-{digest}'" in policy.replace("&#39;", "'")
    assert "default-src 'none'" in policy.replace("&#39;", "'")
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    assert f"style-src 'sha256-{digest}'" in policy.replace("&#39;", "'")
    assert ' style="' not in html  # inline style attributes would be blocked by the policy


def test_case_text_is_escaped(tmp_path):
    case = tmp_path / "case.yaml"
    text = DONETSK.read_text(encoding="utf-8").replace(
        "title: Execution of six Ukrainian prisoners of war, Donetsk region",
        "title: '<script>alert(1)</script> {{ 7*7 }}'")
    case.write_text(text, encoding="utf-8")
    rows, invalid = rows_for([case], edition="public")
    html = render_register(rows, invalid, edition="public", generated=GENERATED)["register.html"].decode("utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in html


def test_empty_register(tmp_path):
    rows, invalid = rows_for([], edition="public")
    outputs = render_register(rows, invalid, edition="public", generated=GENERATED)
    assert "<svg" not in outputs["register.html"].decode("utf-8")
    assert outputs["register.csv"].decode("utf-8").count("\n") == 1
    assert json.loads(outputs["register.json"])["cases"] == []


def test_deterministic(repository):
    first = build(repository, "public")[2]
    second = build(repository, "public")[2]
    assert first == second
    assert build(repository, "internal")[2] == build(repository, "internal")[2]


def test_register_command_writes_three_files_per_edition(tmp_path):
    import shutil

    from click.testing import CliRunner

    from casefile.cli import cli

    from .conftest import DONETSK, copy_witness

    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(DONETSK, cases)
    copy_witness(cases / "protected-witness")
    for edition, suffix in (("internal", ""), ("public", ".public")):
        result = CliRunner().invoke(cli, ["register", str(cases), "--edition", edition, "--output",
                                          str(tmp_path / "reg")], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == [str(tmp_path / "reg" / f"register{suffix}.{ext}")
                                              for ext in ("csv", "html", "json")]
    public = b"".join((tmp_path / "reg" / f"register.public.{ext}").read_bytes() for ext in ("csv", "html", "json"))
    assert b"Olena Koval" not in public and b"Taras Bondar" not in public
    assert b"Generated from 2 case file(s) by casefile" in (tmp_path / "reg" / "register.html").read_bytes()
