"""`casefile import victims FILE.csv CASE`: a victim list kept as CSV added to a case file,
every problem at its row and column, nothing written unless every row is right, and only the
victims' lines added (comments, layout and line endings kept)."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from casefile import api
from casefile.cli import cli

from .conftest import CASES

OLENIVKA = CASES / "olenivka"
HEADER = "id,name,born,age,rank,captured_date,died_date,protected,aliases\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def olenivka(tmp_path: Path) -> Path:
    """The Olenivka example without its victims (the rest of the file as written)."""
    shutil.copytree(OLENIVKA, tmp_path / "olenivka")
    path = tmp_path / "olenivka" / "case.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  victims:\n"), text.index("\nallegations:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return path


def test_the_examples_victim_list_imports_into_exactly_the_committed_case(olenivka):
    result = run("import", "victims", str(olenivka.parent / "victims.csv"), str(olenivka))
    assert result.exit_code == 0, result.output
    assert result.output == f"{olenivka}: 5 victim(s) added: V1, V2, V3, V4, V5\n"
    assert olenivka.read_text(encoding="utf-8") == (OLENIVKA / "case.yaml").read_text(encoding="utf-8")
    case = api.load_case(olenivka).case
    assert [v.service_number for v in case.incident.victims] == [f"ЕХ-100000{i}" for i in range(1, 6)]
    assert str(case.incident.victims[2].born) == "1978-11-02" and case.incident.victims[2].died is None


def test_rows_are_added_after_the_victims_already_there_keeping_comments_and_crlf(tmp_path):
    path = tmp_path / "case.yaml"
    original = (CASES / "named-pow" / "case.yaml").read_text(encoding="utf-8")
    original = original.replace("  victims:\n", "  victims:  # from the family's statement\n")
    path.write_bytes(original.replace("\n", "\r\n").encode("utf-8"))
    csv = tmp_path / "more.csv"
    csv.write_text(HEADER + 'V7,"Testenko, Vasyl",1990,,Soldier,2022-05-20,,true,Vasyl T.;Testenko\n', encoding="utf-8")
    result = run("import", "victims", str(csv), str(path))
    assert result.exit_code == 0, result.output
    after = path.read_bytes().decode("utf-8")
    assert "\n" not in after.replace("\r\n", "")  # every line still ends CR LF
    lines_before = original.replace("\n", "\r\n").splitlines(keepends=True)
    lines_after = after.splitlines(keepends=True)
    diff = list(difflib.ndiff(lines_before, lines_after))
    assert not [line for line in diff if line.startswith("- ")]  # nothing changed or removed
    new = [line[2:] for line in diff if line.startswith("+ ")]
    assert new == ["    - id: V7\r\n", '      name: "Testenko, Vasyl"\r\n', "      born: 1990\r\n",
                   "      rank: Soldier\r\n", "      captured: {date: 2022-05-20}\r\n",
                   "      protected: true\r\n", "      aliases: [Vasyl T., Testenko]\r\n"], new
    # after the last victim already there, before the allegations
    assert lines_after.index("    - id: V7\r\n") > lines_after.index("      consent:\r\n")
    assert lines_after.index("    - id: V7\r\n") < lines_after.index("allegations:\r\n")
    victim = api.load_case(path).case.incident.victims[-1]
    assert (victim.id, victim.name, victim.protected, victim.aliases) == ("V7", "Testenko, Vasyl", True,
                                                                          ["Vasyl T.", "Testenko"])


@pytest.mark.parametrize("csv_text, expected", [
    ("id,nme\nV7,X\n", ["more.csv:1:2: error: unknown column 'nme' (did you mean 'name'?)"]),
    ("name\nX\n", ["more.csv:1:1: error: no 'id' column (each victim needs an id such as V1)"]),
    (HEADER + "V7,X,19xx,,,,,,\n", ["more.csv:2:3: error: born: '19xx' is not a date; write a date like "
                                    "2025-01-30, 2025-01 or 2025"]),
    (HEADER + "V7,X,1990,33,,,,,\n",
     ["more.csv:2:4: error: age: give born or age, not both (age is for a person whose date of birth is not known)"]),
    (HEADER + "V7,X,,,,2022-05-20,2022-05-01,,\n",
     ["more.csv:2:7: error: died_date: died 2022-05-01 is before captured 2022-05-20"]),
    (HEADER + ",X,,,,,,,\n", ["more.csv:2:1: error: id: is required: the cell is empty"]),
    (HEADER + "V7,X,,,,,,yes,\n", ["more.csv:2:8: error: protected: 'yes' is not true or false; write true or "
                                   "false (YAML 1.2)"]),
    (HEADER + "V7,X\n", ["more.csv:2:1: error: 2 cells, but the header has 9 columns (quote a cell that holds a "
                         "comma)"]),
    (HEADER + "V1,X,,,,,,,\nV7,Y,,,,,,,\nV7,Z,,,,,,,\n",
     ["more.csv:2:1: error: id 'V1' is already used in case.yaml or in an earlier row (give each victim an id of "
      "its own, e.g. V101)",
      "more.csv:4:1: error: id 'V7' is already used in case.yaml or in an earlier row (give each victim an id of "
      "its own, e.g. V101)"]),
    ("", ["more.csv:1:1: error: the file has no header row (the first row names the columns: id, name, …)"]),
])
def test_every_problem_is_at_its_row_and_column_and_nothing_is_written(tmp_path, csv_text, expected):
    shutil.copytree(CASES / "named-pow", tmp_path / "named-pow")
    case = tmp_path / "named-pow" / "case.yaml"
    before = case.read_bytes()
    csv = tmp_path / "more.csv"
    csv.write_text(csv_text, encoding="utf-8")
    result = run("import", "victims", str(csv), str(case))
    assert result.exit_code == 1
    assert [line.replace(str(tmp_path) + "/", "") for line in result.stderr.splitlines()
            if ": error: " in line] == expected
    assert "Traceback" not in result.output
    assert case.read_bytes() == before


def test_a_utf16_file_is_refused(tmp_path, olenivka):
    csv = tmp_path / "v16.csv"
    csv.write_bytes((HEADER + "V7,X,,,,,,,\n").encode("utf-16"))
    result = run("import", "victims", str(csv), str(olenivka))
    assert result.exit_code == 1 and "file is UTF-16" in result.stderr


def test_flow_style_victims_are_not_rewritten(tmp_path, olenivka):
    text = olenivka.read_text(encoding="utf-8").replace("  description:\n", "  victims: []\n  description:\n", 1)
    olenivka.write_text(text, encoding="utf-8")
    result = run("import", "victims", str(OLENIVKA / "victims.csv"), str(olenivka))
    assert result.exit_code == 1
    assert "incident.victims is written in flow style ([]); write it as a block to import into it" in result.stderr
    assert olenivka.read_text(encoding="utf-8") == text


def test_dry_run_shows_the_entries_and_writes_nothing(olenivka):
    before = olenivka.read_bytes()
    result = run("import", "victims", str(OLENIVKA / "victims.csv"), str(olenivka), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith("  - id: V1\n    name: Fictional Person One\n    sex: male\n")
    assert "5 victim(s) to add: V1, V2, V3, V4, V5" in result.stderr
    assert olenivka.read_bytes() == before


def test_a_spreadsheet_export_with_a_bom_crlf_and_quoted_cells_imports(tmp_path):
    """What Excel and LibreOffice write: a UTF-8 byte-order mark, CR LF, quoted cells with
    commas and doubled quotes, French and Ukrainian text."""
    csv = tmp_path / "export.csv"
    rows = ['id,name,affiliation,rank,aliases',
            'V8,"Орест ""Сокіл"" Тестовий","Forces armées, 2e brigade",Soldat,"Сокіл;O. T."']
    csv.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(rows).encode("utf-8") + b"\r\n")
    shutil.copytree(CASES / "named-pow", tmp_path / "named-pow")
    case = tmp_path / "named-pow" / "case.yaml"
    result = run("import", "victims", str(csv), str(case))
    assert result.exit_code == 0, result.output
    victim = api.load_case(case).case.incident.victims[-1]
    assert (victim.id, victim.name, victim.affiliation, victim.aliases) == (
        "V8", 'Орест "Сокіл" Тестовий', "Forces armées, 2e brigade", ["Сокіл", "O. T."])
