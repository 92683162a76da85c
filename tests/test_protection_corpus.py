"""Protection end to end, with the hand-made corpus of names (tests/protection_corpus/).

Invented persons, each with the forms people write their names in (declined Ukrainian and
Russian, Latin romanisations), are put where a name can hide: every text field, ids, file
names, exhibits of every format, commit messages, case folder names. Validation must find
each one at its place; no public edition or packet for a body without consent may contain
one; and the same cases without those forms must still render (the guard against a check
that refuses everything).
"""

from __future__ import annotations

import copy
import gzip
import io
import itertools
import os
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from casefile import api
from casefile.cli import cli
from casefile.protection.names import Named, NameIndex
from casefile.protection.scan import Scanner

from .conftest import WITNESS, copy_witness

CORPUS = Path(__file__).parent / "protection_corpus"
NAMES = {e["id"]: e for e in yaml.safe_load((CORPUS / "names.yaml").read_text(encoding="utf-8"))["names"]}
BASE = yaml.safe_load(WITNESS.read_text(encoding="utf-8"))
# a spread of declension types and scripts: -енко, adjectival, patronymic, female, Latin-recorded,
# double surname, alias, apostrophe
SAMPLE = ["N01", "N02", "N04", "N05", "N11", "N18", "N19", "N28", "N47", "N48", "N53", "N55"]


def forms(entry: dict, limit: int = 4) -> list[str]:
    """A few written forms of each kind: declined Ukrainian, Russian, Latin."""
    out: list[str] = []
    for key in ("ukrainian", "cyrillic", "russian", "latin"):
        out += [f for f in entry.get(key, ()) if len(f.split()) == 1][:limit]
    return out


