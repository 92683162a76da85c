"""Large cases: the one-line evidence register (view.REGISTER_THRESHOLD, listing.py)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from casefile.cli import cli
from casefile.dossier import listing
from casefile.dossier.view import REGISTER_THRESHOLD, choose_evidence_layout
from tests.conftest import DONETSK
from tests.pdfcheck import assert_qpdf_ok


def big_case(folder: Path, items: int, *, protected_title: bool = False) -> Path:
    """The Donetsk case with `items` evidence items, each with a small file and its digest."""
    doc = yaml.safe_load(DONETSK.read_text(encoding="utf-8"))
    template = doc["evidence"][0]
    (folder / "evidence").mkdir(parents=True)
    evidence = []
    for n in range(1, items + 1):
        item = {k: v for k, v in template.items() if k not in ("file", "sha256")}
        item["id"] = f"E{n}"
        item["title"] = f"Video {n} of the incident"
        data = f"item {n}\n".encode()
        (folder / "evidence" / f"item-{n:05d}.txt").write_bytes(data)
        item["file"] = f"evidence/item-{n:05d}.txt"
        item["sha256"] = hashlib.sha256(data).hexdigest()
        evidence.append(item)
    # one long title, so wrapping within the listing is exercised
    evidence[-1]["title"] = "A very long title " * 12
    doc["evidence"] = evidence
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_auto_layout_switches_above_the_threshold():
    assert choose_evidence_layout("auto", REGISTER_THRESHOLD) == "full"
    assert choose_evidence_layout("auto", REGISTER_THRESHOLD + 1) == "register"
    assert choose_evidence_layout("full", 10_000) == "full"
    assert choose_evidence_layout("register", 1) == "register"
    with pytest.raises(ValueError):
        choose_evidence_layout("compact", 3)


def test_listing_wraps_fits_and_paginates():
    columns = listing.fit_columns(["ID", "Title", "Status"],
                                  [["E1", "x" * 300, "Verified"], ["E22", "short", "Частково підтверджено"]],
                                  total=60, flexible=1)
    assert sum(c.width for c in columns) + 2 * 2 <= 60
    rows = [([f"E{n}", ("word " * 30) if n % 10 == 0 else "title", "Verified"], f"evidence-E{n}")
            for n in range(1, 201)]
    header, pages = listing.paginate(columns, rows, lines_per_page=40)
    assert len(header) == 2 and header[0].startswith("ID")
    texts = [line.text for page in pages for line in page]
    assert all(listing.cells(t) <= 60 for t in texts + header)
    assert all(len(page) <= 40 for page in pages)
    # every row starts on a line with its anchor, and no row is split across pages
    starts = [line.anchor for page in pages for line in page if line.anchor]
    assert starts == [f"evidence-E{n}" for n in range(1, 201)]
    for page in pages:
        assert page[0].anchor is not None
    # the long titles wrapped onto continuation lines without losing a word
    assert "".join(texts).count("word") == 20 * 30


def test_cells_counts_wide_and_combining_characters():
    assert listing.cells("abc") == 3
    assert listing.cells("日本") == 4
    assert listing.cells("e\u0301") == 1
    assert all(listing.cells(line) <= 5 for line in listing.wrap("日本語のテキスト", 5))


@pytest.fixture(scope="module")
def big_pdf(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("big")
    case = big_case(folder, REGISTER_THRESHOLD + 40)
    out = folder / "big.pdf"
    result = CliRunner().invoke(cli, ["render", str(case), "--output", str(out)])
    assert result.exit_code == 0, result.output
    return case, out


def test_large_case_pdf_lists_every_item_once_with_the_manifest(big_pdf):
    _case, out = big_pdf
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    count = REGISTER_THRESHOLD + 40
    assert f"This case records {count} evidence items" in text
    listed = re.findall(r"^(E\d+)\s+Video\s", text, flags=re.M)
    assert listed == [f"E{n}" for n in range(1, count + 1)]
    # the full detail blocks are not printed; the note says where they are
    assert "Description" not in text.split("Annex")[0].split("5.1")[-1]
    assert "They are in the case file this PDF carries as an attachment." in text
    # the manifest annex lists every file with its full digest, sha256sum style
    for n in (1, count):
        digest = hashlib.sha256(f"item {n}\n".encode()).hexdigest()
        assert f"{digest}  evidence/item-{n:05d}.txt" in text
    # the allegation's link to E1 still lands on E1's register line
    destinations = reader.named_destinations
    assert "evidence-E1" in destinations
    assert "evidence-E2" not in destinations  # only linked rows carry an anchor
    assert_qpdf_ok(out)


def test_large_case_html_keeps_a_table_and_full_layout_can_be_forced(big_pdf, tmp_path):
    case, _ = big_pdf
    out = tmp_path / "big.html"
    result = CliRunner().invoke(cli, ["render", str(case), "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.count('<table class="grid lines">') == 1
    assert 'class="evidence-item' not in html
    full = tmp_path / "full.html"
    result = CliRunner().invoke(cli, ["render", str(case), "--format", "html", "--evidence-layout", "full",
                                      "--output", str(full)])
    assert result.exit_code == 0, result.output
    assert full.read_text(encoding="utf-8").count('class="evidence-item') == REGISTER_THRESHOLD + 40


def test_unknown_evidence_layout_is_a_usage_error():
    result = CliRunner().invoke(cli, ["render", str(DONETSK), "--evidence-layout", "tiny"])
    assert result.exit_code == 2
    assert "tiny" in result.output


def test_cli_evidence_layout_option_matches_the_view():
    # the command line names the layouts literally (importing view.py would slow every start)
    from casefile.dossier.view import EVIDENCE_LAYOUTS

    option = next(p for p in cli.commands["render"].params if p.name == "evidence_layout")
    assert tuple(option.type.choices) == EVIDENCE_LAYOUTS
    assert f"register above {REGISTER_THRESHOLD} items" in option.help
