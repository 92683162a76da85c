"""Submission packets: checks per body, disclosure, addressing, exhibits, manifest, stamps."""

from __future__ import annotations

import hashlib
import re
import subprocess
import zipfile
from datetime import date

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from casefile import api
from casefile.case.catalog import load_catalog
from casefile.case.model import Filing
from casefile.cli import cli
from casefile.filing.requirements import check_body

from .conftest import DONETSK

ALL_BODIES = sorted(load_catalog().bodies)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def text_of(path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


@pytest.fixture
def packets(witness_packets):
    """Every filing's packet of the protected-witness example, built once per session."""
    return witness_packets


def test_every_filing_gets_a_packet(packets):
    assert sorted(packets) == ["icc-otp", "icrc", "ua-pgo"]
    for result in packets.values():
        assert result.folder.name == f"TEST-KHE-2024-007-{result.body}"
        assert result.archive.name == f"TEST-KHE-2024-007-{result.body}.zip"


def test_disclosure_follows_consent(packets):
    icc = text_of(packets["icc-otp"].folder / "02-dossier.pdf")
    icrc = text_of(packets["icrc"].folder / "02-dossier.pdf")
    assert "Olena Koval" in icc  # consent (share_with icc-otp) and disclose: named
    assert "Olena Koval" not in icrc and "Witness 1" in icrc  # no consent for the ICRC: pseudonym
    for name in ("Taras Bondar", "Андрій Мельник", "Andrii Melnyk"):  # the victims consented to no one
        assert name not in icc and name not in icrc
    for body in ("icc-otp", "icrc"):
        folder = packets[body].folder
        assert run("check-leaks", str(folder / f"TEST-KHE-2024-007-{body}-print.pdf"), "--case",
                   str(folder.parent.parent / "protected-witness" / "case.yaml"), "--for", body).exit_code == 0


def test_confidential_evidence_only_where_included(packets):
    assert packets["icc-otp"].exhibits == ["E2", "E3", "E4"]  # E3 is in icc-otp's include
    assert "E3" not in packets["icrc"].exhibits
    assert any(x.startswith("E3: confidential") for x in packets["icrc"].left_out)
    # E2's EXIF names the witness, whom the ICRC may not know: the file is left out
    assert "E2" not in packets["icrc"].exhibits
    assert any(x.startswith("E2: its content names W1, whom this body may not know") for x in packets["icrc"].left_out)


def test_folder_manifest_passes_sha256sum(packets):
    for result in packets.values():
        folder = result.folder
        lines = (folder / "manifest.sha256").read_text().splitlines()
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                       if p.is_file() and p.name != "manifest.sha256")
        assert [line.split("  ", 1)[1] for line in lines] == files
        for line in lines:
            digest, name = line.split("  ", 1)
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
        subprocess.run(["sha256sum", "-c", "--quiet", "manifest.sha256"], cwd=folder, check=True)


def test_exhibit_copies_are_the_original_files(packets):
    folder = packets["icc-otp"].folder
    source = folder.parent.parent / "protected-witness" / "evidence"
    for name in ("E2-outbuilding.jpg", "E3-statement-W1.txt", "E4-forensic-note.pdf"):
        assert (folder / "exhibits" / name).read_bytes() == (source / name).read_bytes()


def test_print_ready_pdf_opens_with_the_letter_and_every_page_is_stamped(packets):
    for body, result in packets.items():
        pdf = result.folder / f"TEST-KHE-2024-007-{body}-print.pdf"
        reader = PdfReader(pdf)
        assert len(reader.pages) == result.pages
        first = reader.pages[0].extract_text()
        address = load_catalog().bodies[body].address.splitlines()
        assert address[0] in first or address[1] in first  # addressed to the body
        assert [item.title for item in reader.outline][:2] == ["Cover letter", "Dossier"]
        for number, page in enumerate(reader.pages, start=1):
            assert f"TEST-KHE-2024-007-{body}-{number:06d}" in page.extract_text(), (body, number)
        assert "DRAFT" not in first
        # every font is embedded, the stamp's own included (a subset of Noto Sans Mono Bold)
        fonts = {}
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                fonts[font["/BaseFont"]] = descriptor.get_object()
        assert "/CFSTMP+NotoSansMono-Bold" in fonts
        assert all({"/FontFile", "/FontFile2", "/FontFile3"} & set(d) for d in fonts.values()), fonts.keys()