def disguised(form: str) -> list[str]:
    """The same form with a look-alike letter, a zero-width space, a soft hyphen, Markdown
    emphasis, in full-width letters, and run into a hashtag with a number."""
    i = max(1, len(form) // 2)
    swap = str.maketrans("aeopcxiAEOPCXI", "аеорсхіАЕОРСХІ") if form.isascii() else \
        str.maketrans("аеорсхіАЕОРСХІ", "aeopcxiAEOPCXI")
    return [form.translate(swap), form[:i] + "\u200b" + form[i:], form[:i] + "\u00ad" + form[i:],
            f"{form[:i]}*{form[i:]}*", "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in form),
            f"#{form}2024"]


# every free-text field and title of the case, and where the loader reports it
FIELDS = {
    ("title",): "title",
    ("summary",): "summary",
    ("incident", "description"): "incident.description",
    ("incident", "location", "place"): "incident.location.place",
    ("incident", "perpetrators", 0, "description"): "incident.perpetrators[0].description",
    ("incident", "witnesses", 0, "role"): "incident.witnesses[0].role",
    ("allegations", 0, "title"): "allegations[0].title",
    ("allegations", 0, "analysis"): "allegations[0].analysis",
    ("evidence", 0, "title"): "evidence[0].title",
    ("evidence", 0, "description"): "evidence[0].description",
    ("evidence", 0, "verification", "notes"): "evidence[0].verification.notes",
    ("evidence", 0, "custody", 1, "notes"): "evidence[0].custody[1].notes",
    ("evidence", 1, "collected", "method"): "evidence[1].collected.method",
    ("actions", 0, "action"): "actions[0].action",
    ("filings", 0, "reference"): "filings[0].reference",
}


def place(doc: dict, path: tuple, text: str) -> None:
    target = doc
    for key in path[:-1]:
        target = target[key]
    old = target.get(path[-1]) or ""
    target[path[-1]] = f"{old} {text}".strip() if isinstance(old, str) else text


def case_with(entry: dict, tmp: Path, text_for=None) -> Path:
    """The protected-witness example with V1 renamed to the corpus person (protected);
    `text_for(field)` adds text to each field."""
    doc = copy.deepcopy(BASE)
    doc["incident"]["victims"][0]["name"] = entry["name"]
    # the witness (disclosed to two bodies) must not share a name part with V1: that is an error
    doc["incident"]["witnesses"][0]["name"] = "Marta Yavorivska"
    doc["incident"]["victims"][0]["aliases"] = [a["alias"] for a in entry.get("aliases", ())]
    for path in FIELDS:
        if text_for is not None:
            place(doc, path, text_for(path))
    folder = tmp / entry["id"]
    if not folder.exists():
        copy_witness(folder)
    target = folder / "case.yaml"
    target.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.mark.parametrize("nid", SAMPLE)
def test_every_form_in_every_field_is_an_error_at_its_place(nid, tmp_path):
    entry = NAMES[nid]
    written = forms(entry) + disguised(forms(entry)[0])
    for form in written:
        path = case_with(entry, tmp_path, lambda field, form=form: f"Seen with {form} there.")
        problems = api.validate(path).problems
        located = {p.format().split(": ")[2] for p in problems
                   if p.is_error and "protected person V1" in p.message}
        assert located == set(FIELDS.values()), (nid, form, [p.format() for p in problems])
        assert not any(entry["name"].split()[-1] in p.format() for p in problems)  # never the name


@pytest.mark.parametrize("nid", SAMPLE)
def test_the_same_case_without_the_forms_renders(nid, tmp_path):
    path = case_with(entry := NAMES[nid], tmp_path, lambda field: "Seen with @V1 there.")
    result = api.validate(path)
    assert result.ok, [p.format() for p in result.problems]
    html = api.render(path, edition="public", format="html", output=tmp_path / "p.html").read_text()
    index = NameIndex((Named("V1", entry["name"]),))
    assert not Scanner(index).html(html)
    assert "Victim 1" in html


@pytest.mark.parametrize("nid", SAMPLE)
def test_any_form_that_reaches_an_output_is_found_there(nid):
    """Defence in depth: whatever channel put it there, check-leaks finds every form and
    disguise in HTML and in text."""
    entry = NAMES[nid]
    scanner = Scanner(NameIndex((Named("V1", entry["name"], tuple(a["alias"] for a in entry.get("aliases", ()))),)))
    for form in forms(entry, limit=100) + disguised(forms(entry)[0]):
        html = f"<!DOCTYPE html><html><body><p>Report on <em>{form}</em>.</p></body></html>"
        assert scanner.html(html), (nid, form)
        assert scanner.text(f"commit: add statement of {form}", "commit"), (nid, form)


def test_ids_that_name_a_protected_person_are_errors(tmp_path):
    entry = NAMES["N48"]  # Olena Koval
    path = case_with(entry, tmp_path)
    text = path.read_text(encoding="utf-8").replace("id: E2", "id: E2-Koval").replace("- E2", "- E2-Koval")
    text = text.replace("id: TEST-KHE-2024-007", "id: KOVAL-2024-007")
    path.write_text(text, encoding="utf-8")
    errors = [p.format() for p in api.validate(path).errors]
    assert any(": id: this id contains the name of protected person V1" in e for e in errors), errors
    assert any("evidence[0].id: this id contains the name of protected person V1" in e for e in errors), errors


# ------------------------------------------------------------------------------------------
# exhibits of every format
# ------------------------------------------------------------------------------------------
def exhibit_files(name: str) -> dict[str, bytes]:
    """One file per format, each naming `name` the way that format hides text."""
    from PIL import Image, PngImagePlugin

    files: dict[str, bytes] = {}
    files["a-cp1251.txt"] = f"Заява: бачив {name}.".encode("cp1251")
    files["b-koi8u.txt"] = f"Заява: бачив {name}.".encode("koi8_u")
    files["c-utf16.txt"] = f"Statement about {name}.".encode("utf-16")
    body = f"<w:p><w:r><w:t>{name[:2]}</w:t></w:r><w:r><w:t>{name[2:]}</w:t></w:r></w:p>"
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f'<w:document xmlns:w="w"><w:body>{body}</w:body></w:document>')
    files["d.docx"] = docx.getvalue()
    rtf = "".join(f"\\u{ord(c)}?" for c in name)
    files["e.rtf"] = ("{\\rtf1\\ansi " + rtf + "}").encode("ascii")
    import base64

    mail = ("From: a@example.org\nSubject: statement\nMIME-Version: 1.0\nContent-Type: text/plain; "
            "charset=windows-1251\nContent-Transfer-Encoding: base64\n\n"
            + base64.b64encode(f"Бачив {name}".encode("cp1251")).decode() + "\n")
    files["f.eml"] = mail.encode("ascii")
    files["g.txt.gz"] = gzip.compress(f"about {name}".encode(), mtime=0)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", f"{name}", zip=True)
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(png, "PNG", pnginfo=info)
    files["h.png"] = png.getvalue()
    jpeg = io.BytesIO()
    exif = Image.Exif()
    exif[0x9C9D] = name.encode("utf-16-le") + b"\0\0"  # XPAuthor
    Image.new("RGB", (8, 8), "white").save(jpeg, "JPEG", exif=exif.tobytes())
    files["i.jpg"] = jpeg.getvalue()
    return files


@pytest.fixture(scope="module")
def exhibit_packets(tmp_path_factory):
    """Two packets for the ICRC (which may not know V1): exhibits naming V1 in a declined form
    in every format, and the same exhibits naming no one."""
    out = {}
    for label, text in (("named", "Миколи Кравченка"), ("clean", "полонених")):
        work = tmp_path_factory.mktemp(label)
        path = case_with(NAMES["N01"], work)
        folder = path.parent
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, (name, data) in enumerate(sorted(exhibit_files(text).items()), start=10):
            (folder / "evidence" / name).write_bytes(data)
            doc["evidence"].append({"id": f"E{i}", "kind": "document", "title": f"Exhibit {i}",
                                    "file": f"evidence/{name}", "depicts": []})
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        api.hash_case(path)
        out[label] = (path, api.packet(path, to="icrc", output=work / "out")[0])
    return out


def test_exhibits_naming_a_hidden_person_are_left_out_in_every_format(exhibit_packets):
    path, result = exhibit_packets["named"]
    left = {line.split(":", 1)[0] for line in result.left_out}
    assert {f"E{i}" for i in range(10, 19)} <= left, result.left_out
    assert all("names V1" in line for line in result.left_out if line.split(":")[0] in {f"E{i}" for i in range(10, 19)})
    hidden, leaks = api.check_leaks(result.folder, path, body="icrc")
    assert hidden == ["V1", "V2", "W1"] and leaks == []
    assert api.check_leaks(result.archive, path, body="icrc")[1] == []


def test_the_same_exhibits_naming_no_one_go_in(exhibit_packets):
    _, result = exhibit_packets["clean"]
    assert {f"E{i}" for i in range(10, 19)} <= set(result.exhibits), result.left_out


def test_a_file_casefile_cannot_read_needs_a_review(witness_case, tmp_path):
    folder = witness_case.parent
    (folder / "evidence" / "E9.bin").write_bytes(os.urandom(4096))
    doc = yaml.safe_load(witness_case.read_text())
    doc["evidence"].append({"id": "E9", "kind": "other", "title": "Unknown file", "file": "evidence/E9.bin"})
    witness_case.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    api.hash_case(witness_case)
    result = api.packet(witness_case, to="icrc", output=tmp_path / "a")[0]
    assert any(line.startswith("E9: casefile cannot read all of it") and "reviewed_for" in line
               for line in result.left_out), result.left_out
    checklist = result.checklist_file.read_text()
    assert "E9: casefile cannot read all of it" in checklist
    doc["evidence"][-1]["reviewed_for"] = ["icrc"]
    witness_case.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    api.hash_case(witness_case)
    assert "E9" in api.packet(witness_case, to="icrc", output=tmp_path / "b")[0].exhibits