def test_print_ready_pdf_merges_pdf_exhibits_and_photos(packets):
    result = packets["icc-otp"]
    reader = PdfReader(result.folder / "TEST-KHE-2024-007-icc-otp-print.pdf")
    titles = [item.title for item in reader.outline]
    assert titles == ["Cover letter", "Dossier", "Exhibit E2", "Exhibit E3", "Exhibit E4"]
    text = text_of(result.folder / "TEST-KHE-2024-007-icc-otp-print.pdf")
    assert "Exhibit E4" in text and "Two bodies recovered 16 March" in text  # the forensic note's own page
    assert "The photograph follows on the next page" in text
    assert "Written statement of Olena Koval" in text and "@W1" not in text  # mentions resolved on slips


def test_zip_holds_the_folder(packets):
    result = packets["icrc"]
    names = sorted(zipfile.ZipFile(result.archive).namelist())
    folder_files = sorted(f"{result.folder.name}/{p.relative_to(result.folder).as_posix()}"
                          for p in result.folder.rglob("*") if p.is_file())
    assert names == folder_files


def test_packets_are_reproducible(packets, tmp_path):
    """Byte-identical packets from another process, at another second, with SOURCE_DATE_EPOCH
    unset: nothing in a packet (the page-stamp font included) carries the time of the build."""
    import os
    import sys
    import time

    first = packets["icrc"]
    case = first.folder.parent.parent / "protected-witness" / "case.yaml"
    time.sleep(max(0.0, first.archive.stat().st_mtime + 1.1 - time.time()))
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    subprocess.run([sys.executable, "-m", "casefile", "packet", str(case), "--to", "icrc", "--output", str(tmp_path)],
                   check=True, capture_output=True, env=env)
    again = tmp_path / first.archive.name
    assert again.read_bytes() == first.archive.read_bytes()
    for name in ("01-letter.pdf", "02-dossier.pdf", "TEST-KHE-2024-007-icrc-print.pdf"):
        assert (tmp_path / first.folder.name / name).read_bytes() == (first.folder / name).read_bytes(), name


def test_letter_is_in_the_filing_language(packets):
    letter = text_of(packets["ua-pgo"].folder / "01-letter.pdf")
    assert re.search(r"[А-Яа-яІіЇїЄєҐґ]{4}", letter)  # ua-pgo takes Ukrainian


def test_media_only_sources_warn_for_the_un_special_rapporteur():
    result = run("check", str(DONETSK), "--for", "un-sr-executions")
    assert result.exit_code == 0
    assert "[!] warning sources: every source is press or online reporting" in result.stdout


def test_unknown_body_is_an_error():
    result = run("check", str(DONETSK), "--for", "un-sr-execution")
    assert result.exit_code == 1
    assert result.stderr == "error: unknown filing body 'un-sr-execution'\nhint: did you mean 'un-sr-executions'?\n"
    assert run("packet", str(DONETSK), "--to", "nobody").exit_code == 1


def test_missing_requirements_fail_unless_draft(witness_case, tmp_path):
    tmp_path = tmp_path / "out"
    text = witness_case.read_text().replace("  contact: clinic@example.org\n", "")
    witness_case.write_text(text)
    failed = run("packet", str(witness_case), "--to", "icrc", "--output", str(tmp_path))
    assert failed.exit_code == 1
    assert "missing required content: sender" in failed.stderr
    assert not tmp_path.exists() or not any(tmp_path.iterdir())
    draft = run("packet", str(witness_case), "--to", "icrc", "--output", str(tmp_path), "--draft")
    assert draft.exit_code == 0, draft.output
    pdf = tmp_path / "TEST-KHE-2024-007-icrc" / "TEST-KHE-2024-007-icrc-print.pdf"
    for page in PdfReader(pdf).pages:
        assert "DRAFT" in page.extract_text()