# ------------------------------------------------------------------------------------------
# file names, symlinks, commit messages
# ------------------------------------------------------------------------------------------
def test_a_symlink_target_name_reaches_no_file_of_the_packet(witness_case, tmp_path):
    folder = witness_case.parent / "evidence"
    real = folder / "originals"
    real.mkdir()
    (folder / "E4-forensic-note.pdf").rename(real / "Кравченко-Микола-розтин.pdf")
    (folder / "E4-forensic-note.pdf").symlink_to(Path("originals") / "Кравченко-Микола-розтин.pdf")
    doc = yaml.safe_load(witness_case.read_text())
    doc["incident"]["victims"][0]["name"] = "Микола Кравченко"
    witness_case.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    result = api.packet(witness_case, to="icrc", output=tmp_path / "out")[0]
    assert "exhibits/E4-forensic-note.pdf" in (result.folder / "manifest.sha256").read_text()
    names = [p.relative_to(result.folder).as_posix() for p in result.folder.rglob("*")]
    assert not any("Кравченк" in n for n in names)
    assert api.check_leaks(result.folder, witness_case, body="icrc")[1] == []
    with zipfile.ZipFile(result.archive) as archive:
        assert not any("Кравченк" in n for n in archive.namelist())


def test_a_file_name_naming_a_hidden_person_is_replaced_by_the_id(witness_case, tmp_path):
    folder = witness_case.parent / "evidence"
    (folder / "E4-forensic-note.pdf").rename(folder / "E4-Bondaria-autopsy.pdf")  # Taras Bondar, declined
    witness_case.write_text(witness_case.read_text().replace("E4-forensic-note.pdf", "E4-Bondaria-autopsy.pdf"))
    problems = [p.format() for p in api.validate(witness_case).problems]
    assert any("evidence[2].file: the file name contains the name of protected person V2" in p for p in problems)
    result = api.packet(witness_case, to="icrc", output=tmp_path / "out")[0]
    manifest = (result.folder / "manifest.sha256").read_text()
    assert "exhibits/E4.pdf" in manifest and "Bondar" not in manifest
    html = api.render(witness_case, edition="public", format="html", output=tmp_path / "p.html").read_text()
    assert "Bondaria" not in html and "(file name withheld in this edition)" in html


def git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Clinic", "GIT_AUTHOR_EMAIL": "c@example.org",
           "GIT_COMMITTER_NAME": "Clinic", "GIT_COMMITTER_EMAIL": "c@example.org", "GIT_CONFIG_NOSYSTEM": "1",
           "HOME": str(folder)}
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, env=env)


def test_commit_messages_that_name_a_hidden_person_are_withheld(witness_case, tmp_path):
    folder = witness_case.parent
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "Add the statement about Тараса Бондаря")
    witness_case.write_text(witness_case.read_text() + "# reviewed\n")
    git(folder, "commit", "-q", "-a", "-m", "Fix custody dates")
    html = api.render(witness_case, edition="public", format="html", output=tmp_path / "p.html").read_text()
    assert "Бондар" not in html and "(withheld in this edition)" in html
    assert "Fix custody dates" in html
    internal = api.render(witness_case, format="html", output=tmp_path / "i.html").read_text()
    assert "Add the statement about Тараса Бондаря" in internal


def test_case_folder_names_in_the_public_register(tmp_path):
    root = tmp_path / "repo"
    (root / "cases").mkdir(parents=True)
    (root / "casefile.yaml").write_text("casefile-project: 1\n")
    copy_witness(root / "cases" / "taras-bondaria-vbyvstvo")  # declined, run together
    written = api.register(root, edition="public")
    data = b"".join(p.read_bytes() for p in written)
    assert b"bondaria" not in data.lower()