@pytest.mark.parametrize("body", ALL_BODIES)
def test_every_body_has_a_checklist(body):
    case = api.validate(DONETSK).case
    catalog = load_catalog()
    items = check_body(case, Filing(body=body, respondent="RU" if body == "ecthr" else None), catalog.bodies[body],
                       catalog)
    keys = [i.key for i in items]
    assert "language" in keys and all(i.status in ("met", "missing", "warning") for i in items)
    assert set(catalog.bodies[body].requires) <= set(keys)


def test_ecthr_jurisdiction_and_time_limit():
    case = api.validate(DONETSK).case
    catalog = load_catalog()
    ecthr = catalog.bodies["ecthr"]
    items = {i.key: i for i in check_body(case, Filing(body="ecthr", respondent="RU"), ecthr, catalog)}
    assert items["jurisdiction"].status == "missing"  # 2025 facts, Russia left on 16 September 2022
    assert "only for facts up to 2022-09-16" in items["jurisdiction"].text
    assert items["respondent"].status == "met"
    assert items["signature"].status == "warning"
    no_respondent = {i.key: i for i in check_body(case, Filing(body="ecthr"), catalog.bodies["ecthr"], catalog)}
    assert no_respondent["respondent"].status == "missing"


def test_icrc_letter_is_a_humanitarian_notification(packets):
    letter = text_of(packets["icrc"].folder / "01-letter.pdf").lower()
    assert "humanitarian" in letter
    assert "rome statute" not in letter and "8(2)(a)(i)" not in letter


def test_ecthr_remedies_are_steps_in_the_respondent_state(write_case, donetsk_text):
    """A UN action, an ombudsman's letter or Ukrainian proceedings are not remedies against
    Russia: only steps recorded with `state: RU` count, for remedies and for the time limit."""
    catalog = load_catalog()
    ecthr = catalog.bodies["ecthr"]

    def items(text):
        case = api.validate(write_case(text)).case
        return {i.key: i for i in check_body(case, Filing(body="ecthr", respondent="RU"), ecthr, catalog,
                                             today=date(2025, 3, 1))}

    elsewhere = items(donetsk_text)
    assert elsewhere["domestic_remedies"].status == "warning"
    assert "no step taken in the respondent State RU is recorded" in elsewhere["domestic_remedies"].text
    assert elsewhere["time_limit"].text.startswith("no domestic step in RU recorded")
    in_russia = donetsk_text.replace("actions:\n", "actions:\n  - date: 2025-02-01\n    by: Investigative Committee "
                                     "of the Russian Federation\n    action: Refused to open proceedings\n"
                                     "    state: RU\n", 1)
    counted = items(in_russia)
    assert counted["domestic_remedies"].status == "met" and counted["domestic_remedies"].text.endswith(" in RU")
    assert counted["time_limit"].status == "met" and "(2025-02-01)" in counted["time_limit"].text


def test_a_packet_carries_no_other_filing_and_no_checklist(packets):
    """What goes to one body is none of another's business, and the requirements checklist is
    the sender's working note: neither is in what is sent."""
    import zipfile as zf

    for body, result in packets.items():
        text = text_of(result.folder / "02-dossier.pdf")
        assert "Filings" not in text, body  # the internal dossier's section 8 (see test_render)
        assert not (result.folder / "03-checklist.txt").exists()
        assert result.checklist_file == result.folder.parent / f"{result.folder.name}.checklist.txt"
        assert result.checklist_file.read_text().startswith(f"Submission packet {result.folder.name}\n")
        with zf.ZipFile(result.archive) as archive:
            assert not any("checklist" in name for name in archive.namelist())
        assert "checklist" not in (result.folder / "manifest.sha256").read_text()
    for body in ("icrc", "icc-otp"):  # letters in English: the enclosures name no checklist
        letter = text_of(packets[body].folder / "01-letter.pdf")
        assert "Manifest of the packet" in letter and "hecklist" not in letter, body