# ------------------------------------------------------------------------------------------
# pictures
# ------------------------------------------------------------------------------------------
def test_a_photo_of_a_protected_person_is_left_out_or_blurred(witness_case, tmp_path):
    doc = yaml.safe_load(witness_case.read_text())
    doc["evidence"][0]["depicts"] = ["V1"]
    witness_case.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    public = api.render(witness_case, edition="public", format="html", output=tmp_path / "p.html").read_text()
    assert "data:image" not in public
    assert "Not shown in this edition: the image shows a person it does not name." in public
    internal = api.render(witness_case, format="html", output=tmp_path / "i.html").read_text()
    assert "data:image" in internal
    packet = api.packet(witness_case, to="icrc", output=tmp_path / "out")[0]
    assert "E2" not in packet.exhibits
    assert any(line.startswith("E2: it shows V1, whom this body may not know") for line in packet.left_out)

    doc["evidence"][0]["depicts"] = [{"person": "V1", "region": {"x": 0, "y": 0, "width": 60, "height": 60}}]
    witness_case.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    blurred = api.render(witness_case, edition="public", format="html", output=tmp_path / "b.html").read_text()
    assert "data:image" in blurred and "a region showing a person this edition does not name" in blurred


def test_blurring_destroys_the_region_only():
    from PIL import Image

    from casefile.case.model import Region
    from casefile.evidence.exhibits import _blurred

    image = Image.effect_noise((120, 80), 80).convert("RGB")
    out = _blurred(image.copy(), [Region(x=10, y=10, width=50, height=40)])
    assert out.crop((70, 0, 120, 80)).tobytes() == image.crop((70, 0, 120, 80)).tobytes()
    inside, original = out.crop((10, 10, 60, 50)), image.crop((10, 10, 60, 50))
    # the detail is gone: neighbouring pixels inside the region barely differ any more
    def roughness(img):
        px = img.convert("L").tobytes()
        return sum(abs(a - b) for a, b in itertools.pairwise(px)) / len(px)
    assert roughness(inside) < roughness(original) / 5


def test_an_image_mentioning_a_protected_person_must_say_whom_it_shows(witness_case):
    text = witness_case.read_text().replace("title: {en: Photograph of the outbuilding,",
                                            "title: {en: Photograph of the outbuilding where @V1 was held,")
    witness_case.write_text(text)
    warnings = [p.format() for p in api.validate(witness_case).warnings]
    assert any("evidence[0]: the photo mentions protected person V1 but does not say whom it shows" in w
               for w in warnings), warnings
    witness_case.write_text(text.replace("    kind: photo\n", "    kind: photo\n    depicts: []\n", 1))
    assert not api.validate(witness_case).warnings


# ------------------------------------------------------------------------------------------
# relatives and disclosure
# ------------------------------------------------------------------------------------------
def relatives(witness_case: Path, disclose_both: bool) -> Path:
    doc = yaml.safe_load(witness_case.read_text())
    victims = doc["incident"]["victims"]
    victims[0]["name"] = "Микола Кравченко"
    victims[0]["consent"] = {"share_with": ["icc-otp"], "date": "2024-03-20"}
    victims[1]["name"] = "Юлія Кравченко"
    if disclose_both:
        victims[1]["consent"] = {"share_with": ["icc-otp"], "date": "2024-03-20"}
    icc = next(f for f in doc["filings"] if f["body"] == "icc-otp")
    icc["disclose"] = ["W1", "V1"] + (["V2"] if disclose_both else [])
    witness_case.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    return witness_case


def test_disclosing_one_relative_but_not_the_other_is_a_validation_error(witness_case):
    path = relatives(witness_case, disclose_both=False)
    errors = [p.format() for p in api.validate(path).errors]
    assert any("filings[1].disclose[1]: disclosing V1 to icc-otp reveals part of the name of V2, whom icc-otp may "
               "not know" in e for e in errors), errors
    assert not any("Кравченк" in e for e in errors)


def test_two_protected_relatives_disclosed_together_pass_strict_validation(witness_case):
    path = relatives(witness_case, disclose_both=True)
    result = CliRunner().invoke(cli, ["validate", "--strict", str(path)])
    assert result.exit_code == 0, result.output


def test_packet_all_builds_the_other_packets_and_fails_at_the_end(witness_case, tmp_path):
    doc = yaml.safe_load(witness_case.read_text())
    doc["filings"].append({"body": "ecthr", "status": "planned", "respondent": "RU"})  # its requirements fail
    witness_case.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    result = CliRunner().invoke(cli, ["packet", str(witness_case), "--all", "--output", str(tmp_path / "out")])
    assert result.exit_code == 1
    built = sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir())
    assert built == ["TEST-KHE-2024-007-icc-otp", "TEST-KHE-2024-007-icrc", "TEST-KHE-2024-007-ua-pgo"]
    assert "1 of 4 packet(s) failed: ecthr:" in result.output


# ------------------------------------------------------------------------------------------
# what templates and diffs see
# ------------------------------------------------------------------------------------------
def _strings(value, seen=None):
    from dataclasses import fields, is_dataclass

    seen = seen if seen is not None else set()
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k, seen)
            yield from _strings(v, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from _strings(v, seen)
    elif is_dataclass(value):
        for f in fields(value):
            yield from _strings(getattr(value, f.name), seen)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        for v in vars(value).values():
            yield from _strings(v, seen)


def test_templates_never_receive_a_hidden_name():
    from casefile.case.catalog import load_catalog
    from casefile.dossier.view import build_view
    from casefile.protection.policy import Disclosure

    case = api.load_case(WITNESS).case
    view = build_view(case, load_catalog(), mode="html", disclosure=Disclosure(edition="public"))
    scanner = Scanner(NameIndex((Named("V1", "Андрій Мельник (Andrii Melnyk)"), Named("V2", "Taras Bondar"),
                                 Named("W1", "Olena Koval"))))
    everything = "\n".join(_strings(view.context()))
    assert "Victim 1" in everything
    assert scanner.text(everything, "view") == []


def test_diff_withholds_a_name_from_before_the_person_was_protected(witness_case):
    folder = witness_case.parent
    git(folder, "init", "-q")
    doc = yaml.safe_load(witness_case.read_text())
    doc["incident"]["victims"][1]["protected"] = False
    doc["incident"]["description"]["en"] += " Taras Bondar was seen alive at noon."
    witness_case.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "first")
    doc["incident"]["victims"][1]["protected"] = True
    doc["incident"]["description"]["en"] = doc["incident"]["description"]["en"].replace(
        " Taras Bondar was seen alive at noon.", " @V2 was seen alive at noon; Бондаря бачили о 12:00.")
    witness_case.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    for fmt in ("text", "markdown"):
        out = CliRunner().invoke(cli, ["diff", str(witness_case), "--format", fmt]).output
        assert "Bondar" not in out and "Бондар" not in out, out
        assert "[protected]" in out


def test_a_false_match_is_cleared_at_its_place_only(tmp_path):
    entry = {"id": "N12", "name": "Надія Мельник"}
    path = case_with(entry, tmp_path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["summary"]["uk"] += "\nНадія на справедливість не зникає."
    doc["incident"]["description"]["uk"] += "\nНадія є завжди."
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    errors = [p.format() for p in api.validate(path).errors]
    assert sum("the name of protected person V1 is written here" in e for e in errors) == 2, errors
    doc["incident"]["victims"][0]["false_matches"] = [{"word": "надія", "at": "summary"},
                                                      {"word": "Надія", "at": "allegations[0].title"}]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = [p.format() for p in api.validate(path).problems]
    located = [p for p in problems if "protected person V1 is written here" in p]
    assert len(located) == 1 and ": error: incident.description.uk:" in located[0], problems
    assert any("false_matches[1].word: this false match clears nothing at 'allegations[0].title'" in p
               for p in problems), problems
    # the summary's "Надія" reaches the public edition without stopping it
    doc["incident"]["description"]["uk"] = doc["incident"]["description"]["uk"].replace("\nНадія є завжди.", "")
    doc["incident"]["victims"][0]["false_matches"].pop()
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # (the Ukrainian edition: the summary's Ukrainian text)
    html = api.render(path, edition="public", format="html", output=tmp_path / "p.html", language="uk").read_text()
    assert "Надія на справедливість" in html and "Мельник" not in html
